"""Content-addressed file storage under the data dir.

A file lives at ``<root>/<sha[:2]>/<sha>``: the name is its SHA-256, so a stored file cannot change
without its name changing, identical files are kept once, and a verifier can find a document by the
hash of the PDF it was handed. Writes go to a temporary file in the same directory, are fsynced and
renamed into place, so a crash never leaves a half-written file under a real name.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from registry.adapters.private_files import PRIVATE_DIR, private_dir
from registry.domain.errors import RegistryError

_CHUNK = 1 << 20
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class StorageError(RegistryError):
    """The store could not take a file (read-only, not permitted, gone); nothing was kept."""

    title = "Penyimpanan berkas gagal"


class StorageFull(StorageError):
    """The store's disk is full (or its quota used up); nothing was kept."""

    title = "Penyimpanan penuh"


def storage_error(exc: OSError) -> StorageError:
    """The registry's error for an operating-system failure to store, in the operator's terms."""
    if exc.errno in _FULL:
        return StorageFull(
            "Penyimpanan berkas server penuh; berkas dokumen tidak dapat disimpan. "
            "Hubungi pengelola layanan untuk mengosongkan ruang"
        )
    return StorageError(
        "Direktori berkas server tidak dapat ditulis; berkas dokumen tidak dapat disimpan. "
        "Hubungi pengelola layanan"
    )


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    created: bool = True  # False when an identical file was already stored


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def put(self, data: bytes) -> StoredFile:
        return self.put_chunks([data])

    def put_chunks(self, chunks: Iterable[bytes]) -> StoredFile:
        """Store a stream without holding it in memory; returns its hash and size.

        Raises :class:`StorageFull` or :class:`StorageError` when the disk refuses; the temporary
        file is gone then, and nothing is stored under a real name.
        """
        try:
            self.root.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            handle, temp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        except OSError as exc:
            raise storage_error(exc) from exc
        digest = hashlib.sha256()
        size = 0
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            if target.exists():
                temp.unlink()
                return StoredFile(sha256, size, created=False)
            target.parent.mkdir(mode=PRIVATE_DIR, exist_ok=True)
            temp.replace(target)
            return StoredFile(sha256, size)
        except BaseException as exc:
            # A store remounted read-only meanwhile cannot unlink either; nothing more to do then.
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise storage_error(exc) from exc
            raise

    def put_path(self, source: Path) -> StoredFile:
        with source.open("rb") as handle:
            return self.put_chunks(iter(lambda: handle.read(_CHUNK), b""))

    def make_private(self) -> None:
        """Tighten the store and its shard dirs, as an older version may have left them."""
        if not self.root.is_dir():
            return
        private_dir(self.root, create=False)
        for shard in self.root.iterdir():
            if shard.is_dir():
                private_dir(shard, create=False)

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)
