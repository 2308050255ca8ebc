"""Payment gateways: the local test-mode one (the default) and Stripe (when keys are set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lib.adapters.payments.local_gateway import LocalGateway

if TYPE_CHECKING:
    from lib.config import Settings
    from lib.services.payments.ports import PaymentGateway


def make_gateway(settings: Settings) -> PaymentGateway:
    """Stripe when a secret key is configured, else the local test-mode gateway."""
    if not settings.stripe_secret_key:
        return LocalGateway()
    from lib.adapters.payments.stripe_gateway import StripeGateway  # imports stripe only when used

    return StripeGateway(settings.stripe_secret_key, publishable_key=settings.stripe_publishable_key,
                         webhook_secret=settings.stripe_webhook_secret, api_base=settings.stripe_api_base,
                         js_url=settings.stripe_js_url)
