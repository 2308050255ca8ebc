"""What the moderator reads, through AppTest: queue cards with cover, author and date; "Done." in the
tab of the action; an audit log with named, linked targets, formatted money and actions as the
moderator saw them, in both languages (old rows too); no empty "Updates" heading on a pending idea."""

from __future__ import annotations

import secrets

import pytest
from babel.dates import format_date

from lib.i18n import translate
from lib.services.campaigns import makers
from lib.services.ideas import authoring, browse, cocreation, moderation
from lib.services.routes import idea_link
from tests.journey_fixtures import fields
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import no_problems, values

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
KO = lambda key, **kw: translate("ko", key, **kw)  # noqa: E731
QUEUE, FLAGS, MAKERS = 0, 1, 2  # the moderation page's tabs


@pytest.fixture
def submitted(app_ctx, new_account):  # type: ignore[no-untyped-def]
    """A fresh idea waiting in the queue: (idea id, its title, its author)."""
    author = new_account("Queue Author")
    [category, *_] = browse.categories(app_ctx)
    title = f"A kettle that whistles softly {secrets.token_hex(2)}"
    return authoring.create_idea(app_ctx, author, fields=fields(category.id, title), submit=True), title, author


def test_a_queue_card_shows_the_cover_the_author_and_the_submitted_date(app_ctx, make_app, submitted):
    idea_id, title, author = submitted
    at = make_app("moderator", page="pages/moderation.py")
    no_problems(at)
    queue = at.tabs[QUEUE]
    assert any('<img class="cc-img"' in m and f'alt="{EN("image.cover", title=title)}"' in m
               for m in values(queue.markdown)), "the generated cover, with alternative text"
    with app_ctx.uow(write=False) as uow:
        submitted_at = uow.idea_repo.get(idea_id).submitted_at
    assert EN("mod.submitted_by", name=author.display_name, date=format_date(submitted_at, "medium", locale="en")) in \
        [c.replace("\\", "") for c in values(queue.caption)]


def test_done_is_said_in_the_tab_of_the_action(app_ctx, make_app, submitted, new_account, demo_users):
    idea_id, _title, _author = submitted
    flagged_id = authoring.create_idea(app_ctx, new_account("Flag Author"), fields=fields(
        browse.categories(app_ctx)[0].id, f"A lamp people flag {secrets.token_hex(2)}"), submit=True)
    moderation.approve(app_ctx, demo_users["moderator"], flagged_id)
    cocreation.flag(app_ctx, new_account("Flagger"), "idea", flagged_id, "Looks like spam")
    at = make_app("moderator", page="pages/moderation.py")

    at.button(key=f"keep_idea_{flagged_id}").click().run()
    no_problems(at)
    assert EN("mod.done") in values(at.tabs[FLAGS].success)
    assert EN("mod.done") not in values(at.tabs[QUEUE].success), "not in the other tabs"
    assert [s for s in values(at.success) if s == EN("mod.done")] == [EN("mod.done")], "nor above the tabs"

    at.button(key=f"approve_{idea_id}").click().run()
    no_problems(at)
    assert EN("mod.done") in values(at.tabs[QUEUE].success)
    assert EN("mod.done") not in values(at.tabs[FLAGS].success), "the flags tab's message was shown once"


def test_a_maker_decision_is_said_in_the_makers_tab(app_ctx, make_app, new_account):
    applicant = new_account("Tab Maker")
    makers.apply_as_maker(app_ctx, applicant, business_name=f"Tab Works {secrets.token_hex(2)}",
                          description="Small runs.", capabilities="sewing", location="Busan")
    at = make_app("moderator", page="pages/moderation.py")
    at.button(key=f"mod.verify_maker_{applicant.id}").click().run()
    no_problems(at)
    assert EN("mod.maker_verified") in values(at.tabs[MAKERS].success)
    assert EN("mod.maker_verified") not in values(at.tabs[QUEUE].success) + values(at.tabs[FLAGS].success)


def test_the_audit_log_names_links_and_formats_in_both_languages(app_ctx, make_app, new_account, demo_users):
    mod = demo_users["moderator"]
    title = f"A tent peg that glows {secrets.token_hex(2)}"
    idea_id = authoring.create_idea(app_ctx, new_account("Audit Author"), fields=fields(
        browse.categories(app_ctx)[0].id, title), submit=True)
    moderation.approve(app_ctx, mod, idea_id)
    cocreation.flag(app_ctx, new_account("Flagger One"), "idea", idea_id, "spam")
    moderation.set_visibility(app_ctx, mod, "idea", idea_id, False)  # "Keep (dismiss flags)"
    cocreation.flag(app_ctx, new_account("Flagger Two"), "idea", idea_id, "spam again")
    moderation.set_visibility(app_ctx, mod, "idea", idea_id, True, system_reason="mod.upheld_flags")
    with app_ctx.uow() as uow:  # rows as they were logged before actions and reasons were named
        uow.moderation.add_audit(mod.id, "restore", "idea", idea_id, "", {"flags_resolved": 2}, app_ctx.now())
        uow.moderation.add_audit(mod.id, "hide", "idea", idea_id, EN("mod.upheld_flags"), {}, app_ctx.now())
        uow.moderation.add_audit(mod.id, "refund_order", "order", 987654, "Broken on arrival",
                                 {"refund": 3, "amount": 58810, "currency": "USD"}, app_ctx.now())
        uow.moderation.add_audit(mod.id, "reject_payout", "payout", 424242, "Bank details missing",
                                 {"user": 5, "amount": 1200, "currency": "USD"}, app_ctx.now())
        uow.commit()
    [kept, *_] = [e for e in moderation.audit_log(app_ctx, mod, target_type="idea", target_id=idea_id)
                  if e.action == "dismiss_flags"]
    assert kept.target_name == title

    at = make_app("moderator", page="pages/audit_log.py")
    no_problems(at)
    log = " ".join(values(at.markdown)).replace("\\", "")
    assert f"[{title}]({idea_link(idea_id)})" in log, "the target by its title, linked to the idea"
    assert f"idea #{idea_id}" not in log
    assert log.count(f"**{EN('audit.action.dismiss_flags')}**") >= 2, "new rows and old 'restore' rows alike"
    assert "$588.10" in log and "58810" not in log and "amount=" not in log
    assert "$12.00" in log and f"{EN('audit.detail.user')}: 5" not in log, "a payout's payee is its target"
    assert EN("mod.upheld_flags") in log

    at.selectbox(key="shell.lang_select").set_value("ko").run()
    no_problems(at)
    log = " ".join(values(at.markdown)).replace("\\", "")
    assert KO("mod.upheld_flags") in log and EN("mod.upheld_flags") not in log, "system reasons in Korean"
    assert f"**{KO('audit.action.dismiss_flags')}**" in log and KO("audit.target.idea") in log
    assert "Broken on arrival" in log, "a moderator's own words stay as typed"
    at.selectbox(key="shell.lang_select").set_value("en").run()  # the shared demo moderator keeps English


def test_a_pending_idea_shows_no_empty_updates_heading(app_ctx, make_app, submitted):
    idea_id, _title, author = submitted
    at = make_app(email=author.email, password=PASSWORD)
    at.query_params["id"] = str(idea_id)
    at.switch_page("pages/idea.py").run()
    no_problems(at)
    assert EN("idea.updates") not in values(at.subheader)
