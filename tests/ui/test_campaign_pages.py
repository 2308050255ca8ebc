"""Maker studio, campaign page, My pre-orders and the moderation tabs for issue 4, through AppTest,
with the local test-mode gateway the app wires by default."""

from __future__ import annotations

import io
import secrets
from dataclasses import replace
from datetime import timedelta

import pytest
from babel.dates import format_date
from PIL import Image

from lib.domain.campaigns import PreorderStatus, QuoteStatus
from lib.domain.ideas import IdeaFields, IdeaStatus
from lib.domain.money import Money
from lib.i18n import translate
from lib.services.campaigns import makers, opening, preorders, settlement
from lib.services.ideas import authoring, browse, moderation, support
from tests.ui.conftest import PASSWORD, ROLES
from tests.ui.helpers import follow, links, no_problems, values, visit

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
GOOD, FAILS_LATER, DECLINED = "4242 4242 4242 4242", "4000 0000 0000 0341", "4000 0000 0000 0002"
ADDRESS = {"line1": "12 Hangang-daero", "city": "Seoul", "postal_code": "04301", "country": "KR"}


@pytest.fixture(scope="module", autouse=True)
def local_gateway(app_ctx):
    """The app's own wiring: no Stripe keys, so the local test-mode gateway."""
    assert app_ctx.payments is not None, "lib.bootstrap should wire a payment gateway"
    assert app_ctx.payments.name == "local" and app_ctx.payments.test_mode
    return app_ctx.payments


def open_demo_campaign(app_ctx, units: int = 5) -> int:
    """An open demo campaign with room for `units` more."""
    for card in browse.browse_campaigns(app_ctx, limit=100):
        if card.status == "open" and (card.cap_units is None or card.cap_units - card.pledged_units >= units):
            return card.id
    raise AssertionError("the demo marketplace should have an open campaign")


def fill_preorder(at, campaign_id: int, card: str, quantity: int = 1, **address: str):  # type: ignore[no-untyped-def]
    prefix = f"campaign.{campaign_id}"
    at.number_input(key=f"{prefix}.quantity").set_value(quantity)
    for field, value in (ADDRESS | address).items():
        at.text_input(key=f"{prefix}.address.{field}").input(value)
    at.text_input(key=f"{prefix}.card").input(card)
    return at.button(key=f"FormSubmitter:{prefix}.preorder_form-{EN('campaign.place_preorder')}").click().run()


@pytest.fixture
def winning_idea(app_ctx, new_account, demo_users):
    """A fresh idea that has just won (threshold 1 in its own category): (idea id, author)."""

    def make(title: str = "A kettle that whistles a tune"):  # type: ignore[no-untyped-def]
        with app_ctx.uow() as uow:
            category = uow.catalog.add_category(f"ui-{secrets.token_hex(4)}", "UI tests", "UI 시험", 1)
            uow.commit()
        author = new_account("Quinn Author")
        fields = IdeaFields.clean(title=title, pitch="Tea time, announced.", description_md="It *sings*.",
                                  category_id=category)
        idea_id = authoring.create_idea(app_ctx, author, fields=fields, submit=True)
        moderation.approve(app_ctx, demo_users["moderator"], idea_id)
        assert support.support_idea(app_ctx, new_account("Sam Supporter"), idea_id, quantity=3,
                                    max_price=Money(3000, app_ctx.currency).amount) is True
        return idea_id, author

    return make


# ---- every new page renders for every role ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_demo_campaign_page_renders_for_role(app_ctx, make_app, role):
    cards = browse.browse_campaigns(app_ctx, limit=100)
    assert {c.status for c in cards} >= {"open", "funded", "failed"}
    at = make_app(role)
    for card in cards:
        visit(at, "campaign", id=str(card.id))
        no_problems(at)
        assert at.title[0].value.replace("\\", "") == card.title
        assert EN("campaign.breakdown") in [e.label for e in at.expander]
        assert EN(f"campaign.status.{card.status}") in at.caption[0].value
        can_order = role != "visitor" and card.status == "open"
        assert bool(at.get("form")) is can_order, (role, card.status)


