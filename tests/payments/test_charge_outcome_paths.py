"""Settlement and the provider's webhook report a charge's outcome through one function: the backer
reads the same notice and gets the same order whichever of the two recorded it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from lib.domain.campaigns import PreorderStatus, ShippingAddress
from lib.i18n import translate
from lib.services.campaigns import opening, preorders, settlement
from lib.services.messaging import notifications
from lib.services.payments import webhooks
from lib.services.payments.ports import ChargeResult, PaymentUnavailable
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_CHARGE, GOOD, FakeGateway, past_deadline
from tests.orders.conftest import campaign_orders


@dataclass
class LosesAnswers(FakeGateway):
    """Charges every card, but the answer for some pre-orders never arrives (a timeout after the charge)."""

    lost: set[str] = field(default_factory=set)

    def charge(self, customer_ref, method_ref, amount, idempotency_key, description, metadata):  # type: ignore[no-untyped-def]
        result = super().charge(customer_ref, method_ref, amount, idempotency_key, description, metadata)
        if metadata["preorder_id"] in self.lost:
            raise PaymentUnavailable()
        return result

    def find_charge(self, customer_ref, attempt_key):  # type: ignore[no-untyped-def]
        return None  # the provider cannot be asked either: only the webhook will tell


@pytest.fixture
def gateway() -> LosesAnswers:
    return LosesAnswers()


def _notice(pctx, user):  # type: ignore[no-untyped-def]
    (latest, *_rest) = notifications.inbox(pctx, user)
    return latest.kind, latest.link, translate("en", f"notification.{latest.kind}", **latest.params)


def _settle_with_one_answer_lost(pctx, engine, open_campaign, person, gateway, card):  # type: ignore[no-untyped-def]
    campaign_id = open_campaign(goal=2)
    by_settlement, by_webhook = person(name="Ana"), person(name="Bo")
    ids = [preorders.place_preorder(pctx, backer, campaign_id, quantity=1, address=ShippingAddress.clean(**ADDRESS),
                                    card=card) for backer in (by_settlement, by_webhook)]
    gateway.lost.add(str(ids[1]))
    past_deadline(engine, campaign_id)
    settlement.settle_campaign(pctx, campaign_id)
    with pctx.uow(write=False) as uow:
        assert uow.campaigns.preorder(ids[1]).status is PreorderStatus.CHARGING  # in doubt until the webhook
        attempt = uow.campaigns.open_attempt(ids[1])
    return campaign_id, by_settlement, by_webhook, attempt


def test_a_charge_recorded_by_the_webhook_reads_and_books_like_one_recorded_by_settlement(
        pctx, engine, open_campaign, person, gateway):
    campaign_id, by_settlement, by_webhook, attempt = _settle_with_one_answer_lost(
        pctx, engine, open_campaign, person, gateway, GOOD)
    event = {"id": "evt_paid", "type": "payment_intent.succeeded", "ref": f"pi_{attempt.idempotency_key}",
             "attempt_key": attempt.idempotency_key}
    assert webhooks.handle_webhook(pctx, json.dumps(event).encode(), "good") == "processed"

    settled_notice, webhook_notice = _notice(pctx, by_settlement), _notice(pctx, by_webhook)
    assert webhook_notice == settled_notice
    title = opening.get_campaign(pctx, campaign_id).title
    assert title and f'"{title}"' in webhook_notice[2]  # the campaign's title, never ""
    first, second = campaign_orders(pctx, campaign_id)
    same = ("source", "maker_id", "idea_id", "campaign_id", "title", "quantity", "unit_price", "amount", "status",
            "card_brand", "card_last4", "address")
    assert {name: getattr(second, name) for name in same} == {name: getattr(first, name) for name in same}
    assert (first.buyer_id, second.buyer_id) == (by_settlement.id, by_webhook.id)
    assert second.payment_ref == f"pi_{attempt.idempotency_key}"
    # A repeated delivery, or settlement learning the outcome later, changes nothing.
    assert webhooks.handle_webhook(pctx, json.dumps(event).encode(), "good") == "duplicate"
    from lib.services.campaigns.charges import record_charge_outcome

    with pctx.uow() as uow:
        record_charge_outcome(pctx, uow, attempt.idempotency_key, ChargeResult("succeeded", second.payment_ref))
        uow.commit()
    assert len(campaign_orders(pctx, campaign_id)) == 2
    assert len(notifications.inbox(pctx, by_webhook)) == len(notifications.inbox(pctx, by_settlement))


def test_a_decline_reported_by_the_webhook_reads_like_one_settlement_saw(pctx, engine, open_campaign, person,
                                                                         gateway):
    campaign_id, by_settlement, by_webhook, attempt = _settle_with_one_answer_lost(
        pctx, engine, open_campaign, person, gateway, DECLINE_ON_CHARGE)
    event = {"id": "evt_failed", "type": "payment_intent.payment_failed", "ref": None,
             "attempt_key": attempt.idempotency_key, "failure_code": "card_declined",
             "failure_message": "Your card was declined."}
    assert webhooks.handle_webhook(pctx, json.dumps(event).encode(), "good") == "processed"
    assert _notice(pctx, by_webhook) == _notice(pctx, by_settlement)
    assert _notice(pctx, by_settlement)[0] == "preorder_payment_failed"
    with pctx.uow(write=False) as uow:
        failed = uow.campaigns.preorders_for_campaign(campaign_id, [PreorderStatus.PAYMENT_FAILED])
    assert sorted(p.user_id for p in failed) == sorted([by_settlement.id, by_webhook.id])
    assert {p.failure_message for p in failed} == {"Your card was declined."}
    assert campaign_orders(pctx, campaign_id) == []
