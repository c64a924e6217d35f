"""Content-addressed file storage: templates, the logo, DOCX and PDFs, evidence, batch results.

Every file is named by its SHA-256, so a stored file cannot change without its name changing,
identical files are kept once, and a verifier can find a document by the hash of the PDF it was
handed. Callers see only :class:`FileStore`; two stores implement it:

- :class:`~registry.adapters.files.filesystem.FilesystemStore` keeps files under
  ``<data dir>/files`` (the default on SQLite, and the only store before several hosts shared one
  database);
- :class:`~registry.adapters.files.database.DatabaseStore` keeps them in the database, in chunks
  (the default on PostgreSQL), so hosts that share only PostgreSQL serve each other's files.

Adding an S3-compatible store means a third class with these methods: ``put_chunks`` spools to a
temporary file while hashing, then uploads to ``<bucket>/<sha[:2]>/<sha>`` (a multipart upload
for large files; ``If-None-Match: *`` or a ``HEAD`` first keeps identical content once and lets
concurrent puts both succeed), ``iter_chunks`` reads ranged ``GET``\\ s, ``local_path``
downloads into a temporary file, and :func:`choose_store` learns its setting. The callers never
change: they only ever hold a hash.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from registry.domain.errors import RegistryError

#: The size of one streamed piece: a download, a database chunk, a copy.
CHUNK_BYTES = 1 << 20

_HEX = frozenset("0123456789abcdef")
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


class FileStore(Protocol):
    """What every caller uses; a missing hash raises ``FileNotFoundError`` from every reader."""

    def put(self, data: bytes) -> StoredFile: ...

    def put_chunks(self, chunks: Iterable[bytes]) -> StoredFile:
        """Store a stream without holding it in memory; returns its hash and size."""
        ...

    def put_path(self, source: Path) -> StoredFile: ...

    def read(self, sha256: str) -> bytes:
        """The whole file: for small ones only (a template, the logo, one PDF)."""
        ...

    def iter_chunks(self, sha256: str) -> Iterator[bytes]:
        """The file piece by piece, for a download; fails before the first piece if missing."""
        ...

    def local_path(self, sha256: str) -> AbstractContextManager[Path]:
        """A path to the file for tools that want one (qpdf, zip); valid inside the block."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def remove(self, sha256: str) -> None:
        """Forget a file; removing one that is not stored is no error."""
        ...

    def hashes(self) -> set[str]:
        """Every stored file's hash (tests, ``satupintu files migrate``)."""
        ...

    def make_private(self) -> None:
        """Tighten what the store keeps on disk to the service's user alone."""
        ...


def check_sha256(sha256: str) -> str:
    if len(sha256) != 64 or not _HEX.issuperset(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def read_chunks(source: Path) -> Iterator[bytes]:
    with source.open("rb") as handle:
        yield from iter(lambda: handle.read(CHUNK_BYTES), b"")


@dataclass
class CopyReport:
    copied: int = 0
    present: int = 0  # already in the target store
    corrupt: list[str] = field(default_factory=list)  # content no longer matches its name


def copy_files(source: FileStore, target: FileStore, *, remove: bool) -> CopyReport:
    """Copy every file of ``source`` into ``target``, checking each against its name.

    With ``remove`` a file leaves ``source`` once ``target`` holds it. A file whose content does
    not hash to its name is reported and left where it is: no copy of it is made.
    """
    report = CopyReport()
    for sha256 in sorted(source.hashes()):
        if target.exists(sha256):
            report.present += 1
        else:
            stored = target.put_chunks(source.iter_chunks(sha256))
            if stored.sha256 != sha256:
                if stored.created:
                    target.remove(stored.sha256)
                report.corrupt.append(sha256)
                continue
            report.copied += 1
        if remove:
            source.remove(sha256)
    return report
