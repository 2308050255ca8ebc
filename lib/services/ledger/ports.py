"""What the ledger context needs from storage: double-entry transactions, payouts and referral
attribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lib.domain.ledger import Account, Payable, Payout, PayoutStatus, Posting
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.domain.referrals import Conversion


@dataclass(frozen=True)
class LedgerLine:
    """One entry of a payee's, with its transaction and the order it was about."""

    created_at: datetime
    kind: str  # sale | refund | payout
    order_id: int | None
    dedupe_key: str
    title: str | None  # the order's title, when there is an order
    account: str
    amount: Money  # as posted: credits to the payee are negative


class LedgerRepository(Protocol):
    """Double-entry transactions, balances and payouts."""

    def add_transaction(self, kind: str, dedupe_key: str, order_id: int | None, currency: str, memo: str,
                        now: datetime, postings: Sequence[Posting]) -> int | None:
        """Post a transaction once per dedupe key; None when that key was already posted."""
        ...

    def posted(self, dedupe_key: str) -> bool: ...

    def order_holdings(self, order_id: int) -> dict[Account, int]:
        """What each credited account still holds of the order's sale after its refunds."""
        ...

    def sale_parties(self, idea_id: int) -> tuple[int, list[int]]:
        """(the idea's author, its co-creators earliest first)."""
        ...

    def lock_payee(self, user_id: int) -> None:
        """Serialise balance decisions about one payee until the transaction ends."""
        ...

    def lock_order(self, order_id: int) -> None:
        """Serialise refunds of one order until the transaction ends."""
        ...

    def balances(self, user_id: int, currency: str) -> dict[str, int]: ...

    def owed_by_kind(self, user_id: int, currency: str) -> dict[tuple[str, str], int]:
        """What each of the user's accounts is owed, per transaction kind (one query for the earnings page)."""
        ...

    def pending_payouts(self, user_id: int, currency: str) -> int: ...

    def statement(self, user_id: int) -> list[LedgerLine]: ...

    def payables(self, currency: str) -> list[Payable]: ...

    def add_payout(self, user_id: int, amount: Money, now: datetime) -> int: ...

    def payout(self, payout_id: int) -> Payout | None: ...

    def payouts_for(self, user_id: int) -> list[Payout]: ...

    def requested_payouts(self) -> list[Payout]: ...

    def decide_payout(self, payout_id: int, to: PayoutStatus, by: int, now: datetime, *, note: str = "",
                      transfer_ref: str | None = None) -> bool: ...


class ReferralRepository(Protocol):
    """Referral clicks and attribution."""

    def active_referrer(self, code: str) -> int | None:
        """The active account whose code this is (its row locked until commit), else None."""
        ...

    def recent_click(self, referrer_id: int, target: str, visitor_key: str, user_id: int | None,
                     since: datetime) -> bool:
        """A click by this visitor (or this account) on this referrer's link to this target since then."""
        ...

    def add_click(self, referrer_id: int, visitor_key: str, user_id: int | None, target: str,
                  now: datetime) -> int: ...

    def claim(self, visitor_key: str, user_id: int) -> int:
        """Bind the visitor's anonymous clicks (not on the user's own code) to the user."""
        ...

    def latest_referrer(self, buyer_id: int, since: datetime, until: datetime) -> int | None:
        """The referrer of the buyer's latest bound click in [since, until], active and not the buyer."""
        ...

    def click_counts(self, referrer_id: int, since: datetime) -> tuple[int, int, int]:
        """(all clicks, clicks since then, distinct visitors) on this referrer's links."""
        ...

    def conversion_count(self, referrer_id: int, statuses: Sequence[OrderStatus]) -> int: ...

    def conversions(self, referrer_id: int, statuses: Sequence[OrderStatus], limit: int) -> list[Conversion]:
        """The latest orders this referrer brought, newest first, with the commission on each."""
        ...

    def earnings(self, referrer_id: int) -> list[Money]:
        """Referral commission credited to this account, net of refunds, one Money per currency."""
        ...
