"""A click runs the page once: each kind of action acts in its widget's callback, before the run the click
starts, and that run draws the outcome. Around each click st.rerun() is made to fail the run that calls it
(AppTest shows that as an exception), so an action that still acted in the script and then reran the page
shows up here; each test also checks that the action happened and that its message is on the page."""

from __future__ import annotations

import secrets

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.domain.accounts import Role
from lib.domain.ideas import IdeaStatus
from lib.domain.ledger import PayoutStatus
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.i18n import translate
from lib.services.accounts import admin, auth
from lib.services.campaigns import makers
from lib.services.commerce import orders
from lib.services.ideas import authoring, browse, moderation, settings, support
from lib.services.ledger import payouts
from lib.services.messaging import notifications
from lib.ui.commerce import order_panels
from tests.journey_fixtures import dead_letter, fields
from tests.ledger.ui.test_ledger_pages import earn
from tests.orders.ui.test_order_pages import funded  # noqa: F401 - a fixture: a maker with paid orders
from tests.ui.conftest import PASSWORD, TIMEOUT
from tests.ui.helpers import no_problems, values

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
KO = lambda key, **kw: translate("ko", key, **kw)  # noqa: E731
SECOND_RUN = "st.rerun(): this click ran the page a second time"


def no_second_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a page that calls st.rerun() fails the run it is in."""

    def second_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(SECOND_RUN)

    monkeypatch.setattr(st, "rerun", second_run)


def submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def _acts_in_the_script() -> None:
    import streamlit as st

    from lib.ui.forms import attempt

    if st.button("Act", key="old_way"):
        attempt(lambda: 1, "done")  # acts, then reruns the page to show what it did


def test_the_check_sees_a_click_that_runs_the_page_twice(monkeypatch):
    at = AppTest.from_function(_acts_in_the_script, default_timeout=TIMEOUT).run()
    no_second_run(monkeypatch)
    at.button(key="old_way").click().run()
    assert [e.message for e in at.exception] == [SECOND_RUN]


# ---- buttons without fields ----------------------------------------------------------------------------


def test_marking_the_inbox_read(app_ctx, make_app, new_account, demo_users, monkeypatch):
    person = new_account("Ina Inbox")
    admin.set_roles(app_ctx, demo_users["admin"], person.id, {Role.CONSUMER, Role.MAKER})  # the account is told
    assert notifications.unread_count(app_ctx, person) > 0
    at = make_app(email=person.email, password=PASSWORD, page="pages/inbox.py")
    no_second_run(monkeypatch)
    at.button(key="inbox.mark_all").click().run()
    no_problems(at)
    assert notifications.unread_count(app_ctx, person) == 0
    assert "inbox.mark_all" not in keys(at), "this run already drew the inbox as read"


def test_withdrawing_an_idea(app_ctx, make_app, new_account, monkeypatch):
    author = new_account("Wen Withdraws")
    [category, *_] = browse.categories(app_ctx)
    idea_id = authoring.create_idea(app_ctx, author, fields=fields(category.id, "A clock that waits"))
    at = make_app(email=author.email, password=PASSWORD, page="pages/my_ideas.py")
    no_second_run(monkeypatch)
    at.button(key=f"mine_wd_{idea_id}").click().run()
    no_problems(at)
    assert EN("my_ideas.withdrawn") in values(at.success)
    assert authoring.get_idea(app_ctx, idea_id).status is IdeaStatus.WITHDRAWN
    assert f"mine_wd_{idea_id}" not in keys(at)


def test_sending_a_dead_letter_again(app_ctx, make_app, demo_users, monkeypatch):
    message = dead_letter(app_ctx, "gone@example.com", "Your idea won")
    at = make_app("admin", page="pages/admin_outbox.py")
    no_second_run(monkeypatch)
    at.button(key=f"admin_outbox.retry_{message}").click().run()
    no_problems(at)
    assert EN("admin_outbox.retried") in values(at.success)
    assert message not in [m.id for m in admin.dead_letters(app_ctx, demo_users["admin"])]


# ---- buttons that read the fields next to them ---------------------------------------------------------


def test_a_moderator_decides_with_the_reason_typed_under_the_idea(app_ctx, make_app, new_account, monkeypatch):
    author = new_account("Rey Reviewed")
    [category, *_] = browse.categories(app_ctx)
    approved = authoring.create_idea(app_ctx, author, fields=fields(category.id, "A pot that stirs"), submit=True)
    returned = authoring.create_idea(app_ctx, author, fields=fields(category.id, "A fork that counts"), submit=True)
    at = make_app("moderator", page="pages/moderation.py")
    assert {f"approve_{approved}", f"changes_{returned}"} <= set(keys(at))
    no_second_run(monkeypatch)

    at.button(key=f"changes_{returned}").click().run()  # changes need a reason: refused at the idea
    assert values(at.error) == [EN("error.reason_required")]
    assert authoring.get_idea(app_ctx, returned).status is IdeaStatus.PENDING_REVIEW
    at.text_area(key=f"reason_{returned}").input("Please add measurements.")
    at.button(key=f"changes_{returned}").click().run()
    no_problems(at)
    assert EN("mod.done") in values(at.success)
    idea = authoring.get_idea(app_ctx, returned)
    assert (idea.status, idea.moderation_note) == (IdeaStatus.CHANGES_REQUESTED, "Please add measurements.")

    at.button(key=f"approve_{approved}").click().run()
    no_problems(at)
    assert EN("mod.done") in values(at.success)
    assert authoring.get_idea(app_ctx, approved).status is IdeaStatus.PUBLISHED
    assert f"approve_{approved}" not in keys(at), "this run already drew the queue without it"


def test_a_moderator_suspends_an_account_found_by_search(app_ctx, make_app, new_account, monkeypatch):
    person = new_account("Sol Suspect")
    at = make_app("moderator", page="pages/moderation.py")
    at.text_input(key="mod.find").input(person.email).run()
    at.text_input(key=f"mod.suspend_reason_{person.id}").input("Spam links.")
    no_second_run(monkeypatch)
    at.button(key=f"mod.suspend_{person.id}").click().run()
    no_problems(at)
    assert EN("mod.done") in values(at.success)
    assert auth.get_user(app_ctx, person.id).is_suspended
    assert at.button(key=f"mod.suspend_{person.id}").label == EN("mod.unsuspend")


def test_an_admin_saves_roles(app_ctx, make_app, new_account, monkeypatch):
    person = new_account("Rui Roles")
    at = make_app("admin", page="pages/admin_users.py")
    at.text_input(key="admin_users.q").input(person.email).run()
    at.multiselect(key=f"roles_{person.id}").set_value([Role.CONSUMER, Role.MAKER])
    no_second_run(monkeypatch)
    at.button(key=f"save_roles_{person.id}").click().run()
    no_problems(at)
    assert EN("admin_users.saved") in values(at.success)
    assert auth.get_user(app_ctx, person.id).roles == {Role.CONSUMER, Role.MAKER}


def test_a_maker_moves_orders_and_ships_one(app_ctx, make_app, funded, monkeypatch):  # noqa: F811
    maker, _campaign_id, _buyers, found = funded(backers=2)
    at = make_app(email=maker.email, password=PASSWORD, page="pages/maker_orders.py")
    no_second_run(monkeypatch)
    at.multiselect(key="maker_orders.move_ids").set_value([o.id for o in found])
    at.button(key="maker_orders.move_in_production").click().run()
    no_problems(at)
    assert EN("orders.moved", count=2) in values(at.success)
    with app_ctx.uow(write=False) as uow:
        assert [uow.orders.get(o.id).status for o in found] == [OrderStatus.IN_PRODUCTION] * 2

    at.selectbox(key="maker_orders.ship_one.order").set_value(found[0].id)
    at.text_input(key="maker_orders.ship_one.carrier").input("CJ Logistics")
    at.text_input(key="maker_orders.ship_one.tracking").input("CJ-1230001")
    submit(at, "maker_orders.ship_one_form", EN("orders.ship"))
    no_problems(at)
    assert EN("orders.shipped", count=1) in values(at.success)
    assert orders.maker_orders(app_ctx, maker, OrderStatus.SHIPPED).orders[0].id == found[0].id


def test_the_tracking_numbers_a_click_reads_are_the_editors_edits(monkeypatch):
    """The ship-selected click reads the tracking editor's edits from session state, where Streamlit keeps
    them by row position (the rows drawn for the orders selected, in their order)."""
    edits = {"edited_rows": {1: {"tracking": " HJ-0002 "}, 2: {"tracking": None}}, "added_rows": [],
             "deleted_rows": []}
    monkeypatch.setattr(st, "session_state", {"editor": edits})
    assert order_panels.typed_tracking([7, 8, 9, 10], "editor") == {7: "", 8: "HJ-0002", 9: "", 10: ""}
    monkeypatch.setattr(st, "session_state", {})
    assert order_panels.typed_tracking([7], "editor") == {7: ""}, "an editor not drawn yet holds nothing"


# ---- forms: a refusal keeps what was typed, a success clears what should be ------------------------------


def test_a_moderator_adds_a_template_and_a_refused_one_keeps_its_text(app_ctx, make_app, demo_users, monkeypatch):
    title = f"Needs photos {secrets.token_hex(3)}"
    at = make_app("moderator", page="pages/moderation.py")
    no_second_run(monkeypatch)
    at.text_input(key="tpl_new.title").input(title)
    at.text_area(key="tpl_new.body").input("Please add photos of a prototype.")
    submit(at, "tpl_new", EN("mod.add_template"))
    no_problems(at)
    assert EN("mod.done") in values(at.success)
    assert title in [t for _id, t, _body in moderation.reason_templates(app_ctx, demo_users["moderator"])]
    assert (at.text_input(key="tpl_new.title").value, at.text_area(key="tpl_new.body").value) == ("", "")

    at.text_input(key="tpl_new.title").input(title.upper())  # titles are unique
    at.text_area(key="tpl_new.body").input("A second one.")
    submit(at, "tpl_new", EN("mod.add_template"))
    assert values(at.error) == [EN("error.template_title_taken")]
    assert (at.text_input(key="tpl_new.title").value, at.text_area(key="tpl_new.body").value) == \
        (title.upper(), "A second one."), "what was typed is still there to correct"


def test_an_admin_adds_a_category(app_ctx, make_app, monkeypatch):
    slug = f"cb-{secrets.token_hex(3)}"
    at = make_app("admin", page="pages/admin_settings.py")
    no_second_run(monkeypatch)
    at.text_input(key="settings.new_cat.slug").input(slug)
    at.text_input(key="settings.new_cat.name_en").input("Clicks")
    at.text_input(key="settings.new_cat.name_ko").input("클릭")
    at.number_input(key="settings.new_cat.threshold").set_value(7)
    submit(at, "settings.new_cat", EN("settings.add"))
    no_problems(at)
    assert EN("settings.saved") in values(at.success)
    [added] = [c for c in settings.current(app_ctx)["categories"] if c.slug == slug]
    assert (added.name_en, added.support_threshold) == ("Clicks", 7)
    assert at.text_input(key="settings.new_cat.slug").value == ""
    assert at.number_input(key="settings.new_cat.threshold").value == 100

    at.text_input(key="settings.new_cat.slug").input(slug)  # taken now
    at.text_input(key="settings.new_cat.name_en").input("Clicks again")
    submit(at, "settings.new_cat", EN("settings.add"))
    assert at.error, "refused"
    assert at.text_input(key="settings.new_cat.name_en").value == "Clicks again"


def test_saving_my_profile_switches_the_language_in_the_same_run(app_ctx, make_app, new_account, monkeypatch):
    person = new_account("Pia Profile")
    at = make_app(email=person.email, password=PASSWORD, page="pages/account.py")
    no_second_run(monkeypatch)
    at.text_input(key="account.name").input(f"Pia {secrets.token_hex(2)}")
    at.selectbox(key="account.locale").set_value("ko")
    submit(at, "account.profile", EN("common.save"))
    no_problems(at)
    assert KO("account.saved") in values(at.success)
    assert values(at.title) == [KO("account.title")]
    saved = auth.get_user(app_ctx, person.id)
    assert saved.locale == "ko" and saved.display_name.startswith("Pia ")


def test_a_maker_sends_a_quote(app_ctx, make_app, new_account, demo_users, monkeypatch):
    with app_ctx.uow() as uow:
        category = uow.catalog.add_category(f"cb-{secrets.token_hex(4)}", "Clicks", "클릭", 1)
        uow.commit()
    author = new_account("Qi Quoted")
    idea_id = authoring.create_idea(app_ctx, author, fields=fields(category, "A cup that cools"), submit=True)
    moderation.approve(app_ctx, demo_users["moderator"], idea_id)
    support.support_idea(app_ctx, new_account("Su Supporter"), idea_id)
    at = make_app("maker", page="pages/maker.py")
    prefix = f"maker.quote.new_{idea_id}"
    no_second_run(monkeypatch)
    at.text_input(key=f"{prefix}.unit_cost").input("9.00")
    at.number_input(key=f"{prefix}.moq").set_value(10)
    at.number_input(key=f"{prefix}.lead").set_value(14)
    submit(at, f"{prefix}.form", EN("quote.submit"))
    no_problems(at)
    assert EN("quote.sent") in values(at.success)
    [quote] = [q for q in makers.quotes_for_idea(app_ctx, idea_id) if q.maker_id == demo_users["maker"].id]
    assert (quote.unit_cost.amount, quote.moq, quote.lead_time_days) == (900, 10, 14)


# ---- money-moving forms: one-time keys ------------------------------------------------------------------


def test_two_payout_requests_in_a_row_are_two_requests(app_ctx, make_app, new_account, monkeypatch):
    """The form drawn by the run of a request has a new key (as the second run after one used to draw):
    requesting again right away is a new request, not a repeat of the first."""
    payee = new_account("Pay Twice")
    balance = earn(app_ctx, payee)
    at = make_app(email=payee.email, password=PASSWORD, page="pages/earnings.py")
    no_second_run(monkeypatch)
    at.text_input(key="earnings.payout_amount").input("not money")
    submit(at, "earnings.payout", EN("ledger.payout_submit"))
    assert values(at.error) == [EN("error.amount_format")]
    assert at.text_input(key="earnings.payout_amount").value == "not money", "kept to be corrected"

    drawn_with = at.session_state["earnings.payout.request_key"]
    at.text_input(key="earnings.payout_amount").input(Money(1_000, balance.currency).major_text())
    submit(at, "earnings.payout", EN("ledger.payout_submit"))
    no_problems(at)
    assert EN("ledger.payout_requested") in values(at.success)
    assert at.text_input(key="earnings.payout_amount").value == "", "cleared once requested"
    assert at.session_state["earnings.payout.request_key"] != drawn_with

    at.text_input(key="earnings.payout_amount").input(Money(2_000, balance.currency).major_text())
    submit(at, "earnings.payout", EN("ledger.payout_submit"))
    no_problems(at)
    assert sorted(p.amount.amount for p in payouts.my_payouts(app_ctx, payee)) == [1_000, 2_000]


def test_a_second_click_of_one_payout_form_requests_once(app_ctx, make_app, new_account, monkeypatch):
    payee = new_account("Pay Once")
    balance = earn(app_ctx, payee)
    at = make_app(email=payee.email, password=PASSWORD, page="pages/earnings.py")
    no_second_run(monkeypatch)
    drawn_with = at.session_state["earnings.payout.request_key"]
    amount = Money(1_500, balance.currency).major_text()
    at.text_input(key="earnings.payout_amount").input(amount)
    submit(at, "earnings.payout", EN("ledger.payout_submit"))
    at.session_state["earnings.payout.request_key"] = drawn_with  # the same drawing, clicked again
    at.text_input(key="earnings.payout_amount").input(amount)
    submit(at, "earnings.payout", EN("ledger.payout_submit"))
    no_problems(at)
    assert EN("ledger.payout_requested") in values(at.success)
    assert [p.amount.amount for p in payouts.my_payouts(app_ctx, payee)] == [1_500]


def test_an_admin_marks_a_payout_paid(app_ctx, make_app, new_account, monkeypatch):
    payee = new_account("Paid Pat")
    balance = earn(app_ctx, payee)
    payout_id = payouts.request_payout(app_ctx, payee, Money(2_000, balance.currency))
    at = make_app("admin", page="pages/admin_payouts.py")
    no_second_run(monkeypatch)
    at.text_input(key=f"admin_payouts.ref_{payout_id}").input("BANK-1")
    submit(at, f"admin_payouts.paid_{payout_id}", EN("ledger.admin.mark_paid"))
    no_problems(at)
    assert EN("ledger.admin.marked_paid") in values(at.success)
    assert [p.status for p in payouts.my_payouts(app_ctx, payee)] == [PayoutStatus.PAID]


def test_a_maker_refunds_part_of_an_order(app_ctx, make_app, funded, monkeypatch):  # noqa: F811
    maker, _campaign_id, _buyers, [order] = funded(backers=1)
    at = make_app(email=maker.email, password=PASSWORD, page="pages/maker_orders.py")
    no_second_run(monkeypatch)
    at.selectbox(key="maker_orders.refund.order").set_value(order.id)
    at.text_input(key="maker_orders.refund.amount").input("2.00")
    submit(at, "maker_orders.refund_form", EN("orders.refund"))
    no_problems(at)
    assert EN("orders.refunded") in values(at.success)
    assert orders.maker_orders(app_ctx, maker).orders[0].refunded.amount == 200
