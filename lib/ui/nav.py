"""Which pages each person sees, built on every run from the current user's roles, and the one
way to open a page. Names and addresses come from the route table (lib.services.routes.Screen)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, NoReturn

import streamlit as st

from lib.domain.accounts import User
from lib.domain.permissions import Predicate, is_admin, is_maker, is_signed_in, is_staff
from lib.services.routes import HOME, Screen, href, path
from lib.ui.i18n import t
from lib.ui.params import query_params_except, query_return_address

PAGES = Path(__file__).resolve().parent.parent.parent / "pages"
CURRENT_KEY = "navigation.current_screen"  # session state, not a text
# What an unknown address may be for its own "does not exist" page (st.Page refuses "/" in a url path).
_UNKNOWN_NAME = re.compile(r"[A-Za-z0-9_.~-]{1,80}")

anyone = Predicate("anyone", lambda _a, _o: True)
is_visitor = ~is_signed_in
S = Screen


class NavPage(NamedTuple):
    screen: Screen
    title_key: str
    icon: str
    who: Predicate  # who has it (in the sidebar; everyone else meets the shell's guard on it)
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


def spec_of(screen: Screen) -> NavPage:
    return next(spec for specs in SECTIONS.values() for spec in specs if spec.screen is screen)


def may_open(user: User | None, screen: Screen) -> bool:
    """Whether this person has the page (everyone else meets the shell's guard there)."""
    return spec_of(screen).who(user)


def screen_of(url_path: str) -> Screen | None:
    """The screen a registered page's url path names ("" is the home page); None for an unknown address."""
    return HOME if url_path == "" else next((s for s in Screen if s.value == url_path), None)


def here() -> str:
    """This page's own address with its query parameters ("/listing?id=3"), to come back to after
    signing in; on the sign-in and sign-up pages, the address they were opened to return to."""
    screen = st.session_state.get(CURRENT_KEY)
    if not isinstance(screen, Screen):
        return path(HOME)
    if screen in (S.SIGN_IN, S.SIGN_UP):
        target = query_return_address()
        return href(target[0], **target[1]) if target else path(HOME)
    return href(screen, **query_params_except("lang"))


def sign_in_link(label: str, name: str) -> None:
    """A link to the sign-in page, drawn as the page's main button (assets/style.css), that brings the
    person back to this page afterwards; `name` tells it apart from another on the same page."""
    with st.container(key=f"cc-sign-in-cta-{name}", width="content"):
        st.page_link(page_file(S.SIGN_IN), label=label, icon=":material/login:", query_params={"next": here()})


def navigation(user: User | None, unread: int, unknown: Callable[[], None], requested: str | None) -> list[st.Page]:
    """Every page for everyone, titles in their language: a person who may not open one meets the
    shell's guard there instead of silently landing on the home page. An address that names no page
    (`requested`) gets its own page drawn by `unknown`, so the browser keeps the address and reads
    "this page does not exist" in the person's language (not Streamlit's English "Page not found")."""
    pages = []
    for specs in SECTIONS.values():
        for spec in specs:
            title = _title(spec, unread if spec.who(user) else 0)
            pages.append(st.Page(str(PAGES.parent / page_file(spec.screen)), title=title, icon=spec.icon,
                                 url_path=path(spec.screen).removeprefix("/") or None, default=spec.screen is HOME))
    if requested and screen_of(requested) is None and _UNKNOWN_NAME.fullmatch(requested):
        pages.append(st.Page(unknown, title=t("nav.not_found"), icon=":material/help:", url_path=requested))
    return pages


def _title(spec: NavPage, unread: int) -> str:
    return t("nav.inbox_unread", count=unread) if spec.screen is S.INBOX and unread else t(spec.title_key)


def sidebar(user: User | None, unread: int) -> None:
    """Our own navigation in the sidebar: every page this person has, under its section's heading,
    the current one marked (Streamlit's own menu folds after ten entries behind "View N more", and
    its list markup fails accessibility checks)."""
    with st.sidebar.container(key="cc-nav"):
        for section, specs in SECTIONS.items():
            shown = [spec for spec in specs if not spec.hidden and spec.who(user)]
            if not shown:
                continue
            st.markdown(f"**{t(section)}**")
            for spec in shown:
                if spec.screen in (S.SIGN_IN, S.SIGN_UP):  # back here afterwards
                    st.page_link(page_file(spec.screen), label=t(spec.title_key), icon=spec.icon,
                                 query_params={"next": here()})
                else:
                    st.page_link(page_file(spec.screen), label=_title(spec, unread), icon=spec.icon)
