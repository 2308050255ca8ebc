"""The back half of the demo marketplace: orders on funded campaigns moving through fulfilment,
shop listings (a regular one, a consumable refill and an upcoming limited drop), verified-buyer
reviews, referred sales and a payout request — all posted to the ledger the way real sales are,
inside the demo's one seeding transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from lib.domain.accounts import User
from lib.domain.campaigns import PreorderStatus, ShippingAddress
from lib.domain.errors import NotFound, found
from lib.domain.ideas import Idea, IdeaStatus
from lib.domain.money import Money
from lib.domain.orders import ListingStatus, NewListing, NewOrder, NewReview, OrderSource, OrderStatus
from lib.services.commerce import orders
from lib.services.context import AppContext
from lib.services.ledger import books
from lib.services.uow import AbstractUnitOfWork

CARRIER = "CJ Logistics"
REVIEWS = [
    (5, "Exactly as pitched: smooth and no grit at all. The mesh core cleans in seconds."),
    (4, "Great pitcher. The lid could close a little tighter, but nothing leaks."),
    (5, "Second one, bought as a gift. Worth it."),
    (3, "Works well; I wish it came in a bigger size."),
]
REVIEWS_KO = [
    (5, "책상이 정말 넓어졌어요. 서랍에 케이블 정리가 딱 됩니다."),
    (4, "마감이 깔끔해요. 조립이 조금 번거로웠지만 만족합니다."),
    (5, "두 번째 구매예요. 사무실 동료 선물로 샀어요."),
]
REFILL_DESCRIPTION = (
    "Four spare **mesh filter cores** for the cold brew pitcher, the same fine stainless mesh it ships with.\n\n"
    "- swap the core every 3–4 months, or when coffee starts to taste flat\n"
    "- dishwasher-safe; recyclable as steel\n"
    "- fits every pitcher from the first batch on")


def seed_commerce(ctx: AppContext, uow: AbstractUnitOfWork, people: dict[str, User], community: list[User],
                  ideas_by_status: dict[IdeaStatus, list[Idea]], now: datetime, counts: dict[str, int]) -> None:
    """Called by demo.seed with its unit of work (nothing here commits)."""
    consumer = people["consumer"]
    listed = ideas_by_status.get(IdeaStatus.LISTED, [])
    for idea in listed:  # the demo consumer co-created what is sold, so their earnings page has content
        _co_create(uow, idea, consumer, now - timedelta(days=80))
    for status in (IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION, IdeaStatus.FULFILLED, IdeaStatus.LISTED):
        for idea in ideas_by_status.get(status, []):
            _fulfil_campaign(ctx, uow, idea, status, now, counts)
    if len(listed) >= 2:
        pitcher, bottles = listed[1], listed[0]
        regular = _listing(ctx, uow, pitcher, now, stock=60, campaign=True)
        refill = _listing(ctx, uow, pitcher, now, stock=200, title="Mesh filter refills for the cold brew pitcher "
                          "(pack of 4)", description=REFILL_DESCRIPTION, price_share=0.3, consumable=True,
                          reorder_days=45)
        _listing(ctx, uow, bottles, now, stock=40, campaign=True, starts_at=now + timedelta(days=2), per_account=2)
        counts["listings"] = 3
        buyers = [p for p in community if p.id not in (pitcher.author_id, consumer.id)][:6]
        referred = {buyers[1].id, buyers[4].id}
        for k, buyer in enumerate(buyers):
            if buyer.id in referred:
                uow.referrals.add_click(consumer.id, f"demo-visitor-{buyer.id}", buyer.id, f"listing:{regular}",
                                        now - timedelta(days=20 + k))
            order_id = _shop_order(ctx, uow, regular, buyer, now - timedelta(days=18 - k),
                                   referrer=consumer.id if buyer.id in referred else None)
            if k < len(REVIEWS):
                rating, body = REVIEWS[k]
                review_id = uow.shop.add_review(NewReview(order_id=order_id, listing_id=regular, user_id=buyer.id,
                                                          rating=rating, body=body,
                                                          created_at=now - timedelta(days=8 - k)))
                if k == 1 and review_id:
                    uow.shop.reply_to_review(review_id, "Thank you! A firmer lid seal ships from the next batch.",
                                             now - timedelta(days=5))
                counts["reviews"] = counts.get("reviews", 0) + 1
        for days_ago in (100, 55):  # two refill purchases: the next "running low?" is timed from them
            _shop_order(ctx, uow, refill, consumer, now - timedelta(days=days_ago), referrer=None)
        for idea in listed[2:]:  # more of the shop: each with its own buyers and their reviews
            _more_of_the_shop(ctx, uow, idea, community, now, counts)
    maker = people["maker"]
    balance = sum(uow.ledger.balances(maker.id, ctx.currency).values())
    if balance > 0:
        uow.ledger.add_payout(maker.id, Money(balance // 2, ctx.currency), now - timedelta(days=1))
        counts["payout_requests"] = 1


def _more_of_the_shop(ctx: AppContext, uow: AbstractUnitOfWork, idea: Idea, community: list[User], now: datetime,
                      counts: dict[str, int]) -> None:
    listing_id = _listing(ctx, uow, idea, now, stock=35, campaign=True)
    counts["listings"] += 1
    buyers = [p for p in reversed(community) if p.id != idea.author_id][:len(REVIEWS_KO)]
    for k, (buyer, (rating, body)) in enumerate(zip(buyers, REVIEWS_KO, strict=True)):
        order_id = _shop_order(ctx, uow, listing_id, buyer, now - timedelta(days=14 - 3 * k), referrer=None)
        uow.shop.add_review(NewReview(order_id=order_id, listing_id=listing_id, user_id=buyer.id, rating=rating,
                                      body=body, created_at=now - timedelta(days=9 - 3 * k)))
        counts["reviews"] = counts.get("reviews", 0) + 1


def _co_create(uow: AbstractUnitOfWork, idea: Idea, person: User, when: datetime) -> None:
    suggestion = uow.idea_repo.add_suggestion(idea.id, person.id, "Add a second, finer filter for tea.", None, when)
    uow.idea_repo.decide_suggestion(suggestion, "accepted", when + timedelta(days=1))
    uow.idea_repo.add_co_creator(idea.id, person.id, suggestion, when + timedelta(days=1))


def _fulfil_campaign(ctx: AppContext, uow: AbstractUnitOfWork, idea: Idea, status: IdeaStatus, now: datetime,
                     counts: dict[str, int]) -> None:
    """Turn the campaign's paid pre-orders into orders (the ledger posts each sale) and move them
    as far as the idea's stage says."""
    campaign = uow.campaigns.campaign_for_idea(idea.id)
    if campaign is None:
        return
    for k, preorder in enumerate(uow.campaigns.preorders_for_campaign(campaign.id, [PreorderStatus.PAID])):
        order_id = orders.order_from_preorder(ctx, uow, preorder.id)
        if order_id is None:
            continue
        counts["orders"] = counts.get("orders", 0) + 1
        if status is IdeaStatus.IN_PRODUCTION:
            if k < 2:  # on its way (the first is the demo consumer's), the rest still being made
                _ship(uow, order_id, now - timedelta(days=2))
            else:
                uow.orders.move(order_id, [OrderStatus.PAID], OrderStatus.IN_PRODUCTION, now - timedelta(days=6))
        elif status in (IdeaStatus.FULFILLED, IdeaStatus.LISTED):
            _ship(uow, order_id, now - timedelta(days=25))
            uow.orders.move(order_id, [OrderStatus.SHIPPED], OrderStatus.DELIVERED, now - timedelta(days=21),
                            delivered_at=now - timedelta(days=21))


