"""Money, numbers, dates and times as the viewer reads them: formatted for the session's language by
Babel (CLDR data, not hand-written formats or symbol tables), in the viewer's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, get_currency_name

from lib.domain.money import Money
from lib.ui.i18n import current_language
from lib.ui.session import ctx, current_user

# The CLDR locale each interface language formats with (US and South Korean conventions).
LOCALES = {"en": "en_US", "ko": "ko_KR"}


def _locale() -> str:
    return LOCALES.get(current_language(), "en_US")


def money(value: Money | int | None, currency: str | None = None) -> str:
    """'$1,250.50', '₩15,000'; in Korean 'US$25.00' (Babel's choice: a Korean reader's '$' is not the
    won). Zero-decimal currencies show no decimals. None (no amount) is an empty text."""
    if value is None:
        return ""
    amount = value if isinstance(value, Money) else Money(int(value), currency or ctx().currency)
    major = Decimal(amount.amount).scaleb(-amount.exponent)  # exact: no float on the way
    return str(format_currency(major, amount.currency, locale=_locale()))


def currency_name(code: str) -> str:
    """The currency's name as the language says it ('US dollars', '미국 달러')."""
    return str(get_currency_name(code, count=2, locale=_locale()))


def zone_name() -> str:
    """The viewer's time zone: the browser's (sent with every run), else the account's choice, else UTC."""
    browser = st.context.timezone  # asked first: the account is looked up only when the browser says nothing usable
    if browser and _zone(browser) is not None:
        return browser
    account = _account_zone()
    return account if account and _zone(account) is not None else "UTC"


def local_zone() -> tzinfo:
    """The viewer's time zone as a tzinfo (what a date and time they type means)."""
    return _zone(zone_name()) or UTC


def _account_zone() -> str | None:
    user = current_user()
    return user.time_zone if user is not None else None


def _zone(name: str) -> tzinfo | None:
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def when(moment: datetime | None) -> str:
    """A date and time in the viewer's zone ('Dec 2, 2026, 1:05 PM' / '2026. 12. 2. 오후 1:05'); the zone
    is named only when it is UTC (a reader elsewhere must not take UTC for their own clock)."""
    if moment is None:
        return ""
    name = zone_name()
    local = _aware(moment).astimezone(local_zone())
    locale = Locale.parse(_locale())
    # The language's own way to join a medium date and a short time (no seconds).
    text = str(locale.datetime_formats["medium"]).format(format_time(local, "short", locale=locale),
                                                         format_date(local, "medium", locale=locale))
    return f"{text} UTC" if name == "UTC" else text


def day(moment: datetime | date | None) -> str:
    """A date alone ('Dec 2, 2026' / '2026. 12. 2.'), the day it is in the viewer's zone."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = _aware(moment).astimezone(local_zone()).date()
    return str(format_date(moment, "medium", locale=_locale()))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def request_base() -> str | None:
    """The address this browser reached the app at ('https://host:port' plus Streamlit's base path):
    the browser's own URL, else the request's headers (behind a proxy X-Forwarded-Proto/Host)."""
    url = st.context.url
    if url:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.netloc
    else:
        headers = st.context.headers
        host = headers.get("X-Forwarded-Host") or headers.get("Host") or ""
        scheme = (headers.get("X-Forwarded-Proto") or "http").split(",")[0].strip()
        host = host.split(",")[0].strip()
    if scheme not in ("http", "https") or not host or not all(c.isalnum() or c in ".-:[]" for c in host):
        return None
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{scheme}://{host}" + (f"/{base_path}" if base_path else "")


def link_base() -> str:
    """The base of links a person copies from this page: COCREATE_BASE_URL when it is set (production),
    else the address this browser uses, else the default."""
    c = ctx()
    if c.base_url_fixed:
        return c.base_url
    return request_base() or c.base_url
