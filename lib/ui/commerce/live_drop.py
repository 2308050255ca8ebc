"""A listing's live part: a drop's countdown and the units left, kept current in the browser.

A script-only `st.components.v2` component draws its own elements (changing the text of elements
React drew breaks React's next render), ticks the countdown itself and polls
`/api/listings/{id}/stock` (lib/web/live.py); the page runs again only when the drop opens or the
listing sells out (or comes back).
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from lib.domain.orders import Listing, ListingStatus
from lib.ui.commerce.listing_panels import starts_text
from lib.ui.i18n import t


def stock_line(listing: Listing) -> None:
    """What stops a purchase, as of this run (not on sale, sold out); live_listing shows the units left."""
    if listing.status is not ListingStatus.ACTIVE:
        st.warning(t("error.listing_unavailable"))
    elif not listing.units_left:
        st.error(t("shop.sold_out"))


def live_listing(listing: Listing, on_sale: bool) -> None:
    """A drop's countdown and the units left, kept live without a server run per viewer per second: the
    browser ticks the countdown itself and polls /api/listings/{id}/stock (read once a second for all
    viewers together); only when the drop opens or the listing sells out (or comes back) does the page
    run again, so the buy form appears or goes at once."""
    now = datetime.now(UTC)
    opening = listing.starts_at is not None and not listing.started(now)
    if opening:
        st.caption(starts_text(listing.starts_at))  # type: ignore[arg-type]
    ms_left = int((listing.starts_at - now).total_seconds() * 1000) if opening else 0  # type: ignore[operator]
    _live_component()(key="listing_live", on_changed_change=lambda: None, data={
        "ms_to_start": ms_left, "drop_label": t("shop.drop_label"),
        "countdown": t("shop.drop_countdown", days="{days}", clock="{clock}"),
        "stock_url": f"/api/listings/{listing.id}/stock", "on_sale": on_sale, "units_left": listing.units_left,
        "units_text": t("shop.units_left", count="{count}"), "poll_ms": POLL_BEFORE_MS if opening else POLL_MS})


# How often a listing page asks for its stock: while on sale (a rush sells out in seconds), and while a
# drop counts down (nothing sells before it opens; a maker may still add stock).
POLL_MS, POLL_BEFORE_MS = 3000, 30_000
_LIVE_JS = """
export default function ({ data, parentElement, setTriggerValue }) {
  if (parentElement.__ccLive) { parentElement.__ccLive(); }
  if (!data) { return; }
  const opensAt = data.ms_to_start > 0 ? performance.now() + data.ms_to_start : null;
  const root = document.createElement("div");
  root.className = "cc-live";
  const drop = document.createElement("div");
  drop.className = "cc-live-drop";
  const label = document.createElement("div");
  label.className = "cc-live-label";
  label.textContent = data.drop_label;
  const clock = document.createElement("div");
  clock.className = "cc-live-clock";
  clock.setAttribute("data-testid", "cc-countdown");
  drop.append(label, clock);
  const stock = document.createElement("div");
  stock.className = "cc-live-stock";
  stock.setAttribute("role", "status");
  stock.setAttribute("data-testid", "cc-stock");
  if (opensAt !== null) { root.append(drop); }
  root.append(stock);
  parentElement.appendChild(root);
  let changed = false;
  const showUnits = (units) => { stock.textContent = units > 0 ? data.units_text.replace("{count}", units) : ""; };
  const change = (why) => {
    if (changed) { return; }
    changed = true;
    stop();
    setTriggerValue("changed", why + ":" + Date.now());  // the page runs again and draws what is true now
  };
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    if (opensAt === null) { return; }
    const left = Math.max(0, Math.ceil((opensAt - performance.now()) / 1000));
    const rest = left % 86400;
    const hms = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor((rest % 3600) / 60)) + ":" + pad(rest % 60);
    clock.textContent = data.countdown.replace("{days}", Math.floor(left / 86400)).replace("{clock}", hms);
    if (performance.now() >= opensAt + 250) { change("opened"); }
  };
  const poll = () => {
    if (document.visibilityState === "hidden") { return; }
    fetch(data.stock_url, { credentials: "same-origin" }).then((r) => r.ok ? r.json() : null).then((s) => {
      if (!s || changed) { return; }
      showUnits(s.units_left);
      if (opensAt === null && s.on_sale !== data.on_sale) { change("stock"); }  // sold out, or back
    }).catch(() => {});
  };
  const ticker = setInterval(tick, 1000);
  const poller = setInterval(poll, data.poll_ms + Math.floor(Math.random() * 500));
  const stop = () => { clearInterval(ticker); clearInterval(poller); root.remove(); parentElement.__ccLive = null; };
  parentElement.__ccLive = stop;
  showUnits(data.units_left);
  tick();
  return stop;
}
"""
_LIVE_CSS = """
.cc-live { display: flex; flex-direction: column; gap: 0.25rem; }
.cc-live-label { font-size: 0.875rem; }
.cc-live-clock { font-size: 2rem; font-variant-numeric: tabular-nums; }
.cc-live-stock { font-size: 0.875rem; }
"""


@st.cache_resource
def _live_component():  # type: ignore[no-untyped-def]
    return st.components.v2.component("cocreate_live_listing", js=_LIVE_JS, css=_LIVE_CSS)
