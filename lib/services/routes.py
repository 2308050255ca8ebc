"""The app's screens and their addresses: the one table that the navigation, inbox links and
e-mailed links are built from, so renaming a screen cannot silently break a link."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import parse_qsl, urlencode


class Screen(StrEnum):
    """One screen of the app; its value is the page file's name in pages/ and its URL path."""

    DISCOVER = "discover"
    CAMPAIGNS = "campaigns"
    SHOP = "shop"
    IDEA = "idea"
    CAMPAIGN = "campaign"
    LISTING = "listing"
    SUBMIT_IDEA = "submit_idea"
    MY_IDEAS = "my_ideas"
    MAKER = "maker"
    MAKER_ORDERS = "maker_orders"
    MY_PREORDERS = "my_preorders"
    MY_ORDERS = "my_orders"
    EARNINGS = "earnings"
    REFERRALS = "referrals"
    INBOX = "inbox"
    ACCOUNT = "account"
    SIGN_IN = "sign_in"
    SIGN_UP = "sign_up"
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a screen name, not a secret
    MODERATION = "moderation"
    AUDIT_LOG = "audit_log"
    ADMIN_SETTINGS = "admin_settings"
    ADMIN_USERS = "admin_users"
    ADMIN_PAYOUTS = "admin_payouts"
    ADMIN_OUTBOX = "admin_outbox"


HOME = Screen.DISCOVER


def path(screen: Screen) -> str:
    """The URL path of a screen ("/" for the home screen)."""
    return "/" if screen is HOME else f"/{screen.value}"


def href(screen: Screen, **params: int | str) -> str:
    """A site-relative link to a screen with its query parameters, e.g. href(Screen.IDEA, id=3)."""
    query = urlencode(params)
    return path(screen) + (f"?{query}" if query else "")


def absolute(base_url: str, screen: Screen, **params: int | str) -> str:
    """The same link under the deployment's base URL (for e-mail)."""
    return base_url.rstrip("/") + href(screen, **params)


def idea_link(idea_id: int) -> str:
    return href(Screen.IDEA, id=idea_id)


def campaign_link(campaign_id: int) -> str:
    return href(Screen.CAMPAIGN, id=campaign_id)


def listing_link(listing_id: int) -> str:
    return href(Screen.LISTING, id=listing_id)


MAX_RETURN_ADDRESS = 500  # a page address with a few ids; anything longer is not one of ours
MAX_RETURN_PARAMS = 8


def parse_href(text: object) -> tuple[Screen, dict[str, str]] | None:
    """A site-relative page address as href() writes it ("/listing?id=3"), read back through the route
    table: the screen and its query parameters, or None for anything else (another site, "//host",
    a scheme, a path that names no screen), so a return address can never lead off the site."""
    if not isinstance(text, str) or not text.startswith("/") or text.startswith("//") or "\\" in text:
        return None
    if len(text) > MAX_RETURN_ADDRESS or any(ord(c) < 0x20 or c.isspace() for c in text):
        return None
    address, _, query = text.partition("?")
    address = address.split("#", 1)[0]
    screen = next((s for s in Screen if path(s) == address), None)
    if screen is None:
        return None
    params = parse_qsl(query.split("#", 1)[0], keep_blank_values=False)
    if len(params) > MAX_RETURN_PARAMS:
        return None
    return screen, dict(params)
