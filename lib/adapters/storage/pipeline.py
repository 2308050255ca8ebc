"""The upload pipeline: check, decode, orient, strip, resize and re-encode one image, then store it.

Nothing of the upload survives but its pixels: both renditions are fresh WebP files
written without EXIF, XMP or ICC data, converted to sRGB when a readable colour
profile came with them. Transparency is kept (WebP has an alpha channel); an alpha
channel that is opaque everywhere is dropped.

Every check and both encodes run before the first write, so a refused or
undecodable upload never touches the store. The only failure left after that is
the store's own; see `_put_both` for how a half-finished pair is undone.
"""

from __future__ import annotations

import io
import logging
import math
import struct
import zlib

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from lib.domain.images import (
    DISPLAY_LONGEST_SIDE,
    IMAGE_CORRUPT,
    IMAGE_EMPTY,
    IMAGE_FORMAT,
    MAX_PIXELS,
    MAX_UPLOAD_BYTES,
    THUMB_LONGEST_SIDE,
    ImageRejected,
    StoredImage,
)
from lib.services.ports import ImageStore

log = logging.getLogger(__name__)

try:  # HEIC/HEIF only where the plug-in is installed; otherwise such files are refused as a format.
    import pillow_heif
except ImportError:
    HEIF_SUPPORTED = False
else:
    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True

FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", *(("HEIF",) if HEIF_SUPPORTED else ()))
WEBP_QUALITY = 82
WEBP_METHOD = 4  # libwebp's default speed/size trade-off; output is deterministic, which content addressing relies on
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")

# What Pillow raises on damaged input once a plug-in has accepted the header.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
    zlib.error,
    UnicodeDecodeError,
)


def process_upload(data: bytes, store: ImageStore) -> StoredImage:
    """Validate one upload and store its display and thumbnail renditions; raises ImageRejected."""
    if not data:
        raise ImageRejected(IMAGE_EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected.too_large()
    image = _decode(data)
    display = _display_rendition(image)
    display_bytes = _encode(display)
    thumb_bytes = _thumbnail_of(display_bytes)
    display_key, thumb_key = _put_both(store, display_bytes, thumb_bytes)
    return StoredImage(display_key=display_key, thumb_key=thumb_key, width=display.width, height=display.height)


def _looks_like_allowed_format(data: bytes) -> bool:
    """Magic bytes of a format we take: decides 'damaged' over 'wrong kind of file'."""
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    return HEIF_SUPPORTED and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


def _decode(data: bytes) -> Image.Image:
    """Open from the header, check the pixel count, then decode in full (JPEGs at a reduced scale)."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # a process-wide switch: if anything flipped it, fail loudly
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False for uploads")
    damaged = IMAGE_CORRUPT if _looks_like_allowed_format(data) else IMAGE_FORMAT
    try:
        # Pillow warns (above ~89 MP) or raises (above twice that) on its own; our limit is lower and
        # checked below from the header, without touching the process-wide Image.MAX_IMAGE_PIXELS.
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected.too_many_pixels() from None
    except UnidentifiedImageError:
        raise ImageRejected(damaged) from None
    except _DECODE_ERRORS:
        raise ImageRejected(IMAGE_CORRUPT) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageRejected.too_many_pixels()
    if width < 1 or height < 1:
        raise ImageRejected(IMAGE_CORRUPT)
    if image.format in ("JPEG", "MPO"):
        # Decode straight at 1/2, 1/4 or 1/8 scale when that still covers the display size.
        image.draft(None, _fit((width, height), DISPLAY_LONGEST_SIDE))
    try:
        image.load()
    except _DECODE_ERRORS:
        raise ImageRejected(IMAGE_CORRUPT) from None
    return image


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """`size` scaled down (never up) so its longest side is at most `longest`."""
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))


def _display_rendition(image: Image.Image) -> Image.Image:
    """Upright, at most DISPLAY_LONGEST_SIDE, in sRGB, RGB or RGBA, with no metadata attached."""
    icc_profile = image.info.get("icc_profile")
    image = _plain_mode(image)  # before _upright, which drops the info (palette transparency included)
    image = _upright(image)
    image.thumbnail((DISPLAY_LONGEST_SIDE, DISPLAY_LONGEST_SIDE), Image.Resampling.LANCZOS)
    image = _to_srgb(image, icc_profile)
    if image.mode != "RGBA" or image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    image.info = {}
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF (or XMP) orientation; unreadable EXIF counts as no orientation at all."""
    try:
        image.getexif()  # parsed once here; exif_transpose reuses the parse
    except _DECODE_ERRORS:
        log.info("ignoring unreadable EXIF in an upload")
        return image
    # Drop the metadata first, so exif_transpose has no EXIF/XMP to re-serialise (a step that can fail).
    image.info = {}
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except _DECODE_ERRORS:  # an orientation value of an odd type: leave the pixels as they are
        log.info("ignoring an unusable EXIF orientation in an upload")
    return image


def _plain_mode(image: Image.Image) -> Image.Image:
    """One of L, LA, RGB, RGBA or CMYK, which resizing and colour management handle well."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode.startswith("I") or mode == "F":  # 16-bit greyscale PNG: scale to 8 bits, do not clip
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if mode in ("PA", "La", "RGBa") or (mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert to RGB(A) in sRGB; pixels with no usable profile are taken to be sRGB already."""
    target = "RGBA" if image.mode in ("LA", "RGBA") else "RGB"
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=target)
        except (ImageCms.PyCMSError, *_DECODE_ERRORS):
            log.info("ignoring an unusable colour profile in an upload")
        else:
            if converted is not None:
                return converted
    return image.convert(target)


def _encode(image: Image.Image) -> bytes:
    """A metadata-free WebP: no exif=, icc_profile= or xmp= is ever passed."""
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


def _thumbnail_of(display_bytes: bytes) -> bytes:
    """The thumbnail, made from the display *file*, so equal display files always have equal thumbnails."""
    with Image.open(io.BytesIO(display_bytes), formats=["WEBP"]) as display:
        if max(display.size) <= THUMB_LONGEST_SIDE:
            return display_bytes
        display.load()
        thumb = display.copy()
    thumb.thumbnail((THUMB_LONGEST_SIDE, THUMB_LONGEST_SIDE), Image.Resampling.LANCZOS)
    thumb.info = {}
    return _encode(thumb)


def _put_both(store: ImageStore, display_bytes: bytes, thumb_bytes: bytes) -> tuple[str, str]:
    """Store the pair, or neither: if the thumbnail cannot be written, the display file goes again.

    Deleting is safe although keys are shared by identical uploads: the thumbnail is a function
    of the display file, so a display file that some earlier upload stored completely already has
    its thumbnail, and a store that skips keys it holds (LocalImageStore does) cannot fail on it.
    A failing second put therefore means the display file is new (or an orphan) and unreferenced.
    One race remains: an identical upload running at the same moment may have found this display
    file present and be about to reference it. Closing that needs the store to say whether put()
    created the file (or a sweep of unreferenced keys instead of this delete).
    """
    display_key = store.put(display_bytes, "webp")
    if thumb_bytes == display_bytes:  # a small image: one file serves both, so there is no second write
        return display_key, display_key
    try:
        thumb_key = store.put(thumb_bytes, "webp")
    except BaseException:
        try:
            store.delete(display_key)
        except OSError:
            log.exception("could not remove %s after a failed thumbnail write", display_key)
        raise
    return display_key, thumb_key
