"""Posting sales and refunds on real SQLite and PostgreSQL: the split, idempotency, proportional
refunds, append-only rows and the admin's rates."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lib.domain.errors import InvalidInput, PermissionDenied
from lib.domain.ledger import Rates
from lib.domain.money import Money
from lib.domain.orders import RefundTooLarge
from lib.services.ledger import books
from lib.services.messaging import notifications
from lib.services.messaging.notifications import money_param
from tests.ledger.conftest import add_order, entries, get_order, refund, sell
from tests.race import race


def by_key(rows):  # type: ignore[no-untyped-def]
    found: dict = {}
    for _kind, account, user, amount in rows:
        found[(account, user)] = found.get((account, user), 0) + amount
    return found


def test_a_campaign_sale_is_split_by_the_breakdown_buyers_saw(pctx, engine, deal, person):
    d = deal(co_creators=2)
    buyer, referrer = person(name="Buyer"), person(name="Influencer")
    order = sell(pctx, d, buyer, quantity=3, referrer=referrer)
    with pctx.uow(write=False) as uow:
        c = uow.campaigns.campaign(d.campaign_id)
    amount = c.price.amount * 3
    assert order.amount.amount == amount
    got = by_key(entries(engine, order.id))
    assert sum(got.values()) == 0 and got[("cash", None)] == amount
    referral = min(amount * 300 // 10_000, c.platform_fee.amount * 3)
    fee = min(amount * 290 // 10_000 + 30, amount - 3 * (c.platform_fee.amount + c.creator_royalty.amount
                                                          + c.co_creator_pool.amount))
    pool = c.co_creator_pool.amount * 3
    assert got[("referrer", referrer.id)] == -referral
    assert got[("platform", None)] == -(c.platform_fee.amount * 3 - referral)
    assert got[("creator", d.author.id)] == -c.creator_royalty.amount * 3
    first, second = d.co_creators
    assert got[("co_creator", first.id)] == -(pool - pool // 2)
    assert got[("co_creator", second.id)] == -(pool // 2)
    assert got[("payment_fee", None)] == -fee
    assert got[("maker", d.maker.id)] == -(amount - 3 * (c.platform_fee.amount + c.creator_royalty.amount
                                                         + c.co_creator_pool.amount) - fee)
    # The referrer hears about it, once; nobody else is notified of a sale.
    inbox = notifications.inbox(pctx, referrer)
    assert [(n.kind, n.params["title"]) for n in inbox] == [("referral_earned", d.title)]
    assert inbox[0].params["amount"] == money_param(Money(referral, pctx.currency))
    assert books.earnings(pctx, referrer).by_role["referrer"].amount == referral
    assert books.earnings(pctx, d.maker).by_role["maker"].amount == -got[("maker", d.maker.id)]


def test_no_commission_on_ones_own_purchase(pctx, engine, deal, person):
    d = deal(co_creators=0)
    buyer = person(name="Self-referrer")
    order = sell(pctx, d, buyer, referrer=buyer)
    got = by_key(entries(engine, order.id))
    assert not [k for k in got if k[0] == "referrer"]
    with pctx.uow(write=False) as uow:
        c = uow.campaigns.campaign(d.campaign_id)
    assert got[("platform", None)] == -c.platform_fee.amount
    assert got[("creator", d.author.id)] == -(c.creator_royalty.amount + c.co_creator_pool.amount), "no co-creators"
    assert all(n.kind != "referral_earned" for n in notifications.inbox(pctx, buyer))


def test_a_shop_sale_uses_the_rates_in_the_settings(pctx, engine, deal, person, admin):
    d = deal(co_creators=1, campaign=False)
    books.update_rates(pctx, admin, platform_fee_bps=2000, creator_royalty_bps=700, co_creator_pool_bps=300,
                        referral_bps=500, payment_fee_bps=100, payment_fee_fixed=0)
    referrer = person(name="Sharer")
    order = sell(pctx, d, person(name="Shopper"), amount=12_345, source="shop", referrer=referrer)
    got = by_key(entries(engine, order.id))
    assert got == {("cash", None): 12_345, ("maker", d.maker.id): -(12_345 - 2469 - 864 - 370 - 123),
                   ("payment_fee", None): -123, ("platform", None): -(2469 - 617), ("creator", d.author.id): -864,
                   ("co_creator", d.co_creators[0].id): -370, ("referrer", referrer.id): -617}


def test_posting_a_sale_or_a_refund_twice_posts_it_once(pctx, engine, deal, person):
    d = deal(co_creators=1)
    order = sell(pctx, d, person(), quantity=2)
    with pctx.uow() as uow:  # the same sale again, e.g. a re-run of a job
        books.post_sale(pctx, uow, order)
        uow.commit()
    refund(pctx, order, 7, 500)
    refund(pctx, order, 7, 500)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT kind, COUNT(*) FROM ledger_transactions GROUP BY kind ORDER BY kind")
                            ).all() == [("refund", 1), ("sale", 1)]


def test_partial_refunds_then_the_rest_return_every_account_to_zero(pctx, engine, deal, person):
    d = deal(co_creators=3)
    referrer = person(name="Referrer")
    order = sell(pctx, d, person(), quantity=3, referrer=referrer)
    total = order.amount.amount
    sale = by_key(entries(engine, order.id))
    refund(pctx, order, 1, total // 3)
    after_one = by_key(entries(engine, order.id))
    for key, paid in sale.items():
        if key[0] != "cash":
            assert paid <= after_one[key] <= 0, f"{key} reversed more than it was paid"
    assert after_one[("cash", None)] == total - total // 3
    refund(pctx, order, 2, 1)
    with pytest.raises(RefundTooLarge) as caught:
        refund(pctx, order, 3, total)
    assert caught.value.params["max"] == Money(total - total // 3 - 1, pctx.currency)
    assert [r for r in entries(engine, order.id) if r[0] == "refund" and r[1] == "cash"] == [
        ("refund", "cash", None, -(total // 3)), ("refund", "cash", None, -1)], "nothing half-written"
    refund(pctx, order, 4, total - total // 3 - 1)
    assert all(v == 0 for v in by_key(entries(engine, order.id)).values())
    for person_ in (d.maker, d.author, referrer, *d.co_creators):
        assert books.earnings(pctx, person_).balance.amount == 0


def test_a_refund_of_a_sale_never_posted_posts_the_sale_first(pctx, engine, deal, person):
    d = deal(co_creators=0)
    order = get_order(pctx, add_order(pctx, d, person()))
    refund(pctx, order, 11, order.amount.amount)
    rows = entries(engine, order.id)
    assert {k for k, *_ in rows} == {"sale", "refund"}
    assert all(v == 0 for v in by_key(rows).values())


def test_a_refund_in_another_currency_or_of_nothing_is_refused(pctx, deal, person):
    order = sell(pctx, deal(co_creators=0), person())
    with pctx.uow() as uow, pytest.raises(InvalidInput) as caught:
        books.post_refund(pctx, uow, order, 1, Money(100, "KRW"))
    assert caught.value.key == "error.currency_mismatch"
    with pctx.uow() as uow, pytest.raises(InvalidInput):
        books.post_refund(pctx, uow, order, 1, Money(0, order.amount.currency))


@pytest.mark.parametrize("table", ["ledger_entries", "ledger_transactions"])
def test_posted_rows_cannot_be_changed_or_deleted(pctx, engine, deal, person, table):
    sell(pctx, deal(co_creators=0), person())
    change = "amount = amount + 1" if table == "ledger_entries" else "memo = 'edited'"
    for sql in (f"UPDATE {table} SET {change}", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() > 0


def test_rates_default_per_currency_and_only_admins_change_them(pctx, engine, person, admin):
    with pctx.uow(write=False) as uow:
        assert books.rates(uow, "USD") == Rates()
        assert books.rates(uow, "KRW").payment_fee_fixed == 0
    with pytest.raises(PermissionDenied):
        books.update_rates(pctx, person(), platform_fee_bps=2000)
    with pytest.raises(InvalidInput) as caught:
        books.update_rates(pctx, admin, platform_fee_bps=200)  # below the 3 % referral commission
    assert caught.value.key == "error.referral_above_platform"
    with pytest.raises(InvalidInput):
        books.update_rates(pctx, admin, no_such_rate=1)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM settings WHERE key LIKE 'rate_%'")).scalar_one() == 0
    saved = books.update_rates(pctx, admin, co_creator_pool_bps=250)
    assert books.current_rates(pctx) == saved == Rates(co_creator_pool_bps=250)
    with engine.connect() as conn:
        audit = conn.execute(text("SELECT action, actor_id FROM audit_log WHERE action = 'set_rates'")).all()
    assert audit == [("set_rates", admin.id)]


def test_a_hand_broken_setting_falls_back_to_the_defaults(pctx, engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('rate_referral_bps', '9999')"))
    with pctx.uow(write=False) as uow:
        assert books.rates(uow, "USD") == Rates()


def test_concurrent_posts_of_one_sale_post_it_once(pctx, engine, deal, person):
    order = get_order(pctx, add_order(pctx, deal(co_creators=1), person(), referrer=person(name="Ref")))

    def post(_i: int) -> None:
        with pctx.uow() as uow:
            books.post_sale(pctx, uow, order)
            uow.commit()

    race(8, post)  # any error in any of the eight is raised here
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ledger_transactions")).scalar_one() == 1
    assert sum(v for *_, v in entries(engine, order.id)) == 0
    assert len([n for n in notifications.inbox(pctx, get_referrer(pctx, order)) if n.kind == "referral_earned"]) == 1


def get_referrer(pctx, order):  # type: ignore[no-untyped-def]
    from lib.services.accounts.auth import get_user

    return get_user(pctx, order.referrer_id)
