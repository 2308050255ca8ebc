"""The upload pipeline on real images: what it takes, what it refuses, and what it leaves behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image, JpegImagePlugin

from lib.adapters.storage.local import LocalImageStore
from lib.adapters.storage.pipeline import process_upload
from lib.domain.images import DISPLAY_LONGEST_SIDE, THUMB_LONGEST_SIDE, StoredImage
from tests.images import imagegen as gen
from tests.race import race

CLEAN_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}  # pixels only: no EXIF, ICCP or XMP chunk


def opened(store: LocalImageStore, key: str) -> Image.Image:
    image = Image.open(store.path(key))
    image.load()
    return image


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 180 and pixel[1] < 60 and pixel[2] < 60


def assert_clean_webp(store: LocalImageStore, key: str) -> Image.Image:
    data = Path(store.path(key)).read_bytes()
    assert set(gen.riff_chunks(data)) <= CLEAN_CHUNKS
    assert gen.SECRET_MAKE.encode() not in data
    image = opened(store, key)
    assert image.format == "WEBP"
    assert not image.getexif()
    assert not {"exif", "icc_profile", "xmp"} & set(image.info)
    return image


# --- what is taken ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(gen.jpeg(), id="jpeg"),
        pytest.param(gen.jpeg(progressive=True), id="jpeg-progressive"),
        pytest.param(gen.encode(gen.photo(mode="L"), "JPEG"), id="jpeg-grey"),
        pytest.param(gen.encode(gen.photo(mode="CMYK"), "JPEG"), id="jpeg-cmyk"),
        pytest.param(gen.png(), id="png"),
        pytest.param(gen.png(mode="P"), id="png-palette"),
        pytest.param(gen.png(mode="1"), id="png-1bit"),
        pytest.param(gen.png(mode="I;16"), id="png-16bit-grey"),
        pytest.param(gen.webp(), id="webp-lossy"),
        pytest.param(gen.webp(lossless=True), id="webp-lossless"),
    ],
)
def test_valid_images_are_stored_as_two_clean_webp_files(data, store):
    result = process_upload(data, store)
    assert isinstance(result, StoredImage)
    display = assert_clean_webp(store, result.display_key)
    thumb = assert_clean_webp(store, result.thumb_key)
    assert display.size == (result.width, result.height) == (640, 480)
    assert thumb.size == (480, 360)
    assert display.mode == thumb.mode == "RGB"
    assert len(gen.stored_files(store.root)) == 2


def test_sixteen_bit_grey_is_scaled_not_clipped(store):
    data = gen.encode(Image.new("I;16", (64, 64), 0x8000), "PNG")
    result = process_upload(data, store)
    red, green, blue = opened(store, result.display_key).getpixel((32, 32))
    assert 120 <= red <= 135 and red == green == blue


def test_orientation_6_is_applied_and_exif_with_gps_is_gone(store):
    data = gen.jpeg((400, 300), exif=gen.exif_with_gps(orientation=6))
    source = Image.open(io.BytesIO(data)).getexif()
    assert source[ExifTags.Base.Orientation] == 6 and source.get_ifd(ExifTags.IFD.GPSInfo)

    result = process_upload(data, store)

    assert (result.width, result.height) == (300, 400)
    display = assert_clean_webp(store, result.display_key)
    assert display.size == (300, 400)
    # Orientation 6 means "turn 90° clockwise to view": the red top-left corner ends up top-right.
    assert is_red(display.getpixel((300 - 10, 10)))
    assert not is_red(display.getpixel((10, 10)))
    assert_clean_webp(store, result.thumb_key)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_icc_and_xmp_are_stripped_from_png_and_webp(fmt, store):
    data = gen.encode(
        gen.photo((320, 240)),
        fmt,
        exif=gen.exif_with_gps(orientation=3),
        icc_profile=gen.srgb_icc(),
        **({"xmp": gen.XMP} if fmt == "WEBP" else {}),
    )
    assert gen.SECRET_MAKE.encode() in data
    result = process_upload(data, store)
    display = assert_clean_webp(store, result.display_key)
    assert is_red(display.getpixel((320 - 5, 240 - 5)))  # orientation 3 (180°): red corner now bottom-right
    assert not is_red(display.getpixel((5, 5)))


def test_an_embedded_colour_profile_is_applied_then_dropped(store):
    data = gen.jpeg((200, 100), icc_profile=gen.srgb_icc())
    result = process_upload(data, store)
    assert_clean_webp(store, result.display_key)


def test_an_unreadable_colour_profile_is_ignored(store):
    data = gen.jpeg((200, 100), icc_profile=b"not a profile at all" * 10)
    result = process_upload(data, store)
    assert_clean_webp(store, result.display_key)


def test_transparency_is_kept_as_webp_alpha(store):
    result = process_upload(gen.transparent_png(), store)
    display = assert_clean_webp(store, result.display_key)
    assert display.mode == "RGBA"
    assert display.getpixel((0, 0))[3] == 0
    assert display.getpixel((150, 100))[3] == 255


def test_palette_transparency_is_kept(store):
    image = Image.new("P", (100, 100), 0)
    image.putpalette([255, 255, 255, 200, 0, 0])
    image.paste(1, (25, 25, 75, 75))
    result = process_upload(gen.encode(image, "PNG", transparency=0), store)
    display = opened(store, result.display_key)
    assert display.mode == "RGBA" and display.getpixel((5, 5))[3] == 0


def test_transparency_survives_a_colour_profile(store):
    image = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    image.paste((200, 20, 20, 255), (30, 20, 90, 60))
    result = process_upload(gen.encode(image, "PNG", icc_profile=gen.srgb_icc()), store)
    display = assert_clean_webp(store, result.display_key)
    assert display.mode == "RGBA"
    assert display.getpixel((2, 2))[3] == 0 and is_red(display.getpixel((60, 40)))


def test_an_alpha_channel_that_is_opaque_everywhere_is_dropped(store):
    result = process_upload(gen.png((200, 100), mode="RGBA"), store)
    assert opened(store, result.display_key).mode == "RGB"


@pytest.mark.parametrize(
    ("size", "display", "thumb"),
    [
        ((4000, 3000), (1600, 1200), (480, 360)),
        ((1000, 5000), (320, 1600), (96, 480)),
        ((1600, 900), (1600, 900), (480, 270)),
        ((1000, 700), (1000, 700), (480, 336)),
        ((300, 200), (300, 200), (300, 200)),
        ((1, 1), (1, 1), (1, 1)),
        ((3000, 2), (1600, 1), (480, 1)),
    ],
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_renditions_fit_their_box_and_are_never_upscaled(size, display, thumb, fmt, store):
    result = process_upload(gen.encode(gen.photo(size), fmt), store)
    shown, small = opened(store, result.display_key), opened(store, result.thumb_key)
    assert shown.size == (result.width, result.height) == display
    assert small.size == thumb
    assert max(shown.size) <= DISPLAY_LONGEST_SIDE and max(small.size) <= THUMB_LONGEST_SIDE
    if max(size) <= THUMB_LONGEST_SIDE:
        assert result.thumb_key == result.display_key  # one file serves both


def test_big_jpegs_are_decoded_at_a_reduced_scale(store, monkeypatch):
    calls = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(image, mode, size):
        before = image.size
        result = original(image, mode, size)
        calls.append((before, size, image.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    result = process_upload(gen.jpeg((4000, 3000)), store)
    assert calls[0] == ((4000, 3000), (1600, 1200), (2000, 1500))  # decoded at half scale
    assert (result.width, result.height) == (1600, 1200)


def test_identical_uploads_get_identical_keys(store):
    data = gen.jpeg((900, 600), exif=gen.exif_with_gps(orientation=8))
    first, second = process_upload(data, store), process_upload(data, store)
    assert first == second
    assert len(gen.stored_files(store.root)) == 2
    assert Path(store.path(first.display_key)).name == first.display_key


def test_different_uploads_get_different_keys(store):
    a = process_upload(gen.jpeg((900, 600)), store)
    b = process_upload(gen.jpeg((900, 601)), store)
    assert a.display_key != b.display_key and a.thumb_key != b.thumb_key


def test_concurrent_uploads_give_the_same_results_as_one_at_a_time(store):
    uploads = [gen.jpeg((900 + i, 700), exif=gen.exif_with_gps(orientation=1 + i % 8)) for i in range(8)]
    together = race(8, lambda i: process_upload(uploads[i], store))
    assert together == [process_upload(data, store) for data in uploads]
    assert len(gen.stored_files(store.root)) == 16
