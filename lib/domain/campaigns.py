"""Makers, quotes, campaigns and pre-orders: all or nothing, charged only when a campaign is funded."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from lib.domain.errors import DomainError, InvalidInput
from lib.domain.limits import MAX_UNITS, check_amount, check_count
from lib.domain.money import Money
from lib.domain.text import multi_line, one_line

BASIS_POINTS = 10_000
DEFAULT_RATES_BPS = {"platform_fee": 1000, "creator_royalty": 500, "co_creator_pool": 100}
DEFAULT_CAMPAIGN_DAYS = 30
DEFAULT_GRACE = timedelta(days=7)
# A manual-capture hold lasts about 7 days (about 5 for some merchant-initiated Visa payments):
# only campaigns this short authorise at pre-order; longer ones save the card and charge later.
HOLD_MAX = timedelta(days=5)
MAX_QUANTITY = 100
MAX_ACCOUNT_LIMIT = 1_000_000
MAX_MOQ = 1_000_000
MAX_LEAD_DAYS = 365
ADDRESS_LINE_MAX = 200


class MakerStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    DECLINED = "declined"


class QuoteStatus(StrEnum):
    OPEN = "open"
    WITHDRAWN = "withdrawn"
    CHOSEN = "chosen"
    NOT_CHOSEN = "not_chosen"


class CampaignStatus(StrEnum):
    OPEN = "open"
    SETTLING = "settling"
    FUNDED = "funded"
    FAILED = "failed"


class PreorderStatus(StrEnum):
    RESERVED = "reserved"  # units held while the card is being saved (released if that fails)
    PLEDGED = "pledged"  # card saved or hold placed; nothing charged
    CHARGING = "charging"  # claimed by a settlement run; the gateway call may be in flight
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"  # in its grace period: the backer can update the card
    DROPPED = "dropped"  # grace ran out without a working card
    CANCELLED = "cancelled"  # the backer cancelled before the deadline
    RELEASED = "released"  # the goal was not met: the hold or saved card is let go


class NotVerifiedMaker(DomainError):
    key = "error.not_verified_maker"


class SoldOut(DomainError):
    key = "error.sold_out"


class CampaignClosed(DomainError):
    key = "error.campaign_closed"


class PreorderLimitReached(DomainError):
    """The campaign's per-account limit: this account holds all it may (or this many would pass it)."""

    key = "error.preorder_limit"


@dataclass(frozen=True)
class PriceBreakdown:
    """What a buyer pays per unit, and where it goes (shown to buyers)."""

    price: Money
    unit_cost: Money
    platform_fee: Money
    creator_royalty: Money
    co_creator_pool: Money

    @property
    def maker_share(self) -> Money:
        return self.price - self.platform_fee - self.creator_royalty - self.co_creator_pool


def breakdown(unit_cost: Money, price: Money | None = None,
              rates_bps: dict[str, int] | None = None) -> PriceBreakdown:
    """The campaign price (the lowest that covers unit cost plus the shares, unless a higher one
    is given) and its split. Shares are a percentage of the price, rounded down; the maker keeps
    the rest, which is never below the unit cost."""
    rates = rates_bps or DEFAULT_RATES_BPS
    if unit_cost.amount <= 0:
        raise InvalidInput("error.unit_cost_positive")
    total_bps = sum(rates.values())
    if not 0 <= total_bps < BASIS_POINTS:
        raise InvalidInput("error.rates_invalid")
    # Shares round down, so the smallest covering price may sit just below the exact quotient.
    minimum = max(unit_cost.amount, unit_cost.amount * BASIS_POINTS // (BASIS_POINTS - total_bps) - 2)
    while True:
        shares = [minimum * rates[k] // BASIS_POINTS for k in ("platform_fee", "creator_royalty", "co_creator_pool")]
        if minimum - sum(shares) >= unit_cost.amount:
            break
        minimum += 1
    amount = minimum if price is None else price.amount
    if price is not None and price.currency != unit_cost.currency:
        raise InvalidInput("error.currency_mismatch")
    fee, royalty, pool = (amount * rates[k] // BASIS_POINTS for k in ("platform_fee", "creator_royalty",
                                                                      "co_creator_pool"))
    if amount - fee - royalty - pool < unit_cost.amount:
        raise InvalidInput("error.price_below_cost", minimum=Money(minimum, unit_cost.currency))
    c = unit_cost.currency
    return PriceBreakdown(Money(amount, c), unit_cost, Money(fee, c), Money(royalty, c), Money(pool, c))


QUOTE_NOTES_MAX = 5000


def check_quote(unit_cost: int, moq: int, lead_time_days: int, notes: str) -> str:
    """A maker's offer checked; returns the notes as they are stored."""
    check_amount(unit_cost, "error.unit_cost_positive")
    check_count(moq, 1, MAX_MOQ, "error.moq_range", max=MAX_MOQ)
    check_count(lead_time_days, 1, MAX_LEAD_DAYS, "error.lead_time_range", max=MAX_LEAD_DAYS)
    return multi_line(notes, QUOTE_NOTES_MAX, too_long="error.notes_too_long")


def check_account_limit(limit: int | None) -> int | None:
    """A campaign's per-account limit: None (no limit) or a whole number of units from 1."""
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)
                              or not 1 <= limit <= MAX_ACCOUNT_LIMIT):
        raise InvalidInput("error.preorder_limit_range", max=MAX_ACCOUNT_LIMIT)
    return limit


