"""Card entry: a typed test card for the local gateway, or Stripe.js Elements for Stripe.

The Stripe part is a script-only `st.components.v2` component (its JavaScript runs in the app
page, like the cookie bridge in lib/ui/session.py): it loads Stripe.js from the gateway's
`js_url`, mounts a card Element, and on its own button confirms the SetupIntent whose
client secret the server created (campaigns.begin_card_setup). Only the SetupIntent id comes
back to Python; card numbers never reach our server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError
from lib.ui.address import address_inputs, past_address_choices
from lib.ui.components import show_error
from lib.ui.forms import attempt, request_key
from lib.ui.i18n import current_language, t
from lib.ui.session import ctx

# The local gateway's documented test cards (shown to people; the gateway decides what they do).
TEST_CARDS = (
    ("4242 4242 4242 4242", "card.test_works"),
    ("4000 0000 0000 0341", "card.test_fails_later"),
    ("4000 0000 0000 0002", "card.test_declined"),
)

_STRIPE_JS = """
function loadStripe(url) {
  window.__ccStripeLoads = window.__ccStripeLoads || {};
  if (!window.__ccStripeLoads[url]) {
    window.__ccStripeLoads[url] = new Promise((resolve, reject) => {
      if (typeof window.Stripe === "function") { resolve(); return; }
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => { delete window.__ccStripeLoads[url]; reject(new Error("Stripe.js")); };
      document.head.appendChild(script);
    });
  }
  return window.__ccStripeLoads[url];
}

export default function ({ data, parentElement, setTriggerValue }) {
  if (!data || !data.js_url || !data.publishable_key || !data.client_secret) { return; }
  const kept = parentElement.__ccCardEntry;
  if (kept && kept.secret === data.client_secret) { return kept.cleanup; }  // keep what was typed
  if (kept) { kept.cleanup(); }
  const labels = data.labels || {};
  const root = document.createElement("div");
  root.className = "cc-card-entry";
  const title = document.createElement("div");
  title.className = "cc-card-label";
  title.textContent = labels.card || "";
  const mount = document.createElement("div");
  mount.className = "cc-card-element";
  mount.setAttribute("data-testid", "cc-card-element");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "cc-card-submit";
  button.textContent = labels.submit || "OK";
  button.disabled = true;
  const message = document.createElement("div");
  message.className = "cc-card-message";
  message.setAttribute("role", "alert");
  root.append(title, mount, button, message);
  parentElement.appendChild(root);

  let stripe = null, card = null, gone = false;
  loadStripe(data.js_url).then(() => {
    if (gone) { return; }
    stripe = window.Stripe(data.publishable_key);
    card = stripe.elements({ locale: data.locale || "auto" }).create("card");
    card.mount(mount);
    button.disabled = false;
  }).catch(() => { message.textContent = labels.unavailable || ""; });

  button.addEventListener("click", async () => {
    if (!stripe || !card) { return; }
    button.disabled = true;
    message.textContent = labels.working || "";
    try {
      const result = await stripe.confirmCardSetup(data.client_secret, { payment_method: { card: card } });
      if (result.error || !result.setupIntent) {
        const detail = result.error && result.error.message ? " " + result.error.message : "";
        message.textContent = (labels.refused || "") + detail;
        button.disabled = false;
        return;
      }
      message.textContent = labels.saved || "";
      setTriggerValue("setup", result.setupIntent.id);
    } catch (err) {
      message.textContent = labels.unavailable || "";
      button.disabled = false;
    }
  });

  const cleanup = () => {
    gone = true;
    if (card) { try { card.destroy(); } catch (err) { /* already gone */ } }
    root.remove();
    if (parentElement.__ccCardEntry && parentElement.__ccCardEntry.cleanup === cleanup) {
      parentElement.__ccCardEntry = null;
    }
  };
  parentElement.__ccCardEntry = { secret: data.client_secret, cleanup: cleanup };
  return cleanup;
}
"""

_CSS = """
.cc-card-entry { display: flex; flex-direction: column; gap: 0.5rem; }
.cc-card-element { padding: 0.6rem; border: 1px solid rgba(128, 128, 128, 0.4); border-radius: 0.5rem; }
.cc-card-submit { align-self: flex-start; padding: 0.4rem 1rem; border-radius: 0.5rem; cursor: pointer; }
.cc-card-message { min-height: 1.2rem; }
"""


@st.cache_resource
def _card_component():  # type: ignore[no-untyped-def]
    # Not style-isolated: Stripe Elements mount their iframe into an ordinary DOM element.
    return st.components.v2.component("cocreate_card_entry", js=_STRIPE_JS, css=_CSS, isolate_styles=False)


def uses_browser(gateway: Any) -> bool:
    """Stripe saves cards in the browser (Stripe.js); the local gateway takes a typed test card."""
    return bool(getattr(gateway, "publishable_key", None))


def local_card_input(key: str) -> str:
    """The local gateway's card field, clearly labelled as test mode, with its test cards."""
    st.warning(t("card.test_mode"), icon=":material/science:")
    st.markdown("\n".join(f"- `{number}` — {t(meaning)}" for number, meaning in TEST_CARDS))
    return st.text_input(t("card.test_number"), key=key, max_chars=23, placeholder=TEST_CARDS[0][0],
                         autocomplete="off")


