"""Seed the living demo marketplace (demo mode, or `python -m lib.cli seed-demo`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from lib.domain.accounts import Role, User
from lib.domain.campaigns import (
    CampaignStatus,
    MakerApplication,
    MakerStatus,
    NewCampaign,
    PreorderStatus,
    QuoteStatus,
    ShippingAddress,
    breakdown,
)
from lib.domain.errors import found
from lib.domain.ideas import Idea, IdeaStatus
from lib.domain.money import MINOR_UNIT_EXPONENT, Money
from lib.services.context import AppContext
from lib.services.demo.commerce import seed_commerce
from lib.services.demo.content import (
    CATEGORIES,
    COMMENTS,
    COMMENTS_KO,
    COMMUNITY,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    IDEAS,
    REASON_TEMPLATES,
    STAFF,
)
from lib.services.messaging.notifications import notify
from lib.services.routes import Screen, href
from lib.services.uow import AbstractUnitOfWork

log = logging.getLogger(__name__)
SEEDED_KEY = "demo_seeded"
DEMO_ADDRESS = ShippingAddress.clean(name="Demo Backer", line1="1 Sample Street", city="Seoul", postal_code="04524",
                                     country="KR")
SUPPORT_WINDOW = timedelta(days=60)
# Campaign-stage statuses and how their campaign looks.
_CAMPAIGN_STATE = {
    IdeaStatus.CAMPAIGN: "open", IdeaStatus.CAMPAIGN_FAILED: "failed", IdeaStatus.FUNDED: "funded",
    IdeaStatus.IN_PRODUCTION: "funded", IdeaStatus.FULFILLED: "funded", IdeaStatus.LISTED: "funded",
}
_NOT_YET_PUBLIC = {IdeaStatus.DRAFT, IdeaStatus.PENDING_REVIEW, IdeaStatus.CHANGES_REQUESTED,
                   IdeaStatus.REJECTED}


def demo_email(handle: str) -> str:
    return f"{handle.lower()}@{DEMO_DOMAIN}"


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role label, e-mail, password) for the sign-in page while demo mode is on."""
    return [(roles[-1], demo_email(handle), DEMO_PASSWORD) for handle, _name, roles in STAFF]


def _amount(ctx: AppContext, usd_cents: int) -> int:
    """Demo prices are written in US cents; a KRW deployment gets about 13 won a cent."""
    return usd_cents if MINOR_UNIT_EXPONENT[ctx.currency] == 2 else usd_cents * 13


def seed_if_empty(ctx: AppContext) -> bool:
    """Seed once; returns False when the database already has a demo (or any idea)."""
    with ctx.uow(write=False) as uow:
        if uow.settings.get(SEEDED_KEY) or uow.catalog.count_ideas():
            return False
    seed(ctx)
    return True


