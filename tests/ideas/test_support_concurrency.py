"""50 accounts support one idea at once, with the threshold inside the burst (both databases)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from lib.adapters.db.schema import core as t
from lib.domain.ideas import IdeaNotOpenForSupport, IdeaStatus
from lib.services import notifications
from lib.services.ideas import support
from tests.journey_fixtures import status_of

SUPPORTERS = 50
THRESHOLD = 30


def test_fifty_concurrent_supports_count_exactly_and_win_once(ctx, engine, published_idea, person):
    idea_id, author = published_idea()
    with engine.begin() as conn:
        conn.execute(t.categories.update().values(support_threshold=THRESHOLD))
    backers = [person(name="Backer") for _ in range(SUPPORTERS)]
    barrier = threading.Barrier(SUPPORTERS)
    won, refused, errors = [], [], []

    def back(user):
        barrier.wait(timeout=30)
        try:
            won.append(support.support_idea(ctx, user, idea_id))
        except IdeaNotOpenForSupport:
            refused.append(user)  # it won meanwhile: support is closed, nothing kept
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=back, args=(b,)) for b in backers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(won) == THRESHOLD and len(refused) == SUPPORTERS - THRESHOLD
    assert won.count(True) == 1, "the idea must become winning exactly once"
    assert status_of(ctx, idea_id) is IdeaStatus.WINNING
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(t.supports).where(t.supports.c.idea_id == idea_id))
        assert rows.scalar_one() == THRESHOLD, "no support row may survive a refused attempt"
        counted = conn.execute(select(t.ideas.c.support_count).where(t.ideas.c.id == idea_id)).scalar_one()
        assert counted == THRESHOLD
    # Every follower (the author and each accepted backer) hears about it exactly once; the refused don't follow.
    accepted = [b for b in backers if b not in refused]
    for user in [author, *accepted]:
        kinds = [n.kind for n in notifications.inbox(ctx, user)]
        assert kinds.count("idea_winning") == 1, user.display_name
    for user in refused:
        assert "idea_winning" not in [n.kind for n in notifications.inbox(ctx, user)]


def test_the_same_account_supporting_twice_at_once_counts_once(ctx, engine, published_idea, person):
    idea_id, _ = published_idea()
    backer = person()
    barrier = threading.Barrier(8)
    outcomes = []

    def back():
        barrier.wait(timeout=30)
        try:
            support.support_idea(ctx, backer, idea_id)
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=back) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} == {"InvalidInput"}
    with engine.connect() as conn:
        assert conn.execute(select(t.ideas.c.support_count).where(t.ideas.c.id == idea_id)).scalar_one() == 1
