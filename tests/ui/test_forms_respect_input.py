"""Forms that respect what people typed (issue 12): demo accounts fill the sign-in form, the
suggestion's text survives a refusal, every problem of the submit form at once and next to its field."""

from __future__ import annotations

import re

from lib.domain.accounts import Role
from lib.domain.ideas import FlagReason
from lib.i18n import translate
from lib.services.demo.content import DEMO_PASSWORD
from lib.services.ideas import authoring, browse, cocreation, moderation
from tests.images import imagegen
from tests.journey_fixtures import fields
from tests.ui.conftest import DEMO_EMAILS, PASSWORD
from tests.ui.helpers import OUR_IMAGE, _walk, no_problems, texts, visit

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def test_a_demo_account_fills_the_sign_in_form_and_signs_in(make_app):
    at = make_app(page="pages/sign_in.py")
    no_problems(at)
    assert len([b for b in at.button if "@demo.cocreate.test" in b.label]) >= len(DEMO_EMAILS)
    maker = DEMO_EMAILS["maker"]
    [button] = [b for b in at.button if maker in b.label]
    at = button.click().run()
    assert at.text_input(key="sign_in.email").value == maker
    assert at.text_input(key="sign_in.password").value == DEMO_PASSWORD
    assert "auth.user_id" not in at.session_state or not at.session_state["auth.user_id"]  # filled, not signed in
    at = at.form_submit_button[0].click().run()
    no_problems(at)
    assert at.session_state["auth.user_id"]


def test_the_submit_form_shows_every_problem_at_once_and_keeps_what_was_typed(make_app, new_account):
    author = new_account("Many Problems")
    at = make_app(email=author.email, password=PASSWORD, page="pages/submit_idea.py")
    at.text_input(key="submit.new.title").set_value("Lamp")
    at.text_input(key="submit.new.tags").set_value("desk, light")
    at.text_input(key="submit.new.price_min").set_value("30")
    at.text_input(key="submit.new.price_max").set_value("20")
    at = at.button(key="submit.new.submit").click().run()
    assert not at.exception
    shown = [e.value for e in at.error]
    for key, params in [("error.title_too_short", dict(min=5, max=120)), ("error.pitch_required", dict(max=200)),
                        ("error.description_required", dict(max=20000)), ("error.category_required", {}),
                        ("error.price_range_inverted", {})]:
        assert EN(key, **params) in shown, (key, shown)
    assert EN("submit.fix_problems", count=5) in shown
    assert at.text_input(key="submit.new.title").value == "Lamp"
    assert at.text_input(key="submit.new.tags").value == "desk, light"
    assert at.text_input(key="submit.new.price_min").value == "30"
    assert [t.value for t in at.title] == [EN("submit.title")], "nothing saved: still on the form"

    at.text_input(key="submit.new.title").set_value("A desk lamp that folds")
    at.text_input(key="submit.new.pitch").set_value("Light that packs flat.")
    at.text_area(key="submit.new.description").set_value("It *folds*.")
    at.selectbox(key="submit.new.category").select_index(0)
    at.text_input(key="submit.new.price_max").set_value("40")
    at = at.button(key="submit.new.save").click().run()
    no_problems(at)
    assert [t.value for t in at.title] == [EN("my_ideas.title")]


def published(app_ctx, new_account):  # type: ignore[no-untyped-def]
    """A fresh author's idea, approved: (idea id, author)."""
    author = new_account("Idea Author")
    moderator = new_account("Idea Moderator", roles={Role.CONSUMER, Role.MODERATOR})
    idea_id = authoring.create_idea(app_ctx, author, fields=fields(browse.categories(app_ctx)[0].id), submit=True)
    moderation.approve(app_ctx, moderator, idea_id)
    return idea_id, author


def _order(at, predicate) -> int:  # type: ignore[no-untyped-def]
    """Where (in drawing order) the first element the predicate accepts sits."""
    for n, node in enumerate(_walk(at._tree)):
        if predicate(getattr(node, "proto", None)):
            return n
    raise AssertionError("not drawn")


def _send(at):  # type: ignore[no-untyped-def]
    return next(b for b in at.form_submit_button if b.label == EN("idea.send_suggestion")).click().run()


