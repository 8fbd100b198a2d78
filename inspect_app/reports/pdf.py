"""HTML to PDF with WeasyPrint: the one place the PDF engine is called."""

from __future__ import annotations

from inspect_app.reports.templating import TEMPLATES_DIR


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document (styles inline, images inline or under templates/) to PDF bytes.

    The PDF is not tagged (PDF/UA): tagging adds about 15% to the time of a long report, and the HTML download
    of the same report is the accessible version.
    """
    from weasyprint import HTML  # imported here: loading Pango takes a moment and most requests never need it

    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()
