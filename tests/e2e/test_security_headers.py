"""The Content-Security-Policy holds in a real browser: Discover, an idea, a listing and a sign-in
(the cookie bridge, a st.components.v2 script) run with no violation and no page error."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.helpers import DEMO_PASSWORD, open_app, sign_in

pytestmark = pytest.mark.e2e

REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile || '?'}:${e.lineNumber}`);
});
"""


def first_url(app_url: str, path: str) -> str:
    with urllib.request.urlopen(f"{app_url}{path}?limit=1", timeout=30) as reply:
        return f"{app_url}{json.load(reply)['items'][0]['url']}"


def test_pages_run_under_the_content_security_policy(new_context, app_url):
    context = new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}")
            if "Content Security Policy" in m.text else None)

    def violations() -> list[str]:
        return list(page.evaluate("window.__cspViolations || []"))

    csp = urllib.request.urlopen(f"{app_url}/", timeout=30).headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]

    for url in (app_url, first_url(app_url, "/api/ideas"), first_url(app_url, "/api/listings")):
        open_app(page, url)
        page.wait_for_load_state("networkidle")  # late resources (images, icons) report too
        assert violations() == [], url
    sign_in(page, app_url, "maker@demo.cocreate.test", DEMO_PASSWORD)  # needs the bridge's script
    assert violations() == []
    assert problems == []