def seed(ctx: AppContext) -> dict[str, int]:
    """Write the whole demo in one transaction: all of it or none of it."""
    covers = {}
    if ctx.make_cover is not None:
        for title, *_rest in IDEAS:
            covers[title] = ctx.images.put(ctx.make_cover(title, title), "webp")
    password_hash = ctx.hasher.hash(DEMO_PASSWORD)
    now = ctx.now()
    with ctx.uow() as uow:
        if uow.settings.get(SEEDED_KEY):
            return {}
        people: dict[str, User] = {}
        for i, (handle, name, roles) in enumerate(STAFF + [(n, n, ("consumer",)) for n in COMMUNITY]):
            people[handle] = uow.users.add(User(
                id=0, email=demo_email(handle), display_name=name, password_hash=password_hash,
                referral_code=f"DEMO{i:04d}", roles={Role(r) for r in roles},
                locale="ko" if i % 4 == 3 else "en", email_verified_at=now, created_at=now,
            ))
        category_ids = {slug: uow.catalog.add_category(slug, en, ko, threshold)
                        for slug, en, ko, threshold in CATEGORIES}
        community = [people[n] for n in COMMUNITY]
        counts = {"ideas": 0, "supports": 0, "comments": 0, "campaigns": 0, "listings": 0}
        ideas_by_status: dict[IdeaStatus, list[Idea]] = {}
        _seed_makers(uow, people, now)
        for index, (title, pitch, cat, status_name, n_support, author, body) in enumerate(IDEAS):
            status = IdeaStatus(status_name)
            published = None if status in _NOT_YET_PUBLIC else now - timedelta(days=3 + index * 2)
            if status is IdeaStatus.EXPIRED:
                published = now - SUPPORT_WINDOW - timedelta(days=5 + index)
            idea = uow.catalog.add_idea(Idea(
                id=0, author_id=people[author].id, title=title, pitch=pitch,
                description_md=body, category_id=category_ids[cat], status=status,
                tags=[cat, "demo"], cover_image=covers.get(title), published_at=published,
                support_deadline=published + SUPPORT_WINDOW if published else None,
                target_price_min=_amount(ctx, 1500), target_price_max=_amount(ctx, 4500),
                created_at=(published or now) - timedelta(days=1),
            ), ctx.currency, now, **_review_fields(status, published, now, index))
            backers = [p for p in community if p.id != people[author].id][:n_support]
            for k, backer in enumerate(backers):
                uow.catalog.add_support(idea.id, backer.id, (published or now) + timedelta(hours=k),
                                        intent_quantity=1 + k % 3 if k % 2 == 0 else None,
                                        intent_max_price=_amount(ctx, 2000 + 500 * (k % 5)) if k % 2 == 0 else None)
                uow.idea_repo.follow(idea.id, backer.id, now)
            uow.idea_repo.recount(idea.id)
            uow.idea_repo.follow(idea.id, people[author].id, now)
            counts["supports"] += len(backers)
            if published:
                for k in range(2 + index % 3):
                    commenter = community[(index * 3 + k) % len(community)]
                    said = COMMENTS_KO if _is_korean(title) else COMMENTS
                    cid = uow.catalog.add_comment(idea.id, commenter.id, said[(index + k) % len(said)],
                                                  published + timedelta(hours=5 + k))
                    counts["comments"] += 1
                    if k == 0:
                        thanks = "감사합니다! 꼭 반영할게요." if _is_korean(title) else "Thank you! Noted."
                        uow.catalog.add_comment(idea.id, people[author].id, thanks,
                                                published + timedelta(hours=6), parent_id=cid)
                        counts["comments"] += 1
            if status in (IdeaStatus.PUBLISHED, IdeaStatus.WINNING) and index % 3 == 1:
                _seed_cocreation(uow, idea, community, people[author], published or now, counts)
            if status in _CAMPAIGN_STATE:
                counts["campaigns"] += 1
                _seed_campaign(ctx, uow, idea, status, people, index, now, counts)
            ideas_by_status.setdefault(status, []).append(idea)
            counts["ideas"] += 1
        _seed_quotes(uow, ideas_by_status, people, ctx, now)
        seed_commerce(ctx, uow, people, community, ideas_by_status, now, counts)
        for title, body in REASON_TEMPLATES:
            uow.moderation.save_template(None, title, body)
        for handle, *_rest in STAFF:
            notify(ctx, uow, people[handle].id, "welcome_demo", link=href(Screen.DISCOVER))
        uow.settings.put(SEEDED_KEY, now.isoformat())
        uow.commit()
    log.info("demo marketplace seeded: %s", counts)
    return counts


def _is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _review_fields(status: IdeaStatus, published: datetime | None, now: datetime, index: int) -> dict[str, Any]:
    """What moderation would have left on an idea at this stage."""
    fields: dict[str, Any] = {"submitted_at": (published or now) - timedelta(hours=12 + index)}
    if status is IdeaStatus.DRAFT:
        fields["submitted_at"] = None
    if status is IdeaStatus.CHANGES_REQUESTED:
        fields["moderation_note"] = "Please add the dimensions and say what makes it different from a sofa caddy."
    if status is IdeaStatus.REJECTED:
        fields["moderation_note"] = "Laser toys can hurt pets' eyes; we cannot accept this one."
    if status is IdeaStatus.WINNING:
        fields["winning_at"] = now - timedelta(days=1)
    return fields


def _seed_cocreation(uow: AbstractUnitOfWork, idea: Idea, community: list[User], author: User, published: datetime,
                     counts: dict[str, int]) -> None:
    """A suggestion accepted (its proposer becomes a co-creator), one open, and an author update."""
    first, second = community[-1], community[-2]
    accepted = uow.idea_repo.add_suggestion(idea.id, first.id, "Make the parts replaceable so it lasts longer.",
                                            None, published + timedelta(days=1))
    uow.idea_repo.decide_suggestion(accepted, "accepted", published + timedelta(days=2))
    uow.idea_repo.add_co_creator(idea.id, first.id, accepted, published + timedelta(days=2))
    uow.idea_repo.add_suggestion(idea.id, second.id, "Offer it in a **darker** colour too.", None,
                                 published + timedelta(days=2))
    uow.idea_repo.add_update(idea.id, author.id, "Thanks for the support so far! We took the replaceable-parts "
                             "suggestion on board.", published + timedelta(days=3))
    counts["suggestions"] = counts.get("suggestions", 0) + 2


