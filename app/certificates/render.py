"""Certificate rendering: CertificateData -> PDF/A-3b bytes with WeasyPrint, a pure function of its input.

Everything that does not depend on the certificate (the Jinja template, the working fonts and the font
configuration, the compiled stylesheets) is prepared once per process, on first use or by calling `prepare()` at
start-up (about 0.3-0.5 s). A finisher then draws the QR code and the seal (marks.py), stores the fonts as compact
CFF programs (fonts.py) and records the registration number and version in the document information.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import jinja2
import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from app.certificates.data import PDF_INFO_REGISTRATION_NUMBER, PDF_INFO_VERSION, CertificateData
from app.certificates.fonts import (
    CSS_FONT_STACK,
    WORKING_FAMILY,
    compact_subsets,
    embed_bare_cff,
    working_font_css,
)
from app.certificates.marks import SEAL_MOTTO, draw_marks, qr_svg, seal_svg
from app.domain.money import amount_in_words, format_amount

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "certificate"
PDF_VARIANT = "pdf/a-3b"
# What a first attempt would write: the system CJK font by name.
NAIVE_FONT_CSS = 'html { font-family: "Noto Serif CJK SC", serif; }'


@dataclass(frozen=True)
class _Prepared:
    """The per-process rendering set-up."""

    template: jinja2.Template
    font_config: FontConfiguration
    stylesheets: tuple[CSS, ...]
    font_directory: tempfile.TemporaryDirectory  # the working font copies; removed with the process


_prepared: _Prepared | None = None
_prepare_lock = threading.Lock()
# One certificate at a time per process: the shared Pango font map is not safe for concurrent use (and rendering
# is CPU-bound Python, so threads would not run it faster anyway).
_render_lock = threading.Lock()


def prepare() -> _Prepared:
    """Load the template, the fonts and the stylesheets once per process (thread-safe)."""
    global _prepared
    if _prepared is None:
        with _prepare_lock:
            if _prepared is None:
                _prepared = _build_prepared()
    return _prepared


def working_stylesheets(prefix: str, stylesheet: Path):
    """The working fonts (made in a temporary directory that lives as long as its object) and the stylesheets, the
    fonts' and `stylesheet`, compiled against one FontConfiguration: (font_directory, font_config, stylesheets).
    The certificate and the printed documents share it, so they print in the same fonts."""
    font_directory = tempfile.TemporaryDirectory(prefix=prefix)
    font_faces = working_font_css(Path(font_directory.name))
    font_stack = f'"{WORKING_FAMILY}", {CSS_FONT_STACK}' if font_faces else CSS_FONT_STACK
    font_config = FontConfiguration()
    stylesheets = (
        CSS(string=f"{font_faces}\nhtml {{ font-family: {font_stack}; }}", font_config=font_config),
        CSS(filename=str(stylesheet), font_config=font_config),
    )
    return font_directory, font_config, stylesheets


def _build_prepared() -> _Prepared:
    """Make the working fonts; compile the template and the stylesheets against one FontConfiguration."""
    font_directory, font_config, stylesheets = working_stylesheets(
        "tcr-certificate-fonts-", TEMPLATE_DIR / "certificate.css"
    )
    return _Prepared(_environment().get_template("certificate.html"), font_config, stylesheets, font_directory)


def _environment() -> jinja2.Environment:
    """The Jinja environment of the certificate template."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_certificate(data: CertificateData) -> bytes:
    """The certificate as PDF/A-3b bytes (identical for identical data)."""
    prepared = prepare()
    html = prepared.template.render(**certificate_context(data))
    with _render_lock, compact_subsets():
        document = HTML(string=html, base_url=str(TEMPLATE_DIR)).render(
            stylesheets=prepared.stylesheets, font_config=prepared.font_config
        )
        return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_finisher(data))


def render_naive(data: CertificateData) -> bytes:
    """The same certificate made the straightforward way; only for the benchmark's comparison.

    On every call: the template read and compiled, a fresh font configuration, the stylesheet parsed, the system
    CJK font with WeasyPrint's own font subsets, the QR code and the seal as inline SVG.
    """
    context = certificate_context(data)
    context["inline_marks"] = {"qr": qr_svg(data.verify_url), "seal": seal_svg(data.station_name, CSS_FONT_STACK)}
    html = _environment().get_template("certificate.html").render(**context)
    font_config = FontConfiguration()
    stylesheets = [
        CSS(string=NAIVE_FONT_CSS, font_config=font_config),
        CSS(filename=str(TEMPLATE_DIR / "certificate.css"), font_config=font_config),
    ]
    return HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf(
        stylesheets=stylesheets, font_config=font_config, pdf_variant=PDF_VARIANT, finisher=_record_registration(data)
    )


def _finisher(data: CertificateData):
    """WeasyPrint finisher: marks, compact fonts, and the registration in the document information."""
    record = _record_registration(data)

    def finish(document, pdf: pydyf.PDF) -> None:
        draw_marks(document, pdf, verify_url=data.verify_url, station_name=data.station_name)
        embed_bare_cff(document, pdf)
        record(document, pdf)

    return finish


def _record_registration(data: CertificateData):
    """WeasyPrint finisher: the registration number and version as custom document information entries."""

    def record(document, pdf: pydyf.PDF) -> None:
        pdf.info[PDF_INFO_REGISTRATION_NUMBER[1:]] = pydyf.String(data.registration_number)
        pdf.info[PDF_INFO_VERSION[1:]] = pydyf.String(str(data.version))

    return record


def certificate_context(data: CertificateData) -> dict:
    """The template's variables: the data object plus its printed forms."""
    return {
        "c": data,
        "created": f"{data.issued_on.isoformat()}T00:00:00+08:00",
        "parties": [("卖方", data.seller), ("买方", data.buyer), *data.other_parties],
        "signed_on": chinese_date(data.signed_on),
        "valid_from": chinese_date(data.valid_from),
        "valid_until": chinese_date(data.valid_until),
        "registered_on": chinese_date(data.registered_on),
        "issued_on": chinese_date(data.issued_on),
        "amount": None if data.amount is None else grouped_amount(data.amount),
        "amount_words": None if data.amount is None else amount_in_words(data.amount),
        "technical_amount": grouped_amount(data.certified_technical_amount),
        "technical_amount_words": amount_in_words(data.certified_technical_amount),
        "seal_motto": SEAL_MOTTO,
        "inline_marks": None,
    }


def chinese_date(day: date) -> str:
    """2026年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def grouped_amount(amount: Decimal) -> str:
    """1,080,000.00 (two decimals, thousands separated)."""
    return f"{Decimal(format_amount(amount)):,.2f}"