def test_a_refused_suggestion_keeps_its_text_and_says_why_by_the_form_then_its_image_is_shown(
        app_ctx, make_app, new_account):
    idea_id, author = published(app_ctx, new_account)
    proposer = new_account("Picture Proposer")
    at = visit(make_app(email=proposer.email, password=PASSWORD), "idea", id=str(idea_id))
    at.text_area(key="idea.suggest_body").set_value("Make the legs **fold** inward.")
    at.file_uploader(key="idea.suggest_image.0").set_value(("legs.png", b"not an image", "image/png"))
    at = _send(at)
    assert [e.value for e in at.error] == [EN("error.image_format")]
    assert at.text_area(key="idea.suggest_body").value == "Make the legs **fold** inward."
    heading = _order(at, lambda p: getattr(p, "body", "").startswith(EN("idea.improvements", count=0)[:8]))
    error = _order(at, lambda p: getattr(p, "body", None) == EN("error.image_format"))
    assert error > heading, "the refusal is said by the suggestion form, not at the top of the page"

    at.file_uploader(key="idea.suggest_image.0").set_value(("legs.png", imagegen.png((320, 200)), "image/png"))
    at = _send(at)
    no_problems(at)
    assert at.text_area(key="idea.suggest_body").value == ""
    assert at.file_uploader(key="idea.suggest_image.1").value in (None, []), "the next one starts without it"
    alt = EN("image.suggestion", name=proposer.display_name)
    for viewer in (proposer, author):  # the idea page and the author deciding on it
        at = visit(make_app(email=viewer.email, password=PASSWORD), "idea", id=str(idea_id))
        images = [m for body, _ in texts(at) for m in OUR_IMAGE.findall(body)]
        assert any(f'alt="{alt}"' in m for m in images), images
    assert any(b.key and re.fullmatch(r"accept_\d+", b.key) for b in at.button), "the author decides beside it"


def test_flagging_asks_why_can_be_undone_and_is_not_offered_on_ones_own(app_ctx, make_app, new_account):
    idea_id, author = published(app_ctx, new_account)
    flagger = new_account("Careful Flagger")
    comment_id = cocreation.add_comment(app_ctx, flagger, idea_id, "Seen this before?")
    mine = visit(make_app(email=author.email, password=PASSWORD), "idea", id=str(idea_id))
    keys = [w.key for w in mine.radio]
    assert f"flag_idea_{idea_id}.kind" not in keys, "no flag on one's own idea"
    assert f"flag_comment_{comment_id}.kind" in keys, "someone else's comment can be flagged"

    at = visit(make_app(email=flagger.email, password=PASSWORD), "idea", id=str(idea_id))
    assert f"flag_comment_{comment_id}.kind" not in [w.key for w in at.radio], "nor on one's own comment"
    name = f"flag_idea_{idea_id}"
    assert at.radio(key=f"{name}.kind").options == [EN(f"flag.kind.{k.value}") for k in FlagReason]
    at.radio(key=f"{name}.kind").set_value(FlagReason.MISLEADING)
    at.text_input(key=f"{name}.text").input("The photos are of another product")
    at = at.button(key=f"FormSubmitter:{name}-{EN('flag.send')}").click().run()
    no_problems(at)
    assert EN("idea.flagged") in [s.value for s in at.success]
    [item] = [i for i in moderation.flagged(app_ctx, mod_user(app_ctx, new_account)) if i.target_id == idea_id]
    assert [(n.kind, n.text) for n in item.reasons] == [(FlagReason.MISLEADING, "The photos are of another product")]

    at = at.button(key=f"{name}.undo").click().run()
    no_problems(at)
    assert EN("flag.undone") in [s.value for s in at.success]
    assert f"{name}.kind" in [w.key for w in at.radio], "flaggable again"
    assert not [i for i in moderation.flagged(app_ctx, mod_user(app_ctx, new_account)) if i.target_id == idea_id]


def test_moderators_see_why_each_item_was_flagged(app_ctx, make_app, new_account, demo_users):
    idea_id, _ = published(app_ctx, new_account)
    cocreation.flag(app_ctx, new_account("Spam Spotter"), "idea", idea_id, "Links to a shop", kind=FlagReason.SPAM)
    at = make_app("moderator", page="pages/moderation.py")
    captions = [c.value for c in at.caption]
    assert "– " + EN("flag.kind.spam") + ": Links to a shop" in captions


def mod_user(app_ctx, new_account):  # type: ignore[no-untyped-def]
    return new_account("Flag Reader", roles={Role.CONSUMER, Role.MODERATOR})
