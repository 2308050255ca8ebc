"""A marketplace with something of everything people can write to, and every service that takes
their text, for the hostile-input tests (tests/integration/test_hostile_*.py).

Each `Target` is one field of one service: `prepare` makes what the call needs (before the
database is counted), `call` submits the text, `read` returns what was stored (None: nothing is
stored, a search), `reset` puts back what a successful call changed so the next one can run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.engine import Engine

from lib.adapters.db.schema import base
from lib.adapters.db.schema import commerce as commerce_tables
from lib.adapters.db.schema import core as core_tables
from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.ideas import IdeaFields
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.services.accounts import admin, auth
from lib.services.campaigns import makers
from lib.services.commerce import buyer_updates, checkout, orders, refunds, reviews, shop
from lib.services.context import AppContext
from lib.services.ideas import authoring, browse, cocreation, moderation, settings, support
from lib.services.ledger import payouts
from tests.commerce_fixtures import ADDRESS, GOOD

PASSWORD = "long-enough-pw"
_n = itertools.count(1)


@dataclass
class World:
    ctx: AppContext
    engine: Engine
    author: User
    mod: User
    admin: User
    maker: User
    fan: User  # supports, comments, suggests, buys
    applicant: User  # applies as a maker (never verified)
    backer_reviewed: User
    backer_reviewing: User
    category: int
    idea: int  # published, by `author`
    draft: int  # a draft by `author`
    quotable: int  # winning, no quote of `maker` yet
    quote: int  # `maker`'s open quote on another winning idea
    campaign: int
    listing: int
    order_paid: int  # of the campaign, paid: refunds and shipping
    order_reviewing: int  # delivered, not reviewed yet
    review: int
    template: int
    extra: dict[str, Any] = field(default_factory=dict)


# Throttle counters count every attempt, refused ones included (that is their point): not data.
BOOKKEEPING = {"request_throttles"}


def counts(engine: Engine) -> dict[str, int]:
    """How many rows each table of people's data holds."""
    with engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in base.metadata.sorted_tables if t.name not in BOOKKEEPING}


def scalar(engine: Engine, sql: str, **params: object) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _idea_fields(category: int, title: str) -> IdeaFields:
    return IdeaFields.clean(title=title, pitch="Sit anywhere on a crowded train.",
                            description_md="It **folds** flat.", category_id=category)


def _winning_idea(ctx: AppContext, author: User, mod: User, fan: User, category: int, title: str) -> int:
    idea_id = authoring.create_idea(ctx, author, fields=_idea_fields(category, title), submit=True)
    moderation.approve(ctx, mod, idea_id)
    assert support.support_idea(ctx, fan, idea_id) is True  # every category's threshold is 1 here
    return idea_id


def build_world(pctx: AppContext, engine: Engine, person: Callable[..., User], category: int, maker: User,
                funded_campaign: Callable[..., tuple[int, list[User]]]) -> World:
    """A funded campaign with three paid orders (one delivered and reviewed, one delivered, one
    paid), its product listed, a published idea, a draft, two winning ideas (one with an open quote),
    a reason template and people in each role."""
    campaign_id, backers = funded_campaign(backers=3)
    with pctx.uow(write=False) as uow:
        campaign = uow.campaigns.campaign(campaign_id)
        found = sorted((o for o in uow.orders.for_maker(maker.id) if o.campaign_id == campaign_id),
                       key=lambda o: o.id)
    assert campaign is not None and len(found) == 3
    paid, reviewed, reviewing = found
    with engine.begin() as conn:
        conn.execute(update(core_tables.ideas).where(core_tables.ideas.c.id == campaign.idea_id)
                     .values(status="fulfilled"))
        conn.execute(update(commerce_tables.orders).where(commerce_tables.orders.c.id.in_([reviewed.id, reviewing.id]))
                     .values(status="delivered"))
    listing_id = shop.create_listing(pctx, maker, campaign_id, price=Money(2500, pctx.currency), stock=100_000,
                                     description_md="Folds flat.")
    by_buyer = {b.id: b for b in backers}
    review_id = reviews.add_review(pctx, by_buyer[reviewed.buyer_id], reviewed.id, 5, "Sturdy.")

    author, mod = person(name="Author"), person(Role.MODERATOR, name="Mod")
    boss, fan = person(Role.ADMIN, Role.MODERATOR, name="Boss"), person(name="Fan")
    idea_id = authoring.create_idea(pctx, author, fields=_idea_fields(category, "A folding stool for trains"),
                                    submit=True)
    moderation.approve(pctx, mod, idea_id)
    draft = authoring.create_idea(pctx, author, fields=_idea_fields(category, "A draft of a lamp"))
    quotable = _winning_idea(pctx, author, mod, fan, category, "A kettle that whistles softly")
    quoted = _winning_idea(pctx, author, mod, fan, category, "A bag that stands up by itself")
    quote_id = makers.submit_quote(pctx, maker, quoted, unit_cost=900, moq=5, lead_time_days=20, notes="First.")
    template = moderation.save_reason_template(pctx, mod, "Duplicate", "This idea exists already.")
    return World(ctx=pctx, engine=engine, author=author, mod=mod, admin=boss, maker=maker, fan=fan,
                 applicant=person(name="Applicant"), backer_reviewed=by_buyer[reviewed.buyer_id],
                 backer_reviewing=by_buyer[reviewing.buyer_id], category=category, idea=idea_id, draft=draft,
                 quotable=quotable, quote=quote_id, campaign=campaign_id, listing=listing_id, order_paid=paid.id,
                 order_reviewing=reviewing.id, review=review_id, template=template)


