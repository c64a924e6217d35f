"""Bring a data dir to a working state: directories, series file, schema, signing key.

Idempotent. A data dir that already holds documents but whose signing keys are missing is refused
loudly: a new key silently generated there would make every issued QR look forged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, inspect, select

from registry.db import audit
from registry.db.apikeys import CLI_ACTOR, Actor
from registry.db.engine import Database
from registry.db.migrate import upgrade_to_head
from registry.db.schema import Document
from registry.errors import ConfigurationError
from registry.keystore import KeyRing
from registry.numbering import DEFAULT_SERIES_TOML, SeriesCatalog, parse_series_toml
from registry.settings import Settings

log = logging.getLogger("satupintu")


@dataclass
class InitReport:
    created: list[str] = field(default_factory=list)


def load_catalog(settings: Settings) -> SeriesCatalog:
    path = settings.series_file
    text = path.read_text(encoding="utf-8") if path.exists() else DEFAULT_SERIES_TOML
    return parse_series_toml(text)


def initialize(settings: Settings, db: Database | None = None) -> InitReport:
    report = InitReport()
    if not settings.data_dir.exists():
        settings.data_dir.mkdir(parents=True)
        report.created.append(f"data dir {settings.data_dir}")
    if not settings.series_file.exists():
        settings.series_file.write_text(DEFAULT_SERIES_TOML, encoding="utf-8")
        report.created.append(f"series file {settings.series_file}")
    load_catalog(settings)  # refuse a broken series file before anything else

    own_db = db is None
    database = db or Database.from_url(settings.database_url)
    try:
        fresh_schema = not inspect(database.engine).has_table("documents")
        upgrade_to_head(database.engine)
        if fresh_schema:
            report.created.append("database schema")
        keyring = KeyRing(settings.keys_dir, settings.key_passphrase)
        if not keyring.has_keys():
            with database.reading() as session:
                issued = session.execute(select(func.count()).select_from(Document)).scalar_one()
            if issued:
                raise ConfigurationError(
                    f"Basis data memuat {issued} dokumen tetapi {settings.keys_dir} tidak berisi "
                    "kunci penandatangan. Pulihkan kunci dari cadangan; kunci baru tidak dibuat "
                    "agar QR yang sudah terbit tidak tampak palsu."
                )
            kid = create_key(database, keyring)
            report.created.append(f"signing key {kid}")
        keyring.active()  # fails loudly when the active key cannot be loaded
    finally:
        if own_db:
            database.dispose()
    return report


def create_key(database: Database, keyring: KeyRing, actor: Actor = CLI_ACTOR) -> str:
    kid = keyring.generate()
    with database.writing() as session:
        audit.append(
            session, at=datetime.now(UTC), actor=actor.label, action="key.create", subject=kid
        )
    log.info("created signing key %s", kid)
    return kid
