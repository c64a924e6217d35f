"""Which database errors are an outage (503), a full disk (507) or a bug (500)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from registry.adapters.db.engine import database_full, database_unavailable


def _operational(message: str) -> OperationalError:
    return OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))


def test_an_unreachable_or_busy_database_is_an_outage() -> None:
    assert database_unavailable(_operational("database is locked"))
    assert database_unavailable(_operational("connection refused"))
    assert database_unavailable(PoolTimeout("QueuePool limit reached"))


def test_a_full_disk_is_not_an_outage_but_a_full_store() -> None:
    full = _operational("database or disk is full")
    assert database_full(full)
    assert not database_unavailable(full)


def test_errors_in_a_statement_are_neither() -> None:
    for error in (
        IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
        ProgrammingError("SELECT ...", {}, sqlite3.ProgrammingError("no such column")),
    ):
        assert not database_unavailable(error)
        assert not database_full(error)
