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


def html_to_pdf_within(html: str, pages: int, *, keep_first: bool = False) -> bytes | None:
    """Render to PDF if the layout takes at most `pages` pages; otherwise None, so the caller can shorten it.

    With `keep_first`, a longer layout is cut to its first `pages` pages instead. A layout that does not fit is
    never written out, so trying a shorter version costs only the layout.
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(TEMPLATES_DIR)).render()
    if len(document.pages) > pages:
        if not keep_first:
            return None
        document = document.copy(document.pages[:pages])
    return document.write_pdf()
