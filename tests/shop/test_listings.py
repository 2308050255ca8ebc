"""Creating, changing, browsing and reading listings (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import commerce as commerce_tables
from lib.adapters.db.schema import core as t
from lib.domain.campaigns import NotVerifiedMaker
from lib.domain.errors import InvalidInput, NotSignedIn, PermissionDenied
from lib.domain.ideas import IdeaStatus
from lib.domain.money import Money
from lib.domain.orders import ListingStatus, ListingUnavailable
from lib.domain.shop import IdeaNotFulfilled, ListingExists
from lib.services.campaigns import opening
from lib.services.commerce import shop
from lib.services.context import utcnow
from lib.services.ideas import authoring
from lib.services.messaging import notifications
from tests.race import race
from tests.shop.conftest import buy


def listing_count(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(commerce_tables.listings)).scalar_one())


def test_the_maker_lists_a_fulfilled_campaign_once_and_followers_hear_of_it(pctx, engine, maker, fulfilled):
    campaign_id, idea_id, _ = fulfilled()
    listing_id = shop.create_listing(pctx, maker, campaign_id, price=Money(2900, "USD"), stock=40,
                                     description_md="")
    assert authoring.get_idea(pctx, idea_id).status is IdeaStatus.LISTED
    view = shop.get_listing(pctx, listing_id)
    assert view.listing.campaign_id == campaign_id and view.listing.units_left == 40
    assert view.listing.description_md == authoring.get_idea(pctx, idea_id).description_md, "empty uses the idea's"
    assert view.maker_name == "Mira Works" and view.rating_count == 0 and view.reviews == []
    assert view.images and view.images[0] == authoring.get_idea(pctx, idea_id).cover_image
    with engine.connect() as conn:
        followers = [r.user_id for r in conn.execute(select(t.follows.c.user_id).where(t.follows.c.idea_id == idea_id))]
    assert followers
    for follower in followers:
        with pctx.uow(write=False) as uow:
            kinds = [(n.kind, n.link) for n in uow.notifications.for_user(follower, 50, 0)]
        assert ("listing_opened", f"/listing?id={listing_id}") in kinds
    with pytest.raises(ListingExists):
        shop.create_listing(pctx, maker, campaign_id, price=Money(2900, "USD"), stock=5, description_md="")
    assert listing_count(engine) == 1


def test_only_the_campaigns_verified_maker_can_list_it(pctx, engine, fulfilled, person, other_maker):
    campaign_id, idea_id, backers = fulfilled()
    terms = {"price": Money(2500, "USD"), "stock": 5, "description_md": ""}
    with pytest.raises(NotSignedIn):
        shop.create_listing(pctx, None, campaign_id, **terms)
    with pytest.raises(NotVerifiedMaker):
        shop.create_listing(pctx, backers[0], campaign_id, **terms)
    with pytest.raises(PermissionDenied):
        shop.create_listing(pctx, other_maker, campaign_id, **terms)
    assert listing_count(engine) == 0
    assert authoring.get_idea(pctx, idea_id).status is IdeaStatus.FULFILLED


def test_an_idea_that_is_not_fulfilled_cannot_be_listed(pctx, engine, maker, funded_campaign):
    campaign_id, _ = funded_campaign()
    idea_id = opening.get_campaign(pctx, campaign_id).idea_id
    assert authoring.get_idea(pctx, idea_id).status is IdeaStatus.FUNDED
    with pytest.raises(IdeaNotFulfilled):
        shop.create_listing(pctx, maker, campaign_id, price=Money(2500, "USD"), stock=5, description_md="")
    assert listing_count(engine) == 0


@pytest.mark.parametrize(("terms", "key"), [
    ({"price": Money(0, "USD")}, "error.price_not_positive"),
    ({"price": Money(2500, "KRW")}, "error.currency_mismatch"),
    ({"stock": 0}, "error.stock_range"),
    ({"per_account_limit": 0}, "error.purchase_limit_range"),
    ({"reorder_days": 0}, "error.reorder_days_range"),
    ({"reorder_days": 366}, "error.reorder_days_range"),
    ({"starts_at": utcnow().replace(tzinfo=None)}, "error.drop_start_invalid"),
    ({"description_md": "x" * 10_001}, "error.description_too_long"),
])
def test_bad_terms_are_refused_and_nothing_is_written(pctx, engine, maker, fulfilled, terms, key):
    campaign_id, idea_id, _ = fulfilled()
    values = {"price": Money(2500, "USD"), "stock": 5, "description_md": ""} | terms
    with pytest.raises(InvalidInput) as refused:
        shop.create_listing(pctx, maker, campaign_id, **values)
    assert refused.value.key == key
    assert listing_count(engine) == 0
    assert authoring.get_idea(pctx, idea_id).status is IdeaStatus.FULFILLED


def test_two_concurrent_listings_of_one_campaign_make_one(pctx, engine, maker, fulfilled):
    campaign_id, _, _ = fulfilled()
    outcomes = race(2, lambda _i: shop.create_listing(pctx, maker, campaign_id, price=Money(2500, "USD"), stock=5,
                                                      description_md=""),
                    expected=(ListingExists, IdeaNotFulfilled))
    assert len([o for o in outcomes if isinstance(o, int)]) == 1 and len(outcomes) == 2
    assert listing_count(engine) == 1


def test_the_maker_changes_price_stock_status_and_drop_terms(pctx, engine, maker, listing, person, other_maker):
    listing_id = listing(stock=3)
    buyer = person()
    buy(pctx, buyer, listing_id, 2)
    with pytest.raises(PermissionDenied):
        shop.update_listing(pctx, other_maker, listing_id, status=ListingStatus.PAUSED)
    with pytest.raises(InvalidInput) as below:
        shop.update_listing(pctx, maker, listing_id, add_stock=-2)
    assert below.value.key == "error.stock_below_sold"
    with pytest.raises(InvalidInput):
        shop.update_listing(pctx, maker, listing_id, price=Money(-5, "USD"), add_stock=5)
    assert shop.listing_now(pctx, listing_id).stock == 3, "a refused change changes nothing"
    starts = utcnow() + timedelta(days=1)
    shop.update_listing(pctx, maker, listing_id, price=Money(3100, "USD"), add_stock=7, starts_at=starts,
                        per_account_limit=2, status=ListingStatus.PAUSED)
    changed = shop.listing_now(pctx, listing_id)
    assert (changed.price, changed.stock, changed.sold, changed.per_account_limit) == (Money(3100, "USD"), 10, 2, 2)
    assert changed.status is ListingStatus.PAUSED and abs(changed.starts_at - starts) < timedelta(seconds=1)
    with pytest.raises(ListingUnavailable):
        buy(pctx, buyer, listing_id)
    shop.update_listing(pctx, maker, listing_id, status=ListingStatus.ACTIVE, starts_at=None,
                        per_account_limit=None)
    buy(pctx, buyer, listing_id, 5)
    assert shop.listing_now(pctx, listing_id).units_left == 3


def test_browse_searches_filters_by_category_and_hides_paused_listings(pctx, engine, maker, listing, category):
    listing_id = listing(starts_at=utcnow() + timedelta(hours=3))
    with engine.connect() as conn:
        slug = conn.execute(select(t.categories.c.slug).where(t.categories.c.id == category)).scalar_one()
    [card] = shop.browse(pctx)
    assert card.id == listing_id and card.units_left == 10 and card.starts_at is not None, "upcoming drops show"
    assert not card.started(utcnow())
    assert [c.id for c in shop.browse(pctx, query="FOLDING STOOL")] == [listing_id]
    assert [c.id for c in shop.browse(pctx, query="steel hinge")] == [], "words apart do not match"
    assert [c.id for c in shop.browse(pctx, query="**steel**")] == [listing_id], "description is searched"
    assert shop.browse(pctx, query="%") == [] and shop.browse(pctx, query="_") == [], "wildcards are escaped"
    assert [c.id for c in shop.browse(pctx, category=slug)] == [listing_id]
    assert shop.browse(pctx, category="no-such-category") == []
    shop.update_listing(pctx, maker, listing_id, status=ListingStatus.PAUSED)
    assert shop.browse(pctx) == []
    assert shop.get_listing(pctx, listing_id).listing.status is ListingStatus.PAUSED, "its page still opens"


def test_a_listing_without_a_campaign_sells_like_any_other(pctx, engine, maker, winning_idea, person):
    """The demo seeds listings directly (campaign_id NULL)."""
    idea_id, _ = winning_idea
    with pctx.uow() as uow:
        listing_id = uow.catalog.add_listing(idea_id, maker.id, "Demo stool", "A demo.", 1500, "USD", stock=4,
                                             sold=1, now=utcnow())
        uow.commit()
    buyer = person()
    order_id = buy(pctx, buyer, listing_id, 3)
    assert shop.listing_now(pctx, listing_id).units_left == 0
    state = shop.my_purchase_state(pctx, buyer, listing_id)
    assert state.bought_before and state.units_bought == 3 and state.limit is None
    with pctx.uow(write=False) as uow:
        order = uow.orders.get(order_id)
    assert order is not None and order.listing_id == listing_id and order.campaign_id is None
    assert notifications.unread_count(pctx, maker) >= 1
