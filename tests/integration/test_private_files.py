"""The data dir holds full NIPs, salts and signing keys: only the service's own user may read it."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import make_url

from api.cli import main as cli_main
from registry.adapters.db.engine import Database
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import Actor
from registry.settings import Settings
from tests.support.drafts import draft


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask of a stock Debian service user: without care, files come out 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Files in the data dir on both backends: their modes are what these tests check."""
    return replace(settings, file_store="filesystem")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_files(settings: Settings) -> list[Path]:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        return []
    database = Path(str(url.database))
    return [
        path
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"))
        if path.exists()
    ]


def assert_private(settings: Settings) -> None:
    for directory in (settings.data_dir, settings.files_dir, settings.keys_dir):
        assert mode(directory) == 0o700, (directory, oct(mode(directory)))
    for secret in (
        *settings.keys_dir.glob("*.key"),
        settings.console_secret_file,
        *sqlite_files(settings),
    ):
        assert mode(secret) == 0o600, (secret, oct(mode(secret)))


def test_satupintu_init_on_a_fresh_dir_makes_it_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The embedded default: the SQLite file inside the data dir, made by `satupintu init`."""
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("SATUPINTU_DATABASE_URL", raising=False)
    assert cli_main(["init"]) == 0
    settings = Settings.from_env()
    assert sqlite_files(settings), "init made no database file"
    # The first issue stores a file and writes the WAL.
    database = Database.from_url(settings.database_url)
    try:
        registry = build_registry(settings, db=database, converter=UnavailableConverter())
        registry.issue(draft(), Actor(id="t", role="issuer"))
        settings.console_secret_file.write_text("x" * 64)
        settings.console_secret_file.chmod(0o600)
        assert_private(settings)
    finally:
        database.dispose()


def test_a_loose_data_dir_is_tightened_on_start_and_logged_once(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """On both backends: the data, files and keys dirs; on SQLite also the database file."""
    initialize(settings)
    database = Database.from_url(settings.database_url)
    try:
        registry = build_registry(settings, db=database, converter=UnavailableConverter())
        registry.issue(draft(), Actor(id="t", role="issuer"))
    finally:
        database.dispose()
    # What an older version (or a restore from a backup) left behind.
    for directory in (settings.data_dir, settings.files_dir, settings.keys_dir):
        directory.chmod(0o755)
    for path in (*settings.keys_dir.glob("*.key"), *sqlite_files(settings)):
        path.chmod(0o644)
    settings.console_secret_file.write_text("x" * 64)
    settings.console_secret_file.chmod(0o644)

    with caplog.at_level(logging.WARNING):
        database = Database.from_url(settings.database_url)
        build_registry(settings, db=database, converter=UnavailableConverter())
        database.dispose()
    assert_private(settings)
    tightened = [record for record in caplog.records if "0o700" in record.getMessage()]
    assert tightened, caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        database = Database.from_url(settings.database_url)
        build_registry(settings, db=database, converter=UnavailableConverter())
        database.dispose()
    assert "tightened" not in caplog.text


def test_stored_files_and_their_shard_dirs_are_private(settings: Settings) -> None:
    initialize(settings)
    database = Database.from_url(settings.database_url)
    try:
        registry = build_registry(settings, db=database, converter=UnavailableConverter())
        stored = registry.production.store.put(b"%PDF-1.7 contoh")
    finally:
        database.dispose()
    path = registry.production.store.path(stored.sha256)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(settings.files_dir) == 0o700


def test_a_database_file_outside_the_data_dir_is_private_too(tmp_path: Path) -> None:
    settings = replace(
        Settings.from_env(
            {
                "SATUPINTU_DATA_DIR": str(tmp_path / "data"),
                "SATUPINTU_KEYS_DIR": str(tmp_path / "k"),
            }
        ),
        database_url=f"sqlite:///{tmp_path / 'elsewhere.db'}",
    )
    initialize(settings)
    assert mode(tmp_path / "elsewhere.db") == 0o600
