from __future__ import annotations

import hashlib
import io

import pytest

from inspect_app.storage import BACKENDS, BlobNotFound, BlobTooLarge, LocalStore, store_from_config


def test_put_stores_by_sha256_under_two_levels_of_folders(tmp_path):
    store = LocalStore(tmp_path)
    data = b"board minutes" * 1000
    blob = store.put(io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.size) == (digest, len(data))
    assert (tmp_path / digest[:2] / digest[2:4] / digest).read_bytes() == data
    with store.open(digest) as handle:
        assert handle.read() == data
    assert store.exists(digest)
    assert list(store.keys()) == [digest]


def test_the_same_bytes_twice_keep_one_file_and_no_temporary_files(tmp_path):
    store = LocalStore(tmp_path)
    first = store.put(io.BytesIO(b"same"))
    second = store.put(io.BytesIO(b"same"))
    assert first == second
    assert list(store.keys()) == [first.sha256]
    assert list((tmp_path / "incoming").iterdir()) == []


def test_a_stream_over_the_limit_stores_nothing(tmp_path):
    store = LocalStore(tmp_path)
    with pytest.raises(BlobTooLarge):
        store.put(io.BytesIO(b"x" * 101), max_bytes=100)
    assert list(store.keys()) == []
    assert list((tmp_path / "incoming").iterdir()) == []


@pytest.mark.parametrize("key", ["../../etc/passwd", "ABC", "a" * 63, "g" * 64, "a" * 64 + "/x"])
def test_keys_that_are_not_sha256_digests_are_refused_before_touching_the_disk(tmp_path, key):
    store = LocalStore(tmp_path)
    with pytest.raises(ValueError, match="sha256"):
        store.open(key)
    with pytest.raises(ValueError, match="sha256"):
        store.exists(key)


def test_missing_blobs_raise_and_deleting_them_is_harmless(tmp_path):
    store = LocalStore(tmp_path)
    key = hashlib.sha256(b"gone").hexdigest()
    with pytest.raises(BlobNotFound):
        store.open(key)
    store.delete(key)
    blob = store.put(io.BytesIO(b"gone"))
    store.delete(blob.sha256)
    assert not store.exists(blob.sha256)


def test_the_backend_is_chosen_by_configuration_and_new_backends_plug_in(tmp_path):
    assert isinstance(store_from_config({"EVIDENCE_STORE_PATH": tmp_path}), LocalStore)
    BACKENDS["memory-test"] = lambda config: "a memory store"
    try:
        assert store_from_config({"EVIDENCE_STORE_BACKEND": "memory-test"}) == "a memory store"
    finally:
        del BACKENDS["memory-test"]
    with pytest.raises(RuntimeError, match="EVIDENCE_STORE_BACKEND must be one of"):
        store_from_config({"EVIDENCE_STORE_BACKEND": "nope"})
