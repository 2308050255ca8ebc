"""A fake payment gateway (our own port) and fixtures for campaigns, orders and the shop (a pytest plugin)."""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest

from lib.domain.accounts import Role
from lib.domain.money import Money
from lib.services.campaigns import makers
from lib.services.ideas import moderation, support
from lib.services.payments.ports import (
    CardSetup,
    ChargeResult,
    InvalidWebhook,
    PaymentEventKind,
    PaymentMethodRefused,
    RefundResult,
    SavedCard,
    WebhookEvent,
)
from tests.journey_fixtures import fields

GOOD, DECLINE_ON_CHARGE, DECLINE_ON_SAVE = "4242424242424242", "4000000000000341", "4000000000000002"
_n = itertools.count(1)


class Crash(BaseException):
    """Stands for the process dying mid-settlement (not an Exception: nothing catches it)."""


@dataclass
class FakeGateway:
    """Keeps what a provider would: customers, saved cards, charges (by attempt key), holds."""

    name: str = "fake"
    test_mode: bool = True
    publishable_key: str | None = None
    js_url: str | None = None
    charges: list[tuple[str, int, str]] = field(default_factory=list)  # (attempt key, amount, currency)
    holds: dict[str, str] = field(default_factory=dict)  # ref -> "held" | "captured" | "released"
    crash_after_charges: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create_customer(self, email, name, idempotency_key):
        return "cus_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:10]

    def start_card_setup(self, customer_ref, idempotency_key):
        return CardSetup(f"seti_{next(_n)}", None)

    def finish_card_setup(self, customer_ref, setup_ref, card):
        if card not in (GOOD, DECLINE_ON_CHARGE):
            raise PaymentMethodRefused()
        return SavedCard(customer_ref, f"pm_{card}", "visa", card[-4:])

    def _pay(self, method_ref, amount: Money, key, kind):
        with self.lock:
            if method_ref == f"pm_{DECLINE_ON_CHARGE}":
                return ChargeResult("failed", None, "card_declined", "Your card was declined.")
            self.charges.append((key, amount.amount, amount.currency))
            if self.crash_after_charges is not None and len(self.charges) >= self.crash_after_charges:
                self.crash_after_charges = None
                raise Crash(f"died after {len(self.charges)} charges")
            return ChargeResult("succeeded", f"pi_{key}")

    def charge(self, customer_ref, method_ref, amount, idempotency_key, description, metadata):
        return self._pay(method_ref, amount, metadata["attempt_key"], "charge")

    def authorize(self, customer_ref, method_ref, amount, idempotency_key, description, metadata):
        if method_ref == f"pm_{DECLINE_ON_CHARGE}":
            return ChargeResult("failed", None, "card_declined", "Your card was declined.")
        ref = f"pi_hold_{idempotency_key}"
        self.holds[ref] = "held"
        return ChargeResult("authorized", ref)

    def capture(self, payment_ref, idempotency_key):
        self.holds[payment_ref] = "captured"
        return self._pay("pm_ok", Money(1, "USD"), idempotency_key, "capture")

    def release(self, payment_ref, idempotency_key):
        self.holds[payment_ref] = "released"

    def find_charge(self, customer_ref, attempt_key):
        found = [c for c in self.charges if c[0] == attempt_key]
        return ChargeResult("succeeded", f"pi_{attempt_key}") if found else None

    def refund(self, payment_ref, amount, idempotency_key):
        return RefundResult("re_1", amount)

    def parse_webhook(self, payload, signature):
        if signature != "good":
            raise InvalidWebhook("bad signature")
        import json

        body = json.loads(payload)
        kinds = {"payment_intent.succeeded": PaymentEventKind.PAYMENT_SUCCEEDED,
                 "payment_intent.payment_failed": PaymentEventKind.PAYMENT_FAILED}
        return WebhookEvent(body["id"], kinds.get(body["type"], PaymentEventKind.OTHER), body["type"],
                            body.get("ref"), attempt_key=body.get("attempt_key"),
                            failure_code=body.get("failure_code"), failure_message=body.get("failure_message"))


ADDRESS = dict(name="Mina Kim", line1="12 Hangang-daero", city="Seoul", postal_code="04301", country="KR")


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def pctx(ctx, gateway):
    """The database-backed context with the fake gateway plugged in."""
    return replace(ctx, payments=gateway)


@pytest.fixture
def maker(pctx, person):
    user = person(name="Maker")
    makers.apply_as_maker(pctx, user, business_name="Mira Works", description="Sewing and small metal parts.",
                          capabilities="sewing, stamping", location="Busan")
    makers.decide_maker(pctx, person(Role.MODERATOR), user.id, True)
    from lib.services.accounts.auth import get_user

    return get_user(pctx, user.id)


@pytest.fixture
def winning_idea(pctx, engine, category, person):
    """An idea that won: (idea id, author)."""
    from sqlalchemy import text

    from lib.services.ideas import authoring

    with engine.begin() as conn:
        conn.execute(text("UPDATE categories SET support_threshold = 1"))
    author, mod = person(name="Author"), person(Role.MODERATOR)
    idea_id = authoring.create_idea(pctx, author, fields=fields(category), submit=True)
    moderation.approve(pctx, mod, idea_id)
    assert support.support_idea(pctx, person(), idea_id) is True
    return idea_id, author


@pytest.fixture
def open_campaign(pctx, maker, winning_idea, person):
    """Open a campaign on the winning idea: unit cost 10.00, MOQ `goal`, optional cap and days."""
    from lib.services.campaigns import opening

    def make(goal: int = 3, cap: int | None = None, days: int = 30, unit_cost: int = 1000):
        idea_id, author = winning_idea
        quote_id = makers.submit_quote(pctx, maker, idea_id, unit_cost=unit_cost, moq=goal, lead_time_days=20)
        opening.consent_to_quote(pctx, author, quote_id)
        return opening.open_campaign(pctx, person(Role.MODERATOR), quote_id, days=days, cap_units=cap)

    return make


def past_deadline(engine, campaign_id: int) -> None:
    from sqlalchemy import text

    from lib.services.context import utcnow

    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET deadline = :t WHERE id = :id"),
                     {"t": utcnow() - timedelta(seconds=1), "id": campaign_id})


@pytest.fixture
def funded_campaign(pctx, engine, open_campaign, person):
    """A campaign that met its goal and was charged: (campaign id, [backers]); each backer bought
    `quantity` units with the good test card."""
    from lib.domain.campaigns import ShippingAddress
    from lib.services.campaigns import preorders, settlement

    def make(backers: int = 2, quantity: int = 1, unit_cost: int = 1000):
        campaign_id = open_campaign(goal=backers * quantity, unit_cost=unit_cost)
        people = [person(name=f"Backer {i}") for i in range(backers)]
        for backer in people:
            preorders.place_preorder(pctx, backer, campaign_id, quantity=quantity,
                                     address=ShippingAddress.clean(**ADDRESS), card=GOOD)
        past_deadline(engine, campaign_id)
        settlement.settle_campaign(pctx, campaign_id)
        return campaign_id, people

    return make
