"""Fonts for certificates: the CJK font stack, a compact working copy of Noto Serif CJK SC, and dense subsets.

WeasyPrint subsets fonts "retaining glyph ids": a subset of Noto Serif CJK (65,535 glyphs) keeps 65,535 CFF glyph
slots, weighs 70-150 KB for a few hundred characters, and takes two HarfBuzz passes over the whole font (about
15 ms each). Noto CJK is CID-keyed with CID = glyph id, and the PDF addresses glyphs by CID; a dense subset that
keeps each glyph's CID in its CFF charset (HarfBuzz does) draws exactly the same glyphs, in one pass, at a tenth
of the size. So, while a certificate is rendered (`compact_subsets()`), WeasyPrint's subsetting of CID-keyed CFF
fonts is replaced by that one pass, and the finisher `embed_bare_cff` stores the bare CFF program
(FontFile3/CIDFontType0C, the classic form for CID fonts). TrueType fallback fonts keep WeasyPrint's subsets
(their empty glyph slots compress to almost nothing).

Each process also makes, once, a working copy of Noto Serif CJK SC (regular and bold) limited to GB 2312 plus
punctuation (about 7,500 glyphs instead of 65,535), renumbered with CID = glyph id, and loads it as "TCR Serif"
ahead of the system font. WeasyPrint copies a font's whole file for every document and HarfBuzz walks every glyph
slot when subsetting; the working copy makes both several times cheaper. Characters outside it fall back, glyph by
glyph, to the full system fonts.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import shutil
import subprocess
import threading
from pathlib import Path

import cffi
import pydyf
from weasyprint.pdf import fonts as weasyprint_fonts

from app.certificates import cff

logger = logging.getLogger(__name__)

# The families of the certificate, in fallback order: Noto Serif CJK SC (fonts-noto-cjk) has the GB 18030 basic
# repertoire; HanaMin A/B (fonts-hanazono) have CJK extensions A-F complete; BabelStone Han
# (fonts-babelstone-han) reaches into extension G and beyond. A character none of them has is drawn as a box.
FONT_FAMILIES = ("Noto Serif CJK SC", "HanaMinA", "HanaMinB", "BabelStone Han")
CSS_FONT_STACK = ", ".join(f'"{family}"' for family in FONT_FAMILIES) + ", serif"
WORKING_FAMILY = "TCR Serif"
WORKING_SOURCE = "Noto Serif CJK SC"
WORKING_WEIGHTS = {400: "regular", 700: "bold"}

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
hb_blob_t *hb_face_reference_table(const hb_face_t *face, uint32_t tag);
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_SETS_DROP_TABLE_TAG = 3
_FLAG_NO_HINTING = 0x1
_FLAG_DESUBROUTINIZE = 0x4  # as WeasyPrint does: some viewers mishandle subroutines in subsets
_FLAG_NO_LAYOUT_CLOSURE = 0x200
_CFF_TAG = int.from_bytes(b"CFF ", "big")
# Tables a PDF viewer never reads from an embedded CFF font (ISO 32000-1, 9.9: the CFF program is what counts).
_DROP_TABLES = (b"BASE", b"DSIG", b"GDEF", b"GPOS", b"GSUB", b"JSTF", b"VORG", b"vhea", b"vmtx", b"name")
_WORKING_DROP_TABLES = _DROP_TABLES[:-1]  # the working copy keeps its name table (fontconfig reads it)
_TOP_DICT_PROBE = 4096  # bytes of a CFF table enough to read its Top DICT's first operator

_compact = contextvars.ContextVar("tcr_compact_cff_subsets", default=False)
_install_lock = threading.Lock()
_installed = False


@functools.lru_cache(maxsize=1)
def _harfbuzz():
    """cffi handles on HarfBuzz and its subsetter (the libraries WeasyPrint itself loads)."""
    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


@contextlib.contextmanager
def compact_subsets():
    """Within this block, WeasyPrint embeds CID-keyed CFF fonts as dense subsets (this thread/context only)."""
    _install()
    token = _compact.set(True)
    try:
        yield
    finally:
        _compact.reset(token)


def _install() -> None:
    """Wrap WeasyPrint's Font.subset once per process; outside compact_subsets() it behaves as before."""
    global _installed
    with _install_lock:
        if _installed:
            return
        original = getattr(weasyprint_fonts.Font, "subset", None)
        if original is None:
            logger.warning("WeasyPrint's Font.subset not found: certificate fonts are embedded uncompacted")
            _installed = True
            return

        @functools.wraps(original)
        def subset(font, to_unicode, hinting):
            if _compact.get() and to_unicode:
                program = _dense_cff_subset(getattr(font, "hb_face", None), to_unicode, hinting)
                if program is not None:
                    font.file_content = program
                    return
            original(font, to_unicode, hinting)

        weasyprint_fonts.Font.subset = subset
        _installed = True


