"""The QR code and the seal of a certificate, drawn as vector marks straight into the PDF page.

WeasyPrint lays out every SVG text glyph separately (a seal's ring of characters costs more than the rest of the
page) and parses long SVG paths in Python, so the marks are written as PDF operators by a finisher instead, into
the empty boxes #qr and #seal that the layout reserves. The seal's characters use the glyphs already embedded for
the same characters printed on the page (the station's name in bold beside the seal, the motto in the note), so
the marks add no font data. `qr_svg` and `seal_svg` are the straightforward SVG versions, kept for the benchmark's
naive path. `seal_png` draws the same seal as a picture, for the OFD electronic seal (GB/T 38540 wants a picture).
"""

from __future__ import annotations

import functools
import io
import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pydyf
import segno
from PIL import Image, ImageDraw, ImageFont

PT_PER_PX = 0.75  # WeasyPrint's CSS px -> PDF points
SEAL_RGB = (0.784, 0.086, 0.114)  # #c8161d
SEAL_MOTTO = "技术合同登记专用章"
_BEZIER_CIRCLE = 0.5523  # control-point distance of a quarter circle, as a fraction of the radius
# A fixed mask pattern (any of the eight is valid, ISO/IEC 18004 7.8): choosing the "best" one scores all eight in
# pure Python, several milliseconds per certificate.
QR_MASK = 2
_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>")


@dataclass(frozen=True)
class _Box:
    """A rectangle in PDF user space (points, origin at the bottom left)."""

    left: float
    bottom: float
    width: float
    height: float


def draw_marks(document, pdf: pydyf.PDF, *, verify_url: str, station_name: str) -> None:
    """Finisher step: draw the QR code into #qr and the seal into #seal, on whichever page holds them."""
    for page, page_object in zip(document.pages, _page_objects(pdf)):
        boxes = {name: _pdf_box(anchor, page.height) for name, anchor in page.anchors.items()}
        if "qr" not in boxes and "seal" not in boxes:
            continue
        # The seal goes under the page's content (the text it covers stays legible, no transparency needed), the
        # QR code over it. WeasyPrint's content leaves a flipped, scaled CTM behind, hence its own q/Q.
        under = _seal_operators(station_name, boxes["seal"], _glyph_finder(pdf, page_object)) if "seal" in boxes else []
        over = _qr_operators(verify_url, boxes["qr"]) if "qr" in boxes else []
        stream = pdf.objects[_object_number(page_object["Contents"])]
        stream.stream[:0] = [*_artifact(under), b"q"]
        stream.stream.extend([b"Q", *_artifact(over)])


def _artifact(operators: list[bytes]) -> list[bytes]:
    """Operators marked as a layout artifact (not text to extract), in their own graphics state."""
    return [b"/Artifact BMC q", *operators, b"Q EMC"] if operators else []


def _pdf_box(anchor: tuple[float, float, float, float], page_height_px: float) -> _Box:
    """An anchor's CSS-pixel rectangle (origin top left) in PDF points (origin bottom left)."""
    x1, y1, x2, y2 = anchor
    return _Box(x1 * PT_PER_PX, (page_height_px - y2) * PT_PER_PX, (x2 - x1) * PT_PER_PX, (y2 - y1) * PT_PER_PX)


def _page_objects(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    """The page dictionaries, in order."""
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]  # pydyf keeps Kids as [n, 0, "R", ...]


