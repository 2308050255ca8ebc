"""The dependency rules from STYLE.md, checked on the source (a lint that cannot drift)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py")]


def offenders(paths: list[Path], banned: str) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths
            if any(m == banned or m.startswith(banned + ".") for m in imported_modules(p))]


@pytest.mark.parametrize("folder", ["lib/domain", "lib/services", "lib/adapters", "lib/web"])
def test_streamlit_only_in_pages_ui_and_entry(folder):
    assert offenders(files(folder), "streamlit") == []


@pytest.mark.parametrize("folder", ["lib/domain", "lib/services", "lib/ui", "lib/web", "pages"])
def test_sqlalchemy_only_in_adapters(folder):
    assert offenders(files(folder), "sqlalchemy") == []


def test_domain_imports_only_the_standard_library_and_itself():
    allowed_roots = {"lib", "__future__"}
    import sys

    for path in files("lib/domain"):
        for module in imported_modules(path):
            root = module.split(".")[0]
            assert root in allowed_roots or root in sys.stdlib_module_names, (path, module)
            if root == "lib":
                assert module.startswith("lib.domain"), (path, module)


def test_services_do_not_reach_into_adapters_or_ui():
    for banned in ("lib.adapters", "lib.ui", "lib.web", "lib.bootstrap"):
        assert offenders(files("lib/services"), banned) == [], banned


def test_pages_call_services_not_adapters():
    assert offenders(files("pages"), "lib.adapters") == []


def test_stripe_is_imported_by_at_most_one_module():
    assert len(offenders(files("lib", "pages"), "stripe")) <= 1


# Which context each repository module belongs to; a repository may reach only its own context's.
REPOSITORY_CONTEXTS = {
    "accounts": "accounts", "messaging": "messaging", "platform": "shared",
    "ideas": "ideas", "idea_queries": "ideas", "moderation": "ideas", "catalog": "ideas",
    "campaigns": "campaigns", "payment_attempts": "campaigns",
    "orders": "commerce", "shop": "commerce", "ledger": "ledger", "referrals": "ledger",
}
REPOS = "lib.adapters.db.repos."


def test_every_repository_module_names_its_context():
    assert {p.stem for p in (ROOT / "lib/adapters/db/repos").glob("*.py")} - {"__init__"} == set(REPOSITORY_CONTEXTS)


def test_a_repository_imports_only_repositories_of_its_own_context():
    for path in files("lib/adapters/db/repos"):
        own = REPOSITORY_CONTEXTS.get(path.stem)
        for module in imported_modules(path):
            if module.startswith(REPOS):
                assert REPOSITORY_CONTEXTS[module.removeprefix(REPOS)] == own, (path.name, module)


def test_only_the_wiring_reaches_into_adapters():
    """Pages, screen parts, routes and use cases get adapters through the AppContext, never directly."""
    outside = [p for p in files("lib", "pages") if "adapters" not in p.parts
               and p.relative_to(ROOT).as_posix() not in ("lib/bootstrap.py", "lib/cli.py")]
    assert offenders([*outside, ROOT / "streamlit_app.py"], "lib.adapters") == []


def _string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_services_build_links_from_the_route_table():
    from lib.services.routes import Screen

    screens = tuple(f"/{s.value}" for s in Screen)
    for path in files("lib/services"):
        if path.name == "routes.py":
            continue
        literal = [s for s in _string_constants(path) if s == "/" or s.startswith(screens)]
        assert literal == [], path


def test_ideas_move_only_through_the_lifecycle_helper():
    """Every status change reads its allowed from-statuses off the lifecycle table (lifecycle.move_idea)."""
    for path in files("lib/services"):
        if path.name != "lifecycle.py":
            assert "idea_repo.move(" not in path.read_text(encoding="utf-8"), path


UI_CONTEXTS = ("ideas", "campaigns", "commerce", "ledger")


def test_screen_parts_of_a_context_use_only_shared_ui_and_their_own_context():
    for context in UI_CONTEXTS:
        for path in files(f"lib/ui/{context}"):
            for module in imported_modules(path):
                others = [c for c in UI_CONTEXTS if c != context and module.startswith(f"lib.ui.{c}")]
                assert others == [], (path.name, module)
