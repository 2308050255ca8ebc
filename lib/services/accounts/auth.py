"""Accounts: sign up, sign in and out, sessions that survive reloads, e-mail tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from lib.domain.accounts import (
    RESET_THROTTLE,
    SIGN_UP_THROTTLE,
    VERIFY_THROTTLE,
    AuthSession,
    DisplayNameReserved,
    DisplayNameTaken,
    EmailToken,
    Role,
    SessionPolicy,
    ThrottleRule,
    TokenPurpose,
    User,
    check_password,
    clean_display_name,
    is_reserved_name,
    name_key,
    normalize_email,
)
from lib.domain.errors import (
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidInput,
    TokenInvalid,
    TooManyRequests,
)
from lib.domain.permissions import can_write, require
from lib.domain.text import has_surrogates
from lib.services.context import AppContext, new_token, token_hash
from lib.services.mail import enqueue_email
from lib.services.routes import Screen, absolute
from lib.services.uow import AbstractUnitOfWork

SESSION_LIFETIME = SessionPolicy().max_age  # the default; deployments set COCREATE_SESSION_MAX_DAYS
HANDOFF_LIFETIME = timedelta(minutes=2)
VERIFY_LIFETIME = timedelta(hours=48)
RESET_LIFETIME = timedelta(hours=1)
LOCALES = ("en", "ko")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Verified against when the e-mail is unknown, so a miss costs as long as a hit.
_DUMMY_HASH_PASSWORD = "not-a-real-password-000"  # noqa: S105 - never a real account


@dataclass(frozen=True)
class SignedIn:
    """A fresh session: the page keeps user and session id, the browser gets the handoff."""

    user: User
    session_id: int
    handoff_code: str


def _referral_code(ctx: AppContext, uow: AbstractUnitOfWork) -> str:
    while True:
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        if not uow.users.referral_code_taken(code):
            return code


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def throttle(ctx: AppContext, rule: ThrottleRule, email: str, client: str | None) -> None:
    """Count one request for this address and this client; TooManyRequests past either limit.

    Runs before anything looks the address up, so a registered and an unknown address take the
    same path and get the same answer. Counted in its own transaction: a refused request that
    fails later (a taken address, a weak password) still counts."""
    now = ctx.now()
    with ctx.uow() as uow:
        allowed = uow.throttles.hit(f"{rule.action}:address:{_digest(email)}", now, rule.window,
                                    rule.per_address)
        if allowed and client is not None:
            allowed = uow.throttles.hit(f"{rule.action}:client:{_digest(client)}", now, rule.window,
                                        rule.per_client)
        if not allowed:
            raise TooManyRequests(minutes=int(rule.window.total_seconds() // 60))
        uow.commit()


def _check_name_is_free(uow: AbstractUnitOfWork, name: str, except_user_id: int | None,
                        reserved_ok: bool = False) -> None:
    """A display name may not pass for the platform's or its staff's, nor for another account's."""
    if not reserved_ok and is_reserved_name(name):
        raise DisplayNameReserved()
    key = name_key(name)
    if key and uow.users.display_name_taken(key, except_user_id):
        raise DisplayNameTaken()


def sign_up(ctx: AppContext, *, email: str, display_name: str, password: str,
            locale: str = "en", roles: set[Role] | None = None, verified: bool = False,
            client: str | None = None, throttled: bool = True, reserved_name_ok: bool = False) -> User:
    """Create an account and queue its verification e-mail (throttled per address and client;
    operators creating accounts from the command line pass throttled=False and may call their
    account "Admin": reserved_name_ok)."""
    email = normalize_email(email)
    display_name = clean_display_name(display_name)
    check_password(password)
    if not reserved_name_ok and is_reserved_name(display_name):
        raise DisplayNameReserved()  # before the slow hash
    if throttled:
        throttle(ctx, SIGN_UP_THROTTLE, email, client)
    password_hash = ctx.hasher.hash(password)
    now = ctx.now()
    with ctx.uow() as uow:
        if uow.users.get_by_email(email) is not None:
            raise EmailAlreadyRegistered()
        _check_name_is_free(uow, display_name, None, reserved_name_ok)
        user = uow.users.add(User(
            id=0, email=email, display_name=display_name, password_hash=password_hash,
            referral_code=_referral_code(ctx, uow), roles=set(roles or {Role.CONSUMER}),
            locale=locale if locale in LOCALES else "en",
            email_verified_at=now if verified else None, created_at=now,
        ))
        if not verified:
            _issue_email_token(ctx, uow, user, TokenPurpose.VERIFY_EMAIL)
        uow.commit()
    return user


