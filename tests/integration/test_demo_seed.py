"""The demo marketplace seeded into real SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
from PIL import Image
from sqlalchemy import func, select

from lib.adapters.db.schema import campaigns as campaign_tables
from lib.adapters.db.schema import commerce as commerce_tables
from lib.adapters.db.schema import core as t
from lib.adapters.storage.local import make_cover
from lib.domain.accounts import Role
from lib.domain.ideas import IdeaStatus
from lib.services.accounts import auth
from lib.services.demo import seed

CAMPAIGN_STAGES = {"campaign", "campaign_failed", "funded", "in_production", "fulfilled", "listed"}
cached_cover = cache(make_cover)
COUNTED = (t.users, t.user_roles, t.categories, t.ideas, t.supports, t.follows, t.comments, campaign_tables.campaigns,
           commerce_tables.listings, t.notifications, t.settings, t.reason_templates)


@pytest.fixture
def seed_ctx(ctx):  # type: ignore[no-untyped-def]
    """The test context with covers drawn once per process (make_cover is deterministic)."""
    return dataclasses.replace(ctx, make_cover=cached_cover)


def table_counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {tb.name: int(conn.execute(select(func.count()).select_from(tb)).scalar_one()) for tb in COUNTED}


def test_seed_builds_a_consistent_marketplace(seed_ctx, engine):
    assert seed.seed_if_empty(seed_ctx) is True

    with engine.connect() as conn:
        ideas = conn.execute(select(t.ideas.c.id, t.ideas.c.status, t.ideas.c.support_count,
                                    t.ideas.c.cover_image)).all()
        supporters = dict(conn.execute(select(t.supports.c.idea_id, func.count())
                                       .group_by(t.supports.c.idea_id)).all())
        campaign_ideas = conn.execute(select(t.ideas.c.status).join(
            campaign_tables.campaigns, campaign_tables.campaigns.c.idea_id == t.ideas.c.id)).scalars().all()
        listed_ideas = conn.execute(select(t.ideas.c.status).join(
            commerce_tables.listings, commerce_tables.listings.c.idea_id == t.ideas.c.id)).scalars().all()
        comments = conn.execute(select(func.count()).select_from(t.comments)).scalar_one()
        replies = conn.execute(select(func.count()).where(t.comments.c.parent_id.is_not(None))).scalar_one()

    assert len(ideas) >= 30
    assert {IdeaStatus(i.status) for i in ideas} == set(IdeaStatus)
    assert sum(i.support_count for i in ideas) > 0
    for idea in ideas:
        assert idea.support_count == supporters.get(idea.id, 0), f"idea {idea.id}"
    assert comments > len(ideas) and 0 < replies < comments
    assert set(campaign_ideas) == CAMPAIGN_STAGES
    assert len(campaign_ideas) == sum(1 for i in ideas if i.status in CAMPAIGN_STAGES)
    assert listed_ideas and set(listed_ideas) == {"listed"}


def test_demo_accounts_cover_every_role_and_sign_in_with_the_demo_password(seed_ctx):
    ctx = seed_ctx
    seed.seed_if_empty(ctx)
    seen: set[Role] = set()
    for role, email, password in seed.demo_accounts():
        user = auth.sign_in(ctx, email=email, password=password).user
        assert user.has(Role(role)) and user.is_verified, email
        seen |= user.roles
    assert seen == set(Role)
    assert {Role(role) for role, _e, _p in seed.demo_accounts()} == set(Role)


def test_seed_if_empty_is_idempotent(seed_ctx, engine):
    ctx = seed_ctx
    assert seed.seed_if_empty(ctx) is True
    before = table_counts(engine)
    assert seed.seed_if_empty(ctx) is False
    assert seed.seed(ctx) == {}  # even a forced second seed adds nothing once marked
    assert table_counts(engine) == before


def test_every_idea_has_a_cover_that_is_a_real_image(seed_ctx, engine):
    ctx = seed_ctx
    seed.seed_if_empty(ctx)
    with engine.connect() as conn:
        covers = conn.execute(select(t.ideas.c.cover_image)).scalars().all()
    assert covers and all(covers)
    assert len(set(covers)) == len(covers)  # one per idea, not one shared placeholder
    for key in covers:
        assert ctx.images.exists(key), key
        with Image.open(ctx.images.path(key)) as image:
            image.verify()
        with Image.open(ctx.images.path(key)) as image:
            assert image.format == "WEBP" and image.size == (960, 540)
            assert image.getpixel((2, 2)) != image.getpixel((2, 537))  # a drawn gradient, not a blank canvas


def test_the_demo_has_every_fulfilment_stage_for_its_makers_and_consumer(seed_ctx, engine):
    seed.seed_if_empty(seed_ctx)
    o, u = commerce_tables.orders, t.users
    with engine.connect() as conn:
        rows = conn.execute(select(u.c.email, o.c.status).join_from(o, u, u.c.id == o.c.maker_id)).all()
        bought = conn.execute(select(o.c.status).join_from(o, u, u.c.id == o.c.buyer_id)
                              .where(u.c.email == seed.demo_email("consumer"))).scalars().all()
    for maker in ("maker", "maker2"):
        assert {"shipped", "delivered"} <= {s for e, s in rows if e == seed.demo_email(maker)}, maker
    assert {s for _e, s in rows} >= {"paid", "in_production", "shipped", "delivered"}
    assert {"paid", "shipped", "delivered"} <= set(bought), "the demo consumer has parcels on their way"


def test_each_listing_describes_itself_and_the_shop_speaks_both_languages(seed_ctx, engine):
    seed.seed_if_empty(seed_ctx)
    lst = commerce_tables.listings
    with engine.connect() as conn:
        listings = conn.execute(select(lst.c.title, lst.c.description_md, lst.c.consumable, t.ideas.c.category_id)
                                .join_from(lst, t.ideas, t.ideas.c.id == lst.c.idea_id)).all()
        ideas = conn.execute(select(t.ideas.c.title, t.ideas.c.status)).all()
    [refill] = [x for x in listings if x.consumable]
    assert len({x.description_md for x in listings}) == len(listings), "the refill is not the pitcher"
    assert "refill" in refill.title.lower() and "filter" in refill.description_md.lower()
    assert len({x.category_id for x in listings}) >= 3
    korean = {i.status for i in ideas if any("\uac00" <= ch <= "\ud7a3" for ch in i.title)}
    assert len(korean) >= 5 and "listed" in korean, "Korean ideas at many stages, one in the shop"
