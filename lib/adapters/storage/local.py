"""Images on local disk under content-addressed names (covers are drawn by covers.make_cover)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from lib.adapters.storage.covers import make_cover

__all__ = ["MEDIA_PREFIX", "LocalImageStore", "make_cover"]
_KEY_CHARS = set("0123456789abcdefghijklmnopqrstuvwxyz.")
MEDIA_PREFIX = "/images/"


class LocalImageStore:
    """Writes atomically (temp file + rename) so no half-written image is ever visible."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _file(self, key: str) -> Path:
        if not key or not set(key) <= _KEY_CHARS or key.startswith("."):
            raise ValueError(f"not an image key: {key!r}")
        return self.root / key[:2] / key

    def put(self, data: bytes, suffix: str) -> str:
        key = f"{hashlib.sha256(data).hexdigest()}.{suffix.lstrip('.')}"
        target = self._file(key)
        if target.exists():
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def path(self, key: str) -> str:
        return str(self._file(key))

    def url(self, key: str) -> str:
        """Where a browser fetches the file: our own /images route (lib.web.images), served as immutable."""
        self._file(key)  # refuses what is not a key
        return f"{MEDIA_PREFIX}{key}"

    def delete(self, key: str) -> None:
        """Remove one stored image (the upload pipeline undoing half a pair); a missing key is fine."""
        self._file(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        try:
            return self._file(key).exists()
        except ValueError:
            return False
