"""Pieces of the shop screens: availability, the maker's panels to create (from a fulfilled
campaign) and manage a listing, and reviews with replies (a drop's live part: live_drop.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import Campaign
from lib.domain.ideas import IdeaStatus
from lib.domain.money import Money
from lib.domain.orders import Listing, ListingStatus
from lib.domain.shop import MAX_REORDER_DAYS, MAX_STOCK, ListingView
from lib.services.commerce import reviews, shop
from lib.services.ideas import authoring
from lib.services.routes import Screen
from lib.ui.components import plain
from lib.ui.fmt import day, local_zone, when, zone_name
from lib.ui.forms import act, attempt, cleared, feedback, money_input
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.session import ctx

REVIEW, REVIEWS_ANCHOR = "listing.review", "reviews"


def stars(rating: float | None) -> str:
    full = 0 if rating is None else max(0, min(5, round(rating)))
    return "★" * full + "☆" * (5 - full)


def rating_line(avg: float | None, count: int) -> str:
    if not count or avg is None:
        return t("shop.no_ratings")
    return t("shop.rating", stars=stars(avg), avg=f"{avg:.1f}", count=count)


def is_available(listing: Listing) -> bool:
    return listing.status is ListingStatus.ACTIVE and listing.units_left > 0


def stock_text(units_left: int) -> str:
    return t("shop.units_left", count=units_left) if units_left else t("shop.sold_out")


def starts_text(starts_at: datetime) -> str:
    return t("shop.drop_starts", date=plain(when(starts_at)))


def _drop_start(start_day: date | None, clock: time | None) -> datetime | None:
    if start_day is None:
        return None
    return datetime.combine(start_day, clock or time(0, 0), tzinfo=local_zone())


@dataclass(frozen=True)
class _Terms:
    price: int | None
    stock: int
    add_stock: int
    active: bool
    description: str
    consumable: bool
    reorder_days: int
    starts_at: datetime | None
    limit: int | None


def _terms_inputs(prefix: str, listing: Listing | None, price: Money) -> _Terms:
    """The fields a maker sets on a listing (inside a form); prefilled from the listing if given."""
    if f"{prefix}.price" not in st.session_state:
        st.session_state[f"{prefix}.price"] = price.major_text()
    amount = money_input(t("shop.price"), price.currency, f"{prefix}.price", example=price)
    stock, add_stock, active = 0, 0, True
    if listing is None:
        stock = st.number_input(t("shop.stock"), min_value=1, max_value=MAX_STOCK, value=10, step=1,
                                key=f"{prefix}.stock")
    else:
        add_stock = st.number_input(t("shop.add_stock"), min_value=-MAX_STOCK, max_value=MAX_STOCK, value=0,
                                    step=1, key=f"{prefix}.add_stock",
                                    help=t("shop.add_stock_help", stock=listing.stock, sold=listing.sold))
        active = st.toggle(t("shop.on_sale"), value=listing.status is ListingStatus.ACTIVE, key=f"{prefix}.active")
    description = st.text_area(t("shop.description"), key=f"{prefix}.description", max_chars=10_000,
                               help=t("shop.description_help"))
    consumable = st.checkbox(t("shop.consumable"), key=f"{prefix}.consumable",
                             value=bool(listing and listing.consumable), help=t("shop.consumable_help"))
    reorder_days = st.number_input(t("shop.reorder_days"), min_value=1, max_value=MAX_REORDER_DAYS,
                                   value=listing.reorder_days if listing else 30, step=1,
                                   key=f"{prefix}.reorder_days")
    st.markdown(f"**{t('shop.drop_section')}**")
    st.caption(t("shop.drop_help"))
    starts = listing.starts_at.astimezone(local_zone()) if listing and listing.starts_at else None
    left, right = st.columns(2)
    zone = zone_name()  # what the date and time typed here mean
    start_day = left.date_input(t("shop.drop_date", zone=zone), value=starts.date() if starts else None,
                                key=f"{prefix}.day")
    clock = right.time_input(t("shop.drop_time", zone=zone), value=starts.time() if starts else None,
                             key=f"{prefix}.clock")
    limit = st.number_input(t("shop.per_account_limit"), min_value=0, max_value=MAX_STOCK,
                            value=(listing.per_account_limit or 0) if listing else 0, step=1,
                            key=f"{prefix}.limit", help=t("shop.limit_help"))
    return _Terms(price=amount, stock=int(stock), add_stock=int(add_stock), active=bool(active),
                  description=description or "", consumable=bool(consumable), reorder_days=int(reorder_days),
                  starts_at=_drop_start(start_day if isinstance(start_day, date) else None, clock),
                  limit=int(limit) or None)


def create_listing_panel(campaign: Campaign, user: User | None) -> None:
    """On a campaign page, for its maker once the idea is fulfilled: list the product in the shop."""
    if user is None or user.id != campaign.maker_id:
        return
    existing = shop.listing_for_campaign(ctx(), campaign.id)
    if existing is not None:
        if st.button(t("shop.open_listing"), key="campaign.open_listing"):
            go(Screen.LISTING, id=existing.id)
        return
    idea = attempt(lambda: authoring.get_idea(ctx(), campaign.idea_id), rerun=False, show=None)
    if idea is None or idea.status is not IdeaStatus.FULFILLED:
        return
    st.subheader(t("shop.create_title"), anchor=False)
    st.caption(t("shop.create_help"))
    prefix = f"listing_create.{campaign.id}"
    if not st.session_state.get(f"{prefix}.open"):
        if st.button(t("shop.create_start"), key=f"{prefix}.start", type="primary"):
            st.session_state[f"{prefix}.open"] = True
            st.rerun()
        return
    with st.form(f"{prefix}.form"):
        v = _terms_inputs(prefix, None, campaign.price)
        submitted = st.form_submit_button(t("shop.create"), type="primary")
    if not submitted:
        return
    if v.price is None:
        st.error(t("error.price_not_positive"))
        return
    price = Money(v.price, campaign.price.currency)
    listing_id = attempt(lambda: shop.create_listing(
        ctx(), user, campaign.id, price=price, stock=v.stock, description_md=v.description,
        consumable=v.consumable, reorder_days=v.reorder_days, starts_at=v.starts_at,
        per_account_limit=v.limit), rerun=False)
    if listing_id is not None:
        st.session_state["flash"] = t("shop.listed")
        go(Screen.LISTING, id=listing_id)


def manage_listing_panel(listing: Listing, user: User | None) -> None:
    """On a listing page, for its maker: price, stock, on sale or paused, the drop's start and limit."""
    if user is None or user.id != listing.maker_id:
        return
    st.info(t("shop.you_make_this"))
    with st.expander(t("shop.manage")):
        prefix = f"listing_manage.{listing.id}"
        with st.form(f"{prefix}.form"):
            v = _terms_inputs(prefix, listing, listing.price)
            submitted = st.form_submit_button(t("common.save"), type="primary")
        if submitted:
            price = Money(v.price, listing.price.currency) if v.price is not None else None
            attempt(lambda: shop.update_listing(
                ctx(), user, listing.id, price=price, add_stock=v.add_stock,
                status=ListingStatus.ACTIVE if v.active else ListingStatus.PAUSED, starts_at=v.starts_at,
                per_account_limit=v.limit, description_md=v.description, consumable=v.consumable,
                reorder_days=v.reorder_days), t("shop.saved"))
        if st.button(t("shop.see_orders"), key="listing.see_orders"):
            go(Screen.MAKER_ORDERS)


