"""Every idea action, for every role, in every idea status, through the real services.

The expectations are written out here from SPEC.md, independently of lib.domain.permissions,
so a wrong predicate fails this test instead of agreeing with itself.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.domain import permissions
from lib.domain.accounts import AccountStatus, Role
from lib.domain.errors import AccountSuspended, DomainError, NotSignedIn, PermissionDenied
from lib.domain.ideas import Idea, IdeaStatus
from lib.services.accounts import auth
from lib.services.ideas import authoring, cocreation, moderation, support
from tests.conftest import make_context
from tests.journey_fixtures import fields

S = IdeaStatus
CONVERSATION = {S.PUBLISHED, S.WINNING, S.CAMPAIGN, S.CAMPAIGN_FAILED, S.FUNDED, S.IN_PRODUCTION, S.FULFILLED,
                S.LISTED}
ROLES = ["visitor", "consumer", "author", "maker", "moderator", "admin", "suspended"]
DENIALS = (PermissionDenied, NotSignedIn, AccountSuspended)


def expected(action: str, role: str, status: IdeaStatus) -> bool:
    active_user = role not in ("visitor", "suspended")
    staff = role in ("moderator", "admin")
    if not active_user:
        return False
    return {
        "support": role != "author" and status is S.PUBLISHED,
        "comment": status in CONVERSATION,
        "suggest": role != "author" and status in (S.PUBLISHED, S.WINNING),
        "edit": role == "author" and status in (S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED),
        "submit": role == "author" and status in (S.DRAFT, S.CHANGES_REQUESTED),
        "withdraw": role == "author" and status in (S.DRAFT, S.PENDING_REVIEW, S.CHANGES_REQUESTED, S.PUBLISHED),
        "post_update": role == "author" and status not in (S.DRAFT, S.PENDING_REVIEW, S.REJECTED),
        "flag": role != "author",  # nobody flags their own
        "approve": staff and status is S.PENDING_REVIEW,
        "reject": staff and status is S.PENDING_REVIEW,
        "request_changes": staff and status is S.PENDING_REVIEW,
    }[action]


ACTIONS = {
    "support": lambda ctx, u, i, c: support.support_idea(ctx, u, i),
    "comment": lambda ctx, u, i, c: cocreation.add_comment(ctx, u, i, "Nice idea"),
    "suggest": lambda ctx, u, i, c: cocreation.propose_improvement(ctx, u, i, "Make it blue"),
    "edit": lambda ctx, u, i, c: authoring.edit_idea(ctx, u, i, fields=fields(c, "A folding stool, revised")),
    "submit": lambda ctx, u, i, c: authoring.submit_for_review(ctx, u, i),
    "withdraw": lambda ctx, u, i, c: authoring.withdraw_idea(ctx, u, i),
    "post_update": lambda ctx, u, i, c: authoring.post_update(ctx, u, i, "News!"),
    "flag": lambda ctx, u, i, c: cocreation.flag(ctx, u, "idea", i, "spam?"),
    "approve": lambda ctx, u, i, c: moderation.approve(ctx, u, i),
    "reject": lambda ctx, u, i, c: moderation.reject(ctx, u, i, "Not a product"),
    "request_changes": lambda ctx, u, i, c: moderation.request_changes(ctx, u, i, "Add sizes"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One SQLite database with an account per role and a category."""
    from lib.adapters.db import migrate
    from lib.adapters.db.engine import make_engine

    tmp = tmp_path_factory.mktemp("matrix")
    engine = make_engine(f"sqlite:///{tmp / 'matrix.db'}")
    migrate.upgrade(engine)
    ctx = make_context(engine, tmp / "images")
    with ctx.uow() as uow:
        category = uow.catalog.add_category("matrix", "Matrix", "매트릭스", 1000)
        uow.commit()
    roles = {"consumer": set(), "author": set(), "maker": {Role.MAKER}, "moderator": {Role.MODERATOR},
             "admin": {Role.ADMIN}, "suspended": set()}
    users = {name: auth.sign_up(ctx, email=f"{name}@matrix.test", display_name=f"Matrix {name}",
                                password="long-enough-pw", roles={Role.CONSUMER, *extra}, verified=True)
             for name, extra in roles.items()}
    with ctx.uow() as uow:
        suspended = users["suspended"]
        suspended.status = AccountStatus.SUSPENDED
        uow.users.save(suspended)
        uow.commit()
    users["visitor"] = None
    yield ctx, users, category
    engine.dispose()


def _idea_in(ctx, author_id: int, category: int, status: IdeaStatus) -> int:
    now = ctx.now()
    public = status not in (S.DRAFT, S.PENDING_REVIEW, S.CHANGES_REQUESTED, S.REJECTED)
    with ctx.uow() as uow:
        idea = uow.catalog.add_idea(Idea(
            id=0, author_id=author_id, title="A folding stool for trains", pitch="Sit anywhere.",
            description_md="It folds.", category_id=category, status=status,
            published_at=now - timedelta(days=1) if public else None,
            support_deadline=now + timedelta(days=30) if public else None), "USD", now, submitted_at=now)
        uow.commit()
    return idea.id


@pytest.mark.parametrize("status", list(IdeaStatus), ids=lambda s: s.value)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_every_role_every_status(world, action, status):
    ctx, users, category = world
    for role in ROLES:
        idea_id = _idea_in(ctx, users["author"].id, category, status)
        actor = auth.get_user(ctx, users[role].id) if users[role] else None
        allowed = expected(action, role, status)
        try:
            ACTIONS[action](ctx, actor, idea_id, category)
        except DomainError as exc:
            assert not allowed, f"{role} should be able to {action} a {status.value} idea, got {exc!r}"
            if role == "visitor":
                assert isinstance(exc, NotSignedIn), (role, action, status, exc)
            elif role == "suspended":
                assert isinstance(exc, AccountSuspended), (role, action, status, exc)
        else:
            assert allowed, f"{role} must not be able to {action} a {status.value} idea"


# What the screens offer an author on their own idea (they ask these status predicates) is exactly what
# the services then let the author do.
OFFERED = {
    "edit": permissions.is_editable_status,
    "submit": permissions.is_submittable_status,
    "withdraw": permissions.is_withdrawable_status,
    "post_update": permissions.is_open_for_updates,
}


@pytest.mark.parametrize("status", list(IdeaStatus), ids=lambda s: s.value)
@pytest.mark.parametrize("action", list(OFFERED))
def test_what_the_screens_offer_the_author_is_what_the_services_allow(world, action, status):
    ctx, users, category = world
    author = users["author"]
    idea_id = _idea_in(ctx, author.id, category, status)
    offered = OFFERED[action](author, authoring.get_idea(ctx, idea_id))
    assert offered is expected(action, "author", status), (action, status)
    try:
        ACTIONS[action](ctx, author, idea_id, category)
    except DomainError:
        assert not offered, f"{action} is offered on a {status.value} idea but refused"
    else:
        assert offered, f"{action} is hidden on a {status.value} idea but allowed"
