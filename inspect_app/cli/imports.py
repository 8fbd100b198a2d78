"""`inspect-app import …`: files into a partnership. Each importer adds its command to this group."""

from __future__ import annotations

import click


@click.group("import")
def import_group() -> None:
    """Import files (all or nothing: a file with any bad row changes nothing)."""
