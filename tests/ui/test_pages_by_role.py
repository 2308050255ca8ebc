"""Every page renders for every role; pages a role may not see are not in its navigation,
and staff services refuse whoever reaches a staff page anyway, with a clear message."""

from __future__ import annotations

import pytest

from lib.domain.accounts import Role, User
from lib.domain.ideas import PUBLIC_STATUSES, IdeaFields
from lib.i18n import translate
from lib.services.ideas import authoring, browse, moderation, settings
from lib.ui.components import plain
from lib.ui.nav import PAGES, SECTIONS, page_names_for
from tests.ui.conftest import PASSWORD, ROLES, ROOT
from tests.ui.helpers import NOT_FOUND, TITLES, follow, links, sidebar_captions, texts

ROLE_SETS = {
    "visitor": None,
    "consumer": {Role.CONSUMER},
    "maker": {Role.CONSUMER, Role.MAKER},
    "moderator": {Role.CONSUMER, Role.MODERATOR},
    "admin": {Role.CONSUMER, Role.MODERATOR, Role.ADMIN},
}
ALL_PAGES = [name for specs in SECTIONS.values() for name, *_ in specs]
STAFF_PAGES = ["moderation", "audit_log", "admin_users", "admin_settings", "admin_payouts", "admin_outbox"]


def _shape(role: str) -> User | None:
    """A user with just the role set: page_names_for looks at roles only."""
    roles = ROLE_SETS[role]
    return None if roles is None else User(id=1, email="x@example.com", display_name="x", password_hash="",
                                           referral_code="X", roles=set(roles))


VISIBLE = [(role, name) for role in ROLES for name in page_names_for(_shape(role))]
EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def test_every_navigation_entry_has_a_page_file():
    assert sorted(ALL_PAGES) == sorted(p.stem for p in PAGES.glob("*.py"))
    for role in ROLES:
        assert set(page_names_for(_shape(role))) <= set(ALL_PAGES)


@pytest.mark.parametrize(("role", "page"), VISIBLE, ids=[f"{r}-{p}" for r, p in VISIBLE])
def test_page_renders_for_role(make_app, demo_users, role, page):
    assert set(page_names_for(demo_users[role])) == set(page_names_for(_shape(role)))
    at = make_app(role, page=f"pages/{page}.py")
    assert not at.exception, [e.message for e in at.exception]
    if page in NOT_FOUND:  # no ?id: the page says so instead of showing one
        assert [w.value for w in at.warning] == [EN(NOT_FOUND[page])]
    else:
        assert [t.value for t in at.title] == [EN(TITLES[page])], f"{page} did not render for {role}"
    assert not [e.value for e in at.error], f"{page} shows an error for {role}"
    # It ran inside the shell: language switch, and who is signed in.
    assert at.selectbox(key="shell.lang_select").value == "en"
    signed_in = [c for c in sidebar_captions(at) if c.startswith("Signed in as")]
    user = demo_users[role]
    assert signed_in == ([] if user is None else [EN("shell.signed_in_as", name=plain(user.display_name))])


@pytest.mark.parametrize("role", ROLES)
def test_pages_outside_the_role_are_guarded_not_shown(make_app, role):
    hidden = [name for name in ALL_PAGES if name not in page_names_for(_shape(role))]
    at = make_app(role)
    guard = "gate.sign_in_title" if role == "visitor" else "gate.no_access_title"
    for page in hidden:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        expected = "gate.signed_in_title" if page in ("sign_in", "sign_up") else guard
        assert [t.value for t in at.title] == [EN(expected)], f"{role} reached {page}"


def test_signed_in_users_do_not_see_sign_in_and_visitors_see_no_account_pages():
    assert {"sign_in", "sign_up"}.isdisjoint(page_names_for(_shape("consumer")))
    assert {"account", "inbox", "submit_idea", "my_ideas", "maker", "my_preorders",
            *STAFF_PAGES}.isdisjoint(page_names_for(None))
    assert set(STAFF_PAGES).isdisjoint(page_names_for(_shape("maker")))
    assert {"admin_users", "admin_settings", "admin_payouts", "admin_outbox"}.isdisjoint(
        page_names_for(_shape("moderator")))
    assert "maker_orders" not in page_names_for(_shape("consumer"))
    assert {"earnings", "referrals", "my_orders", "maker_orders"}.isdisjoint(page_names_for(None))


@pytest.mark.parametrize("role", ROLES)
def test_every_public_idea_page_renders_for_role(app_ctx, make_app, role):
    cards, _ = browse.browse_ideas(app_ctx, feed="new", statuses=sorted(PUBLIC_STATUSES), limit=100)
    assert len(cards) >= 5, "the demo marketplace should have public ideas"
    at = make_app(role)
    for card in cards:
        at.query_params["id"] = str(card.id)
        at.switch_page("pages/idea.py").run()
        assert not at.exception, (card.id, [e.message for e in at.exception])
        assert not at.error, (card.id, [e.value for e in at.error])
        assert at.title[0].value.replace("\\", "") == card.title


