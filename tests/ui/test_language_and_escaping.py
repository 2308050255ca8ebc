"""The language switch, and what people type shown as text: never as HTML, never as Markdown."""

from __future__ import annotations

import secrets

from lib.domain.accounts import Role
from lib.domain.ideas import IdeaFields
from lib.i18n import translate
from lib.services.accounts import auth
from lib.services.ideas import authoring, browse, cocreation, moderation
from lib.ui.components import plain
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import OUR_IMAGE, sidebar_captions, texts, user_by_email
from tests.ui.test_accounts_pages import sign_up

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
KO = lambda key, **kw: translate("ko", key, **kw)  # noqa: E731
SCRIPT_NAME = "<script>alert(1)</script>"
MARKDOWN_NAME = "**Boss** [verify here](https://evil.example)"


def test_switching_to_korean_translates_the_page_and_navigation(make_app):
    at = make_app()
    assert [t.value for t in at.title] == [EN("discover.title")]
    at.selectbox(key="shell.lang_select").set_value("ko").run()
    assert not at.exception
    assert KO("discover.title") != EN("discover.title")
    assert [t.value for t in at.title] == [KO("discover.title")]
    at.switch_page("pages/sign_in.py").run()
    assert [t.value for t in at.title] == [KO("sign_in.title")]
    at.selectbox(key="shell.lang_select").set_value("en").run()
    assert [t.value for t in at.title] == [EN("sign_in.title")]


def test_a_signed_in_persons_language_is_saved_to_their_profile(app_ctx, make_app, new_account):
    user = new_account()
    at = make_app(email=user.email, password=PASSWORD)
    at.selectbox(key="shell.lang_select").set_value("ko").run()
    assert [t.value for t in at.title] == [KO("discover.title")]
    assert auth.get_user(app_ctx, user.id).locale == "ko"


def _no_markup(at, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    for body, allows_html in texts(at):
        body = OUR_IMAGE.sub("", body)
        for fragment in fragments:
            if allows_html:
                assert fragment not in body, f"raw {fragment!r} reached HTML: {body!r}"


def test_an_html_display_name_is_shown_as_literal_text(app_ctx, make_app):
    email = f"ui-{secrets.token_hex(5)}@example.com"
    at = sign_up(make_app(page="pages/sign_up.py"), email, SCRIPT_NAME)
    assert not at.exception
    assert [t.value for t in at.title] == [EN("discover.title")]
    assert user_by_email(app_ctx, email).display_name == SCRIPT_NAME, "stored exactly as typed"
    caption = EN("shell.signed_in_as", name=plain(SCRIPT_NAME))
    assert caption in sidebar_captions(at)
    assert caption.replace("\\", "") == f"Signed in as {SCRIPT_NAME}", "shows the name literally"
    shown = next(c for c in at.sidebar.caption if c.value == caption)
    assert not shown.proto.allow_html
    _no_markup(at, "<script")


def test_a_markdown_display_name_is_not_rendered_as_a_link(app_ctx, make_app, new_account, demo_users):
    user = new_account(MARKDOWN_NAME)
    at = make_app(email=user.email, password=PASSWORD)
    assert EN("shell.signed_in_as", name=plain(MARKDOWN_NAME)) in sidebar_captions(at)
    assert not any("[verify here](" in c for c in sidebar_captions(at))

    admin = make_app("admin", page="pages/admin_users.py")
    admin.text_input(key="admin_users.q").set_value(user.email).run()
    # The address as code: a mailto link inside the expander's summary would nest a control in one.
    assert [e.label for e in admin.expander] == [f"{plain(MARKDOWN_NAME)} · `{user.email}`"]


def test_notifications_show_names_and_titles_as_text(app_ctx, make_app, new_account, demo_users):
    author = new_account("Plain Author")
    commenter = new_account(MARKDOWN_NAME)
    fields = IdeaFields.clean(title="A lamp [with a link](https://evil.example)", pitch="Pitch for the test.",
                              description_md="Text.", category_id=browse.categories(app_ctx)[0].id)
    idea_id = authoring.create_idea(app_ctx, author, fields=fields, submit=True)
    moderation.approve(app_ctx, demo_users["moderator"], idea_id)
    cocreation.add_comment(app_ctx, commenter, idea_id, "Nice!")

    at = make_app(email=author.email, password=PASSWORD, page="pages/inbox.py")
    assert not at.exception
    bodies = [m.value for m in at.markdown]
    expected = EN("notification.new_comment", name=plain(commenter.display_name), title=plain(fields.title))
    assert any(body.endswith(expected) for body in bodies), bodies
    assert not any("](https://evil.example)" in body for body in bodies)


def test_comment_markup_is_sanitised_on_the_idea_page(app_ctx, make_app, new_account, demo_users):
    cards, _ = browse.browse_ideas(app_ctx, feed="new", limit=1)
    writer = new_account(SCRIPT_NAME, roles={Role.CONSUMER})
    cocreation.add_comment(app_ctx, writer, cards[0].id,
                           '<script>alert(1)</script><img src=x onerror="alert(2)"> **kept** '
                           '[js](javascript:alert(3)) <a href="https://ok.example" onclick="x()">ok</a>')
    at = make_app()
    at.query_params["id"] = str(cards[0].id)
    at.switch_page("pages/idea.py").run()
    assert not at.exception
    html = [body for body, allows_html in texts(at) if allows_html and "kept" in body]
    assert html and "<strong>kept</strong>" in html[0]
    _no_markup(at, "<script", "onerror", "javascript:", "onclick", "<img")
    assert any(plain(SCRIPT_NAME) in c.value for c in at.caption), "author name shown as text"
