"""Referral clicks, binding them to accounts, attribution over 30 days, pre-orders and the dashboard,
on real SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from lib.adapters.db.schema import campaigns as campaign_tables
from lib.adapters.db.schema import commerce as commerce_tables
from lib.domain.accounts import Role
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.domain.referrals import Conversion
from lib.services.campaigns import preorders
from lib.services.context import utcnow
from lib.services.ideas import moderation
from lib.services.ledger import books, referrals
from lib.services.reads import RATES
from lib.services.routes import Screen
from tests.commerce_fixtures import ADDRESS, GOOD
from tests.referrals.helpers import add_click, add_order, click_total, clicks, post

pytestmark = pytest.mark.usefixtures("engine")


def visitor() -> str:
    return secrets.token_hex(16)


def at_time(ctx, when):  # type: ignore[no-untyped-def]
    return replace(ctx, clock=lambda: when)


def attributed(ctx, buyer_id: int, when=None):  # type: ignore[no-untyped-def]
    with ctx.uow(write=False) as uow:
        return referrals.attributed_referrer(uow, buyer_id, when or ctx.now())


# --- recording clicks -------------------------------------------------------------------------

def test_a_visitors_click_is_recorded_whatever_the_case_of_the_code(ctx, engine, person):
    referrer, key = person(name="Influencer"), visitor()
    assert referrals.record_click(ctx, f" {referrer.referral_code.lower()} ", key, None, "idea:7") is True
    [row] = clicks(engine, referrer_id=referrer.id)
    assert (row["visitor_key"], row["user_id"], row["target"]) == (key, None, "idea:7")


@pytest.mark.parametrize("code", ["NOPE2345", "", "ab", "x" * 40, "<script>", "DROP TABLE", None, 12345678])
def test_unknown_or_malformed_codes_are_ignored_silently(ctx, engine, person, code):
    person()  # an account exists, just not with this code
    assert referrals.record_click(ctx, code, visitor(), None, "idea:1") is False  # type: ignore[arg-type]
    assert click_total(engine) == 0


def test_ones_own_code_is_ignored(ctx, engine, person):
    me = person()
    assert referrals.record_click(ctx, me.referral_code, visitor(), me, "campaign:1") is False
    assert referrals.record_click(ctx, me.referral_code.lower(), visitor(), me, "campaign:1") is False
    assert click_total(engine) == 0


def test_a_suspended_referrers_code_is_ignored(ctx, engine, person):
    referrer = person()
    moderation.set_suspended(ctx, person(Role.MODERATOR), referrer.id, True, reason="Spam links")
    assert referrals.record_click(ctx, referrer.referral_code, visitor(), None, "idea:1") is False
    assert click_total(engine) == 0


def test_the_same_visitor_is_counted_once_an_hour_per_link(ctx, engine, person):
    referrer, key, now = person(), visitor(), utcnow()
    assert referrals.record_click(at_time(ctx, now), referrer.referral_code, key, None, "idea:1")
    for minutes in (0, 1, 59):  # reloads and rapid repeats
        assert not referrals.record_click(at_time(ctx, now + timedelta(minutes=minutes)),
                                          referrer.referral_code, key, None, "idea:1")
    assert referrals.record_click(at_time(ctx, now), referrer.referral_code, key, None, "campaign:2")
    assert referrals.record_click(at_time(ctx, now), referrer.referral_code, visitor(), None, "idea:1")
    assert referrals.record_click(at_time(ctx, now + timedelta(minutes=61)), referrer.referral_code, key, None,
                                  "idea:1")
    assert len(clicks(engine, referrer_id=referrer.id)) == 4


def test_a_burst_of_the_same_click_at_once_is_one_click(ctx, engine, person):
    referrer, key = person(), visitor()
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda _: referrals.record_click(ctx, referrer.referral_code, key, None, "idea:1"),
                                range(24)))
    assert results.count(True) == 1
    assert len(clicks(engine, referrer_id=referrer.id)) == 1


def test_a_signed_in_visitor_is_one_visitor_across_tabs(ctx, engine, person):
    referrer, fan = person(), person()
    assert referrals.record_click(ctx, referrer.referral_code, visitor(), fan, "idea:1")
    assert not referrals.record_click(ctx, referrer.referral_code, visitor(), fan, "idea:1")  # a second tab
    [row] = clicks(engine, referrer_id=referrer.id)
    assert row["user_id"] == fan.id, "a signed-in visitor's click is bound at once"
    assert attributed(ctx, fan.id) == referrer.id


def test_a_bad_target_or_visitor_key_never_breaks_the_visit(ctx, engine, person):
    referrer = person()
    assert referrals.record_click(ctx, referrer.referral_code, visitor(), None, "<b>idea</b>:1" * 20)
    assert [r["target"] for r in clicks(engine)] == [""]
    assert referrals.record_click(ctx, referrer.referral_code, "", None, "idea:1") is False
    assert referrals.record_click(ctx, referrer.referral_code, "k" * 65, None, "idea:1") is False


# --- binding anonymous clicks and attribution -------------------------------------------------

def test_anonymous_clicks_are_bound_when_the_session_signs_in(ctx, engine, person):
    referrer, key = person(), visitor()
    referrals.record_click(ctx, referrer.referral_code, key, None, "idea:1")
    referrals.record_click(ctx, referrer.referral_code, key, None, "campaign:3")
    referrals.record_click(ctx, referrer.referral_code, visitor(), None, "idea:1")  # someone else's session
    buyer = person(name="Newcomer")
    assert attributed(ctx, buyer.id) is None
    assert referrals.claim_visitor_clicks(ctx, key, buyer.id) == 2
    assert attributed(ctx, buyer.id) == referrer.id
    assert referrals.claim_visitor_clicks(ctx, key, person().id) == 0, "bound clicks stay with their account"
    assert sorted(r["user_id"] is None for r in clicks(engine)) == [False, False, True]


def test_claiming_skips_clicks_on_the_new_accounts_own_link(ctx, engine, person):
    me, key = person(), visitor()
    referrals.record_click(ctx, me.referral_code, key, None, "idea:1")  # not signed in yet: recorded
    assert referrals.claim_visitor_clicks(ctx, key, me.id) == 0
    assert attributed(ctx, me.id) is None


def test_attribution_lasts_thirty_days_and_not_after(ctx, person):
    referrer, buyer, clicked = person(), person(), utcnow() - timedelta(days=40)
    referrals.record_click(at_time(ctx, clicked), referrer.referral_code, visitor(), buyer, "idea:1")
    assert attributed(ctx, buyer.id, clicked - timedelta(seconds=1)) is None, "no credit before the click"
    assert attributed(ctx, buyer.id, clicked) == referrer.id
    assert attributed(ctx, buyer.id, clicked + timedelta(days=29, hours=23)) == referrer.id
    assert attributed(ctx, buyer.id, clicked + timedelta(days=30)) == referrer.id
    assert attributed(ctx, buyer.id, clicked + timedelta(days=30, seconds=1)) is None
    assert attributed(ctx, buyer.id, clicked + timedelta(days=31)) is None


def test_the_latest_referrer_wins(ctx, person):
    first, second, buyer, t0 = person(), person(), person(), utcnow() - timedelta(days=3)
    referrals.record_click(at_time(ctx, t0), first.referral_code, visitor(), buyer, "idea:1")
    referrals.record_click(at_time(ctx, t0 + timedelta(days=1)), second.referral_code, visitor(), buyer, "idea:1")
    assert attributed(ctx, buyer.id) == second.id
    referrals.record_click(at_time(ctx, t0 + timedelta(days=2)), first.referral_code, visitor(), buyer, "idea:2")
    assert attributed(ctx, buyer.id) == first.id


def test_self_referral_is_never_attributed(ctx, engine, person):
    buyer, friend, now = person(), person(), utcnow()
    add_click(engine, friend.id, buyer.id, now - timedelta(days=2))
    add_click(engine, buyer.id, buyer.id, now - timedelta(days=1))  # a row that slipped past record_click
    assert attributed(ctx, buyer.id) == friend.id, "the buyer's own click is skipped, not counted"
    with ctx.uow() as uow:
        clicks = commerce_tables.referral_clicks
        uow.conn.execute(clicks.delete().where(clicks.c.referrer_id == friend.id))
        uow.commit()
    assert attributed(ctx, buyer.id) is None


def test_a_referrer_suspended_later_earns_nothing_new(ctx, engine, person):
    referrer, buyer = person(), person()
    referrals.record_click(ctx, referrer.referral_code, visitor(), buyer, "idea:1")
    moderation.set_suspended(ctx, person(Role.MODERATOR), referrer.id, True, reason="Fraud")
    assert attributed(ctx, buyer.id) is None


# --- pre-orders carry the referrer ------------------------------------------------------------

def test_a_preorder_stores_who_referred_the_backer(pctx, engine, open_campaign, person):
    campaign_id = open_campaign(goal=3)
    referrer, referred, unreferred, selfish = person(), person(), person(), person()
    referrals.record_click(pctx, referrer.referral_code, visitor(), referred, f"campaign:{campaign_id}")
    referrals.record_click(pctx, selfish.referral_code, visitor(), selfish, f"campaign:{campaign_id}")
    address = ShippingAddress.clean(**ADDRESS)
    ids = {who.id: preorders.place_preorder(pctx, who, campaign_id, quantity=1, address=address, card=GOOD)
           for who in (referred, unreferred, selfish)}
    p = campaign_tables.preorders.c
    with engine.connect() as conn:
        stored = dict(conn.execute(select(p.user_id, p.referrer_id).where(p.id.in_(ids.values()))).all())
    assert stored == {referred.id: referrer.id, unreferred.id: None, selfish.id: None}


def test_a_refused_card_leaves_no_preorder_behind_even_with_a_referrer(pctx, engine, open_campaign, person):
    campaign_id = open_campaign(goal=3)
    referrer, buyer = person(), person()
    referrals.record_click(pctx, referrer.referral_code, visitor(), buyer, f"campaign:{campaign_id}")
    with pytest.raises(DomainError):
        preorders.place_preorder(pctx, buyer, campaign_id, quantity=1, address=ShippingAddress.clean(**ADDRESS),
                                 card="4000000000000002")
    with engine.connect() as conn:
        assert conn.execute(select(campaign_tables.preorders.c.id)).all() == []


# --- share links and the dashboard ------------------------------------------------------------

def test_share_url_carries_the_code_and_the_page(ctx, person):
    me = person()
    base = replace(ctx, base_url="https://cocreate.example/")
    code = me.referral_code
    assert referrals.share_url(base, me, Screen.IDEA, id="12") == f"https://cocreate.example/idea?id=12&ref={code}"
    assert referrals.share_url(base, me, Screen.DISCOVER) == f"https://cocreate.example/?ref={code}"
    assert referrals.share_url(base, me, Screen.SHOP, q="a b&c") == f"https://cocreate.example/shop?q=a+b%26c&ref={code}"


def test_the_dashboard_needs_an_account(ctx):
    with pytest.raises(DomainError):
        referrals.dashboard(ctx, None)


def test_the_dashboard_counts_from_the_database(ctx, engine, person, published_idea):
    me, other, maker = person(name="Influencer"), person(), person(Role.MAKER)
    idea_id, _ = published_idea()
    now = utcnow()
    fan = person()
    key = visitor()
    referrals.record_click(at_time(ctx, now - timedelta(days=45)), me.referral_code, key, None, "idea:1")  # old
    referrals.record_click(ctx, me.referral_code, key, None, "idea:2")  # same session again
    referrals.record_click(ctx, me.referral_code, visitor(), fan, "idea:1")
    referrals.record_click(ctx, me.referral_code, visitor(), None, "campaign:1")
    referrals.record_click(ctx, other.referral_code, visitor(), None, "idea:1")  # not mine
    buyer = person(name="Secret Buyer")
    sold = add_order(ctx, buyer_id=buyer.id, maker_id=maker.id, idea_id=idea_id, referrer_id=me.id, amount=5000,
                     at=now - timedelta(days=2), title="Folding stool")
    later = add_order(ctx, buyer_id=fan.id, maker_id=maker.id, idea_id=idea_id, referrer_id=me.id, amount=2000,
                      at=now - timedelta(days=1), title="Stool cushion", status=OrderStatus.DELIVERED)
    add_order(ctx, buyer_id=fan.id, maker_id=maker.id, idea_id=idea_id, referrer_id=me.id, amount=900, at=now,
              status=OrderStatus.CANCELLED, title="Never paid")
    add_order(ctx, buyer_id=fan.id, maker_id=maker.id, idea_id=idea_id, referrer_id=other.id, amount=700, at=now)
    post(engine, "sale", sold, me.id, -150, now)
    post(engine, "refund", sold, me.id, 50, now)  # a partial refund takes some back
    post(engine, "sale", later, me.id, -60, now)
    post(engine, "payout", None, me.id, 100, now)  # paid out: still earned
    post(engine, "sale", later, other.id, -21, now)
    post(engine, "sale", None, me.id, -300, now, currency="KRW")

    stats = referrals.dashboard(ctx, me)
    assert (stats.code, stats.clicks, stats.clicks_recent, stats.visitors) == (me.referral_code, 4, 3, 3)
    assert stats.conversions == 2
    assert stats.conversion_rate == pytest.approx(2 / 3)
    assert stats.earnings == [Money(300, "KRW"), Money(160, "USD")]
    assert [(c.order_id, c.title, c.amount, c.commission) for c in stats.recent] == [
        (later, "Stool cushion", Money(2000, "USD"), Money(60, "USD")),
        (sold, "Folding stool", Money(5000, "USD"), Money(100, "USD"))]
    assert {f for f in Conversion.__dataclass_fields__} == {"order_id", "at", "title", "amount", "commission"}, \
        "a referrer never learns who bought"

    empty = referrals.dashboard(ctx, other)
    assert (empty.clicks, empty.conversions, empty.conversion_rate) == (1, 1, 1.0)
    nobody = referrals.dashboard(ctx, buyer)
    assert (nobody.clicks, nobody.visitors, nobody.conversions, nobody.earnings, nobody.recent) == (0, 0, 0, [], [])
    assert nobody.conversion_rate == 0.0


def test_the_referral_rate_follows_the_admin_setting(ctx, person):
    assert referrals.referral_rate_bps(ctx) == 300
    books.update_rates(ctx, person(Role.ADMIN), referral_bps=250)
    assert referrals.referral_rate_bps(ctx) == 250, "at once on this server"
    with ctx.uow() as uow:  # another server's admin changed it: seen here once the shared read expires
        uow.settings.put("rate_referral_bps", "200")
        uow.commit()
    assert referrals.referral_rate_bps(ctx) == 250
    ctx.reads.forget(RATES)  # what RATES_SECONDS later does
    assert referrals.referral_rate_bps(ctx) == 200
