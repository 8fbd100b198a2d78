"""The architecture as a test: each layer imports only what DESIGN.md and STYLE.md let it (STYLE.md §5.10, 13).

Every `import` and `from … import` in inspect_app/ is read with `ast` (including imports inside functions, which
would otherwise hide a layer crossing from a reader), and checked against the rules below. A new violation fails
with the file, line and rule, so the layering cannot drift silently.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "inspect_app"


@dataclass(frozen=True)
class Import:
    file: str  # relative to inspect_app/, e.g. "views/evidence.py"
    line: int
    module: str  # the imported module, e.g. "sqlalchemy.orm" or "inspect_app.services.audit"
    names: tuple[str, ...]  # for `from m import a, b`: ("a", "b")


def _module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = _module_of(path) if path.name == "__init__.py" else _module_of(path).rpartition(".")[0]
        relative = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [Import(relative, node.lineno, alias.name, ()) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative import: resolve against the file's package
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                names = tuple(alias.name for alias in node.names)
                found.append(Import(relative, node.lineno, base, names))
                if base == "inspect_app":  # `from inspect_app import services` imports the subpackage too
                    found += [Import(relative, node.lineno, f"{base}.{name}", ()) for name in names]
    return found


IMPORTS = _imports()


def _in(module: str, *prefixes: str) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


# Libraries that belong to one layer only.
WEB = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "werkzeug", "wtforms")
DATABASE = ("sqlalchemy", "alembic", "psycopg")
DATA_AND_DOCUMENTS = ("pandas", "numpy", "matplotlib", "weasyprint", "docx", "openpyxl")
APP_LAYERS_ABOVE_DOMAIN = tuple(
    f"inspect_app.{name}"
    for name in (
        "models", "services", "importers", "reports", "storage", "forms", "views", "cli", "demo", "extensions",
        "navigation", "security", "errors", "filters", "config", "clock",
    )
)  # fmt: skip
FLASK_GLOBALS = {"current_app", "g", "request", "session", "has_app_context", "has_request_context"}


def _violations(layer: str, rule) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"{i.file}:{i.line} imports {i.module}{' (' + ', '.join(i.names) + ')' if i.names else ''}"
        for i in IMPORTS
        if i.file.startswith(layer) and rule(i)
    ]


def test_domain_is_pure_python():
    """domain/ imports no web framework, no database, no pandas/matplotlib, and no other layer of the app."""
    assert (
        _violations(
            "domain/",
            lambda i: _in(i.module, *WEB, *DATABASE, *DATA_AND_DOCUMENTS) or _in(i.module, *APP_LAYERS_ABOVE_DOMAIN),
        )
        == []
    )


def test_reports_take_data_in_and_give_documents_out():
    """reports/ imports no services, no database or models, no Flask, no importers."""
    forbidden = ("inspect_app.services", "inspect_app.models", "inspect_app.extensions", "inspect_app.importers")
    assert _violations("reports/", lambda i: _in(i.module, *forbidden, *WEB, *DATABASE)) == []


def test_importers_read_files_and_nothing_else():
    """importers/ import no services, models, database or web framework: file in, rows and row errors out."""
    forbidden = ("inspect_app.services", "inspect_app.models", "inspect_app.extensions", "inspect_app.views")
    assert _violations("importers/", lambda i: _in(i.module, *forbidden, *WEB, *DATABASE)) == []


# Known crossings that an open issue removes; each names where it goes. Empty this when they are gone.
PENDING = {
    ("services/case_imports.py", "flask"): "the import thread needs an app context: issue 17 moves imports to jobs",
    ("views/timeliness.py", "inspect_app.importers.common"): "errors_to_csv moves out of importers/ (issue 19 item 8)",
    ("views/feedback.py", "inspect_app.importers.common"): "errors_to_csv moves out of importers/ (issue 19 item 8)",
}


def test_services_never_reach_up_to_views_forms_or_flask_globals():
    """Services take a session and settings; they never import views, forms, the CLI or Flask's globals."""

    def crosses(i: Import) -> bool:
        if (i.file, i.module) in PENDING:
            return False
        if _in(i.module, "inspect_app.views", "inspect_app.forms", "inspect_app.cli", "inspect_app.navigation"):
            return True
        return _in(i.module, *WEB) or bool(FLASK_GLOBALS & set(i.names))

    assert _violations("services/", crosses) == []


def test_views_call_services_never_sqlalchemy_or_importers():
    """views/ and navigation.py import no SQLAlchemy and no importers (pandas stays behind importers/)."""

    def crosses(i: Import) -> bool:
        return (i.file, i.module) not in PENDING and _in(i.module, *DATABASE, "inspect_app.importers")

    assert _violations("views/", crosses) + _violations("navigation.py", crosses) == []


def test_forms_and_views_never_import_pandas_or_matplotlib():
    for layer in ("views/", "forms/"):
        assert _violations(layer, lambda i: _in(i.module, *DATA_AND_DOCUMENTS)) == []


def test_the_demo_is_never_imported_by_a_feature():
    """Features never import the demo: the demo imports features (demo/__init__.py lists its steps)."""
    importers = {i.file for i in IMPORTS if _in(i.module, "inspect_app.demo") and not i.file.startswith("demo/")}
    assert importers <= {"cli/demo.py"}


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("domain/frameworks.py", "inspect_app.domain.errors"),
        ("services/audit.py", "sqlalchemy"),
        ("views/evidence.py", "inspect_app.services.evidence"),
    ],
)
def test_the_walk_sees_imports_it_must_see(module, expected):
    """The check itself works: it finds imports that are known to be there."""
    assert any(i.file == module and _in(i.module, expected) for i in IMPORTS)


def test_the_walk_finds_imports_inside_functions():
    assert any(i.file == "views/feedback.py" and i.module == "inspect_app.importers.common" for i in IMPORTS)


def test_pending_crossings_still_exist_so_the_list_does_not_go_stale():
    for file, module in PENDING:
        assert any(i.file == file and _in(i.module, module) for i in IMPORTS), f"{file} no longer imports {module}"
