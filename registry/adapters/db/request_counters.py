"""Adding a process's request counts to the shared per-client counters, and reading them back."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from registry.adapters.db.schema import RequestCounter


def add_counts(session: Session, window_start: int, counts: Mapping[str, int]) -> dict[str, int]:
    """Add ``counts`` (client -> requests) to the window's counters; return the new totals."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    totals = {}
    for client, added in sorted(counts.items()):  # one order for every process: no deadlock
        statement = insert(RequestCounter).values(
            client=client, window_start=window_start, requests=added
        )
        totals[client] = session.execute(
            statement.on_conflict_do_update(
                index_elements=["client", "window_start"],
                set_={"requests": RequestCounter.requests + statement.excluded.requests},
            ).returning(RequestCounter.requests)
        ).scalar_one()
    return totals


def read_counts(session: Session, window_start: int, clients: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(RequestCounter.client, RequestCounter.requests).where(
            RequestCounter.window_start == window_start, RequestCounter.client.in_(clients)
        )
    )
    return {client: requests for client, requests in rows}


def sweep(session: Session, *, before: int) -> None:
    session.execute(delete(RequestCounter).where(RequestCounter.window_start < before))
