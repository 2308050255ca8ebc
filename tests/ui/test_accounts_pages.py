"""Sign up, sign in, sign out and e-mail verification through the pages."""

from __future__ import annotations

import secrets

import pytest

from lib.domain.accounts import LOCK_AFTER_FAILURES, LOCK_DURATION, MAX_DISPLAY_NAME, MIN_PASSWORD_LENGTH
from lib.i18n import translate
from lib.services.accounts import auth
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import outbox_token, sidebar_captions, user_by_email, user_count

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def unique_email() -> str:
    return f"ui-{secrets.token_hex(5)}@example.com"


def sign_up(at, email: str, name: str, password: str = PASSWORD, confirm: str | None = None):  # type: ignore[no-untyped-def]
    at.text_input(key="sign_up.email").set_value(email)
    at.text_input(key="sign_up.name").set_value(name)
    at.text_input(key="sign_up.password").set_value(password)
    at.text_input(key="sign_up.confirm").set_value(password if confirm is None else confirm)
    return at.form_submit_button[0].click().run()


def sign_in(at, email: str, password: str):  # type: ignore[no-untyped-def]
    at.text_input(key="sign_in.email").set_value(email)
    at.text_input(key="sign_in.password").set_value(password)
    return at.form_submit_button[0].click().run()


def test_sign_up_lands_home_signed_in_with_a_welcome(app_ctx, make_app):
    email = unique_email()
    at = sign_up(make_app(page="pages/sign_up.py"), email, "Nova Newcomer")
    assert not at.exception
    assert [t.value for t in at.title] == [EN("discover.title")]
    assert [s.value for s in at.success] == [EN("sign_up.done", name="Nova Newcomer", step=EN("nav.next.home"))]
    assert EN("shell.signed_in_as", name="Nova Newcomer") in sidebar_captions(at)
    created = user_by_email(app_ctx, email)
    assert created is not None and created.display_name == "Nova Newcomer" and not created.is_verified
    assert at.session_state["auth.user_id"] == created.id
    assert auth.session_is_live(app_ctx, at.session_state["auth.session_id"])


BAD_SIGN_UPS = {
    "duplicate e-mail": (dict(email="Consumer@Demo.Cocreate.test"), EN("error.email_taken")),
    "malformed e-mail": (dict(email="not-an-email"), EN("error.email_malformed")),
    "missing e-mail": (dict(email="   "), EN("error.email_required")),
    "short password": (dict(password="short"), EN("error.password_too_short", min=MIN_PASSWORD_LENGTH)),
    "mismatched passwords": (dict(confirm="a-different-password"), EN("error.password_mismatch")),
    "overlong display name": (dict(name="N" * (MAX_DISPLAY_NAME + 1)),
                              EN("error.display_name_too_long", max=MAX_DISPLAY_NAME)),
    "blank display name": (dict(name="   "), EN("error.display_name_required")),
    "zero-width display name": (dict(name="\u200b\u200b"), EN("error.display_name_required")),
    "NUL in the display name": (dict(name="Bob\x00"), EN("error.display_name_control")),
    "bidi override in the display name": (dict(name="Bob \u202eevil"), EN("error.text_bidi")),
    "a staff name": (dict(name="Аdmin"), EN("error.display_name_reserved")),  # Cyrillic А
    "another account's name": (dict(name="ada  ADMIN"), EN("error.display_name_taken")),  # the demo admin's
    "NUL in the e-mail": (dict(email="nul\x00@example.com"), EN("error.email_malformed")),
}


@pytest.mark.parametrize("case", list(BAD_SIGN_UPS))
def test_sign_up_refuses_bad_input_clearly_and_creates_nothing(app_ctx, make_app, demo_users, case):
    changes, message = BAD_SIGN_UPS[case]
    values = dict(email=unique_email(), name="Valid Name", password=PASSWORD, confirm=None) | changes
    before = user_count(app_ctx, demo_users["admin"])
    at = sign_up(make_app(page="pages/sign_up.py"), **values)
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert [t.value for t in at.title] == [EN("sign_up.title")], "must stay on the sign-up page"
    assert "auth.user_id" not in at.session_state
    assert user_count(app_ctx, demo_users["admin"]) == before
    if case != "duplicate e-mail":
        assert user_by_email(app_ctx, values["email"]) is None


def test_sign_in_goes_home_signed_in(make_app, new_account):
    user = new_account("Sam Signin")
    at = sign_in(make_app(page="pages/sign_in.py"), f"  {user.email.upper()} ", PASSWORD)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == [EN("discover.title")]
    assert EN("shell.signed_in_as", name="Sam Signin") in sidebar_captions(at)