def check_quantity(quantity: int) -> int:
    return check_count(quantity, 1, MAX_QUANTITY, "error.quantity_range", max=MAX_QUANTITY)


def check_cap(cap_units: int | None) -> int | None:
    """A campaign's cap on units (None: no cap)."""
    if cap_units is None:
        return None
    return check_count(cap_units, 1, MAX_UNITS, "error.cap_range", max=MAX_UNITS)


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    line2: str
    city: str
    postal_code: str
    country: str
    phone: str

    @classmethod
    def clean(cls, **fields: str) -> ShippingAddress:
        names = ("name", "line1", "line2", "city", "postal_code", "country", "phone")
        values = {k: one_line(fields.get(k), ADDRESS_LINE_MAX, too_long="error.address_too_long") for k in names}
        for required in ("name", "line1", "city", "postal_code", "country"):
            if not values[required]:
                raise InvalidInput("error.address_required", field=required)
        return cls(**values)

    def same_place(self) -> tuple[str, ...]:
        """What makes two addresses one (spacing and letter case aside), to offer each once."""
        return tuple(" ".join(str(part).split()).casefold() for part in astuple(self))


def uses_hold(opens_at: datetime, deadline: datetime) -> bool:
    """Short campaigns authorise (a hold) at pre-order; longer ones save the card."""
    return deadline - opens_at <= HOLD_MAX


@dataclass(frozen=True)
class MakerProfile:
    user_id: int
    business_name: str
    description: str
    capabilities: str
    location: str
    sample_images: tuple[str, ...]
    status: MakerStatus
    decision_note: str | None
    created_at: datetime


@dataclass(frozen=True)
class MakerApplication:
    """What a maker sends for verification (a resend replaces the last one)."""

    business_name: str
    description: str
    capabilities: str
    location: str
    sample_images: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    id: int
    idea_id: int
    maker_id: int
    maker_name: str
    unit_cost: Money
    moq: int
    lead_time_days: int
    notes: str
    image_keys: tuple[str, ...]
    status: QuoteStatus
    author_consent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Campaign:
    id: int
    idea_id: int
    maker_id: int
    title: str
    unit_cost: Money
    price: Money
    platform_fee: Money
    creator_royalty: Money
    co_creator_pool: Money
    goal_units: int
    cap_units: int | None
    pledged_units: int
    status: CampaignStatus
    opens_at: datetime
    deadline: datetime
    uses_hold: bool
    per_account_limit: int | None = None  # units one account may pre-order in all
    hidden: bool = False  # its idea was hidden by a moderator: staff only

    @property
    def units_left(self) -> int | None:
        return None if self.cap_units is None else max(0, self.cap_units - self.pledged_units)

    def accepts_preorders(self, now: datetime) -> bool:
        return self.status is CampaignStatus.OPEN and now < self.deadline and self.units_left != 0


@dataclass(frozen=True)
class NewCampaign:
    """A campaign to store, priced by its breakdown; nothing is pledged yet."""

    idea_id: int
    maker_id: int
    quote_id: int
    prices: PriceBreakdown
    goal_units: int
    cap_units: int | None
    status: CampaignStatus
    opens_at: datetime
    deadline: datetime
    uses_hold: bool
    settled_at: datetime | None = None
    per_account_limit: int | None = None


@dataclass(frozen=True)
class Preorder:
    id: int
    campaign_id: int
    user_id: int
    quantity: int
    unit_price: Money
    amount: Money
    status: PreorderStatus
    gateway: str
    customer_ref: str | None
    method_ref: str | None
    card_brand: str | None
    card_last4: str | None
    hold_ref: str | None
    payment_ref: str | None
    attempts: int
    grace_until: datetime | None
    failure_message: str | None
    referrer_id: int | None  # who referred the backer (30-day window)
    created_at: datetime
    updated_at: datetime
    address: ShippingAddress
