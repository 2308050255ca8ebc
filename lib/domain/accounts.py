"""Accounts: users, roles, validation of what people type, and sign-in throttling."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import available_timezones

from lib.domain.errors import AccountLocked, InvalidInput
from lib.domain.text import CONTROL_KEY, INVISIBLE, LINE_BREAK_KEY, TextKind, UnsafeText, clean_text, has_surrogates


class Role(StrEnum):
    CONSUMER = "consumer"
    MAKER = "maker"
    MODERATOR = "moderator"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME = 60
MAX_EMAIL = 254
LOCK_AFTER_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)

# Deliberately simple: one @, a dot in the domain, no spaces or control characters.
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s.\x00-\x1f\x7f]+$")


def normalize_email(raw: str) -> str:
    email = clean_text(raw, TextKind.EMAIL, max_length=MAX_EMAIL, required="error.email_required",
                       too_long="error.email_malformed", refused="error.email_malformed").lower()
    if not _EMAIL.match(email):
        raise InvalidInput("error.email_malformed")
    return email


def clean_display_name(raw: str) -> str:
    """Trim and validate; markup is kept as plain text and escaped on display."""
    try:
        return clean_text(raw, TextKind.DISPLAY_NAME, max_length=MAX_DISPLAY_NAME,
                          required="error.display_name_required", too_long="error.display_name_too_long")
    except UnsafeText as exc:
        if exc.key in (CONTROL_KEY, LINE_BREAK_KEY):
            raise UnsafeText("error.display_name_control") from None
        raise


# ---- names that impersonate ------------------------------------------------------------------

# Names only the platform and its staff go by, in English and Korean (Cocreate, administrator,
# operator, moderator, staff, customer support). Refused alone or strung together, also with
# words that only decorate them ("Cocreate Team", "Official Support").
RESERVED_NAMES = ("cocreate", "admin", "administrator", "moderator", "staff", "support",
                  "코크리에이트", "관리자", "운영자", "운영진", "운영팀", "모더레이터", "스태프",
                  "고객지원", "고객센터")
DECORATIONS = ("team", "official", "the", "팀", "공식")
# Look-alikes from Unicode's confusables (UTS #39): Cyrillic and Greek letters that pass for Latin
# ones. Capitals are mapped before case folding (Greek capital eta passes for H, its small form
# for n), small letters after it.
_CAPITAL_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХУІЈЅԚԜҮҺӀΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEKMHOPCTXYIJSQWYHIABEZHIKMNOPTYX",
)
_SMALL_LOOKALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y", "ё": "ë", "ї": "ï",
    "α": "a", "ο": "o", "ρ": "p", "ι": "i", "ν": "v", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    "ı": "i", "ɑ": "a", "ɡ": "g",
    # I, l and 1 (and O and 0) cannot be told apart in many fonts; case folding already equates
    # I with i, so all of them become one letter.
    "l": "i", "1": "i", "0": "o",
})


def name_key(name: str) -> str:
    """The form in which two display names are compared: compatibility-normalised (NFKC: full-width
    and mathematical letters are letters), look-alikes mapped to Latin, case-folded, with only
    letters, marks, digits and symbols kept (no spaces, punctuation or invisible characters)."""
    text = unicodedata.normalize("NFKC", name or "").translate(_CAPITAL_LOOKALIKES).casefold()
    text = unicodedata.normalize("NFKC", text).translate(_SMALL_LOOKALIKES)
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMNS" and ch not in INVISIBLE)
    return kept.replace("rn", "m")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(sorted({re.escape(name_key(w)) for w in words}, key=len, reverse=True))


_RESERVED = re.compile(f"(?:{_alternatives(RESERVED_NAMES)}|{_alternatives(DECORATIONS)})+")
_DECORATION_ONLY = re.compile(f"(?:{_alternatives(DECORATIONS)})+")


def is_reserved_name(name: str) -> bool:
    """True when the name reads as the platform's or its staff's (alone, strung together, decorated)."""
    key = name_key(name)
    return bool(_RESERVED.fullmatch(key)) and not _DECORATION_ONLY.fullmatch(key)


class DisplayNameReserved(InvalidInput):
    def __init__(self) -> None:
        super().__init__("error.display_name_reserved")


class DisplayNameTaken(InvalidInput):
    def __init__(self) -> None:
        super().__init__("error.display_name_taken")


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones an account may choose (area/city names, sorted), read once per process."""
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return (*zones, "UTC")


