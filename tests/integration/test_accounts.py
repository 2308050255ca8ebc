"""Accounts on real SQLite and PostgreSQL: sign-up and sign-in, uniqueness, roles, sessions, e-mail tokens."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from lib.adapters.db.schema import core as t
from lib.domain.accounts import Role, User
from lib.domain.errors import EmailAlreadyRegistered, InvalidCredentials, TokenInvalid
from lib.services.accounts import admin, auth, email_links, throttles
from lib.services.context import token_hash
from tests.integration.support import count_rows

PASSWORD = "correct horse battery"


def sign_up(ctx, email="ann@example.com", name=None, **kw) -> User:  # type: ignore[no-untyped-def]
    """An account named after its e-mail unless told ("ann@…" is Ann): no two may share a name."""
    name = name or email.split("@")[0].capitalize()
    return auth.sign_up(ctx, email=email, display_name=name, password=PASSWORD, **kw)


def at(ctx, moment):  # type: ignore[no-untyped-def]
    """The same context with its clock stopped at `moment`."""
    return dataclasses.replace(ctx, clock=lambda: moment)


def outbox_links(ctx, to: str) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.uow(write=False) as uow:
        messages = [m for m in uow.outbox.recent(100, 0) if m.to_address == to]
    return [re.search(r"token=(\S+)", m.body).group(1) for m in reversed(messages)]  # type: ignore[union-attr]


# -- sign-up and sign-in ---------------------------------------------------------------------------

def test_sign_up_then_sign_in_round_trip(ctx, engine):
    user = sign_up(ctx, email="  Ann@Example.COM ")
    assert user.id > 0 and user.email == "ann@example.com"
    assert user.roles == {Role.CONSUMER} and not user.is_verified

    stored = auth.get_user(ctx, user.id)
    assert stored is not None and stored.email == "ann@example.com"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash

    signed = auth.sign_in(ctx, email="ANN@example.com", password=PASSWORD)
    assert signed.user.id == user.id
    assert signed.handoff_code and auth.session_is_live(ctx, signed.session_id)
    assert count_rows(engine, t.auth_sessions, t.auth_sessions.c.user_id == user.id) == 1


def test_wrong_password_and_unknown_email_are_the_same_refusal(ctx, engine):
    user = sign_up(ctx)
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="ann@example.com", password="not the password")
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="nobody@example.com", password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="not an e-mail", password=PASSWORD)
    assert count_rows(engine, t.auth_sessions) == 0
    assert auth.get_user(ctx, user.id).failed_sign_ins == 1  # type: ignore[union-attr]


def test_duplicate_email_is_refused_by_the_service_also_in_another_case(ctx, engine):
    sign_up(ctx, email="ann@example.com")
    with pytest.raises(EmailAlreadyRegistered):
        sign_up(ctx, email="ann@example.com", name="Other Ann")
    with pytest.raises(EmailAlreadyRegistered):
        sign_up(ctx, email="  ANN@Example.Com", name="Shouting Ann")
    assert count_rows(engine, t.users) == 1


def test_duplicate_email_is_refused_by_the_database_unique_constraint(ctx, engine):
    """The service's check can race; the unique constraint is what finally refuses a second row."""
    first = sign_up(ctx)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(t.users).values(email=first.email, display_name="Twin", password_hash="x",
                                            referral_code="OTHER001", created_at=ctx.now()))
    # The repository turns that conflict into the domain error a page can show.
    with pytest.raises(EmailAlreadyRegistered), ctx.uow() as uow:
        uow.users.add(dataclasses.replace(first, id=0, referral_code="OTHER002"))
    assert count_rows(engine, t.users) == 1


# -- roles -----------------------------------------------------------------------------------------

def test_roles_are_stored_and_replaced(ctx):
    maker = sign_up(ctx, email="mia@example.com", roles={Role.CONSUMER, Role.MAKER})
    assert auth.get_user(ctx, maker.id).roles == {Role.CONSUMER, Role.MAKER}  # type: ignore[union-attr]

    with ctx.uow() as uow:
        uow.users.set_roles(maker.id, {Role.MODERATOR})
        uow.commit()
    assert auth.get_user(ctx, maker.id).roles == {Role.MODERATOR}  # type: ignore[union-attr]

    boss = sign_up(ctx, email="boss@example.com", roles={Role.CONSUMER, Role.ADMIN})
    changed = admin.set_roles(ctx, boss, maker.id, {Role.MAKER, Role.ADMIN})
    assert changed.roles == {Role.CONSUMER, Role.MAKER, Role.ADMIN}
    assert auth.get_user(ctx, maker.id).roles == {Role.CONSUMER, Role.MAKER, Role.ADMIN}  # type: ignore[union-attr]