def test_idea_page_with_a_bad_id_says_not_found(make_app):
    at = make_app()
    for bad in ("999999", "abc", ""):
        at.query_params["id"] = bad
        at.switch_page("pages/idea.py").run()
        assert not at.exception
        assert [w.value for w in at.warning] == [EN("idea.not_found")]


def test_author_pages_for_own_ideas_render(app_ctx, make_app, new_account, demo_users):
    """An author's own idea, draft and published: idea page (author panels), edit page, my ideas."""
    author = new_account("Ida Author")
    category = browse.categories(app_ctx)[0].id
    made = []
    for title, publish in (("Draft folding bike rack", False), ("Published solar lantern", True)):
        fields = IdeaFields.clean(title=title, pitch="A pitch for the test.", category_id=category,
                                  description_md="Some **bold** text.", tags="test, ui")
        idea_id = authoring.create_idea(app_ctx, author, fields=fields, submit=publish)
        if publish:
            moderation.approve(app_ctx, demo_users["moderator"], idea_id)
        made.append(idea_id)
    at = make_app(email=author.email, password=PASSWORD)
    at.switch_page("pages/my_ideas.py").run()
    assert not at.exception
    assert len([b for b in at.button if (b.key or "").startswith("mine_open_")]) == 2
    for idea_id in made:
        at.query_params["id"] = str(idea_id)
        at.switch_page("pages/idea.py").run()
        assert not at.exception, (idea_id, [e.message for e in at.exception])
        assert any("<strong>bold</strong>" in body for body, html in texts(at) if html)
        at.query_params["edit"] = str(idea_id)
        at.switch_page("pages/submit_idea.py").run()
        assert not at.exception, (idea_id, [e.message for e in at.exception])
        assert at.title[0].value == EN("submit.edit_title")


def test_campaign_and_shop_cards_open_their_page(make_app):
    at = make_app()
    for page, target in (("campaigns", "campaign"), ("shop", "listing")):
        at.switch_page(f"pages/{page}.py").run()
        cards = [(label, params) for label, to, params in links(at) if to == target]
        assert cards, f"the demo {page} page should list something"
        follow(at, cards[0][0])
        assert not at.exception
        assert at.query_params["id"]
        assert not at.warning, f"{page} opened a missing page"


@pytest.mark.parametrize("role", ["visitor", "consumer", "maker", "moderator"])
@pytest.mark.parametrize("page", ["admin_users", "admin_outbox", "admin_payouts"])
def test_admin_pages_refuse_non_admins_who_reach_them(make_app, role, page):
    at = make_app(role, script=str(ROOT / "pages" / f"{page}.py"))
    assert not at.exception
    expected = EN("error.not_signed_in") if role == "visitor" else EN("error.permission_denied")
    assert [e.value for e in at.error] == [expected]
    assert not at.expander, "no account or message may be listed"


@pytest.mark.parametrize("role", ["visitor", "consumer", "maker"])
@pytest.mark.parametrize("page", ["moderation", "audit_log"])
def test_staff_pages_refuse_non_staff_who_reach_them(make_app, role, page):
    at = make_app(role, script=str(ROOT / "pages" / f"{page}.py"))
    assert not at.exception, [e.message for e in at.exception]
    expected = EN("error.not_signed_in") if role == "visitor" else EN("error.permission_denied")
    assert [e.value for e in at.error] == [expected]
    assert not at.dataframe and not at.tabs


@pytest.mark.parametrize("role", ["consumer", "moderator"])
def test_admin_settings_refuse_changes_from_non_admins(app_ctx, make_app, role):
    before = settings.current(app_ctx)["support_window_days"]
    at = make_app(role, script=str(ROOT / "pages" / "admin_settings.py"))
    assert not at.exception
    at.number_input[0].set_value(before % 365 + 1)
    at.button(key="FormSubmitter:settings.window-" + EN("common.save")).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [EN("error.permission_denied")]
    assert settings.current(app_ctx)["support_window_days"] == before


def test_suspended_moderator_sees_a_clear_message_on_the_review_queue(app_ctx, make_app, new_account, demo_users):
    mod = new_account("Suspended Mod", roles={Role.CONSUMER, Role.MODERATOR})
    moderation.set_suspended(app_ctx, demo_users["admin"], mod.id, True, "testing suspension")
    at = make_app(email=mod.email, password=PASSWORD)
    assert EN("shell.suspended") in [w.value for w in at.sidebar.warning]
    at.switch_page("pages/moderation.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == [EN("error.account_suspended")]