def test_a_missing_campaign_says_so(make_app):
    at = make_app("consumer")
    for bad in ("999999", "abc", ""):
        visit(at, "campaign", id=bad)
        assert not at.exception
        assert values(at.warning) == [EN("campaign.not_found")]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_maker_studio_and_my_preorders_render_for_role(make_app, role):
    at = make_app(role, page="pages/maker.py")
    no_problems(at)
    assert values(at.title) == [EN("maker.title")]
    verified = role == "maker"
    assert bool(at.tabs) is verified
    if verified:  # the demo maker has winning ideas to quote on and campaigns with orders
        assert [t.label for t in at.tabs] == [EN("maker.tab_winning"), EN("maker.tab_quotes"),
                                              EN("maker.tab_campaigns")]
        assert at.dataframe, "the demo maker's campaigns list their pre-orders"
    else:
        assert at.get("form"), "anyone signed in can apply"
    visit(at, "my_preorders")
    no_problems(at)
    assert values(at.title) == [EN("my_preorders.title")]


def test_the_campaigns_list_opens_the_campaign_page(app_ctx, make_app):
    at = visit(make_app(), "campaigns")
    campaign_id = open_demo_campaign(app_ctx)
    [title] = [label for label, to, params in links(at) if to == "campaign" and params == {"id": str(campaign_id)}]
    follow(at, title)
    no_problems(at)
    assert at.title[0].value.replace("\\", "") == opening.get_campaign(app_ctx, campaign_id).title


# ---- pre-ordering ------------------------------------------------------------------------------------


def test_a_consumer_preorders_with_the_test_card_and_sees_it_in_my_preorders(app_ctx, make_app, new_account):
    buyer = new_account("Bea Buyer")
    campaign_id = open_demo_campaign(app_ctx, units=2)
    before = opening.get_campaign(app_ctx, campaign_id)
    at = visit(make_app(email=buyer.email, password=PASSWORD), "campaign", id=str(campaign_id))
    assert any("TEST MODE" in w for w in values(at.warning)), "the local gateway is clearly test mode"
    at.number_input(key=f"campaign.{campaign_id}.quantity").set_value(2).run()  # the total follows the quantity
    assert EN("campaign.total_line", total=before.price.times(2).format(),
              date=format_date(before.deadline, "medium", locale="en_US")) in values(at.markdown)
    at = fill_preorder(at, campaign_id, GOOD, quantity=2)
    no_problems(at)
    total = before.price.times(2).format()
    assert EN("campaign.preordered", quantity=2, total=total) in values(at.success)
    [(preorder, campaign)] = preorders.my_preorders(app_ctx, buyer)
    assert (preorder.status, preorder.quantity, preorder.card_last4) == (PreorderStatus.PLEDGED, 2, "4242")
    assert preorder.address.city == "Seoul" and preorder.address.name == "Bea Buyer"
    assert campaign.pledged_units == before.pledged_units + 2
    assert any(EN("preorder.status.pledged") in c for c in values(at.caption)), "shown on the campaign page"

    at = visit(at, "my_preorders")
    no_problems(at)
    line = next(c for c in values(at.caption) if c.startswith(f"#{preorder.id}"))
    assert EN("preorder.status.pledged") in line and total in line
    assert EN("preorder.card", brand="Visa", last4="4242") in line
    at.button(key=f"my_preorders.cancel_{preorder.id}").click().run()  # the first click only asks
    no_problems(at)
    assert EN("preorder.cancel_question", count=2, amount=total) in values(at.warning)
    assert preorders.my_preorders(app_ctx, buyer)[0][0].status is PreorderStatus.PLEDGED
    at.button(key=f"my_preorders.cancel_{preorder.id}.yes").click().run()
    no_problems(at)
    assert EN("preorder.cancelled") in values(at.success)
    assert preorders.my_preorders(app_ctx, buyer)[0][0].status is PreorderStatus.CANCELLED
    assert opening.get_campaign(app_ctx, campaign_id).pledged_units == before.pledged_units
    assert f"my_preorders.cancel_{preorder.id}" not in [b.key for b in at.button]


