"""Named domain errors. Each carries a message key the UI translates."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """Base of every error a user can cause; `key` names its translated message."""

    key = "error.generic"

    def __init__(self, message: str = "", **params: object) -> None:
        super().__init__(message or self.key)
        self.params = params


class InvalidInput(DomainError):
    key = "error.invalid_input"

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, **params)
        self.key = key


class InvalidFields(InvalidInput):
    """A form's fields refused at once: `problems` names each refused field's own error. Its own key
    and params are the first problem's, so a screen that shows one message still says something true."""

    def __init__(self, problems: dict[str, InvalidInput]) -> None:
        first = next(iter(problems.values()))
        super().__init__(first.key, **first.params)
        self.problems = dict(problems)


class EmailAlreadyRegistered(DomainError):
    key = "error.email_taken"


class ReasonTemplateExists(DomainError):
    """Another moderation reason template already has this title (titles are unique)."""

    key = "error.template_title_taken"


class InvalidCredentials(DomainError):
    key = "error.invalid_credentials"


class AccountLocked(DomainError):
    key = "error.account_locked"


class TooManyRequests(DomainError):
    """A throttled request (sign-up, password reset, verification e-mail); says nothing about
    whether the address has an account."""

    key = "error.too_many_requests"


class AccountSuspended(DomainError):
    key = "error.account_suspended"


class PermissionDenied(DomainError):
    key = "error.permission_denied"


class NotSignedIn(PermissionDenied):
    key = "error.not_signed_in"


class NotFound(DomainError):
    key = "error.not_found"


def found(value: T | None) -> T:
    """What a lookup returned, or NotFound when it found nothing."""
    if value is None:
        raise NotFound()
    return value


class TokenInvalid(DomainError):
    key = "error.token_invalid"


class RequestInProgress(DomainError):
    """The same form was sent again while the first submission is still being handled."""

    key = "error.request_in_progress"
