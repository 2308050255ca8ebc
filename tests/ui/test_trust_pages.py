"""Pages of the rules that were not kept, through AppTest: My ideas for a suspended account, dead
letters on the outbox page, the per-account limit on the moderator's campaign form, and the
one-time request key of a money-moving form."""

from __future__ import annotations

import secrets

import pytest
from streamlit.testing.v1 import AppTest

from lib.domain.errors import AccountSuspended
from lib.i18n import translate
from lib.services.accounts import admin, auth
from lib.services.campaigns import makers, opening
from lib.services.ideas import authoring, browse, moderation, support
from lib.services.messaging.mail import MAX_ATTEMPTS
from tests.journey_fixtures import dead_letter, fields
from tests.ui.conftest import PASSWORD, TIMEOUT
from tests.ui.helpers import no_problems, values

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def test_a_suspended_account_opens_my_ideas(app_ctx, make_app, new_account, demo_users):
    author = new_account("Sid Suspended")
    [category, *_] = browse.categories(app_ctx)
    idea_id = authoring.create_idea(app_ctx, author, fields=fields(category.id, "A lamp for a tent"))
    moderation.set_suspended(app_ctx, demo_users["moderator"], author.id, True, "testing: reads only")

    at = make_app(email=author.email, password=PASSWORD, page="pages/my_ideas.py")

    no_problems(at)
    assert EN("shell.suspended") in values(at.sidebar.warning)
    assert any("A lamp for a tent" in m for m in values(at.markdown))
    at.button(key=f"mine_wd_{idea_id}").click().run()  # a write: refused with the clear message
    assert not at.exception
    assert values(at.error) == [EN("error.account_suspended")]
    assert authoring.get_idea(app_ctx, idea_id).status.value == "draft"


def test_a_suspended_account_cannot_rename_itself(app_ctx, new_account, demo_users):
    person = new_account("Real Name")
    moderation.set_suspended(app_ctx, demo_users["moderator"], person.id, True, "impersonation")
    with pytest.raises(AccountSuspended):
        auth.update_profile(app_ctx, auth.get_user(app_ctx, person.id), display_name="Cocreate Team", locale="en")
    assert auth.get_user(app_ctx, person.id).display_name == "Real Name"  # type: ignore[union-attr]


def test_admins_see_dead_letters_and_send_one_again(app_ctx, make_app, demo_users):
    message = dead_letter(app_ctx, "bounced@example.com", "Your order shipped", "550 5.1.1 no such user")

    at = make_app("admin", page="pages/admin_outbox.py")
    no_problems(at)
    assert EN("admin_outbox.dead_help", count=MAX_ATTEMPTS) in values(at.caption)
    assert EN("admin_outbox.error", error="550 5.1.1 no such user") in values(at.text)
    at.button(key=f"admin_outbox.retry_{message}").click().run()

    no_problems(at)
    assert EN("admin_outbox.retried") in values(at.success)
    assert message not in [m.id for m in admin.dead_letters(app_ctx, demo_users["admin"])]
    [entry] = moderation.audit_log(app_ctx, demo_users["admin"], target_type="email", target_id=message)
    assert entry.action == "retry_email"


def test_the_moderator_sets_a_per_account_limit_when_opening_a_campaign(app_ctx, make_app, new_account,
                                                                        demo_users):
    with app_ctx.uow() as uow:
        category = uow.catalog.add_category(f"trust-{secrets.token_hex(4)}", "Trust", "신뢰", 1)
        uow.commit()
    author = new_account("Tess Author")
    idea_id = authoring.create_idea(app_ctx, author, fields=fields(category, "Reservations, two per person"),
                                    submit=True)
    moderation.approve(app_ctx, demo_users["moderator"], idea_id)
    assert support.support_idea(app_ctx, new_account("Sam Supporter"), idea_id) is True
    quote_id = makers.submit_quote(app_ctx, demo_users["maker"], idea_id, unit_cost=1500, moq=6, lead_time_days=30)
    opening.consent_to_quote(app_ctx, author, quote_id)

    mod = make_app("moderator", page="pages/moderation.py")
    prefix = f"mod.campaign_{quote_id}"
    mod.number_input(key=f"{prefix}.limit").set_value(2)
    mod.button(key=f"FormSubmitter:{prefix}.form-{EN('mod.open_campaign')}").click().run()

    no_problems(mod)
    assert EN("mod.campaign_opened") in values(mod.success)
    campaign = opening.campaign_for_idea(app_ctx, idea_id)
    assert campaign is not None and campaign.per_account_limit == 2


def _request_key_form() -> None:
    import streamlit as st

    from lib.ui.forms import request_key

    with st.form("trust.form"):
        submitted = st.form_submit_button("Pay")
    key = request_key("trust.form", submitted)
    st.session_state.setdefault("trust.seen", []).append((submitted, key))


def test_a_form_keeps_its_key_for_every_submit_of_one_drawing_and_draws_a_new_one_after():
    at = AppTest.from_function(_request_key_form, default_timeout=TIMEOUT).run()
    at.button[0].click().run()
    at.button[0].click().run()  # a second click before anything drew the form again
    at.run()  # the form is drawn again after the submission
    at.button[0].click().run()
    seen = at.session_state["trust.seen"]
    (_, first), (_, click1), (_, click2), (_, second), (_, click3) = seen
    assert [s for s, _ in seen] == [False, True, True, False, True]
    assert first == click1 == click2, "one drawing, one key: a double submit is one effect"
    assert second == click3 != first, "a new drawing of the form, a new key"
    assert 16 <= len(first) <= 64
