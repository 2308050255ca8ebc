"""The shop (being written: see the brief)."""

from __future__ import annotations

from lib.services.context import AppContext


def release_stale_purchases(ctx: AppContext) -> int:
    return 0


def send_running_low_reminders(ctx: AppContext) -> int:
    return 0
