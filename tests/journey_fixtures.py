"""Shared journey fixtures: a category, people in each role, published ideas (see tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from lib.domain.accounts import Role, User
from lib.domain.ideas import IdeaFields, IdeaStatus
from lib.services.accounts import auth
from lib.services.context import AppContext
from lib.services.ideas import authoring, moderation
from lib.services.messaging.mail import MAX_ATTEMPTS

_counter = itertools.count(1)


@pytest.fixture
def category(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        category_id = uow.catalog.add_category(f"cat{next(_counter)}", "Things", "물건", 5)
        uow.commit()
    return category_id


@pytest.fixture
def person(ctx: AppContext) -> Callable[..., User]:
    """Make an account with the given roles (consumer always)."""

    def make(*roles: Role, name: str = "Person") -> User:
        n = next(_counter)
        return auth.sign_up(ctx, email=f"p{n}@example.com", display_name=f"{name} {n}",
                                password="long-enough-pw", roles={Role.CONSUMER, *roles}, verified=True)

    return make


def fields(category_id: int, title: str = "A folding stool for trains", **extra: object) -> IdeaFields:
    values: dict[str, object] = {"title": title, "pitch": "Sit anywhere on a crowded train.",
                                 "description_md": "It **folds** flat.", "category_id": category_id}
    values.update(extra)
    return IdeaFields.clean(**values)  # type: ignore[arg-type]


@pytest.fixture
def published_idea(ctx: AppContext, category: int, person: Callable[..., User]) -> Callable[..., tuple[int, User]]:
    """An idea by a fresh author, approved by a fresh moderator: (idea id, author)."""

    def make(title: str = "A folding stool for trains") -> tuple[int, User]:
        author, mod = person(name="Author"), person(Role.MODERATOR, name="Mod")
        idea_id = authoring.create_idea(ctx, author, fields=fields(category, title), submit=True)
        moderation.approve(ctx, mod, idea_id)
        return idea_id, author

    return make


def status_of(ctx: AppContext, idea_id: int) -> IdeaStatus:
    return authoring.get_idea(ctx, idea_id).status


def dead_letter(ctx: AppContext, to: str, subject: str = "Hello", error: str = "550 no such user") -> int:
    """An outbox message whose every delivery attempt failed (what admins may send again)."""
    now = ctx.now()
    with ctx.uow() as uow:
        message = uow.outbox.add(to, subject, "Body", now)
        for _ in range(MAX_ATTEMPTS):
            uow.outbox.mark_failed(message, error, now)
        uow.commit()
    return message
