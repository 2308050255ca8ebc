"""Account use cases over fakes: sign-up, sign-in throttling, sessions, e-mail tokens."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from lib.domain.accounts import LOCK_DURATION, Role, User
from lib.domain.errors import AccountLocked, EmailAlreadyRegistered, InvalidCredentials, InvalidInput, TokenInvalid
from lib.services.accounts import auth, email_links, throttles
from lib.services.context import AppContext, token_hash
from tests.unit.fakes import FakeClock, FakeStore, make_context, token_from_outbox

PASSWORD = "correct horse battery"


def _sign_up(ctx: AppContext, email: str = "ana@example.com", **kwargs: object) -> User:
    # Each account its own name (two accounts may not share one): "ana@…" is Ana, "bo@…" is Bo.
    name = email.strip().split("@")[0].capitalize()
    values: dict[str, object] = {"email": email, "display_name": name, "password": PASSWORD} | kwargs
    return auth.sign_up(ctx, **values)  # type: ignore[arg-type]


def _signed_in_token(ctx: AppContext, email: str = "ana@example.com") -> tuple[str, int]:
    signed = auth.sign_in(ctx, email=email, password=PASSWORD)
    return auth.claim_handoff(ctx, signed.handoff_code), signed.session_id


# ---- sign up --------------------------------------------------------------------------------


def test_sign_up_stores_a_normalised_unverified_consumer(ctx: AppContext, store: FakeStore) -> None:
    user = _sign_up(ctx, email="  Ana@Example.COM ", display_name="  Ana  ")
    stored = store.user_by_email("ana@example.com")
    assert stored is not None and stored.id == user.id
    assert stored.display_name == "Ana"
    assert stored.roles == {Role.CONSUMER}
    assert not stored.is_verified
    assert stored.password_hash == "hashed:" + PASSWORD  # hashed through the port, never stored plain
    assert len(stored.referral_code) == 8


def test_sign_up_queues_a_verification_link_with_a_token(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx)
    [message] = store.outbox_messages()
    assert message.to_address == "ana@example.com"
    assert message.sent_at is None
    assert "https://cocreate.test/verify_email?token=" in message.body
    assert "Ana" in message.body
    assert len(token_from_outbox(store, "ana@example.com")) >= 32


def test_sign_up_in_korean_gets_a_korean_email(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, locale="ko")
    assert "확인" in store.outbox_messages()[0].subject
    assert store.user_by_email("ana@example.com").locale == "ko"


def test_sign_up_with_an_unknown_locale_falls_back_to_english(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, locale="xx")
    assert store.user_by_email("ana@example.com").locale == "en"


def test_duplicate_email_is_refused_and_nothing_is_half_written(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx)
    before = store.snapshot()
    with pytest.raises(EmailAlreadyRegistered):
        _sign_up(ctx, email="ANA@example.com ", display_name="Other")
    after = store.snapshot()
    # The attempt itself is counted (the sign-up throttle); nothing else is written.
    assert after.throttles != before.throttles
    assert dataclasses.replace(after, throttles={}) == dataclasses.replace(before, throttles={})


@pytest.mark.parametrize(("field", "value", "key"), [
    ("email", "not-an-email", "error.email_malformed"),
    ("display_name", "", "error.display_name_required"),
    ("password", "short", "error.password_too_short"),
])
def test_invalid_sign_up_writes_nothing(ctx: AppContext, store: FakeStore, field: str, value: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _sign_up(ctx, **{field: value})
    assert caught.value.key == key
    assert store.commits == 0 and store.state.users == {} and store.state.outbox == {}


# ---- sign in and the throttle ---------------------------------------------------------------


def test_sign_in_opens_a_session_with_a_one_time_handoff(ctx: AppContext, store: FakeStore) -> None:
    user = _sign_up(ctx)
    signed = auth.sign_in(ctx, email=" ANA@example.com", password=PASSWORD)
    assert signed.user.id == user.id
    session = store.state.sessions[signed.session_id]
    assert session.token_hash is None and session.handoff_hash is not None
    assert session.handoff_hash == token_hash(signed.handoff_code) != signed.handoff_code  # only a hash


@pytest.mark.parametrize(("email", "password"), [
    ("ana@example.com", "wrong password!"),
    ("nobody@example.com", PASSWORD),
    ("not an email", PASSWORD),
    ("ana@example.com", ""),
])
def test_wrong_password_and_unknown_email_look_the_same(ctx: AppContext, email: str, password: str) -> None:
    _sign_up(ctx)
    with pytest.raises(InvalidCredentials) as caught:
        auth.sign_in(ctx, email=email, password=password)
    assert type(caught.value) is InvalidCredentials


def test_four_wrong_passwords_then_the_right_one_works(ctx: AppContext) -> None:
    _sign_up(ctx)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    assert auth.sign_in(ctx, email="ana@example.com", password=PASSWORD).session_id


def test_fifth_wrong_password_locks_even_the_right_password_out(ctx: AppContext, store: FakeStore,
                                                               clock: FakeClock) -> None:
    _sign_up(ctx)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    with pytest.raises(AccountLocked):
        auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):
        auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    assert store.state.sessions == {}


def test_sign_in_works_again_once_the_lock_expires(ctx: AppContext, clock: FakeClock) -> None:
    _sign_up(ctx)
    for _ in range(5):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    clock.advance(LOCK_DURATION)
    assert auth.sign_in(ctx, email="ana@example.com", password=PASSWORD).user.email == "ana@example.com"


def test_failed_attempts_are_counted_across_units_of_work(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx)
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    assert store.user_by_email("ana@example.com").failed_sign_ins == 1


def test_a_lock_on_one_account_does_not_touch_another(ctx: AppContext) -> None:
    _sign_up(ctx)
    _sign_up(ctx, email="bo@example.com")
    for _ in range(5):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    assert auth.sign_in(ctx, email="bo@example.com", password=PASSWORD)


def test_an_old_hash_is_upgraded_on_sign_in(ctx: AppContext, store: FakeStore) -> None:
    user = _sign_up(ctx)
    store.state.users[user.id].password_hash = "legacy"  # a scheme the hasher wants replaced
    ctx = make_context(store, clock=ctx.clock, hasher=_LegacyAwareHasher())  # type: ignore[arg-type]
    auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    assert store.state.users[user.id].password_hash == "hashed:" + PASSWORD


class _LegacyAwareHasher:
    def hash(self, password: str) -> str:
        return "hashed:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash in ("legacy", "hashed:" + password)

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash == "legacy"


# ---- handoff and sessions -------------------------------------------------------------------


def test_handoff_gives_a_cookie_token_that_resolves_to_the_user(ctx: AppContext) -> None:
    user = _sign_up(ctx)
    token, session_id = _signed_in_token(ctx)
    resolved = auth.resolve_session(ctx, token)
    assert resolved is not None
    assert (resolved[0].id, resolved[1]) == (user.id, session_id)
    assert auth.session_is_live(ctx, session_id)


def test_handoff_is_single_use(ctx: AppContext) -> None:
    _sign_up(ctx)
    signed = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    auth.claim_handoff(ctx, signed.handoff_code)
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, signed.handoff_code)


def test_handoff_expires_after_two_minutes(ctx: AppContext, clock: FakeClock) -> None:
    _sign_up(ctx)
    first = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    second = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    clock.advance(minutes=1, seconds=59)
    assert auth.claim_handoff(ctx, first.handoff_code)
    clock.advance(seconds=1)
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, second.handoff_code)


@pytest.mark.parametrize("code", ["", "made-up", None])
def test_unknown_handoff_is_refused(ctx: AppContext, code: str | None) -> None:
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, code)  # type: ignore[arg-type]


def test_handoff_of_a_revoked_session_is_refused(ctx: AppContext) -> None:
    _sign_up(ctx)
    signed = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    auth.sign_out(ctx, signed.session_id)
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, signed.handoff_code)


@pytest.mark.parametrize("token", ["", "nonsense"])
def test_unknown_cookie_token_resolves_to_nobody(ctx: AppContext, token: str) -> None:
    assert auth.resolve_session(ctx, token) is None


def test_the_handoff_code_itself_is_not_a_cookie_token(ctx: AppContext) -> None:
    _sign_up(ctx)
    signed = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    auth.claim_handoff(ctx, signed.handoff_code)
    assert auth.resolve_session(ctx, signed.handoff_code) is None


def test_signed_out_session_resolves_to_nobody(ctx: AppContext) -> None:
    _sign_up(ctx)
    token, session_id = _signed_in_token(ctx)
    auth.sign_out(ctx, session_id)
    assert auth.resolve_session(ctx, token) is None
    assert not auth.session_is_live(ctx, session_id)


def test_revoke_by_token_signs_out_that_browser_only(ctx: AppContext) -> None:
    _sign_up(ctx)
    token_a, _ = _signed_in_token(ctx)
    token_b, _ = _signed_in_token(ctx)
    auth.revoke_by_token(ctx, token_a)
    assert auth.resolve_session(ctx, token_a) is None
    assert auth.resolve_session(ctx, token_b) is not None


def test_expired_session_resolves_to_nobody(ctx: AppContext, clock: FakeClock) -> None:
    """The absolute lifetime holds even for a session used every few days (never idle)."""
    _sign_up(ctx)
    token, _ = _signed_in_token(ctx)
    start = clock.current
    while clock.current + timedelta(days=6) < start + auth.SESSION_LIFETIME:
        clock.advance(days=6)
        assert auth.resolve_session(ctx, token) is not None
    clock.current = start + auth.SESSION_LIFETIME - timedelta(seconds=1)
    assert auth.resolve_session(ctx, token) is not None
    clock.advance(seconds=1)
    assert auth.resolve_session(ctx, token) is None


def test_an_idle_session_times_out_and_activity_keeps_it_alive(ctx: AppContext, clock: FakeClock) -> None:
    _sign_up(ctx)
    token, session_id = _signed_in_token(ctx)
    idle = ctx.session_policy.idle_timeout
    clock.advance(idle - timedelta(minutes=1))
    assert auth.session_is_live(ctx, session_id)  # activity: the idle clock restarts here
    clock.advance(idle - timedelta(minutes=1))
    assert auth.resolve_session(ctx, token) is not None
    clock.advance(idle)
    assert auth.resolve_session(ctx, token) is None
    assert not auth.session_is_live(ctx, session_id)


def test_activity_is_recorded_at_most_every_touch_interval(ctx: AppContext, clock: FakeClock,
                                                           store: FakeStore) -> None:
    _sign_up(ctx)
    token, _ = _signed_in_token(ctx)
    commits = store.commits
    for _ in range(20):
        clock.advance(seconds=10)
        assert auth.resolve_session(ctx, token) is not None
    assert store.commits == commits  # 200 s of reruns write nothing
    clock.advance(ctx.session_policy.touch_every)
    auth.resolve_session(ctx, token)
    assert store.commits == commits + 1


def test_session_lifetimes_come_from_the_context(store: FakeStore, clock: FakeClock) -> None:
    from lib.domain.accounts import SessionPolicy

    short = make_context(store, clock=clock, session_policy=SessionPolicy(max_age=timedelta(days=2),
                                                                         idle_timeout=timedelta(days=1)))
    _sign_up(short)
    token, _ = _signed_in_token(short)
    clock.advance(hours=23)
    assert auth.resolve_session(short, token) is not None
    clock.advance(hours=23)
    assert auth.resolve_session(short, token) is not None
    clock.advance(hours=2)  # 48 h after sign-in, though active an hour ago
    assert auth.resolve_session(short, token) is None


@pytest.mark.parametrize("code", ["\ud800", "ключ", "\x00", "a\udcff"])
def test_a_non_ascii_or_surrogate_handoff_code_is_an_invalid_code(ctx: AppContext, code: str) -> None:
    _sign_up(ctx)
    with pytest.raises(TokenInvalid):
        auth.claim_handoff(ctx, code)
    assert auth.resolve_session(ctx, code) is None


def test_sign_out_everywhere_revokes_every_session_of_that_account_only(ctx: AppContext) -> None:
    user = _sign_up(ctx)
    _sign_up(ctx, email="bo@example.com")
    mine = [_signed_in_token(ctx)[0] for _ in range(3)]
    theirs, _ = _signed_in_token(ctx, "bo@example.com")
    assert auth.sign_out_everywhere(ctx, user.id) == 3
    assert all(auth.resolve_session(ctx, token) is None for token in mine)
    assert auth.resolve_session(ctx, theirs) is not None
    assert auth.sign_out_everywhere(ctx, user.id) == 0


# ---- e-mail verification --------------------------------------------------------------------


def test_verify_email_once(ctx: AppContext, store: FakeStore, clock: FakeClock) -> None:
    user = _sign_up(ctx)
    token = token_from_outbox(store, "ana@example.com")
    clock.advance(hours=1)
    verified = email_links.verify_email(ctx, token)
    assert verified.id == user.id
    assert store.state.users[user.id].email_verified_at == clock()
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, token)


def test_verification_link_expires_after_48_hours(ctx: AppContext, store: FakeStore, clock: FakeClock) -> None:
    user = _sign_up(ctx)
    token = token_from_outbox(store, "ana@example.com")
    clock.advance(email_links.VERIFY_LIFETIME)
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, token)
    assert not store.state.users[user.id].is_verified


def test_resending_verification_voids_the_older_link(ctx: AppContext, store: FakeStore) -> None:
    user = _sign_up(ctx)
    old = token_from_outbox(store, "ana@example.com")
    email_links.resend_verification(ctx, user.id)
    new = token_from_outbox(store, "ana@example.com")
    assert new != old
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, old)
    email_links.verify_email(ctx, new)


def test_verified_accounts_get_no_more_verification_mail(ctx: AppContext, store: FakeStore) -> None:
    user = _sign_up(ctx, verified=True)
    assert store.outbox_messages() == []
    email_links.resend_verification(ctx, user.id)
    assert store.outbox_messages() == []


@pytest.mark.parametrize("token", ["", "made-up", None])
def test_unknown_verification_token_is_refused(ctx: AppContext, token: str | None) -> None:
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, token)  # type: ignore[arg-type]


def test_a_reset_token_cannot_verify_and_a_verify_token_cannot_reset(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx)
    verify_token = token_from_outbox(store, "ana@example.com")
    email_links.request_password_reset(ctx, "ana@example.com")
    reset_token = token_from_outbox(store, "ana@example.com")
    with pytest.raises(TokenInvalid):
        email_links.verify_email(ctx, reset_token)
    with pytest.raises(TokenInvalid):
        email_links.reset_password(ctx, verify_token, "a brand new password")


# ---- password reset -------------------------------------------------------------------------


def test_reset_request_for_an_unknown_or_malformed_email_says_and_sends_nothing(
        ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, verified=True)
    assert email_links.request_password_reset(ctx, "nobody@example.com") is None
    assert email_links.request_password_reset(ctx, "not an email") is None
    assert store.outbox_messages() == []


def test_reset_password_sets_the_new_one_and_signs_out_everywhere(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, verified=True)
    cookie, _ = _signed_in_token(ctx)
    email_links.request_password_reset(ctx, "ANA@example.com")
    [message] = store.outbox_messages()
    assert "https://cocreate.test/reset_password?token=" in message.body
    email_links.reset_password(ctx, token_from_outbox(store, "ana@example.com"), "a brand new password")
    assert auth.resolve_session(ctx, cookie) is None
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    assert auth.sign_in(ctx, email="ana@example.com", password="a brand new password")


def test_reset_token_is_single_use(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, verified=True)
    email_links.request_password_reset(ctx, "ana@example.com")
    token = token_from_outbox(store, "ana@example.com")
    email_links.reset_password(ctx, token, "a brand new password")
    with pytest.raises(TokenInvalid):
        email_links.reset_password(ctx, token, "yet another password")
    assert auth.sign_in(ctx, email="ana@example.com", password="a brand new password")


def test_reset_token_expires_after_an_hour(ctx: AppContext, store: FakeStore, clock: FakeClock) -> None:
    _sign_up(ctx, verified=True)
    email_links.request_password_reset(ctx, "ana@example.com")
    token = token_from_outbox(store, "ana@example.com")
    clock.advance(email_links.RESET_LIFETIME)
    with pytest.raises(TokenInvalid):
        email_links.reset_password(ctx, token, "a brand new password")
    assert auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)


def test_a_newer_reset_link_voids_the_older_one(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, verified=True)
    email_links.request_password_reset(ctx, "ana@example.com")
    old = token_from_outbox(store, "ana@example.com")
    email_links.request_password_reset(ctx, "ana@example.com")
    with pytest.raises(TokenInvalid):
        email_links.reset_password(ctx, old, "a brand new password")


def test_too_short_new_password_keeps_the_token_usable(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx, verified=True)
    email_links.request_password_reset(ctx, "ana@example.com")
    token = token_from_outbox(store, "ana@example.com")
    with pytest.raises(InvalidInput):
        email_links.reset_password(ctx, token, "short")
    email_links.reset_password(ctx, token, "a brand new password")


def test_reset_unlocks_a_locked_account_and_proves_the_address(ctx: AppContext, store: FakeStore) -> None:
    _sign_up(ctx)
    for _ in range(5):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            auth.sign_in(ctx, email="ana@example.com", password="wrong password!")
    email_links.request_password_reset(ctx, "ana@example.com")
    email_links.reset_password(ctx, token_from_outbox(store, "ana@example.com"), "a brand new password")
    assert auth.sign_in(ctx, email="ana@example.com", password="a brand new password")
    assert store.user_by_email("ana@example.com").is_verified


# ---- profile --------------------------------------------------------------------------------


def test_update_profile(ctx: AppContext, store: FakeStore) -> None:
    user = _sign_up(ctx)
    updated = auth.update_profile(ctx, user, display_name=" 아나 ", locale="ko")
    assert (updated.display_name, updated.locale) == ("아나", "ko")
    stored = store.state.users[user.id]
    assert (stored.display_name, stored.locale) == ("아나", "ko")


@pytest.mark.parametrize(("name", "locale", "key"), [
    ("Ana", "fr", "error.locale_unknown"),
    ("", "en", "error.display_name_required"),
    ("A" * 61, "en", "error.display_name_too_long"),
])
def test_update_profile_refuses_bad_input(ctx: AppContext, store: FakeStore, name: str, locale: str,
                                          key: str) -> None:
    user = _sign_up(ctx)
    before = store.snapshot()
    with pytest.raises(InvalidInput) as caught:
        auth.update_profile(ctx, user, display_name=name, locale=locale)
    assert caught.value.key == key
    assert store.snapshot() == before


# ---- throttles: sign-up, password reset, verification e-mails ----------------------------------


def test_reset_requests_are_throttled_with_the_same_answer_for_known_and_unknown_addresses(
        ctx: AppContext, store: FakeStore, clock: FakeClock) -> None:
    from lib.domain.accounts import RESET_THROTTLE
    from lib.domain.errors import TooManyRequests

    _sign_up(ctx)
    refusals = []
    for email in ("ana@example.com", "nobody@example.com"):
        for _ in range(RESET_THROTTLE.per_address):
            email_links.request_password_reset(ctx, email, client=f"ip-{email}")
        with pytest.raises(TooManyRequests) as caught:
            email_links.request_password_reset(ctx, email, client=f"ip-{email}")
        refusals.append((caught.value.key, caught.value.params, str(caught.value)))
    assert refusals[0] == refusals[1]  # nothing tells a registered address from an unknown one
    sent = [m for m in store.outbox_messages() if "reset_password?token=" in m.body]
    assert len(sent) == RESET_THROTTLE.per_address  # the refused request queued nothing
    clock.advance(RESET_THROTTLE.window)
    email_links.request_password_reset(ctx, "ana@example.com", client="ip-ana@example.com")  # a new window


def test_one_client_is_throttled_across_many_addresses(ctx: AppContext) -> None:
    from lib.domain.accounts import RESET_THROTTLE, SIGN_UP_THROTTLE
    from lib.domain.errors import TooManyRequests

    for n in range(SIGN_UP_THROTTLE.per_client):
        _sign_up(ctx, email=f"user{n}@example.com", client="203.0.113.9")
    with pytest.raises(TooManyRequests):
        _sign_up(ctx, email="one-more@example.com", client="203.0.113.9")
    assert _sign_up(ctx, email="one-more@example.com", client="198.51.100.1")  # another client may
    for n in range(RESET_THROTTLE.per_client):
        email_links.request_password_reset(ctx, f"someone{n}@example.com", client="203.0.113.9")
    with pytest.raises(TooManyRequests):
        email_links.request_password_reset(ctx, "someone-else@example.com", client="203.0.113.9")


def test_sign_ups_for_one_address_are_throttled_before_the_address_is_looked_up(ctx: AppContext) -> None:
    from lib.domain.accounts import SIGN_UP_THROTTLE
    from lib.domain.errors import TooManyRequests

    _sign_up(ctx)
    for _ in range(SIGN_UP_THROTTLE.per_address - 1):
        with pytest.raises(EmailAlreadyRegistered):
            _sign_up(ctx, client="x")
    with pytest.raises(TooManyRequests):  # the same refusal an unused address gets
        _sign_up(ctx, client="x")
    for _n in range(SIGN_UP_THROTTLE.per_address):
        with pytest.raises(InvalidInput):
            _sign_up(ctx, email="new@example.com", password="short")  # refused before counting
    assert _sign_up(ctx, email="new@example.com")


def test_verification_resends_are_throttled(ctx: AppContext, store: FakeStore) -> None:
    from lib.domain.accounts import VERIFY_THROTTLE
    from lib.domain.errors import TooManyRequests

    user = _sign_up(ctx)
    for _ in range(VERIFY_THROTTLE.per_address):
        email_links.resend_verification(ctx, user.id, client="x")
    before = len(store.outbox_messages())
    with pytest.raises(TooManyRequests):
        email_links.resend_verification(ctx, user.id, client="y")
    assert len(store.outbox_messages()) == before


def test_operators_creating_admins_are_not_throttled(ctx: AppContext) -> None:
    from lib.domain.accounts import SIGN_UP_THROTTLE
    from lib.services.accounts import admin

    for _ in range(SIGN_UP_THROTTLE.per_address):
        throttles.throttle(ctx, SIGN_UP_THROTTLE, "ops@example.com", None)
    assert admin.create_admin(ctx, email="ops@example.com", display_name="Ops", password=PASSWORD).id
