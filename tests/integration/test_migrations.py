"""Migrations applied to a database that already holds documents (both backends)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, Uuid, create_engine, insert, select, text
from sqlalchemy.engine import Engine, make_url

from registry.adapters.db.migrate import alembic_config
from tests.conftest import BACKENDS, DEFAULT_POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    server = make_url(os.environ.get("SATUPINTU_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL))
    name = f"satupintu_migration_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def upgrade(url: str, revision: str) -> None:
    command.upgrade(alembic_config(url), revision)


def reflected(engine: Engine, name: str, uuid_column: str) -> Table:
    # SQLite reflects a UUID column as CHAR(32); read it back as the models do.
    table = Table(name, MetaData(), autoload_with=engine)
    table.c[uuid_column].type = Uuid()
    return table


def old_document(
    engine: Engine, *, status: str, jp: str, seq: int, type: str = "sttp"
) -> uuid.UUID:
    documents = reflected(engine, "documents", "id")
    document_id = uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(
            insert(documents).values(
                id=document_id,
                series_id="sttp",
                year=2026,
                seq=seq,
                number=f"{seq:05d}/STTP/BPSDM/2026",
                type=type,
                status=status,
                void_reason="gagal" if status == "void" else None,
                nip="198503152010011012",
                employment="pns",
                nip_salt=b"\x00" * 16,
                holder_name="Dra. Siti Aminah",
                title="Pelatihan Teknis",
                path="pelatihan_teknis",
                scope="nasional",
                start_date=date(2026, 3, 2),
                end_date=date(2026, 3, 6),
                jp=jp,
                jp_rules="tangsel-2022",
                issuer="BPSDM",
                issued_at=datetime(2026, 3, 9, tzinfo=UTC),
                created_by="cli",
                kid="k1",
                record=b"{}",
                signature=b"\x00" * 64,
                token=f"token-{seq}",
            )
        )
    return document_id


def test_documents_issued_before_credits_count_what_they_print(empty_database: str) -> None:
    upgrade(empty_database, "0004")
    engine = create_engine(empty_database)
    try:
        issued = old_document(engine, status="issued", jp="40", seq=1)
        voided = old_document(engine, status="void", jp="40", seq=2)
        transcript = old_document(engine, status="issued", jp="40", seq=3, type="transkrip")

        upgrade(empty_database, "head")

        credits = reflected(engine, "document_credits", "document_id")
        documents = reflected(engine, "documents", "id")
        with engine.connect() as connection:
            rows = connection.execute(
                select(
                    credits.c.document_id, credits.c.start_date, credits.c.end_date, credits.c.jp
                )
            ).all()
            credited = dict(
                connection.execute(select(documents.c.id, documents.c.credited_jp)).all()
            )
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(issued, date(2026, 3, 2), date(2026, 3, 6), "40")]
    assert credited == {issued: "40", voided: "40", transcript: "0"}
