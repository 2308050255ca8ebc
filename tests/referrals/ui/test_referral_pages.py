"""Share links captured by the shell, claimed at sign-in, and the referrer's dashboard (AppTest)."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_date

from lib.domain.accounts import Role
from lib.domain.money import Money
from lib.i18n import translate
from lib.services.context import utcnow
from lib.services.ideas import browse
from lib.services.ledger import referrals
from lib.services.routes import Screen
from tests.referrals.helpers import add_order, click_total, clicks, post
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import no_problems, visit

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def some_idea(app_ctx) -> int:  # type: ignore[no-untyped-def]
    return browse.browse_ideas(app_ctx, limit=1)[0][0].id


def engine_of(app_ctx):  # type: ignore[no-untyped-def]
    with app_ctx.uow(write=False) as uow:
        return uow.engine


def test_a_visitor_through_a_share_link_is_counted_once(app_ctx, make_app, new_account):
    referrer, idea_id = new_account("Ria Referrer"), some_idea(app_ctx)
    at = visit(make_app(), "idea", id=str(idea_id), ref=referrer.referral_code.lower())
    no_problems(at)
    [row] = clicks(engine_of(app_ctx), referrer_id=referrer.id)
    assert (row["target"], row["user_id"]) == (f"idea:{idea_id}", None)
    assert row["visitor_key"] == at.session_state["session.viewer_key"]
    at.run()  # a rerun of the same page is not another click
    assert len(clicks(engine_of(app_ctx), referrer_id=referrer.id)) == 1
    assert not at.code, "visitors are not offered a share link"


def test_an_unknown_code_shows_nothing_and_writes_nothing(app_ctx, make_app):
    before, idea_id = click_total(engine_of(app_ctx)), str(some_idea(app_ctx))
    plain = visit(make_app(), "idea", id=idea_id)
    notices = [e.value for e in [*plain.warning, *plain.info, *plain.toast]]
    for code in ("NOPE", "NOPE2345", "<img src=x>", "x" * 300):
        at = visit(make_app(), "idea", id=idea_id, ref=code)
        no_problems(at)
        assert [e.value for e in [*at.warning, *at.info, *at.toast]] == notices, "the page looks as without ?ref"
    assert click_total(engine_of(app_ctx)) == before


def test_ones_own_link_is_not_counted(app_ctx, make_app, new_account):
    me = new_account("Self Sharer")
    at = visit(make_app(email=me.email, password=PASSWORD), "idea", id=str(some_idea(app_ctx)), ref=me.referral_code)
    no_problems(at)
    assert clicks(engine_of(app_ctx), referrer_id=me.id) == []


def test_signed_in_pages_offer_a_share_link(app_ctx, make_app, new_account):
    me, idea_id = new_account("Sharer"), some_idea(app_ctx)
    at = visit(make_app(email=me.email, password=PASSWORD), "idea", id=str(idea_id))
    no_problems(at)
    assert [c.value for c in at.code] == [referrals.share_url(app_ctx, me, Screen.IDEA, id=str(idea_id))]
    assert EN("referrals.share_hint", percent="3", days=30) in [c.value for c in at.caption]


def test_clicks_before_signing_in_count_for_the_account(app_ctx, make_app, new_account):
    referrer, buyer = new_account("Ria Referrer"), new_account("Bo Buyer")
    at = visit(make_app(), "idea", id=str(some_idea(app_ctx)), ref=referrer.referral_code)
    [row] = clicks(engine_of(app_ctx), referrer_id=referrer.id)
    assert row["user_id"] is None
    at = visit(at, "sign_in")
    at.text_input(key="sign_in.email").set_value(buyer.email)
    at.text_input(key="sign_in.password").set_value(PASSWORD)
    at = at.form_submit_button[0].click().run()
    no_problems(at)
    assert at.session_state["auth.user_id"] == buyer.id
    [row] = clicks(engine_of(app_ctx), referrer_id=referrer.id)
    assert row["user_id"] == buyer.id
    with app_ctx.uow(write=False) as uow:
        assert referrals.attributed_referrer(uow, buyer.id, utcnow()) == referrer.id


def test_the_dashboard_shows_my_numbers(app_ctx, make_app, new_account, demo_users):
    me, buyer = new_account("Dash Referrer"), new_account("Dash Buyer")
    maker = demo_users["maker"]
    assert maker is not None and maker.has(Role.MAKER)
    now = utcnow()
    for target in ("idea:1", "idea:2", "campaign:3"):
        referrals.record_click(app_ctx, me.referral_code, "visitor-key-" + target.replace(":", ""), None, target)
    order = add_order(app_ctx, buyer_id=buyer.id, maker_id=maker.id, idea_id=some_idea(app_ctx), referrer_id=me.id,
                      amount=4000, at=now - timedelta(hours=1), title="Whistling kettle")
    post(engine_of(app_ctx), "sale", order, me.id, -120, now)

    at = visit(make_app(email=me.email, password=PASSWORD), "referrals")
    no_problems(at)
    assert [t.value for t in at.title] == [EN("referrals.title")]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {EN("referrals.clicks"): "3", EN("referrals.conversions"): "1",
                       EN("referrals.conversion_rate"): "33.3%",
                       EN("referrals.earnings"): Money(120, "USD").format()}
    assert [c.value for c in at.code] == [referrals.share_url(app_ctx, me, Screen.DISCOVER)]
    table = at.dataframe[0].value
    assert list(table.iloc[0]) == [format_date((now - timedelta(hours=1)).date(), "medium", locale="en_US"),
                                   "Whistling kettle",
                                   Money(4000, "USD").format(), Money(120, "USD").format()]
    assert "Dash Buyer" not in table.to_string() and buyer.email not in table.to_string()


def test_a_new_referrers_dashboard_is_empty_but_helpful(make_app, new_account):
    me = new_account("Quiet Referrer")
    at = visit(make_app(email=me.email, password=PASSWORD), "referrals")
    no_problems(at)
    assert {m.label: m.value for m in at.metric}[EN("referrals.clicks")] == "0"
    assert EN("referrals.no_conversions") in [c.value for c in at.caption]
    assert not at.dataframe
