"""Every page, for every role, with hostile text in everything a person can write (members and staff
alike): no Markdown, caption, alert, heading, label, tab, expander, metric or help text the page draws
carries a live `data:` link, a remote image or raw HTML from that text. People's text is either
escaped (lib/ui/components.py `plain`) or goes through the sanitised Markdown path
(lib/ui/markdown.py `render`). Selectbox and multiselect options are not checked: Streamlit shows
them as plain text (escaping them would show the backslashes).

Regression: moderation notes, reject and change-request reasons, reason-template titles, category
names and e-mail subjects reached Streamlit's own Markdown as they were typed."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import InvalidInput
from lib.domain.ideas import IdeaFields
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.services.accounts import auth
from lib.services.campaigns import makers, opening, preorders, settlement
from lib.services.commerce import buyer_updates, checkout, orders, reviews
from lib.services.context import AppContext, utcnow
from lib.services.demo.content import DEMO_PASSWORD
from lib.services.ideas import authoring, cocreation, moderation, settings, support
from lib.services.ideas.authoring import post_update
from lib.services.ledger import payouts
from lib.ui.components import plain
from lib.ui.nav import page_names_for
from tests.ui.conftest import ENTRY, PASSWORD, TIMEOUT, sign_in_state
from tests.ui.helpers import OUR_IMAGE, _walk

# 51 characters: fits every field that takes markup (display names take 60, category names 60).
MARK = "**x** [a](data:,e) ![i](http://e.io/i.png) <b>b</b>"
# What the payload looks like wherever it was passed on as Markdown, unescaped.
RAW = ("**x**", "](data:", "![i](", "<b>")
LONG = f"{MARK}\n\n[d](data:text/html,evil) <img src=x onerror=alert(1)> <script>alert(1)</script>"
CARD = "4242 4242 4242 4242"
ADDRESS = dict(line1="12 Hangang-daero", city="Seoul", postal_code="04301", country="KR")
LIVE_IN_HTML = re.compile(r"data:|<img|<script|<iframe|<svg|\son\w+\s*=|style\s*=|javascript:", re.IGNORECASE)


def hostile(tag: str) -> str:
    """The payload and a marker word, to see where each field was shown."""
    return f"{MARK} {tag}"


@dataclass
class World:
    """Everything seeded, and which marker words must be seen (escaped) on which visits."""

    users: dict[str, User | None] = field(default_factory=dict)
    visits: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # (user, page, params)
    shown: set[str] = field(default_factory=set)  # marker words the pages must show (as text)


def _account(ctx: AppContext, tag: str, roles: set[Role] | None = None) -> User:
    return auth.sign_up(ctx, email=f"hostile-{tag}-{secrets.token_hex(3)}@example.com", display_name=hostile(tag),
                        password=PASSWORD, roles=roles, verified=True)


def _fresh(ctx: AppContext, user: User) -> User:
    found = auth.get_user(ctx, user.id)
    assert found is not None
    return found


def _idea(ctx: AppContext, author: User, category: int, tag: str, submit: bool = True) -> int:
    fields = IdeaFields.clean(title=hostile(f"{tag}title"), pitch=hostile(f"{tag}pitch"),
                              description_md=f"{LONG} {tag}desc", category_id=category,
                              tags="![i](http://e.io/i.png), **x**<b>b</b>")
    return authoring.create_idea(ctx, author, fields=fields, submit=submit)


def _maker(ctx: AppContext, mod: User, tag: str, verify: bool | None) -> User:
    user = _account(ctx, tag)
    makers.apply_as_maker(ctx, user, business_name=hostile(f"{tag}biz"), description=f"{LONG} {tag}mdesc",
                          capabilities=hostile(f"{tag}cap"), location=hostile(f"{tag}loc"))
    if verify is not None:
        makers.decide_maker(ctx, mod, user.id, verify, hostile(f"{tag}note"))
    return _fresh(ctx, user)


@pytest.fixture(scope="module")
def world(app_ctx: AppContext, demo_users: dict[str, User | None]) -> World:
    ctx, mod, admin = app_ctx, demo_users["moderator"], demo_users["admin"]
    assert mod is not None and admin is not None
    w = World()
    category = settings.save_category(ctx, admin, slug=f"hostile-{secrets.token_hex(3)}", name_en=hostile("zqcaten"),
                                      name_ko=hostile("zqcatko"), threshold=1)
    moderation.save_reason_template(ctx, mod, hostile("zqtpl"), f"{LONG} zqtplbody")
    author, buyer, fan = _account(ctx, "zqauthor"), _account(ctx, "zqbuyer"), _account(ctx, "zqfan")

    # An idea that wins, gets a campaign, is made, shipped, listed, bought and reviewed.
    won = _idea(ctx, author, category, "zqw")
    moderation.approve(ctx, mod, won, hostile("zqapprove"))
    comment = cocreation.add_comment(ctx, fan, won, f"{LONG} zqcomment")
    cocreation.add_comment(ctx, author, won, f"{LONG} zqreply", comment)
    cocreation.flag(ctx, buyer, "comment", comment, hostile("zqflag"))
    suggestion = cocreation.propose_improvement(ctx, fan, won, f"{LONG} zqsuggest")
    cocreation.decide_improvement(ctx, author, suggestion, True)
    post_update(ctx, author, won, f"{LONG} zqupdate")
    assert support.support_idea(ctx, buyer, won) is True
    maker = _maker(ctx, mod, "zqm", verify=True)
    quote = makers.submit_quote(ctx, maker, won, unit_cost=900, moq=1, lead_time_days=10, notes=f"{LONG} zqquote")
    opening.consent_to_quote(ctx, author, quote)
    campaign = opening.open_campaign(ctx, mod, quote, days=10)
    preorders.place_preorder(ctx, buyer, campaign, quantity=1, card=CARD,
                             address=ShippingAddress.clean(name=hostile("zqaddr"), **ADDRESS))
    settlement.settle_campaign(replace(ctx, clock=lambda: ctx.now() + timedelta(days=11)), campaign)
    [paid] = orders.maker_orders(ctx, maker).orders
    orders.move_orders(ctx, maker, [paid.id], OrderStatus.IN_PRODUCTION)
    orders.move_orders(ctx, maker, [paid.id], OrderStatus.SHIPPED, "Zq & Co (Air)", "ZQ-12345")
    buyer_updates.post_buyer_update(ctx, maker, f"{LONG} zqbupdate", campaign_id=campaign)
    with ctx.uow() as uow:
        listing = uow.catalog.add_listing(won, maker.id, hostile("zqlisting"), f"{LONG} zqldesc", 1800,
                                          ctx.currency, stock=5, sold=0, now=utcnow())
        uow.commit()
    bought = checkout.buy_now(ctx, buyer, listing, quantity=1, card=CARD,
                              address=ShippingAddress.clean(name=hostile("zqaddr2"), **ADDRESS))
    with ctx.uow() as uow:
        uow.orders.move(bought, [OrderStatus.PAID], OrderStatus.DELIVERED, utcnow(), delivered_at=utcnow())
        uow.commit()
    review = reviews.add_review(ctx, buyer, bought, 4, f"{LONG} zqreview")
    reviews.reply_to_review(ctx, maker, review, f"{LONG} zqmreply")
    payouts.request_payout(ctx, maker, Money(100, ctx.currency))  # the admins' payout queue names the payee

    # A second winner whose quote the author agreed to: the moderators' "open a campaign" tab.
    second = _idea(ctx, author, category, "zqv")
    moderation.approve(ctx, mod, second)
    support.support_idea(ctx, fan, second)
    opening.consent_to_quote(ctx, author, makers.submit_quote(ctx, maker, second, unit_cost=900, moq=1,
                                                              lead_time_days=10, notes=f"{LONG} zqquote2"))
    # In the review queue; sent back with a reason; rejected with a reason.
    queued = _idea(ctx, author, category, "zqq")
    changes = _idea(ctx, author, category, "zqc")
    moderation.request_changes(ctx, mod, changes, hostile("zqchanges"))
    rejected = _idea(ctx, author, category, "zqr")
    moderation.reject(ctx, mod, rejected, hostile("zqreject"))
    # A maker application waiting for a moderator, and one declined with a reason.
    _maker(ctx, mod, "zqa", verify=None)
    declined = _maker(ctx, mod, "zqd", verify=False)
    # An address with markup is a valid e-mail address (no spaces): its verification e-mail waits in
    # the outbox. (Should the e-mail rules come to refuse it, there is nothing to show.)
    try:
        address = f"{MARK.replace(' ', '')}zqmail.{secrets.token_hex(3)}@evil.example"
        mailer: User | None = auth.sign_up(ctx, email=address, display_name="Mail Tester", password=PASSWORD)
    except InvalidInput:
        mailer = None

    w.users = {"visitor": None, "consumer": _fresh(ctx, buyer), "author": _fresh(ctx, author), "maker": maker,
               "declined": declined, "moderator": mod, "admin": admin, **({"mailer": mailer} if mailer else {})}
    ideas = {"idea": [won, second, queued, changes, rejected], "campaign": [campaign], "listing": [listing]}
    for name, user in w.users.items():
        pages = page_names_for(user) if name in ("visitor", "consumer", "moderator", "admin") else \
            {"author": ["my_ideas", "inbox", "account"], "maker": ["maker", "maker_orders"],
             "declined": ["maker"], "mailer": ["account"]}[name]
        w.visits += [(name, page, {}) for page in pages if page not in ideas]
        w.visits += [(name, page, {"id": str(i)}) for page, ids in ideas.items() for i in ids]
    w.visits += [("author", "submit_idea", {"edit": str(i)}) for i in (changes, won)]
    w.visits += [("consumer", "listing", {"id": str(listing), "review": str(bought)})]
    w.shown = {
        # members: names, ideas, conversation, makers, quotes, reviews
        "zqauthor", "zqbuyer", "zqfan", "zqwtitle", "zqwpitch", "zqwdesc", "zqcomment", "zqreply", "zqsuggest",
        "zqupdate", "zqmbiz", "zqmloc", "zqquote", "zqquote2", "zqbupdate", "zqlisting", "zqldesc", "zqreview",
        "zqmreply", "zqm", "zqvtitle", "zqqtitle", "zqqpitch", "zqqdesc", "zqctitle", "zqabiz", "zqacap", "zqaloc",
        "zqamdesc", "zqdnote",
        # staff: moderation notes, reasons, flag reasons, template titles, category names
        "zqapprove", "zqchanges", "zqreject", "zqflag", "zqtpl", "zqcaten", "zqcatko",
        *(["zqmail"] if mailer else []),
    }
    return w


def _texts(at: AppTest) -> Iterator[tuple[str, bool]]:
    """(text, is sanitised HTML) of everything Streamlit reads as Markdown: bodies of markdown,
    captions, headings, alerts and toasts, metric values, and labels and help of widgets, tabs,
    expanders, popovers and metrics. Options, values and placeholders are plain text and left out."""
    for node in _walk(at._tree):
        proto: Any = getattr(node, "proto", None)
        if proto is not None and isinstance(getattr(proto, "body", None), str):
            yield proto.body, bool(getattr(proto, "allow_html", False))
        for name in ("label", "help"):
            value = getattr(node, name, None)
            if isinstance(value, str) and value:
                yield value, False
        for name in ("label", "help"):
            value = getattr(proto, name, None) if proto is not None else None
            if isinstance(value, str) and value:
                yield value, False


def _check(at: AppTest, where: str, seen: set[str], problems: list[str]) -> None:
    assert not at.exception, (where, [e.message for e in at.exception])
    for text, is_html in _texts(at):
        if is_html:
            found = LIVE_IN_HTML.search(OUR_IMAGE.sub("", text))
            if found is not None:
                problems.append(f"{where}: {found.group(0)!r} is live in sanitised HTML: {text[:200]!r}")
        else:
            literal = CODE_SPAN.sub("", text)  # inside a code span Markdown shows text as typed
            problems += [f"{where}: {raw!r} reached Markdown unescaped: {text[:200]!r}"
                         for raw in RAW if raw in literal]
        seen.update(re.findall(r"zq[a-z0-9]+", text))


CODE_SPAN = re.compile(r"`[^`\n]*`")


def _app(ctx: AppContext, user: User | None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    if user is not None:
        password = DEMO_PASSWORD if user.email.endswith("@demo.cocreate.test") else PASSWORD
        for key, value in sign_in_state(ctx, user.email, password).items():
            at.session_state[key] = value
    return at.run()


def _open(at: AppTest, page: str, params: dict[str, str]) -> AppTest:
    at.query_params.clear()
    for name, value in params.items():
        at.query_params[name] = value
    return at.switch_page(f"pages/{page}.py").run()


SEARCH_BOXES = {"admin_users": "admin_users.q", "moderation": "mod.find"}  # lists that need a search to show ours


def test_no_page_passes_hostile_text_on_as_markdown_or_html(app_ctx, world):
    seen: set[str] = set()
    problems: list[str] = []
    apps: dict[str, AppTest] = {}
    for name, page, params in world.visits:
        at = apps.get(name) or apps.setdefault(name, _app(app_ctx, world.users[name]))
        where = f"{name} on {page} {params}"
        _check(_open(at, page, params), where, seen, problems)
        if page in SEARCH_BOXES:
            at.text_input(key=SEARCH_BOXES[page]).input("zq").run()
            _check(at, f"{where} searching", seen, problems)
        if page == "maker_orders":  # the buyer updates show once a campaign is picked
            box = at.selectbox(key="maker_orders.source")
            box.select_index(next(i for i, label in enumerate(box.options) if "zq" in label)).run()
            _check(at, f"{where} with a campaign picked", seen, problems)
    assert not problems, "\n".join(dict.fromkeys(problems))
    missing = world.shown - seen
    assert not missing, f"never shown (so never checked): {sorted(missing)}"


MARKDOWN_CHARACTERS = "\\`*_{}[]()#+-.!<>|~$:&="
_ESCAPABLE = re.escape(MARKDOWN_CHARACTERS)


@pytest.mark.parametrize("text", [":red[x] :material/home: :smile:", "&lt;b&gt; &amp;", "Title\n===", "$x^2$",
                                  "1) first\n2) second", "a | b\n--|--", "<http://e.io>", "~~gone~~ `code` #h"])
def test_plain_escapes_every_markdown_character(text):
    """Streamlit's Markdown also reads directives (`:red[...]`), icons and shortcodes, entities, setext
    headings and maths: each of those characters is escaped, nothing else changes."""
    escaped = plain(text)
    assert re.fullmatch(rf"(?:\\[{_ESCAPABLE}]|[^{_ESCAPABLE}])*", escaped, re.DOTALL), escaped
    assert re.sub(rf"\\([{_ESCAPABLE}])", r"\1", escaped) == text
