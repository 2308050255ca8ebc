"""Makers, quotes, campaigns, pre-orders and the payment-attempt ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from lib.adapters.db.repos.payment_attempts import SqlPaymentAttempts
from lib.adapters.db.schema import campaigns as t
from lib.adapters.db.schema import core
from lib.adapters.db.sql import insert_ignore
from lib.domain.campaigns import (
    Campaign,
    CampaignStatus,
    MakerApplication,
    MakerProfile,
    MakerStatus,
    NewCampaign,
    Preorder,
    PreorderStatus,
    Quote,
    QuoteStatus,
    ShippingAddress,
)
from lib.domain.money import Money

C, P, Q, B = t.campaigns.c, t.preorders.c, t.quotes.c, t.campaign_backers.c
# Units that count toward a campaign: everything not cancelled, released or dropped.
HOLDING = (PreorderStatus.RESERVED, PreorderStatus.PLEDGED, PreorderStatus.CHARGING, PreorderStatus.PAID,
           PreorderStatus.PAYMENT_FAILED)


def _keys(text: str) -> tuple[str, ...]:
    return tuple(k for k in (text or "").split(",") if k)


def _campaign(r: RowMapping) -> Campaign:
    cur = r["currency"]
    return Campaign(id=r["id"], idea_id=r["idea_id"], maker_id=r["maker_id"], title=r["title"],
                    unit_cost=Money(r["unit_cost"], cur), price=Money(r["price"], cur),
                    platform_fee=Money(r["platform_fee"], cur), creator_royalty=Money(r["creator_royalty"], cur),
                    co_creator_pool=Money(r["co_creator_pool"], cur), goal_units=r["goal_units"],
                    cap_units=r["cap_units"], pledged_units=r["pledged_units"], status=CampaignStatus(r["status"]),
                    opens_at=r["opens_at"], deadline=r["deadline"],
                    uses_hold=bool(r["uses_hold"]), per_account_limit=r["per_account_limit"],
                    hidden=bool(r["hidden"]))


def _preorder(r: RowMapping) -> Preorder:
    return Preorder(
        id=r["id"], campaign_id=r["campaign_id"], user_id=r["user_id"], quantity=r["quantity"],
        unit_price=Money(r["unit_price"], r["currency"]), amount=Money(r["amount"], r["currency"]),
        status=PreorderStatus(r["status"]), gateway=r["gateway"],
        customer_ref=r["customer_ref"], method_ref=r["method_ref"], card_brand=r["card_brand"],
        card_last4=r["card_last4"], hold_ref=r["hold_ref"], payment_ref=r["payment_ref"], attempts=r["attempts"],
        grace_until=r["grace_until"], failure_message=r["failure_message"], referrer_id=r["referrer_id"],
        created_at=r["created_at"], updated_at=r["updated_at"],
        address=ShippingAddress(name=r["ship_name"], line1=r["ship_line1"], line2=r["ship_line2"],
                                city=r["ship_city"], postal_code=r["ship_postal_code"],
                                country=r["ship_country"], phone=r["ship_phone"]))


class SqlCampaignRepository(SqlPaymentAttempts):
    """Makers, quotes, campaigns and pre-orders; the ledger of gateway calls comes from its base."""

    # -- makers ------------------------------------------------------------------------------
    def save_maker_profile(self, user_id: int, application: MakerApplication, now: datetime) -> None:
        values = {"business_name": application.business_name, "description": application.description,
                  "capabilities": application.capabilities, "location": application.location,
                  "sample_images": ",".join(application.sample_images),
                  "status": MakerStatus.PENDING.value, "decision_note": None, "decided_at": None}
        if not insert_ignore(self.conn, t.maker_profiles, values | {"user_id": user_id, "created_at": now}):
            self.conn.execute(update(t.maker_profiles).where(t.maker_profiles.c.user_id == user_id).values(**values))

    def maker_profile(self, user_id: int) -> MakerProfile | None:
        r = self.conn.execute(select(t.maker_profiles).where(t.maker_profiles.c.user_id == user_id)).mappings().first()
        return self._profile(r) if r else None

    @staticmethod
    def _profile(r: RowMapping) -> MakerProfile:
        return MakerProfile(user_id=r["user_id"], business_name=r["business_name"], description=r["description"],
                            capabilities=r["capabilities"], location=r["location"],
                            sample_images=_keys(r["sample_images"]), status=MakerStatus(r["status"]),
                            decision_note=r["decision_note"], created_at=r["created_at"])

    def maker_profiles(self, status: MakerStatus | None) -> list[MakerProfile]:
        stmt = select(t.maker_profiles).order_by(t.maker_profiles.c.created_at)
        if status is not None:
            stmt = stmt.where(t.maker_profiles.c.status == status.value)
        return [self._profile(r) for r in self.conn.execute(stmt).mappings()]

    def decide_maker(self, user_id: int, status: MakerStatus, note: str, now: datetime) -> bool:
        m = t.maker_profiles.c
        return self.conn.execute(update(t.maker_profiles).where(m.user_id == user_id, m.status == "pending")
                                 .values(status=status.value, decision_note=note, decided_at=now)).rowcount == 1

    # -- quotes ------------------------------------------------------------------------------
    def add_quote(self, idea_id: int, maker_id: int, unit_cost: Money, moq: int, lead_time_days: int, notes: str,
                  image_keys: Sequence[str], now: datetime) -> int:
        return int(self.conn.execute(insert(t.quotes).values(
            idea_id=idea_id, maker_id=maker_id, unit_cost=unit_cost.amount, currency=unit_cost.currency, moq=moq,
            lead_time_days=lead_time_days, notes=notes, image_keys=",".join(image_keys),
            status=QuoteStatus.OPEN.value, created_at=now, updated_at=now).returning(Q.id)).scalar_one())

    def _quotes(self, *where: Any) -> list[Quote]:
        rows = self.conn.execute(select(t.quotes, core.users.c.display_name.label("maker_name"))
                                 .select_from(t.quotes.join(core.users, core.users.c.id == Q.maker_id))
                                 .where(*where).order_by(Q.unit_cost, Q.id)).mappings()
        return [Quote(id=r["id"], idea_id=r["idea_id"], maker_id=r["maker_id"], maker_name=r["maker_name"],
                      unit_cost=Money(r["unit_cost"], r["currency"]), moq=r["moq"],
                      lead_time_days=r["lead_time_days"], notes=r["notes"], image_keys=_keys(r["image_keys"]),
                      status=QuoteStatus(r["status"]), author_consent_at=r["author_consent_at"],
                      created_at=r["created_at"])
                for r in rows]

    def quote(self, quote_id: int) -> Quote | None:
        found = self._quotes(Q.id == quote_id)
        return found[0] if found else None

    def quotes_for_idea(self, idea_id: int) -> list[Quote]:
        return self._quotes(Q.idea_id == idea_id)

    def quotes_by_maker(self, maker_id: int) -> list[Quote]:
        return self._quotes(Q.maker_id == maker_id)

    def revise_quote(self, quote_id: int, unit_cost: Money, moq: int, lead_time_days: int, notes: str,
                     now: datetime) -> bool:
        """Only an open quote changes; a revision voids the author's consent to the old terms."""
        return self.conn.execute(update(t.quotes).where(Q.id == quote_id, Q.status == QuoteStatus.OPEN.value).values(
            unit_cost=unit_cost.amount, moq=moq, lead_time_days=lead_time_days, notes=notes,
            author_consent_at=None, updated_at=now)).rowcount == 1

    def set_quote_status(self, quote_id: int, from_status: QuoteStatus, to: QuoteStatus, now: datetime) -> bool:
        return self.conn.execute(update(t.quotes).where(Q.id == quote_id, Q.status == from_status.value)
                                 .values(status=to.value, updated_at=now)).rowcount == 1

    def close_other_quotes(self, idea_id: int, chosen_id: int, now: datetime) -> None:
        self.conn.execute(update(t.quotes).where(Q.idea_id == idea_id, Q.id != chosen_id,
                                                 Q.status == QuoteStatus.OPEN.value)
                          .values(status=QuoteStatus.NOT_CHOSEN.value, updated_at=now))

    def consent(self, quote_id: int, now: datetime) -> bool:
        return self.conn.execute(update(t.quotes).where(Q.id == quote_id, Q.status == QuoteStatus.OPEN.value)
                                 .values(author_consent_at=now)).rowcount == 1

    # -- campaigns ---------------------------------------------------------------------------
    def add_campaign(self, campaign: NewCampaign) -> int:
        prices = campaign.prices
        return int(self.conn.execute(insert(t.campaigns).values(
            idea_id=campaign.idea_id, maker_id=campaign.maker_id, quote_id=campaign.quote_id,
            unit_cost=prices.unit_cost.amount, price=prices.price.amount, currency=prices.price.currency,
            platform_fee=prices.platform_fee.amount, creator_royalty=prices.creator_royalty.amount,
            co_creator_pool=prices.co_creator_pool.amount, goal_units=campaign.goal_units,
            cap_units=campaign.cap_units, pledged_units=0, status=campaign.status.value, opens_at=campaign.opens_at,
            deadline=campaign.deadline, uses_hold=campaign.uses_hold, settled_at=campaign.settled_at,
            per_account_limit=campaign.per_account_limit,
        ).returning(C.id)).scalar_one())

    def _campaigns(self, *where: Any, order: Any = None) -> list[Campaign]:
        with_title = t.campaigns.join(core.ideas, core.ideas.c.id == C.idea_id)
        stmt = (select(t.campaigns, core.ideas.c.title, core.ideas.c.hidden).select_from(with_title)
                .where(*where).order_by(order if order is not None else C.id))
        return [_campaign(r) for r in self.conn.execute(stmt).mappings()]

    def campaign(self, campaign_id: int) -> Campaign | None:
        found = self._campaigns(C.id == campaign_id)
        return found[0] if found else None

    def campaign_for_idea(self, idea_id: int) -> Campaign | None:
        found = self._campaigns(C.idea_id == idea_id)
        return found[0] if found else None

    def campaigns_by_maker(self, maker_id: int) -> list[Campaign]:
        return self._campaigns(C.maker_id == maker_id, order=C.deadline.desc())

    def reserve_units(self, campaign_id: int, quantity: int, now: datetime) -> bool:
        """The oversell guard: one conditional update; true only if the units fit under the cap."""
        fits = or_(C.cap_units.is_(None), C.pledged_units + quantity <= C.cap_units)
        return self.conn.execute(update(t.campaigns).where(
            C.id == campaign_id, C.status == CampaignStatus.OPEN.value, C.deadline > now, fits,
        ).values(pledged_units=C.pledged_units + quantity)).rowcount == 1

    def reserve_backer_units(self, campaign_id: int, user_id: int, quantity: int, limit: int | None) -> bool:
        """Count the units an account holds in a campaign; with a limit, only while they stay within it
        (a conditional update on the backer's row, like the shop's listing_buyers)."""
        insert_ignore(self.conn, t.campaign_backers, {"campaign_id": campaign_id, "user_id": user_id, "quantity": 0})
        fits = [] if limit is None else [B.quantity + quantity <= limit]
        return self.conn.execute(update(t.campaign_backers).where(
            B.campaign_id == campaign_id, B.user_id == user_id, *fits,
        ).values(quantity=B.quantity + quantity)).rowcount == 1

    def backer_units(self, campaign_id: int, user_id: int) -> int:
        found = self.conn.execute(select(B.quantity).where(B.campaign_id == campaign_id,
                                                           B.user_id == user_id)).scalar()
        return int(found or 0)

    def set_pledged_units(self, campaign_id: int, units: int) -> None:
        self.conn.execute(update(t.campaigns).where(C.id == campaign_id).values(pledged_units=units))

    def release_units(self, campaign_id: int, user_id: int, quantity: int) -> None:
        """Give a pre-order's units back to the campaign and to its backer's count."""
        self.conn.execute(update(t.campaigns).where(C.id == campaign_id)
                          .values(pledged_units=C.pledged_units - quantity))
        self.conn.execute(update(t.campaign_backers).where(
            B.campaign_id == campaign_id, B.user_id == user_id, B.quantity >= quantity,
        ).values(quantity=B.quantity - quantity))

    def move_campaign(self, campaign_id: int, from_status: CampaignStatus, to: CampaignStatus,
                      **values: Any) -> bool:
        return self.conn.execute(update(t.campaigns).where(C.id == campaign_id, C.status == from_status.value)
                                 .values(status=to.value, **values)).rowcount == 1

    def campaigns_due(self, now: datetime) -> list[int]:
        """Open campaigns past their deadline or sold out, and ones a crashed run left settling."""
        sold_out = (C.cap_units.is_not(None)) & (C.pledged_units >= C.cap_units)
        to_charge = exists().where(P.campaign_id == C.id, P.status.in_(
            [PreorderStatus.PLEDGED.value, PreorderStatus.CHARGING.value]))
        return list(self.conn.execute(select(C.id).where(or_(
            (C.status == CampaignStatus.OPEN.value) & or_(C.deadline <= now, sold_out),
            C.status == CampaignStatus.SETTLING.value,
            (C.status.in_([CampaignStatus.FUNDED.value, CampaignStatus.FAILED.value])) & to_charge,
        )).order_by(C.id)).scalars())

    # -- customers and pre-orders --------------------------------------------------------------
    def customer_ref(self, user_id: int, gateway: str) -> str | None:
        pc = t.payment_customers.c
        return self.conn.execute(select(pc.customer_ref).where(pc.user_id == user_id, pc.gateway == gateway)).scalar()

    def save_customer_ref(self, user_id: int, gateway: str, customer_ref: str) -> str:
        """Keep the first reference stored (a racing second one loses), and return it."""
        insert_ignore(self.conn, t.payment_customers, {"user_id": user_id, "gateway": gateway,
                                                       "customer_ref": customer_ref})
        return self.customer_ref(user_id, gateway) or customer_ref

    def add_preorder(self, campaign: Campaign, user_id: int, quantity: int, address: ShippingAddress,
                     gateway: str, now: datetime, referrer_id: int | None = None) -> int:
        amount = campaign.price.times(quantity)
        return int(self.conn.execute(insert(t.preorders).values(
            campaign_id=campaign.id, user_id=user_id, quantity=quantity, unit_price=campaign.price.amount,
            amount=amount.amount, currency=amount.currency, status=PreorderStatus.RESERVED.value,
            ship_name=address.name, ship_line1=address.line1, ship_line2=address.line2, ship_city=address.city,
            ship_postal_code=address.postal_code, ship_country=address.country, ship_phone=address.phone,
            gateway=gateway, referrer_id=referrer_id, created_at=now, updated_at=now).returning(P.id)).scalar_one())

    def forget_reservation(self, preorder_id: int) -> bool:
        """Remove a reservation whose card could not be saved (nothing else refers to it)."""
        return self.conn.execute(t.preorders.delete().where(
            P.id == preorder_id, P.status == PreorderStatus.RESERVED.value)).rowcount == 1

    def preorder(self, preorder_id: int) -> Preorder | None:
        r = self.conn.execute(select(t.preorders).where(P.id == preorder_id)).mappings().first()
        return _preorder(r) if r else None

    def move_preorder(self, preorder_id: int, from_statuses: Sequence[PreorderStatus], to: PreorderStatus,
                      now: datetime, **values: Any) -> bool:
        """A conditional status change: the row moves only from one of the expected statuses."""
        return self.conn.execute(update(t.preorders).where(
            P.id == preorder_id, P.status.in_([s.value for s in from_statuses]),
        ).values(status=to.value, updated_at=now, **values)).rowcount == 1

    def preorders_for_campaign(self, campaign_id: int, statuses: Sequence[PreorderStatus] | None = None
                               ) -> list[Preorder]:
        stmt = select(t.preorders).where(P.campaign_id == campaign_id).order_by(P.id)
        if statuses is not None:
            stmt = stmt.where(P.status.in_([s.value for s in statuses]))
        return [_preorder(r) for r in self.conn.execute(stmt).mappings()]

    def preorders_for_user(self, user_id: int) -> list[Preorder]:
        stmt = select(t.preorders).where(P.user_id == user_id).order_by(P.id.desc())
        return [_preorder(r) for r in self.conn.execute(stmt).mappings()]

    def stale_reservations(self, before: datetime) -> list[Preorder]:
        stmt = select(t.preorders).where(P.status == PreorderStatus.RESERVED.value, P.updated_at < before)
        return [_preorder(r) for r in self.conn.execute(stmt).mappings()]

    def grace_expired(self, now: datetime) -> list[Preorder]:
        stmt = select(t.preorders).where(P.status == PreorderStatus.PAYMENT_FAILED.value, P.grace_until <= now)
        return [_preorder(r) for r in self.conn.execute(stmt).mappings()]

    def committed_units(self, campaign_id: int) -> int:
        """Units of pre-orders that will be charged (pledged, being charged, paid, in grace)."""
        counted = [s.value for s in HOLDING if s is not PreorderStatus.RESERVED]
        return int(self.conn.execute(select(func.coalesce(func.sum(P.quantity), 0)).where(
            P.campaign_id == campaign_id, P.status.in_(counted))).scalar_one())
