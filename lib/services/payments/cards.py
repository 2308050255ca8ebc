"""The payment provider as campaigns and the shop both use it: the configured gateway, the user's
customer there, and saving a card (typed test card or one the browser confirmed)."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.services.context import AppContext
from lib.services.payments.keys import KeyFor, payment_key
from lib.services.payments.ports import PaymentGateway, PaymentUnavailable, SavedCard


def payment_gateway(ctx: AppContext) -> PaymentGateway:
    """The configured gateway, or PaymentUnavailable (campaigns and the shop share it)."""
    if ctx.payments is None:
        raise PaymentUnavailable()
    return ctx.payments


def payment_customer(ctx: AppContext, user: User) -> str:
    """The user's customer at the gateway, created once and remembered."""
    gateway = payment_gateway(ctx)
    with ctx.uow(write=False) as uow:
        known = uow.campaigns.customer_ref(user.id, gateway.name)
    if known:
        return str(known)
    created = gateway.create_customer(user.email, user.display_name, payment_key(ctx, KeyFor.CUSTOMER, user.id))
    with ctx.uow() as uow:
        ref = uow.campaigns.save_customer_ref(user.id, gateway.name, created)
        uow.commit()
    return ref


def save_card(ctx: AppContext, user: User, setup_ref: str | None, card: str | None, setup_key: str) -> SavedCard:
    """Save the user's card: finish the setup the browser confirmed (setup_ref), or start one under
    setup_key and finish it with the typed test card. Raises PaymentMethodRefused / PaymentUnavailable."""
    gateway = payment_gateway(ctx)
    customer = payment_customer(ctx, user)
    if setup_ref is None:
        setup_ref = gateway.start_card_setup(customer, setup_key).setup_ref
    return gateway.finish_card_setup(customer, setup_ref, card)
