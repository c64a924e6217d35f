"""Files in the database: ``stored_files`` names each by its hash, ``file_chunks`` holds its bytes.

Hosts that share only PostgreSQL serve each other's files through this store. A file is spooled to
a private temporary file while it is hashed, then written chunk by chunk in one transaction, so a
reader never sees part of a file and memory holds one chunk at a time, whatever the file's size.
Identical content is kept once: the ``stored_files`` row is inserted with ``ON CONFLICT DO
NOTHING``, so of two hosts storing the same file at once one writes the chunks and the other
waits for its commit and finds the file there. Reads fetch one chunk per query, so a slow
download holds neither a transaction nor a connection between chunks.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import FileChunk, StoredFileRow
from registry.adapters.files import (
    CHUNK_BYTES,
    StoredFile,
    check_sha256,
    read_chunks,
    storage_error,
)
from registry.adapters.private_files import private_dir

_SPOOL_PREFIX = ".spool-"


class DatabaseStore:
    def __init__(self, db: Database, scratch_dir: Path, chunk_bytes: int = CHUNK_BYTES) -> None:
        """``scratch_dir`` (private to the service) holds spooled uploads and materialised
        copies while they are in use; nothing is left there afterwards."""
        self.db = db
        self.scratch_dir = scratch_dir
        self.chunk_bytes = chunk_bytes

    def put(self, data: bytes) -> StoredFile:
        return self.put_chunks([data])

    def put_path(self, source: Path) -> StoredFile:
        return self.put_chunks(read_chunks(source))

    def put_chunks(self, chunks: Iterable[bytes]) -> StoredFile:
        """Store a stream without holding it in memory; returns its hash and size.

        Raises :class:`StorageFull` or :class:`StorageError` when the scratch disk refuses the
        spool (a full database raises its own error); nothing is stored then.
        """
        with self._scratch_file() as spool:
            digest = hashlib.sha256()
            size = 0
            try:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    spool.write(chunk)
                spool.flush()
            except OSError as exc:
                raise storage_error(exc) from exc
            spool.seek(0)
            sha256 = digest.hexdigest()
            with self.db.writing() as session:
                connection = session.connection()
                claimed = connection.execute(
                    self._insert_new_file()
                    .values(sha256=sha256, size=size, created_at=datetime.now(UTC))
                    .returning(StoredFileRow.sha256)
                ).scalar_one_or_none()
                if claimed is None:
                    return StoredFile(sha256, size, created=False)
                for seq, piece in enumerate(iter(lambda: spool.read(self.chunk_bytes), b"")):
                    connection.execute(insert(FileChunk).values(sha256=sha256, seq=seq, data=piece))
            return StoredFile(sha256, size)

    def read(self, sha256: str) -> bytes:
        with self.db.reading() as session:
            self._size(session, sha256)
            pieces = session.execute(
                select(FileChunk.data).where(FileChunk.sha256 == sha256).order_by(FileChunk.seq)
            ).scalars()
            return b"".join(pieces)

    def iter_chunks(self, sha256: str) -> Iterator[bytes]:
        # The size and the first chunk in one query: most files (one PDF) are one chunk, so a
        # download costs one round trip, and a missing file fails before a response starts.
        with self.db.reading() as session:
            found = session.execute(
                select(StoredFileRow.size, FileChunk.data)
                .outerjoin(
                    FileChunk, and_(FileChunk.sha256 == StoredFileRow.sha256, FileChunk.seq == 0)
                )
                .where(StoredFileRow.sha256 == check_sha256(sha256))
            ).one_or_none()
        if found is None:
            raise FileNotFoundError(f"no stored file {sha256}")
        return self._pieces(sha256, found.size, found.data)

    def _pieces(self, sha256: str, size: int, first: bytes | None) -> Iterator[bytes]:
        piece, sent, seq = first, 0, 0
        while sent < size:
            if piece is None:
                raise FileNotFoundError(f"{sha256} was removed while being read")
            yield piece
            sent += len(piece)
            seq += 1
            if sent < size:
                with self.db.reading() as session:
                    piece = session.execute(
                        select(FileChunk.data).where(
                            FileChunk.sha256 == sha256, FileChunk.seq == seq
                        )
                    ).scalar_one_or_none()

    @contextmanager
    def local_path(self, sha256: str) -> Iterator[Path]:
        chunks = self.iter_chunks(sha256)
        with self._scratch_file() as copy:
            for chunk in chunks:
                copy.write(chunk)
            copy.flush()
            yield Path(copy.name)

    def exists(self, sha256: str) -> bool:
        try:
            self.size(sha256)
        except FileNotFoundError:
            return False
        return True

    def size(self, sha256: str) -> int:
        with self.db.reading() as session:
            return self._size(session, sha256)

    def remove(self, sha256: str) -> None:
        check_sha256(sha256)
        with self.db.writing() as session:
            session.execute(delete(FileChunk).where(FileChunk.sha256 == sha256))
            session.execute(delete(StoredFileRow).where(StoredFileRow.sha256 == sha256))

    def hashes(self) -> set[str]:
        with self.db.reading() as session:
            return set(session.execute(select(StoredFileRow.sha256)).scalars())

    def make_private(self) -> None:
        """Nothing of it lives on disk but the scratch dir (see ``bootstrap.make_private``)."""

    def _size(self, session: Session, sha256: str) -> int:
        size: int | None = session.execute(
            select(StoredFileRow.size).where(StoredFileRow.sha256 == check_sha256(sha256))
        ).scalar_one_or_none()
        if size is None:
            raise FileNotFoundError(f"no stored file {sha256}")
        return size

    def _insert_new_file(self) -> Any:
        dialect = sqlite if self.db.is_sqlite else postgresql
        return dialect.insert(StoredFileRow).on_conflict_do_nothing(
            index_elements=[StoredFileRow.sha256]
        )

    @contextmanager
    def _scratch_file(self) -> Iterator[IO[bytes]]:
        try:
            private_dir(self.scratch_dir)
            spool = tempfile.NamedTemporaryFile(dir=self.scratch_dir, prefix=_SPOOL_PREFIX)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise storage_error(exc) from exc
        with spool:
            yield spool
