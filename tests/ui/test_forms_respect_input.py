"""Forms that respect what people typed (issue 12): demo accounts fill the sign-in form, the
suggestion's text survives a refusal, every problem of the submit form at once and next to its field."""

from __future__ import annotations

from lib.i18n import translate
from lib.services.demo.content import DEMO_PASSWORD
from tests.ui.conftest import DEMO_EMAILS
from tests.ui.helpers import no_problems

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def test_a_demo_account_fills_the_sign_in_form_and_signs_in(make_app):
    at = make_app(page="pages/sign_in.py")
    maker = DEMO_EMAILS["maker"]
    [button] = [b for b in at.button if maker in b.label]
    at = button.click().run()
    assert at.text_input(key="sign_in.email").value == maker
    assert at.text_input(key="sign_in.password").value == DEMO_PASSWORD
    assert "auth.user_id" not in at.session_state or not at.session_state["auth.user_id"]  # filled, not signed in
    at = at.form_submit_button[0].click().run()
    no_problems(at)
    assert at.session_state["auth.user_id"]
