"""Read a SEN2 return from a ZIP of COLLECT's Blade CSV export, joined into one node per person.

The Blade export (reference/sen2-and-person-level-lists.md §A7) is one CSV file per module, named
`Blade-Export_<DD-MM-YYYY>_<module>.csv`, with the XML element names in lower case as columns, the module's own
key `<module>tableid` and its parent's key (`persontableid` on requests, `requeststableid` on assessment and
activeplans, and so on). Modules are recognised by the end of the file name and, failing that, by their key
column. Rows are joined through the keys into the same nodes the XML reader gives (importers/sen2_xml.py), each
node remembering its file and row so that a problem is named by module file, row and column.

The ZIP is read in memory, never unpacked to disk; the uncompressed size of its CSV files counts against the
same limit as an XML file (a ZIP that inflates to gigabytes is refused before it is inflated).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Generator
from pathlib import Path
from typing import IO

from inspect_app.importers.common import FIRST_DATA_ROW, FileRejected, RowError
from inspect_app.importers.sen2_xml import Node

# module -> (its key column, the parent module whose key it carries)
PARENTS = {
    "person": None,
    "requests": "person",
    "assessment": "requests",
    "namedplan": "assessment",
    "plandetail": "namedplan",
    "activeplans": "requests",
    "placementdetail": "activeplans",
    "senneed": "activeplans",
}
LOCATION = "#loc"  # a node's (file name, row number)


class BladeReturn:
    """One Blade ZIP: its header and its people, joined."""

    def __init__(self, source: str | Path | bytes | IO[bytes], *, max_bytes: int) -> None:
        data = _read(source, max_bytes)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise FileRejected("The file is not a ZIP of Blade CSV files, nor a SEN2 XML return") from None
        with archive:
            csv_files = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
            if not csv_files:
                raise FileRejected("The ZIP holds no CSV files: it should hold the Blade export's module files")
            inflated = sum(info.file_size for info in csv_files)
            if inflated > max_bytes:
                raise FileRejected(
                    f"The ZIP's CSV files come to {inflated / 1_000_000:,.0f} MB unpacked, more than the "
                    f"{max_bytes / 1_000_000:,.0f} MB a SEN2 return can be."
                )
            self.tables = {name: table for name, table in (_table(archive, info) for info in csv_files) if name}
        self.errors: list[RowError] = []
        self.header: Node | None = None
        self.person_elements: set[str] = set()
        self.files = {module: table.filename for module, table in self.tables.items()}
        if "sen2" in self.tables and self.tables["sen2"].rows:
            self.header = dict(self.tables["sen2"].rows[0])
        missing = [module for module in ("person", "requests") if module not in self.tables]
        if missing:
            found = ", ".join(sorted(self.files.values())) or "none"
            raise FileRejected(
                f"The ZIP has no {' or '.join(missing)} module file (a name ending _{missing[0]}.csv). Files found: "
                f"{found}"
            )

    def people(self) -> Generator[Node, None, None]:
        """Yield each person with their modules joined under them, in the person file's order."""
        nodes = {module: table.nodes() for module, table in self.tables.items() if module in PARENTS}
        for module, parent in PARENTS.items():
            if parent is None or module not in nodes:
                continue
            if parent not in nodes:
                table = self.tables[module]
                self.errors.append(
                    RowError(FIRST_DATA_ROW, f"{table.filename} › {parent}tableid", "", _no_parent_file(parent))
                )
                continue
            by_id = {node.get(f"{parent}tableid", ""): node for node in nodes[parent]}
            for node in nodes[module]:
                key = node.get(f"{parent}tableid", "")
                owner = by_id.get(key)
                if owner is None:
                    file, row = node[LOCATION]
                    message = f"This {module} row belongs to {parent} {key!r}, which is not in the {parent} file"
                    if not key:
                        message = f"Enter the {parent}tableid that links this row to its {parent} row"
                    self.errors.append(RowError(row, f"{file} › {parent}tableid", key, message))
                    continue
                owner.setdefault(module, []).append(node)
        for person in nodes["person"]:
            self.person_elements.update(key for key, value in person.items() if isinstance(value, str))
            yield person


class _Table:
    def __init__(self, filename: str, rows: list[dict[str, str]]) -> None:
        self.filename = filename
        self.rows = rows

    def nodes(self) -> list[Node]:
        return [
            {**row, LOCATION: (self.filename, number)} for number, row in enumerate(self.rows, start=FIRST_DATA_ROW)
        ]


def _read(source: str | Path | bytes | IO[bytes], max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        data = Path(source).read_bytes()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRejected(f"The file is too large: a SEN2 return can be at most {max_bytes / 1_000_000:,.0f} MB")
    return data


def _table(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str | None, _Table]:
    name = Path(info.filename).name
    raw = archive.read(info)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().lower() for column in next(reader, [])]
    rows = [
        {column: cell.strip() for column, cell in zip(header, row, strict=False) if cell.strip()}
        for row in reader
        if any(cell.strip() for cell in row)
    ]
    return _module_of(name, header), _Table(name, rows)


def _module_of(filename: str, header: list[str]) -> str | None:
    stem = filename.lower().removesuffix(".csv")
    for module in ("sen2", *PARENTS):
        if stem.endswith(f"_{module}") or stem == module:
            return module
    for module in ("sen2", *PARENTS):
        if f"{module}tableid" in header and (PARENTS.get(module) is None or header.index(f"{module}tableid") == 0):
            return module
    return None


def _no_parent_file(parent: str) -> str:
    return f"The ZIP has no {parent} module file, so these rows cannot be joined to their {parent}"
