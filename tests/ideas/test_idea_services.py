"""The front half of the journey through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lib.domain.accounts import Role
from lib.domain.errors import AccountSuspended, InvalidInput, NotFound, PermissionDenied
from lib.domain.ideas import IdeaLocked, IdeaNotOpenForSupport, IdeaStatus, IllegalTransition
from lib.services import jobs
from lib.services.ideas import authoring, browse, cocreation, moderation, settings, support
from lib.services.ideas.ports import SupportState
from lib.services.messaging import notifications
from tests.journey_fixtures import fields, status_of


def kinds(ctx, user):
    return [n.kind for n in notifications.inbox(ctx, user)]


def test_draft_submit_request_changes_resubmit_approve(ctx, category, person):
    author, mod = person(name="Author"), person(Role.MODERATOR, name="Mod")
    idea_id = authoring.create_idea(ctx, author, fields=fields(category))
    assert status_of(ctx, idea_id) is IdeaStatus.DRAFT
    authoring.submit_for_review(ctx, author, idea_id)
    queue, counts = moderation.queue(ctx, mod)
    assert [i.id for i in queue] == [idea_id] and counts["waiting"] == 1
    with pytest.raises(InvalidInput):
        moderation.request_changes(ctx, mod, idea_id, "   ")  # a reason is required
    moderation.request_changes(ctx, mod, idea_id, "Add the dimensions")
    assert authoring.get_idea(ctx, idea_id).moderation_note == "Add the dimensions"
    assert "idea_changes_requested" in kinds(ctx, author)
    authoring.edit_idea(ctx, author, idea_id, fields=fields(category, description_md="40 × 30 cm, folds flat"))
    authoring.submit_for_review(ctx, author, idea_id)
    moderation.approve(ctx, mod, idea_id)
    idea = authoring.get_idea(ctx, idea_id)
    assert idea.status is IdeaStatus.PUBLISHED
    assert idea.support_deadline - idea.published_at == timedelta(days=60)
    actions = [(e.action, e.actor_id, e.reason) for e in moderation.audit_log(ctx, mod)]
    assert actions == [("approve", mod.id, ""), ("request_changes", mod.id, "Add the dimensions")]


def test_reject_shows_reason_and_is_final(ctx, category, person):
    author, mod = person(), person(Role.MODERATOR)
    idea_id = authoring.create_idea(ctx, author, fields=fields(category), submit=True)
    moderation.reject(ctx, mod, idea_id, "Not a product")
    assert status_of(ctx, idea_id) is IdeaStatus.REJECTED
    with pytest.raises(IllegalTransition):
        moderation.approve(ctx, mod, idea_id)
    with pytest.raises(PermissionDenied):
        authoring.submit_for_review(ctx, author, idea_id)


def test_consumer_cannot_moderate_and_others_cannot_edit(ctx, category, person):
    author, other = person(), person()
    idea_id = authoring.create_idea(ctx, author, fields=fields(category), submit=True)
    for call in (lambda: moderation.approve(ctx, other, idea_id), lambda: moderation.queue(ctx, other),
                 lambda: moderation.audit_log(ctx, other)):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(PermissionDenied):
        authoring.edit_idea(ctx, other, idea_id, fields=fields(category, "Someone else's idea"))
    assert authoring.get_idea(ctx, idea_id).title == "A folding stool for trains"


def test_support_rules(ctx, published_idea, person):
    idea_id, author = published_idea()
    fan = person()
    with pytest.raises(InvalidInput, match="own_support"):
        support.support_idea(ctx, author, idea_id)
    with pytest.raises(InvalidInput, match="intent_incomplete"):
        support.support_idea(ctx, fan, idea_id, quantity=2)
    support.support_idea(ctx, fan, idea_id, quantity=2, max_price=2500)
    with pytest.raises(InvalidInput, match="already_supported"):
        support.support_idea(ctx, fan, idea_id)
    state = support.support_state(ctx, fan, idea_id)
    assert (state.count, state.supported, state.following) == (1, True, True)
    assert support.support_state(ctx, None, idea_id) == SupportState(1, supported=False, following=False)
    assert browse.idea_detail(ctx, None, idea_id).demand == ((2500, 2),)
    support.withdraw_support(ctx, fan, idea_id)
    assert authoring.get_idea(ctx, idea_id).support_count == 0
    assert support.support_state(ctx, fan, idea_id) == SupportState(0, supported=False, following=True)
    with pytest.raises(InvalidInput, match="not_supported"):
        support.withdraw_support(ctx, fan, idea_id)


def test_supporting_a_draft_rejected_or_expired_idea_is_refused(ctx, category, person, engine):
    author, mod, fan = person(), person(Role.MODERATOR), person()
    draft = authoring.create_idea(ctx, author, fields=fields(category))
    rejected = authoring.create_idea(ctx, author, fields=fields(category), submit=True)
    moderation.reject(ctx, mod, rejected, "no")
    expiring = authoring.create_idea(ctx, author, fields=fields(category), submit=True)
    moderation.approve(ctx, mod, expiring)
    with engine.begin() as conn:
        conn.execute(text("UPDATE ideas SET support_deadline = :past WHERE id = :id"),
                     {"past": ctx.now() - timedelta(seconds=1), "id": expiring})
    assert jobs.run_due_jobs(ctx, "test")["ideas_expired"] == 1
    assert status_of(ctx, expiring) is IdeaStatus.EXPIRED
    assert "idea_expired" in kinds(ctx, author)
    for idea_id in (draft, rejected, expiring):
        with pytest.raises(IdeaNotOpenForSupport):
            support.support_idea(ctx, fan, idea_id)


def test_locked_after_half_the_threshold(ctx, published_idea, person, engine):
    idea_id, author = published_idea()
    idea = authoring.get_idea(ctx, idea_id)
    for _ in range(idea.threshold // 2 + 1):
        support.support_idea(ctx, person(), idea_id)
    changed = fields(idea.category_id, "A completely different title")
    with pytest.raises(IdeaLocked):
        authoring.edit_idea(ctx, author, idea_id, fields=changed)
    authoring.edit_idea(ctx, author, idea_id, fields=fields(idea.category_id, tags="trains, seating"))  # tags stay open
    authoring.post_update(ctx, author, idea_id, "Prototype done!")
    assert authoring.get_idea(ctx, idea_id).title == "A folding stool for trains"


def test_comments_replies_and_improvements(ctx, published_idea, person):
    idea_id, author = published_idea()
    fan, helper = person(), person(name="Helper")
    top = cocreation.add_comment(ctx, fan, idea_id, "Love it <script>alert(1)</script>")
    reply = cocreation.add_comment(ctx, author, idea_id, "Thanks!", parent_id=top)
    with pytest.raises(InvalidInput, match="reply_depth"):
        cocreation.add_comment(ctx, fan, idea_id, "deeper", parent_id=reply)
    assert "new_comment" in kinds(ctx, author)
    suggestion = cocreation.propose_improvement(ctx, helper, idea_id, "Add a cup holder")
    with pytest.raises(PermissionDenied):
        cocreation.decide_improvement(ctx, fan, suggestion, True)
    cocreation.decide_improvement(ctx, author, suggestion, True)
    with pytest.raises(InvalidInput, match="suggestion_decided"):
        cocreation.decide_improvement(ctx, author, suggestion, False)
    detail = browse.idea_detail(ctx, None, idea_id)
    assert detail.co_creators == (helper.display_name,)
    assert "suggestion_accepted" in kinds(ctx, helper)
    assert [c.parent_id for c in detail.comments] == [None, top]


def test_updates_reach_followers(ctx, published_idea, person):
    idea_id, author = published_idea()
    fan, lurker = person(), person()
    support.support_idea(ctx, fan, idea_id)
    support.set_following(ctx, lurker, idea_id, True)
    authoring.post_update(ctx, author, idea_id, "Samples arrived")
    assert "idea_update" in kinds(ctx, fan) and "idea_update" in kinds(ctx, lurker)
    assert "idea_update" not in kinds(ctx, author)


def test_three_flags_from_different_accounts_hide_until_reviewed(ctx, published_idea, person):
    idea_id, _ = published_idea()
    mod = person(Role.MODERATOR)
    first = person()
    assert cocreation.flag(ctx, first, "idea", idea_id, "spam") is False
    assert cocreation.flag(ctx, first, "idea", idea_id, "spam again") is False  # same account counts once
    assert cocreation.flag(ctx, person(), "idea", idea_id) is False
    assert cocreation.flag(ctx, person(), "idea", idea_id) is True
    assert browse.idea_detail(ctx, None, idea_id) is None, "hidden from visitors"
    assert browse.idea_comments(ctx, None, idea_id) == (), "and so is its conversation"
    assert idea_id not in [c.id for c in browse.browse_ideas(ctx, feed="new")[0]]
    assert [f.target_id for f in moderation.flagged(ctx, mod)] == [idea_id]
    moderation.set_visibility(ctx, mod, "idea", idea_id, False)
    assert browse.idea_detail(ctx, None, idea_id) is not None
    assert moderation.flagged(ctx, mod) == []


def test_hidden_comments_and_suspension(ctx, published_idea, person):
    idea_id, _ = published_idea()
    mod, troll = person(Role.MODERATOR), person()
    comment = cocreation.add_comment(ctx, troll, idea_id, "rude")
    moderation.set_visibility(ctx, mod, "comment", comment, True, "Rude")
    assert browse.idea_detail(ctx, None, idea_id).comments == ()
    assert len(browse.idea_detail(ctx, mod, idea_id).comments) == 1, "moderators still see it"
    assert browse.idea_comments(ctx, None, idea_id) == (), "read again after a post: the same rule"
    assert browse.idea_comments(ctx, mod, idea_id) == browse.idea_detail(ctx, mod, idea_id).comments
    moderation.set_suspended(ctx, mod, troll.id, True, "Repeated abuse")
    from lib.services.accounts.auth import get_user

    suspended = get_user(ctx, troll.id)
    with pytest.raises(AccountSuspended):
        cocreation.add_comment(ctx, suspended, idea_id, "again")
    assert browse.idea_detail(ctx, suspended, idea_id) is not None, "suspended accounts can still read"
    with pytest.raises(InvalidInput):
        moderation.set_suspended(ctx, mod, mod.id, True, "oops")


def test_merge_carries_supporters_over_counted_once(ctx, published_idea, person):
    original, _ = published_idea("A folding stool for trains")
    duplicate, dup_author = published_idea("Folding train stool")
    mod = person(Role.MODERATOR)
    both, only_dup = person(), person()
    support.support_idea(ctx, both, original)
    support.support_idea(ctx, both, duplicate)
    support.support_idea(ctx, only_dup, duplicate)
    assert moderation.merge(ctx, mod, duplicate, original, "same idea") == 1
    assert authoring.get_idea(ctx, original).support_count == 2
    merged = authoring.get_idea(ctx, duplicate)
    assert merged.merged_into_id == original and merged.hidden
    assert "idea_merged" in kinds(ctx, dup_author)
    with pytest.raises(InvalidInput, match="already_merged"):
        moderation.merge(ctx, mod, duplicate, original)


def test_audit_log_cannot_be_edited(ctx, engine, published_idea):
    published_idea()
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET reason = 'rewritten'"))
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1


def test_admin_threshold_and_window(ctx, published_idea, person, category):
    idea_id, _ = published_idea()
    admin, mod = person(Role.ADMIN), person(Role.MODERATOR)
    support.support_idea(ctx, person(), idea_id)
    with pytest.raises(PermissionDenied):
        settings.save_category(ctx, mod, slug="x", name_en="X", name_ko="엑스", threshold=1, category_id=category)
    assert [c.support_threshold for c in browse.categories(ctx) if c.id == category] != [1]  # read (and cached)
    settings.save_category(ctx, admin, slug="things", name_en="Things", name_ko="물건", threshold=1,
                           category_id=category)
    assert [(c.slug, c.support_threshold) for c in browse.categories(ctx) if c.id == category] == [("things", 1)], \
        "the change shows at once"
    assert jobs.run_due_jobs(ctx, "test")["ideas_won"] == 1
    assert status_of(ctx, idea_id) is IdeaStatus.WINNING
    with pytest.raises(InvalidInput):
        settings.update_support_window(ctx, admin, 0)
    settings.update_support_window(ctx, admin, 30)
    assert settings.current(ctx)["support_window_days"] == 30


def test_korean_emoji_and_rtl_text_survive(ctx, category, person):
    author, mod = person(), person(Role.MODERATOR)
    title = "접이식 의자 🪑 كرسي"
    idea_id = authoring.create_idea(ctx, author, fields=fields(category, title, pitch="지하철에서 앉기"), submit=True)
    moderation.approve(ctx, mod, idea_id)
    assert authoring.get_idea(ctx, idea_id).title == title
    similar = authoring.similar_ideas(ctx, "접이식 의자", category)
    assert similar and similar[0][0] == idea_id


def test_bad_input_leaves_nothing_behind(ctx, category, person, engine):
    author = person()
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM ideas")).scalar_one()
    for bad in (dict(title="x" * 10_000), dict(title=""), dict(pitch=""), dict(description_md=" "),
                dict(target_price_min=500, target_price_max=100)):
        with pytest.raises(InvalidInput):
            authoring.create_idea(ctx, author, fields=fields(category, **bad))
    with pytest.raises(InvalidInput, match="too_many_images"):
        authoring.create_idea(ctx, author, fields=fields(category), uploads=[b"x"] * 7)
    with pytest.raises(NotFound):
        support.support_idea(ctx, author, 10**9)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ideas")).scalar_one() == before


def test_moderators_find_accounts_by_email_or_name(ctx, person):
    mod, target, other = person(Role.MODERATOR), person(name="Zed"), person()
    assert [u.id for u in moderation.find_accounts(ctx, mod, target.email.upper())] == [target.id]
    assert target.id in [u.id for u in moderation.find_accounts(ctx, mod, "zed")]
    assert moderation.find_accounts(ctx, mod, "   ") == []
    with pytest.raises(PermissionDenied):
        moderation.find_accounts(ctx, other, "zed")


def test_views_count_once_per_browser_session(ctx, published_idea, person):
    idea_id, _ = published_idea()
    viewer = person()
    assert support.record_view(ctx, idea_id, "session-a", None) is True
    assert support.record_view(ctx, idea_id, "session-a", None) is False
    assert support.record_view(ctx, idea_id, "session-b", viewer) is True
    assert browse.idea_detail(ctx, None, idea_id).view_count == 2


def test_moving_an_idea_follows_the_lifecycle_table(ctx, category, person):
    from lib.services.ideas.lifecycle import move_idea

    idea_id = authoring.create_idea(ctx, person(), fields=fields(category))  # a draft
    with ctx.uow() as uow:
        with pytest.raises(IllegalTransition):  # the table has no draft -> published
            move_idea(uow, idea_id, IdeaStatus.PUBLISHED, ctx.now(), current=IdeaStatus.DRAFT)
        assert not move_idea(uow, idea_id, IdeaStatus.PUBLISHED, ctx.now())  # not pending review: nothing moves
        assert not move_idea(uow, idea_id, IdeaStatus.WITHDRAWN, ctx.now(), current=IdeaStatus.CHANGES_REQUESTED)
        assert move_idea(uow, idea_id, IdeaStatus.PENDING_REVIEW, ctx.now(), submitted_at=ctx.now())
        uow.commit()
    assert status_of(ctx, idea_id) is IdeaStatus.PENDING_REVIEW
