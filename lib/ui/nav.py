"""Which pages each person sees: built on every run from the current user's roles."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.domain.accounts import Role, User
from lib.domain.permissions import is_admin, is_staff
from lib.ui.i18n import t

PAGES = Path(__file__).resolve().parent.parent.parent / "pages"


def _page(name: str, title_key: str, icon: str, *, default: bool = False, hidden: bool = False,
          title: str | None = None) -> st.Page:
    return st.Page(str(PAGES / f"{name}.py"), title=title or t(title_key), icon=icon,
                   url_path=None if default else name, default=default,
                   visibility="hidden" if hidden else "visible")


def page_names_for(user: User | None) -> list[str]:
    """The page files this person may open (used by the navigation and by tests)."""
    names = ["discover", "campaigns", "shop", "idea", "campaign", "listing", "verify_email", "reset_password"]
    if user:
        names += ["submit_idea", "my_ideas", "maker", "my_preorders", "my_orders", "earnings",
                  "referrals", "inbox", "account"]
        if user.has(Role.MAKER):
            names.append("maker_orders")
    else:
        names += ["sign_in", "sign_up"]
    if is_staff(user):
        names += ["moderation", "audit_log"]
    if is_admin(user):
        names += ["admin_users", "admin_settings", "admin_payouts", "admin_outbox"]
    return names


# (file, title key, icon, hidden); the first is the home page.
SECTIONS = {
    "nav.section.market": [
        ("discover", "nav.discover", ":material/lightbulb:", False),
        ("campaigns", "nav.campaigns", ":material/rocket_launch:", False),
        ("shop", "nav.shop", ":material/storefront:", False),
        ("idea", "nav.idea", ":material/description:", True),
        ("campaign", "nav.campaign", ":material/rocket:", True),
        ("listing", "nav.listing", ":material/sell:", True),
    ],
    "nav.section.create": [
        ("submit_idea", "nav.submit_idea", ":material/add_circle:", False),
        ("my_ideas", "nav.my_ideas", ":material/inventory_2:", False),
        ("maker", "nav.maker", ":material/precision_manufacturing:", False),
        ("maker_orders", "nav.maker_orders", ":material/local_shipping:", False),
    ],
    "nav.section.account": [
        ("my_preorders", "nav.my_preorders", ":material/shopping_bag:", False),
        ("my_orders", "nav.my_orders", ":material/receipt_long:", False),
        ("earnings", "nav.earnings", ":material/payments:", False),
        ("referrals", "nav.referrals", ":material/share:", False),
        ("inbox", "nav.inbox", ":material/inbox:", False),
        ("account", "nav.account", ":material/person:", False),
        ("sign_in", "nav.sign_in", ":material/login:", False),
        ("sign_up", "nav.sign_up", ":material/person_add:", False),
        ("verify_email", "nav.verify_email", ":material/mark_email_read:", True),
        ("reset_password", "nav.reset_password", ":material/key:", True),
    ],
    "nav.section.staff": [
        ("moderation", "nav.moderation", ":material/gavel:", False),
        ("audit_log", "nav.audit_log", ":material/history:", False),
    ],
    "nav.section.admin": [
        ("admin_settings", "nav.admin_settings", ":material/tune:", False),
        ("admin_users", "nav.admin_users", ":material/manage_accounts:", False),
        ("admin_payouts", "nav.admin_payouts", ":material/account_balance:", False),
        ("admin_outbox", "nav.admin_outbox", ":material/outgoing_mail:", False),
    ],
}


def navigation(user: User | None, unread: int) -> dict[str, list[st.Page]]:
    """The st.navigation sections for this person, titles in their language."""
    allowed = set(page_names_for(user))
    result: dict[str, list[st.Page]] = {}
    for section, specs in SECTIONS.items():
        pages = []
        for name, title_key, icon, hidden in specs:
            if name not in allowed:
                continue
            title = t("nav.inbox_unread", count=unread) if name == "inbox" and unread else None
            pages.append(_page(name, title_key, icon, default=name == "discover", hidden=hidden,
                               title=title))
        if pages:
            result[t(section)] = pages
    return result
