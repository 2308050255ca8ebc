"""Idempotency keys for calls to the payment provider, built in one place: a mistyped key would
silently stop a retried call from being recognised as the same call."""

from __future__ import annotations

from enum import StrEnum

from lib.services.context import AppContext


class KeyFor(StrEnum):
    """What a key is about; the first part of every key after the per-database prefix."""

    CUSTOMER = "customer"
    CAMPAIGN_SETUP = "setup"
    PREORDER = "preorder"
    SHOP_SETUP = "shop-setup"
    SHOP_ORDER = "shop-order"
    REFUND = "refund"


class Step(StrEnum):
    """The call made about it."""

    SETUP = "setup"
    UPDATE = "update"
    AUTHORIZE = "authorize"
    CHARGE = "charge"
    CAPTURE = "capture"
    RELEASE = "release"
    REFUND_LATE = "refund-late"


def payment_key(ctx: AppContext, subject: KeyFor, subject_id: int, *parts: Step | int | float) -> str:
    """`<prefix><subject>:<id>[:<part>...]`, e.g. payment_key(ctx, KeyFor.PREORDER, 7, Step.CHARGE, 1)."""
    return ctx.key_prefix + ":".join([subject.value, str(subject_id), *(str(p) for p in parts)])
