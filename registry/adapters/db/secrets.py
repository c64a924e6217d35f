"""Secrets every service process must agree on, kept in the database they share."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import ServiceSecret


def shared_secret(db: Database, name: str, *, seed: str | None = None) -> str:
    """The secret ``name``; the first process to ask makes it (``seed``, else a random one).

    Processes starting together agree: the insert does nothing when the row exists, waiting for
    a concurrent insert to commit first, and every one then reads the row that won.
    """
    dialect = sqlite if db.is_sqlite else postgresql
    with db.writing() as session:
        session.execute(
            dialect.insert(ServiceSecret)
            .values(name=name, value=seed or secrets.token_hex(32), created_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=[ServiceSecret.name])
        )
        return session.execute(
            select(ServiceSecret.value).where(ServiceSecret.name == name)
        ).scalar_one()
