"""The evidence file store: content-addressed blobs behind a small interface.

Callers only ever see `BlobStore`: `put(stream)` returns the blob's sha256 and size, `open(sha256)` reads it
back, `exists`, `delete` and `keys` serve housekeeping. The local backend keeps blobs under the instance
folder; an S3-compatible backend is one more class registered in BACKENDS, chosen by EVIDENCE_STORE_BACKEND,
and no caller changes.

Keys are sha256 digests only. A blob carries no partnership: tenancy lives in the database (a revision row
belongs to an item, which belongs to a partnership), and files are only ever served by revision id within a
partnership, never by hash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Protocol

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
CHUNK_SIZE = 1024 * 1024


class BlobTooLarge(Exception):
    """The stream was longer than the limit given to put(); nothing was stored."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"The file is larger than {limit} bytes")


class BlobNotFound(Exception):
    """No blob is stored under this key."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int


class BlobStore(Protocol):
    """What the evidence library needs from a file store."""

    def put(self, stream: IO[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Store the stream's bytes (read to its end) and return their sha256 and size."""
        ...

    def open(self, sha256: str) -> IO[bytes]:
        """Return a readable binary stream of the blob, or raise BlobNotFound."""
        ...

    def exists(self, sha256: str) -> bool:
        """Say whether a blob is stored under this key."""
        ...

    def delete(self, sha256: str) -> None:
        """Remove a blob (callers first check no revision refers to it); missing blobs are ignored."""
        ...

    def keys(self) -> Iterator[str]:
        """Yield every stored key (for housekeeping)."""
        ...


def check_key(sha256: str) -> str:
    """Return the key if it is a lower-case sha256 hex digest, else raise ValueError (never a path)."""
    if not isinstance(sha256, str) or not SHA256_PATTERN.match(sha256):
        raise ValueError("A blob key is a sha256 hex digest")
    return sha256


# name -> factory(config) for the configured backend; an object-store backend registers itself here.
BACKENDS: dict[str, Callable[[Mapping[str, Any]], BlobStore]] = {}


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


from inspect_app.storage.local import LocalStore  # noqa: E402  (registers the local backend)

__all__ = [
    "BACKENDS",
    "BlobNotFound",
    "BlobStore",
    "BlobTooLarge",
    "LocalStore",
    "StoredBlob",
    "check_key",
    "get_store",
    "store_from_config",
]
