"""Fixtures for the unit suite: services over in-memory fakes, no database."""

from __future__ import annotations

import pytest

from lib.services.context import AppContext
from tests.unit.fakes import FakeClock, FakeMailer, FakeStore, make_context


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def ctx(store: FakeStore, clock: FakeClock) -> AppContext:
    """Services over fakes (no SMTP: e-mail stays in the outbox)."""
    return make_context(store, clock=clock)
