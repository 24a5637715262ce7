"""Reading an uploaded XLSX workbook without trusting it: an Office Open XML zip recognised by its content, bounded in
size, rows and decompressed bytes, read as stored values only. A formula is never evaluated and its cached result
never used: the cell is marked, and the batch refuses it.

Why not openpyxl (the well-kept XLSX library): it turns every numeric cell into a Python float, and money never
passes through a float here (STYLE: Decimal end to end); the stored text of a number is its exact decimal value,
which this reader hands on as text. Writing uses XlsxWriter, as every export does."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from app.errors import FieldError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.i18n import t

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# What the parts we read may decompress to, in all: a 2,000-row workbook is a few MiB; a zip bomb is refused.
MAX_DECOMPRESSED = 64 * 1024 * 1024
# Row elements a sheet may hold in all (empty or styled rows included), a bound on the work before the count of
# filled rows is known.
RAW_ROWS_PER_LIMIT = 10
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass(frozen=True)
class Cell:
    """One stored cell: its text (a number's exact decimal text, a boolean as "1"/"0"), what kind it is, and whether
    it holds a formula (then `value` is never used)."""

    value: str
    kind: str = "text"  # text | number | bool | error
    formula: bool = False


Row = tuple[int, dict[int, Cell]]  # (row number, {column number from 1: cell})


def not_a_workbook() -> UnsupportedMediaType:
    return UnsupportedMediaType(
        t("Only XLSX workbooks (Excel 2007 or later) are accepted."),
        [FieldError("batch.not_xlsx", "file", t("The file's content is not an XLSX workbook."))],
    )


def open_workbook(data: bytes, max_bytes: int) -> zipfile.ZipFile:
    """The workbook's zip, once its content says it is an XLSX within the limits (413 above `max_bytes`, 415 for
    anything that is not an Office Open XML workbook, whatever its name)."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(t("The upload exceeds the limit of %(mib)s MiB.", mib=max_bytes // 2**20))
    if not data.startswith(b"PK\x03\x04"):
        raise not_a_workbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook() from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_a_workbook()
    if sum(info.file_size for info in archive.infolist()) > MAX_DECOMPRESSED:
        raise PayloadTooLarge(t("The workbook is too large once unpacked."))
    return archive


def _damaged() -> ValidationFailed:
    return ValidationFailed(
        t("The workbook could not be read."),
        [FieldError("batch.unreadable", "file", t("The workbook is damaged or not in the XLSX format."))],
    )


def _parts(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[str, ElementTree.Element]]:
    """Elements of one XML part as they end; a part with a document type declaration (entities) is refused."""
    try:
        with archive.open(name) as head:
            if b"<!DOCTYPE" in head.read(4096).upper():
                raise _damaged()
        with archive.open(name) as stream:
            yield from ElementTree.iterparse(stream, events=("end",))
    except (ElementTree.ParseError, zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        raise _damaged() from None


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the path of its part, in the workbook's order."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        for _, element in _parts(archive, "xl/_rels/workbook.xml.rels"):
            if element.tag == f"{PKG_REL}Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[element.get("Id")] = path
    sheets = {}
    for _, element in _parts(archive, "xl/workbook.xml"):
        if element.tag == f"{MAIN}sheet":
            path = targets.get(element.get(f"{REL}id"))
            if path in archive.namelist():
                sheets[element.get("name", "")] = path
    return sheets


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-string table (text runs joined; phonetic runs left out)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _, element in _parts(archive, "xl/sharedStrings.xml"):
        if element.tag == f"{MAIN}si":
            strings.append(_text_of(element))
            element.clear()
    return strings


def _text_of(element: ElementTree.Element) -> str:
    """The text of a string item or inline string: its own <t>, or its runs' <t>, never the phonetic <rPh>."""
    own = element.find(f"{MAIN}t")
    if own is not None:
        return own.text or ""
    return "".join(run.findtext(f"{MAIN}t") or "" for run in element.findall(f"{MAIN}r"))


def _column(reference: str | None, fallback: int) -> int:
    match = _CELL_REF.fullmatch(reference or "")
    if not match:
        return fallback
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number


def _cell(element: ElementTree.Element, strings: list[str]) -> Cell | None:
    kind = element.get("t", "n")
    formula = element.find(f"{MAIN}f") is not None
    if kind == "inlineStr":
        inline = element.find(f"{MAIN}is")
        value = _text_of(inline) if inline is not None else ""
        return Cell(value, "text", formula) if value or formula else None
    raw = element.findtext(f"{MAIN}v")
    if raw is None:
        return Cell("", "text", True) if formula else None
    if kind == "s":
        index = int(raw) if raw.isdigit() else -1
        if not 0 <= index < len(strings):
            raise _damaged()
        return Cell(strings[index], "text", formula)
    if kind == "b":
        return Cell("1" if raw.strip() == "1" else "0", "bool", formula)
    if kind == "e":
        return Cell(raw, "error", formula)
    if kind in ("str", "d"):
        return Cell(raw, "text", formula)
    return Cell(raw.strip(), "number", formula)


def read_sheet(archive: zipfile.ZipFile, path: str, strings: list[str], max_rows: int) -> list[Row]:
    """The rows with at least one filled cell, in order; more than `max_rows` of them is refused (422)."""
    rows: list[Row] = []
    raw_rows = 0
    for _, element in _parts(archive, path):
        if element.tag != f"{MAIN}row":
            continue
        raw_rows += 1
        cells = {}
        for position, cell_element in enumerate(element.iter(f"{MAIN}c"), start=1):
            cell = _cell(cell_element, strings)
            if cell is not None and (cell.value.strip() or cell.formula):
                cells[_column(cell_element.get("r"), position)] = cell
        number = int(element.get("r")) if (element.get("r") or "").isdigit() else raw_rows
        element.clear()
        if cells:
            rows.append((number, cells))
        if len(rows) > max_rows or raw_rows > max_rows * RAW_ROWS_PER_LIMIT:
            raise too_many_rows(max_rows)
    return rows


def too_many_rows(max_rows: int) -> ValidationFailed:
    message = t("A workbook may hold at most %(rows)s rows per sheet; split it into several files.", rows=max_rows)
    return ValidationFailed(message, [FieldError("batch.too_many_rows", "file", message)])


def read_workbook(data: bytes, wanted: Callable[[str], str | None], max_bytes: int, max_rows: int) -> dict:
    """The sheets `wanted` names (it maps a sheet's name to a key, or None to skip it) as {key: rows}."""
    archive = open_workbook(data, max_bytes)
    with archive:
        keyed = {key: path for name, path in sheet_paths(archive).items() if (key := wanted(name))}
        strings = shared_strings(archive) if keyed else []
        return {key: read_sheet(archive, path, strings, max_rows) for key, path in keyed.items()}
