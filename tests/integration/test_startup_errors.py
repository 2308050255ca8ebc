"""Start-up failures say what is wrong in one sentence, and the running app reports them as unhealthy."""

from __future__ import annotations

import pytest

from lib.adapters.db import migrate
from lib.bootstrap import StartupError, connect, prepare_schema
from lib.config import DEV_COOKIE_SECRET, ConfigError, load_settings
from tests.integration.support import http
from tests.server import start_app

UNREACHABLE = "postgresql://nobody:hunter2-secret@127.0.0.1:1/x"


def settings_for(tmp_path, **env: str):  # type: ignore[no-untyped-def]
    """Settings from this environment only (root=tmp_path: no secrets.toml is read)."""
    return load_settings(env={"COCREATE_DATA_DIR": str(tmp_path / "data"), **env}, root=tmp_path)


def test_unreachable_postgres_names_the_database_and_the_reason_but_not_the_password(tmp_path):
    with pytest.raises(StartupError) as caught:
        connect(settings_for(tmp_path, DATABASE_URL=UNREACHABLE))
    message = str(caught.value)
    assert "nobody" in message and "127.0.0.1:1/x" in message
    assert "hunter2-secret" not in message
    assert "refused" in message.lower()
    assert "\n" not in message


def test_unresolvable_host_is_a_startup_error(tmp_path):
    with pytest.raises(StartupError, match=r"no-such-host\.invalid"):
        connect(settings_for(tmp_path, DATABASE_URL="postgresql://app@no-such-host.invalid/x"))


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_sqlite_path_that_cannot_be_created_is_a_startup_error(tmp_path, where):
    if where == "under-a-file":
        (tmp_path / "afile").write_text("not a directory")
        url = f"sqlite:///{tmp_path / 'afile' / 'db.sqlite'}"
    else:
        url = "sqlite:////proc/cocreate-test.db"
    with pytest.raises(StartupError, match="Cannot use the database"):
        connect(settings_for(tmp_path, DATABASE_URL=url))


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x/y", "mysql://app@127.0.0.1:1/x"])
def test_malformed_or_unsupported_url_is_a_startup_error(tmp_path, url):
    with pytest.raises(StartupError, match="Cannot use the database"):
        connect(settings_for(tmp_path, DATABASE_URL=url))


def test_embedded_sqlite_file_is_created_on_connect(tmp_path):
    engine = connect(settings_for(tmp_path))
    engine.dispose()
    assert (tmp_path / "data" / "cocreate.db").is_file()


def test_prepare_schema_migrates_sqlite_but_insists_the_operator_migrates_postgres(blank_engine, tmp_path):
    settings = settings_for(tmp_path, DATABASE_URL=blank_engine.url.render_as_string(hide_password=False))
    assert migrate.pending(blank_engine)
    if settings.is_embedded:
        prepare_schema(settings, blank_engine)
        assert not migrate.pending(blank_engine)
        return
    with pytest.raises(StartupError, match=r"python -m lib\.cli migrate"):
        prepare_schema(settings, blank_engine)
    assert migrate.pending(blank_engine)  # nothing was changed behind the operator's back
    migrate.upgrade(blank_engine)
    prepare_schema(settings, blank_engine)  # now quiet


@pytest.mark.parametrize("secret", [None, DEV_COOKIE_SECRET, "too-short"])
def test_production_mode_refuses_a_missing_or_weak_cookie_secret(tmp_path, secret):
    env = {"COCREATE_DEMO": "false"}
    if secret is not None:
        env["COCREATE_COOKIE_SECRET"] = secret
    with pytest.raises(ConfigError, match="COCREATE_COOKIE_SECRET"):
        settings_for(tmp_path, **env)


def test_production_mode_accepts_a_strong_cookie_secret(tmp_path):
    settings = settings_for(tmp_path, COCREATE_DEMO="false", COCREATE_COOKIE_SECRET="s" * 48)
    assert not settings.demo_mode and settings.cookie_secret == "s" * 48


@pytest.mark.parametrize(("name", "value"), [("COCREATE_DEMO", "maybe"), ("SMTP_PORT", "smtp"),
                                             ("COCREATE_CURRENCY", "XYZ")])
def test_malformed_settings_are_config_errors(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        settings_for(tmp_path, **{name: value})


def test_running_app_with_an_unreachable_database_reports_503_and_stays_up(tmp_path):
    app = start_app(tmp_path / "data", {"DATABASE_URL": UNREACHABLE, "COCREATE_DEMO": "true"}, wait_healthy=False)
    try:
        for _ in range(2):  # the failure is retried, not cached, and never kills the server
            reply = http("GET", f"{app.url}/healthz")
            assert reply.status == 503
            assert reply.headers.get_content_type() == "application/json"
            body = reply.json()
            assert body["status"] == "error"
            assert "Cannot use the database" in body["error"] and "127.0.0.1:1/x" in body["error"]
            assert "hunter2-secret" not in reply.body.decode()
        for method, path in [("GET", "/api/ideas"), ("POST", "/auth/session")]:
            reply = http(method, f"{app.url}{path}", body={"code": "x"} if method == "POST" else None)
            assert reply.status == 503 and reply.headers.get_content_type() == "application/json"
            assert "unavailable" in reply.json()["error"]
            assert b"Traceback" not in reply.body and b"hunter2" not in reply.body
        page = http("GET", f"{app.url}/")
        assert page.status == 200 and b"<html" in page.body.lower()
        assert app.process.poll() is None
    finally:
        app.stop()


def test_running_app_on_postgres_without_a_demo_choice_reports_why_and_stays_up(tmp_path):
    app = start_app(tmp_path / "data", {"DATABASE_URL": UNREACHABLE}, wait_healthy=False)
    try:
        reply = http("GET", f"{app.url}/healthz")
        assert reply.status == 503 and "COCREATE_DEMO=false" in reply.json()["error"]
        assert app.process.poll() is None
    finally:
        app.stop()
