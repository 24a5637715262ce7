"""Reading an XLSX sheet's cells back as text, as a spreadsheet program shows them (shared and inline strings)."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _column(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference).group(0)
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def sheet_rows(data: bytes, sheet: int = 1) -> list[list[str]]:
    """The rows of the n-th sheet, every cell as its text ("" for an empty one)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(node.text or "" for node in item.iter(f"{{{NS['m']}}}t")))
        root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{sheet}.xml"))
    rows = []
    for row in root.iter(f"{{{NS['m']}}}row"):
        cells: dict[int, str] = {}
        for cell in row.findall("m:c", NS):
            kind, value = cell.get("t"), cell.find("m:v", NS)
            if kind == "s":
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(node.text or "" for node in cell.iter(f"{{{NS['m']}}}t"))
            else:
                text = value.text if value is not None else ""
            cells[_column(cell.get("r"))] = text
        rows.append([cells.get(index, "") for index in range(max(cells, default=-1) + 1)])
    return rows
