"""What an uploaded image may be, why one is refused, and what storing one yields."""

from __future__ import annotations

from dataclasses import dataclass

from lib.domain.errors import InvalidInput

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
DISPLAY_LONGEST_SIDE = 1600
THUMB_LONGEST_SIDE = 480
MAX_IMAGES_PER_IDEA = 6

# Each reason is its own translation key; params name the placeholders it uses.
IMAGE_TOO_LARGE = "error.image_too_large"  # max_mb
IMAGE_TOO_MANY_PIXELS = "error.image_too_many_pixels"  # max_mp
IMAGE_FORMAT = "error.image_format"
IMAGE_CORRUPT = "error.image_corrupt"
IMAGE_EMPTY = "error.image_empty"
REJECTION_KEYS = frozenset({IMAGE_TOO_LARGE, IMAGE_TOO_MANY_PIXELS, IMAGE_FORMAT, IMAGE_CORRUPT, IMAGE_EMPTY})


class ImageRejected(InvalidInput):
    """An upload that is not an image we take; `key` says why, in words the user can act on."""

    key = IMAGE_FORMAT

    def __init__(self, key: str, **params: object) -> None:
        if key not in REJECTION_KEYS:
            raise ValueError(f"not an image rejection reason: {key!r}")
        super().__init__(key, **params)

    @classmethod
    def too_large(cls) -> ImageRejected:
        return cls(IMAGE_TOO_LARGE, max_mb=MAX_UPLOAD_BYTES // (1024 * 1024))

    @classmethod
    def too_many_pixels(cls) -> ImageRejected:
        return cls(IMAGE_TOO_MANY_PIXELS, max_mp=MAX_PIXELS // 1_000_000)


@dataclass(frozen=True)
class StoredImage:
    """Keys of the two re-encoded, metadata-free renditions of one upload; the size is the display one's."""

    display_key: str
    thumb_key: str
    width: int
    height: int