def reviews_panel(view: ListingView, user: User | None) -> None:
    """Reviews, newest first, with the maker's replies; the maker can reply to each."""
    st.subheader(t("shop.reviews_title", count=view.rating_count), anchor=REVIEWS_ANCHOR)
    if not view.reviews:
        st.caption(t("shop.no_reviews"))
    maker = user is not None and user.id == view.listing.maker_id
    for review in view.reviews:
        with st.container(border=True):
            mine = " · " + t("shop.your_review_mark") if user is not None and review.user_id == user.id else ""
            st.markdown(f"{stars(review.rating)} **{plain(review.author_name)}**{mine}")
            st.caption(t("shop.verified_purchase", date=day(review.created_at)))
            if review.body:
                st.markdown(plain(review.body))
            if review.maker_reply:
                st.caption(t("shop.maker_reply", name=plain(view.maker_name)))
                st.markdown(plain(review.maker_reply))
            if maker:
                field = f"review_reply.{review.id}.body"
                with st.form(f"review_reply.{review.id}"):
                    st.text_area(t("shop.reply"), key=field, max_chars=2000)
                    st.form_submit_button(t("shop.send_reply"), on_click=act(
                        partial(_reply, review.id, field), t("shop.reply_sent"), then=cleared(field)))


def review_spot(order_id: int, view: ListingView) -> None:
    """Where one purchase is reviewed: the form until it is posted, then the review itself (with the
    way to it among everyone's), so a second post cannot happen."""
    feedback(REVIEW)
    mine = next((r for r in view.reviews if r.order_id == order_id), None)
    if mine is None:
        _review_form(order_id)
        return
    with st.container(border=True):
        st.subheader(t("shop.your_review"), anchor=False)
        st.markdown(stars(mine.rating))
        if mine.body:
            st.markdown(plain(mine.body))
        st.markdown(f"[{t('shop.see_in_reviews')}](#{REVIEWS_ANCHOR})")


def just_reviewed() -> int | None:
    """The order this session reviewed in the click that started this run (its review shows where the form was)."""
    return st.session_state.pop(f"{REVIEW}.order", None)


def _review_form(order_id: int) -> None:
    """Rate and review one delivered purchase (the service refuses anything else, with a reason)."""
    st.subheader(t("shop.review_title"), anchor=False)
    prefix = f"review.{order_id}"
    with st.form(prefix):
        st.radio(t("shop.your_rating"), [5, 4, 3, 2, 1], format_func=lambda n: stars(n), horizontal=True,
                 key=f"{prefix}.rating")
        st.text_area(t("shop.review_body"), key=f"{prefix}.body", max_chars=2000)
        st.form_submit_button(t("shop.post_review"), type="primary", on_click=act(
            lambda u: reviews.add_review(ctx(), u, order_id, int(st.session_state.get(f"{prefix}.rating") or 5),
                                         str(st.session_state.get(f"{prefix}.body") or "")),
            t("shop.review_thanks"), slot=REVIEW,
            then=lambda: st.session_state.update({f"{REVIEW}.order": order_id})))


def _reply(review_id: int, field: str, user: User) -> None:
    reviews.reply_to_review(ctx(), user, review_id, str(st.session_state.get(field) or ""))
