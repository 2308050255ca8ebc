"""Property: any bytes at all give either two clean WebP files or ImageRejected with nothing stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from lib.adapters.storage.local import LocalImageStore
from lib.adapters.storage.pipeline import process_upload
from lib.domain.images import DISPLAY_LONGEST_SIDE, THUMB_LONGEST_SIDE, ImageRejected, StoredImage
from tests.images import imagegen as gen

SEEDS = {
    "jpeg-exif-icc": gen.jpeg((96, 64), exif=gen.exif_with_gps(orientation=6), icc_profile=gen.srgb_icc()),
    "jpeg-progressive": gen.jpeg((80, 60), progressive=True),
    "jpeg-cmyk": gen.encode(gen.photo((64, 48), "CMYK"), "JPEG"),
    "png-rgba-exif": gen.encode(gen.photo((64, 48), "RGBA"), "PNG", exif=gen.exif_with_gps(orientation=8)),
    "png-palette": gen.png((64, 48), mode="P", transparency=0),
    "png-16bit": gen.png((48, 32), mode="I;16"),
    "png-text-icc": gen.png((48, 32), icc_profile=gen.srgb_icc()),
    "webp-lossy-xmp": gen.webp((64, 48), exif=gen.exif_with_gps(orientation=3), xmp=gen.XMP),
    "webp-lossless-alpha": gen.encode(gen.photo((64, 48), "RGBA"), "WEBP", lossless=True),
    "webp-animated": gen.encode(
        gen.photo((48, 32)), "WEBP", save_all=True, append_images=[gen.photo((48, 32)).rotate(90)], duration=100
    ),
    "apng": gen.encode(
        gen.photo((48, 32)), "PNG", save_all=True, append_images=[gen.photo((48, 32)).rotate(90)], duration=100
    ),
}


@st.composite
def corrupted(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(sorted(SEEDS.values(), key=len))))
    for _ in range(draw(st.integers(1, 6))):
        # Favour the headers and metadata (the first few hundred bytes), where parsers branch most.
        end = min(len(data), draw(st.sampled_from([64, 512, len(data)])))
        position = draw(st.integers(0, max(0, end - 1)))
        action = draw(st.sampled_from(["flip", "set", "cut", "insert", "truncate"]))
        if action == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif action == "set" and data:
            data[position] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0xD8, 0xD9]))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        else:
            del data[draw(st.integers(0, len(data))) :]
    return bytes(data)


MAGIC = st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP", b""])
UPLOADS = st.one_of(
    st.binary(max_size=1024),
    st.builds(lambda magic, rest: magic + rest, MAGIC, st.binary(max_size=1024)),
    corrupted(),
)


def check(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = LocalImageStore(Path(tmp))
        try:
            result = process_upload(data, store)
        except ImageRejected:
            assert gen.stored_files(store.root) == []
            return
        assert isinstance(result, StoredImage)
        for key, longest in ((result.display_key, DISPLAY_LONGEST_SIDE), (result.thumb_key, THUMB_LONGEST_SIDE)):
            with Image.open(store.path(key)) as stored:
                stored.load()
                assert stored.format == "WEBP"
                assert max(stored.size) <= longest
                assert not stored.getexif() and "icc_profile" not in stored.info
        assert 1 <= len(gen.stored_files(store.root)) <= 2


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's own complaints about the damaged input
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UPLOADS)
def test_any_bytes_are_stored_cleanly_or_rejected_with_nothing_stored(data):
    check(data)


def test_the_uncorrupted_seeds_are_all_taken():
    for name, data in SEEDS.items():
        with tempfile.TemporaryDirectory() as tmp:
            assert isinstance(process_upload(data, LocalImageStore(Path(tmp))), StoredImage), name
