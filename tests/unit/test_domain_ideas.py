"""The idea lifecycle tables: complete, consistent, and enforced."""

from __future__ import annotations

import itertools

import pytest

from lib.domain.ideas import (
    ALLOWS,
    PUBLIC_STATUSES,
    TRANSITIONS,
    Action,
    Idea,
    IdeaStatus,
    IllegalTransition,
    allows,
    check_transition,
)

S = IdeaStatus
TERMINAL = {S.REJECTED, S.EXPIRED, S.WITHDRAWN, S.CAMPAIGN_FAILED, S.LISTED}


def test_every_status_is_in_both_tables() -> None:
    assert set(ALLOWS) == set(IdeaStatus)
    assert set(TRANSITIONS) == set(IdeaStatus)


# Written out independently, so changing the lifecycle means changing it here on purpose.
EXPECTED_TRANSITIONS = {
    S.DRAFT: {S.PENDING_REVIEW, S.WITHDRAWN},
    S.PENDING_REVIEW: {S.PUBLISHED, S.REJECTED, S.CHANGES_REQUESTED, S.WITHDRAWN},
    S.CHANGES_REQUESTED: {S.PENDING_REVIEW, S.WITHDRAWN},
    S.PUBLISHED: {S.WINNING, S.EXPIRED, S.WITHDRAWN},
    S.WINNING: {S.CAMPAIGN},
    S.CAMPAIGN: {S.FUNDED, S.CAMPAIGN_FAILED},
    S.FUNDED: {S.IN_PRODUCTION},
    S.IN_PRODUCTION: {S.FULFILLED},
    S.FULFILLED: {S.LISTED},
}
A = Action
EXPECTED_ALLOWS = {
    S.PUBLISHED: {A.SUPPORT, A.COMMENT, A.SUGGEST},
    S.WINNING: {A.COMMENT, A.SUGGEST, A.QUOTE},
    S.CAMPAIGN: {A.COMMENT, A.PREORDER},
    S.CAMPAIGN_FAILED: {A.COMMENT},
    S.FUNDED: {A.COMMENT},
    S.IN_PRODUCTION: {A.COMMENT},
    S.FULFILLED: {A.COMMENT},
    S.LISTED: {A.COMMENT, A.BUY},
}


def test_transitions_are_exactly_the_agreed_ones() -> None:
    assert {s: set(t) for s, t in TRANSITIONS.items()} == {s: EXPECTED_TRANSITIONS.get(s, set()) for s in S}


def test_allowed_actions_are_exactly_the_agreed_ones() -> None:
    assert {s: set(a) for s, a in ALLOWS.items()} == {s: EXPECTED_ALLOWS.get(s, set()) for s in S}


def test_tables_only_name_known_statuses_and_actions() -> None:
    for targets in TRANSITIONS.values():
        assert targets <= set(IdeaStatus)
    for actions in ALLOWS.values():
        assert actions <= set(Action)


def test_no_status_moves_to_itself() -> None:
    for status, targets in TRANSITIONS.items():
        assert status not in targets, status


def test_terminal_statuses_go_nowhere() -> None:
    assert {s for s, targets in TRANSITIONS.items() if not targets} == TERMINAL


def test_every_status_is_reachable_from_draft() -> None:
    seen, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(IdeaStatus)


def test_the_main_road_from_draft_to_listed() -> None:
    idea = Idea(id=1, author_id=1, title="t", pitch="p", description_md="d", category_id=1)
    road = [S.PENDING_REVIEW, S.PUBLISHED, S.WINNING, S.CAMPAIGN, S.FUNDED, S.IN_PRODUCTION, S.FULFILLED, S.LISTED]
    for status in road:
        idea.move_to(status)
    assert idea.status is S.LISTED


@pytest.mark.parametrize(("current", "target"), [
    (c, t) for c, t in itertools.product(IdeaStatus, IdeaStatus) if t not in TRANSITIONS[c]
])
def test_every_transition_not_in_the_table_raises(current: IdeaStatus, target: IdeaStatus) -> None:
    with pytest.raises(IllegalTransition) as caught:
        check_transition(current, target)
    assert caught.value.params == {"current": current.value, "target": target.value}
    assert caught.value.key == "error.illegal_transition"


def test_an_illegal_move_leaves_the_idea_as_it_was() -> None:
    idea = Idea(id=1, author_id=1, title="t", pitch="p", description_md="d", category_id=1)
    with pytest.raises(IllegalTransition):
        idea.move_to(S.PUBLISHED)  # a draft must be reviewed first
    assert idea.status is S.DRAFT


@pytest.mark.parametrize(("status", "action", "expected"), [
    (S.PUBLISHED, Action.SUPPORT, True),
    (S.WINNING, Action.SUPPORT, False),
    (S.DRAFT, Action.COMMENT, False),
    (S.PENDING_REVIEW, Action.COMMENT, False),
    (S.CAMPAIGN, Action.PREORDER, True),
    (S.PUBLISHED, Action.PREORDER, False),
    (S.LISTED, Action.BUY, True),
    (S.CAMPAIGN, Action.BUY, False),
    (S.WINNING, Action.QUOTE, True),
])
def test_allows(status: IdeaStatus, action: Action, expected: bool) -> None:
    assert allows(status, action) is expected


def test_support_only_while_published_and_nothing_happens_in_private_statuses() -> None:
    assert {s for s in IdeaStatus if allows(s, Action.SUPPORT)} == {S.PUBLISHED}
    for status in set(IdeaStatus) - PUBLIC_STATUSES:
        assert ALLOWS[status] == frozenset(), status


def test_private_statuses_are_the_unpublished_ones() -> None:
    assert set(IdeaStatus) - PUBLIC_STATUSES == {S.DRAFT, S.PENDING_REVIEW, S.CHANGES_REQUESTED, S.REJECTED,
                                                 S.WITHDRAWN}


def test_sources_of_a_status_are_exactly_the_statuses_the_table_lets_reach_it():
    from lib.domain.ideas import TRANSITIONS, sources_of

    for target in IdeaStatus:
        assert sources_of(target) == {s for s in IdeaStatus if target in TRANSITIONS[s]}
    assert sources_of(IdeaStatus.WITHDRAWN) == {IdeaStatus.DRAFT, IdeaStatus.PENDING_REVIEW,
                                               IdeaStatus.CHANGES_REQUESTED, IdeaStatus.PUBLISHED}
    assert sources_of(IdeaStatus.DRAFT) == frozenset()