def _dense_cff_subset(weasyprint_face, glyph_ids, hinting: bool) -> bytes | None:
    """An OpenType/CFF font with only `glyph_ids` (and .notdef), renumbered densely, CIDs kept; None if the face
    is not a CID-keyed CFF font or HarfBuzz fails."""
    if weasyprint_face is None:
        return None
    ffi, harfbuzz, subsetter = _harfbuzz()
    face = ffi.cast("hb_face_t *", int(ffi.cast("uintptr_t", weasyprint_face)))
    if not _is_cid_keyed_cff(ffi, harfbuzz, face):
        return None
    request = subsetter.hb_subset_input_create_or_fail()
    if request == ffi.NULL:
        return None
    try:
        glyph_count = harfbuzz.hb_face_get_glyph_count(face)
        glyph_set = subsetter.hb_subset_input_glyph_set(request)
        harfbuzz.hb_set_add(glyph_set, 0)
        for glyph_id in glyph_ids:
            if glyph_id < glyph_count:
                harfbuzz.hb_set_add(glyph_set, glyph_id)
        drop = subsetter.hb_subset_input_set(request, _SETS_DROP_TABLE_TAG)
        for tag in _DROP_TABLES:
            harfbuzz.hb_set_add(drop, int.from_bytes(tag, "big"))
        flags = _FLAG_DESUBROUTINIZE | _FLAG_NO_LAYOUT_CLOSURE | (0 if hinting else _FLAG_NO_HINTING)
        subsetter.hb_subset_input_set_flags(request, flags)
        dense = subsetter.hb_subset_or_fail(face, request)
        if dense == ffi.NULL:
            return None
        try:
            return _blob_bytes(ffi, harfbuzz, harfbuzz.hb_face_reference_blob(dense))
        finally:
            harfbuzz.hb_face_destroy(dense)
    finally:
        subsetter.hb_subset_input_destroy(request)


def _is_cid_keyed_cff(ffi, harfbuzz, face) -> bool:
    """Whether the face has a CFF table whose Top DICT starts with ROS (12 30), i.e. a CID-keyed font.

    Only then does the charset carry CIDs; a name-keyed CFF font is addressed by glyph id and cannot be
    renumbered.
    """
    blob = harfbuzz.hb_face_reference_table(face, _CFF_TAG)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        if not length[0]:
            return False
        head = bytes(ffi.buffer(data, min(length[0], _TOP_DICT_PROBE)))
    finally:
        harfbuzz.hb_blob_destroy(blob)
    try:
        return cff.is_cid_keyed(head)
    except IndexError:
        return False


def _blob_bytes(ffi, harfbuzz, blob) -> bytes | None:
    """The contents of a HarfBuzz blob (which is released)."""
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else None
    finally:
        harfbuzz.hb_blob_destroy(blob)


