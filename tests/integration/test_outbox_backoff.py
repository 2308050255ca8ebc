"""The outbox on real SQLite and PostgreSQL: dead letters never hold up new e-mail (the filter is in
SQL, not after a LIMIT), failures back off, and admins see dead letters and may send one again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.domain.accounts import Role
from lib.domain.errors import AccountSuspended, InvalidInput, PermissionDenied
from lib.services import jobs
from lib.services.accounts import admin, auth
from lib.services.ideas import moderation
from tests.conftest import make_context
from tests.integration.support import RecordingMailer
from tests.unit.fakes import FakeClock

PASSWORD = "correct horse battery"


def dead_letters(ctx, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """`count` messages that used up their attempts."""
    now = ctx.now()
    with ctx.uow() as uow:
        ids = [uow.outbox.add(f"gone{i}@example.com", "Hello", "Body", now) for i in range(count)]
        for message_id in ids:
            for _ in range(jobs.MAX_ATTEMPTS):
                uow.outbox.mark_failed(message_id, "550 no such mailbox", now)
        uow.commit()
    return ids


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def mctx(engine, tmp_path, clock, mailer):  # type: ignore[no-untyped-def]
    return make_context(engine, tmp_path / "images", mailer=mailer, clock=clock)


def test_a_hundred_dead_letters_do_not_block_new_mail(mctx, mailer):
    dead_letters(mctx, jobs.OUTBOX_BATCH + 5)
    auth.sign_up(mctx, email="new@example.com", display_name="New", password=PASSWORD)

    assert jobs.deliver_outbox(mctx) == 1
    assert [to for to, _s, _b in mailer.sent] == ["new@example.com"]


def test_a_failure_is_retried_only_after_its_backoff(mctx, mailer, clock):
    auth.sign_up(mctx, email="flaky@example.com", display_name="Flaky", password=PASSWORD)
    mailer.fail_with = "421 try again later"
    assert jobs.deliver_outbox(mctx) == 0
    with mctx.uow(write=False) as uow:
        [message] = uow.outbox.recent(10, 0)
        assert uow.outbox.due(clock(), jobs.MAX_ATTEMPTS, 10) == []
    assert (message.attempts, message.next_attempt_at) == (1, clock() + timedelta(minutes=1))
    mailer.fail_with = None
    clock.advance(seconds=59)
    assert jobs.deliver_outbox(mctx) == 0, "still waiting"
    clock.advance(seconds=1)
    assert jobs.deliver_outbox(mctx) == 1


def test_admins_see_dead_letters_and_send_one_again(mctx, mailer, person, clock):
    boss = person(Role.ADMIN, name="Boss")
    gone, other = dead_letters(mctx, 2)
    assert [m.id for m in admin.dead_letters(mctx, boss)] == [other, gone]  # newest first
    assert jobs.deliver_outbox(mctx) == 0

    admin.retry_email(mctx, boss, gone)

    assert [m.id for m in admin.dead_letters(mctx, boss)] == [other]
    assert jobs.deliver_outbox(mctx) == 1 and [to for to, _s, _b in mailer.sent] == ["gone0@example.com"]
    with pytest.raises(InvalidInput):
        admin.retry_email(mctx, boss, gone)  # sent: not a dead letter any more
    with pytest.raises(InvalidInput):
        admin.retry_email(mctx, boss, 10**9)


def test_only_active_admins_send_dead_letters_again(mctx, person):
    [gone] = dead_letters(mctx, 1)
    with pytest.raises(PermissionDenied):
        admin.retry_email(mctx, person(Role.MODERATOR), gone)
    with pytest.raises(PermissionDenied):
        admin.dead_letters(mctx, person())
    boss = person(Role.ADMIN, name="Suspended Boss")
    moderation.set_suspended(mctx, person(Role.MODERATOR), boss.id, True, "audit")
    suspended = auth.get_user(mctx, boss.id)
    assert [m.id for m in admin.dead_letters(mctx, suspended)] == [gone]  # reading stays open
    with pytest.raises(AccountSuspended):
        admin.retry_email(mctx, suspended, gone)
