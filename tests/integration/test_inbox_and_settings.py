"""Outbox, notifications, settings and what people type as names, on real SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from lib.domain.accounts import Role
from lib.domain.errors import NotSignedIn
from lib.services import jobs
from lib.services.accounts import admin, auth
from lib.services.messaging import notifications
from lib.services.messaging.notifications import notify
from tests.conftest import make_context
from tests.integration.support import RecordingMailer
from tests.unit.fakes import FakeClock

PASSWORD = "correct horse battery"


def person(ctx, email: str, name: str | None = None, **kw):  # type: ignore[no-untyped-def]
    """An account named after its e-mail unless told: no two accounts may share a name."""
    name = name or f"Someone {email.split('@')[0]}"
    return auth.sign_up(ctx, email=email, display_name=name, password=PASSWORD, **kw)


# -- outbox ----------------------------------------------------------------------------------------

def test_sign_up_queues_a_verification_mail_in_the_recipients_language(ctx):
    staff = person(ctx, "staff@example.com", roles={Role.CONSUMER, Role.ADMIN}, verified=True)
    person(ctx, "ko@example.com", "민지", locale="ko")
    person(ctx, "en@example.com", "Emma")

    queued = {m.to_address: m for m in admin.outbox(ctx, staff)}
    assert set(queued) == {"ko@example.com", "en@example.com"}  # verified accounts get no mail
    assert queued["ko@example.com"].subject == "Cocreate 이메일을 확인해 주세요"
    assert "민지님" in queued["ko@example.com"].body
    assert queued["en@example.com"].subject == "Confirm your Cocreate e-mail"
    assert all(m.sent_at is None and m.attempts == 0 for m in queued.values())


def test_outbox_delivery_marks_sent_and_never_sends_twice(engine, tmp_path):
    mailer = RecordingMailer()
    ctx = make_context(engine, tmp_path / "images", mailer=mailer)
    person(ctx, "a@example.com")
    person(ctx, "b@example.com")

    assert jobs.deliver_outbox(ctx) == 2
    assert jobs.deliver_outbox(ctx) == 0
    assert sorted(to for to, _s, _b in mailer.sent) == ["a@example.com", "b@example.com"]
    with ctx.uow(write=False) as uow:
        assert uow.outbox.unsent(10) == []
        assert all(m.sent_at is not None and m.attempts == 1 for m in uow.outbox.recent(10, 0))


def test_outbox_failures_are_recorded_and_retried_a_bounded_number_of_times(engine, tmp_path):
    clock = FakeClock()
    ctx = make_context(engine, tmp_path / "images", mailer=RecordingMailer(fail_with="smtp down"), clock=clock)
    person(ctx, "a@example.com")

    for _ in range(jobs.MAX_ATTEMPTS + 2):
        assert jobs.deliver_outbox(ctx) == 0
        clock.advance(jobs.RETRY_CAP)  # past any backoff
    with ctx.uow(write=False) as uow:
        [message] = uow.outbox.recent(10, 0)
    assert message.sent_at is None
    assert message.attempts == jobs.MAX_ATTEMPTS
    assert message.last_error == "smtp down"


# -- notifications ---------------------------------------------------------------------------------

def test_notifications_unread_count_and_mark_read_touch_only_the_owners_rows(ctx):
    ann = person(ctx, "ann@example.com", "Ann")
    bob = person(ctx, "bob@example.com", "Bob")
    with ctx.uow() as uow:
        ann_ids = [notify(ctx, uow, ann.id, "role_granted", role="maker", note="축하해요 🎉") for _ in range(3)]
        bob_id = notify(ctx, uow, bob.id, "idea_winning", link="/idea?id=7", title="Lamp")
        uow.commit()

    assert notifications.unread_count(ctx, ann) == 3
    assert notifications.unread_count(ctx, bob) == 1
    assert notifications.unread_count(ctx, None) == 0

    # Bob cannot mark Ann's notifications read, even by naming their ids.
    assert notifications.mark_read(ctx, bob, ann_ids) == 0
    assert notifications.unread_count(ctx, ann) == 3

    assert notifications.mark_read(ctx, ann, [ann_ids[0], bob_id]) == 1
    assert notifications.unread_count(ctx, ann) == 2
    assert notifications.unread_count(ctx, bob) == 1

    inbox = notifications.inbox(ctx, ann)
    assert [n.id for n in inbox] == sorted(ann_ids, reverse=True)  # newest first
    assert inbox[0].params == {"role": "maker", "note": "축하해요 🎉"}
    assert [n.read_at is not None for n in inbox] == [False, False, True]

    assert notifications.mark_read(ctx, ann) == 2  # all of her remaining ones
    assert notifications.unread_count(ctx, ann) == 0
    assert notifications.unread_count(ctx, bob) == 1
    with pytest.raises(NotSignedIn):
        notifications.inbox(ctx, None)


# -- settings --------------------------------------------------------------------------------------

def test_settings_put_is_an_upsert(ctx):
    with ctx.uow() as uow:
        assert uow.settings.get("support_window_days") is None
        uow.settings.put("support_window_days", "30")
        uow.commit()
    with ctx.uow() as uow:
        uow.settings.put("support_window_days", "45")
        uow.settings.put("motto", "함께 만들어요 ✨")
        uow.commit()
    with ctx.uow(write=False) as uow:
        assert uow.settings.get("support_window_days") == "45"
        assert uow.settings.get("motto") == "함께 만들어요 ✨"


def test_uncommitted_settings_are_rolled_back(ctx):
    with ctx.uow() as uow:
        uow.settings.put("draft", "never committed")
    with ctx.uow(write=False) as uow:
        assert uow.settings.get("draft") is None


# -- what people type ------------------------------------------------------------------------------

NAMES = [
    "김민준",
    "다은 🌸",
    "👩\u200d👩\u200d👧 family",
    "מרים כהן",
    "محمد العربي",
    "Zoë Ångström-Łukasiewicz",
    "가" * 60,  # the longest allowed: 60 characters, 180 bytes in UTF-8
]


def test_unicode_display_names_round_trip_exactly(ctx):
    for i, name in enumerate(NAMES):
        user = person(ctx, f"u{i}@example.com", name)
        again = auth.sign_in(ctx, email=user.email, password=PASSWORD).user
        assert again.display_name == name
        assert auth.get_user(ctx, user.id).display_name == name  # type: ignore[union-attr]


def test_html_in_a_display_name_is_stored_verbatim(ctx):
    name = "<script>alert('x')</script><b>Bo</b> & \"co\""
    user = person(ctx, "html@example.com", name)
    assert auth.get_user(ctx, user.id).display_name == name  # type: ignore[union-attr]
    with ctx.uow(write=False) as uow:
        [found] = uow.users.search("<script>", 10, 0)
    assert found.id == user.id and found.display_name == name
