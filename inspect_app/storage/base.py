"""The evidence file store's interface: what every backend provides, and the errors it raises."""


from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Protocol

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
