"""Reading an uploaded framework version from a ZIP file, safely."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

import yaml

from inspect_app.domain.errors import ValidationFailed

MAX_FILES = 500
MAX_UNPACKED_BYTES = 20 * 1024 * 1024


@contextmanager
def unpacked_version(stream: IO[bytes]) -> Iterator[Path]:
    """Unpack a ZIP of one framework version into a temporary folder and yield the version folder.

    Refuses archives that are not ZIPs, hold paths outside the folder, links, too many files or too many bytes.
    """
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as error:
        raise ValidationFailed("The file is not a ZIP file") from error
    with archive, tempfile.TemporaryDirectory(prefix="framework-upload-") as tmp:
        root = Path(tmp)
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES:
            raise ValidationFailed(f"The ZIP holds more than {MAX_FILES} files")
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ValidationFailed("The ZIP unpacks to more than 20 MB")
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\x00" in member.filename:
                raise ValidationFailed(f"The ZIP holds a file outside its folder: {member.filename}")
            if (member.external_attr >> 16) & 0o170000 == 0o120000:
                raise ValidationFailed(f"The ZIP holds a link, which is not allowed: {member.filename}")
            if name.name.startswith(".") or name.parts[0] == "__MACOSX":
                continue
            target = root.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
        candidates = sorted(p.parent for p in root.rglob("framework.yml"))
        if len(candidates) != 1:
            raise ValidationFailed("The ZIP must hold exactly one framework version folder with a framework.yml")
        yield _placed_by_metadata(candidates[0], root)


SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


def _placed_by_metadata(folder: Path, root: Path) -> Path:
    """Move the version folder to <id>/<version>/ as framework.yml names them (validation checks folder names)."""
    try:
        metadata = yaml.safe_load((folder / "framework.yml").read_text(encoding="utf-8")) or {}
        meta = metadata.get("framework", metadata) if isinstance(metadata, dict) else {}
        framework_id, version = str(meta.get("id", "")), str(meta.get("version", ""))
    except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
        return folder  # validation reports the broken file
    if not (SAFE_NAME.match(framework_id) and SAFE_NAME.match(version)):
        return folder
    target = root / "placed" / framework_id / version
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), str(target))
    return target
