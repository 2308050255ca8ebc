"""Property: generated hostile text (control characters, ANSI escapes, bidi, lone surrogates, NUL,
zero-width, huge strings, mixed with ordinary text) sent to every user-writable service is either
a named, translated error that writes nothing, or is stored normalised. Never an unhandled
exception. On a real SQLite database (the other file runs fixed samples on PostgreSQL too)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lib.adapters.db import migrate
from lib.adapters.db.engine import make_engine
from lib.domain.errors import DomainError
from lib.i18n import catalogue
from tests.integration.hostile import TARGETS, Target, World, build_world, counts

EN = catalogue("en")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MARKS = set("\u200e\u200f\u061c")

HOSTILE = ["\x00", "\x01", "\x08", "\x0b", "\x1b[31m", "\x1b]0;owned\x07", "\x7f", "\x85", "\x9b", "\u202e", "\u202a",
           "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\u2060", "\ufeff", "\u3164", "\u115f",
           "\u2800", "\ud800", "\udfff", "\ud83d", "\r\n", "\r", "\n", "\t", "\u2028", "\u2029", " ", "\u00a0",
           "\u3000", "e\u0301", "\u1100\u1161", "<script>", "**", "[x](javascript:1)", "#"]
ORDINARY = ["Folding stool", "접이식 의자", "A good idea", "CJ-1234567", "Mina", "🦊", "Zoë", "12"]
HUGE = ["x" * 25_000, "가 " * 11_000, "\u200b" * 40_000, "\x00" * 30_000]

# Ordinary words wrapped in what the gate strips or normalises (edges of whitespace and zero-width
# characters, decomposed accents, CR LF, runs of spaces), so that many examples are accepted...
EDGE = st.sampled_from(["", " ", "  ", "\t", "\n", "\r\n", "\u200b", "\ufeff", "\u00a0", "\u3000", "\u3164"])
INNER = st.sampled_from(["", " ", "   ", "\u00a0", "e\u0301", "\u1100\u1161", "\r\n", "\n", "\t", "\u200d", "-"])
WORD = st.one_of(st.sampled_from(ORDINARY),
                 st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), min_size=1, max_size=8))
benign = st.tuples(EDGE, WORD, INNER, WORD, EDGE).map("".join)
# ... and hostile pieces mixed with ordinary text, and huge strings.
piece = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(ORDINARY), st.text(max_size=8),
                  st.characters(codec="utf-8"))
mixed = st.lists(piece, min_size=1, max_size=12).map("".join)
huge = st.tuples(st.lists(piece, max_size=3).map("".join), st.sampled_from(HUGE)).map("".join)
hostile_text = st.one_of(benign, benign, mixed, mixed, huge)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """One marketplace for every example (the examples add to it; each checks only its own call)."""
    from dataclasses import replace

    from lib.domain.accounts import Role
    from lib.services.accounts import auth
    from lib.services.campaigns import makers, opening, preorders, settlement
    from lib.services.ideas import authoring, moderation, support
    from tests.commerce_fixtures import ADDRESS, GOOD, FakeGateway, past_deadline
    from tests.conftest import make_context
    from tests.journey_fixtures import fields

    tmp = tmp_path_factory.mktemp("hostile")
    engine = make_engine(f"sqlite:///{tmp / 'hostile.db'}")
    migrate.upgrade(engine)
    ctx = replace(make_context(engine, Path(tmp / "images")), payments=FakeGateway())
    n = iter(range(1, 10_000))

    def person(*roles: Role, name: str = "Person"):  # type: ignore[no-untyped-def]
        i = next(n)
        return auth.sign_up(ctx, email=f"p{i}@example.com", display_name=f"{name} {i}", password="long-enough-pw",
                            roles={Role.CONSUMER, *roles}, verified=True)

    with ctx.uow() as uow:
        category = uow.catalog.add_category("things", "Things", "물건", 1)
        uow.commit()
    maker = person(name="Maker")
    makers.apply_as_maker(ctx, maker, business_name="Mira Works", description="Sewing.", capabilities="sewing",
                          location="Busan")
    makers.decide_maker(ctx, person(Role.MODERATOR), maker.id, True)
    maker = auth.get_user(ctx, maker.id)

    def funded_campaign(backers: int = 3):  # type: ignore[no-untyped-def]
        from lib.domain.campaigns import ShippingAddress

        author, mod = person(name="Creator"), person(Role.MODERATOR)
        idea_id = authoring.create_idea(ctx, author, fields=fields(category), submit=True)
        moderation.approve(ctx, mod, idea_id)
        support.support_idea(ctx, person(), idea_id)
        quote_id = makers.submit_quote(ctx, maker, idea_id, unit_cost=1000, moq=backers, lead_time_days=20)
        opening.consent_to_quote(ctx, author, quote_id)
        campaign_id = opening.open_campaign(ctx, mod, quote_id)
        people = [person(name="Backer") for _ in range(backers)]
        for backer in people:
            preorders.place_preorder(ctx, backer, campaign_id, quantity=1, address=ShippingAddress.clean(**ADDRESS),
                                     card=GOOD)
        past_deadline(engine, campaign_id)
        settlement.settle_campaign(ctx, campaign_id)
        return campaign_id, people

    return build_world(ctx, engine, person, category, maker, funded_campaign)  # type: ignore[arg-type]


def assert_normalised(value: str, target: Target) -> None:
    """What the gate promises of every stored text."""
    multi = target.kind == "multi_line"
    value.encode("utf-8")  # no lone surrogate survives
    assert unicodedata.is_normalized("NFC", value), repr(value)
    assert value == value.strip(), repr(value[:40])
    assert len(value) <= target.limit
    for ch in value:
        assert unicodedata.category(ch) != "Cc" or (multi and ch in "\n\t"), repr(value[:80])
        assert ch not in BIDI, repr(value[:80])
        assert multi or ch not in MARKS, repr(value[:80])
    assert "\r" not in value


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(raw=hostile_text)
def test_hostile_text_is_refused_by_name_or_stored_normalised(world: World, target: Target, raw: str) -> None:
    prep = target.prepare(world)
    before, stored_before = counts(world.engine), target.read(world, None, prep)
    try:
        result = target.call(world, raw, prep)
    except DomainError as exc:
        event(f"refused: {exc.key}")
        assert exc.key in EN, exc.key  # translated
        assert counts(world.engine) == before, f"{target.name}: a refusal wrote rows"
        assert target.read(world, None, prep) == stored_before, f"{target.name}: a refusal changed what was stored"
        return
    stored = target.read(world, result, prep)
    event("accepted")
    if stored is not None:
        assert_normalised(stored, target)
    else:  # only searches store nothing, and optional notes that were left empty
        assert target.kind == "query" or not target.required, target.name
    target.reset(world, result, prep)
