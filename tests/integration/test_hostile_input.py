"""Hostile text, numbers beyond the database's range, unknown choices and names that impersonate:
each is a named, translated error on SQLite and PostgreSQL, and nothing is written.

Before the gate, NUL bytes and lone surrogates crashed PostgreSQL (ValueError, UnicodeEncodeError)
and were stored as typed on SQLite, as were bidi overrides and ANSI escapes; amounts past BIGINT
raised OverflowError or "bigint out of range"; `OrderStatus("teleported")` was a ValueError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError, InvalidCredentials
from lib.domain.ideas import IdeaFields
from lib.domain.money import Money
from lib.i18n import catalogue
from lib.services.accounts import admin, auth
from lib.services.campaigns import makers, opening, preorders
from lib.services.commerce import checkout, orders, refunds, shop
from lib.services.ideas import authoring, browse, settings, support
from lib.services.ledger import payouts
from tests.commerce_fixtures import ADDRESS, GOOD
from tests.integration.hostile import PASSWORD, TARGETS, Target, World, build_world, counts, scalar

EN = catalogue("en")


@pytest.fixture
def world(pctx, engine, person, category, maker, funded_campaign) -> World:  # type: ignore[no-untyped-def]
    return build_world(pctx, engine, person, category, maker, funded_campaign)


def refused_cleanly(w: World, call: Callable[[], Any], read: Callable[[], Any] = lambda: None) -> DomainError:
    """`call` raises a named, translated DomainError and leaves every table (and `read()`) as it was."""
    before, stored = counts(w.engine), read()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.key in EN, caught.value.key
    assert counts(w.engine) == before
    assert read() == stored
    return caught.value


def _bad_values(target: Target) -> list[str]:
    values = [f"Fine{bad}words" for bad in ("\x00", "\ud800", "\u202e", "\u2066", "\x1b[31m", "\x7f", "\x9b")]
    if target.kind != "multi_line":
        values += ["Fine\nwords", "Fine\r\nwords", "Fine\u200ewords"]
    if target.required:
        values += ["\u200b\u200b\u200b\u200b\u200b", "\u3164 \u3164"]
    if target.kind != "query":
        values.append("x" * (target.limit + 1))
    return values


def test_hostile_text_in_every_field_is_a_named_error_and_writes_nothing(world: World) -> None:
    problems = []
    for target in TARGETS:
        for value in _bad_values(target):
            prep = target.prepare(world)
            try:
                refused_cleanly(world, lambda t=target, v=value, p=prep: t.call(world, v, p),  # type: ignore[misc]
                                lambda t=target, p=prep: t.read(world, None, p))  # type: ignore[misc]
            except BaseException as exc:  # noqa: BLE001 - collect every field's failure, then report them all
                problems.append(f"{target.name} <- {value[:20]!r}: {exc.__class__.__name__}: {str(exc)[:120]}")
    assert problems == []


def test_ordinary_text_still_goes_through_every_field(world: World) -> None:
    for n, target in enumerate(TARGETS):
        prep = target.prepare(world)
        value = {"sign-up e-mail": "ordinary", "tracking number": "CJ-1234567"}.get(target.name, f"Arrived safely {n}")
        result = target.call(world, value if target.kind == "email" else f"  {value}  ", prep)
        stored = target.read(world, result, prep)
        if target.kind != "query":
            assert stored is not None and value.lower() in stored.lower(), (target.name, stored)
        target.reset(world, result, prep)


# ---- numbers beyond what the database holds ---------------------------------------------------

HUGE = 10**20  # past BIGINT (2**63 - 1): OverflowError on SQLite, "bigint out of range" on PostgreSQL


def test_amounts_beyond_the_bound_are_named_errors(world: World) -> None:
    w, usd = world, world.ctx.currency
    fields = {"title": "A folding stool for trains", "pitch": "Sit anywhere.", "description_md": "It folds.",
              "category_id": w.category}
    for price in ("target_price_min", "target_price_max"):
        refused_cleanly(w, lambda p=price: authoring.create_idea(  # type: ignore[misc]
            w.ctx, w.author, fields=IdeaFields.clean(**fields, **{p: HUGE})))
    refused_cleanly(w, lambda: support.support_idea(w.ctx, w.fan, w.idea, quantity=1, max_price=HUGE))
    refused_cleanly(w, lambda: makers.submit_quote(w.ctx, w.maker, w.quotable, unit_cost=HUGE, moq=5,
                                                   lead_time_days=10))
    refused_cleanly(w, lambda: makers.revise_quote(w.ctx, w.maker, w.quote, unit_cost=HUGE, moq=5, lead_time_days=10),
                    lambda: scalar(w.engine, "SELECT unit_cost FROM quotes WHERE id = :id", id=w.quote))
    refused_cleanly(w, lambda: shop.update_listing(w.ctx, w.maker, w.listing, price=Money(HUGE, usd)),
                    lambda: scalar(w.engine, "SELECT price FROM listings WHERE id = :id", id=w.listing))
    refused_cleanly(w, lambda: refunds.refund_order(w.ctx, w.maker, w.order_paid, Money(HUGE, usd)))
    refused_cleanly(w, lambda: payouts.request_payout(w.ctx, w.maker, Money(HUGE, usd)))
    consented = makers.submit_quote(w.ctx, w.maker, w.quotable, unit_cost=800, moq=5, lead_time_days=10)
    opening.consent_to_quote(w.ctx, w.author, consented)
    refused_cleanly(w, lambda: opening.open_campaign(w.ctx, w.mod, consented, price=HUGE))
    refused_cleanly(w, lambda: opening.open_campaign(w.ctx, w.mod, consented, cap_units=2**40))  # past INTEGER


def test_quantities_beyond_the_bound_are_named_errors(world: World) -> None:
    w = world
    address = ShippingAddress.clean(**ADDRESS)
    refused_cleanly(w, lambda: checkout.buy_now(w.ctx, w.fan, w.listing, quantity=HUGE, address=address, card=GOOD))
    refused_cleanly(w, lambda: preorders.place_preorder(w.ctx, w.fan, w.campaign, quantity=HUGE, address=address,
                                                        card=GOOD))
    refused_cleanly(w, lambda: support.support_idea(w.ctx, w.fan, w.idea, quantity=HUGE, max_price=100))
    refused_cleanly(w, lambda: makers.revise_quote(w.ctx, w.maker, w.quote, unit_cost=900, moq=2**40,
                                                   lead_time_days=10))
    refused_cleanly(w, lambda: shop.update_listing(w.ctx, w.maker, w.listing, per_account_limit=2**40))
    # Adding stock again and again must not carry it past the bound (and, in the end, past INTEGER).
    refused_cleanly(w, lambda: shop.update_listing(w.ctx, w.maker, w.listing, add_stock=1_000_000),
                    lambda: scalar(w.engine, "SELECT stock FROM listings WHERE id = :id", id=w.listing))


# ---- unknown choices --------------------------------------------------------------------------


def test_unknown_statuses_and_roles_are_named_errors(world: World) -> None:
    w = world
    refused_cleanly(w, lambda: orders.maker_orders(w.ctx, w.maker, "teleported"))
    refused_cleanly(w, lambda: orders.move_orders(w.ctx, w.maker, [w.order_paid], "teleported", "CJ", "CJ-1234567"),
                    lambda: scalar(w.engine, "SELECT status FROM orders WHERE id = :id", id=w.order_paid))
    refused_cleanly(w, lambda: shop.update_listing(w.ctx, w.maker, w.listing, status="gone"),  # type: ignore[arg-type]
                    lambda: scalar(w.engine, "SELECT status FROM listings WHERE id = :id", id=w.listing))
    refused_cleanly(w, lambda: browse.browse_ideas(w.ctx, statuses=["teleported"]))
    refused_cleanly(w, lambda: admin.set_roles(w.ctx, w.admin, w.fan.id, {"overlord"}))  # type: ignore[arg-type]
    assert auth.get_user(w.ctx, w.fan.id).roles == {Role.CONSUMER}  # type: ignore[union-attr]


# ---- names that impersonate -------------------------------------------------------------------


def _sign_up(ctx, name: str, email: str | None = None) -> User:  # type: ignore[no-untyped-def]
    email = email or f"{abs(hash(name)) % 10**8}-{len(name)}@example.com"
    return auth.sign_up(ctx, email=email, display_name=name, password=PASSWORD)


RESERVED = ["Cocreate", "admin", "ADMIN", "Аdmin", "Ａｄｍｉｎ", "Moderator", "Staff", "Support", "Administrator",
            "관리자", "운영자", "코크리에이트", "Cocreate Support"]
LOOK_ALIKES = ["Mina Kim", "mina kim", "MINA  KIM", "Mina-Kim", "Mіna Kіm", "Мina Кim", "M1na K1m", "Mina\u200bKim",
               "Ｍｉｎａ Ｋｉｍ"]


def _refused(call: Callable[[], Any], key: str) -> None:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.key == key


def test_a_name_of_the_platform_or_its_staff_is_refused(ctx, engine) -> None:  # type: ignore[no-untyped-def]
    user = _sign_up(ctx, "Plain Person")
    rows = counts(engine)
    for name in RESERVED:
        _refused(lambda n=name: _sign_up(ctx, n), "error.display_name_reserved")  # type: ignore[misc]
        _refused(lambda n=name: auth.update_profile(ctx, user, display_name=n, locale="en"),  # type: ignore[misc]
                 "error.display_name_reserved")
    assert counts(engine) == rows
    assert auth.get_user(ctx, user.id).display_name == "Plain Person"  # type: ignore[union-attr]


def test_a_name_that_passes_for_another_accounts_is_refused(ctx, engine) -> None:  # type: ignore[no-untyped-def]
    _sign_up(ctx, "Mina Kim", "mina@example.com")
    someone = _sign_up(ctx, "Someone Else", "someone@example.com")
    rows = counts(engine)
    for i, look_alike in enumerate(LOOK_ALIKES):  # a new address each time: the sign-up throttle counts per address
        _refused(lambda n=look_alike, i=i: _sign_up(ctx, n, f"other{i}@example.com"),  # type: ignore[misc]
                 "error.display_name_taken")
        _refused(lambda n=look_alike: auth.update_profile(ctx, someone, display_name=n, locale="en"),  # type: ignore[misc]
                 "error.display_name_taken")
    assert counts(engine) == rows
    assert auth.get_user(ctx, someone.id).display_name == "Someone Else"  # type: ignore[union-attr]


def test_keeping_or_restyling_ones_own_name_is_fine(ctx) -> None:  # type: ignore[no-untyped-def]
    mina = _sign_up(ctx, "Mina Kim", "mina@example.com")
    assert auth.update_profile(ctx, mina, display_name="Mina Kim", locale="ko").locale == "ko"
    assert auth.update_profile(ctx, mina, display_name="mina KIM", locale="ko").display_name == "mina KIM"
    assert _sign_up(ctx, "Mina Kims", "kims@example.com").display_name == "Mina Kims"


def test_the_operator_may_name_the_first_admin_admin(ctx) -> None:  # type: ignore[no-untyped-def]
    root = admin.create_admin(ctx, email="root@example.com", display_name="Admin", password=PASSWORD)
    assert root.display_name == "Admin"
    with pytest.raises(DomainError) as caught:
        admin.create_admin(ctx, email="second@example.com", display_name="admin", password=PASSWORD)
    assert caught.value.key == "error.display_name_taken"


# ---- passwords that cannot be hashed ----------------------------------------------------------


def test_a_password_with_a_lone_surrogate_is_refused_not_a_crash(ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        auth.sign_up(ctx, email="ann@example.com", display_name="Ann", password="long enough \ud800 password")
    assert caught.value.key == "error.text_surrogate"
    auth.sign_up(ctx, email="ann@example.com", display_name="Ann", password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="ann@example.com", password="long enough \ud800 password")
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="ann\ud800@example.com", password=PASSWORD)


def test_a_category_slug_is_ascii_letters_digits_and_dashes(world: World) -> None:
    w = world
    for slug in ("²", "things²", "가구", "thing\x00s", "thing s", "-" * 41):
        refused_cleanly(w, lambda s=slug: settings.save_category(w.ctx, w.admin, slug=s, name_en="Things",  # type: ignore[misc]
                                                                 name_ko="물건", threshold=1),
                        lambda: scalar(w.engine, "SELECT count(*) FROM categories"))
    refused_cleanly(w, lambda: settings.save_category(w.ctx, w.admin, slug="big", name_en="Big", name_ko="큰",
                                                      threshold=2**40))
    assert settings.save_category(w.ctx, w.admin, slug=" Home-Goods2 ", name_en=" Home  goods ", name_ko="생활용품",
                                  threshold=3) > 0


def test_an_account_named_before_the_rules_can_still_switch_its_language(ctx, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from lib.adapters.db.schema import core as t

    old = _sign_up(ctx, "Old Timer", "old@example.com")
    with engine.begin() as conn:  # stored before the gate existed
        conn.execute(update(t.users).where(t.users.c.id == old.id).values(display_name="Admin \u202eevil"))
    legacy = auth.get_user(ctx, old.id)
    assert auth.update_profile(ctx, legacy, display_name=legacy.display_name, locale="ko").locale == "ko"
    _refused(lambda: auth.update_profile(ctx, legacy, display_name="Admin \u202eeviler", locale="ko"),
             "error.text_bidi")