def working_font_css(directory: Path) -> str:
    """Write the working copies of the system font into `directory`; their @font-face rules ("" if impossible)."""
    rules = []
    for weight, name in WORKING_WEIGHTS.items():
        source = _system_font_file(WORKING_SOURCE, weight)
        program = _working_copy(*source) if source else None
        if program is None:
            logger.warning("no working copy of %s (%s): certificates use the system font", WORKING_SOURCE, name)
            continue
        path = Path(directory) / f"tcr-serif-{name}.otf"
        path.write_bytes(program)
        rules.append(
            f'@font-face {{ font-family: "{WORKING_FAMILY}"; font-weight: {weight}; src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def _system_font_file(family: str, weight: int) -> tuple[str, int] | None:
    """(file, face index) of an installed font, as fontconfig resolves it; None if it is not installed."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{family}:weight={'bold' if weight >= 600 else 'regular'}"
    result = subprocess.run(
        [fc_match, "-f", "%{file}\t%{index}\t%{family}", pattern],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    parts = result.stdout.split("\t")
    if result.returncode != 0 or len(parts) != 3 or family not in parts[2].split(","):
        return None
    return parts[0], int(parts[1] or 0)


def _working_copy(path: str, index: int) -> bytes | None:
    """The font limited to the working repertoire, renumbered, with CID = glyph id; None if that fails."""
    ffi, harfbuzz, subsetter = _harfbuzz()
    blob = harfbuzz.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = harfbuzz.hb_face_create(blob, index)
    request = subsetter.hb_subset_input_create_or_fail()
    try:
        if not _is_cid_keyed_cff(ffi, harfbuzz, face):
            return None
        unicodes = subsetter.hb_subset_input_unicode_set(request)
        for codepoint in _working_repertoire():
            harfbuzz.hb_set_add(unicodes, codepoint)
        drop = subsetter.hb_subset_input_set(request, _SETS_DROP_TABLE_TAG)
        for tag in _WORKING_DROP_TABLES:
            harfbuzz.hb_set_add(drop, int.from_bytes(tag, "big"))
        subsetter.hb_subset_input_set_flags(request, _FLAG_NO_HINTING | _FLAG_NO_LAYOUT_CLOSURE)
        subset = subsetter.hb_subset_or_fail(face, request)
        if subset == ffi.NULL:
            return None
        try:
            program = _blob_bytes(ffi, harfbuzz, harfbuzz.hb_face_reference_blob(subset))
        finally:
            harfbuzz.hb_face_destroy(subset)
        return cff.with_identity_charset(program) if program else None
    finally:
        subsetter.hb_subset_input_destroy(request)
        harfbuzz.hb_face_destroy(face)
        harfbuzz.hb_blob_destroy(blob)


@functools.lru_cache(maxsize=1)
def _working_repertoire() -> frozenset[int]:
    """GB 2312 (all of it: hanzi and symbols) plus ASCII, Latin-1, general and CJK punctuation, full-width forms."""
    codepoints = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070))
    codepoints |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                codepoints.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return frozenset(codepoints)


def embed_bare_cff(document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: store dense CID-keyed OpenType/CFF programs as bare CFF (FontFile3/CIDFontType0C)."""
    for pdf_object in pdf.objects:
        if not (isinstance(pdf_object, pydyf.Dictionary) and pdf_object.get("Subtype") == "/CIDFontType0"):
            continue
        descriptor = pdf.objects[_object_number(pdf_object["FontDescriptor"])]
        stream = pdf.objects[_object_number(descriptor["FontFile3"])]
        if stream.extra.get("Subtype") == "/OpenType":
            program = cff.sfnt_table(b"".join(stream.stream), b"CFF ")
            if program is not None and cff.is_cid_keyed(program):
                stream.stream = [program]
                stream.extra["Subtype"] = "/CIDFontType0C"
        # CIDToGIDMap only means something for TrueType-based CIDFonts (ISO 32000-1, table 117).
        pdf_object.pop("CIDToGIDMap", None)


def _object_number(reference: bytes | str) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    if isinstance(reference, bytes):
        reference = reference.decode("ascii")
    return int(reference.split()[0])


@functools.cache
def seal_font_file() -> tuple[str, int] | None:
    """(file, face index) of the bold CJK font the seal's picture is drawn with; None if it is not installed."""
    return _system_font_file(WORKING_SOURCE, 700)