def _seed_campaign(ctx: AppContext, uow: AbstractUnitOfWork, idea: Idea, status: IdeaStatus, people: dict[str, User],
                   index: int, now: datetime, counts: dict[str, int]) -> None:
    """A campaign as the quote → campaign → pre-order path would have left it, backed by real
    pre-order rows (so settlement and the counters agree)."""
    maker = people["maker" if index % 2 else "maker2"]
    unit_cost = Money(_amount(ctx, 1200 + 100 * index), ctx.currency)
    split = breakdown(unit_cost)
    goal = 6 + index % 3 * 2
    state = _CAMPAIGN_STATE[status]
    wanted = goal // 2 + index % 3 if state != "funded" else goal + 1 + index % 3
    opens = now - timedelta(days=10 if state == "open" else 60)
    deadline = opens + timedelta(days=30)
    cap = goal * 2 if index % 2 else None
    quote_id = uow.campaigns.add_quote(idea.id, maker.id, unit_cost, goal, 21, "Sampled and costed.", [], opens)
    uow.campaigns.set_quote_status(quote_id, QuoteStatus.OPEN, QuoteStatus.CHOSEN, opens)
    campaign_id = uow.campaigns.add_campaign(NewCampaign(
        idea_id=idea.id, maker_id=maker.id, quote_id=quote_id, prices=split, goal_units=goal, cap_units=cap,
        status=CampaignStatus(state), opens_at=opens, deadline=deadline, uses_hold=False,
        settled_at=None if state == "open" else deadline))
    campaign = found(uow.campaigns.campaign(campaign_id))
    preorder_status = {"open": PreorderStatus.PLEDGED, "funded": PreorderStatus.PAID,
                       "failed": PreorderStatus.RELEASED}[state]
    backers = [people[n] for n in COMMUNITY[index % 7:]]
    if status in (IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION):  # the demo consumer waits for these parcels
        backers.insert(0, people["consumer"])
    units = 0
    for k, backer in enumerate(backers):
        if units >= wanted:
            break
        quantity = min(1 + k % 2, wanted - units)
        units += quantity
        preorder_id = uow.campaigns.add_preorder(campaign, backer.id, quantity, DEMO_ADDRESS, "local", opens)
        if state == "open":
            uow.campaigns.reserve_units(campaign_id, quantity, opens)
        if state != "failed":  # what each backer holds (a per-account limit counts it)
            uow.campaigns.reserve_backer_units(campaign_id, backer.id, quantity, None)
        uow.campaigns.move_preorder(
            preorder_id, [PreorderStatus.RESERVED], preorder_status, opens, customer_ref=f"lcus_demo{backer.id}",
            method_ref="lpm_4242424242424242", card_brand="visa", card_last4="4242",
            payment_ref=f"lpi_demo{preorder_id}" if state == "funded" else None)
        counts["preorders"] = counts.get("preorders", 0) + 1
    if state != "open":  # closed campaigns keep the units they ended with
        uow.campaigns.set_pledged_units(campaign_id, units if state == "funded" else 0)


def _seed_makers(uow: AbstractUnitOfWork, people: dict[str, User], now: datetime) -> None:
    """The demo makers are verified; one community member's application waits for a moderator."""
    for handle, name, place in (("maker", "Mira Works", "Busan"), ("maker2", "Hanul Studio", "Seoul")):
        uow.campaigns.save_maker_profile(people[handle].id, MakerApplication(
            business_name=name, description=f"{name} makes small runs of home and outdoor goods.",
            capabilities="sewing, injection moulding, CNC", location=place), now)
        uow.campaigns.decide_maker(people[handle].id, MakerStatus.VERIFIED, "Samples checked.", now)
    uow.campaigns.save_maker_profile(people[COMMUNITY[0]].id, MakerApplication(
        business_name="Jiwoo's Workshop", description="Leather goods, hand-stitched.",
        capabilities="leather, hand stitching", location="Daegu"), now)


def _seed_quotes(uow: AbstractUnitOfWork, ideas_by_status: dict[IdeaStatus, list[Idea]], people: dict[str, User],
                 ctx: AppContext, now: datetime) -> None:
    """Quotes on winning ideas: one the author agreed to (ready for a moderator), one still open."""
    for k, idea in enumerate(ideas_by_status.get(IdeaStatus.WINNING, [])[:2]):
        maker = people["maker" if k == 0 else "maker2"]
        quote_id = uow.campaigns.add_quote(idea.id, maker.id, Money(_amount(ctx, 1500 + 300 * k), ctx.currency),
                                           8 + 4 * k, 28, "Prototype made; tooling included.", [], now)
        if k == 0:
            uow.campaigns.consent(quote_id, now)