@pytest.mark.parametrize(("change", "message"), [
    (dict(card=DECLINED), EN("error.card_refused")),
    (dict(card="1234 5678 9012 3456"), EN("error.card_refused")),
    (dict(quantity=0), EN("error.quantity_range", max=100)),
    (dict(quantity=1000), EN("error.quantity_range", max=100)),
    (dict(postal_code="  "), EN("error.address_required", field=EN("address.postal_code"))),
], ids=["declined-card", "not-a-test-card", "zero", "absurd", "no-postal-code"])
def test_bad_preorders_say_why_and_create_nothing(app_ctx, make_app, new_account, change, message):
    buyer = new_account("Nora Nope")
    campaign_id = open_demo_campaign(app_ctx)
    before = opening.get_campaign(app_ctx, campaign_id).pledged_units
    at = visit(make_app(email=buyer.email, password=PASSWORD), "campaign", id=str(campaign_id))
    at = fill_preorder(at, campaign_id, **({"card": GOOD, "quantity": 1} | change))
    assert not at.exception
    assert values(at.error) == [message]
    assert not at.success
    assert preorders.my_preorders(app_ctx, buyer) == []
    assert opening.get_campaign(app_ctx, campaign_id).pledged_units == before


def test_visitors_are_asked_to_sign_in_and_closed_campaigns_take_no_orders(app_ctx, make_app):
    at = visit(make_app(), "campaign", id=str(open_demo_campaign(app_ctx)))
    assert EN("campaign.sign_in_to_preorder") in values(at.info) and not at.get("form")
    closed = next(c for c in browse.browse_campaigns(app_ctx, limit=100) if c.status == "funded")
    at = visit(make_app("consumer"), "campaign", id=str(closed.id))
    assert EN("error.campaign_closed") in values(at.info) and not at.get("form")


def test_a_failed_charge_gets_a_new_card_from_my_preorders(app_ctx, make_app, new_account, winning_idea, demo_users):
    idea_id, author = winning_idea("A lamp that dims itself")
    quote_id = makers.submit_quote(app_ctx, demo_users["maker"], idea_id, unit_cost=900, moq=1, lead_time_days=10)
    opening.consent_to_quote(app_ctx, author, quote_id)
    campaign_id = opening.open_campaign(app_ctx, demo_users["moderator"], quote_id, days=10)
    buyer = new_account("Fay Flaky")
    at = visit(make_app(email=buyer.email, password=PASSWORD), "campaign", id=str(campaign_id))
    at = fill_preorder(at, campaign_id, FAILS_LATER)
    no_problems(at)
    later = replace(app_ctx, clock=lambda: app_ctx.now() + timedelta(days=11))
    settlement.settle_campaign(later, campaign_id)
    [(preorder, _)] = preorders.my_preorders(app_ctx, buyer)
    assert preorder.status is PreorderStatus.PAYMENT_FAILED

    at = visit(at, "my_preorders")
    no_problems(at)
    assert any(EN("preorder.status.payment_failed") in c for c in values(at.caption))
    assert len(at.warning) >= 2  # the failed charge, and the test-mode card field
    prefix = f"my_preorders.{preorder.id}"
    at.text_input(key=f"{prefix}.card").input(DECLINED)
    at.button(key=f"FormSubmitter:{prefix}.card_form-{EN('preorder.save_new_card')}").click().run()
    assert values(at.error) == [EN("error.card_refused")]
    at.text_input(key=f"{prefix}.card").input(GOOD)
    at.button(key=f"FormSubmitter:{prefix}.card_form-{EN('preorder.save_new_card')}").click().run()
    no_problems(at)
    assert EN("preorder.card_updated") in values(at.success)
    [(preorder, _)] = preorders.my_preorders(app_ctx, buyer)
    assert (preorder.status, preorder.card_last4) == (PreorderStatus.PLEDGED, "4242")


