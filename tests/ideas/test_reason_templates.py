"""Moderation reason templates: a title another template has is a named error, on SQLite and
PostgreSQL, whether the service sees it first or the database's unique constraint does."""

from __future__ import annotations

import pytest

from lib.domain.accounts import Role
from lib.domain.errors import NotFound, ReasonTemplateExists
from lib.services.ideas import moderation


def _audited(ctx, mod) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(e.action, e.target_id) for e in moderation.audit_log(ctx, mod) if e.action == "save_template"]


def test_a_title_that_exists_is_a_named_error_and_changes_nothing(ctx, person):
    mod = person(Role.MODERATOR)
    first = moderation.save_reason_template(ctx, mod, "Duplicate", "Already on the site.")
    second = moderation.save_reason_template(ctx, mod, "Too vague", "Say what it does.")
    for title in ("Duplicate", "  duplicate ", "DUPLICATE"):
        with pytest.raises(ReasonTemplateExists) as raised:
            moderation.save_reason_template(ctx, mod, title, "Another body.")
        assert raised.value.key == "error.template_title_taken"
    with pytest.raises(ReasonTemplateExists):  # renaming one to another's title
        moderation.save_reason_template(ctx, mod, "Duplicate", "Say what it does.", second)
    assert moderation.reason_templates(ctx, mod) == [(first, "Duplicate", "Already on the site."),
                                                     (second, "Too vague", "Say what it does.")]
    assert _audited(ctx, mod) == [("save_template", second), ("save_template", first)]
    # Its own title again (a body edit) is fine.
    assert moderation.save_reason_template(ctx, mod, "Duplicate", "Already on the site!", first) == first


def test_the_repository_turns_the_unique_violation_into_the_named_error(ctx, person):
    """A concurrent save the service's check could not see: the constraint decides, inside a savepoint,
    so the transaction it happened in is still whole and can commit what else it did."""
    mod = person(Role.MODERATOR)
    taken = moderation.save_reason_template(ctx, mod, "Off topic", "Not a product idea.")
    with ctx.uow() as uow:
        kept = uow.moderation.save_template(None, "Kept in the same transaction", "Body.")
        with pytest.raises(ReasonTemplateExists):
            uow.moderation.save_template(None, "Off topic", "A second one.")
        with pytest.raises(ReasonTemplateExists):
            uow.moderation.save_template(kept, "Off topic", "Renamed onto it.")
        uow.commit()
    templates = moderation.reason_templates(ctx, mod)
    assert (kept, "Kept in the same transaction", "Body.") in templates
    assert [tid for tid, title, _ in templates if title == "Off topic"] == [taken]


def test_saving_a_template_that_does_not_exist_is_not_found(ctx, person):
    mod = person(Role.MODERATOR)
    with pytest.raises(NotFound):
        moderation.save_reason_template(ctx, mod, "Nowhere", "Body.", 987654)
    assert moderation.reason_templates(ctx, mod) == []
    assert _audited(ctx, mod) == []
