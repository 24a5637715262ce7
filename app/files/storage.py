"""Attachment bytes stored by content hash behind a small storage interface (local disk by default); uploads are
spooled outside storage until accepted; stored bytes are checked against their hash before they are served."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from app.errors import StoredFileUnavailable
from app.i18n import t

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 2 * 1024 * 1024  # larger uploads spill to a temporary file in the system's temp directory


class TooLarge(Exception):
    """The stream is longer than the limit."""


class Storage(Protocol):
    """Where attachment bytes live; keys are SHA-256 hex digests."""

    def put(self, stream: BinaryIO, limit: int) -> tuple[str, int, bytes]: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def path(self, sha256: str) -> Path: ...

    def delete(self, sha256: str) -> None: ...


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

    def delete(self, sha256: str) -> None:
        """Remove the bytes (a no-op when they are already gone)."""
        self._path(sha256).unlink(missing_ok=True)


def get_storage() -> Storage:
    """The configured storage (local disk under TCR_STORAGE_DIR)."""
    return LocalDiskStorage(current_app.config["STORAGE_DIR"])


@contextmanager
def spooled(stream: BinaryIO, limit: int) -> Iterator[tuple[BinaryIO, int]]:
    """The upload copied into memory (or a temporary file outside storage), rewound: (file, size). Nothing reaches
    storage until the caller has accepted the bytes; the copy is gone when the block ends."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        size = 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge()
            spool.write(chunk)
        spool.seek(0)
        yield spool, size


def open_verified(storage: Storage, sha256: str) -> tuple[BinaryIO, int]:
    """The stored file, opened and rewound, after its bytes were hashed and found to be exactly `sha256`:
    (handle, size). A missing or altered file is logged and raised as StoredFileUnavailable (503), so the wrong
    bytes are never served. The caller serves this very handle, so what was checked is what is sent."""
    try:
        handle = storage.path(sha256).open("rb")
    except OSError:
        current_app.logger.error("stored file %s is missing", sha256)
        raise StoredFileUnavailable(
            t("The stored file cannot be read; the registry's staff have been told. Please try again later.")
        ) from None
    actual = hashlib.file_digest(handle, "sha256").hexdigest()
    if actual != sha256:
        handle.close()
        current_app.logger.error(
            "stored file %s does not match its SHA-256 (the bytes hash to %s); not served", sha256, actual
        )
        raise StoredFileUnavailable(
            t("The stored file cannot be read; the registry's staff have been told. Please try again later.")
        )
    size = handle.tell()
    handle.seek(0)
    return handle, size
