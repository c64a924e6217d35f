"""Engines and sessions for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from registry.adapters.private_files import private_file

#: Seconds to wait for PostgreSQL to accept a connection: a server that is down or unreachable
#: fails the request quickly (503) instead of holding a worker thread until the OS gives up.
CONNECT_TIMEOUT = 5
# Pieces of SQLite's messages for a full disk; the data dir's filesystem, not the database, is out.
_SQLITE_FULL = ("database or disk is full", "disk is full")

# SQLite takes its write lock lazily, at the first write; two transactions that both read first and
# then write would deadlock and one fail with "database is locked". Writers therefore begin with
# BEGIN IMMEDIATE (the lock up front, waiting up to busy_timeout), readers with a plain BEGIN.
_BEGIN_MODE = "satupintu_begin"


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        _make_sqlite_file_private(url)
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT})
    return create_engine(url, **kwargs)


def database_unavailable(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection (down, restarting, locked,
    out of connections): the request did nothing and may be retried later. Errors in a
    statement (a constraint, a bug) are not this."""
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError) and not database_full(exc)


def database_full(exc: BaseException) -> bool:
    """SQLite could not grow its file: the disk of the data dir is full."""
    return isinstance(exc, SQLAlchemyError) and any(
        piece in str(getattr(exc, "orig", exc)).lower() for piece in _SQLITE_FULL
    )


def _make_sqlite_file_private(url: str) -> None:
    """The database file (full NIPs, salts) readable by the service's user alone. SQLite gives
    its -wal and -shm files the mode of the database file, so making that one is enough; older
    ones found loose are tightened too."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    private_file(path, create=True)
    for companion in (
        Path(f"{database}-wal"),
        Path(f"{database}-shm"),
        Path(f"{database}-journal"),
    ):
        private_file(companion)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN_MODE, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One engine, with separate session factories for reading and for writing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        writer = (
            engine.execution_options(**{_BEGIN_MODE: "IMMEDIATE"}) if self.is_sqlite else engine
        )
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_db_engine(url))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