def clean_time_zone(raw: str | None) -> str | None:
    """A time zone as stored on an account: a known IANA name, or None (the browser's, then UTC)."""
    if raw is None or raw == "":
        return None
    if raw not in time_zones():
        raise InvalidInput("error.time_zone_unknown")
    return raw


def check_password(password: str) -> str:
    """A new password: long enough, not too long, encodable (it is hashed as UTF-8); never changed."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("error.password_too_short", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("error.password_too_long", max=MAX_PASSWORD_LENGTH)
    if has_surrogates(password):
        raise UnsafeText("error.text_surrogate")
    return password


@dataclass
class User:
    id: int  # 0 until stored
    email: str
    display_name: str
    password_hash: str
    referral_code: str
    roles: set[Role] = field(default_factory=lambda: {Role.CONSUMER})
    status: AccountStatus = AccountStatus.ACTIVE
    locale: str = "en"
    time_zone: str | None = None  # an IANA name chosen on My account; None: the browser's, then UTC
    email_verified_at: datetime | None = None
    failed_sign_ins: int = 0
    first_failed_at: datetime | None = None
    locked_until: datetime | None = None
    created_at: datetime | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_suspended(self) -> bool:
        return self.status is AccountStatus.SUSPENDED

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def ensure_not_locked(self, now: datetime) -> None:
        if self.locked_until is not None and now < self.locked_until:
            minutes = max(1, math.ceil((self.locked_until - now).total_seconds() / 60))
            raise AccountLocked(count=minutes)

    def record_failed_sign_in(self, now: datetime) -> bool:
        """Count a failure; returns True when this failure locks the account."""
        if self.first_failed_at is None or now - self.first_failed_at > FAILURE_WINDOW:
            self.failed_sign_ins, self.first_failed_at = 0, now
        self.failed_sign_ins += 1
        if self.failed_sign_ins >= LOCK_AFTER_FAILURES:
            self.locked_until = now + LOCK_DURATION
            self.failed_sign_ins, self.first_failed_at = 0, None
            return True
        return False

    def record_successful_sign_in(self) -> None:
        self.failed_sign_ins, self.first_failed_at, self.locked_until = 0, None, None


@dataclass
class AuthSession:
    """A signed-in browser: the cookie holds a token whose hash is stored here."""

    id: int  # 0 until stored
    user_id: int
    created_at: datetime
    expires_at: datetime
    token_hash: str | None = None
    handoff_hash: str | None = None
    handoff_expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None

    def is_live(self, now: datetime, policy: SessionPolicy | None = None) -> bool:
        """Not revoked, not past its expiry and, under a policy, neither older than the absolute
        lifetime nor idle for longer than the idle timeout."""
        if self.revoked_at is not None or now >= self.expires_at:
            return False
        if policy is None:
            return True
        return (now < self.created_at + policy.max_age
                and now < (self.last_seen_at or self.created_at) + policy.idle_timeout)

    def needs_touch(self, now: datetime, policy: SessionPolicy) -> bool:
        """Whether to record activity now: at most every `policy.touch_every`, so a busy tab does
        not write on every rerun while an active visitor is never timed out as idle."""
        return now - (self.last_seen_at or self.created_at) >= policy.touch_every


@dataclass(frozen=True)
class SessionPolicy:
    """How long a sign-in lasts: an absolute lifetime and an idle timeout."""

    max_age: timedelta = timedelta(days=30)
    idle_timeout: timedelta = timedelta(days=7)

    @property
    def touch_every(self) -> timedelta:
        return min(timedelta(hours=1), self.idle_timeout / 24)


@dataclass(frozen=True)
class ThrottleRule:
    """At most `per_address` requests for one e-mail address and `per_client` from one client
    (an IP address) within `window`."""

    action: str
    per_address: int
    per_client: int
    window: timedelta


SIGN_UP_THROTTLE = ThrottleRule("sign_up", per_address=3, per_client=20, window=timedelta(hours=1))
RESET_THROTTLE = ThrottleRule("password_reset", per_address=3, per_client=20, window=timedelta(hours=1))
VERIFY_THROTTLE = ThrottleRule("verify_resend", per_address=3, per_client=10, window=timedelta(hours=1))


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a password


@dataclass
class EmailToken:
    id: int  # 0 until stored
    user_id: int
    purpose: TokenPurpose
    token_hash: str
    expires_at: datetime
    used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at
