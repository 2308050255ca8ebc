"""Earnings, admin payouts and the fee settings through AppTest, over the demo-seeded app."""

from __future__ import annotations

from sqlalchemy import text

from lib.domain.campaigns import ShippingAddress
from lib.domain.ledger import PayoutStatus, Rates
from lib.domain.money import Money
from lib.domain.orders import NewOrder, OrderSource, OrderStatus
from lib.i18n import translate
from lib.services.ledger import books, payouts
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import no_problems

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def earn(app_ctx, maker, amount: int = 50_000) -> Money:  # type: ignore[no-untyped-def]
    """A paid order of a demo listing made by `maker`, posted to the ledger; returns their balance."""
    now = app_ctx.now()
    with app_ctx.uow() as uow:
        listing_id, idea_id, buyer_id = uow.conn.execute(text(
            "SELECT listings.id, ideas.id, ideas.author_id FROM listings JOIN ideas ON ideas.id = listings.idea_id "
            "ORDER BY listings.id LIMIT 1")).one()
        price = Money(amount, app_ctx.currency)
        order_id = uow.orders.add(NewOrder(
            source=OrderSource.SHOP, buyer_id=buyer_id, maker_id=maker.id, idea_id=idea_id, listing_id=listing_id,
            title="Tea timer",
            quantity=1, unit_price=price, amount=price, status=OrderStatus.PAID, gateway="local",
            address=ShippingAddress.clean(name="Mina", line1="1 Road", city="Seoul", postal_code="04301",
                                          country="KR"),
            created_at=now, paid_at=now))
        books.post_sale(app_ctx, uow, uow.orders.get(order_id))
        uow.commit()
    return books.earnings(app_ctx, maker).balance


def request(at, amount: str):  # type: ignore[no-untyped-def]
    at.text_input(key="earnings.payout_amount").input(amount)
    return at.button(key=f"FormSubmitter:earnings.payout-{EN('ledger.payout_submit')}").click().run()


def test_a_payee_sees_earnings_downloads_the_statement_and_requests_a_payout(app_ctx, make_app, new_account):
    maker = new_account("Mira Maker")
    balance = earn(app_ctx, maker)
    at = make_app(email=maker.email, password=PASSWORD, page="pages/earnings.py")
    no_problems(at)
    assert at.title[0].value == EN("ledger.title")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN("ledger.role.maker")] == balance.format()
    assert metrics[EN("ledger.available")] == balance.format()
    assert metrics[EN("ledger.role.referrer")] == Money(0, balance.currency).format()
    assert at.dataframe, "the statement is a table"
    assert at.get("download_button"), "the statement downloads as CSV"
    assert EN("ledger.payouts_empty") in [c.value for c in at.caption]

    at = request(at, "not money")
    assert EN("error.amount_format") in [e.value for e in at.error]
    at = request(at, Money(balance.amount + 1, balance.currency).major_text())
    assert EN("error.payout_above_balance", max=balance.format()) in [e.value for e in at.error]
    assert payouts.my_payouts(app_ctx, maker) == []

    at = request(at, Money(1_000, balance.currency).major_text())
    no_problems(at)
    assert EN("ledger.payout_requested") in [s.value for s in at.success]
    [mine] = payouts.my_payouts(app_ctx, maker)
    assert (mine.amount.amount, mine.status) == (1_000, PayoutStatus.REQUESTED)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN("ledger.available")] == Money(balance.amount - 1_000, balance.currency).format()


def test_an_admin_marks_a_request_paid_or_declines_one(app_ctx, make_app, new_account):
    payee = new_account("Pat Payee")
    balance = earn(app_ctx, payee)
    first = payouts.request_payout(app_ctx, payee, Money(2_000, balance.currency))
    second = payouts.request_payout(app_ctx, payee, Money(3_000, balance.currency))
    at = make_app("admin", page="pages/admin_payouts.py")
    no_problems(at)
    assert at.title[0].value == EN("ledger.admin.title")
    assert at.dataframe, "payables are listed"

    at.text_input(key=f"admin_payouts.ref_{first}").input("BANK-77")
    at.button(key=f"FormSubmitter:admin_payouts.paid_{first}-{EN('ledger.admin.mark_paid')}").click().run()
    no_problems(at)
    assert EN("ledger.admin.marked_paid") in [s.value for s in at.success]

    at.button(key=f"FormSubmitter:admin_payouts.reject_{second}-{EN('ledger.admin.reject')}").click().run()
    assert EN("error.payout_note", max=500) in [e.value for e in at.error], "a reason is required"
    at.text_input(key=f"admin_payouts.note_{second}").input("Please add your bank details.")
    at.button(key=f"FormSubmitter:admin_payouts.reject_{second}-{EN('ledger.admin.reject')}").click().run()
    no_problems(at)

    statuses = {p.id: p.status for p in payouts.my_payouts(app_ctx, payee)}
    assert statuses == {first: PayoutStatus.PAID, second: PayoutStatus.REJECTED}
    mine = books.earnings(app_ctx, payee)
    assert (mine.balance.amount, mine.pending.amount) == (balance.amount - 2_000, 0)


def test_the_payouts_page_is_not_in_a_consumers_navigation(make_app):
    at = make_app("consumer")
    at.switch_page("pages/admin_payouts.py").run()  # the address is known, the page is not theirs
    assert [t.value for t in at.title] == [translate("en", "gate.no_access_title")]
    assert not at.dataframe and not at.button, "nothing of the payouts page is drawn"


def test_admins_change_the_fee_rates_in_settings(app_ctx, make_app):
    before = books.current_rates(app_ctx)
    at = make_app("admin", page="pages/admin_settings.py")
    no_problems(at)
    assert EN("ledger.fees.title") in [s.value for s in at.subheader]
    try:
        at.number_input(key="settings.fees.referral_bps").set_value(1500)
        at.button(key=f"FormSubmitter:settings.fees-{EN('ledger.fees.save')}").click().run()
        assert EN("error.referral_above_platform") in [e.value for e in at.error]
        assert books.current_rates(app_ctx) == before

        at.number_input(key="settings.fees.referral_bps").set_value(400)
        at.text_input(key="settings.fees.payment_fee_fixed").input("0.25")
        at.button(key=f"FormSubmitter:settings.fees-{EN('ledger.fees.save')}").click().run()
        no_problems(at)
        assert books.current_rates(app_ctx) == Rates(**{**before.__dict__, "referral_bps": 400,
                                                         "payment_fee_fixed": 25})
    finally:
        books.update_rates(app_ctx, _admin(app_ctx), **before.__dict__)


def _admin(app_ctx):  # type: ignore[no-untyped-def]
    from lib.services.accounts import auth
    from lib.services.demo.content import DEMO_PASSWORD
    from tests.ui.conftest import DEMO_EMAILS

    return auth.sign_in(app_ctx, email=DEMO_EMAILS["admin"], password=DEMO_PASSWORD).user
