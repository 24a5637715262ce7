"""What an upload is, judged by its content, and whether it may be kept: PDF without active content (JavaScript,
launch actions, automatic actions), PNG or JPEG within a pixel limit. Runs on the spooled bytes, before storage."""

from __future__ import annotations

import io
import re
import warnings
import zlib
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.misc import PdfDecodeLimitError, PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from app.errors import FieldError, ValidationFailed
from app.i18n import t

# Dictionary keys that make a viewer run something: JavaScript, the document's JavaScript name tree, additional
# (automatic) actions. Action types that run a script or another program.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
MAX_PDF_OBJECTS = 500_000  # a bound on the walk; a contract's PDF has a few thousand
RAW_INFLATE_BUDGET = 64 * 1024 * 1024  # decompressed bytes a damaged PDF may make the fallback scan read
_RAW_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_RAW_STREAM = re.compile(rb"stream\r?\n")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def media_type(upload: BinaryIO, max_pixels: int) -> str:
    """application/pdf, image/png or image/jpeg, judged by content; anything else, or a PDF with active content,
    or an image above the pixel limit, is refused with a field finding (ValidationFailed)."""
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        data = upload.read()
        upload.seek(0)
        if b"%%EOF" not in data[-2048:]:
            raise _not_accepted_type()
        _refuse_active_pdf(data)
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        return _image_type("PNG" if head.startswith(b"\x89PNG") else "JPEG", upload, max_pixels)
    raise _not_accepted_type()


def _not_accepted_type() -> ValidationFailed:
    return ValidationFailed(
        t("Only PDF, PNG and JPEG files are accepted."),
        [FieldError("attachment.type", "file", t("The file's content is not PDF, PNG or JPEG."))],
    )


def _image_type(expected: str, upload: BinaryIO, max_pixels: int) -> str:
    """The image's media type once it decodes as the format its signature claims, within the pixel limit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                pixels = image.width * image.height
                if pixels > max_pixels:
                    raise _too_many_pixels(pixels, max_pixels)
                image.verify()
                found = image.format
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels(None, max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_accepted_type() from None
    finally:
        upload.seek(0)
    if found != expected:
        raise _not_accepted_type()
    return f"image/{expected.lower()}"


def _too_many_pixels(pixels: int | None, max_pixels: int) -> ValidationFailed:
    limit = f"{max_pixels / 1_000_000:g}"
    message = (
        t(
            "The image has %(megapixels)s megapixels; at most %(limit)s are accepted. Scan it at a lower resolution.",
            megapixels=f"{pixels / 1_000_000:.3g}",
            limit=limit,
        )
        if pixels
        else t(
            "The image has too many pixels; at most %(limit)s megapixels are accepted. Scan it at a lower resolution.",
            limit=limit,
        )
    )
    return ValidationFailed(message, [FieldError("attachment.image_too_large", "file", message)])


def _refuse_active_pdf(data: bytes) -> None:
    """Refuse a PDF that would run JavaScript or another program, or that cannot be inspected."""
    try:
        found = _active_content(_Reader(io.BytesIO(data)))
    except _Encrypted:
        message = t("The PDF is password-protected; upload it without a password.")
        raise ValidationFailed(message, [FieldError("attachment.pdf_encrypted", "file", message)]) from None
    except PdfDecodeLimitError:
        raise _not_accepted_type() from None
    except Exception:  # noqa: BLE001 - any parser failure on hostile input: fall back to the raw scan
        # A damaged file a viewer might still repair and open: read its names token by token instead.
        found = _active_names_in_raw(data)
    if found:
        message = t(
            "The PDF contains JavaScript or actions that run when it is opened (%(found)s). Save it again "
            "without them (for example, print it to PDF) and upload that file.",
            found=", ".join(found),
        )
        raise ValidationFailed(message, [FieldError("attachment.pdf_active_content", "file", message)])


class _Reader(PdfFileReader):
    """pyHanko's reader, reading each object stream's table of offsets once: its own reader parses the table again
    for every object it takes from a stream (quadratic: seconds for an ordinary 150-page contract)."""

    def __init__(self, stream: BinaryIO):
        super().__init__(stream, strict=False)
        self._object_streams: dict[int, tuple[bytes, dict[int, int]]] = {}

    def _get_object_from_stream(self, idnum, stmnum, idx):
        if stmnum not in self._object_streams:
            stream = generic.Reference(stmnum, 0, self).get_object()
            data, first = stream.data, int(stream["/First"])
            header = [int(number) for number in data[:first].split()]
            offsets = {header[i]: first + header[i + 1] for i in range(0, len(header) - 1, 2)}
            self._object_streams[stmnum] = (data, offsets)
        data, offsets = self._object_streams[stmnum]
        if idnum not in offsets:
            return generic.NullObject()
        buffer = io.BytesIO(data)
        buffer.seek(offsets[idnum])
        return generic.read_object(buffer, generic.Reference(idnum, 0, self))


class _Encrypted(Exception):
    """The PDF opens only with a password."""


def _active_content(reader: _Reader) -> list[str]:
    """The active keys and action types reachable from the trailer (object streams are resolved by the reader)."""
    if reader.encrypted and reader.decrypt(b"").status == AuthStatus.FAILED:
        raise _Encrypted()
    found, seen, pending, visited = set(), set(), [reader.trailer_view], 0
    while pending and visited < MAX_PDF_OBJECTS:
        node = pending.pop()
        visited += 1
        if isinstance(node, generic.IndirectObject):
            key = (node.idnum, node.generation)
            if key not in seen:
                seen.add(key)
                pending.append(node.get_object())
        elif isinstance(node, generic.DictionaryObject):
            found |= ACTIVE_KEYS.intersection(str(name) for name in node)
            action = node.get("/S")
            if isinstance(action, generic.NameObject) and str(action) in ACTIVE_ACTIONS:
                found.add(str(action))
            pending.extend(node.values())
        elif isinstance(node, generic.ArrayObject):
            pending.extend(node)
    if pending:
        raise PdfError("too many objects to inspect")
    return sorted(found)


def _active_names_in_raw(data: bytes) -> list[str]:
    """The active names in the bytes and in every stream that inflates (compressed object streams included);
    names are decoded (`/J#53` is `/JS`)."""
    found: set[str] = set()
    for chunk in _raw_chunks(data):
        for match in _RAW_NAME.finditer(chunk):
            name = "/" + _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1)).decode("latin-1")
            if name in ACTIVE_KEYS or name in ACTIVE_ACTIONS:
                found.add(name)
    return sorted(found)


def _raw_chunks(data: bytes):
    """The file's bytes, then each stream's inflated bytes, within RAW_INFLATE_BUDGET (else refused)."""
    yield data
    budget = RAW_INFLATE_BUDGET
    for match in _RAW_STREAM.finditer(data):
        try:
            inflated = zlib.decompressobj().decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget <= 0:
            raise _not_accepted_type()
        yield inflated
