"""Helpers for the AppTest suites: reading the database back and looking through rendered elements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

from streamlit.testing.v1 import AppTest, app_test

from lib.domain.accounts import User
from lib.services.accounts import admin
from lib.services.context import AppContext

# The one <img> the app writes itself (lib.ui.components.image): a stored key and escaped alt text, which
# cannot leave its quotes. Checks for live markup take it out first, so anything else still fails them.
OUR_IMAGE = re.compile(r'<img class="cc-img" src="/images/[0-9a-f]{64}\.(?:webp|png|jpe?g)" alt="[^"<>]*" '
                       r'loading="lazy" decoding="async">')


@contextmanager
def navigation_owns_routing() -> Iterator[None]:
    """Run every AppTest through streamlit_app.py, as the running server does.

    Because the page files live in a folder named `pages/`, Streamlit starts in its legacy
    pages-directory mode, which runs a requested page file directly, without the entry script (no
    shell, no role navigation). streamlit_app.py leaves that mode when the server imports it, but
    AppTest re-enters it before every run: leave the mode as soon as AppTest enters it."""
    original = app_test.PagesManager
    before = original.uses_pages_directory

    class NavigationPagesManager(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            original.uses_pages_directory = False

    app_test.PagesManager = NavigationPagesManager
    try:
        yield
    finally:
        app_test.PagesManager = original
        original.uses_pages_directory = before


def user_by_email(ctx: AppContext, email: str) -> User | None:
    with ctx.uow(write=False) as uow:
        return uow.users.get_by_email(email.strip().lower())


def user_count(ctx: AppContext, admin_user: User) -> int:
    return admin.list_users(ctx, admin_user, limit=1)[1]


def outbox_token(ctx: AppContext, admin_user: User, to: str, page: str = "verify_email") -> str:
    """The token from the newest link to `page` e-mailed to `to` (read through the admin outbox)."""
    for message in admin.outbox(ctx, admin_user, limit=500):
        if message.to_address == to:
            found = re.search(rf"/{page}\?token=([A-Za-z0-9_\-]+)", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no {page} link e-mailed to {to}")


def texts(at: AppTest) -> list[tuple[str, bool]]:
    """(text, allows raw HTML) of every Markdown-like element, main area and sidebar."""
    found = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "allow_html") and hasattr(proto, "body"):
            found.append((proto.body, bool(proto.allow_html)))
    return found


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def sidebar_captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def visit(at: AppTest, page: str, **params: str) -> AppTest:
    """Open a page of the running app with exactly these query parameters."""
    at.query_params.clear()
    for name, value in params.items():
        at.query_params[name] = value
    return at.switch_page(f"pages/{page}.py").run()


def links(at: AppTest) -> list[tuple[str, str, dict[str, str]]]:
    """(label, page url path, query parameters) of every st.page_link drawn (AppTest cannot click one)."""
    found = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "page_script_hash") and hasattr(proto, "query_string"):
            found.append((proto.label, proto.page.strip("/"), dict(parse_qsl(proto.query_string))))
    return found


def follow(at: AppTest, label: str) -> AppTest:
    """Open the page a drawn link whose label contains `label` points at, as a click would."""
    matches = [(page, params) for text, page, params in links(at) if label in text]
    assert matches, f"no link {label!r} among {[text for text, _, _ in links(at)]}"
    page, params = matches[0]
    return visit(at, page, **params)


def values(elements: Any) -> list[str]:
    return [e.value for e in elements]


def no_problems(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, values(at.error)


# The title key every page shows, and the message of the pages that take an ?id=.
TITLES = {
    "discover": "discover.title", "campaigns": "campaigns.title", "shop": "shop.title",
    "submit_idea": "submit.title", "my_ideas": "my_ideas.title", "inbox": "inbox.title",
    "account": "account.title", "sign_in": "sign_in.title", "sign_up": "sign_up.title",
    "verify_email": "verify.title", "reset_password": "reset.title", "moderation": "mod.title",
    "audit_log": "audit.title", "admin_users": "admin_users.title", "admin_settings": "settings.title",
    "admin_outbox": "admin_outbox.title", "maker": "maker.title", "my_preorders": "my_preorders.title",
    "maker_orders": "orders.maker_title", "my_orders": "orders.my_title", "earnings": "ledger.title",
    "admin_payouts": "ledger.admin.title", "referrals": "referrals.title",
}
NOT_FOUND = {"idea": "idea.not_found", "campaign": "campaign.not_found", "listing": "shop.listing_not_found"}
