"""What the outcome of a pre-order's charge means, whoever reports it: settlement reading the
gateway's answer, or the provider's webhook when that answer was lost. Both call this one function,
so the backer reads the same notice and the paid pre-order gets the same order either way."""

from __future__ import annotations

import logging

from lib.domain.campaigns import DEFAULT_GRACE, PreorderStatus
from lib.services.commerce import orders
from lib.services.context import AppContext
from lib.services.messaging.notifications import money_param, notify
from lib.services.payments.ports import ChargeResult
from lib.services.routes import campaign_link
from lib.services.uow import AbstractUnitOfWork

log = logging.getLogger(__name__)


def record_charge_outcome(ctx: AppContext, uow: AbstractUnitOfWork, attempt_key: str, result: ChargeResult) -> None:
    """Close the attempt; a charged pre-order becomes paid (with its order), a declined one enters the
    grace period; the backer is told. Only the first report moves the pre-order, so a second one
    (the webhook after settlement, or the reverse) changes nothing."""
    now = ctx.now()
    uow.campaigns.finish_attempt(attempt_key, result.status, result.payment_ref, result.failure_code, now)
    if result.status == "authorized":
        return  # a hold was placed; settlement captures it later
    attempt = uow.campaigns.attempt(attempt_key)
    preorder = uow.campaigns.preorder(attempt.preorder_id) if attempt else None
    if preorder is None:
        log.error("charge outcome for unknown attempt %s", attempt_key)
        return
    campaign = uow.campaigns.campaign(preorder.campaign_id)
    title = campaign.title if campaign else ""
    link = campaign_link(preorder.campaign_id)
    if result.status == "succeeded":
        if uow.campaigns.move_preorder(preorder.id, [PreorderStatus.CHARGING], PreorderStatus.PAID, now,
                                       payment_ref=result.payment_ref, failure_message=None):
            orders.order_from_preorder(ctx, uow, preorder.id)
            notify(ctx, uow, preorder.user_id, "preorder_charged", link=link, title=title,
                   amount=money_param(preorder.amount))
    elif uow.campaigns.move_preorder(preorder.id, [PreorderStatus.CHARGING], PreorderStatus.PAYMENT_FAILED, now,
                                     grace_until=now + DEFAULT_GRACE,
                                     failure_message=(result.failure_message or "")[:300]):
        notify(ctx, uow, preorder.user_id, "preorder_payment_failed", link=link, title=title,
               days=DEFAULT_GRACE.days)
