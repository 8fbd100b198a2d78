"""Files held between the steps of an import (upload, then map the columns, then import).

Each upload is kept under `<root>/<partnership id>/<token>.upload` with a `<token>.json` beside it. The token
is random (never derived from the user's file name), so a path cannot be guessed or steered; the partnership
folder means one partnership's token finds nothing under another's. Uploads are deleted once imported, and
any older than `max_age` are deleted whenever a new one is saved.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from inspect_app.domain.errors import NotFound

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
DEFAULT_MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class PendingUpload:
    token: str
    data: bytes
    meta: dict[str, Any]


class PendingUploads:
    """A folder of uploaded files waiting for the next step of an import."""

    def __init__(self, root: Path, max_age: timedelta = DEFAULT_MAX_AGE) -> None:
        self.root = Path(root)
        self.max_age = max_age

    def save(self, partnership_id: int, data: bytes, meta: dict[str, Any], *, now: datetime) -> str:
        """Keep a file and its details; return the token that names it."""
        self.purge(now=now)
        folder = self._folder(partnership_id)
        folder.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
        (folder / f"{token}.upload").write_bytes(data)
        self._write_meta(folder / f"{token}.json", {**meta, "saved_at": now.isoformat()})
        return token

    def load(self, partnership_id: int, token: str) -> PendingUpload:
        """Return an upload, or raise NotFound (also for a malformed token or another partnership's)."""
        data_path, meta_path = self._paths(partnership_id, token)
        if not data_path.is_file() or not meta_path.is_file():
            raise NotFound("That upload has expired or was already imported. Upload the file again.")
        return PendingUpload(token=token, data=data_path.read_bytes(), meta=json.loads(meta_path.read_text()))

    def update_meta(self, partnership_id: int, token: str, **changes: Any) -> None:
        """Record more about an upload (for example the mapping last tried)."""
        upload = self.load(partnership_id, token)
        _, meta_path = self._paths(partnership_id, token)
        self._write_meta(meta_path, {**upload.meta, **changes})

    def delete(self, partnership_id: int, token: str) -> None:
        """Forget an upload (nothing happens if it is already gone)."""
        for path in self._paths(partnership_id, token):
            path.unlink(missing_ok=True)

    def purge(self, *, now: datetime) -> int:
        """Delete every upload saved more than `max_age` ago (by the app's clock); return how many went."""
        if not self.root.is_dir():
            return 0
        cutoff = now - self.max_age
        removed = 0
        for meta_path in self.root.glob("*/*.json"):
            try:
                saved_at = datetime.fromisoformat(json.loads(meta_path.read_text())["saved_at"])
            except (OSError, ValueError, KeyError, TypeError):
                saved_at = None  # unreadable details: the upload cannot be used, so it goes
            if saved_at is None or saved_at < cutoff:
                meta_path.with_suffix(".upload").unlink(missing_ok=True)
                meta_path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _folder(self, partnership_id: int) -> Path:
        return self.root / str(int(partnership_id))

    def _paths(self, partnership_id: int, token: str) -> tuple[Path, Path]:
        if not TOKEN_PATTERN.match(token or ""):
            raise NotFound("That upload has expired or was already imported. Upload the file again.")
        folder = self._folder(partnership_id)
        return folder / f"{token}.upload", folder / f"{token}.json"

    @staticmethod
    def _write_meta(path: Path, meta: dict[str, Any]) -> None:
        path.write_text(json.dumps(meta, default=str))
