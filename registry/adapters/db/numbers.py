"""Number allocation inside the caller's transaction.

The counter row's lock (PostgreSQL ``UPDATE``; SQLite's database write lock) serialises issuers of
one series and year. The sequence only becomes visible when the caller commits the document that
uses it; a rollback returns it, so numbers handed out are exactly 1..N with no gap.
"""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from registry.adapters.db.audit import LockedHead, head_locked_after
from registry.adapters.db.schema import NumberCounter, table_of

_COUNTERS = table_of(NumberCounter)
# Built once: it runs for every number, under the lock it takes.
_INCREMENT = (
    update(_COUNTERS)
    .where(_COUNTERS.c.series_id == bindparam("series"), _COUNTERS.c.year == bindparam("in_year"))
    .values(last_seq=_COUNTERS.c.last_seq + bindparam("count"))
    .returning(_COUNTERS.c.last_seq)
)
_INCREMENT_THEN_LOCK_HEAD = head_locked_after(_INCREMENT)


def allocate_for_entry(
    session: Session, series_id: str, year: int
) -> tuple[int, LockedHead | None]:
    """Take one number and, on PostgreSQL, the audit chain's head lock in the same round trip
    (counter first, then head, as a separate append would take them): the number's audit entry
    is the next thing the transaction writes, and a round trip under the counter lock is a cap
    on the series' throughput. Pass the head to that ``audit.append``. On SQLite the database
    write lock already serialises all of it, and the head is ``None``.
    """
    if session.get_bind().dialect.name != "postgresql":
        return allocate(session, series_id, year), None
    params = {"series": series_id, "in_year": year, "count": 1}
    taken = session.connection().execute(_INCREMENT_THEN_LOCK_HEAD, params).one_or_none()
    if taken is None:
        _create_counter(session, series_id, year)
        taken = session.connection().execute(_INCREMENT_THEN_LOCK_HEAD, params).one_or_none()
        if taken is None:
            raise RuntimeError(f"the counter of {series_id}/{year} vanished while numbering")
    seq, head_seq, head_hash = taken
    return seq, LockedHead(head_seq, head_hash)


def allocate(session: Session, series_id: str, year: int, count: int = 1) -> int:
    """Take ``count`` consecutive numbers; returns the last (the first is ``last - count + 1``).

    The ``UPDATE`` comes first: once a series has its counter row (every number but the year's
    first), taking a number is that one statement. The ``INSERT`` happens only when the row is
    missing, then the ``UPDATE`` again (a concurrent first issuer's row makes it a no-op).
    """
    seq = _increment(session, series_id, year, count)
    if seq is not None:
        return seq
    _create_counter(session, series_id, year)
    created = _increment(session, series_id, year, count)
    if created is None:
        raise RuntimeError(f"the counter of {series_id}/{year} vanished while numbering")
    return created


def _create_counter(session: Session, series_id: str, year: int) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(NumberCounter)
        .values(series_id=series_id, year=year, last_seq=0)
        .on_conflict_do_nothing(index_elements=["series_id", "year"])
    )


def _increment(session: Session, series_id: str, year: int, count: int) -> int | None:
    seq: int | None = (
        session.connection()
        .execute(_INCREMENT, {"series": series_id, "in_year": year, "count": count})
        .scalar_one_or_none()
    )
    return seq
