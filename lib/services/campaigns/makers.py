"""Makers: apply with a profile, get verified by a moderator, quote on winning ideas."""

from __future__ import annotations

from collections.abc import Sequence

from lib.domain.accounts import Role, User
from lib.domain.campaigns import (
    MakerApplication,
    MakerProfile,
    MakerStatus,
    NotVerifiedMaker,
    Quote,
    QuoteStatus,
    check_quote,
)
from lib.domain.errors import InvalidInput, NotFound, found
from lib.domain.ideas import IdeaStatus
from lib.domain.money import Money
from lib.domain.permissions import can_moderate, can_revise_quote, can_write, is_signed_in, require
from lib.domain.text import multi_line, one_line
from lib.services import audit
from lib.services.context import AppContext
from lib.services.ideas.ports import IdeaCard
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link
from lib.services.uow import AbstractUnitOfWork

MAX_SAMPLES = 6
MAKER_NOTE_MAX = 2000


def apply_as_maker(ctx: AppContext, actor: User | None, *, business_name: str, description: str,
                   capabilities: str, location: str, samples: Sequence[bytes] = ()) -> None:
    """Send (or resend) a maker profile for a moderator to verify."""
    user = require(can_write, actor)
    business_name = one_line(business_name, 120, required="error.business_name_required")
    description = multi_line(description, 5000, required="error.maker_description_required")
    capabilities = one_line(capabilities, 500, required="error.capabilities_required")
    location = one_line(location, 120, required="error.location_required")
    if len(samples) > MAX_SAMPLES:
        raise InvalidInput("error.too_many_images", max=MAX_SAMPLES)
    if samples and ctx.process_image is None:
        raise InvalidInput("error.images_unavailable")
    keys = [ctx.process_image(data).display_key for data in samples] if ctx.process_image else []
    with ctx.uow() as uow:
        current = uow.campaigns.maker_profile(user.id)
        if current is not None and current.status is MakerStatus.VERIFIED:
            raise InvalidInput("error.already_verified")
        uow.campaigns.save_maker_profile(user.id, MakerApplication(business_name, description, capabilities,
                                                                   location, tuple(keys)), ctx.now())
        uow.commit()


def my_maker_profile(ctx: AppContext, actor: User | None) -> MakerProfile | None:
    if actor is None:
        return None
    with ctx.uow(write=False) as uow:
        return uow.campaigns.maker_profile(actor.id)


def maker_applications(ctx: AppContext, actor: User | None) -> list[MakerProfile]:
    require(can_moderate, actor)
    with ctx.uow(write=False) as uow:
        return uow.campaigns.maker_profiles(MakerStatus.PENDING)


def decide_maker(ctx: AppContext, actor: User | None, user_id: int, verify: bool, note: str = "") -> None:
    """Verify (grants the maker role) or decline a pending profile; audited."""
    moderator = require(can_moderate, actor)
    note = multi_line(note, MAKER_NOTE_MAX, required=None if verify else "error.reason_required",
                      too_long="error.reason_too_long")
    with ctx.uow() as uow:
        status = MakerStatus.VERIFIED if verify else MakerStatus.DECLINED
        if not uow.campaigns.decide_maker(user_id, status, note, ctx.now()):
            raise InvalidInput("error.maker_not_pending")
        user = found(uow.users.get(user_id))
        if verify:
            uow.users.set_roles(user_id, user.roles | {Role.MAKER})
        notify(ctx, uow, user_id, "maker_verified" if verify else "maker_declined", reason=note)
        audit.record(ctx, uow, moderator, "verify_maker" if verify else "decline_maker", "user", user_id, note)
        uow.commit()


def check_verified_maker(uow: AbstractUnitOfWork, user: User) -> User:
    """The user, when a moderator verified their maker profile and they hold the maker role."""
    profile = uow.campaigns.maker_profile(user.id)
    if profile is None or profile.status is not MakerStatus.VERIFIED or not user.has(Role.MAKER):
        raise NotVerifiedMaker()
    return user