@pytest.mark.parametrize("who", ["wrong password", "unknown e-mail", "malformed e-mail"])
def test_wrong_credentials_show_one_generic_message(make_app, new_account, who):
    user = new_account()
    email = {"wrong password": user.email, "unknown e-mail": unique_email(), "malformed e-mail": "nobody"}[who]
    at = sign_in(make_app(page="pages/sign_in.py"), email, "not-the-password")
    assert not at.exception
    assert [e.value for e in at.error] == [EN("error.invalid_credentials")]
    assert "auth.user_id" not in at.session_state
    assert [t.value for t in at.title] == [EN("sign_in.title")]


def test_five_wrong_passwords_lock_the_account(make_app, new_account):
    user = new_account()
    at = make_app(page="pages/sign_in.py")
    for _ in range(LOCK_AFTER_FAILURES - 1):
        sign_in(at, user.email, "not-the-password")
        assert [e.value for e in at.error] == [EN("error.invalid_credentials")]
    sign_in(at, user.email, "not-the-password")
    locked = EN("error.account_locked", count=int(LOCK_DURATION.total_seconds() // 60))
    assert [e.value for e in at.error] == [locked]
    # Even the right password is refused while the lock lasts.
    sign_in(at, user.email, PASSWORD)
    assert [e.value for e in at.error] == [locked]
    assert "auth.user_id" not in at.session_state


def test_sign_out_ends_the_session_and_returns_home(app_ctx, make_app, new_account):
    user = new_account("Olly Out")
    at = make_app(email=user.email, password=PASSWORD, page="pages/account.py")
    session_id = at.session_state["auth.session_id"]
    at.button(key="account.sign_out").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == [EN("discover.title")]
    assert not any(c.startswith("Signed in as") for c in sidebar_captions(at))
    assert not auth.session_is_live(app_ctx, session_id)


def test_sign_out_everywhere_ends_every_session_of_the_account(app_ctx, make_app, new_account):
    user = new_account("Eve Everywhere")
    other_tab = make_app(email=user.email, password=PASSWORD)
    at = make_app(email=user.email, password=PASSWORD, page="pages/account.py")
    at.button(key="account.sign_out_everywhere").click().run()  # asks first: nothing ends yet
    assert EN("account.sign_out_everywhere_question") in [w.value for w in at.warning]
    assert auth.session_is_live(app_ctx, other_tab.session_state["auth.session_id"])
    at.button(key="account.sign_out_everywhere.yes").click().run()
    assert not at.exception
    assert not auth.session_is_live(app_ctx, other_tab.session_state["auth.session_id"])
    other_tab.run()
    assert "auth.user_id" not in other_tab.session_state
    assert not any(c.startswith("Signed in as") for c in sidebar_captions(other_tab))


def test_verify_email_with_a_bad_token_says_the_link_is_invalid(make_app):
    at = make_app()
    at.query_params["token"] = "not-a-real-token"
    at.switch_page("pages/verify_email.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [EN("error.token_invalid")]
    assert not at.success


def test_verify_email_without_a_token_explains_what_to_do(make_app):
    at = make_app(page="pages/verify_email.py")
    assert [i.value for i in at.info] == [EN("verify.no_token")]


def test_verify_email_with_the_emailed_link_confirms_the_address(app_ctx, make_app, demo_users):
    email = unique_email()
    sign_up(make_app(page="pages/sign_up.py"), email, "Vera Verify")
    token = outbox_token(app_ctx, demo_users["admin"], email)

    outbox = make_app("admin", page="pages/admin_outbox.py")
    assert any(f"/verify_email?token={token}" in text.value for text in outbox.text), "admin sees the mail"

    at = make_app()
    at.query_params["token"] = token
    at.switch_page("pages/verify_email.py").run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [EN("verify.done")]
    assert user_by_email(app_ctx, email).is_verified

    again = make_app()  # the link works once only
    again.query_params["token"] = token
    again.switch_page("pages/verify_email.py").run()
    assert [e.value for e in again.error] == [EN("error.token_invalid")]


def test_reset_password_link_sets_a_new_password(app_ctx, make_app, new_account, demo_users):
    user = new_account("Reese Reset")
    at = make_app(page="pages/reset_password.py")
    at.text_input(key="reset.email").set_value(user.email)
    at.form_submit_button[0].click().run()
    assert [s.value for s in at.success] == [EN("reset.sent")]
    token = outbox_token(app_ctx, demo_users["admin"], user.email, page="reset_password")

    at = make_app()
    at.query_params["token"] = token
    at.switch_page("pages/reset_password.py").run()
    at.text_input(key="reset.password").set_value("a-brand-new-password")
    at.text_input(key="reset.confirm").set_value("a-brand-new-password")
    at.form_submit_button[0].click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [EN("reset.done")]
    assert auth.sign_in(app_ctx, email=user.email, password="a-brand-new-password").user.id == user.id