# ---- makers and moderators ---------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_a_maker_applies_and_a_moderator_verifies_from_the_makers_tab(app_ctx, make_app, new_account):
    person = new_account("Mo Maker")
    at = make_app(email=person.email, password=PASSWORD, page="pages/maker.py")
    at.text_input(key="maker.apply.business_name").input("Mo's Metalworks")
    at.text_area(key="maker.apply.description").input("Small runs of *stamped* steel.")
    at.text_input(key="maker.apply.capabilities").input("stamping, welding")
    at.text_input(key="maker.apply.location").input("Changwon")
    at.file_uploader(key="maker.apply.samples").set_value([("sample.png", _png(), "image/png")])
    at.button(key="FormSubmitter:maker.apply.form-" + EN("maker.apply")).click().run()
    no_problems(at)
    assert EN("maker.applied") in values(at.success)
    assert EN("maker.pending", name="Mo's Metalworks") in values(at.info)
    profile = makers.my_maker_profile(app_ctx, person)
    assert profile is not None and profile.status.value == "pending" and len(profile.sample_images) == 1

    mod = make_app("moderator", page="pages/moderation.py")
    assert EN("mod.makers") in [t.label for t in mod.tabs]
    mod.button(key=f"mod.decline_maker_{person.id}").click().run()
    assert values(mod.error) == [EN("error.reason_required")], "declining needs a reason"
    mod.button(key=f"mod.verify_maker_{person.id}").click().run()
    no_problems(mod)
    assert EN("mod.maker_verified") in values(mod.success)
    assert f"mod.verify_maker_{person.id}" not in [b.key for b in mod.button]

    at.run()
    no_problems(at)
    assert at.tabs, "a verified maker gets the studio"
    assert any("Mo's Metalworks" in c.replace("\\", "") for c in values(at.caption))


def test_a_declined_maker_reads_the_reason_and_can_apply_again(app_ctx, make_app, new_account, demo_users):
    person = new_account("Di Declined")
    makers.apply_as_maker(app_ctx, person, business_name="Di's Den", description="Candles.",
                          capabilities="wax", location="Jeju")
    mod = make_app("moderator", page="pages/moderation.py")
    mod.text_input(key=f"mod.maker_reason_{person.id}").input("Please send photos of finished candles.")
    mod.button(key=f"mod.decline_maker_{person.id}").click().run()
    no_problems(mod)
    assert EN("mod.maker_declined") in values(mod.success)
    at = make_app(email=person.email, password=PASSWORD, page="pages/maker.py")
    no_problems(at)
    assert EN("maker.declined") in values(at.warning)
    assert any("Please send photos" in m for m in values(at.markdown))
    assert at.text_input(key="maker.apply.business_name").value == "Di's Den"
    at.button(key="FormSubmitter:maker.apply.form-" + EN("maker.apply_again")).click().run()
    no_problems(at)
    assert makers.my_maker_profile(app_ctx, person).status.value == "pending"


