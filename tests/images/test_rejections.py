"""What the pipeline refuses, with which message, and that a refusal stores nothing."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from lib.adapters.storage import pipeline
from lib.adapters.storage.local import LocalImageStore
from lib.adapters.storage.pipeline import process_upload
from lib.domain.errors import DomainError
from lib.domain.images import MAX_UPLOAD_BYTES, REJECTION_KEYS, ImageRejected
from lib.i18n import catalogue, translate
from tests.images import imagegen as gen


def rejected(data: bytes, store: LocalImageStore) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_upload(data, store)
    assert gen.stored_files(store.root) == []
    return caught.value


def test_empty_bytes(store):
    assert rejected(b"", store).key == "error.image_empty"


def test_an_11_mb_file_is_refused_before_decoding(store, monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("decoded a file that is too large"))
    data = gen.jpeg() + b"\0" * (11 * 1024 * 1024)
    error = rejected(data, store)
    assert error.key == "error.image_too_large" and error.params == {"max_mb": 10}
    assert "10 MB" in translate("en", error.key, **error.params)
    assert "10MB" in translate("ko", error.key, **error.params)


def test_exactly_the_size_limit_is_not_refused_for_size(store):
    data = gen.png((64, 64)) + b"\0" * (MAX_UPLOAD_BYTES - len(gen.png((64, 64))))
    assert len(data) == MAX_UPLOAD_BYTES
    process_upload(data, store)  # trailing bytes after IEND are ignored, like any viewer does


@pytest.mark.parametrize(
    "size",
    [(10_000, 10_000), (8000, 7500), (15_000, 15_000)],
    ids=["100MP", "60MP-under-pillows-own-limit", "225MP-pillow-raises"],
)
@pytest.mark.parametrize("warnings_as", ["ignore", "error"])
def test_too_many_pixels_is_refused_from_the_header_without_decoding(size, warnings_as, store, monkeypatch):
    data = gen.huge_png(*size)
    pillow_limit = Image.MAX_IMAGE_PIXELS
    assert len(data) < 200_000  # tiny on disk, a bomb in memory
    loads = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: loads.append(self) or pytest.fail("decoded"))
    started = time.perf_counter()
    with warnings.catch_warnings():  # Pillow's own warning, above ~89 MP, either ignored or raised
        warnings.simplefilter(warnings_as, Image.DecompressionBombWarning)
        error = rejected(data, store)
    assert time.perf_counter() - started < 0.5
    assert loads == []
    assert error.key == "error.image_too_many_pixels" and error.params == {"max_mp": 40}
    assert Image.MAX_IMAGE_PIXELS is pillow_limit  # the process-wide setting was left alone


def test_forty_megapixels_is_still_taken(store):
    result = process_upload(gen.huge_png(8000, 5000), store)
    assert (result.width, result.height) == (1600, 1000)


SVG = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Dear diary, this is plain text pretending to be holiday.jpg\n" * 50, id="text"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x90" * 4000, id="elf-renamed-jpg"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), id="exe-renamed-jpg"),
        pytest.param(SVG, id="svg"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"/>', id="svg-bare"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", id="pdf"),
        pytest.param(b"PK\x03\x04" + bytes(100), id="zip"),
        pytest.param(gen.encode(gen.photo((64, 64)), "GIF"), id="gif"),
        pytest.param(gen.encode(gen.photo((64, 64)), "BMP"), id="bmp"),
        pytest.param(gen.encode(gen.photo((64, 64)), "TIFF"), id="tiff"),
        pytest.param(gen.encode(gen.photo((64, 64)), "ICO"), id="ico"),
        pytest.param(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100), id="heic"),
    ],
)
def test_other_kinds_of_file_are_refused_as_a_format(data, store):
    if data[4:12] == b"ftypheic" and pipeline.HEIF_SUPPORTED:
        pytest.skip("pillow_heif is installed here: HEIC is a taken format")
    assert rejected(data, store).key == "error.image_format"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(gen.jpeg()[: len(gen.jpeg()) // 2], id="jpeg-truncated"),
        pytest.param(gen.jpeg()[:200], id="jpeg-header-only"),
        pytest.param(gen.png()[: len(gen.png()) // 2], id="png-truncated"),
        pytest.param(gen.webp()[: len(gen.webp()) // 2], id="webp-truncated"),
        pytest.param(b"\xff\xd8\xff\xe0" + b"\xab" * 500, id="jpeg-magic-then-garbage"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\xab" * 500, id="png-magic-then-garbage"),
        pytest.param(b"RIFF\x00\x01\x00\x00WEBPVP8 " + b"\xab" * 500, id="webp-magic-then-garbage"),
    ],
)
def test_damaged_images_are_refused_as_corrupt(data, store):
    assert rejected(data, store).key == "error.image_corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_pipeline_refuses_to_run_if_truncated_loading_was_switched_on(store, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        process_upload(gen.jpeg(), store)


def test_every_reason_is_a_domain_error_translated_in_both_languages():
    for key in REJECTION_KEYS:
        assert isinstance(ImageRejected(key), DomainError)
        for lang in ("en", "ko"):
            assert key in catalogue(lang), (lang, key)
    with pytest.raises(ValueError):
        ImageRejected("error.something_else")
    assert "40" in translate("ko", "error.image_too_many_pixels", **ImageRejected.too_many_pixels().params)


def test_a_refused_upload_leaves_earlier_images_alone(store, tmp_path: Path):
    kept = process_upload(gen.jpeg(), store)
    before = gen.stored_files(store.root)
    with pytest.raises(ImageRejected):
        process_upload(gen.jpeg()[:300], store)
    assert gen.stored_files(store.root) == before
    assert store.exists(kept.display_key) and store.exists(kept.thumb_key)