def _resolve(pdf: pydyf.PDF, value):
    """The object a pydyf reference points to, or the value itself if it is not a reference."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if isinstance(text, str) and text.endswith(" R"):
        return pdf.objects[_object_number(text)]
    return value


def _object_number(reference) -> int:
    """The object number of a pydyf reference (b"12 0 R", "12 0 R" or an int)."""
    if isinstance(reference, int):
        return reference
    if isinstance(reference, bytes):
        reference = reference.decode("ascii")
    return int(str(reference).split()[0])


def _qr_operators(url: str, box: _Box) -> list[bytes]:
    """Black rectangles for the dark modules, one per horizontal run, filling the box."""
    matrix = segno.make(url, error="m", micro=False, mask=QR_MASK).matrix
    module = min(box.width, box.height) / len(matrix)
    top = box.bottom + box.height
    operators = [b"0 0 0 rg"]  # DeviceRGB, like the sRGB output intent
    for row_index, row in enumerate(matrix):
        y = top - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            operators.append(
                f"{box.left + start * module:.2f} {y:.2f} {(column - start) * module:.2f} {module:.2f} re".encode()
            )
    operators.append(b"f")
    return operators


class _GlyphFinder:
    """Where a character's glyph is in the page's fonts: (font resource name, CID), bold fonts first."""

    def __init__(self, fonts: list[tuple[str, bool, dict[str, int]]]) -> None:
        self._fonts = sorted(fonts, key=lambda font: not font[1])

    def find(self, char: str, prefer: str | None = None) -> tuple[str, int] | None:
        """The glyph of `char`, in the font named `prefer` if it has one."""
        for name, _bold, cids in self._fonts:
            if char in cids and (prefer is None or name == prefer):
                return name, cids[char]
        return self.find(char) if prefer is not None else None

    def font_for(self, text: str) -> str | None:
        """The first font (bold first) that has every character of `text`, so that a line keeps one weight."""
        for name, _bold, cids in self._fonts:
            if all(char in cids for char in text):
                return name
        return None


def _glyph_finder(pdf: pydyf.PDF, page_object: pydyf.Dictionary) -> _GlyphFinder:
    """Read the page's Type 0 fonts: their resource names and ToUnicode maps, reversed."""
    resources = _resolve(pdf, page_object["Resources"])
    fonts = []
    for name, reference in _resolve(pdf, resources.get("Font", pydyf.Dictionary())).items():
        font = _resolve(pdf, reference)
        if font.get("Subtype") != "/Type0" or "ToUnicode" not in font:
            continue
        to_unicode = _resolve(pdf, font["ToUnicode"])
        data = b"\n".join(item if isinstance(item, bytes) else str(item).encode() for item in to_unicode.stream)
        cids = {}
        for cid, text in _BFCHAR.findall(data):
            char = bytes.fromhex(text.decode()).decode("utf-16-be", errors="ignore")
            if len(char) == 1:
                cids.setdefault(char, int(cid, 16))
        base_font = str(font.get("BaseFont", ""))
        fonts.append((str(name), "Bold" in base_font, cids))
    return _GlyphFinder(fonts)


def _seal_operators(station_name: str, box: _Box, glyphs: _GlyphFinder) -> list[bytes]:
    """A red ring, a five-pointed star, the station's name around the top and the motto below the star."""
    radius = min(box.width, box.height) / 2
    centre_x, centre_y = box.left + box.width / 2, box.bottom + box.height / 2
    red = "{:.3f} {:.3f} {:.3f}".format(*SEAL_RGB)
    ring_width = radius * 0.06
    operators = [f"{red} rg {red} RG {ring_width:.2f} w".encode()]
    operators += _circle(centre_x, centre_y, radius - ring_width / 2)
    operators.append(b"S")
    operators += _star(centre_x, centre_y + radius * 0.04, radius * 0.27)
    operators.append(b"f")
    operators.append(b"BT")
    operators += _ring_text(station_name, centre_x, centre_y, radius - ring_width * 2.2, glyphs)
    operators += _motto(centre_x, centre_y - radius * 0.5, radius * 0.135, glyphs)
    operators.append(b"ET")
    return operators


def _circle(x: float, y: float, r: float) -> list[bytes]:
    """A closed circle path of four Bezier curves."""
    k = r * _BEZIER_CIRCLE
    return [
        f"{x + r:.2f} {y:.2f} m".encode(),
        f"{x + r:.2f} {y + k:.2f} {x + k:.2f} {y + r:.2f} {x:.2f} {y + r:.2f} c".encode(),
        f"{x - k:.2f} {y + r:.2f} {x - r:.2f} {y + k:.2f} {x - r:.2f} {y:.2f} c".encode(),
        f"{x - r:.2f} {y - k:.2f} {x - k:.2f} {y - r:.2f} {x:.2f} {y - r:.2f} c".encode(),
        f"{x + k:.2f} {y - r:.2f} {x + r:.2f} {y - k:.2f} {x + r:.2f} {y:.2f} c h".encode(),
    ]