# ---- the targets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "one_line" | "multi_line" | "email" | "display_name" | "query"
    limit: int
    call: Callable[[World, str, Any], Any]
    read: Callable[[World, Any, Any], str | None] = lambda w, result, prep: None
    prepare: Callable[[World], Any] = lambda w: None
    reset: Callable[[World, Any, Any], None] = lambda w, result, prep: None
    required: bool = False  # whether empty text is refused


def _read(sql: str) -> Callable[[World, Any, Any], str | None]:
    """Read the stored text back by the call's result (an id) or, without one, by `:id` of prepare."""
    def read(w: World, result: Any, prep: Any) -> str | None:
        by_result = isinstance(result, int) and not isinstance(result, bool)
        return scalar(w.engine, sql, id=result if by_result else prep)
    return read


def _sign_up_name(w: World, value: str, _: Any) -> int:
    return auth.sign_up(w.ctx, email=f"hostile{next(_n)}@example.com", display_name=value, password=PASSWORD).id


def _sign_up_email(w: World, value: str, _: Any) -> int:
    return auth.sign_up(w.ctx, email=f"{value}h{next(_n)}@example.com", display_name=f"Hostile {next(_n)}",
                        password=PASSWORD).id


def _profile(w: World, value: str, _: Any) -> int:
    auth.update_profile(w.ctx, w.fan, display_name=value, locale="en")
    return w.fan.id


def _new_idea(field_name: str) -> Callable[[World, str, Any], int]:
    def call(w: World, value: str, _: Any) -> int:
        values: dict[str, Any] = {"title": "A folding stool for trains", "pitch": "Sit anywhere.",
                                  "description_md": "It folds.", "category_id": w.category, field_name: value}
        return authoring.create_idea(w.ctx, w.author, fields=IdeaFields.clean(**values))
    return call


def _edit_description(w: World, value: str, _: Any) -> int:
    fields = IdeaFields.clean(title="A draft of a lamp", pitch="Sit anywhere.", description_md=value,
                              category_id=w.category)
    authoring.edit_idea(w.ctx, w.author, w.draft, fields=fields)
    return w.draft


def _new_comment(w: World) -> int:  # the author's, so that the fan may flag it (never one's own)
    return cocreation.add_comment(w.ctx, w.author, w.idea, "A plain comment.")


def _pending_idea(w: World) -> int:
    return authoring.create_idea(w.ctx, w.author, fields=_idea_fields(w.category, "An idea to look at"), submit=True)


def _payout(w: World) -> int:
    return payouts.request_payout(w.ctx, w.maker, Money(1, w.ctx.currency))


def _address(value: str) -> ShippingAddress:
    return ShippingAddress.clean(**(ADDRESS | {"name": value}))


def _unship(w: World, result: Any, prep: Any) -> None:
    with w.engine.begin() as conn:
        conn.execute(update(commerce_tables.orders).where(commerce_tables.orders.c.id == w.order_paid)
                     .values(status="paid", carrier=None, tracking_number=None, shipped_at=None))


def _unreview(w: World, result: Any, prep: Any) -> None:
    with w.engine.begin() as conn:
        conn.execute(text("DELETE FROM reviews WHERE id = :id"), {"id": result})


