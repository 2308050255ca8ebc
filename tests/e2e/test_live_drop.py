"""A limited drop in a real browser: the countdown ticks in the page with no server run per second,
the page runs once when the drop opens, and a sell-out elsewhere shows at once, without a reload."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import timedelta

import pytest

from lib.domain.campaigns import ShippingAddress
from lib.services.accounts import auth
from lib.services.commerce import checkout, shop
from lib.services.context import AppContext, utcnow
from lib.services.demo.content import DEMO_PASSWORD
from tests.commerce_fixtures import ADDRESS, GOOD
from tests.e2e.helpers import WAIT_MS, count_script_runs, open_app, script_runs, settle
from tests.server import services_of

pytestmark = pytest.mark.e2e
COUNTDOWN = "[data-testid='cc-countdown']"


@pytest.fixture(scope="module")
def app_ctx(running_app) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    with services_of(running_app) as ctx:
        yield ctx


def test_the_countdown_ticks_in_the_browser_and_a_sell_out_shows_at_once(new_context, app_url, app_ctx):
    maker = auth.sign_in(app_ctx, email="maker@demo.cocreate.test", password=DEMO_PASSWORD).user
    idea_id = shop.browse(app_ctx, limit=1)[0].idea_id
    with app_ctx.uow() as uow:
        listing_id = uow.catalog.add_listing(idea_id, maker.id, "Night-sky mug", "Enamel.", 2400, app_ctx.currency,
                                             stock=1, sold=0, now=utcnow())
        uow.commit()
    shop.update_listing(app_ctx, maker, listing_id, starts_at=utcnow() + timedelta(seconds=20), per_account_limit=1)

    page = new_context().new_page()
    open_app(page, f"{app_url}/listing?id={listing_id}")
    count_script_runs(page)
    first = page.locator(COUNTDOWN).inner_text(timeout=WAIT_MS)
    assert re.fullmatch(r"0 d 00:00:[012]\d", first.strip()), first
    page.wait_for_timeout(2_100)  # two ticks of the page's own clock
    assert page.locator(COUNTDOWN).inner_text(timeout=WAIT_MS) != first, "the countdown ticks"
    assert script_runs(page) == 0, "ticking costs the server nothing"

    page.locator(COUNTDOWN).wait_for(state="detached", timeout=30_000)  # opened: the page ran again
    settle(page)
    assert script_runs(page) <= 1, "one run when it opened (a short one may go unseen)"
    page.get_by_text("1 left").wait_for(timeout=WAIT_MS)

    buyer = auth.sign_up(app_ctx, email=f"fan-{secrets.token_hex(4)}@example.com", display_name="Fast Fan",
                         password="long-enough-pw", verified=True)
    checkout.buy_now(app_ctx, buyer, listing_id, quantity=1, address=ShippingAddress.clean(**ADDRESS), card=GOOD)
    page.get_by_text("Sold out").wait_for(timeout=10_000)  # polled, then one run draws it
