"""50 accounts support one idea at once, with the threshold inside the burst (both databases)."""

from __future__ import annotations

from sqlalchemy import func, select

from lib.adapters.db.schema import core as t
from lib.domain.ideas import IdeaNotOpenForSupport, IdeaStatus
from lib.services.ideas import support
from lib.services.messaging import notifications
from tests.journey_fixtures import status_of
from tests.race import race

SUPPORTERS = 50
THRESHOLD = 30


def test_fifty_concurrent_supports_count_exactly_and_win_once(ctx, engine, published_idea, person):
    idea_id, author = published_idea()
    with engine.begin() as conn:
        conn.execute(t.categories.update().values(support_threshold=THRESHOLD))
    backers = [person(name="Backer") for _ in range(SUPPORTERS)]
    # IdeaNotOpenForSupport: it won meanwhile, support is closed and nothing is kept; any other error is raised.
    results = race(SUPPORTERS, lambda i: support.support_idea(ctx, backers[i], idea_id),
                   expected=IdeaNotOpenForSupport, timeout=120)
    won = [r for r in results if isinstance(r, bool)]
    refused = [b for b, r in zip(backers, results, strict=True) if isinstance(r, IdeaNotOpenForSupport)]

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
    results = race(8, lambda _i: support.support_idea(ctx, backer, idea_id), expected=Exception)
    outcomes = [type(r).__name__ if isinstance(r, Exception) else "ok" for r in results]
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} == {"InvalidInput"}
    with engine.connect() as conn:
        assert conn.execute(select(t.ideas.c.support_count).where(t.ideas.c.id == idea_id)).scalar_one() == 1
