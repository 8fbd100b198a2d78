"""Jinja for documents rendered outside a request (downloads, commands, scheduled exports).

The templates are the app's own (`templates/`), so a report body can be shared with a page; this environment
has no Flask globals, and undefined names fail loudly instead of rendering as blanks.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from inspect_app.config import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Return the shared Jinja environment for report templates (HTML autoescaped)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def render_template(name: str, **context: object) -> str:
    """Render one template from templates/ with the given context."""
    return environment().get_template(name).render(**context)