# -- sessions --------------------------------------------------------------------------------------

def test_handoff_code_is_claimed_once_for_a_cookie_token(ctx):
    user = sign_up(ctx)
    signed = auth.sign_in(ctx, email=user.email, password=PASSWORD)

    token = auth.claim_handoff(ctx, signed.handoff_code)
    resolved = auth.resolve_session(ctx, token)
    assert resolved is not None and resolved[0].id == user.id and resolved[1] == signed.session_id

    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, signed.handoff_code)
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, "")
    assert auth.resolve_session(ctx, "not-a-token") is None
    assert auth.resolve_session(ctx, token) is not None  # the failed claims did not spoil it


def test_handoff_code_expires(ctx):
    user = sign_up(ctx)
    signed = auth.sign_in(ctx, email=user.email, password=PASSWORD)
    later = at(ctx, ctx.now() + auth.HANDOFF_LIFETIME + timedelta(seconds=1))
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(later, signed.handoff_code)


def test_sign_out_revokes_one_session_and_sign_out_everywhere_the_rest(ctx):
    user = sign_up(ctx)
    other = sign_up(ctx, email="bob@example.com", name="Bob")
    sessions = [auth.sign_in(ctx, email=user.email, password=PASSWORD) for _ in range(3)]
    tokens = [auth.claim_handoff(ctx, s.handoff_code) for s in sessions]
    bobs = auth.sign_in(ctx, email=other.email, password=PASSWORD)

    auth.sign_out(ctx, sessions[0].session_id)
    assert auth.resolve_session(ctx, tokens[0]) is None
    assert not auth.session_is_live(ctx, sessions[0].session_id)
    assert auth.resolve_session(ctx, tokens[1]) is not None

    assert auth.sign_out_everywhere(ctx, user.id) == 2
    assert all(auth.resolve_session(ctx, tok) is None for tok in tokens)
    assert auth.session_is_live(ctx, bobs.session_id)  # another account is untouched
    assert auth.sign_out_everywhere(ctx, user.id) == 0


def test_revoke_by_token_signs_out_that_browser(ctx):
    user = sign_up(ctx)
    signed = auth.sign_in(ctx, email=user.email, password=PASSWORD)
    token = auth.claim_handoff(ctx, signed.handoff_code)
    auth.revoke_by_token(ctx, "unknown-token")
    assert auth.resolve_session(ctx, token) is not None
    auth.revoke_by_token(ctx, token)
    assert auth.resolve_session(ctx, token) is None


def test_purge_expired_deletes_only_dead_sessions(ctx, engine):
    user = sign_up(ctx)
    start = ctx.now()
    old = at(ctx, start - auth.SESSION_LIFETIME - timedelta(days=1))
    expired = auth.sign_in(old, email=user.email, password=PASSWORD)
    auth.claim_handoff(old, expired.handoff_code)
    revoked = auth.sign_in(ctx, email=user.email, password=PASSWORD)
    auth.claim_handoff(ctx, revoked.handoff_code)
    auth.sign_out(ctx, revoked.session_id)
    unclaimed = auth.sign_in(ctx, email=user.email, password=PASSWORD)  # handoff never used
    live = auth.sign_in(ctx, email=user.email, password=PASSWORD)
    live_token = auth.claim_handoff(ctx, live.handoff_code)

    later = at(ctx, start + auth.HANDOFF_LIFETIME + timedelta(minutes=1))
    with later.uow() as uow:
        purged = uow.sessions.purge_expired(later.now())
        uow.commit()

    assert purged == 3
    with ctx.uow(write=False) as uow:
        assert uow.sessions.get(expired.session_id) is None
        assert uow.sessions.get(revoked.session_id) is None
        assert uow.sessions.get(unclaimed.session_id) is None
        assert uow.sessions.get(live.session_id) is not None
    assert auth.resolve_session(later, live_token) is not None
    assert count_rows(engine, t.auth_sessions) == 1


# -- e-mail tokens ---------------------------------------------------------------------------------

def test_verification_link_works_once(ctx):
    user = sign_up(ctx)
    [link_token] = outbox_links(ctx, user.email)

    verified = email_links.verify_email(ctx, link_token)
    assert verified.id == user.id and verified.is_verified
    assert auth.get_user(ctx, user.id).is_verified  # type: ignore[union-attr]
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, link_token)


