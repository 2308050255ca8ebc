"""Real images made in memory with Pillow (and one hand-built PNG), for the upload pipeline tests."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import ExifTags, Image, ImageCms, ImageDraw

SECRET_MAKE = "SpyCam 9000"  # a marker that must never reach a stored file


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def photo(size: tuple[int, int] = (640, 480), mode: str = "RGB") -> Image.Image:
    """A small picture with structure (gradient, shapes) so encoders have real work to do."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse([width // 4, height // 4, width * 3 // 4, height * 3 // 4], fill=(30, 120, 200))
    draw.rectangle([0, 0, width // 8, height // 8], fill=(255, 0, 0))  # red marks the top-left corner
    return image.convert(mode) if mode != "RGB" else image


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = SECRET_MAKE
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 41.0)
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="SpyCam 9000"/></rdf:RDF></x:xmpmeta>'
)


def jpeg(size: tuple[int, int] = (640, 480), **options: object) -> bytes:
    return encode(photo(size), "JPEG", quality=90, **options)


def png(size: tuple[int, int] = (640, 480), mode: str = "RGB", **options: object) -> bytes:
    return encode(photo(size, mode), "PNG", **options)


def webp(size: tuple[int, int] = (640, 480), mode: str = "RGB", **options: object) -> bytes:
    return encode(photo(size, mode), "WEBP", **options)


def transparent_png(size: tuple[int, int] = (300, 200)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([10, 10, size[0] - 10, size[1] - 10], fill=(0, 160, 0, 255))
    return encode(image, "PNG")


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size that compresses to almost nothing (built by hand: fast)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 1))
        + chunk(b"IEND", b"")
    )


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def riff_chunks(data: bytes) -> list[bytes]:
    """The top-level chunk names of a WebP (RIFF) file."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, pos = [], 12
    while pos + 8 <= len(data):
        name, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        names.append(name)
        pos += 8 + size + (size & 1)
    return names
