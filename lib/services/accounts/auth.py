"""Accounts: sign up, sign in and out, sessions that survive reloads, the profile.

E-mailed links (verification, password reset) live in email_links.py, throttles in throttles.py."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from lib.domain.accounts import (
    SIGN_UP_THROTTLE,
    AuthSession,
    DisplayNameReserved,
    DisplayNameTaken,
    Role,
    SessionPolicy,
    TokenPurpose,
    User,
    check_password,
    clean_display_name,
    clean_time_zone,
    is_reserved_name,
    name_key,
    normalize_email,
)
from lib.domain.errors import (
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidInput,
    TokenInvalid,
)
from lib.domain.permissions import can_write, require
from lib.domain.text import has_surrogates
from lib.services.accounts.email_links import issue_email_token
from lib.services.accounts.throttles import throttle
from lib.services.context import AppContext, new_token, token_hash
from lib.services.uow import AbstractUnitOfWork

SESSION_LIFETIME = SessionPolicy().max_age  # the default; deployments set COCREATE_SESSION_MAX_DAYS
HANDOFF_LIFETIME = timedelta(minutes=2)
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
            issue_email_token(ctx, uow, user, TokenPurpose.VERIFY_EMAIL)
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


def update_profile(ctx: AppContext, user: User, *, display_name: str, locale: str,
                   time_zone: str | None = None) -> User:
    """Change one's public display name, language and time zone ("": the browser's; None: as it was) (a
    write: not while suspended). A name sent back
    as it was is kept as stored, without the checks (an account from before them must still be able to
    switch its language)."""
    require(can_write, user)
    name = None if display_name == user.display_name else clean_display_name(display_name)
    if locale not in LOCALES:
        raise InvalidInput("error.locale_unknown")
    zone = clean_time_zone(time_zone) if time_zone is not None else None
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
        if time_zone is not None:
            fresh.time_zone = zone
        uow.users.save(fresh)
        uow.commit()
    return fresh
