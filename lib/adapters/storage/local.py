"""Images on local disk under content-addressed names, and generated idea covers."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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


_PALETTES = [
    ((228, 87, 46), (255, 201, 113)), ((41, 114, 182), (125, 211, 252)),
    ((46, 139, 87), (190, 242, 100)), ((124, 58, 237), (244, 114, 182)),
    ((15, 118, 110), (94, 234, 212)), ((180, 83, 9), (253, 224, 71)),
    ((190, 18, 60), (251, 146, 60)), ((30, 64, 175), (167, 139, 250)),
]
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def make_cover(title: str, seed: str, size: tuple[int, int] = (960, 540)) -> bytes:
    """A deterministic gradient cover with the idea's initials, as WebP bytes."""
    digest = hashlib.sha256(seed.encode()).digest()
    top, bottom = _PALETTES[digest[0] % len(_PALETTES)]
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        k = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * k) for a, b in zip(top, bottom, strict=True)))
    for i in range(6):  # a few soft circles, placed by the hash
        cx, cy = digest[1 + i] * width // 255, digest[7 + i] * height // 255
        r = 40 + digest[13 + i] % 120
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=3)
    # Only ASCII initials: the bundled fonts have no Hangul, and tofu boxes look broken.
    initials = "".join(w[0] for w in title.split()[:2] if w[:1].isascii() and w[:1].isalnum()).upper()
    if not initials:
        return _webp(image)
    font = _font(height // 3)
    box = draw.textbbox((0, 0), initials, font=font)
    position = ((width - (box[2] - box[0])) / 2 - box[0], (height - (box[3] - box[1])) / 2 - box[1])
    draw.text(position, initials, font=font, fill=(255, 255, 255))
    return _webp(image)


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=80)
    return out.getvalue()
