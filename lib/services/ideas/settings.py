"""Admin settings: the support window and each category's support threshold."""

from __future__ import annotations

from typing import Any

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.domain.limits import check_count
from lib.domain.permissions import can_edit_settings, require
from lib.domain.text import one_line
from lib.services import audit
from lib.services.context import AppContext
from lib.services.reads import CATEGORIES
from lib.services.uow import AbstractUnitOfWork

DEFAULT_SUPPORT_WINDOW_DAYS = 60
WINDOW_KEY = "support_window_days"
MAX_THRESHOLD = 1_000_000
CATEGORY_SLUG_MAX, CATEGORY_NAME_MAX = 40, 60


def support_window_days(uow: AbstractUnitOfWork) -> int:
    raw = uow.settings.get(WINDOW_KEY)
    return int(raw) if raw and raw.isdigit() else DEFAULT_SUPPORT_WINDOW_DAYS


def current(ctx: AppContext) -> dict[str, Any]:
    with ctx.uow(write=False) as uow:
        return {"support_window_days": support_window_days(uow), "categories": uow.catalog.categories()}


def update_support_window(ctx: AppContext, actor: User | None, days: int) -> None:
    admin = require(can_edit_settings, actor)
    days = check_count(days, 1, 365, "error.window_range")
    with ctx.uow() as uow:
        uow.settings.put(WINDOW_KEY, str(days))
        audit.record(ctx, uow, admin, "set_support_window", "setting", 0, days=days)
        uow.commit()


def save_category(ctx: AppContext, actor: User | None, *, slug: str, name_en: str, name_ko: str,
                  threshold: int, category_id: int | None = None) -> int:
    """Create or change a category and its support threshold (ideas that already meet a
    lowered threshold win on their next support or at the next job run)."""
    admin = require(can_edit_settings, actor)
    slug = one_line(slug, CATEGORY_SLUG_MAX, required="error.category_slug", too_long="error.category_slug").lower()
    if not slug.isascii() or not slug.replace("-", "").isalnum():  # it is part of addresses: "²" is no digit there
        raise InvalidInput("error.category_slug")
    name_en = one_line(name_en, CATEGORY_NAME_MAX, required="error.category_name")
    name_ko = one_line(name_ko, CATEGORY_NAME_MAX, required="error.category_name")
    threshold = check_count(threshold, 1, MAX_THRESHOLD, "error.threshold_range", max=MAX_THRESHOLD)
    with ctx.uow() as uow:
        taken = {c.slug: c.id for c in uow.catalog.categories()}
        if slug in taken and taken[slug] != category_id:
            raise InvalidInput("error.category_slug_taken")
        saved = uow.catalog.save_category(category_id, slug, name_en, name_ko, threshold)
        audit.record(ctx, uow, admin, "save_category", "category", saved, slug=slug, threshold=threshold)
        uow.commit()
    ctx.reads.forget(CATEGORIES)
    return saved
