"""Pieces several pages draw: errors, idea cards, status badges, money, images."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import streamlit as st

from lib.domain.errors import DomainError
from lib.domain.ideas import Action, allows
from lib.domain.money import Money
from lib.services.ideas.ports import IdeaCard, IdeaDetail
from lib.services.routes import Screen
from lib.ui.fmt import money
from lib.ui.i18n import t
from lib.ui.nav import link, sign_in_link
from lib.ui.session import ctx


def show_error(exc: DomainError) -> None:
    """A named domain error as a clear, translated message."""
    st.error(t(exc.key, **{k: money(v) if isinstance(v, Money) else v for k, v in exc.params.items()}))


# Markdown's own characters, and what Streamlit's Markdown adds: `:` (`:red[...]` directives,
# `:material/...:` icons, `:smile:` shortcodes), `$` (maths), `&` (entities such as `&lt;`) and `=`
# (a `===` line under text makes it a heading). Quotes and other punctuation mean nothing there.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:&=])")


def plain(text: str) -> str:
    """Escape Markdown so text a person wrote shows as typed wherever Streamlit reads Markdown:
    st.markdown, st.title, st.caption, st.info/warning/error/success, expander, tab, button and metric
    labels, toasts. (Not for selectbox or multiselect options, which Streamlit shows as plain text.)
    Bare http(s):// and www. addresses still become links to exactly the address shown."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "")


def sign_in_prompt(message: str, name: str) -> None:
    """The one way a page asks a visitor to sign in for something: why, and a link to do it that brings
    them back to this page afterwards."""
    st.info(message)
    sign_in_link(t("nav.sign_in"), name)


def status_badge(status: str) -> str:
    """Sanitised HTML for a status pill (the label comes from our catalogue, escaped anyway)."""
    return (f'<span class="cc-status {html.escape(status)}">'
            f"{html.escape(t('status.' + status))}</span>")


def pager(prefix: str, page: int, has_more: bool) -> None:
    """Previous / Next under a paged list; the page number lives in session state at `{prefix}.page`."""
    def turn_to(number: int) -> None:  # before the run the click starts, so that run draws the new page
        st.session_state[f"{prefix}.page"] = number

    prev_col, _, next_col = st.columns([1, 4, 1])
    if page > 0:
        prev_col.button(t("common.previous"), key=f"{prefix}.prev", on_click=turn_to, args=(page - 1,))
    if has_more:
        next_col.button(t("common.next"), key=f"{prefix}.next", on_click=turn_to, args=(page + 1,))


def image(key: str | None, alt: str) -> None:
    """A stored image at the column's width, with its alternative text. Drawn as a link to the
    store's URL (the browser caches it): handing Streamlit a file re-encodes it on every run."""
    tag = _img_tag(key, alt)
    if tag:
        st.markdown(tag, unsafe_allow_html=True)


def _img_tag(key: str | None, alt: str) -> str:
    store = ctx().images
    if not key or not store.exists(key):
        return ""
    return (f'<img class="cc-img" src="{html.escape(store.url(key))}" alt="{html.escape(alt)}" '
            'loading="lazy" decoding="async">')


def gallery(keys: Sequence[str], title: str) -> None:
    """The first picture large, up to three more in a row beneath it."""
    if not keys:
        return
    image(keys[0], t("image.cover", title=title))
    extra = keys[1:4]
    for n, (column, key) in enumerate(zip(st.columns(len(extra)) if extra else [], extra, strict=False), 2):
        with column:
            image(key, t("image.photo", n=n, title=title))


def photo_row(keys: Sequence[str], title: str) -> None:
    """Pictures three to a row (a maker's samples, a quote's photos)."""
    for start in range(0, len(keys), 3):
        for n, (column, key) in enumerate(zip(st.columns(3), keys[start:start + 3], strict=False), start + 1):
            with column:
                image(key, t("image.photo", n=n, title=title))


def days_left(deadline: datetime | None) -> int | None:
    if deadline is None:
        return None
    return max(0, (deadline - datetime.now(UTC)).days)


CARD_WIDTH = 220  # px, the least a card takes in a wrapping grid; it grows to fill its row


def idea_card(card: IdeaCard) -> None:
    """A feed's card in three elements (picture and status, the title's link, the facts): a feed page
    draws twelve of them in every run, and each element costs the browser as much as the server.
    Laid out by a wrapping horizontal container (assets/style.css, `st-key-card-`), not rows of columns."""
    with st.container(border=True, width=CARD_WIDTH, key=f"card-idea-{card.id}"):
        picture = _img_tag(card.cover_image, t("image.cover", title=card.title))
        st.markdown(f'{picture}<div class="cc-card-status">{status_badge(card.status.value)}</div>',
                    unsafe_allow_html=True)
        link(Screen.IDEA, f"**{plain(card.title)}**", id=card.id)
        left = days_left(card.support_deadline)
        meta = t("idea.by", name=card.author_name)
        if left is not None and allows(card.status, Action.SUPPORT):  # the support window's days
            meta += " · " + t("idea.days_left", count=left)
        supporters = t("idea.supporters_of", count=card.support_count, threshold=card.threshold)
        share = min(card.support_count, card.threshold)
        st.markdown(f'<div class="cc-card-facts"><p class="cc-muted">{html.escape(card.pitch)}</p>'
                    f'<progress class="cc-progress" max="{max(1, card.threshold)}" value="{share}" '
                    f'aria-label="{html.escape(supporters)}"></progress>'
                    f'<p class="cc-small">{html.escape(supporters)}</p>'
                    f'<p class="cc-muted">{html.escape(meta)}</p></div>', unsafe_allow_html=True)


def demand_chart(detail: IdeaDetail) -> None:
    """Cumulative units people would buy at or above each price: the demand curve makers quote against.
    A Vega-Lite spec with its few points inline (no Altair or DataFrame built per run), with the same
    points as its text alternative."""
    if not detail.demand:
        return
    st.subheader(t("idea.demand"), anchor=False)
    price_label, units_label = t("idea.demand_price"), t("idea.demand_units")
    rows, points, units = [], [], 0
    for price, count in detail.demand:  # highest price first
        units += count
        shown = money(price, detail.currency)
        rows.append({"price": price, "shown": shown, "units": units})
        points.append(t("idea.demand_point", units=units, price=shown))
    spec = {
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "shown", "type": "ordinal", "title": price_label, "sort": None},
            "y": {"field": "units", "type": "quantitative", "title": units_label},
            "tooltip": [{"field": "shown", "title": price_label}, {"field": "units", "title": units_label}],
        },
    }
    st.vega_lite_chart(spec=spec, alt=t("idea.demand_alt", points="; ".join(points)))
