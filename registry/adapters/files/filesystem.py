"""Files under a directory, at ``<root>/<sha[:2]>/<sha>``.

Writes go to a temporary file in the same directory, are fsynced and renamed into place, so a
crash never leaves a half-written file under a real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from registry.adapters.files import (
    CHUNK_BYTES,
    StoredFile,
    check_sha256,
    read_chunks,
    storage_error,
)
from registry.adapters.private_files import PRIVATE_DIR, private_dir


class FilesystemStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def iter_chunks(self, sha256: str) -> Iterator[bytes]:
        # Opened now, not at the first piece: a missing file fails before a response starts.
        handle = self.path(sha256).open("rb")
        return _closing_chunks(handle)

    @contextmanager
    def local_path(self, sha256: str) -> Iterator[Path]:
        path = self.path(sha256)
        if not path.is_file():
            raise FileNotFoundError(path)
        yield path

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def hashes(self) -> set[str]:
        if not self.root.exists():
            return set()
        return {
            entry.name
            for directory in self.root.iterdir()
            if directory.is_dir() and len(directory.name) == 2
            for entry in directory.iterdir()
            if len(entry.name) == 64 and entry.name.startswith(directory.name)
        }

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
        return self.put_chunks(read_chunks(source))

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


def _closing_chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        yield from iter(lambda: handle.read(CHUNK_BYTES), b"")
