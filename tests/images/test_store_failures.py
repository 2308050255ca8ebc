"""A store that fails halfway: no half-stored pair remains, and nobody else's image is removed."""

from __future__ import annotations

import errno

import pytest

from lib.adapters.storage import local as images_module
from lib.adapters.storage.local import LocalImageStore
from lib.adapters.storage.pipeline import process_upload
from tests.images import imagegen as gen


class SecondPutFails(LocalImageStore):
    """The brief's failing store: the second put of its life raises, whatever it is given."""

    puts = 0

    def put(self, data: bytes, suffix: str) -> str:
        self.puts += 1
        if self.puts == 2:
            raise OSError(errno.EIO, "storage went away")
        return super().put(data, suffix)


def test_when_the_second_put_fails_nothing_of_the_upload_is_left(tmp_path):
    store = SecondPutFails(tmp_path / "images")
    with pytest.raises(OSError, match="storage went away"):
        process_upload(gen.jpeg((1200, 900)), store)
    assert store.puts == 2
    assert gen.stored_files(store.root) == []


def test_a_full_disk_on_the_thumbnail_leaves_nothing_behind(store, monkeypatch):
    real_mkstemp, writes = images_module.tempfile.mkstemp, []

    def mkstemp(*args, **kwargs):
        writes.append(args)
        if len(writes) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(images_module.tempfile, "mkstemp", mkstemp)
    with pytest.raises(OSError, match="No space"):
        process_upload(gen.jpeg((1200, 900)), store)
    assert gen.stored_files(store.root) == []


def test_a_failing_store_never_removes_an_identical_earlier_upload(store, monkeypatch):
    """The display file is shared with an earlier upload: the retry must not delete it."""
    earlier = process_upload(gen.jpeg((1200, 900)), store)
    files = gen.stored_files(store.root)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(images_module.tempfile, "mkstemp", no_space)
    again = process_upload(gen.jpeg((1200, 900)), store)  # both keys already held: nothing to write
    assert again == earlier
    assert gen.stored_files(store.root) == files


def test_a_failure_on_the_first_put_stores_nothing(store, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(images_module.tempfile, "mkstemp", broken)
    with pytest.raises(OSError):
        process_upload(gen.jpeg((1200, 900)), store)
    assert gen.stored_files(store.root) == []


def test_a_small_image_is_one_file_written_once(tmp_path):
    store = SecondPutFails(tmp_path / "images")
    result = process_upload(gen.jpeg((200, 100)), store)
    assert result.thumb_key == result.display_key
    assert store.puts == 1
    assert len(gen.stored_files(store.root)) == 1


def test_delete_removes_one_key_and_tolerates_a_missing_one(store):
    key = store.put(b"bytes", "webp")
    store.delete(key)
    assert not store.exists(key)
    store.delete(key)
    with pytest.raises(ValueError):
        store.delete("../escape")
