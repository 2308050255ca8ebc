"""The navigation is built from the route table: every screen has its page file and is in
someone's navigation, and pages open each other only through it."""

from __future__ import annotations

import re

import pytest

from lib.domain.accounts import Role, User
from lib.services.routes import Screen
from lib.ui.nav import PAGES, SECTIONS, page_file, page_names_for
from tests.ui.conftest import ROOT

PEOPLE: dict[str, User | None] = {"visitor": None} | {
    role.value: User(id=1, email="x@example.com", display_name="x", password_hash="", referral_code="X",
                     roles={Role.CONSUMER, role})
    for role in Role
}


@pytest.mark.parametrize("screen", list(Screen), ids=lambda s: s.value)
def test_every_screen_has_its_page_file_and_is_in_someones_navigation(screen: Screen) -> None:
    assert (ROOT / page_file(screen)).is_file(), page_file(screen)
    assert any(screen.value in page_names_for(person) for person in PEOPLE.values()), screen


def test_the_navigation_lists_every_page_file_once_and_nothing_else() -> None:
    listed = [spec.screen for specs in SECTIONS.values() for spec in specs]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(Screen)
    assert {p.stem for p in PAGES.glob("*.py")} == {s.value for s in Screen}


LITERAL_SWITCH = re.compile(r"switch_page\(\s*[\"']")


def test_pages_open_each_other_through_the_route_table() -> None:
    """`go(Screen.X, ...)` (lib/ui/nav.py) instead of st.switch_page("pages/x.py", ...)."""
    sources = [*(ROOT / "pages").glob("*.py"), *(ROOT / "lib" / "ui").rglob("*.py")]
    literal = [str(p.relative_to(ROOT)) for p in sources if LITERAL_SWITCH.search(p.read_text(encoding="utf-8"))]
    assert literal == []
