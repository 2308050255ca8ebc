from __future__ import annotations

from pathlib import Path

import pytest

from lib.adapters.storage.local import LocalImageStore


@pytest.fixture
def store(tmp_path: Path) -> LocalImageStore:
    return LocalImageStore(tmp_path / "images")