def sign_in(ctx: AppContext, *, email: str, password: str) -> SignedIn:
    """Check the password (throttled per account) and open a session.

    The slow argon2 check runs outside any write transaction (on SQLite a writer holds the
    whole database), then the outcome is recorded against a fresh, locked copy of the account."""
    try:
        email = normalize_email(email)
    except InvalidInput as exc:
        raise InvalidCredentials() from exc
    if not isinstance(password, str) or has_surrogates(password):
        raise InvalidCredentials()  # it cannot be hashed, so it cannot be anyone's password
    with ctx.uow(write=False) as uow:
        seen = uow.users.get_by_email(email)
    if seen is None:
        ctx.hasher.verify(ctx.hasher.hash(_DUMMY_HASH_PASSWORD), password or "x")
        raise InvalidCredentials()
    seen.ensure_not_locked(ctx.now())
    correct = ctx.hasher.verify(seen.password_hash, password or "")
    rehashed = ctx.hasher.hash(password) if correct and ctx.hasher.needs_rehash(seen.password_hash) else None
    now = ctx.now()
    with ctx.uow() as uow:
        user = uow.users.get(seen.id)
        if user is None:
            raise InvalidCredentials()
        user.ensure_not_locked(now)
        if not correct or user.password_hash != seen.password_hash:  # wrong, or changed meanwhile
            user.record_failed_sign_in(now)
            uow.users.save(user)
            uow.commit()
            user.ensure_not_locked(now)
            raise InvalidCredentials()
        user.record_successful_sign_in()
        if rehashed:
            user.password_hash = rehashed
        uow.users.save(user)
        handoff = new_token()
        session = uow.sessions.add(AuthSession(
            id=0, user_id=user.id, created_at=now, expires_at=now + ctx.session_policy.max_age,
            handoff_hash=token_hash(handoff), handoff_expires_at=now + HANDOFF_LIFETIME, last_seen_at=now,
        ))
        uow.commit()
    return SignedIn(user=user, session_id=session.id, handoff_code=handoff)


def claim_handoff(ctx: AppContext, code: str) -> str:
    """Swap a one-time handoff code for the long-lived cookie token (once only)."""
    if not isinstance(code, str) or not code or not code.isascii():  # our codes are URL-safe ASCII
        raise TokenInvalid()
    token = new_token()
    with ctx.uow() as uow:
        session = uow.sessions.claim_handoff(token_hash(code), token_hash(token), ctx.now())
        if session is None:
            raise TokenInvalid()
        uow.commit()
    return token


def _seen(ctx: AppContext, session: AuthSession, now: datetime) -> None:
    """Record activity (at most every policy.touch_every), which keeps an active session from
    reaching the idle timeout."""
    if session.needs_touch(now, ctx.session_policy):
        with ctx.uow() as uow:
            uow.sessions.touch(session.id, now)
            uow.commit()


def resolve_session(ctx: AppContext, token: str) -> tuple[User, int] | None:
    """The user and session id behind a cookie token, if the session is live: not revoked, within
    its absolute lifetime and not idle for longer than the idle timeout."""
    if not token or not token.isascii():
        return None
    now = ctx.now()
    with ctx.uow(write=False) as uow:
        session = uow.sessions.get_by_token_hash(token_hash(token))
        if session is None or not session.is_live(now, ctx.session_policy):
            return None
        user = uow.users.get(session.user_id)
    if user is None:
        return None
    _seen(ctx, session, now)
    return user, session.id


def session_is_live(ctx: AppContext, session_id: int) -> bool:
    now = ctx.now()
    with ctx.uow(write=False) as uow:
        session = uow.sessions.get(session_id)
    if session is None or not session.is_live(now, ctx.session_policy):
        return False
    _seen(ctx, session, now)
    return True


def sign_out(ctx: AppContext, session_id: int) -> None:
    with ctx.uow() as uow:
        uow.sessions.revoke(session_id, ctx.now())
        uow.commit()


def revoke_by_token(ctx: AppContext, token: str) -> None:
    """Sign out the browser holding this cookie token."""
    with ctx.uow() as uow:
        session = uow.sessions.get_by_token_hash(token_hash(token))
        if session is not None:
            uow.sessions.revoke(session.id, ctx.now())
            uow.commit()


def sign_out_everywhere(ctx: AppContext, user_id: int) -> int:
    """Revoke every session of the account; returns how many were live."""
    with ctx.uow() as uow:
        count = uow.sessions.revoke_all(user_id, ctx.now())
        uow.commit()
    return count


