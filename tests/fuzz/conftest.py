"""A throw-away registry per module for the fuzz tests: many generated requests share it.

The per-test ``registry`` fixture would give each generated case a fresh database and app, far too
slow for a thousand cases; here one app serves a whole module, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from registry.adapters.db import apikeys
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.actors import Actor
from registry.domain.units import UnitDraft
from registry.settings import Settings
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.conftest import BACKENDS, _truncate_postgres

# The console's signed-in client, for the pages that show hostile text (test_hostile_text).
from tests.console.conftest import accounts, console  # noqa: F401
from tests.support.drafts import draft

ADMIN = Actor(id="fuzz-setup", role="issuer")


@dataclass(frozen=True)
class FuzzWorld:
    """One registry over one database, with a bearer secret per role (``None``: no key)."""

    backend: str
    registry: Registry
    secrets: dict[str, str | None]
    token: str


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzWorld]:
    root = tmp_path_factory.mktemp("fuzz")
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copy(template, root / "registry.db")
        url = f"sqlite:///{root / 'registry.db'}"
    else:
        url = request.getfixturevalue("postgres_template_url")
        _truncate_postgres(url)
    settings = replace(
        Settings.from_env(
            {
                "SATUPINTU_DATA_DIR": str(root / "data"),
                "SATUPINTU_KEYS_DIR": str(root / "keys"),
                "SATUPINTU_PUBLIC_URL": "https://verifikasi.bpsdm.example",
            }
        ),
        database_url=url,
    )
    db = Database.from_url(url)
    keyring = KeyRing(settings.keys_dir)
    keyring.generate()
    # No LibreOffice: issuance stores the DOCX only (as the API tests do), so a generated case
    # costs a DOCX rendering, not a PDF conversion; the PDF-only answers (the kartu) are 503.
    registry = build_registry(settings, db=db, keyring=keyring, converter=UnavailableConverter())
    now = datetime.now(UTC)
    Units(db, now=registry.now, today=registry.local_today).save(
        UnitDraft(code="DPUPR", name="Dinas Pekerjaan Umum dan Penataan Ruang"), ADMIN
    )
    with db.writing() as session:
        keys = {
            "issuer": apikeys.create_key(session, role="issuer", unit_code=None, name="i", now=now),
            "auditor": apikeys.create_key(
                session, role="auditor", unit_code=None, name="a", now=now
            ),
            "requester": apikeys.create_key(
                session, role="requester", unit_code="DPUPR", name="r", now=now
            ),
        }
    issued = registry.issue(draft(), keys["issuer"].actor, None).document
    secrets: dict[str, str | None] = {role: key.secret for role, key in keys.items()}
    secrets["anonymous"] = None
    yield FuzzWorld(backend=request.param, registry=registry, secrets=secrets, token=issued.token)
    db.dispose()