def _star(x: float, y: float, r: float) -> list[bytes]:
    """A five-pointed star, point up."""
    points = [
        (
            x + (r if k % 2 == 0 else r * 0.382) * math.sin(math.radians(36 * k)),
            y + (r if k % 2 == 0 else r * 0.382) * math.cos(math.radians(36 * k)),
        )
        for k in range(10)
    ]
    return [f"{px:.2f} {py:.2f} {'m' if i == 0 else 'l'}".encode() for i, (px, py) in enumerate(points)] + [b"h"]


@dataclass(frozen=True)
class RingLayout:
    """Where a seal's ring of characters goes: glyph size and baseline radius (in units of the text band's outer
    radius) and the arc, in degrees, centred on the top, that the characters' centres span."""

    size: float
    baseline: float
    spread: float
    step: float


RING_MAX_SIZE = 0.24  # the largest glyph, as a fraction of the band's outer radius (a short name)
RING_MAX_SPREAD = 270.0  # degrees: the bottom quarter stays free, as on a real seal
RING_MIN_SPREAD = 150.0  # a short name is still spread over the top half, not bunched
RING_GAP = 0.12  # space between neighbouring glyphs, as a fraction of the glyph size
GLYPH_ASCENT = 0.88  # the CJK em box above the baseline (Noto CJK: 880/1000)


def ring_layout(count: int) -> RingLayout:
    """The ring's geometry for `count` characters, computed from the arc each glyph needs.

    A glyph of size s whose top touches the band's outer edge (radius 1) has its centre at radius 1 - s/2, where
    it needs an arc of s·(1 + gap) between neighbours: s·(1 + gap) = (1 - s/2)·θ. With the largest size the
    characters span n·θ; when that exceeds the longest arc, θ is fixed by it and the size follows."""
    count = max(count, 1)
    size = RING_MAX_SIZE
    step = math.degrees(size * (1 + RING_GAP) / (1 - size / 2))
    if count * step > RING_MAX_SPREAD:
        theta = math.radians(RING_MAX_SPREAD / count)
        size = theta / (1 + RING_GAP + theta / 2)
        step = RING_MAX_SPREAD / count
    else:
        step = max(step, min(RING_MIN_SPREAD, RING_MAX_SPREAD) / count) if count > 1 else step
    spread = step * count
    return RingLayout(size=size, baseline=1 - size * GLYPH_ASCENT, spread=spread, step=step)


def _ring_text(text: str, x: float, y: float, outer: float, glyphs: _GlyphFinder) -> list[bytes]:
    """The characters of `text` upright along the top of the ring, centred on the top, each inside the ring."""
    chars = list(text)
    layout = ring_layout(len(chars))
    size, baseline = layout.size * outer, layout.baseline * outer
    operators = []
    preferred = glyphs.font_for(text)
    for index, char in enumerate(chars):
        found = glyphs.find(char, preferred)
        if found is None:
            continue
        angle = math.radians(-layout.spread / 2 + layout.step * (index + 0.5))
        cos, sin = math.cos(angle), math.sin(angle)
        # Glyph x axis along the tangent, y axis outwards; origin half a glyph before the point on the ring.
        origin_x = x + baseline * sin - size / 2 * cos
        origin_y = y + baseline * cos + size / 2 * sin
        font, cid = found
        operators.append(
            f"/{font} 1 Tf {size * cos:.3f} {-size * sin:.3f} {size * sin:.3f} {size * cos:.3f} "
            f"{origin_x:.2f} {origin_y:.2f} Tm <{cid:04x}> Tj".encode()
        )
    return operators


def _motto(x: float, y: float, size: float, glyphs: _GlyphFinder) -> list[bytes]:
    """The motto on one line, centred at (x, y)."""
    operators = []
    start = x - size * len(SEAL_MOTTO) / 2
    preferred = glyphs.font_for(SEAL_MOTTO)
    for index, char in enumerate(SEAL_MOTTO):
        found = glyphs.find(char, preferred)
        if found is not None:
            font, cid = found
            operators.append(
                f"/{font} {size:.2f} Tf 1 0 0 1 {start + index * size:.2f} {y:.2f} Tm <{cid:04x}> Tj".encode()
            )
    return operators


def qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code (the naive path's version)."""
    return segno.make(url, error="m", micro=False).svg_inline(border=0, omitsize=True)


def seal_svg(station_name: str, font_family: str) -> str:
    """The seal as inline SVG, one text element per character (the naive path's version)."""
    chars = list(station_name) or [" "]
    layout = ring_layout(len(chars))
    band = 100 - 6 * 2.2  # the ring text's outer radius, as the PDF seal has it (viewBox units)
    size = layout.size * band
    letters = "".join(
        f'<text x="100" y="{100 - layout.baseline * band:.2f}"'
        f' transform="rotate({-layout.spread / 2 + layout.step * (i + 0.5):.2f} 100 100)"'
        f' font-size="{size:.2f}" text-anchor="middle">{escape(char)}</text>'
        for i, char in enumerate(chars)
    )
    star = " ".join(
        f"{100 + (27 if k % 2 == 0 else 10.3) * math.sin(math.radians(36 * k)):.2f},"
        f"{96 - (27 if k % 2 == 0 else 10.3) * math.cos(math.radians(36 * k)):.2f}"
        for k in range(10)
    )
    return (
        f'<svg viewBox="0 0 200 200" xmlns="http://www.w3.org/2000/svg"><g fill="#c8161d" font-weight="bold"'
        f' font-family=\'{font_family}\'><circle cx="100" cy="100" r="97" fill="none" stroke="#c8161d"'
        f' stroke-width="6"/><polygon points="{star}"/>{letters}'
        f'<text x="100" y="154" font-size="13.5" text-anchor="middle">{SEAL_MOTTO}</text></g></svg>'
    )


SEAL_PNG_SIZE = 480  # pixels for the seal's 40 mm: 300 dpi


@functools.lru_cache(maxsize=64)
def seal_png(station_name: str, font_file: str | None, font_index: int = 0) -> bytes:
    """The seal as a transparent PNG (the geometry of `seal_svg`), with the given font file (None: Pillow's)."""
    scale = SEAL_PNG_SIZE / 200
    red = tuple(round(c * 255) for c in SEAL_RGB) + (255,)
    image = Image.new("RGBA", (SEAL_PNG_SIZE, SEAL_PNG_SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([3 * scale, 3 * scale, 197 * scale, 197 * scale], outline=red, width=round(6 * scale))
    star = [
        (
            (100 + (27 if k % 2 == 0 else 10.3) * math.sin(math.radians(36 * k))) * scale,
            (96 - (27 if k % 2 == 0 else 10.3) * math.cos(math.radians(36 * k))) * scale,
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=red)
    chars = list(station_name) or [" "]
    layout = ring_layout(len(chars))
    band = (100 - 6 * 2.2) * scale
    glyph_font = _pil_font(font_file, font_index, round(layout.size * band))
    for index, char in enumerate(chars):
        layer = Image.new("RGBA", image.size, (255, 255, 255, 0))
        ImageDraw.Draw(layer).text(
            (SEAL_PNG_SIZE / 2, SEAL_PNG_SIZE / 2 - layout.baseline * band),
            char,
            font=glyph_font,
            fill=red,
            anchor="ms",
        )
        angle = -layout.spread / 2 + layout.step * (index + 0.5)
        image.alpha_composite(layer.rotate(-angle, resample=Image.Resampling.BICUBIC))
    motto_font = _pil_font(font_file, font_index, round(13.5 * scale))
    draw.text((SEAL_PNG_SIZE / 2, 154 * scale), SEAL_MOTTO, font=motto_font, fill=red, anchor="ms")
    out = io.BytesIO()
    # 16 colours with their transparency: a quarter of the bytes, the same seal (it is stored twice in an OFD)
    image.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _pil_font(font_file: str | None, index: int, size: int):
    """The font at that size: the file given, else Pillow's own (which has no CJK glyphs: boxes)."""
    if font_file:
        return ImageFont.truetype(font_file, size, index=index)
    return ImageFont.load_default(size)


def qr_png(url: str) -> bytes:
    """The verification URL as a PNG QR code (one pixel a module: the reader scales it)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False, mask=QR_MASK).save(out, kind="png", scale=8, border=0)
    return out.getvalue()
