"""Shared fixtures. Every test that touches the database runs on SQLite and on PostgreSQL.

PostgreSQL: a throw-away database is created on the server named by SATUPINTU_TEST_DATABASE_URL
(default: the local server, database ``test``), migrated once with Alembic, truncated before each
test, and dropped at the end. SQLite: one migrated template file, copied for each test.
SATUPINTU_TEST_BACKENDS=sqlite (or postgresql) narrows the run; the default is both, and an
unreachable PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from registry.adapters.db import apikeys
from registry.adapters.db.engine import Database, create_db_engine
from registry.adapters.db.migrate import upgrade_to_head
from registry.adapters.db.schema import Base
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import LibreOfficePool, UnavailableConverter
from registry.bootstrap import build_registry
from registry.settings import Settings
from registry.usecases.issuing import Registry

# The local SMTP server of the notification tests (fixture ``mailbox``).
pytest_plugins = ["tests.support.smtp"]

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = [
    name.strip()
    for name in os.environ.get("SATUPINTU_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if name.strip()
]


@pytest.fixture(scope="session")
def postgres_template_url() -> Iterator[str]:
    server_url = make_url(
        Settings.from_env(
            {
                "SATUPINTU_DATABASE_URL": os.environ.get(
                    "SATUPINTU_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL
                )
            }
        ).database_url
    )
    name = f"satupintu_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - environment problem, reported loudly
        raise RuntimeError(
            f"PostgreSQL at {server_url.render_as_string(hide_password=True)} is needed for the "
            "database tests (set SATUPINTU_TEST_DATABASE_URL, or SATUPINTU_TEST_BACKENDS=sqlite "
            f"to run only the embedded backend): {exc}"
        ) from exc
    url = server_url.set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "registry.db"
        shutil.copy(template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("postgres_template_url")
    _truncate_postgres(url)
    return url


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # Jobs an earlier test left in the queue would otherwise reach this test's workers.
        if connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar():
            connection.execute(text("TRUNCATE procrastinate_jobs RESTART IDENTITY CASCADE"))
        connection.execute(
            text("INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, :genesis)"),
            {"genesis": "0" * 64},
        )
    engine.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.from_url(database_url)
    yield database
    database.dispose()


@dataclass
class Clock:
    """A settable clock so tests can stand on either side of a year boundary."""

    current: datetime | None = None

    def __call__(self) -> datetime:
        return self.current or datetime.now(UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    base = Settings.from_env(
        {
            "SATUPINTU_DATA_DIR": str(tmp_path / "data"),
            "SATUPINTU_KEYS_DIR": str(tmp_path / "keys"),
            "SATUPINTU_PUBLIC_URL": "https://verifikasi.bpsdm.example",
        }
    )
    return replace(base, database_url=database_url)


@pytest.fixture
def keyring(settings: Settings) -> KeyRing:
    ring = KeyRing(settings.keys_dir)
    ring.generate()
    return ring


@pytest.fixture
def registry(db: Database, keyring: KeyRing, settings: Settings, clock: Clock) -> Registry:
    """A registry that issues DOCX only: most tests are about records, not PDF conversion."""
    return build_registry(
        settings, db=db, keyring=keyring, converter=UnavailableConverter(), clock=clock
    )


@pytest.fixture(scope="session")
def converter() -> Iterator[LibreOfficePool]:
    """One warm LibreOffice pool for the whole run (CI installs LibreOffice: never skipped)."""
    pool = LibreOfficePool(size=2, timeout=120, uno_python=Settings.from_env().uno_python)
    pool.start()
    yield pool
    pool.close()


@pytest.fixture
def pdf_registry(
    db: Database, keyring: KeyRing, settings: Settings, clock: Clock, converter: LibreOfficePool
) -> Registry:
    """A registry that makes real PDFs through the shared warm pool."""
    return build_registry(settings, db=db, keyring=keyring, converter=converter, clock=clock)


@dataclass(frozen=True)
class Keys:
    """API keys of every role, as (actor, bearer secret)."""

    issuer: apikeys.CreatedKey
    auditor: apikeys.CreatedKey
    requester: apikeys.CreatedKey
    other_requester: apikeys.CreatedKey


@pytest.fixture
def api_keys(db: Database) -> Keys:
    now = datetime.now(UTC)
    with db.writing() as session:
        return Keys(
            issuer=apikeys.create_key(
                session, role="issuer", unit_code=None, name="BPSDM", now=now
            ),
            auditor=apikeys.create_key(
                session, role="auditor", unit_code=None, name="Inspektorat", now=now
            ),
            requester=apikeys.create_key(
                session, role="requester", unit_code="DPUPR", name="DPUPR", now=now
            ),
            other_requester=apikeys.create_key(
                session, role="requester", unit_code="DINKES", name="Dinkes", now=now
            ),
        )
