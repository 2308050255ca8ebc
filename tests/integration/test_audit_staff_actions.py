"""Every staff action that changes another person's rights, money or content writes one audit row,
in the transaction of the change (both databases): roles, suspensions, maker decisions, opened
campaigns, fee rates and settings, payouts, refunds by an admin, hiding, merging, e-mail sent again.

The last test finds the staff writes by the predicates they require, so a new one fails until it is
audited here."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from typing import Any

import pytest

from lib.domain.accounts import Role
from lib.domain.errors import InvalidInput
from lib.domain.money import Money
from lib.domain.orders import RefundTooLarge
from lib.services.accounts import admin, auth
from lib.services.campaigns import makers, opening
from lib.services.commerce import refunds
from lib.services.ideas import authoring, moderation, settings
from lib.services.ideas.ports import AuditEntry
from lib.services.ledger import books, payouts
from tests.integration.test_suspended_accounts import WRITES
from tests.journey_fixtures import dead_letter, fields
from tests.orders.conftest import campaign_orders


def rows(ctx: Any, after: int = 0) -> list[AuditEntry]:
    """Audit rows written after row `after`, oldest first."""
    with ctx.uow(write=False) as uow:
        return sorted((e for e in uow.moderation.audit(1000, 0, None, None) if e.id > after), key=lambda e: e.id)


def last_id(ctx: Any) -> int:
    found = rows(ctx)
    return found[-1].id if found else 0


def audited(ctx: Any, call: Callable[[], object]) -> list[tuple[int, str, str, int]]:
    """(actor, action, target type, target id) of the rows `call` wrote."""
    before = last_id(ctx)
    call()
    return [(e.actor_id, e.action, e.target_type, e.target_id) for e in rows(ctx, before)]


def test_granting_and_removing_roles_is_audited(ctx, person):
    boss, member = person(Role.ADMIN, name="Boss"), person(name="Member")
    assert audited(ctx, lambda: admin.set_roles(ctx, boss, member.id, {Role.MODERATOR, Role.MAKER})) == [
        (boss.id, "set_roles", "user", member.id)]
    [entry] = rows(ctx)
    assert entry.details == {"granted": ["maker", "moderator"], "removed": [],
                             "roles": ["consumer", "maker", "moderator"]}
    assert audited(ctx, lambda: admin.set_roles(ctx, boss, member.id, {Role.MAKER})) == [
        (boss.id, "set_roles", "user", member.id)]
    assert rows(ctx)[-1].details["removed"] == ["moderator"]
    assert audited(ctx, lambda: admin.set_roles(ctx, boss, member.id, {Role.MAKER})) == [], "nothing changed"


def test_a_refused_role_change_leaves_no_row(ctx, person):
    boss = person(Role.ADMIN, name="Boss")
    with pytest.raises(InvalidInput):
        admin.set_roles(ctx, boss, boss.id, set())
    assert rows(ctx) == []
    assert auth.get_user(ctx, boss.id).has(Role.ADMIN)  # type: ignore[union-attr]


def test_moderator_actions_are_audited(ctx, category, person):
    mod, author = person(Role.MODERATOR, name="Mod"), person(name="Author")
    first = authoring.create_idea(ctx, author, fields=fields(category, "A lamp that folds"), submit=True)
    second = authoring.create_idea(ctx, author, fields=fields(category, "A lamp that folds too"), submit=True)
    third = authoring.create_idea(ctx, author, fields=fields(category, "A third lamp"), submit=True)
    calls: list[tuple[Callable[[], object], str, str, int]] = [
        (lambda: moderation.approve(ctx, mod, first), "approve", "idea", first),
        (lambda: moderation.request_changes(ctx, mod, second, "Add a photo."), "request_changes", "idea", second),
        (lambda: moderation.reject(ctx, mod, third, "Not a product."), "reject", "idea", third),
        (lambda: moderation.set_visibility(ctx, mod, "idea", first, True, "Spam."), "hide", "idea", first),
        (lambda: moderation.set_visibility(ctx, mod, "idea", first, False), "restore", "idea", first),
        (lambda: moderation.set_suspended(ctx, mod, author.id, True, "Spam."), "suspend", "user", author.id),
        (lambda: moderation.set_suspended(ctx, mod, author.id, False), "unsuspend", "user", author.id),
    ]
    for call, action, target_type, target_id in calls:
        assert audited(ctx, call) == [(mod.id, action, target_type, target_id)], action
    template: list[int] = []
    assert audited(ctx, lambda: template.append(moderation.save_reason_template(ctx, mod, "Duplicate", "See #1."))) \
        == [(mod.id, "save_template", "template", template[0] if template else -1)]
    duplicate = authoring.create_idea(ctx, author, fields=fields(category, "A lamp folding"), submit=True)
    moderation.approve(ctx, mod, duplicate)
    assert audited(ctx, lambda: moderation.merge(ctx, mod, duplicate, first)) == [
        (mod.id, "merge", "idea", duplicate)]


def test_maker_decisions_and_opened_campaigns_are_audited(pctx, winning_idea, person):
    mod = person(Role.MODERATOR, name="Mod")
    maker, declined = person(name="Maker"), person(name="Declined")
    for who in (maker, declined):
        makers.apply_as_maker(pctx, who, business_name=f"{who.display_name} Co", description="Things.",
                              capabilities="sewing", location="Busan")
    assert audited(pctx, lambda: makers.decide_maker(pctx, mod, maker.id, True)) == [
        (mod.id, "verify_maker", "user", maker.id)]
    assert audited(pctx, lambda: makers.decide_maker(pctx, mod, declined.id, False, "No samples.")) == [
        (mod.id, "decline_maker", "user", declined.id)]
    idea_id, author = winning_idea
    quote = makers.submit_quote(pctx, auth.get_user(pctx, maker.id), idea_id, unit_cost=1000, moq=2,
                                lead_time_days=10)
    opening.consent_to_quote(pctx, author, quote)
    campaign: list[int] = []
    assert audited(pctx, lambda: campaign.append(opening.open_campaign(pctx, mod, quote, cap_units=10,
                                                                       per_account_limit=2))) == [
        (mod.id, "open_campaign", "idea", idea_id)]
    details = rows(pctx)[-1].details
    assert details["campaign"] == campaign[0] and details["cap"] == 10 and details["per_account_limit"] == 2


def test_settings_and_fee_rates_are_audited(ctx, person):
    boss = person(Role.ADMIN, name="Boss")
    assert audited(ctx, lambda: settings.update_support_window(ctx, boss, 45)) == [
        (boss.id, "set_support_window", "setting", 0)]
    saved: list[int] = []
    assert audited(ctx, lambda: saved.append(settings.save_category(
        ctx, boss, slug="garden", name_en="Garden", name_ko="정원", threshold=40))) == [
        (boss.id, "save_category", "category", saved[0] if saved else -1)]
    assert audited(ctx, lambda: books.update_rates(ctx, boss, platform_fee_bps=900)) == [
        (boss.id, "set_rates", "setting", 0)]


def test_payouts_and_an_admins_refund_are_audited_a_makers_own_is_not(pctx, funded_campaign, maker, person):
    campaign_id, _ = funded_campaign(backers=2)
    first, second = campaign_orders(pctx, campaign_id)
    boss = person(Role.ADMIN, name="Boss")

    assert audited(pctx, lambda: refunds.refund_order(pctx, maker, first.id, Money(100, "USD"))) == []
    assert audited(pctx, lambda: refunds.refund_order(pctx, boss, second.id, Money(200, "USD"), "Broken")) == [
        (boss.id, "refund_order", "order", second.id)]
    assert rows(pctx)[-1].details["amount"] == 200 and rows(pctx)[-1].reason == "Broken"
    with pytest.raises(RefundTooLarge):  # refused: no refund, and no row
        audited(pctx, lambda: refunds.refund_order(pctx, boss, second.id, Money(10**9, "USD")))
    assert rows(pctx)[-1].action == "refund_order" and len([r for r in rows(pctx) if r.action == "refund_order"]) == 1

    paid = payouts.request_payout(pctx, maker, Money(300, "USD"))
    declined = payouts.request_payout(pctx, maker, Money(100, "USD"))
    assert audited(pctx, lambda: payouts.mark_payout_paid(pctx, boss, paid, "BANK-1")) == [
        (boss.id, "mark_payout_paid", "payout", paid)]
    assert audited(pctx, lambda: payouts.reject_payout(pctx, boss, declined, "Wrong account.")) == [
        (boss.id, "reject_payout", "payout", declined)]


def test_sending_a_dead_letter_again_is_audited(ctx, person):
    boss = person(Role.ADMIN, name="Boss")
    message = dead_letter(ctx, "someone@example.com", error="550")
    assert audited(ctx, lambda: admin.retry_email(ctx, boss, message)) == [(boss.id, "retry_email", "email", message)]
    with pytest.raises(InvalidInput):  # not a dead letter any more: refused, no row
        admin.retry_email(ctx, boss, message)
    assert len(rows(ctx)) == 1


# Staff writes and the test above that proves each is audited.
AUDITED = {
    "accounts.admin.set_roles", "accounts.admin.retry_email", "campaigns.makers.decide_maker",
    "campaigns.opening.open_campaign", "commerce.refunds.refund_order", "ideas.moderation.approve",
    "ideas.moderation.reject", "ideas.moderation.request_changes", "ideas.moderation.set_visibility",
    "ideas.moderation.set_suspended", "ideas.moderation.merge", "ideas.moderation.save_reason_template",
    "ideas.settings.update_support_window", "ideas.settings.save_category", "ledger.books.update_rates",
    "ledger.payouts.mark_payout_paid", "ledger.payouts.reject_payout",
}
STAFF_PREDICATES = ("can_moderate", "can_manage_roles", "can_edit_settings", "can_decide_payouts",
                    "can_retry_email", "can_refund_order")


def test_every_staff_write_is_audited() -> None:
    """A write that requires a staff predicate (or an admin's refund) is a staff action."""
    staff_writes = set()
    for name in WRITES:
        module_name, function = name.rsplit(".", 1)
        module = importlib.import_module(f"lib.services.{module_name}")
        source = inspect.getsource(getattr(module, function))
        for helper in set(re.findall(r"\b(_[a-z]\w*)\(", source)) & set(vars(module)):  # what it delegates to
            source += inspect.getsource(getattr(module, helper))
        if any(f"require({predicate}" in source for predicate in STAFF_PREDICATES):
            staff_writes.add(name)
    assert sorted(staff_writes - AUDITED) == [], "a staff action without its audit row (and test)"
    assert sorted(AUDITED - staff_writes) == []
