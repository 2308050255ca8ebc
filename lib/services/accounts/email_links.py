"""Links we e-mail: address verification and password reset, each a single-use token."""

from __future__ import annotations

from datetime import datetime, timedelta

from lib.domain.accounts import (
    RESET_THROTTLE,
    VERIFY_THROTTLE,
    EmailToken,
    TokenPurpose,
    User,
    check_password,
    normalize_email,
)
from lib.domain.errors import InvalidInput, TokenInvalid
from lib.services.accounts.throttles import throttle
from lib.services.context import AppContext, new_token, token_hash
from lib.services.messaging.mail import enqueue_email
from lib.services.routes import Screen, absolute
from lib.services.uow import AbstractUnitOfWork

VERIFY_LIFETIME = timedelta(hours=48)
RESET_LIFETIME = timedelta(hours=1)


def issue_email_token(ctx: AppContext, uow: AbstractUnitOfWork, user: User, purpose: TokenPurpose) -> None:
    """A fresh single-use link of this purpose (earlier ones stop working), e-mailed in this transaction."""
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
        issue_email_token(ctx, uow, user, TokenPurpose.VERIFY_EMAIL)
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
        issue_email_token(ctx, uow, user, TokenPurpose.RESET_PASSWORD)
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