def stripe_card_entry(gateway: Any, client_secret: str, key: str, submit_label: str) -> str | None:
    """Mount Stripe's card Element; the SetupIntent id once the browser confirmed it, else None."""
    if gateway.test_mode:
        st.caption(t("card.stripe_test_mode"))
    result = _card_component()(
        key=key, on_setup_change=lambda: None,
        data={"js_url": gateway.js_url, "publishable_key": gateway.publishable_key,
              "client_secret": client_secret, "locale": current_language(),
              "labels": {"card": t("card.label"), "submit": submit_label, "working": t("card.working"),
                         "saved": t("card.saved"), "refused": t("error.card_refused"),
                         "unavailable": t("error.payments_unavailable")}})
    setup = getattr(result, "setup", None)
    return str(setup) if setup else None


def save_card_then(gateway: Any, secret: str, key: str, submit_label: str, *, secret_key: str,
                   pay: Callable[[str], object], success: str,
                   show: Callable[[DomainError], None] = show_error) -> None:
    """Stripe.js saves the card; with the SetupIntent id it hands back, forget the one-use secret
    kept under `secret_key` and `pay` (a DomainError is shown, else `success` after the rerun)."""
    setup_ref = stripe_card_entry(gateway, secret, key, submit_label)
    if setup_ref:
        st.session_state.pop(secret_key, None)  # a SetupIntent is used once, whatever happens
        attempt(lambda: pay(setup_ref), success, show=show)


@dataclass(frozen=True)
class CardCheckout:
    """What one card purchase (a pre-order, a shop order) says and calls; card_checkout draws it."""

    prefix: str  # of its session and widget keys
    form_key: str
    title: str
    note: str  # under the title: when the card is charged
    quantity: Callable[[], float]  # draws the quantity input
    total: Callable[[int], str]  # what that quantity costs and when it is charged, shown before the button
    submit: str  # the form's button with a typed test card (local gateway)
    to_card: str  # the form's button that moves on to Stripe's card step
    check: Callable[[int], object]  # what can be refused before Stripe saves a card for nothing
    begin: Callable[[], Any]  # a SetupIntent for Stripe.js (with its client_secret)
    # quantity, address, card, setup_ref, request_key (one per drawing of the form: two clicks, one order)
    place: Callable[[int, ShippingAddress, str | None, str | None, str], object]
    done: Callable[[int], str]  # the message once placed
    card_title: str
    card_summary: Callable[[int], str]
    pay_label: str
    change_label: str
    show: Callable[[DomainError], None]


def card_checkout(user: User, c: CardCheckout) -> None:
    """Quantity, shipping address and card. The local gateway takes a typed test card in the form;
    with Stripe the form comes first, then Stripe.js saves the card and only the SetupIntent id returns."""
    gateway = ctx().payments
    if gateway is None:
        st.info(t("error.payments_unavailable"))
        return
    browser = uses_browser(gateway)
    pending = st.session_state.get(f"{c.prefix}.pending")
    if pending and browser:
        _card_step(gateway, c, pending)
        return
    st.subheader(c.title, anchor=False)
    st.caption(c.note)
    units = int(c.quantity())  # outside the form: the total drawn before the button follows it at once
    past_address_choices(c.prefix, user)
    with st.form(c.form_key):
        fields = address_inputs(c.prefix, user)
        card = None if browser else local_card_input(f"{c.prefix}.card")
        st.markdown(c.total(units))
        submitted = st.form_submit_button(c.to_card if browser else c.submit, type="primary")
    key = request_key(c.prefix, submitted)
    if not submitted:
        return

    def place() -> None:
        address = ShippingAddress.clean(**fields)
        if browser:
            c.check(units)
            st.session_state[f"{c.prefix}.pending"] = {"quantity": units, "address": asdict(address),
                                                       "secret": c.begin().client_secret, "request_key": key}
            st.rerun()
        c.place(units, address, card, None, key)

    attempt(place, c.done(units), show=c.show)


def _card_step(gateway: Any, c: CardCheckout, pending: dict[str, Any]) -> None:
    """Stripe's step: what is being paid for, the card Element, and a way back to the form."""
    quantity, address = pending["quantity"], ShippingAddress(**pending["address"])
    st.subheader(c.card_title, anchor=False)
    st.caption(c.card_summary(quantity))
    save_card_then(gateway, pending["secret"], f"{c.prefix}.card_entry", c.pay_label, secret_key=f"{c.prefix}.pending",
                   pay=lambda setup_ref: c.place(quantity, address, None, setup_ref, pending["request_key"]),
                   success=c.done(quantity),
                   show=c.show)
    if st.button(c.change_label, key=f"{c.prefix}.change_details"):
        st.session_state.pop(f"{c.prefix}.pending", None)
        st.rerun()
