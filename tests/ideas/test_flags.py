"""Flags say why, can be taken back until a moderator acts, and never land on one's own content (issue 12)."""

from __future__ import annotations

import pytest

from lib.domain.accounts import Role
from lib.domain.errors import InvalidInput, PermissionDenied
from lib.domain.ideas import FlagNotOpen, FlagReason
from lib.services.ideas import browse, cocreation, moderation
from lib.services.ideas.ports import FlagNote


def test_nobody_flags_their_own_idea_or_comment(ctx, published_idea, person):
    idea_id, author = published_idea()
    commenter = person()
    comment_id = cocreation.add_comment(ctx, commenter, idea_id, "Does it fold?")
    with pytest.raises(PermissionDenied):
        cocreation.flag(ctx, author, "idea", idea_id, kind=FlagReason.SPAM)
    with pytest.raises(PermissionDenied):
        cocreation.flag(ctx, commenter, "comment", comment_id, kind=FlagReason.OFFENSIVE)
    assert moderation.flagged(ctx, person(Role.MODERATOR)) == [], "nothing was written"
    assert cocreation.flag(ctx, author, "comment", comment_id, kind="offensive") is False  # someone else's: fine


def test_moderators_read_why_and_an_unknown_reason_is_refused(ctx, published_idea, person):
    idea_id, _ = published_idea()
    cocreation.flag(ctx, person(), "idea", idea_id, "Same text on five ideas", kind=FlagReason.SPAM)
    cocreation.flag(ctx, person(), "idea", idea_id, kind=FlagReason.MISLEADING)
    with pytest.raises(InvalidInput):
        cocreation.flag(ctx, person(), "idea", idea_id, kind="boring")
    [item] = moderation.flagged(ctx, person(Role.MODERATOR))
    assert item.flags == 2
    assert item.reasons == (FlagNote(FlagReason.SPAM, "Same text on five ideas"), FlagNote(FlagReason.MISLEADING, ""))


def test_a_flag_is_taken_back_until_a_moderator_acts_and_an_undo_below_three_shows_the_item_again(
        ctx, published_idea, person):
    idea_id, _ = published_idea()
    mod = person(Role.MODERATOR)
    flaggers = [person() for _ in range(3)]
    assert [cocreation.flag(ctx, p, "idea", idea_id, kind=FlagReason.SPAM) for p in flaggers] == [False, False, True]
    assert cocreation.my_open_flags(ctx, flaggers[0], idea_id) == {("idea", idea_id)}
    assert browse.idea_detail(ctx, None, idea_id) is None

    cocreation.unflag(ctx, flaggers[0], "idea", idea_id)
    assert browse.idea_detail(ctx, None, idea_id) is not None, "two flags no longer hide it"
    assert cocreation.my_open_flags(ctx, flaggers[0], idea_id) == frozenset()
    assert moderation.flagged(ctx, mod)[0].flags == 2
    with pytest.raises(FlagNotOpen):
        cocreation.unflag(ctx, flaggers[0], "idea", idea_id)

    moderation.set_visibility(ctx, mod, "idea", idea_id, False)  # "Keep": the moderator acted on the flags
    with pytest.raises(FlagNotOpen):
        cocreation.unflag(ctx, flaggers[1], "idea", idea_id)
    assert cocreation.my_open_flags(ctx, flaggers[1], idea_id) == frozenset()
