"""The evidence file store: content-addressed blobs behind a small interface.

Callers only ever see `BlobStore`: `put(stream)` returns the blob's sha256 and size, `open(sha256)` reads it
back, `exists`, `delete` and `keys` serve housekeeping. The local backend keeps blobs under the instance
folder; an S3-compatible backend is one more entry in BACKENDS, chosen by EVIDENCE_STORE_BACKEND,
and no caller changes.

Keys are sha256 digests only. A blob carries no partnership: tenancy lives in the database (a revision row
belongs to an item, which belongs to a partnership), and files are only ever served by revision id within a
partnership, never by hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from inspect_app.storage.base import (
    CHUNK_SIZE,
    SHA256_PATTERN,
    BlobNotFound,
    BlobStore,
    BlobTooLarge,
    StoredBlob,
    check_key,
)
from inspect_app.storage.local import LocalStore

# name -> factory(config): every backend, chosen by EVIDENCE_STORE_BACKEND.
BACKENDS: dict[str, Callable[[Mapping[str, Any]], BlobStore]] = {"local": LocalStore.from_config}


def store_from_config(config: Mapping[str, Any]) -> BlobStore:
    """Return the blob store the configuration names (EVIDENCE_STORE_BACKEND, default "local")."""
    name = config.get("EVIDENCE_STORE_BACKEND") or "local"
    try:
        factory = BACKENDS[name]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        raise RuntimeError(f"EVIDENCE_STORE_BACKEND must be one of {known}, not {name!r}") from None
    return factory(config)


def get_store() -> BlobStore:
    """Return the store for the current app (views and commands)."""
    from flask import current_app

    return store_from_config(current_app.config)


__all__ = [
    "BACKENDS",
    "CHUNK_SIZE",
    "SHA256_PATTERN",
    "BlobNotFound",
    "BlobStore",
    "BlobTooLarge",
    "LocalStore",
    "StoredBlob",
    "check_key",
    "get_store",
    "store_from_config",
]
