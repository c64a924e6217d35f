"""NIP-check failure counters inside the caller's transaction.

A check locks its counters before it reads them and keeps the locks until the caller commits, so
parallel guesses at one holder are judged one after the other: no two of them can both see the
last allowed failure as still free. On PostgreSQL the lock is the counter rows' ``FOR UPDATE``
(the rows are created first, since a missing row cannot be locked); on SQLite the writing
transaction's ``BEGIN IMMEDIATE`` already serialises every writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from registry.adapters.db.schema import NipCheckCounter
from registry.domain.nip_checks import CounterKey

# Expired rows removed per check: bounded work, and still more than one check can add (three).
_SWEEP_BATCH = 50


def lock_counters(session: Session, keys: Sequence[CounterKey]) -> list[int]:
    """Lock the counters of ``keys`` in the order given; return their failures so far."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    failures = []
    for key in keys:  # one at a time: the order of the keys is the order of the locks
        session.execute(
            insert(NipCheckCounter)
            .values(scope=key.scope.value, subject=key.subject, window_start=key.window_start)
            .values(failures=0)
            .on_conflict_do_nothing(index_elements=["scope", "subject", "window_start"])
        )
        failures.append(
            session.execute(
                select(NipCheckCounter.failures).where(_is(key)).with_for_update()
            ).scalar_one()
        )
    return failures


def count_failure(session: Session, keys: Sequence[CounterKey]) -> None:
    """Add one failure to every counter of ``keys`` (locked before by :func:`lock_counters`)."""
    for key in keys:
        session.execute(
            update(NipCheckCounter).where(_is(key)).values(failures=NipCheckCounter.failures + 1)
        )


def sweep_expired(session: Session, *, before: datetime) -> None:
    """Remove a batch of counters whose window started before ``before``.

    ``SKIP LOCKED``: a sweep never waits for another check, so two sweeps cannot deadlock.
    """
    expired = (
        select(NipCheckCounter.scope, NipCheckCounter.subject, NipCheckCounter.window_start)
        .where(NipCheckCounter.window_start < before)
        .limit(_SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    columns = tuple_(NipCheckCounter.scope, NipCheckCounter.subject, NipCheckCounter.window_start)
    rows = session.execute(expired).all()
    if rows:
        session.execute(delete(NipCheckCounter).where(columns.in_([tuple(row) for row in rows])))


def _is(key: CounterKey) -> ColumnElement[bool]:
    return and_(
        NipCheckCounter.scope == key.scope.value,
        NipCheckCounter.subject == key.subject,
        NipCheckCounter.window_start == key.window_start,
    )
