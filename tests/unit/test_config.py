"""Settings: defaults that run locally, and a hard, helpful failure for insecure production."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.config import DEV_COOKIE_SECRET, MIN_SECRET_LENGTH, ConfigError, Settings, load_settings

GOOD_SECRET = "k" * MIN_SECRET_LENGTH


def _load(tmp_path: Path, env: dict[str, str] | None = None, secrets_toml: str | None = None) -> Settings:
    if secrets_toml is not None:
        (tmp_path / ".streamlit").mkdir(exist_ok=True)
        (tmp_path / ".streamlit" / "secrets.toml").write_text(secrets_toml, encoding="utf-8")
    return load_settings(env=env or {}, root=tmp_path)


def test_defaults_run_locally(tmp_path: Path) -> None:
    settings = _load(tmp_path)
    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'cocreate.db'}"
    assert settings.is_embedded
    assert settings.demo_mode is True
    assert settings.cookie_secret == DEV_COOKIE_SECRET
    assert settings.currency == "USD"
    assert settings.base_url == "http://localhost:8501"
    assert not settings.cookie_secure
    assert settings.smtp_host is None and settings.smtp_port == 587
    assert settings.images_dir == tmp_path / "data" / "images"


def test_the_committed_example_secrets_file_loads(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"
    settings = _load(tmp_path, secrets_toml=example.read_text(encoding="utf-8"))
    assert settings.demo_mode is True


def test_data_dir_moves_the_sqlite_file(tmp_path: Path) -> None:
    settings = _load(tmp_path, {"COCREATE_DATA_DIR": str(tmp_path / "elsewhere")})
    assert settings.database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'cocreate.db'}"


@pytest.mark.parametrize("secret", [None, DEV_COOKIE_SECRET, "k" * (MIN_SECRET_LENGTH - 1), ""])
def test_production_refuses_a_default_or_short_cookie_secret(tmp_path: Path, secret: str | None) -> None:
    env = {"COCREATE_DEMO": "false"}
    if secret is not None:
        env["COCREATE_COOKIE_SECRET"] = secret
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, env)
    message = str(caught.value)
    assert "COCREATE_COOKIE_SECRET" in message
    assert str(MIN_SECRET_LENGTH) in message
    assert "secrets.token_urlsafe" in message  # tells you how to make one


def test_production_with_a_long_secret_starts(tmp_path: Path) -> None:
    settings = _load(tmp_path, {"COCREATE_DEMO": "0", "COCREATE_COOKIE_SECRET": GOOD_SECRET,
                                "COCREATE_BASE_URL": "https://cocreate.example.com"})
    assert settings.demo_mode is False
    assert settings.cookie_secure


def test_production_refuses_a_base_url_without_a_scheme(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="COCREATE_BASE_URL"):
        _load(tmp_path, {"COCREATE_DEMO": "off", "COCREATE_COOKIE_SECRET": GOOD_SECRET,
                         "COCREATE_BASE_URL": "cocreate.example.com"})


@pytest.mark.parametrize("currency", ["XYZ", "BTC", "won", ""])
def test_unsupported_currency_is_refused_with_the_choices(tmp_path: Path, currency: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, {"COCREATE_CURRENCY": currency})
    assert "COCREATE_CURRENCY" in str(caught.value)
    assert "KRW" in str(caught.value) and "USD" in str(caught.value)


def test_currency_is_case_insensitive(tmp_path: Path) -> None:
    assert _load(tmp_path, {"COCREATE_CURRENCY": "krw"}).currency == "KRW"


@pytest.mark.parametrize(("name", "value"), [
    ("COCREATE_DEMO", "maybe"), ("COCREATE_DEMO", "2"), ("SMTP_STARTTLS", "sure"),
    ("COCREATE_RUN_JOBS_IN_APP", "nope"),
])
def test_bad_boolean_is_refused_by_name(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, {name: value})
    assert name in str(caught.value) and value in str(caught.value)


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("true", True), ("YES", True), (" on ", True),
    ("0", False), ("False", False), ("no", False), ("off", False), ("", False),
])
def test_boolean_spellings(tmp_path: Path, value: str, expected: bool) -> None:
    assert _load(tmp_path, {"COCREATE_RUN_JOBS_IN_APP": value}).run_jobs_in_app is expected


def test_bad_smtp_port_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SMTP_PORT"):
        _load(tmp_path, {"SMTP_PORT": "twenty-five"})


def test_secrets_file_is_read(tmp_path: Path) -> None:
    settings = _load(tmp_path, secrets_toml='cocreate_currency = "KRW"\ncocreate_demo = false\n'
                                            f'cocreate_cookie_secret = "{GOOD_SECRET}"\nsmtp_port = 2525\n')
    assert (settings.currency, settings.demo_mode, settings.smtp_port) == ("KRW", False, 2525)


def test_environment_overrides_the_secrets_file(tmp_path: Path) -> None:
    toml = ('cocreate_currency = "KRW"\ndatabase_url = "postgresql://file/db"\n'
            'cocreate_base_url = "https://from-file.example"\n')
    settings = _load(tmp_path, {"COCREATE_CURRENCY": "USD", "DATABASE_URL": "postgresql://env/db"}, toml)
    assert settings.currency == "USD"
    assert settings.database_url == "postgresql://env/db"
    assert not settings.is_embedded
    assert settings.base_url == "https://from-file.example"  # not overridden, so the file's value


def test_an_insecure_secrets_file_fails_just_like_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="COCREATE_COOKIE_SECRET"):
        _load(tmp_path, secrets_toml="cocreate_demo = false\n")


def test_broken_secrets_file_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"secrets\.toml"):
        _load(tmp_path, secrets_toml="this is = = not toml")


def test_explicit_secrets_mapping_skips_the_file(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("not toml at all = =", encoding="utf-8")
    settings = load_settings(env={}, root=tmp_path, secrets={"cocreate_currency": "KRW"})
    assert settings.currency == "KRW"


def test_session_lifetimes_default_to_30_days_and_7_idle(tmp_path: Path) -> None:
    settings = _load(tmp_path)
    assert (settings.session_max_days, settings.session_idle_days) == (30, 7)
    settings = _load(tmp_path, {"COCREATE_SESSION_MAX_DAYS": "14", "COCREATE_SESSION_IDLE_DAYS": "2"})
    assert (settings.session_max_days, settings.session_idle_days) == (14, 2)


@pytest.mark.parametrize(("name", "value"), [("COCREATE_SESSION_MAX_DAYS", "0"), ("COCREATE_SESSION_MAX_DAYS", "-3"),
                                             ("COCREATE_SESSION_IDLE_DAYS", "1.5"), ("COCREATE_SESSION_IDLE_DAYS", "²"),
                                             ("COCREATE_SESSION_MAX_DAYS", "99999")])
def test_malformed_session_lifetimes_are_refused(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        _load(tmp_path, {name: value})


def test_the_idle_timeout_cannot_exceed_the_lifetime(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="COCREATE_SESSION_IDLE_DAYS"):
        _load(tmp_path, {"COCREATE_SESSION_MAX_DAYS": "3", "COCREATE_SESSION_IDLE_DAYS": "7"})


def test_the_context_carries_the_session_policy(tmp_path: Path) -> None:
    from datetime import timedelta

    from lib.adapters.db.engine import make_engine
    from lib.bootstrap import build_context

    settings = _load(tmp_path, {"COCREATE_SESSION_MAX_DAYS": "10", "COCREATE_SESSION_IDLE_DAYS": "3"})
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        ctx = build_context(settings, engine)
    finally:
        engine.dispose()
    assert ctx.session_policy.max_age == timedelta(days=10)
    assert ctx.session_policy.idle_timeout == timedelta(days=3)


@pytest.mark.parametrize("env", [{"COCREATE_BASE_URL": "https://cocreate.example"},
                                 {"DATABASE_URL": "postgresql://app@db.example/cocreate"},
                                 {"DATABASE_URL": "postgres://app@db.example/cocreate"}])
def test_a_production_looking_deployment_must_choose_demo_mode(tmp_path: Path, env: dict[str, str]) -> None:
    from lib.bootstrap import StartupError, check_demo_mode, start

    settings = _load(tmp_path, env)
    with pytest.raises(StartupError) as caught:
        check_demo_mode(settings)
    message = str(caught.value)
    assert "COCREATE_DEMO=false" in message and "COCREATE_DEMO=true" in message
    with pytest.raises(StartupError, match="COCREATE_DEMO"):
        start(settings)  # refused before the database is touched
    check_demo_mode(_load(tmp_path, {**env, "COCREATE_DEMO": "true"}))  # knowingly on
    check_demo_mode(_load(tmp_path, {**env, "COCREATE_DEMO": "false", "COCREATE_COOKIE_SECRET": GOOD_SECRET}))


def test_the_embedded_default_keeps_demo_mode_on(tmp_path: Path) -> None:
    from lib.bootstrap import check_demo_mode

    settings = _load(tmp_path)
    assert settings.demo_mode and not settings.demo_explicit
    check_demo_mode(settings)