def get_user(ctx: AppContext, user_id: int) -> User | None:
    with ctx.uow(write=False) as uow:
        return uow.users.get(user_id)


def update_profile(ctx: AppContext, user: User, *, display_name: str, locale: str) -> User:
    """Change one's public display name and language (a write: not while suspended). A name sent back
    as it was is kept as stored, without the checks (an account from before them must still be able to
    switch its language)."""
    require(can_write, user)
    name = None if display_name == user.display_name else clean_display_name(display_name)
    if locale not in LOCALES:
        raise InvalidInput("error.locale_unknown")
    with ctx.uow() as uow:
        fresh = uow.users.get(user.id)
        if fresh is None:
            raise InvalidCredentials()
        require(can_write, fresh)  # suspended since this page was drawn
        if name is not None:
            if name_key(name) != name_key(fresh.display_name):
                _check_name_is_free(uow, name, fresh.id)
            fresh.display_name = name
        fresh.locale = locale
        uow.users.save(fresh)
        uow.commit()
    return fresh


def _issue_email_token(ctx: AppContext, uow: AbstractUnitOfWork, user: User, purpose: TokenPurpose) -> None:
    now = ctx.now()
    uow.email_tokens.expire_all(user.id, purpose, now)
    raw = new_token()
    lifetime = VERIFY_LIFETIME if purpose is TokenPurpose.VERIFY_EMAIL else RESET_LIFETIME
    uow.email_tokens.add(EmailToken(id=0, user_id=user.id, purpose=purpose,
                                    token_hash=token_hash(raw), expires_at=now + lifetime))
    screen = Screen.VERIFY_EMAIL if purpose is TokenPurpose.VERIFY_EMAIL else Screen.RESET_PASSWORD
    enqueue_email(ctx, uow, user, f"email.{purpose.value}", link=absolute(ctx.base_url, screen, token=raw))


def resend_verification(ctx: AppContext, user_id: int, client: str | None = None) -> None:
    """Send a fresh verification link (throttled per address and client)."""
    with ctx.uow(write=False) as uow:
        seen = uow.users.get(user_id)
    if seen is None or seen.is_verified:
        return
    throttle(ctx, VERIFY_THROTTLE, seen.email, client)
    with ctx.uow() as uow:
        user = uow.users.get(user_id)
        if user is None or user.is_verified:
            return
        _issue_email_token(ctx, uow, user, TokenPurpose.VERIFY_EMAIL)
        uow.commit()


def _consume(uow: AbstractUnitOfWork, raw: str, purpose: TokenPurpose, now: datetime) -> User:
    if not isinstance(raw, str) or not raw.isascii():  # our tokens are URL-safe ASCII
        raise TokenInvalid()
    token = uow.email_tokens.get_by_hash(token_hash(raw))
    if token is None or token.purpose is not purpose or not token.usable(now):
        raise TokenInvalid()
    if not uow.email_tokens.use(token.id, now):
        raise TokenInvalid()
    user = uow.users.get(token.user_id)
    if user is None:
        raise TokenInvalid()
    return user


def verify_email(ctx: AppContext, token: str) -> User:
    now = ctx.now()
    with ctx.uow() as uow:
        user = _consume(uow, token, TokenPurpose.VERIFY_EMAIL, now)
        user.email_verified_at = user.email_verified_at or now
        uow.users.save(user)
        uow.commit()
    return user


def request_password_reset(ctx: AppContext, email: str, client: str | None = None) -> None:
    """Queue a reset link; says nothing about whether the account exists. Throttled per address
    and per client before the address is looked up, so the refusal is the same for both."""
    try:
        email = normalize_email(email)
    except InvalidInput:
        return
    throttle(ctx, RESET_THROTTLE, email, client)
    with ctx.uow() as uow:
        user = uow.users.get_by_email(email)
        if user is None:
            return
        _issue_email_token(ctx, uow, user, TokenPurpose.RESET_PASSWORD)
        uow.commit()


def reset_password(ctx: AppContext, token: str, new_password: str) -> User:
    """Set a new password from a reset link; every existing session is signed out."""
    check_password(new_password)
    password_hash = ctx.hasher.hash(new_password)
    now = ctx.now()
    with ctx.uow() as uow:
        user = _consume(uow, token, TokenPurpose.RESET_PASSWORD, now)
        user.password_hash = password_hash
        user.record_successful_sign_in()
        user.email_verified_at = user.email_verified_at or now  # the link proved the address
        uow.users.save(user)
        uow.sessions.revoke_all(user.id, now)
        uow.commit()
    return user
