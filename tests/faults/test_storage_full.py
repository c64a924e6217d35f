"""A full or read-only file store while documents are issued (SQLite, the filesystem store)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import pytest

from registry.adapters.db.engine import Database
from registry.adapters.files.filesystem import FilesystemStore
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.conftest import BACKENDS, Keys
from tests.faults.accounting import assert_everything_accounted_for
from tests.faults.server import Server
from tests.support.drafts import body

pytestmark = pytest.mark.skipif("sqlite" not in BACKENDS, reason="SQLite backend not selected")

#: Room for the template, the logo and a few documents, filled up by the test.
TMPFS_SIZE = "4m"


def _mount(*arguments: str) -> None:
    done = subprocess.run(["mount", *arguments], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"mount {' '.join(arguments)}: {done.stderr}"


@pytest.fixture
def small_files_dir(settings: Settings) -> Iterator[Path]:
    """The data dir's ``files/`` on a tmpfs of its own, unmounted at the end."""
    # CI runs as root; a run that cannot mount must say so, not pass by skipping.
    assert os.geteuid() == 0, "the storage fault tests mount a tmpfs: run them as root"
    files = settings.files_dir
    files.mkdir(mode=0o700, parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0700", "tmpfs", str(files))
    try:
        yield files
    finally:
        subprocess.run(["umount", "-l", str(files)], check=False)


def _fill(directory: Path) -> Path:
    filler = directory / "filler"
    # Unbuffered: nothing is left to flush (and fail again) when the file is closed.
    with filler.open("wb", buffering=0) as out:
        while _wrote_more(out):
            pass
    return filler


def _wrote_more(out: BinaryIO) -> bool:
    try:
        out.write(b"\0" * 65536)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        return False
    return True


def _leftovers(directory: Path) -> list[str]:
    """Temporary files of the store (``.incoming-*``) anywhere under it."""
    return [str(path) for path in directory.rglob(".incoming-*")]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_full_file_store_answers_507_voids_the_number_and_works_again_with_space(
    registry: Registry, settings: Settings, api_keys: Keys, small_files_dir: Path, tmp_path: Path
) -> None:
    server = Server(settings, tmp_path / "logs")
    try:
        server.start()
        with server.client(api_keys.issuer.secret) as client:
            assert client.post("/api/v1/documents", json=body()).status_code == 201
            filler = _fill(small_files_dir)
            full = client.post("/api/v1/documents", json=body())
            assert full.status_code == 507, full.text
            assert full.headers["content-type"].startswith("application/problem+json")
            assert int(full.headers["retry-after"]) > 0
            problem = full.json()
            assert "Penyimpanan" in problem["detail"], problem
            assert problem["number"] in problem["detail"]  # the voided number is named
            assert not _leftovers(small_files_dir)

            filler.unlink()
            again = client.post("/api/v1/documents", json=body())
            assert again.status_code == 201, again.text
    finally:
        server.stop()
    with registry.db.reading() as session:
        statuses = assert_everything_accounted_for(session, FilesystemStore(settings.files_dir))
    assert statuses == {"issued": 2, "void": 1}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_read_only_file_store_answers_503_voids_the_number_and_works_again_writable(
    registry: Registry, settings: Settings, api_keys: Keys, small_files_dir: Path, tmp_path: Path
) -> None:
    server = Server(settings, tmp_path / "logs")
    try:
        server.start()
        with server.client(api_keys.issuer.secret) as client:
            assert client.post("/api/v1/documents", json=body()).status_code == 201
            _mount("-o", "remount,ro", str(small_files_dir))
            refused = client.post("/api/v1/documents", json=body())
            assert refused.status_code == 503, refused.text
            assert int(refused.headers["retry-after"]) > 0
            assert "tidak dapat ditulis" in refused.json()["detail"], refused.json()

            _mount("-o", "remount,rw", str(small_files_dir))
            again = client.post("/api/v1/documents", json=body())
            assert again.status_code == 201, again.text
            assert not _leftovers(small_files_dir)
    finally:
        server.stop()
    with registry.db.reading() as session:
        statuses = assert_everything_accounted_for(session, FilesystemStore(settings.files_dir))
    assert statuses == {"issued": 2, "void": 1}


@pytest.fixture
def small_data_dir(settings: Settings, database_url: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings whose SQLite database and files live on one small tmpfs, unmounted at the end."""
    assert os.geteuid() == 0, "the storage fault tests mount a tmpfs: run them as root"
    mounted = tmp_path / "small"
    mounted.mkdir(mode=0o700)
    _mount("-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(mounted))
    try:
        database = mounted / "satupintu.db"
        source = database_url.removeprefix("sqlite:///")
        shutil.copy(source, database)
        if Path(f"{source}-wal").exists():  # the API keys may still sit in the write-ahead log
            shutil.copy(f"{source}-wal", f"{database}-wal")
        data_dir = mounted / "data"
        if settings.data_dir.exists():
            shutil.copytree(settings.data_dir, data_dir)
        yield replace(settings, data_dir=data_dir, database_url=f"sqlite:///{database}")
    finally:
        subprocess.run(["umount", "-l", str(mounted)], check=False)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_full_disk_under_the_sqlite_database_answers_507_and_writes_nothing(
    database_url: str, api_keys: Keys, small_data_dir: Settings, tmp_path: Path
) -> None:
    settings = small_data_dir
    server = Server(settings, tmp_path / "logs")
    try:
        server.start()
        with server.client(api_keys.issuer.secret) as client:
            assert client.post("/api/v1/documents", json=body()).status_code == 201
            filler = _fill(settings.data_dir.parent)
            full = client.post("/api/v1/documents", json=body())
            assert full.status_code == 507, full.text
            assert int(full.headers["retry-after"]) > 0
            assert "Penyimpanan" in full.json()["detail"], full.json()

            filler.unlink()
            again = client.post("/api/v1/documents", json=body())
            assert again.status_code == 201, again.text
    finally:
        server.stop()
    db = Database.from_url(settings.database_url)
    try:
        with db.reading() as session:
            statuses = assert_everything_accounted_for(session, FilesystemStore(settings.files_dir))
    finally:
        db.dispose()
    # The refused request took no number at all (the database refused its first write), or
    # its number is void with the reason.
    assert statuses in ({"issued": 2}, {"issued": 2, "void": 1}), statuses
