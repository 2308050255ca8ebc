"""A suspended account reads what it read before and changes nothing, on SQLite and PostgreSQL.

Every public service in lib/services/** that takes an actor is listed below as a write, a read, a
moderator's work queue or an explained exception, and a new one fails this test until it is listed.
Each write is called with a suspended account that holds every role and owns everything the write
acts on (author, maker, buyer, backer, moderator, admin): it must raise AccountSuspended and leave
every table, and the payment gateway, exactly as they were. Each read must still answer.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, text

import lib.services
from lib.adapters.db.schema.base import metadata
from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import AccountSuspended
from lib.domain.money import Money
from lib.domain.orders import ListingStatus, NewListing, NewOrder, NewReview, OrderSource, OrderStatus
from lib.services.accounts import admin, auth
from lib.services.campaigns import maker_preorders, makers, opening, preorders
from lib.services.commerce import buyer_updates, checkout, orders, refunds, reviews, shop
from lib.services.ideas import authoring, browse, cocreation, moderation, settings, support
from lib.services.ledger import books, payouts, referrals
from lib.services.messaging import notifications
from lib.services.messaging.mail import MAX_ATTEMPTS
from lib.services.routes import Screen
from tests.commerce_fixtures import ADDRESS, GOOD
from tests.journey_fixtures import fields

KEY = "suspended-request-key-0001"


@dataclass
class World:
    """Everything a write could act on; `s` is the suspended account that owns it all."""

    ctx: Any
    s: User
    other: User
    applicant: User
    idea: int  # s's published idea (with a comment and a suggestion by `other`)
    draft: int  # s's draft
    winning: int  # other's winning idea, quoted on by s
    quote: int
    campaign: int  # open, made by s
    preorder: int  # s's pledge on it
    listing: int  # s's listing
    sold: int  # an order s sold (paid)
    bought: int  # an order s bought (shipped)
    review: int  # other's review of s's listing
    suggestion: int
    comment: int
    dead_letter: int
    category: int


def _suspend(ctx: Any, user: User, by: User) -> User:
    moderation.set_suspended(ctx, by, user.id, True, reason="testing: reads only")
    found = auth.get_user(ctx, user.id)
    assert found is not None and found.is_suspended
    return found


@pytest.fixture
def world(pctx, engine, category, person) -> World:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text("UPDATE categories SET support_threshold = 1"))
    mod, other = person(Role.MODERATOR, name="Mod"), person(name="Other")
    s = person(Role.MODERATOR, Role.ADMIN, name="Everything")
    makers.apply_as_maker(pctx, s, business_name="S Works", description="All of it.", capabilities="all",
                          location="Seoul")
    makers.decide_maker(pctx, mod, s.id, True)
    s = auth.get_user(pctx, s.id)
    applicant = person(name="Applicant")
    makers.apply_as_maker(pctx, applicant, business_name="Waiting Co", description="Pending.", capabilities="x",
                          location="Jeju")

    idea = authoring.create_idea(pctx, s, fields=fields(category, "A lamp that folds"), submit=True)
    moderation.approve(pctx, mod, idea)
    draft = authoring.create_idea(pctx, s, fields=fields(category, "A draft of a kettle"))
    comment = cocreation.add_comment(pctx, other, idea, "Nice.")
    suggestion = cocreation.propose_improvement(pctx, other, idea, "Add a hook.")

    winning = authoring.create_idea(pctx, other, fields=fields(category, "A stool for trains"), submit=True)
    moderation.approve(pctx, mod, winning)
    support.support_idea(pctx, person(), winning)
    quote = makers.submit_quote(pctx, s, winning, unit_cost=1000, moq=2, lead_time_days=10)
    opening.consent_to_quote(pctx, other, quote)
    campaign = opening.open_campaign(pctx, mod, quote, days=20)
    preorder = preorders.place_preorder(pctx, s, campaign, quantity=1, address=ShippingAddress.clean(**ADDRESS),
                                        card=GOOD)

    now = pctx.now()
    with pctx.uow() as uow:
        listing = uow.shop.add_listing(NewListing(
            idea_id=winning, maker_id=s.id, campaign_id=None, title="Stool", description_md="Folds.",
            price=Money(2500, "USD"), stock=10, status=ListingStatus.ACTIVE, starts_at=None, per_account_limit=None,
            consumable=False, reorder_days=30, created_at=now, updated_at=now))

        def order(buyer: User, maker: User, status: OrderStatus) -> int:
            return int(uow.orders.add(NewOrder(
                source=OrderSource.SHOP, buyer_id=buyer.id, maker_id=maker.id, idea_id=winning, listing_id=listing,
                title="Stool", quantity=1, unit_price=Money(2500, "USD"), amount=Money(2500, "USD"), status=status,
                gateway="fake", payment_ref=f"pi_{buyer.id}_{status.value}", address=ShippingAddress.clean(**ADDRESS),
                created_at=now, paid_at=now)))

        sold, bought = order(other, s, OrderStatus.PAID), order(s, other, OrderStatus.SHIPPED)
        delivered = order(other, s, OrderStatus.DELIVERED)
        review = uow.shop.add_review(NewReview(order_id=delivered, listing_id=listing, user_id=other.id, rating=5,
                                               body="Good.", created_at=now))
        dead_letter = uow.outbox.add(s.email, "Hello", "Body", now)
        for _ in range(MAX_ATTEMPTS):
            uow.outbox.mark_failed(dead_letter, "550 no such mailbox", now)
        uow.commit()
    assert listing is not None and review is not None
    return World(ctx=pctx, s=_suspend(pctx, s, mod), other=other, applicant=applicant, idea=idea, draft=draft,
                 winning=winning, quote=quote, campaign=campaign, preorder=preorder, listing=listing, sold=sold,
                 bought=bought, review=review, suggestion=suggestion, comment=comment, dead_letter=dead_letter,
                 category=category)


def _address() -> ShippingAddress:
    return ShippingAddress.clean(**ADDRESS)


WRITES: dict[str, Callable[[World], object]] = {
    "accounts.admin.set_roles": lambda w: admin.set_roles(w.ctx, w.s, w.other.id, {Role.MAKER}),
    "accounts.admin.retry_email": lambda w: admin.retry_email(w.ctx, w.s, w.dead_letter),
    "accounts.auth.update_profile": lambda w: auth.update_profile(w.ctx, w.s, display_name="Renamed", locale="ko"),
    "campaigns.makers.apply_as_maker": lambda w: makers.apply_as_maker(
        w.ctx, w.s, business_name="New Works", description="New.", capabilities="y", location="Busan"),
    "campaigns.makers.decide_maker": lambda w: makers.decide_maker(w.ctx, w.s, w.applicant.id, True),
    "campaigns.makers.submit_quote": lambda w: makers.submit_quote(w.ctx, w.s, w.winning, unit_cost=900, moq=2,
                                                                   lead_time_days=9),
    "campaigns.makers.revise_quote": lambda w: makers.revise_quote(w.ctx, w.s, w.quote, unit_cost=900, moq=2,
                                                                   lead_time_days=9),
    "campaigns.makers.withdraw_quote": lambda w: makers.withdraw_quote(w.ctx, w.s, w.quote),
    "campaigns.opening.consent_to_quote": lambda w: opening.consent_to_quote(w.ctx, w.s, w.quote),
    "campaigns.opening.open_campaign": lambda w: opening.open_campaign(w.ctx, w.s, w.quote, per_account_limit=2),
    "campaigns.preorders.begin_card_setup": lambda w: preorders.begin_card_setup(w.ctx, w.s, w.campaign),
    "campaigns.preorders.place_preorder": lambda w: preorders.place_preorder(
        w.ctx, w.s, w.campaign, quantity=1, address=_address(), card=GOOD, request_key=KEY),
    "campaigns.preorders.cancel_preorder": lambda w: preorders.cancel_preorder(w.ctx, w.s, w.preorder),
    "campaigns.preorders.begin_card_update": lambda w: preorders.begin_card_update(w.ctx, w.s, w.preorder),
    "campaigns.preorders.update_card": lambda w: preorders.update_card(w.ctx, w.s, w.preorder, card=GOOD),
    "commerce.buyer_updates.post_buyer_update": lambda w: buyer_updates.post_buyer_update(
        w.ctx, w.s, "Shipping next week.", listing_id=w.listing),
    "commerce.checkout.buy_now": lambda w: checkout.buy_now(w.ctx, w.s, w.listing, quantity=1, address=_address(),
                                                            card=GOOD, request_key=KEY),
    "commerce.orders.move_orders": lambda w: orders.move_orders(w.ctx, w.s, [w.sold], OrderStatus.IN_PRODUCTION),
    "commerce.orders.confirm_delivery": lambda w: orders.confirm_delivery(w.ctx, w.s, w.bought),
    "commerce.refunds.refund_order": lambda w: refunds.refund_order(w.ctx, w.s, w.sold, Money(100, "USD"),
                                                                    request_key=KEY),
    "commerce.reviews.add_review": lambda w: reviews.add_review(w.ctx, w.s, w.bought, 4, "Fine."),
    "commerce.reviews.reply_to_review": lambda w: reviews.reply_to_review(w.ctx, w.s, w.review, "Thank you!"),
    "commerce.shop.create_listing": lambda w: shop.create_listing(w.ctx, w.s, w.campaign, price=Money(3000, "USD"),
                                                                  stock=5),
    "commerce.shop.update_listing": lambda w: shop.update_listing(w.ctx, w.s, w.listing, add_stock=5),
    "commerce.shop.begin_card_setup": lambda w: shop.begin_card_setup(w.ctx, w.s, w.listing),
    "ideas.authoring.create_idea": lambda w: authoring.create_idea(
        w.ctx, w.s, fields=fields(w.category, "A bigger lamp"), submit=True),
    "ideas.authoring.edit_idea": lambda w: authoring.edit_idea(w.ctx, w.s, w.idea,
                                                               fields=fields(w.category, "A lamp that folds twice")),
    "ideas.authoring.submit_for_review": lambda w: authoring.submit_for_review(w.ctx, w.s, w.draft),
    "ideas.authoring.withdraw_idea": lambda w: authoring.withdraw_idea(w.ctx, w.s, w.idea),
    "ideas.authoring.post_update": lambda w: authoring.post_update(w.ctx, w.s, w.idea, "Prototype done."),
    "ideas.cocreation.add_comment": lambda w: cocreation.add_comment(w.ctx, w.s, w.idea, "Thanks!", w.comment),
    "ideas.cocreation.propose_improvement": lambda w: cocreation.propose_improvement(w.ctx, w.s, w.winning,
                                                                                     "Fold it twice."),
    "ideas.cocreation.decide_improvement": lambda w: cocreation.decide_improvement(w.ctx, w.s, w.suggestion, True),
    "ideas.cocreation.flag": lambda w: cocreation.flag(w.ctx, w.s, "comment", w.comment, "spam"),
    "ideas.cocreation.unflag": lambda w: cocreation.unflag(w.ctx, w.s, "comment", w.comment),
    "ideas.moderation.approve": lambda w: moderation.approve(w.ctx, w.s, w.draft),
    "ideas.moderation.reject": lambda w: moderation.reject(w.ctx, w.s, w.draft, "No."),
    "ideas.moderation.request_changes": lambda w: moderation.request_changes(w.ctx, w.s, w.draft, "More."),
    "ideas.moderation.set_visibility": lambda w: moderation.set_visibility(w.ctx, w.s, "idea", w.winning, True,
                                                                           "spam"),
    "ideas.moderation.set_suspended": lambda w: moderation.set_suspended(w.ctx, w.s, w.other.id, True, "spam"),
    "ideas.moderation.merge": lambda w: moderation.merge(w.ctx, w.s, w.idea, w.winning),
    "ideas.moderation.save_reason_template": lambda w: moderation.save_reason_template(w.ctx, w.s, "Dup",
                                                                                       "A duplicate."),
    "ideas.settings.update_support_window": lambda w: settings.update_support_window(w.ctx, w.s, 30),
    "ideas.settings.save_category": lambda w: settings.save_category(w.ctx, w.s, slug="new", name_en="New",
                                                                     name_ko="새", threshold=3),
    "ideas.support.support_idea": lambda w: support.support_idea(w.ctx, w.s, w.winning),
    "ideas.support.withdraw_support": lambda w: support.withdraw_support(w.ctx, w.s, w.winning),
    "ideas.support.set_following": lambda w: support.set_following(w.ctx, w.s, w.winning, True),
    "ledger.books.update_rates": lambda w: books.update_rates(w.ctx, w.s, platform_fee_bps=900),
    "ledger.payouts.request_payout": lambda w: payouts.request_payout(w.ctx, w.s, Money(100, "USD"),
                                                                      request_key=KEY),
    "ledger.payouts.mark_payout_paid": lambda w: payouts.mark_payout_paid(w.ctx, w.s, 1, "BANK-1", request_key=KEY),
    "ledger.payouts.reject_payout": lambda w: payouts.reject_payout(w.ctx, w.s, 1, "No bank details."),
}

READS: dict[str, Callable[[World], object]] = {
    "accounts.admin.list_users": lambda w: admin.list_users(w.ctx, w.s),
    "accounts.admin.outbox": lambda w: admin.outbox(w.ctx, w.s),
    "accounts.admin.dead_letters": lambda w: admin.dead_letters(w.ctx, w.s),
    "campaigns.maker_preorders.maker_orders": lambda w: maker_preorders.maker_orders(w.ctx, w.s, w.campaign),
    "campaigns.makers.my_maker_profile": lambda w: makers.my_maker_profile(w.ctx, w.s),
    "campaigns.makers.winning_ideas": lambda w: makers.winning_ideas(w.ctx, w.s),
    "campaigns.makers.my_quotes": lambda w: makers.my_quotes(w.ctx, w.s),
    "campaigns.opening.get_campaign": lambda w: opening.get_campaign(w.ctx, w.campaign, w.s),
    "campaigns.preorders.my_preorders": lambda w: preorders.my_preorders(w.ctx, w.s),
    "commerce.buyer_updates.list_buyer_updates": lambda w: buyer_updates.list_buyer_updates(
        w.ctx, w.s, listing_id=w.listing),
    "commerce.buyer_updates.shipping_list_csv": lambda w: buyer_updates.shipping_list_csv(w.ctx, w.s),
    "commerce.orders.maker_orders": lambda w: orders.maker_orders(w.ctx, w.s),
    "commerce.orders.my_orders": lambda w: orders.my_orders(w.ctx, w.s),
    "commerce.orders.past_addresses": lambda w: orders.past_addresses(w.ctx, w.s),
    "ideas.cocreation.my_open_flags": lambda w: cocreation.my_open_flags(w.ctx, w.s, w.idea),
    "commerce.shop.get_listing": lambda w: shop.get_listing(w.ctx, w.listing, w.s),
    "commerce.shop.my_listings": lambda w: shop.my_listings(w.ctx, w.s),
    "commerce.shop.my_purchase_state": lambda w: shop.my_purchase_state(w.ctx, w.s, w.listing),
    "ideas.authoring.my_ideas": lambda w: authoring.my_ideas(w.ctx, w.s),
    "ideas.browse.idea_detail": lambda w: browse.idea_detail(w.ctx, w.s, w.idea),
    "ideas.browse.idea_comments": lambda w: browse.idea_comments(w.ctx, w.s, w.idea),
    "ideas.moderation.audit_log": lambda w: moderation.audit_log(w.ctx, w.s),
    "ideas.support.support_state": lambda w: support.support_state(w.ctx, w.s, w.idea),
    "ledger.books.earnings": lambda w: books.earnings(w.ctx, w.s),
    "ledger.books.statement": lambda w: books.statement(w.ctx, w.s),
    "ledger.books.statement_csv": lambda w: books.statement_csv(w.ctx, w.s),
    "ledger.books.payables": lambda w: books.payables(w.ctx, w.s),
    "ledger.payouts.my_payouts": lambda w: payouts.my_payouts(w.ctx, w.s),
    "ledger.payouts.payout_queue": lambda w: payouts.payout_queue(w.ctx, w.s),
    "ledger.referrals.dashboard": lambda w: referrals.dashboard(w.ctx, w.s),
    "ledger.referrals.share_url": lambda w: referrals.share_url(w.ctx, w.s, Screen.IDEA, id=str(w.idea)),
    "messaging.notifications.inbox": lambda w: notifications.inbox(w.ctx, w.s),
    "messaging.notifications.unread_count": lambda w: notifications.unread_count(w.ctx, w.s),
}

# The moderators' work queues are part of moderating, not of reading the site: a suspended
# moderator is told so on the moderation page (tests/ui/test_pages_by_role.py) and sees no queue.
STAFF_WORK: dict[str, Callable[[World], object]] = {
    "campaigns.makers.maker_applications": lambda w: makers.maker_applications(w.ctx, w.s),
    "ideas.moderation.queue": lambda w: moderation.queue(w.ctx, w.s),
    "ideas.moderation.flagged": lambda w: moderation.flagged(w.ctx, w.s),
    "ideas.moderation.find_accounts": lambda w: moderation.find_accounts(w.ctx, w.s, "other"),
    "ideas.moderation.reason_templates": lambda w: moderation.reason_templates(w.ctx, w.s),
}

EXEMPT = {
    "messaging.notifications.mark_read": "marks the account's own inbox as read: part of reading it",
    "ideas.support.record_view": "counts one view of an idea page: the reading itself",
    "ledger.referrals.record_click": "counts a visit through someone's share link: the reading itself",
    "payments.cards.payment_customer": "a step of the card services, which refuse a suspended account first",
    "payments.cards.save_card": "a step of the card services, which refuse a suspended account first",
}


def _services_with_an_actor() -> set[str]:
    """Every public function of lib/services/** taking an `actor` (or a `user: User`), except helpers that
    run inside their caller's transaction (they take `uow`: the caller is the service)."""
    found = set()
    for info in pkgutil.walk_packages(lib.services.__path__, "lib.services."):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = inspect.signature(fn).parameters
            if "uow" in params:
                continue
            if "actor" in params or any(p.name == "user" and "User" in str(p.annotation) for p in params.values()):
                found.add(f"{module.__name__.removeprefix('lib.services.')}.{name}")
    return found


def test_every_service_with_an_actor_is_a_known_write_or_read() -> None:
    listed = [*WRITES, *READS, *STAFF_WORK, *EXEMPT]
    assert len(listed) == len(set(listed)), "a service is listed twice"
    found = _services_with_an_actor()
    assert sorted(found - set(listed)) == [], "new service: list it as a write, a read or an exception here"
    assert sorted(set(listed) - found) == [], "listed, but no longer a service with an actor"


def _everything(engine) -> dict[str, list[tuple[Any, ...]]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for table in metadata.sorted_tables}


def test_a_suspended_account_changes_nothing_anywhere(world, engine, gateway):  # type: ignore[no-untyped-def]
    before, charges, holds = _everything(engine), list(gateway.charges), dict(gateway.holds)
    outcomes = {}
    for name, call in WRITES.items():
        try:
            call(world)
        except Exception as exc:  # noqa: BLE001 - each outcome is checked below
            outcomes[name] = type(exc).__name__
        else:
            outcomes[name] = "done"
        assert _everything(engine) == before, f"{name} changed the database"
    assert {name: outcome for name, outcome in outcomes.items() if outcome != "AccountSuspended"} == {}
    assert (gateway.charges, gateway.holds) == (charges, holds)


def test_a_suspended_account_still_reads_everything_it_could(world, engine):  # type: ignore[no-untyped-def]
    before = _everything(engine)
    for call in READS.values():
        call(world)  # no AccountSuspended, nor anything else
    assert _everything(engine) == before
    mine = authoring.my_ideas(world.ctx, world.s)
    assert {i.id for i in mine} == {world.idea, world.draft}
    assert shop.get_listing(world.ctx, world.listing, world.s).listing.id == world.listing
    assert [p.id for p, _ in preorders.my_preorders(world.ctx, world.s)] == [world.preorder]


def test_a_suspended_moderator_sees_no_work_queue(world):  # type: ignore[no-untyped-def]
    for call in STAFF_WORK.values():
        with pytest.raises(AccountSuspended):
            call(world)


def test_a_suspension_after_the_page_was_drawn_still_stops_a_name_change(world, person):  # type: ignore[no-untyped-def]
    """The profile form holds the account as it was when drawn: the service reads it again."""
    stale = auth.get_user(world.ctx, world.other.id)
    moderation.set_suspended(world.ctx, person(Role.MODERATOR), world.other.id, True, "impersonation")
    with pytest.raises(AccountSuspended):
        auth.update_profile(world.ctx, stale, display_name="Cocreate Support", locale="en")
    assert auth.get_user(world.ctx, world.other.id).display_name == world.other.display_name
