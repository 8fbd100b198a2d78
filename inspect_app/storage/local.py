"""Blobs in a local directory: `<root>/ab/cd/<sha256>`, written atomically (temp file, fsync, rename)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from inspect_app.storage.base import CHUNK_SIZE, SHA256_PATTERN, BlobNotFound, BlobTooLarge, StoredBlob, check_key


class LocalStore:
    """A content-addressed store in one directory. Two puts of the same bytes keep one file."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._incoming = self.root / "incoming"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LocalStore:
        return cls(Path(config["EVIDENCE_STORE_PATH"]))

    def path_of(self, sha256: str) -> Path:
        """Return where a blob lives; the name is the digest alone, never anything a user typed."""
        key = check_key(sha256)
        return self.root / key[:2] / key[2:4] / key

    def put(self, stream: IO[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Stream into a temp file while hashing, then rename into place (readers never see half a file)."""
        self._incoming.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle, temp_name = tempfile.mkstemp(dir=self._incoming, prefix="upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK_SIZE):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            key = digest.hexdigest()
            target = self.path_of(key)
            if target.exists():
                temp.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                temp.chmod(0o440)
                os.replace(temp, target)
            return StoredBlob(sha256=key, size=size)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def open(self, sha256: str) -> IO[bytes]:
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if path.is_file() and SHA256_PATTERN.match(path.name):
                yield path.name
