"""The health check's one question: does the database answer?"""

from __future__ import annotations

from lib.services.context import AppContext


def check_database(ctx: AppContext) -> None:
    with ctx.uow(write=False) as uow:
        uow.settings.get("health")
