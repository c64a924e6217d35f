"""Both file stores through the one interface, on SQLite and on PostgreSQL."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import threading
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from api.cli import main as cli_main
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import FileChunk, StoredFileRow
from registry.adapters.files import CHUNK_BYTES, FileStore, StorageFull, StoredFile, copy_files
from registry.adapters.files.database import DatabaseStore
from registry.adapters.files.filesystem import FilesystemStore
from registry.adapters.keystore import KeyRing
from registry.bootstrap import STALE_SCRATCH_SECONDS, build_store, make_private
from registry.domain.errors import ConfigurationError
from registry.settings import Settings
from tests.conftest import BACKENDS

MISSING = "0" * 64


@pytest.fixture(params=["filesystem", "database"])
def store(request: pytest.FixtureRequest, settings: Settings, db: Database) -> FileStore:
    return build_store(replace(settings, file_store=request.param), db)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scratch_left(settings: Settings) -> list[Path]:
    """What a store left behind on disk besides stored files: spools, copies, incoming files."""
    places = [settings.scratch_dir, settings.files_dir]
    return [p for place in places if place.is_dir() for p in place.iterdir() if p.is_file()]


def test_a_file_is_kept_once_under_its_hash_and_read_back(store: FileStore) -> None:
    data = b"%PDF-1.7 contoh"
    first = store.put(data)
    again = store.put(data)
    assert first == StoredFile(sha(data), len(data), created=True)
    assert again == StoredFile(sha(data), len(data), created=False)
    assert store.read(first.sha256) == data
    assert store.exists(first.sha256) and store.size(first.sha256) == len(data)
    assert store.hashes() == {first.sha256}

    store.remove(first.sha256)
    assert not store.exists(first.sha256) and store.hashes() == set()
    store.remove(first.sha256)  # removing what is gone is no error


def test_a_large_file_goes_in_and_comes_out_in_chunks(store: FileStore, tmp_path: Path) -> None:
    data = os.urandom(2 * CHUNK_BYTES + 12_345)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    stored = store.put_path(source)
    assert (stored.sha256, stored.size) == (sha(data), len(data))

    pieces = list(store.iter_chunks(stored.sha256))
    assert b"".join(pieces) == data
    assert all(len(piece) <= CHUNK_BYTES for piece in pieces) and len(pieces) == 3
    with store.local_path(stored.sha256) as path:
        assert path.read_bytes() == data
    assert store.read(stored.sha256) == data


def test_a_big_file_is_stored_and_streamed_without_holding_it_in_memory(
    store: FileStore, tmp_path: Path
) -> None:
    source = tmp_path / "besar.bin"
    digest = hashlib.sha256()
    with source.open("wb") as out:
        for _ in range(24):
            piece = os.urandom(CHUNK_BYTES)
            digest.update(piece)
            out.write(piece)
    del piece
    tracemalloc.start()
    try:
        stored = store.put_path(source)
        streamed = hashlib.sha256()
        for chunk in store.iter_chunks(stored.sha256):
            streamed.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.sha256 == streamed.hexdigest() == digest.hexdigest()
    assert peak < 6 * CHUNK_BYTES, f"peak {peak / CHUNK_BYTES:.1f} MiB for a 24 MiB file"


def test_a_stream_of_pieces_is_stored_as_one_file(store: FileStore) -> None:
    pieces = [b"satu ", b"", b"dua ", b"tiga"]
    stored = store.put_chunks(iter(pieces))
    assert store.read(stored.sha256) == b"satu dua tiga"
    empty = store.put(b"")
    assert store.read(empty.sha256) == b"" and list(store.iter_chunks(empty.sha256)) == []
    assert store.size(empty.sha256) == 0


def test_a_missing_file_is_missing_to_every_reader(store: FileStore) -> None:
    assert not store.exists(MISSING)
    with pytest.raises(FileNotFoundError):
        store.read(MISSING)
    with pytest.raises(FileNotFoundError):
        store.iter_chunks(MISSING)  # before the first piece: a download never starts
    with pytest.raises(FileNotFoundError):
        store.size(MISSING)
    with pytest.raises(FileNotFoundError), store.local_path(MISSING):
        pass
    with pytest.raises(ValueError, match="SHA-256"):
        store.exists("../../etc/passwd")


def test_a_copy_for_tools_is_gone_after_use(store: FileStore, settings: Settings) -> None:
    stored = store.put(b"%PDF-1.7 salinan")
    with store.local_path(stored.sha256) as path:
        assert path.read_bytes() == b"%PDF-1.7 salinan"
    assert store.exists(stored.sha256)
    assert scratch_left(settings) == []


def test_a_stream_that_fails_midway_stores_nothing(store: FileStore, settings: Settings) -> None:
    def broken() -> Iterator[bytes]:
        yield b"x" * 1000
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(StorageFull, match="penuh"):
        store.put_chunks(broken())
    assert store.hashes() == set()
    assert scratch_left(settings) == []


def test_the_database_store_keeps_chunks_of_about_a_mebibyte(
    settings: Settings, db: Database
) -> None:
    store = DatabaseStore(db, settings.scratch_dir)
    data = os.urandom(3 * CHUNK_BYTES + 1)
    stored = store.put(data)
    with db.reading() as session:
        sizes = session.execute(
            select(func.length(FileChunk.data))
            .where(FileChunk.sha256 == stored.sha256)
            .order_by(FileChunk.seq)
        ).scalars()
        assert list(sizes) == [CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, 1]
    store.remove(stored.sha256)
    with db.reading() as session:
        assert session.execute(select(func.count()).select_from(FileChunk)).scalar() == 0


def test_the_store_follows_the_database_unless_chosen(settings: Settings, db: Database) -> None:
    chosen = build_store(settings, db)
    assert isinstance(chosen, FilesystemStore if db.is_sqlite else DatabaseStore)
    for kind, expected in (("filesystem", FilesystemStore), ("database", DatabaseStore)):
        assert isinstance(build_store(replace(settings, file_store=kind), db), expected)


def test_an_unknown_file_store_setting_is_refused() -> None:
    assert Settings.from_env({"SATUPINTU_FILE_STORE": "Database"}).file_store == "database"
    assert Settings.from_env({}).file_store is None
    with pytest.raises(ConfigurationError, match="SATUPINTU_FILE_STORE"):
        Settings.from_env({"SATUPINTU_FILE_STORE": "s3"})


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_put_waiting_on_another_hosts_put_of_the_same_file_finds_it_stored(
    settings: Settings, db: Database
) -> None:
    """Host A has claimed the hash and not yet committed its chunks; host B's put of the same
    content waits for A's commit and then finds the file, instead of failing on the key."""
    data = os.urandom(CHUNK_BYTES + 7)
    digest = sha(data)
    other_host = DatabaseStore(Database.from_url(settings.database_url), settings.scratch_dir)
    outcome: list[StoredFile | BaseException] = []
    try:
        with db.writing() as session:
            session.execute(
                insert(StoredFileRow).values(
                    sha256=digest, size=len(data), created_at=datetime.now(UTC)
                )
            )
            session.execute(insert(FileChunk).values(sha256=digest, seq=0, data=data))

            def put() -> None:
                try:
                    outcome.append(other_host.put(data))
                except BaseException as exc:
                    outcome.append(exc)

            waiting = threading.Thread(target=put)
            waiting.start()
            waiting.join(timeout=1.0)
            assert waiting.is_alive() and outcome == []  # it waits on A's row, not fails
        waiting.join(timeout=30)
    finally:
        other_host.db.dispose()
    assert outcome == [StoredFile(digest, len(data), created=False)]
    assert DatabaseStore(db, settings.scratch_dir).read(digest) == data


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_puts_of_the_same_file_all_succeed_and_keep_it_once(
    settings: Settings, db: Database
) -> None:
    data = os.urandom(2 * CHUNK_BYTES)
    hosts = [
        DatabaseStore(Database.from_url(settings.database_url), settings.scratch_dir)
        for _ in range(6)
    ]
    start = threading.Barrier(len(hosts))

    def put(store: DatabaseStore) -> StoredFile:
        start.wait(timeout=30)
        return store.put(data)

    try:
        with ThreadPoolExecutor(len(hosts)) as pool:
            results = list(pool.map(put, hosts, timeout=120))
    finally:
        for host in hosts:
            host.db.dispose()
    assert {(r.sha256, r.size) for r in results} == {(sha(data), len(data))}
    assert sum(r.created for r in results) == 1
    with db.reading() as session:
        assert session.execute(select(func.count()).select_from(StoredFileRow)).scalar() == 1
        assert session.execute(select(func.count()).select_from(FileChunk)).scalar() == 2
    assert DatabaseStore(db, settings.scratch_dir).read(sha(data)) == data


