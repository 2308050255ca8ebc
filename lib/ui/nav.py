"""Which pages each person sees, built on every run from the current user's roles, and the one
way to open a page. Names and addresses come from the route table (lib.services.routes.Screen)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, NoReturn

import streamlit as st

from lib.domain.accounts import User
from lib.domain.permissions import Predicate, is_admin, is_maker, is_signed_in, is_staff
from lib.services.routes import HOME, Screen, path
from lib.ui.i18n import t

PAGES = Path(__file__).resolve().parent.parent.parent / "pages"

anyone = Predicate("anyone", lambda _a, _o: True)
is_visitor = ~is_signed_in
S = Screen


class NavPage(NamedTuple):
    screen: Screen
    title_key: str
    icon: str
    who: Predicate  # who has it in their navigation (st.switch_page refuses it to everyone else)
    hidden: bool = False  # reached from links and buttons, not listed in the sidebar


# Every page once, by section; the first is the home page.
SECTIONS: dict[str, list[NavPage]] = {
    "nav.section.market": [
        NavPage(S.DISCOVER, "nav.discover", ":material/lightbulb:", anyone),
        NavPage(S.CAMPAIGNS, "nav.campaigns", ":material/rocket_launch:", anyone),
        NavPage(S.SHOP, "nav.shop", ":material/storefront:", anyone),
        NavPage(S.IDEA, "nav.idea", ":material/description:", anyone, hidden=True),
        NavPage(S.CAMPAIGN, "nav.campaign", ":material/rocket:", anyone, hidden=True),
        NavPage(S.LISTING, "nav.listing", ":material/sell:", anyone, hidden=True),
    ],
    "nav.section.create": [
        NavPage(S.SUBMIT_IDEA, "nav.submit_idea", ":material/add_circle:", is_signed_in),
        NavPage(S.MY_IDEAS, "nav.my_ideas", ":material/inventory_2:", is_signed_in),
        NavPage(S.MAKER, "nav.maker", ":material/precision_manufacturing:", is_signed_in),
        NavPage(S.MAKER_ORDERS, "nav.maker_orders", ":material/local_shipping:", is_maker),
    ],
    "nav.section.account": [
        NavPage(S.MY_PREORDERS, "nav.my_preorders", ":material/shopping_bag:", is_signed_in),
        NavPage(S.MY_ORDERS, "nav.my_orders", ":material/receipt_long:", is_signed_in),
        NavPage(S.EARNINGS, "nav.earnings", ":material/payments:", is_signed_in),
        NavPage(S.REFERRALS, "nav.referrals", ":material/share:", is_signed_in),
        NavPage(S.INBOX, "nav.inbox", ":material/inbox:", is_signed_in),
        NavPage(S.ACCOUNT, "nav.account", ":material/person:", is_signed_in),
        NavPage(S.SIGN_IN, "nav.sign_in", ":material/login:", is_visitor),
        NavPage(S.SIGN_UP, "nav.sign_up", ":material/person_add:", is_visitor),
        NavPage(S.VERIFY_EMAIL, "nav.verify_email", ":material/mark_email_read:", anyone, hidden=True),
        NavPage(S.RESET_PASSWORD, "nav.reset_password", ":material/key:", anyone, hidden=True),
    ],
    "nav.section.staff": [
        NavPage(S.MODERATION, "nav.moderation", ":material/gavel:", is_staff),
        NavPage(S.AUDIT_LOG, "nav.audit_log", ":material/history:", is_staff),
    ],
    "nav.section.admin": [
        NavPage(S.ADMIN_SETTINGS, "nav.admin_settings", ":material/tune:", is_admin),
        NavPage(S.ADMIN_USERS, "nav.admin_users", ":material/manage_accounts:", is_admin),
        NavPage(S.ADMIN_PAYOUTS, "nav.admin_payouts", ":material/account_balance:", is_admin),
        NavPage(S.ADMIN_OUTBOX, "nav.admin_outbox", ":material/outgoing_mail:", is_admin),
    ],
}


def page_file(screen: Screen) -> str:
    """The page's script, as st.switch_page and AppTest name it."""
    return f"pages/{screen.value}.py"


def page_names_for(user: User | None) -> list[str]:
    """The page files this person may open (used by the navigation and by tests)."""
    return [p.screen.value for pages in SECTIONS.values() for p in pages if p.who(user)]


def go(screen: Screen, **params: int | str) -> NoReturn:
    """Open another page of this person's navigation, e.g. go(Screen.IDEA, id=3)."""
    st.switch_page(page_file(screen), query_params={k: str(v) for k, v in params.items()} or None)


def link(screen: Screen, label: str, **params: int | str) -> None:
    """A real link to a page of this person's navigation (opens in a new tab too, its address can be
    copied); following it runs that page once, where a button and go() run this page first."""
    st.page_link(page_file(screen), label=label, query_params={k: str(v) for k, v in params.items()} or None)


def navigation(user: User | None, unread: int) -> dict[str, list[st.Page]]:
    """The st.navigation sections for this person, titles in their language."""
    result: dict[str, list[st.Page]] = {}
    for section, specs in SECTIONS.items():
        pages = []
        for spec in specs:
            if not spec.who(user):
                continue
            title = t("nav.inbox_unread", count=unread) if spec.screen is S.INBOX and unread else t(spec.title_key)
            pages.append(st.Page(str(PAGES.parent / page_file(spec.screen)), title=title, icon=spec.icon,
                                 url_path=path(spec.screen).removeprefix("/") or None, default=spec.screen is HOME,
                                 visibility="hidden" if spec.hidden else "visible"))
        if pages:
            result[t(section)] = pages
    return result