def test_a_maker_quotes_revises_and_withdraws_in_the_studio(app_ctx, make_app, winning_idea, demo_users):
    idea_id, _author = winning_idea("A bike bell that sounds like a bird")
    at = make_app("maker", page="pages/maker.py")
    prefix = f"maker.quote.new_{idea_id}"
    at.text_input(key=f"{prefix}.unit_cost").input("12.50")
    at.number_input(key=f"{prefix}.moq").set_value(40)
    at.number_input(key=f"{prefix}.lead").set_value(21)
    at.text_area(key=f"{prefix}.notes").input("Brass, hand-tuned.")
    at.button(key=f"FormSubmitter:{prefix}.form-{EN('quote.submit')}").click().run()
    no_problems(at)
    assert EN("quote.sent") in values(at.success)
    [quote] = [q for q in makers.quotes_for_idea(app_ctx, idea_id) if q.maker_id == demo_users["maker"].id]
    assert (quote.unit_cost.amount, quote.moq, quote.lead_time_days) == (1250, 40, 21)

    revise = f"maker.quote.{quote.id}"
    assert at.text_input(key=f"{revise}.unit_cost").value == "12.50"
    at.text_input(key=f"{revise}.unit_cost").input("abc")
    at.button(key=f"FormSubmitter:{revise}.form-{EN('quote.revise')}").click().run()
    assert values(at.error) == [EN("error.price_format")], "one clear message for a malformed amount"
    at.text_input(key=f"{revise}.unit_cost").input("11.00")
    at.button(key=f"FormSubmitter:{revise}.form-{EN('quote.revise')}").click().run()
    no_problems(at)
    assert EN("quote.revised") in values(at.success)
    assert makers.quotes_for_idea(app_ctx, idea_id)[0].unit_cost.amount == 1100
    at.button(key=f"maker.withdraw_{quote.id}").click().run()
    no_problems(at)
    assert EN("quote.withdrawn") in values(at.success)
    assert makers.quotes_for_idea(app_ctx, idea_id)[0].status is QuoteStatus.WITHDRAWN


def test_the_author_consents_and_a_moderator_opens_the_campaign(app_ctx, make_app, winning_idea, demo_users):
    idea_id, author = winning_idea("A pot that waters itself")
    quote_id = makers.submit_quote(app_ctx, demo_users["maker"], idea_id, unit_cost=1500, moq=6,
                                   lead_time_days=30, notes="Glazed ceramic.")
    at = make_app(email=author.email, password=PASSWORD)
    at = visit(at, "idea", id=str(idea_id))
    no_problems(at)
    assert any("Glazed ceramic" in m for m in values(at.markdown))
    at.button(key=f"agree_quote_{quote_id}").click().run()
    no_problems(at)
    assert EN("quote.agreed") in values(at.success)

    visitor = visit(make_app(), "idea", id=str(idea_id))
    assert f"agree_quote_{quote_id}" not in [b.key for b in visitor.button], "only the author agrees"

    mod = make_app("moderator", page="pages/moderation.py")
    prefix = f"mod.campaign_{quote_id}"
    mod.number_input(key=f"{prefix}.cap").set_value(5)  # below the goal of 6: refused
    mod.button(key=f"FormSubmitter:{prefix}.form-{EN('mod.open_campaign')}").click().run()
    assert values(mod.error) == [EN("error.cap_below_goal", goal=6)]
    assert opening.campaign_for_idea(app_ctx, idea_id) is None
    mod.number_input(key=f"{prefix}.cap").set_value(12)
    mod.number_input(key=f"{prefix}.days").set_value(20)
    mod.button(key=f"FormSubmitter:{prefix}.form-{EN('mod.open_campaign')}").click().run()
    no_problems(mod)
    assert EN("mod.campaign_opened") in values(mod.success)
    campaign = opening.campaign_for_idea(app_ctx, idea_id)
    assert campaign is not None and (campaign.goal_units, campaign.cap_units) == (6, 12)
    assert authoring.get_idea(app_ctx, idea_id).status is IdeaStatus.CAMPAIGN

    at = follow(visit(at, "idea", id=str(idea_id)), EN("idea.see_campaign"))
    no_problems(at)
    assert at.title[0].value.replace("\\", "") == "A pot that waters itself"
    shown = " ".join(values(at.caption))
    for part in (campaign.unit_cost, campaign.platform_fee, campaign.creator_royalty, campaign.co_creator_pool):
        assert part.format() in shown
    assert EN("campaigns.units_left", count=12) in shown
