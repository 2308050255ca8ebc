"""Properties of the ledger arithmetic (lib/domain/ledger.py), KRW and USD, with and without a referrer
and with 0..5 co-creators: every transaction sums to zero, refunds never reverse more than was paid,
balances never go negative, rounding never creates or loses a minor unit."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lib.domain.campaigns import breakdown
from lib.domain.errors import InvalidInput
from lib.domain.ledger import (
    BASIS_POINTS,
    CASH,
    CO_CREATOR,
    CREATOR,
    MAKER,
    PAYEE_ACCOUNTS,
    PAYMENT_FEE,
    PLATFORM,
    REFERRER,
    Rates,
    Shares,
    allocate_refund,
    payout_postings,
    reverse,
    split_pool,
    split_sale,
)
from lib.domain.money import Money
from lib.domain.orders import RefundTooLarge

CURRENCIES = st.sampled_from(["KRW", "USD"])
PEOPLE = st.integers(1, 8)  # few ids, so the same person often holds several roles


@st.composite
def rates(draw: st.DrawFn, currency: str = "USD") -> Rates:
    platform = draw(st.integers(0, 4000))
    return Rates(platform_fee_bps=platform, creator_royalty_bps=draw(st.integers(0, 3000)),
                 co_creator_pool_bps=draw(st.integers(0, 2000)), referral_bps=draw(st.integers(0, platform)),
                 payment_fee_bps=draw(st.integers(0, 1500)),
                 payment_fee_fixed=draw(st.integers(0, 500 if currency == "USD" else 5))).check()


@st.composite
def sales(draw: st.DrawFn) -> dict:
    """A sale: campaign-style (per-unit breakdown × quantity) or shop-style (rates of the amount)."""
    currency = draw(CURRENCIES)
    r = draw(st.one_of(st.just(Rates.defaults(currency)), rates(currency)))
    if draw(st.booleans()):
        unit_cost = draw(st.integers(1, 500_000))
        split = breakdown(Money(unit_cost, currency), rates_bps=r.share_bps())
        quantity = draw(st.integers(1, 20))
        amount = split.price.amount * quantity
        shares = Shares.per_unit(split.platform_fee.amount, split.creator_royalty.amount,
                                 split.co_creator_pool.amount, quantity)
    else:
        amount = draw(st.integers(1, 10**9))
        shares = Shares.from_rates(amount, r)
    co_creators = draw(st.lists(PEOPLE, max_size=5, unique=True))
    return {"currency": currency, "amount": amount, "shares": shares, "rates": r, "maker_id": draw(PEOPLE),
            "creator_id": draw(PEOPLE), "co_creator_ids": co_creators,
            "referrer_id": draw(st.one_of(st.none(), PEOPLE))}


def post(sale: dict) -> list:
    return split_sale(sale["amount"], sale["shares"], sale["rates"], maker_id=sale["maker_id"],
                      creator_id=sale["creator_id"], co_creator_ids=sale["co_creator_ids"],
                      referrer_id=sale["referrer_id"])


def holdings(postings: list) -> dict:
    held: dict = defaultdict(int)
    for p in postings:
        if p.account != CASH:
            held[p.key] -= p.amount
    return dict(held)


def refund_plan(amount: int) -> st.SearchStrategy[list[int]]:
    """Up to 6 partial refunds (each 1..what is left), possibly ending with the rest."""
    return st.lists(st.integers(1, BASIS_POINTS), max_size=6).map(
        lambda parts: [max(1, amount * p // (BASIS_POINTS * 3)) for p in parts])


@settings(max_examples=400, deadline=None)
@given(sales())
def test_a_sale_sums_to_zero_and_credits_every_share(sale):
    postings = post(sale)
    assert sum(p.amount for p in postings) == 0
    assert postings[0].account == CASH and postings[0].amount == sale["amount"]
    assert all(p.amount < 0 for p in postings[1:]), "a sale only credits the shares"
    assert len({p.key for p in postings}) == len(postings), "one entry per account"
    assert all((p.user_id is None) == (p.account in (CASH, PLATFORM, PAYMENT_FEE)) for p in postings)

    owed = holdings(postings)
    by_account: dict = defaultdict(int)
    for (account, _user), value in owed.items():
        by_account[account] += value
    shares, r, amount = sale["shares"], sale["rates"], sale["amount"]
    referral = min(amount * r.referral_bps // BASIS_POINTS, shares.platform_fee) if sale["referrer_id"] else 0
    assert by_account[REFERRER] == referral
    assert by_account[PLATFORM] + by_account[REFERRER] == shares.platform_fee, "commission comes out of the fee"
    assert by_account[MAKER] + by_account[PAYMENT_FEE] == (
        amount - shares.platform_fee - shares.creator_royalty - shares.co_creator_pool)
    assert by_account[PAYMENT_FEE] <= amount * r.payment_fee_bps // BASIS_POINTS + r.payment_fee_fixed
    if sale["co_creator_ids"]:
        assert by_account[CO_CREATOR] == shares.co_creator_pool
        assert by_account[CREATOR] == shares.creator_royalty
    else:
        assert by_account[CO_CREATOR] == 0
        assert by_account[CREATOR] == shares.creator_royalty + shares.co_creator_pool


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**7), st.lists(PEOPLE, min_size=1, max_size=5, unique=True))
def test_the_pool_is_shared_evenly_with_the_leftover_to_the_earliest(pool, people):
    shares = split_pool(pool, people)
    assert [p for p, _ in shares] == people
    amounts = [a for _, a in shares]
    assert sum(amounts) == pool
    assert max(amounts) - min(amounts) <= 1
    assert amounts == sorted(amounts, reverse=True), "extra units go to the earliest co-creators"


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_any_mix_of_refunds_never_reverses_more_than_was_paid(data):
    sale = data.draw(sales())
    sold = post(sale)
    paid = holdings(sold)
    ledger = list(sold)
    refunded = 0
    plan = data.draw(refund_plan(sale["amount"]))
    if data.draw(st.booleans()):
        plan.append(sale["amount"])  # ... and finally everything that is left
    for r in plan:
        left = sale["amount"] - refunded
        if left == 0:
            break
        amount = min(r, left)
        before = holdings(ledger)
        back = reverse(before, amount)
        assert sum(p.amount for p in back) == 0
        assert back[0].account == CASH and back[0].amount == -amount
        for p in back[1:]:
            assert 0 < p.amount <= before[p.key], "a refund only gives back what an account still holds"
            exact = before[p.key] * amount / left
            assert abs(p.amount - exact) < 1, "proportional up to one minor unit"
        ledger += back
        refunded += amount
        after = holdings(ledger)
        assert all(0 <= after.get(k, 0) <= paid[k] for k in paid), "never reversed more than was paid"
        assert sum(after.values()) == sale["amount"] - refunded, "no minor unit created or lost"
        assert sum(p.amount for p in ledger) == 0
    if refunded == sale["amount"]:
        assert all(v == 0 for v in holdings(ledger).values()), "a full refund returns every account to zero"


@settings(max_examples=200, deadline=None)
@given(st.lists(sales(), min_size=1, max_size=6), st.data())
def test_payee_balances_never_go_negative(many, data):
    ledger: list = []
    for sale in many:
        assume(sale["currency"] == many[0]["currency"])
        sold = post(sale)
        ledger += sold
        if data.draw(st.booleans()):
            held = holdings(sold)
            ledger += reverse(held, data.draw(st.integers(1, sale["amount"])))
    balances: dict = defaultdict(int)
    for p in ledger:
        if p.user_id is not None:
            balances[p.user_id] -= p.amount
            assert p.account in PAYEE_ACCOUNTS
    assert all(v >= 0 for v in balances.values())
    # ... and paying any payee out up to their balance keeps each of their accounts at zero or above.
    for user, balance in balances.items():
        accounts: dict = defaultdict(int)
        for p in ledger:
            if p.user_id == user:
                accounts[p.account] -= p.amount
        amount = data.draw(st.integers(0, balance))
        if amount:
            out = payout_postings(user, amount, accounts)
            assert sum(p.amount for p in out) == 0
            for p in out[:-1]:
                assert 0 < p.amount <= accounts[p.account]


@given(st.dictionaries(st.tuples(st.sampled_from(PAYEE_ACCOUNTS), PEOPLE), st.integers(1, 10**6), min_size=1),
       st.integers(1, 3))
def test_refunding_more_than_remains_or_nothing_is_refused(held, extra):
    with pytest.raises(RefundTooLarge):
        allocate_refund(held, sum(held.values()) + extra)
    with pytest.raises(InvalidInput):
        allocate_refund(held, 0)


def test_a_worked_example_in_usd():
    """$100.00 shop sale at the default rates, two co-creators and a referrer."""
    r = Rates.defaults("USD")
    postings = split_sale(10_000, Shares.from_rates(10_000, r), r, maker_id=1, creator_id=2, co_creator_ids=[3, 4],
                          referrer_id=5)
    assert {p.key: p.amount for p in postings} == {
        (CASH, None): 10_000, (MAKER, 1): -(8_400 - 320), (PAYMENT_FEE, None): -320,
        (PLATFORM, None): -700, (CREATOR, 2): -500, (CO_CREATOR, 3): -50, (CO_CREATOR, 4): -50, (REFERRER, 5): -300}


def test_a_worked_example_in_krw_without_minor_units():
    """₩10,001 with three co-creators: the odd won goes to the earliest, no fixed fee in KRW."""
    r = Rates.defaults("KRW")
    assert r.payment_fee_fixed == 0
    postings = split_sale(10_001, Shares.from_rates(10_001, r), r, maker_id=1, creator_id=2,
                          co_creator_ids=[3, 4, 5])
    got = {p.key: p.amount for p in postings}
    assert got[(CO_CREATOR, 3)] == -34 and got[(CO_CREATOR, 4)] == -33 and got[(CO_CREATOR, 5)] == -33
    assert (REFERRER, None) not in got and sum(got.values()) == 0
    assert got[(PAYMENT_FEE, None)] == -(10_001 * 290 // 10_000)


def test_the_payment_fee_never_exceeds_the_makers_share():
    r = Rates(payment_fee_bps=0, payment_fee_fixed=500)
    postings = split_sale(1_000, Shares(600, 0, 0), r, maker_id=1, creator_id=2)
    got = {p.key: p.amount for p in postings}
    assert got[(PAYMENT_FEE, None)] == -400 and (MAKER, 1) not in got


@pytest.mark.parametrize(("change", "key"), [
    ({"referral_bps": 1001}, "error.referral_above_platform"),
    ({"platform_fee_bps": 9000, "creator_royalty_bps": 900, "co_creator_pool_bps": 100}, "error.rates_total"),
    ({"payment_fee_bps": 10_001}, "error.rate_range"),
    ({"payment_fee_fixed": -1}, "error.rates_invalid"),
    ({"payment_fee_fixed": 10**7}, "error.payment_fee_fixed_range"),
    ({"creator_royalty_bps": True}, "error.rates_invalid"),
])
def test_invalid_rates_are_refused_with_a_named_error(change, key):
    from dataclasses import replace

    with pytest.raises(InvalidInput) as caught:
        replace(Rates(), **change).check()
    assert caught.value.key == key