TARGETS: list[Target] = [
    Target("sign-up display name", "display_name", 60, _sign_up_name,
           _read("SELECT display_name FROM users WHERE id = :id"), required=True),
    Target("sign-up e-mail", "email", 254, _sign_up_email, _read("SELECT email FROM users WHERE id = :id")),
    Target("profile display name", "display_name", 60, _profile,
           _read("SELECT display_name FROM users WHERE id = :id"), required=True),
    Target("idea title", "one_line", 120, _new_idea("title"), _read("SELECT title FROM ideas WHERE id = :id"),
           required=True),
    Target("idea pitch", "one_line", 200, _new_idea("pitch"), _read("SELECT pitch FROM ideas WHERE id = :id"),
           required=True),
    Target("idea tags", "one_line", 400, _new_idea("tags"), _read("SELECT tags FROM ideas WHERE id = :id")),
    Target("idea description (edit)", "multi_line", 20_000, _edit_description,
           _read("SELECT description_md FROM ideas WHERE id = :id"), required=True),
    Target("comment", "multi_line", 5000, lambda w, v, _: cocreation.add_comment(w.ctx, w.fan, w.idea, v),
           _read("SELECT body_md FROM comments WHERE id = :id"), required=True),
    Target("suggestion", "multi_line", 5000,
           lambda w, v, _: cocreation.propose_improvement(w.ctx, w.fan, w.idea, v),
           _read("SELECT body_md FROM suggestions WHERE id = :id"), required=True),
    Target("author's update", "multi_line", 5000, lambda w, v, _: authoring.post_update(w.ctx, w.author, w.idea, v),
           _read("SELECT body_md FROM idea_updates WHERE id = :id"), required=True),
    Target("flag reason", "one_line", 500, lambda w, v, c: cocreation.flag(w.ctx, w.fan, "comment", c, v),
           _read("SELECT reason FROM flags WHERE target_type = 'comment' AND target_id = :id"),
           prepare=_new_comment),
    Target("moderation reason", "multi_line", 2000,
           lambda w, v, idea: moderation.request_changes(w.ctx, w.mod, idea, v),
           _read("SELECT moderation_note FROM ideas WHERE id = :id"), prepare=_pending_idea, required=True),
    Target("moderation note (approve)", "multi_line", 2000,
           lambda w, v, idea: moderation.approve(w.ctx, w.mod, idea, v),
           _read("SELECT moderation_note FROM ideas WHERE id = :id"), prepare=_pending_idea),
    Target("hide reason", "multi_line", 2000,
           lambda w, v, c: moderation.set_visibility(w.ctx, w.mod, "comment", c, True, v),
           _read("SELECT reason FROM audit_log WHERE target_type = 'comment' AND target_id = :id"),
           prepare=_new_comment, required=True),
    Target("template title", "one_line", 80,
           lambda w, v, _: moderation.save_reason_template(w.ctx, w.mod, v, "Body.", template_id=w.template),
           _read("SELECT title FROM reason_templates WHERE id = :id"), required=True),
    Target("template body", "multi_line", 2000,
           lambda w, v, _: moderation.save_reason_template(w.ctx, w.mod, "Duplicate", v, template_id=w.template),
           _read("SELECT body FROM reason_templates WHERE id = :id"), required=True),
    Target("maker decision note", "multi_line", 2000,
           lambda w, v, _: makers.decide_maker(w.ctx, w.mod, w.applicant.id, False, v),
           lambda w, result, prep: scalar(w.engine, "SELECT decision_note FROM maker_profiles WHERE user_id = :id",
                                          id=w.applicant.id),
           prepare=lambda w: makers.apply_as_maker(w.ctx, w.applicant, business_name="Shop", description="Things.",
                                                   capabilities="sewing", location="Seoul"),
           required=True),
    Target("maker business name", "one_line", 120,
           lambda w, v, _: makers.apply_as_maker(w.ctx, w.applicant, business_name=v, description="Things.",
                                                 capabilities="sewing", location="Seoul"),
           lambda w, result, prep: scalar(w.engine, "SELECT business_name FROM maker_profiles WHERE user_id = :id",
                                          id=w.applicant.id),
           required=True),
    Target("maker description", "multi_line", 5000,
           lambda w, v, _: makers.apply_as_maker(w.ctx, w.applicant, business_name="Shop", description=v,
                                                 capabilities="sewing", location="Seoul"),
           lambda w, result, prep: scalar(w.engine, "SELECT description FROM maker_profiles WHERE user_id = :id",
                                          id=w.applicant.id),
           required=True),
    Target("quote notes (new)", "multi_line", 5000,
           lambda w, v, _: makers.submit_quote(w.ctx, w.maker, w.quotable, unit_cost=800, moq=5, lead_time_days=10,
                                               notes=v),
           _read("SELECT notes FROM quotes WHERE id = :id"),
           reset=lambda w, result, prep: makers.withdraw_quote(w.ctx, w.maker, result)),
    Target("quote notes (revised)", "multi_line", 5000,
           lambda w, v, _: makers.revise_quote(w.ctx, w.maker, w.quote, unit_cost=900, moq=5, lead_time_days=20,
                                               notes=v),
           lambda w, result, prep: scalar(w.engine, "SELECT notes FROM quotes WHERE id = :id", id=w.quote)),
    Target("listing description", "multi_line", 10_000,
           lambda w, v, _: shop.update_listing(w.ctx, w.maker, w.listing, description_md=v),
           lambda w, result, prep: scalar(w.engine, "SELECT description_md FROM listings WHERE id = :id",
                                          id=w.listing)),
    Target("review", "multi_line", 2000,
           lambda w, v, _: reviews.add_review(w.ctx, w.backer_reviewing, w.order_reviewing, 4, v),
           _read("SELECT body FROM reviews WHERE id = :id"), reset=_unreview),
    Target("reply to a review", "multi_line", 2000,
           lambda w, v, _: reviews.reply_to_review(w.ctx, w.maker, w.review, v),
           lambda w, result, prep: scalar(w.engine, "SELECT maker_reply FROM reviews WHERE id = :id", id=w.review),
           required=True),
    Target("refund reason", "one_line", 500,
           lambda w, v, _: refunds.refund_order(w.ctx, w.maker, w.order_paid, Money(1, w.ctx.currency), v),
           _read("SELECT reason FROM refunds WHERE id = :id")),
    Target("carrier", "one_line", 40,
           lambda w, v, _: orders.move_orders(w.ctx, w.maker, [w.order_paid], OrderStatus.SHIPPED, v, "CJ-1234567"),
           lambda w, result, prep: scalar(w.engine, "SELECT carrier FROM orders WHERE id = :id", id=w.order_paid),
           reset=_unship, required=True),
    Target("tracking number", "one_line", 40,
           lambda w, v, _: orders.move_orders(w.ctx, w.maker, [w.order_paid], OrderStatus.SHIPPED, "CJ Logistics", v),
           lambda w, result, prep: scalar(w.engine, "SELECT tracking_number FROM orders WHERE id = :id",
                                          id=w.order_paid),
           reset=_unship, required=True),
    Target("update to buyers", "multi_line", 5000,
           lambda w, v, _: buyer_updates.post_buyer_update(w.ctx, w.maker, v, campaign_id=w.campaign),
           _read("SELECT body_md FROM order_updates WHERE id = :id"), required=True),
    Target("shipping address", "one_line", 200,
           lambda w, v, _: checkout.buy_now(w.ctx, w.fan, w.listing, quantity=1, address=_address(v), card=GOOD),
           _read("SELECT ship_name FROM orders WHERE id = :id"), required=True),
    Target("payout note", "one_line", 500, lambda w, v, payout: payouts.reject_payout(w.ctx, w.admin, payout, v),
           _read("SELECT note FROM payouts WHERE id = :id"), prepare=_payout, required=True),
    Target("category name", "one_line", 60,
           lambda w, v, _: settings.save_category(w.ctx, w.admin, slug="things", name_en=v, name_ko="물건",
                                                  threshold=1, category_id=w.category),
           lambda w, result, prep: scalar(w.engine, "SELECT name_en FROM categories WHERE id = :id", id=w.category),
           required=True),
    Target("idea search", "query", 200, lambda w, v, _: browse.browse_ideas(w.ctx, query=v)),
    Target("idea search category", "query", 200, lambda w, v, _: browse.browse_ideas(w.ctx, category=v)),
    Target("shop search", "query", 200, lambda w, v, _: shop.browse(w.ctx, query=v)),
    Target("account search (moderators)", "query", 100,
           lambda w, v, _: moderation.find_accounts(w.ctx, w.mod, v)),
    Target("account search (admins)", "query", 200, lambda w, v, _: admin.list_users(w.ctx, w.admin, query=v)),
]
