"""Document rendering: a template and its plain data -> PDF/A-3b bytes, with the certificate's fonts and seal.

The set-up (working fonts, font configuration, stylesheets, templates) is made once per process, like the
certificate's (app/certificates/render.py), with its own font configuration and lock; the finisher draws the
station's seal into the box #seal (app/certificates/marks.py) and stores the fonts as compact CFF programs.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from app.certificates.fonts import compact_subsets, embed_bare_cff
from app.certificates.marks import draw_marks
from app.certificates.render import PDF_VARIANT, working_stylesheets

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "documents"
PDF_INFO_CASE_NUMBER = "TCR-Case-Number"
PDF_INFO_KIND = "TCR-Document-Kind"


@dataclass(frozen=True)
class _Prepared:
    """The per-process rendering set-up."""

    environment: jinja2.Environment
    font_config: FontConfiguration
    stylesheets: tuple[CSS, ...]
    font_directory: tempfile.TemporaryDirectory  # the working font copies; removed with the process


_prepared: _Prepared | None = None
_prepare_lock = threading.Lock()
_render_lock = threading.Lock()  # the font map of one FontConfiguration is not safe for concurrent use


def prepare() -> _Prepared:
    """Load the templates, the fonts and the stylesheet once per process (thread-safe)."""
    global _prepared
    if _prepared is None:
        with _prepare_lock:
            if _prepared is None:
                _prepared = _build_prepared()
    return _prepared


def _build_prepared() -> _Prepared:
    font_directory, font_config, stylesheets = working_stylesheets("tcr-document-fonts-", TEMPLATE_DIR / "document.css")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _Prepared(environment, font_config, stylesheets, font_directory)


def render_document(kind: str, context: dict, *, station_name: str, case_number: str) -> bytes:
    """The document `kind` (templates/documents/<kind>.html) as PDF/A-3b bytes (identical for identical data)."""
    prepared = prepare()
    html = prepared.environment.get_template(f"{kind}.html").render(**context)
    with _render_lock, compact_subsets():
        document = HTML(string=html, base_url=str(TEMPLATE_DIR)).render(
            stylesheets=prepared.stylesheets, font_config=prepared.font_config
        )
        return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_finisher(kind, station_name, case_number))


def _finisher(kind: str, station_name: str, case_number: str):
    """WeasyPrint finisher: the seal, compact fonts, and the case number and kind in the document information."""

    def finish(document, pdf: pydyf.PDF) -> None:
        draw_marks(document, pdf, verify_url="", station_name=station_name)
        embed_bare_cff(document, pdf)
        pdf.info[PDF_INFO_CASE_NUMBER] = pydyf.String(case_number)
        pdf.info[PDF_INFO_KIND] = pydyf.String(kind)

    return finish
