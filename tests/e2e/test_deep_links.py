"""A link into the app (an e-mailed /verify_email?token=..., a shared /idea?id=...) opened
before anyone has loaded the home page since the server started.

Regression: with the page files in a folder named pages/, Streamlit starts in its legacy
pages-directory mode and, until the first st.navigation call, serves such a link by running the
page file alone: no shell, and a sidebar listing every file in pages/ (admin pages included).
streamlit_app.py leaves that mode at import.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import SHELL_MARK, WAIT_MS, settle, sidebar
from tests.server import start_app

pytestmark = pytest.mark.e2e


def test_a_deep_link_to_a_freshly_started_server_runs_inside_the_shell(new_context, tmp_path):
    app = start_app(tmp_path / "fresh-app")  # its own server: the shared one is already warm
    try:
        page = new_context().new_page()
        page.goto(f"{app.url}/sign_in", timeout=WAIT_MS)
        page.get_by_role("heading", name="Sign in").wait_for(timeout=WAIT_MS)
        settle(page)
        nav = sidebar(page).lower()
        assert "admin outbox" not in nav and "audit log" not in nav, "staff pages listed to a visitor"
        assert page.get_by_text(SHELL_MARK).count() == 1, "the shell did not run"
    finally:
        app.stop()
