"""A page that raises shows the visitor Streamlit's generic message, never the traceback
(`client.showErrorDetails = "none"` in .streamlit/config.toml; development sets
STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=full)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.server import ROOT

SECRET = "secret-detail at /srv/cocreate/pages/idea.py line 42"
FAILING_PAGE = f"def load():\n    raise OverflowError({SECRET!r})\n\nload()\n"


def committed_setting() -> str:
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return str(settings["client"]["showErrorDetails"])


@pytest.fixture
def error_details() -> Iterator[None]:
    before = config.get_option("client.showErrorDetails")
    yield
    config.set_option("client.showErrorDetails", before)


def shown_to_visitor(setting: str) -> str:
    config.set_option("client.showErrorDetails", setting)
    at = AppTest.from_string(FAILING_PAGE).run()
    assert len(at.exception) == 1
    [shown] = at.exception
    return " ".join([shown.message, *shown.stack_trace, str(shown.proto)])


def test_production_config_hides_the_traceback(error_details: None) -> None:
    assert committed_setting() == "none"
    shown = shown_to_visitor(committed_setting())
    assert SECRET not in shown and "OverflowError" not in shown and "load()" not in shown
    assert "encountered an error" in shown


def test_development_override_shows_it(error_details: None) -> None:
    """The check above is meaningful: with details on, the same page shows the secret."""
    shown = shown_to_visitor("full")
    assert SECRET in shown and "OverflowError" in shown