def test_files_on_disk_are_copied_into_the_database_checked_against_their_names(
    settings: Settings, db: Database
) -> None:
    disk = FilesystemStore(settings.files_dir)
    kept = [disk.put(f"berkas {n}".encode()).sha256 for n in range(3)]
    rotten = disk.put(b"asli")
    disk.path(rotten.sha256).write_bytes(b"rusak")  # bit rot: content no longer its name
    database = DatabaseStore(db, settings.scratch_dir)
    database.put(b"berkas 0")  # already there: counted, not copied again

    report = copy_files(disk, database, remove=True)
    assert (report.copied, report.present, report.corrupt) == (2, 1, [rotten.sha256])
    assert database.hashes() == set(kept)
    assert disk.hashes() == {rotten.sha256}  # the rotten one stays for a person to look at
    assert all(database.read(sha256).startswith(b"berkas ") for sha256 in kept)


def test_satupintu_files_migrate_moves_the_data_dir_files_into_the_database(
    settings: Settings,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SATUPINTU_FILE_STORE", "database")
    disk = FilesystemStore(settings.files_dir)
    old = disk.put(b"%PDF-1.7 dokumen lama").sha256

    assert cli_main(["files", "migrate"]) == 0
    assert "copied 1, already in the database 0" in capsys.readouterr().out
    assert DatabaseStore(db, settings.scratch_dir).read(old) == b"%PDF-1.7 dokumen lama"
    assert disk.hashes() == set()
    assert cli_main(["files", "migrate"]) == 0  # again, after an interruption: nothing to do
    assert "copied 0" in capsys.readouterr().out

    monkeypatch.setenv("SATUPINTU_FILE_STORE", "filesystem")
    assert cli_main(["files", "migrate"]) == 2
    assert "hanya berlaku" in capsys.readouterr().err


def test_files_left_on_disk_under_the_database_store_are_pointed_out_at_start(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    database_store = replace(settings, file_store="database")
    with caplog.at_level(logging.WARNING):
        build_store(database_store, db)
    assert "files migrate" not in caplog.text
    FilesystemStore(settings.files_dir).put(b"%PDF-1.7 lama")
    with caplog.at_level(logging.WARNING):
        build_store(database_store, db)
    assert "satupintu files migrate" in caplog.text


def test_copies_a_killed_process_left_in_the_scratch_dir_go_at_start(
    settings: Settings, db: Database
) -> None:
    settings.scratch_dir.mkdir(parents=True)
    stale, fresh = settings.scratch_dir / ".spool-lama", settings.scratch_dir / ".spool-baru"
    stale_dir = settings.scratch_dir / "tmp-merge"
    for path in (stale, fresh):
        path.write_bytes(b"x")
    stale_dir.mkdir()
    (stale_dir / "merged.pdf").write_bytes(b"x")
    long_ago = time.time() - STALE_SCRATCH_SECONDS - 60
    for path in (stale, stale_dir):
        os.utime(path, (long_ago, long_ago))
    make_private(settings, KeyRing(settings.keys_dir), build_store(settings, db))
    assert sorted(settings.scratch_dir.iterdir()) == [fresh]  # another process may be using it