def verified_maker(uow: AbstractUnitOfWork, actor: User | None) -> User:
    """A verified maker who may write (not suspended): what every maker action requires."""
    return check_verified_maker(uow, require(can_write, actor))


def winning_ideas(ctx: AppContext, actor: User | None, limit: int = 50) -> list[IdeaCard]:
    """Ideas makers can quote on (winning), most supported first (a read: suspended makers too)."""
    with ctx.uow(write=False) as uow:
        check_verified_maker(uow, require(is_signed_in, actor))
        return uow.ideas.feed([IdeaStatus.WINNING], "", None, limit, 0, "top", ctx.now())


def submit_quote(ctx: AppContext, actor: User | None, idea_id: int, *, unit_cost: int, moq: int,
                 lead_time_days: int, notes: str = "", images: Sequence[bytes] = ()) -> int:
    """A verified maker's offer on a winning idea: unit cost, MOQ, lead time, notes, images."""
    notes = check_quote(unit_cost, moq, lead_time_days, notes)
    require(can_write, actor)  # before any image is stored: a suspended account leaves nothing behind
    keys = [ctx.process_image(data).display_key for data in images] if images and ctx.process_image else []
    with ctx.uow() as uow:
        maker = verified_maker(uow, actor)
        idea = uow.idea_repo.get(idea_id)
        if idea is None or idea.hidden:
            raise NotFound()
        if idea.status is not IdeaStatus.WINNING:
            raise InvalidInput("error.idea_not_quotable")
        if any(q.maker_id == maker.id and q.status is QuoteStatus.OPEN for q in uow.campaigns.quotes_for_idea(idea_id)):
            raise InvalidInput("error.quote_exists")
        quote_id = uow.campaigns.add_quote(idea_id, maker.id, Money(unit_cost, ctx.currency), moq, lead_time_days,
                                           notes, keys, ctx.now())
        notify(ctx, uow, idea.author_id, "new_quote", link=idea_link(idea_id), title=idea.title)
        uow.commit()
    return quote_id


def _own_open_quote(uow: AbstractUnitOfWork, actor: User | None, quote_id: int) -> Quote:
    maker = verified_maker(uow, actor)
    quote = found(uow.campaigns.quote(quote_id))
    require(can_revise_quote, maker, quote)
    if quote.status is not QuoteStatus.OPEN:
        raise InvalidInput("error.quote_closed")
    return quote


def revise_quote(ctx: AppContext, actor: User | None, quote_id: int, *, unit_cost: int, moq: int,
                 lead_time_days: int, notes: str = "") -> None:
    notes = check_quote(unit_cost, moq, lead_time_days, notes)
    with ctx.uow() as uow:
        _own_open_quote(uow, actor, quote_id)
        if not uow.campaigns.revise_quote(quote_id, Money(unit_cost, ctx.currency), moq, lead_time_days,
                                          notes, ctx.now()):
            raise InvalidInput("error.quote_closed")
        uow.commit()


def withdraw_quote(ctx: AppContext, actor: User | None, quote_id: int) -> None:
    with ctx.uow() as uow:
        _own_open_quote(uow, actor, quote_id)
        if not uow.campaigns.set_quote_status(quote_id, QuoteStatus.OPEN, QuoteStatus.WITHDRAWN, ctx.now()):
            raise InvalidInput("error.quote_closed")
        uow.commit()


def quotes_for_idea(ctx: AppContext, idea_id: int) -> list[Quote]:
    with ctx.uow(write=False) as uow:
        return uow.campaigns.quotes_for_idea(idea_id)


def my_quotes(ctx: AppContext, actor: User | None) -> list[Quote]:
    """My quotes (a read: suspended makers see theirs too)."""
    with ctx.uow(write=False) as uow:
        maker = check_verified_maker(uow, require(is_signed_in, actor))
        return uow.campaigns.quotes_by_maker(maker.id)
