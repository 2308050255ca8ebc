"""What people type (e-mail, display name, password) and sign-in throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.domain.accounts import (
    FAILURE_WINDOW,
    LOCK_AFTER_FAILURES,
    LOCK_DURATION,
    MAX_DISPLAY_NAME,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AuthSession,
    EmailToken,
    TokenPurpose,
    User,
    check_password,
    clean_display_name,
    normalize_email,
)
from lib.domain.errors import AccountLocked, InvalidInput
from tests.unit.fakes import START


def test_the_throttle_is_five_failures_in_fifteen_minutes_for_fifteen_minutes() -> None:
    assert LOCK_AFTER_FAILURES == 5
    assert FAILURE_WINDOW == LOCK_DURATION == timedelta(minutes=15)


# ---- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("Alice@Example.COM", "alice@example.com"),
    ("  bob@example.org \n", "bob@example.org"),
    ("first.last+tag@sub.example.co.kr", "first.last+tag@sub.example.co.kr"),
])
def test_email_is_trimmed_and_lower_cased(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_missing_email_is_required(raw: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_email(raw)  # type: ignore[arg-type]
    assert caught.value.key == "error.email_required"


@pytest.mark.parametrize("raw", [
    "plainaddress", "@example.com", "alice@", "alice@example", "alice@@example.com",
    "al ice@example.com", "alice@exa mple.com", "alice@example.", "alice@example.com\x00",
    "alice\t@example.com", "a@b@c.com", "alice@.", "ali\x01ce@example.com", "alice@exam\x7fple.com",
    "a" * 250 + "@example.com",
])
def test_malformed_email_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_email(raw)
    assert caught.value.key == "error.email_malformed"


def test_longest_allowed_email_passes_and_one_more_fails() -> None:
    local = "a" * (254 - len("@example.com"))
    assert normalize_email(f"{local}@example.com") == f"{local}@example.com"
    with pytest.raises(InvalidInput):
        normalize_email(f"{local}a@example.com")


# ---- display name ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "김민지", "Zoë 🦊", "מרים כהן", "مريم", "山田 太郎", "O'Brien-Smith", "x",
])
def test_any_script_or_emoji_is_a_fine_name(name: str) -> None:
    assert clean_display_name(name) == name


def test_name_is_trimmed_and_nfc_normalised() -> None:
    decomposed = "  Zoe\u0308  "  # e + combining diaeresis
    assert clean_display_name(decomposed) == "Zo\u00eb"


def test_markup_in_a_name_is_kept_as_text_not_stripped_or_refused() -> None:
    name = '<img src=x onerror="alert(1)">'
    assert clean_display_name(name) == name


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", None])
def test_empty_name_is_refused(raw: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_display_name(raw)  # type: ignore[arg-type]
    assert caught.value.key == "error.display_name_required"


def test_overlong_name_is_refused_with_the_limit() -> None:
    assert clean_display_name("가" * MAX_DISPLAY_NAME) == "가" * MAX_DISPLAY_NAME
    with pytest.raises(InvalidInput) as caught:
        clean_display_name("가" * (MAX_DISPLAY_NAME + 1))
    assert caught.value.key == "error.display_name_too_long"
    assert caught.value.params == {"max": MAX_DISPLAY_NAME}


@pytest.mark.parametrize("name", ["Bob\x00", "Bo\nb", "Bo\x1bb", "A\x7fB", "tab\there", "bell\x07"])
def test_control_characters_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_display_name(name)
    assert caught.value.key == "error.display_name_control"


# ---- password -------------------------------------------------------------------------------


def test_password_length_bounds() -> None:
    assert check_password("p" * MIN_PASSWORD_LENGTH) == "p" * MIN_PASSWORD_LENGTH
    assert check_password("p" * MAX_PASSWORD_LENGTH)
    with pytest.raises(InvalidInput) as short:
        check_password("p" * (MIN_PASSWORD_LENGTH - 1))
    assert short.value.key == "error.password_too_short"
    assert short.value.params == {"min": MIN_PASSWORD_LENGTH}
    with pytest.raises(InvalidInput) as long:
        check_password("p" * (MAX_PASSWORD_LENGTH + 1))
    assert long.value.key == "error.password_too_long"


@pytest.mark.parametrize("raw", ["", None])
def test_empty_password_is_too_short(raw: str | None) -> None:
    with pytest.raises(InvalidInput):
        check_password(raw)  # type: ignore[arg-type]


def test_password_is_not_trimmed_or_changed() -> None:
    assert check_password("  spaces count  ") == "  spaces count  "


# ---- throttle -------------------------------------------------------------------------------


def _user() -> User:
    return User(id=1, email="a@example.com", display_name="A", password_hash="h", referral_code="C")


def test_four_failures_do_not_lock() -> None:
    user = _user()
    for i in range(LOCK_AFTER_FAILURES - 1):
        assert user.record_failed_sign_in(START + timedelta(minutes=i)) is False
    user.ensure_not_locked(START + timedelta(minutes=4))
    assert user.locked_until is None


def test_fifth_failure_locks_for_fifteen_minutes() -> None:
    user = _user()
    locks = [user.record_failed_sign_in(START + timedelta(minutes=i)) for i in range(5)]
    assert locks == [False, False, False, False, True]
    fifth = START + timedelta(minutes=4)
    assert user.locked_until == fifth + LOCK_DURATION
    with pytest.raises(AccountLocked) as caught:
        user.ensure_not_locked(fifth)
    assert caught.value.params["count"] == 15
    with pytest.raises(AccountLocked) as caught:
        user.ensure_not_locked(fifth + LOCK_DURATION - timedelta(seconds=1))
    assert caught.value.params["count"] == 1


def test_lock_expires_after_fifteen_minutes() -> None:
    user = _user()
    for _ in range(5):
        user.record_failed_sign_in(START)
    user.ensure_not_locked(START + LOCK_DURATION)  # does not raise


def test_failures_older_than_the_window_start_a_new_count() -> None:
    user = _user()
    for _ in range(4):
        user.record_failed_sign_in(START)
    later = START + FAILURE_WINDOW + timedelta(seconds=1)
    assert user.record_failed_sign_in(later) is False
    assert user.failed_sign_ins == 1
    for i in range(3):
        assert user.record_failed_sign_in(later + timedelta(minutes=i)) is False
    assert user.record_failed_sign_in(later + timedelta(minutes=3)) is True


def test_failures_spread_inside_the_window_still_lock() -> None:
    user = _user()
    times = [START + timedelta(minutes=m) for m in (0, 4, 8, 12, 15)]
    assert [user.record_failed_sign_in(t) for t in times][-1] is True


def test_success_clears_the_count() -> None:
    user = _user()
    for _ in range(4):
        user.record_failed_sign_in(START)
    user.record_successful_sign_in()
    assert user.record_failed_sign_in(START) is False
    assert user.failed_sign_ins == 1


# ---- sessions and tokens --------------------------------------------------------------------


def test_session_is_live_until_revoked_or_expired() -> None:
    session = AuthSession(id=1, user_id=1, created_at=START, expires_at=START + timedelta(days=30))
    assert session.is_live(START)
    assert not session.is_live(START + timedelta(days=30))
    session.revoked_at = START
    assert not session.is_live(START + timedelta(seconds=1))


def test_email_token_is_usable_once_and_until_expiry() -> None:
    token = EmailToken(id=1, user_id=1, purpose=TokenPurpose.VERIFY_EMAIL, token_hash="h",
                       expires_at=START + timedelta(hours=1))
    assert token.usable(START)
    assert not token.usable(START + timedelta(hours=1))
    token.used_at = START
    assert not token.usable(START)
