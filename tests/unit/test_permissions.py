"""Every named predicate for every role combination, visitor and suspended accounts included.

The expectations are written out here independently of lib.domain.permissions, so a
changed rule must be changed in both places on purpose.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from lib.domain import permissions as p
from lib.domain.accounts import AccountStatus, Role, User
from lib.domain.errors import AccountSuspended, NotSignedIn, PermissionDenied
from lib.domain.ideas import IdeaStatus

S = IdeaStatus
ROLE_SETS = [frozenset(c) for n in range(len(Role) + 1) for c in itertools.combinations(Role, n)]


def _actor(roles: frozenset[Role], suspended: bool, user_id: int = 7) -> User:
    return User(id=user_id, email=f"u{user_id}@example.com", display_name="U", password_hash="h",
                referral_code="C", roles=set(roles),
                status=AccountStatus.SUSPENDED if suspended else AccountStatus.ACTIVE)


# Visitor (None) plus every role combination, active and suspended.
ACTORS: list[tuple[str, User | None]] = [("visitor", None)] + [
    (f"{'suspended' if s else 'active'}:{'+'.join(sorted(r)) or 'none'}", _actor(r, s))
    for r in ROLE_SETS for s in (False, True)
]


def _actor_rules(a: User | None) -> dict[str, bool]:
    if a is None:
        return dict.fromkeys(ACTOR_RULES, False)
    active = not a.is_suspended
    admin, moderator = Role.ADMIN in a.roles, Role.MODERATOR in a.roles
    staff = admin or moderator
    return {
        "is_signed_in": True,
        "is_active": active,
        "is_consumer": Role.CONSUMER in a.roles,
        "is_maker": Role.MAKER in a.roles,
        "is_moderator": moderator,
        "is_admin": admin,
        "is_staff": staff,
        "can_write": active,
        "can_submit_idea": active,
        "can_flag": active,
        "can_follow": active,
        # reading is allowed to a suspended account; changing anything is not
        "can_read_outbox": admin,
        "can_retry_email": admin and active,
        "can_list_users": admin,
        "can_read_audit": staff,
        "can_manage_roles": admin and active,
        "can_edit_settings": admin and active,
        "can_moderate": staff and active,
    }


ACTOR_RULES = [
    "is_signed_in", "is_active", "is_consumer", "is_maker", "is_moderator", "is_admin", "is_staff",
    "can_write", "can_submit_idea", "can_flag", "can_follow", "can_read_outbox", "can_retry_email", "can_list_users",
    "can_read_audit", "can_manage_roles", "can_edit_settings", "can_moderate",
]

COMMENTABLE = {S.PUBLISHED, S.WINNING, S.CAMPAIGN, S.CAMPAIGN_FAILED, S.FUNDED, S.IN_PRODUCTION, S.FULFILLED,
               S.LISTED}
EDITABLE = {S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED}
SUBMITTABLE = {S.DRAFT, S.CHANGES_REQUESTED}
WITHDRAWABLE = {S.DRAFT, S.PENDING_REVIEW, S.CHANGES_REQUESTED, S.PUBLISHED}
NO_UPDATES = {S.DRAFT, S.PENDING_REVIEW, S.REJECTED}


@dataclass(frozen=True)
class IdeaStub:
    author_id: int
    status: str


def _status_rules(status: IdeaStatus) -> dict[str, bool]:
    """What depends on the status alone, whoever asks."""
    return {
        "is_editable_status": status in EDITABLE,
        "is_submittable_status": status in SUBMITTABLE,
        "is_withdrawable_status": status in WITHDRAWABLE,
        "is_open_for_updates": status not in NO_UPDATES,
    }


def _object_rules(a: User | None, idea: IdeaStub) -> dict[str, bool]:
    status = IdeaStatus(idea.status)
    if a is None:
        return dict.fromkeys(OBJECT_RULES, False) | _status_rules(status)
    active = not a.is_suspended
    author = idea.author_id == a.id
    return _status_rules(status) | {
        "is_author": author,
        "can_edit_idea": active and author and status in EDITABLE,
        "can_withdraw_idea": active and author,
        "can_support": active and not author and status is S.PUBLISHED,
        "can_comment": active and status in COMMENTABLE,
        "can_suggest": active and status in {S.PUBLISHED, S.WINNING},
        "can_decide_suggestion": active and author,
        "can_post_update": active and author,
    }


OBJECT_RULES = ["is_author", "is_editable_status", "is_submittable_status", "is_withdrawable_status",
                "is_open_for_updates", "can_edit_idea", "can_withdraw_idea", "can_support",
                "can_comment", "can_suggest", "can_decide_suggestion", "can_post_update"]


@dataclass(frozen=True)
class Owned:
    """Anything makers, buyers and backers own: a campaign, quote, listing, order or pre-order."""

    maker_id: int
    buyer_id: int
    user_id: int


def _owner_rules(a: User | None, thing: Owned) -> dict[str, bool]:
    if a is None:
        return dict.fromkeys(OWNER_RULES, False)
    active, admin = not a.is_suspended, Role.ADMIN in a.roles
    maker, buyer, backer = thing.maker_id == a.id, thing.buyer_id == a.id, thing.user_id == a.id
    return {
        "is_maker_of": maker, "is_buyer_of": buyer, "is_backer_of": backer,
        "can_see_as_maker": maker,
        "can_revise_quote": active and maker, "can_list_campaign": active and maker,
        "can_manage_listing": active and maker, "can_reply_to_review": active and maker,
        "can_refund_order": active and (maker or admin),
        "can_confirm_delivery": active and buyer, "can_review_order": active and buyer,
        "can_change_preorder": active and backer,
    }


OWNER_RULES = ["is_maker_of", "is_buyer_of", "is_backer_of", "can_see_as_maker", "can_revise_quote",
               "can_list_campaign", "can_manage_listing", "can_reply_to_review", "can_refund_order",
               "can_confirm_delivery", "can_review_order", "can_change_preorder"]


@dataclass(frozen=True)
class Shown:
    """An idea, campaign or listing as the pages read it: hidden by a moderator or not."""

    maker_id: int
    hidden: bool


def _content_rules(a: User | None, thing: Shown) -> dict[str, bool]:
    staff = a is not None and bool({Role.ADMIN, Role.MODERATOR} & a.roles)
    maker = a is not None and thing.maker_id == a.id
    # reading: a suspended account sees what it saw before; hidden things only staff and the maker
    return {"is_hidden": thing.hidden, "can_view_content": not thing.hidden or staff or maker}


CONTENT_RULES = ["is_hidden", "can_view_content"]


def test_every_named_predicate_is_covered_by_this_matrix() -> None:
    named = {name for name, value in vars(p).items() if isinstance(value, p.Predicate)}
    assert named == set(ACTOR_RULES) | set(OBJECT_RULES) | set(OWNER_RULES) | set(CONTENT_RULES), \
        "add the new predicate's expectations"


@pytest.mark.parametrize(("label", "actor"), ACTORS, ids=[label for label, _ in ACTORS])
def test_hidden_content_is_for_staff_and_its_maker_only(label: str, actor: User | None) -> None:
    for maker, hidden in itertools.product((7, 99), (False, True)):  # 7 is the actor
        thing = Shown(maker_id=maker, hidden=hidden)
        actual = {name: getattr(p, name)(actor, thing) for name in CONTENT_RULES}
        assert actual == _content_rules(actor, thing), thing


@pytest.mark.parametrize(("label", "actor"), ACTORS, ids=[label for label, _ in ACTORS])
def test_owner_predicates_for_makers_buyers_and_backers(label: str, actor: User | None) -> None:
    for maker, buyer, backer in itertools.product((7, 99), repeat=3):  # 7 is the actor
        thing = Owned(maker_id=maker, buyer_id=buyer, user_id=backer)
        actual = {name: getattr(p, name)(actor, thing) for name in OWNER_RULES}
        assert actual == _owner_rules(actor, thing), thing


def test_owner_predicates_refuse_a_missing_object_except_an_admins_refund() -> None:
    admin = _actor(frozenset(Role), suspended=False)
    assert {name for name in OWNER_RULES if getattr(p, name)(admin, None)} == {"can_refund_order"}


@pytest.mark.parametrize(("label", "actor"), ACTORS, ids=[label for label, _ in ACTORS])
def test_actor_predicates(label: str, actor: User | None) -> None:
    expected = _actor_rules(actor)
    actual = {name: getattr(p, name)(actor) for name in ACTOR_RULES}
    assert actual == expected


@pytest.mark.parametrize("status", list(IdeaStatus))
@pytest.mark.parametrize(("label", "actor"), ACTORS, ids=[label for label, _ in ACTORS])
def test_object_predicates_for_author_and_others(label: str, actor: User | None, status: IdeaStatus) -> None:
    for author_id in (7, 99):  # the actor's own idea, then someone else's
        idea = IdeaStub(author_id=author_id, status=status.value)
        expected = _object_rules(actor, idea)
        actual = {name: getattr(p, name)(actor, idea) for name in OBJECT_RULES}
        assert actual == expected, f"author_id={author_id}"


@dataclass(frozen=True)
class TypedIdea:
    """How read models carry it (IdeaDetail, AuthoredIdea): the status as the enum."""

    author_id: int
    status: IdeaStatus


@pytest.mark.parametrize("status", list(IdeaStatus))
def test_object_predicates_read_the_status_enum_as_they_read_its_value(status: IdeaStatus) -> None:
    author = _actor(frozenset({Role.CONSUMER}), suspended=False)
    for name in OBJECT_RULES:
        predicate = getattr(p, name)
        as_enum = predicate(author, TypedIdea(author_id=author.id, status=status))
        assert as_enum == predicate(author, IdeaStub(author_id=author.id, status=status.value)), name


def test_object_predicates_refuse_a_missing_object() -> None:
    admin = _actor(frozenset(Role), suspended=False)
    for name in OBJECT_RULES:
        assert getattr(p, name)(admin, None) is False, name


# ---- require --------------------------------------------------------------------------------


def test_require_returns_the_allowed_actor() -> None:
    admin = _actor(frozenset({Role.CONSUMER, Role.ADMIN}), suspended=False)
    assert p.require(p.can_manage_roles, admin) is admin


@pytest.mark.parametrize("predicate", [p.can_write, p.can_read_outbox, p.is_signed_in, p.can_manage_roles])
def test_require_tells_a_visitor_to_sign_in(predicate: p.Predicate) -> None:
    with pytest.raises(NotSignedIn) as caught:
        p.require(predicate, None)
    assert caught.value.key == "error.not_signed_in"


def test_require_tells_a_suspended_account_it_is_suspended() -> None:
    suspended = _actor(frozenset({Role.CONSUMER, Role.ADMIN}), suspended=True)
    with pytest.raises(AccountSuspended):
        p.require(p.can_write, suspended)
    with pytest.raises(AccountSuspended):
        p.require(p.can_manage_roles, suspended)


def test_a_suspended_admin_may_still_read() -> None:
    suspended = _actor(frozenset({Role.CONSUMER, Role.ADMIN}), suspended=True)
    assert p.require(p.can_read_outbox, suspended) is suspended


def test_require_denies_a_signed_in_account_without_the_role() -> None:
    consumer = _actor(frozenset({Role.CONSUMER}), suspended=False)
    with pytest.raises(PermissionDenied) as caught:
        p.require(p.can_manage_roles, consumer)
    assert type(caught.value) is PermissionDenied  # not NotSignedIn, which subclasses it
    assert "is_admin" in str(caught.value.params["action"])


def test_require_passes_the_object_to_the_predicate() -> None:
    maker = _actor(frozenset({Role.CONSUMER}), suspended=False)
    with pytest.raises(PermissionDenied):
        p.require(p.can_support, maker, IdeaStub(author_id=maker.id, status="published"))
    assert p.require(p.can_support, maker, IdeaStub(author_id=1, status="published")) is maker


def test_combinators() -> None:
    yes = p.Predicate("yes", lambda _a, _o: True)
    no = p.Predicate("no", lambda _a, _o: False)
    assert (yes | no)(None) and not (yes & no)(None) and (~no)(None) and not (~yes)(None)
    assert (yes & ~no).name == "(yes & ~no)"
