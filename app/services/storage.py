"""Attachment bytes stored by content hash behind a small storage interface (local disk by default)."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from PIL import Image, UnidentifiedImageError

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The stream is longer than the limit."""


class Storage(Protocol):
    """Where attachment bytes live; keys are SHA-256 hex digests."""

    def put(self, stream: BinaryIO, limit: int) -> tuple[str, int, bytes]: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def path(self, sha256: str) -> Path: ...


class LocalDiskStorage:
    """Files under a directory, fanned out by the first hex digits of their hash; writes are atomic."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, limit: int) -> tuple[str, int, bytes]:
        """Copy the stream in chunks, hashing as it goes; returns (sha256, size, first bytes)."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge()
                    if len(head) < 16:
                        head += chunk[:16]
                    digest.update(chunk)
                    tmp.write(chunk)
            target = self._path(digest.hexdigest())
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return digest.hexdigest(), size, head[:16]

    def open(self, sha256: str) -> BinaryIO:
        return self._path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def path(self, sha256: str) -> Path:
        """The file holding these bytes (served directly, so the server streams it and closes it)."""
        return self._path(sha256)


def get_storage() -> Storage:
    """The configured storage (local disk under TCR_STORAGE_DIR)."""
    return LocalDiskStorage(current_app.config["STORAGE_DIR"])


def sniff_media_type(storage: Storage, sha256: str, head: bytes) -> str | None:
    """application/pdf, image/png or image/jpeg judged by content (never by name), else None."""
    if head.startswith(b"%PDF-"):
        with storage.open(sha256) as f:
            f.seek(0, io.SEEK_END)
            f.seek(max(0, f.tell() - 2048))
            return "application/pdf" if b"%%EOF" in f.read() else None
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        expected = "PNG" if head.startswith(b"\x89PNG") else "JPEG"
        try:
            with storage.open(sha256) as f, Image.open(f) as image:
                image.verify()
                return f"image/{expected.lower()}" if image.format == expected else None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return None
    return None
