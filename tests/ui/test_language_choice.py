"""Which language a tab speaks: an explicit ?lang= or the sidebar > the account > the cookie > the
browser (the cookie itself: tests/integration/test_http_routes.py and tests/e2e/test_getting_around.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.i18n import preferred_language, translate
from lib.services.accounts import auth
from lib.ui import language
from tests.ui.conftest import ENTRY, PASSWORD, TIMEOUT, sign_in_state
from tests.ui.test_accounts_pages import sign_in

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
KO = lambda key, **kw: translate("ko", key, **kw)  # noqa: E731


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


@pytest.mark.parametrize(("accept", "lang"), [("ko-KR", "ko"), ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
                                              ("fr-FR,ko;q=0.5,en;q=0.7", "en"), ("de", None), ("", None),
                                              (None, None), ("ko;q=bogus", None), ("EN-us", "en")])
def test_the_browsers_preference_is_read_by_weight(accept, lang):
    assert preferred_language(accept) == lang


def test_a_korean_browser_gets_korean_on_its_first_visit():
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    at.context = {"locale": "ko-KR"}
    at.run()
    assert not at.exception
    assert titles(at) == [KO("discover.title")]
    assert at.selectbox(key="shell.lang_select").value == "ko"
    assert language.PENDING_KEY not in at.session_state, "nothing chosen: no cookie to write"


def test_an_explicit_lang_wins_over_the_browser_and_leaves_the_address():
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    at.context = {"locale": "ko-KR"}
    at.query_params["lang"] = "en"
    at.run()
    assert titles(at) == [EN("discover.title")]
    assert "lang" not in at.query_params
    assert at.session_state[language.PENDING_KEY] == "en", "the choice goes to the cookie"
    at.selectbox(key="shell.lang_select").set_value("ko").run()
    assert titles(at) == [KO("discover.title")]
    assert at.session_state[language.PENDING_KEY] == "ko"


def test_an_unknown_lang_is_ignored(make_app):
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    at.query_params["lang"] = "<script>"
    at.run()
    assert not at.exception and titles(at) == [EN("discover.title")]


def test_the_accounts_language_wins_over_the_browser(app_ctx, new_account):
    user = new_account()
    auth.update_profile(app_ctx, user, display_name=user.display_name, locale="ko")
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    at.context = {"locale": "en-US"}
    for key, value in sign_in_state(app_ctx, user.email, PASSWORD).items():
        at.session_state[key] = value
    at.run()
    assert titles(at) == [KO("discover.title")]


def test_a_choice_made_before_signing_in_is_kept_through_it(app_ctx, new_account):
    user = new_account()  # its account says English
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    at.query_params["lang"] = "ko"
    at.run()
    at.switch_page("pages/sign_in.py").run()
    at = sign_in(at, user.email, PASSWORD)
    assert not at.exception
    assert titles(at) == [KO("discover.title")]