def test_resending_verification_retires_the_older_link(ctx):
    user = sign_up(ctx)
    email_links.resend_verification(ctx, user.id)
    first, second = outbox_links(ctx, user.email)
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, first)
    assert email_links.verify_email(ctx, second).is_verified


def test_reset_link_is_single_use_purpose_bound_and_signs_out_everywhere(ctx):
    user = sign_up(ctx)
    [verify_token] = outbox_links(ctx, user.email)
    signed = auth.sign_in(ctx, email=user.email, password=PASSWORD)
    cookie = auth.claim_handoff(ctx, signed.handoff_code)

    email_links.request_password_reset(ctx, "ANN@example.com")
    email_links.request_password_reset(ctx, "nobody@example.com")  # silently nothing
    reset_token = outbox_links(ctx, user.email)[-1]

    with pytest.raises(TokenInvalid):
        email_links.reset_password(ctx, verify_token, "a brand new password")  # wrong purpose
    email_links.reset_password(ctx, reset_token, "a brand new password")
    with pytest.raises(TokenInvalid):
        email_links.reset_password(ctx, reset_token, "yet another password")

    assert auth.resolve_session(ctx, cookie) is None
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email=user.email, password=PASSWORD)
    assert auth.sign_in(ctx, email=user.email, password="a brand new password").user.is_verified


def test_expired_email_token_is_refused(ctx):
    user = sign_up(ctx)
    [link_token] = outbox_links(ctx, user.email)
    late = at(ctx, ctx.now() + email_links.VERIFY_LIFETIME + timedelta(minutes=1))
    with pytest.raises(TokenInvalid):
        email_links.verify_email(late, link_token)
    with ctx.uow(write=False) as uow:
        assert uow.email_tokens.get_by_hash(token_hash(link_token)).used_at is None  # type: ignore[union-attr]


# -- sessions: idle timeout, last activity; request throttles ---------------------------------------

def test_an_idle_session_times_out_and_activity_is_stored(ctx, engine):
    user = sign_up(ctx)
    signed = auth.sign_in(ctx, email=user.email, password=PASSWORD)
    token = auth.claim_handoff(ctx, signed.handoff_code)
    start = ctx.now()
    idle = ctx.session_policy.idle_timeout
    later = at(ctx, start + idle - timedelta(minutes=1))
    assert auth.resolve_session(later, token) is not None
    with ctx.uow(write=False) as uow:
        assert uow.sessions.get(signed.session_id).last_seen_at == later.now()
    assert auth.resolve_session(at(ctx, later.now() + idle - timedelta(minutes=1)), token) is not None
    assert auth.resolve_session(at(ctx, later.now() + 2 * idle), token) is None
    assert not auth.session_is_live(at(ctx, later.now() + 2 * idle), signed.session_id)


def test_throttle_counts_within_a_window_and_restarts_after_it(ctx, engine):
    now, window = ctx.now(), timedelta(hours=1)
    with ctx.uow() as uow:
        results = [uow.throttles.hit("t:a", now, window, 3) for _ in range(5)]
        other = uow.throttles.hit("t:b", now, window, 3)
        uow.commit()
    assert results == [True, True, True, False, False] and other
    with ctx.uow() as uow:
        assert not uow.throttles.hit("t:a", now + window - timedelta(seconds=1), window, 3)
        assert uow.throttles.hit("t:a", now + window, window, 3)  # a fresh window
        assert uow.throttles.hit("t:a", now + window, window, 3)
        uow.commit()
    assert count_rows(engine, t.request_throttles) == 2


def test_concurrent_requests_never_pass_the_throttle(ctx, engine):
    """24 threads at once against a limit of 5: exactly 5 are let through, on both databases."""
    from concurrent.futures import ThreadPoolExecutor

    from lib.domain.accounts import RESET_THROTTLE
    from lib.domain.errors import TooManyRequests

    def one(n: int) -> bool:
        try:
            throttles.throttle(ctx, dataclasses.replace(RESET_THROTTLE, per_address=5), "race@example.com", f"c{n}")
        except TooManyRequests:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        allowed = sum(pool.map(one, range(24)))
    assert allowed == 5


def test_reset_throttle_refuses_known_and_unknown_addresses_alike(ctx, engine):
    from lib.domain.accounts import RESET_THROTTLE
    from lib.domain.errors import TooManyRequests

    sign_up(ctx, email="known@example.com")
    for email in ("known@example.com", "unknown@example.com"):
        for _ in range(RESET_THROTTLE.per_address):
            email_links.request_password_reset(ctx, email, client="192.0.2.1" + email)
        with pytest.raises(TooManyRequests):
            email_links.request_password_reset(ctx, email, client="192.0.2.2" + email)
