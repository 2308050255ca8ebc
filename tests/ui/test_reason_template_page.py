"""The moderation page's reason templates: a title another template has is a normal, translated
error on the page (regression: it was a database traceback)."""

from __future__ import annotations

from lib.i18n import translate
from lib.services.ideas import moderation
from tests.ui.helpers import values

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
NEW_FORM = "FormSubmitter:tpl_new-" + translate("en", "mod.add_template")


def _new_template_form(at):  # type: ignore[no-untyped-def]
    """The title and body fields of the "add template" form (the last of their kind on the page)."""
    titles = [w for w in at.text_input if w.label == EN("mod.template_title")]
    bodies = [w for w in at.text_area if w.label == EN("mod.reason") and w.form_id == "tpl_new"]
    return titles[-1], bodies[-1]


def test_adding_a_template_whose_title_exists_is_a_normal_error(app_ctx, make_app, demo_users):
    before = moderation.reason_templates(app_ctx, demo_users["moderator"])
    existing = before[0][1]
    at = make_app("moderator", page="pages/moderation.py")
    title, body = _new_template_form(at)
    title.input(existing.upper())
    body.input("A second template with the same title.")
    at.button(key=NEW_FORM).click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert values(at.error) == [EN("error.template_title_taken")]
    assert moderation.reason_templates(app_ctx, demo_users["moderator"]) == before


def test_renaming_a_template_onto_another_title_is_a_normal_error(app_ctx, make_app, demo_users):
    before = moderation.reason_templates(app_ctx, demo_users["moderator"])
    (first_id, _first, _), (_, second, _) = before[0], before[1]
    at = make_app("moderator", page="pages/moderation.py")
    form = f"tpl_form_{first_id}"
    [title] = [w for w in at.text_input if w.form_id == form]
    title.input(second)
    at.button(key=f"FormSubmitter:{form}-{EN('common.save')}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert values(at.error) == [EN("error.template_title_taken")]
    assert moderation.reason_templates(app_ctx, demo_users["moderator"]) == before
