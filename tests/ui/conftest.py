"""AppTest fixtures: one app context (tmp data dir, demo marketplace) for all of tests/ui.

lib.runtime keeps the context in a process-wide holder, so every AppTest in this
folder shares one SQLite database; tests that change data use fresh accounts.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import runtime
from lib.domain.accounts import DisplayNameTaken, Role, User
from lib.services.accounts import auth
from lib.services.context import AppContext
from lib.services.demo.content import DEMO_PASSWORD
from tests.ui import helpers

ROOT = Path(__file__).resolve().parent.parent.parent
ENTRY = str(ROOT / "streamlit_app.py")
TIMEOUT = 30
ROLES = ("visitor", "consumer", "maker", "moderator", "admin")
DEMO_EMAILS = {role: f"{role}@demo.cocreate.test" for role in ROLES if role != "visitor"}
PASSWORD = "long-enough-pw"
_OUR_ENV = ("COCREATE_", "DATABASE_URL", "SMTP_")


@pytest.fixture(scope="package", autouse=True)
def app_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """The app context the pages use, over a fresh data dir (migrated and demo-seeded on start)."""
    data_dir = tmp_path_factory.mktemp("ui-data")
    patch = pytest.MonkeyPatch()
    for name in list(os.environ):
        if name.startswith(_OUR_ENV):
            patch.delenv(name)
    patch.setenv("COCREATE_DATA_DIR", str(data_dir))
    patch.setenv("DATABASE_URL", f"sqlite:///{data_dir / 'cocreate.db'}")
    patch.setenv("COCREATE_RUN_JOBS_IN_APP", "false")
    patch.setenv("COCREATE_DEMO", "true")
    patch.setenv("SMTP_HOST", "")  # mail stays in the outbox, whatever secrets.toml says
    runtime._holder.clear()
    try:
        yield runtime.app_context()
    finally:
        runtime._holder.clear()
        patch.undo()


@pytest.fixture(scope="package", autouse=True)
def error_details_for_developers() -> Iterator[None]:
    """Production hides exception details from visitors (.streamlit/config.toml); a failing test
    here should show the developer what went wrong."""
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


@pytest.fixture(scope="package", autouse=True)
def navigation_owns_routing() -> Iterator[None]:
    """Every AppTest here runs through streamlit_app.py (tests/ui/helpers.py: navigation_owns_routing)."""
    with helpers.navigation_owns_routing():
        yield


@pytest.fixture(scope="package")
def demo_users(app_ctx: AppContext) -> dict[str, User | None]:
    users: dict[str, User | None] = {"visitor": None}
    for role, email in DEMO_EMAILS.items():
        users[role] = auth.sign_in(app_ctx, email=email, password=DEMO_PASSWORD).user
    return users


def sign_in_state(ctx: AppContext, email: str, password: str = DEMO_PASSWORD) -> dict[str, int]:
    """Session-state keys of a real, live session (what the sign-in page leaves behind)."""
    signed = auth.sign_in(ctx, email=email, password=password)
    return {"auth.user_id": signed.user.id, "auth.session_id": signed.session_id}


@pytest.fixture
def make_app(app_ctx: AppContext) -> Callable[..., AppTest]:
    """A fresh AppTest of the whole app (shell + navigation), optionally signed in, run once
    on `page` (default: the home page)."""

    def make(role: str = "visitor", *, email: str | None = None, password: str = DEMO_PASSWORD,
             script: str = ENTRY, page: str | None = None) -> AppTest:
        at = AppTest.from_file(script, default_timeout=TIMEOUT)
        email = email or DEMO_EMAILS.get(role)
        if email:
            for key, value in sign_in_state(app_ctx, email, password).items():
                at.session_state[key] = value
        if page:  # before the first run AppTest finds pages by file name (= our url paths)
            at.switch_page(page)
        return at.run()

    return make


@pytest.fixture
def new_account(app_ctx: AppContext) -> Callable[..., User]:
    """A fresh consumer account (unique e-mail) so tests never change the shared demo accounts."""

    def make(name: str = "Fresh Tester", roles: set[Role] | None = None, verified: bool = True) -> User:
        email = f"ui-{secrets.token_hex(5)}@example.com"
        try:
            return auth.sign_up(app_ctx, email=email, display_name=name, password=PASSWORD,
                                roles=roles, verified=verified)
        except DisplayNameTaken:  # an earlier test's account has the name: two accounts may not share one
            return auth.sign_up(app_ctx, email=email, display_name=f"{name} {secrets.token_hex(3)}",
                                password=PASSWORD, roles=roles, verified=verified)

    return make
