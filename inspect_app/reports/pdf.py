"""HTML to PDF with WeasyPrint: the one place the PDF engine is called."""

from __future__ import annotations

from inspect_app.reports.templating import TEMPLATES_DIR


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document (styles inline, images inline or under templates/) to PDF bytes.

    The PDF is tagged (PDF/UA-1), so screen readers get the headings, lists and tables of the HTML.
    """
    from weasyprint import HTML  # imported here: loading Pango takes a moment and most requests never need it

    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(pdf_variant="pdf/ua-1")