def _ship(uow: AbstractUnitOfWork, order_id: int, when: datetime) -> None:
    uow.orders.move(order_id, [OrderStatus.PAID, OrderStatus.IN_PRODUCTION], OrderStatus.SHIPPED, when,
                    carrier=CARRIER, tracking_number=f"CJ{order_id:010d}", shipped_at=when)


def _listing(ctx: AppContext, uow: AbstractUnitOfWork, idea: Idea, now: datetime, *, stock: int, campaign: bool = False,
             title: str | None = None, description: str | None = None, price_share: float = 1.0,
             consumable: bool = False, reorder_days: int = 30, starts_at: datetime | None = None,
             per_account: int | None = None) -> int:
    found = uow.campaigns.campaign_for_idea(idea.id)
    if found is None:
        raise NotFound()  # the demo lists only ideas it gave a campaign
    price = Money(max(1, int(found.price.amount * price_share)), ctx.currency)
    listing_id = uow.shop.add_listing(NewListing(
        idea_id=idea.id, maker_id=found.maker_id, campaign_id=found.id if campaign else None,
        title=title or idea.title, description_md=description or idea.description_md, price=price, stock=stock,
        status=ListingStatus.ACTIVE, starts_at=starts_at, per_account_limit=per_account, consumable=consumable,
        reorder_days=reorder_days, created_at=now - timedelta(days=20), updated_at=None))
    if listing_id is None:
        raise NotFound()  # the campaign already had a listing
    return listing_id


def _shop_order(ctx: AppContext, uow: AbstractUnitOfWork, listing_id: int, buyer: User, when: datetime,
                referrer: int | None) -> int:
    """A delivered purchase, with its stock taken and its sale posted."""
    listing = found(uow.shop.listing(listing_id))
    uow.shop.reserve_stock(listing_id, 1, when)
    uow.shop.reserve_buyer_units(listing_id, buyer.id, 1, None)
    order_id = uow.orders.add(NewOrder(
        source=OrderSource.SHOP, buyer_id=buyer.id, maker_id=listing.maker_id, idea_id=listing.idea_id,
        listing_id=listing_id, title=listing.title, quantity=1, unit_price=listing.price, amount=listing.price,
        status=OrderStatus.DELIVERED, referrer_id=referrer, gateway="local", customer_ref=f"lcus_demo{buyer.id}",
        method_ref="lpm_4242424242424242", card_brand="visa", card_last4="4242",
        payment_ref=f"lpi_demo_shop{listing_id}_{buyer.id}_{when.toordinal()}",
        address=ShippingAddress(name=buyer.display_name, line1="1 Sample Street", line2="", city="Seoul",
                                postal_code="04524", country="KR", phone=""),
        carrier=CARRIER, tracking_number=f"CJ9{listing_id:03d}{buyer.id:06d}", created_at=when, paid_at=when,
        shipped_at=when + timedelta(days=1), delivered_at=when + timedelta(days=3)))
    books.post_sale(ctx, uow, found(uow.orders.get(order_id)))
    return int(order_id)
