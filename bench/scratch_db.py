"""A throw-away PostgreSQL database per benchmark run, on the server the tests use."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("SATUPINTU_BENCH_POSTGRES_URL", DEFAULT_SERVER_URL)


@contextmanager
def scratch_database(prefix: str, server: str | None = None) -> Iterator[str]:
    """Create an empty database named ``<prefix>_<random>``, yield its SQLAlchemy URL, drop it."""
    base = make_url(server or server_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def libpq_url(sqlalchemy_url: str) -> str:
    """The same URL as psycopg wants it (no ``+psycopg`` driver suffix)."""
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
