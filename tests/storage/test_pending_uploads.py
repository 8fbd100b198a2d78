"""Uploads held between import steps: random names, one folder per partnership, gone after a day."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from inspect_app.domain.errors import NotFound
from inspect_app.storage.pending_uploads import PendingUploads

NOW = datetime(2026, 11, 27, 10, 0)


def test_an_upload_is_saved_under_a_random_name_and_loaded_back(tmp_path):
    uploads = PendingUploads(tmp_path)
    token = uploads.save(7, b"data", {"file_name": "../../etc/passwd"}, now=NOW)
    assert len(token) == 32 and token.replace("-", "").replace("_", "").isalnum()
    assert sorted(p.name for p in (tmp_path / "7").iterdir()) == [f"{token}.json", f"{token}.upload"]
    upload = uploads.load(7, token)
    assert (upload.data, upload.meta["file_name"]) == (b"data", "../../etc/passwd")
    uploads.update_meta(7, token, errors=[[2, "A", "x", "bad"]])
    assert uploads.load(7, token).meta["errors"] == [[2, "A", "x", "bad"]]
    assert uploads.save(7, b"data", {}, now=NOW) != token


@pytest.mark.parametrize("token", ["../7/x", "short", "a" * 31 + "/", "", "A" * 33])
def test_a_malformed_token_is_not_found(tmp_path, token):
    with pytest.raises(NotFound):
        PendingUploads(tmp_path).load(7, token)


def test_another_partnerships_upload_is_not_found(tmp_path):
    uploads = PendingUploads(tmp_path)
    token = uploads.save(7, b"data", {}, now=NOW)
    with pytest.raises(NotFound):
        uploads.load(8, token)


def test_uploads_older_than_a_day_are_purged_when_another_is_saved_and_delete_forgets_one(tmp_path):
    uploads = PendingUploads(tmp_path, max_age=timedelta(days=1))
    old = uploads.save(7, b"old", {}, now=NOW - timedelta(days=2))
    recent = uploads.save(7, b"new", {}, now=NOW - timedelta(hours=2))
    uploads.save(8, b"other", {}, now=NOW)
    with pytest.raises(NotFound):
        uploads.load(7, old)
    assert uploads.load(7, recent).data == b"new"
    uploads.delete(7, recent)
    uploads.delete(7, recent)  # twice is fine
    with pytest.raises(NotFound):
        uploads.load(7, recent)
