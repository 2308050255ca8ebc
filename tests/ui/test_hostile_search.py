"""Search boxes given text the gate refuses: a translated message on the page, never a traceback."""

from __future__ import annotations

import pytest

from lib.i18n import translate

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


@pytest.mark.parametrize(("page", "role", "key"), [
    ("pages/discover.py", "visitor", "discover.q"),
    ("pages/shop.py", "visitor", "shop.q"),
    ("pages/moderation.py", "moderator", "mod.find"),
    ("pages/admin_users.py", "admin", "admin_users.q"),
])
@pytest.mark.parametrize(("typed", "message"), [("lamp\x00", "error.text_control"),
                                                ("\u202elamp", "error.text_bidi"),
                                                ("\x1b[2Jlamp", "error.text_control")])
def test_a_refused_search_says_why_and_the_page_stands(make_app, page, role, key, typed, message):
    at = make_app(role, page=page)
    assert not at.exception
    at.text_input(key=key).set_value(typed).run()
    assert not at.exception
    assert EN(message) in [e.value for e in at.error]
    at.text_input(key=key).set_value("lamp").run()
    assert not at.exception and EN(message) not in [e.value for e in at.error]
