"""Admin settings: the support window and each category's support threshold."""

from __future__ import annotations

from typing import Any

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.domain.permissions import can_edit_settings, require
from lib.services import audit
from lib.services.context import AppContext
from lib.services.uow import AbstractUnitOfWork

DEFAULT_SUPPORT_WINDOW_DAYS = 60
WINDOW_KEY = "support_window_days"
MAX_THRESHOLD = 1_000_000


def support_window_days(uow: AbstractUnitOfWork) -> int:
    raw = uow.settings.get(WINDOW_KEY)
    return int(raw) if raw and raw.isdigit() else DEFAULT_SUPPORT_WINDOW_DAYS


def current(ctx: AppContext) -> dict[str, Any]:
    with ctx.uow(write=False) as uow:
        return {"support_window_days": support_window_days(uow), "categories": uow.catalog.categories()}


def update_support_window(ctx: AppContext, actor: User | None, days: int) -> None:
    admin = require(can_edit_settings, actor)
    if not 1 <= int(days) <= 365:
        raise InvalidInput("error.window_range")
    with ctx.uow() as uow:
        uow.settings.put(WINDOW_KEY, str(int(days)))
        audit.record(ctx, uow, admin, "set_support_window", "setting", 0, days=int(days))
        uow.commit()


def save_category(ctx: AppContext, actor: User | None, *, slug: str, name_en: str, name_ko: str,
                  threshold: int, category_id: int | None = None) -> int:
    """Create or change a category and its support threshold (ideas that already meet a
    lowered threshold win on their next support or at the next job run)."""
    admin = require(can_edit_settings, actor)
    slug = (slug or "").strip().lower()
    if not slug or not slug.replace("-", "").isalnum() or len(slug) > 40:
        raise InvalidInput("error.category_slug")
    if not (name_en or "").strip() or not (name_ko or "").strip():
        raise InvalidInput("error.category_name")
    if not 1 <= int(threshold) <= MAX_THRESHOLD:
        raise InvalidInput("error.threshold_range", max=MAX_THRESHOLD)
    with ctx.uow() as uow:
        taken = {c.slug: c.id for c in uow.catalog.categories()}
        if slug in taken and taken[slug] != category_id:
            raise InvalidInput("error.category_slug_taken")
        saved = uow.catalog.save_category(category_id, slug, name_en.strip(), name_ko.strip(), int(threshold))
        audit.record(ctx, uow, admin, "save_category", "category", saved, slug=slug, threshold=int(threshold))
        uow.commit()
    return saved
