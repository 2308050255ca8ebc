"""Money, dates and links as the viewer reads them, money inputs that name their currency, and the second
click before what cannot be undone (issue 12, "Links and money shown right")."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from lib import runtime
from lib.domain.ideas import IdeaFields
from lib.i18n import translate
from lib.services.accounts import admin, auth
from lib.services.ideas import authoring, browse, moderation, support
from lib.services.messaging.notifications import notify
from lib.services.reads import CATEGORIES
from lib.services.routes import Screen, href
from lib.ui.i18n import LANG_KEY
from tests.ui.conftest import ENTRY, PASSWORD, TIMEOUT, sign_in_state
from tests.ui.helpers import no_problems, values, visit

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
KO = lambda key, **kw: translate("ko", key, **kw)  # noqa: E731
AT = datetime(2026, 12, 2, 4, 5, tzinfo=UTC)


def shown(at: AppTest) -> list[str]:
    """The captions as read (the Markdown escapes that keep "2026. 12. 2." from being a list taken out)."""
    return [c.replace("\\", "") for c in values(at.caption)]


def _app(app_ctx, user=None, *, lang: str = "en", page: str | None = None, **context: str) -> AppTest:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    if user is not None:
        for key, value in sign_in_state(app_ctx, user.email, PASSWORD).items():
            at.session_state[key] = value
    at.session_state[LANG_KEY] = lang
    at.context.update(context)
    if page:
        at.switch_page(page)
    return at.run()


@pytest.fixture
def noticed(app_ctx, new_account):  # type: ignore[no-untyped-def]
    """A fresh account with one inbox notice posted at AT (04:05 UTC)."""
    person = new_account("Zone Reader")
    at_four = replace(app_ctx, clock=lambda: AT)
    with at_four.uow() as uow:
        notify(at_four, uow, person.id, "welcome_demo", link=href(Screen.DISCOVER))
        uow.commit()
    return person


def test_inbox_times_are_the_browsers_and_say_utc_only_when_it_is(app_ctx, noticed):
    at = _app(app_ctx, noticed, lang="ko", page="pages/inbox.py", timezone="Asia/Seoul")
    no_problems(at)
    assert "2026. 12. 2. 오후 1:05" in shown(at)  # Seoul is UTC+9
    assert not any("UTC" in c for c in shown(at))
    at = _app(app_ctx, noticed, page="pages/inbox.py")  # a browser that says nothing: UTC, and it says so
    assert "Dec 2, 2026, 4:05\u202fAM UTC" in shown(at)


def test_the_accounts_time_zone_counts_when_the_browser_gives_none(app_ctx, noticed):
    at = _app(app_ctx, noticed, page="pages/account.py")
    at.selectbox(key="account.time_zone").set_value("America/New_York")
    next(b for b in at.button if b.label == EN("common.save")).click().run()
    no_problems(at)
    assert auth.get_user(app_ctx, noticed.id).time_zone == "America/New_York"
    at = _app(app_ctx, noticed, page="pages/inbox.py")
    assert "Dec 1, 2026, 11:05\u202fPM" in shown(at)
    at = _app(app_ctx, noticed, page="pages/inbox.py", timezone="Asia/Seoul")  # the browser's comes first
    assert "Dec 2, 2026, 1:05\u202fPM" in shown(at)


def test_money_reads_naturally_in_korean(app_ctx):
    at = _app(app_ctx, lang="ko", page="pages/shop.py")
    no_problems(at)
    prices = [m for m in values(at.markdown) if m.startswith(("US$", "$"))]
    assert prices and all(p.startswith("US$") for p in prices), prices


def test_share_links_use_the_address_the_browser_used_unless_the_base_url_is_set(app_ctx, new_account,
                                                                                   monkeypatch):
    me = new_account("Link Sharer")
    idea_id = browse.browse_ideas(app_ctx, limit=1)[0][0].id
    at = _app(app_ctx, me, page="pages/idea.py", url="https://cocreate.test:8600/idea")
    at.query_params["id"] = str(idea_id)
    at.run()
    assert [c.value for c in at.code] == [f"https://cocreate.test:8600/idea?id={idea_id}&ref={me.referral_code}"]
    fixed = replace(app_ctx, base_url="https://cocreate.example", base_url_fixed=True)
    monkeypatch.setattr(runtime, "_holder", [fixed])
    at.run()
    assert [c.value for c in at.code] == [f"https://cocreate.example/idea?id={idea_id}&ref={me.referral_code}"]


def test_emailed_links_use_the_setting_never_the_requests_host(app_ctx, demo_users):
    """A reset link built from the Host a client sent could point a victim's mail at anyone's server."""
    at = _app(app_ctx, page="pages/sign_up.py", url="http://attacker.test:9999/sign_up")
    email = f"ui-{secrets.token_hex(5)}@example.com"
    at.text_input(key="sign_up.email").input(email)
    at.text_input(key="sign_up.name").input("Mail Linker")
    at.text_input(key="sign_up.password").input(PASSWORD)
    at.text_input(key="sign_up.confirm").input(PASSWORD)
    next(b for b in at.button if b.label == EN("sign_up.submit")).click().run()
    [message] = [m for m in admin.outbox(app_ctx, demo_users["admin"], limit=500) if m.to_address == email]
    assert f"{app_ctx.base_url}/verify_email?token=" in message.body and "attacker.test" not in message.body


@pytest.fixture
def kitchen(app_ctx, new_account, demo_users):  # type: ignore[no-untyped-def]
    """A fresh category whose public ideas ask $20, $40 and $60: (category id, its English name)."""
    name = f"Kitchen {secrets.token_hex(3)}"
    with app_ctx.uow() as uow:
        category = uow.catalog.add_category(f"kitchen-{secrets.token_hex(4)}", name, "주방 " + name[-6:], 50)
        uow.commit()
    app_ctx.reads.forget(CATEGORIES)  # as the admin's category page does
    author = new_account("Price Setter")
    for n, price in enumerate((2_000, 4_000, 6_000)):
        fields = IdeaFields.clean(title=f"Kitchen helper number {n}", pitch="Useful.", description_md="Yes.",
                                  category_id=category, target_price_min=price, target_price_max=price)
        moderation.approve(app_ctx, demo_users["moderator"],
                           authoring.create_idea(app_ctx, author, fields=fields, submit=True))
    return category, name


def test_money_inputs_name_the_currency_and_question_a_far_off_price(app_ctx, new_account, kitchen):
    category, name = kitchen
    writer = new_account("Far Pricer")
    at = _app(app_ctx, writer, lang="ko", page="pages/submit_idea.py")
    at.selectbox(key="submit.new.category").set_value(category).run()
    field = at.text_input(key="submit.new.price_min")
    assert field.label == KO("money.label", label=KO("field.price_min"), currency="미국 달러")
    assert field.placeholder == KO("money.placeholder", example="40.00")  # what ideas here ask, in dollars
    at.text_input(key="submit.new.title").input("A far too costly spatula")
    at.text_input(key="submit.new.pitch").input("It flips.")
    at.text_area(key="submit.new.description").input("Made of *gold*.")
    field.input("25000").run()
    assert KO("money.far_above", amount="US$25,000.00", where="주방 " + name[-6:], low="US$30.00",
              high="US$50.00") in values(at.warning)
    at.button(key="submit.new.save").click().run()
    assert KO("money.confirm_first") in values(at.error)
    assert authoring.my_ideas(app_ctx, writer) == []  # nothing saved until the price is confirmed
    at.checkbox(key="submit.new.price_min.confirmed").check().run()
    at.button(key="submit.new.save").click().run()
    no_problems(at)
    [saved] = authoring.my_ideas(app_ctx, writer)
    assert authoring.get_idea(app_ctx, saved.id).target_price_min == 2_500_000


def test_withdrawing_support_and_signing_out_everywhere_ask_first(app_ctx, new_account):
    fan = new_account("Second Thoughts")
    idea_id = next(c.id for c in browse.browse_ideas(app_ctx, limit=24)[0] if c.status.value == "published")
    support.support_idea(app_ctx, fan, idea_id)
    at = _app(app_ctx, fan, page="pages/idea.py")
    at.query_params["id"] = str(idea_id)
    at.run()
    at.button(key="idea.unsupport").click().run()
    assert EN("idea.withdraw_question") in values(at.warning)
    with app_ctx.uow(write=False) as uow:
        assert uow.idea_repo.has_supported(idea_id, fan.id)
    at.button(key="idea.unsupport.yes").click().run()
    no_problems(at)
    with app_ctx.uow(write=False) as uow:
        assert not uow.idea_repo.has_supported(idea_id, fan.id)

    visit(at, "account")
    at.button(key="account.sign_out_everywhere").click().run()
    assert EN("account.sign_out_everywhere_question") in values(at.warning)
    assert auth.session_is_live(app_ctx, at.session_state["auth.session_id"])
    at.button(key="account.sign_out_everywhere.keep").click().run()
    assert "account.sign_out_everywhere.yes" not in [b.key for b in at.button]
