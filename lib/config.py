"""One Settings object, read from the environment first, then .streamlit/secrets.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV_COOKIE_SECRET = "dev-only-cookie-secret-change-me-in-production"  # noqa: S105 - refused when demo mode is off
MIN_SECRET_LENGTH = 32
STRIPE_JS_URL = "https://js.stripe.com/v3/"
DEFAULT_BASE_URL = "http://localhost:8501"


class ConfigError(RuntimeError):
    """A setting is missing, malformed or insecure; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    demo_mode: bool
    cookie_secret: str
    currency: str
    base_url: str
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str
    smtp_starttls: bool
    run_jobs_in_app: bool
    # Payments: without a secret key the local test-mode gateway is used.
    stripe_secret_key: str | None = None
    stripe_publishable_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None  # only to point the gateway at localstripe in tests
    stripe_js_url: str = STRIPE_JS_URL
    # Sign-in sessions: an absolute lifetime and an idle timeout, enforced when a session is resolved.
    session_max_days: int = 30
    session_idle_days: int = 7
    # Whether COCREATE_DEMO was set at all: a production-looking deployment must say so (bootstrap).
    demo_explicit: bool = True
    # Whether COCREATE_BASE_URL was set: then every link uses it; otherwise pages use the request's host.
    base_url_explicit: bool = False

    @property
    def is_embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cookie_secure(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def looks_like_production(self) -> bool:
        """An https base URL or a PostgreSQL database: not the embedded local default."""
        return self.cookie_secure or self.database_url.startswith(("postgres", "postgresql"))

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images"


def _secrets_file(root: Path) -> Mapping[str, Any]:
    path = root / ".streamlit" / "secrets.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _days(value: Any, name: str) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 3650:
        raise ConfigError(f"{name} must be a whole number of days from 1 to 3650, not {value!r}")
    return int(text)


def load_settings(env: Mapping[str, str] | None = None, root: Path = ROOT,
                  secrets: Mapping[str, Any] | None = None) -> Settings:
    """Read and check every setting; raises ConfigError with a fix-it message."""
    env = os.environ if env is None else env
    file = _secrets_file(root) if secrets is None else secrets

    def get(name: str, default: Any = None) -> Any:
        key = name.lower()
        if name in env:
            return env[name]
        return file.get(key, file.get(name, default))

    data_dir = Path(get("COCREATE_DATA_DIR", root / "data"))
    url = get("DATABASE_URL") or f"sqlite:///{data_dir / 'cocreate.db'}"
    demo_setting = get("COCREATE_DEMO")
    demo = _bool(True if demo_setting is None else demo_setting, "COCREATE_DEMO")
    secret = str(get("COCREATE_COOKIE_SECRET", DEV_COOKIE_SECRET))
    currency = str(get("COCREATE_CURRENCY", "USD")).upper()
    try:
        smtp_port = int(get("SMTP_PORT", 587))
    except ValueError as exc:
        raise ConfigError("SMTP_PORT must be a number") from exc
    max_days = _days(get("COCREATE_SESSION_MAX_DAYS", 30), "COCREATE_SESSION_MAX_DAYS")
    idle_days = _days(get("COCREATE_SESSION_IDLE_DAYS", 7), "COCREATE_SESSION_IDLE_DAYS")
    if idle_days > max_days:
        raise ConfigError("COCREATE_SESSION_IDLE_DAYS must not exceed COCREATE_SESSION_MAX_DAYS")
    settings = Settings(
        database_url=str(url), data_dir=data_dir, demo_mode=demo, cookie_secret=secret,
        currency=currency, base_url=str(get("COCREATE_BASE_URL") or DEFAULT_BASE_URL),
        base_url_explicit=bool(get("COCREATE_BASE_URL")),
        smtp_host=get("SMTP_HOST") or None, smtp_port=smtp_port, smtp_user=get("SMTP_USER") or None,
        smtp_password=get("SMTP_PASSWORD") or None,
        smtp_from=str(get("SMTP_FROM", "Cocreate <no-reply@localhost>")),
        smtp_starttls=_bool(get("SMTP_STARTTLS", True), "SMTP_STARTTLS"),
        run_jobs_in_app=_bool(get("COCREATE_RUN_JOBS_IN_APP", True), "COCREATE_RUN_JOBS_IN_APP"),
        stripe_secret_key=get("STRIPE_SECRET_KEY") or None,
        stripe_publishable_key=get("STRIPE_PUBLISHABLE_KEY") or None,
        stripe_webhook_secret=get("STRIPE_WEBHOOK_SECRET") or None,
        stripe_api_base=get("STRIPE_API_BASE") or None,
        stripe_js_url=str(get("STRIPE_JS_URL") or STRIPE_JS_URL),
        session_max_days=max_days, session_idle_days=idle_days, demo_explicit=demo_setting is not None,
    )
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Refuse insecure or broken production settings at start-up."""
    from lib.domain.money import MINOR_UNIT_EXPONENT

    if settings.currency not in MINOR_UNIT_EXPONENT:
        raise ConfigError(f"COCREATE_CURRENCY {settings.currency!r} is not supported "
                          f"(choose one of {', '.join(sorted(MINOR_UNIT_EXPONENT))})")
    if not settings.demo_mode:
        if settings.cookie_secret == DEV_COOKIE_SECRET or len(settings.cookie_secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "COCREATE_COOKIE_SECRET must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters when demo mode is off "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        if not settings.base_url.startswith(("http://", "https://")):
            raise ConfigError("COCREATE_BASE_URL must start with http:// or https://")
        if settings.stripe_secret_key and not settings.stripe_webhook_secret:
            raise ConfigError("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is (the signing secret "
                              "whsec_... of the endpoint <base url>/webhooks/stripe in the Stripe dashboard)")
        if settings.stripe_secret_key and not settings.stripe_publishable_key:
            raise ConfigError("STRIPE_PUBLISHABLE_KEY must be set when STRIPE_SECRET_KEY is "
                              "(the browser needs it to save cards with Stripe.js)")
