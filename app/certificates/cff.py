"""Reading OpenType and CFF font programs: tables, the CFF Top DICT, and the charset rewrite of working fonts.

Just enough of the OpenType table directory and of CFF (Adobe Technical Note 5176) for app/certificates/fonts.py.
"""

from __future__ import annotations

CHARSET_OPERATOR = 15
CHARSTRINGS_OPERATOR = 17
ROS_OPERATOR = 1230  # 12 30: first operator of a CID-keyed font's Top DICT


def sfnt_table(font: bytes, tag: bytes) -> bytes | None:
    """One table of an OpenType font file."""
    record = _sfnt_table_record(font, tag)
    if record is None:
        return None
    offset, length = record
    return font[offset : offset + length]


def sfnt_table_offset(font: bytes, tag: bytes) -> int | None:
    """Where a table of an OpenType font file starts."""
    record = _sfnt_table_record(font, tag)
    return None if record is None else record[0]


def _sfnt_table_record(font: bytes, tag: bytes) -> tuple[int, int] | None:
    """(offset, length) of a table, from the table directory (OpenType spec, "Organization of an OpenType
    Font")."""
    if len(font) < 12:
        return None
    table_count = int.from_bytes(font[4:6], "big")
    for record in range(12, 12 + 16 * table_count, 16):
        if font[record : record + 4] == tag:
            return (
                int.from_bytes(font[record + 8 : record + 12], "big"),
                int.from_bytes(font[record + 12 : record + 16], "big"),
            )
    return None


def is_cid_keyed(cff: bytes) -> bool:
    """Whether the CFF's Top DICT starts with ROS (12 30), i.e. the font is CID-keyed (Adobe TN 5176, 18)."""
    return next(iter(top_dict_operators(cff, first_only=True)), None) == ROS_OPERATOR


def top_dict_operators(cff: bytes, *, first_only: bool = False) -> dict[int, list[int]]:
    """The Top DICT of a CFF table: operator (12 x as 1200 + x) -> integer operands (Adobe TN 5176, 4-5)."""
    position = _skip_index(cff, cff[2])  # header, then the Name INDEX
    count = int.from_bytes(cff[position : position + 2], "big")  # the Top DICT INDEX
    if count == 0:
        return {}
    offset_size = cff[position + 2]
    first = int.from_bytes(cff[position + 3 : position + 3 + offset_size], "big")
    second = int.from_bytes(cff[position + 3 + offset_size : position + 3 + 2 * offset_size], "big")
    data_start = position + 3 + (count + 1) * offset_size - 1
    top_dict = cff[data_start + first : data_start + second]
    operators: dict[int, list[int]] = {}
    operands: list[int] = []
    index = 0
    while index < len(top_dict):
        byte = top_dict[index]
        if byte <= 21:
            operator = 1200 + top_dict[index + 1] if byte == 12 else byte
            index += 2 if byte == 12 else 1
            operators[operator], operands = operands, []
            if first_only:
                break
            continue
        length = _operand_length(top_dict, index)
        operands.append(_integer_operand(top_dict, index) if byte != 30 else 0)
        index += length
    return operators


def _integer_operand(data: bytes, index: int) -> int:
    """The value of an integer DICT operand (Adobe TN 5176, table 3)."""
    byte = data[index]
    if byte == 28:
        return int.from_bytes(data[index + 1 : index + 3], "big", signed=True)
    if byte == 29:
        return int.from_bytes(data[index + 1 : index + 5], "big", signed=True)
    if 32 <= byte <= 246:
        return byte - 139
    if 247 <= byte <= 250:
        return (byte - 247) * 256 + data[index + 1] + 108
    return -(byte - 251) * 256 - data[index + 1] - 108


def _skip_index(cff: bytes, position: int) -> int:
    """The position just after the CFF INDEX at `position`."""
    count = int.from_bytes(cff[position : position + 2], "big")
    if count == 0:
        return position + 2
    offset_size = cff[position + 2]
    last_offset_at = position + 3 + count * offset_size
    last = int.from_bytes(cff[last_offset_at : last_offset_at + offset_size], "big")
    return last_offset_at + offset_size + last - 1


def _operand_length(data: bytes, index: int) -> int:
    """Length in bytes of the DICT operand starting at `index` (Adobe TN 5176, table 3)."""
    byte = data[index]
    if byte == 28:
        return 3
    if byte == 29:
        return 5
    if byte == 30:  # real number: nibbles up to and including an 0xf
        length = 1
        while index + length < len(data):
            value = data[index + length]
            length += 1
            if value & 0x0F == 0x0F or value >> 4 == 0x0F:
                break
        return length
    if 32 <= byte <= 246:
        return 1
    return 2  # 247-254


def with_identity_charset(font: bytes) -> bytes | None:
    """The OpenType/CFF font with its CFF charset rewritten in place as CID = glyph id.

    HarfBuzz keeps the source CIDs when it renumbers glyphs; WeasyPrint writes glyph ids into the PDF as CIDs,
    so the working copy must map each glyph to its own id. A format-2 charset with one range takes 5 bytes, never
    more than the charset it replaces. (Table checksums are not updated: FreeType and HarfBuzz ignore them.)
    """
    cff_offset = sfnt_table_offset(font, b"CFF ")
    if cff_offset is None:
        return None
    cff = font[cff_offset:]
    operators = top_dict_operators(cff)
    charset_at, charstrings_at = operators.get(CHARSET_OPERATOR), operators.get(CHARSTRINGS_OPERATOR)
    if not charset_at or not charstrings_at or charset_at[0] < 3:  # 0-2 are the predefined charsets
        return None
    glyph_count = int.from_bytes(cff[charstrings_at[0] : charstrings_at[0] + 2], "big")
    identity = bytes((2,)) + (1).to_bytes(2, "big") + (glyph_count - 2).to_bytes(2, "big")
    if glyph_count < 2 or _charset_length(cff, charset_at[0], glyph_count) < len(identity):
        return None
    start = cff_offset + charset_at[0]
    return font[:start] + identity + font[start + len(identity) :]


def _charset_length(cff: bytes, offset: int, glyph_count: int) -> int:
    """Bytes taken by the charset at `offset` (formats 0, 1 and 2 cover glyphs 1 .. glyph_count - 1)."""
    charset_format = cff[offset]
    if charset_format == 0:
        return 1 + 2 * (glyph_count - 1)
    range_size = 3 if charset_format == 1 else 4
    covered, position = 1, offset + 1
    while covered < glyph_count:
        covered += 1 + int.from_bytes(cff[position + 2 : position + range_size], "big")
        position += range_size
    return position - offset
