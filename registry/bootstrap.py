"""Bring a data dir to a working state: directories, series file, schema, signing key.

Idempotent. A data dir that already holds documents but whose signing keys are missing is refused
loudly: a new key silently generated there would make every issued QR look forged.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select

from registry.adapters.agency_files import read_agency
from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.db.migrate import upgrade_to_head
from registry.adapters.db.schema import Document
from registry.adapters.db.secrets import shared_secret
from registry.adapters.docx_templates import TemplateSet
from registry.adapters.files import FileStore
from registry.adapters.files.database import DatabaseStore
from registry.adapters.files.filesystem import FilesystemStore
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import Converter, build_converter
from registry.adapters.mail import SmtpMailer
from registry.adapters.private_files import private_dir, private_file
from registry.adapters.secret_file import read_or_create_secret
from registry.domain.actors import CLI_ACTOR, Actor
from registry.domain.agency import DEFAULT_AGENCY_TOML, AgencyIdentity
from registry.domain.errors import ConfigurationError
from registry.domain.numbering import DEFAULT_SERIES_TOML, SeriesCatalog, parse_series_toml
from registry.settings import Settings
from registry.usecases.accounts import Accounts
from registry.usecases.issuing import Registry, utc_now
from registry.usecases.notifications import Addressbook
from registry.usecases.production import Production

log = logging.getLogger("satupintu")
CONSOLE_SECRET_NAME = "console_csrf"  # noqa: S105 - a row name, not a secret
#: Older than any merge or download could take: what is left in the scratch dir is a crash's.
STALE_SCRATCH_SECONDS = 24 * 3600


@dataclass
class InitReport:
    created: list[str] = field(default_factory=list)


def load_catalog(settings: Settings) -> SeriesCatalog:
    path = settings.series_file
    text = path.read_text(encoding="utf-8") if path.exists() else DEFAULT_SERIES_TOML
    return parse_series_toml(text)


def load_identity(settings: Settings) -> AgencyIdentity:
    return read_agency(settings.agency_file, base_dir=settings.data_dir)


def build_registry(
    settings: Settings,
    *,
    db: Database | None = None,
    keyring: KeyRing | None = None,
    converter: Converter | None = None,
    clock: Callable[[], datetime] = utc_now,
    addressbook: Addressbook | None = None,
) -> Registry:
    """Wire a registry from settings; a converter passed in is shared, not owned.

    Notifications are addressed through the console's accounts unless ``addressbook`` says
    otherwise (issuers with an e-mail hear of submitted requests; a person hears of their own).
    """
    database = db or Database.from_url(settings.database_url)
    keyring = keyring or KeyRing(settings.keys_dir, settings.key_passphrase)
    store = build_store(settings, database)
    make_private(settings, keyring, store)
    production = Production(
        templates=TemplateSet(settings.templates_dir),
        identity=load_identity(settings),
        converter=converter
        or build_converter(
            settings.converters, settings.conversion_timeout, uno_python=settings.uno_python
        ),
        store=store,
        keyring=keyring,
    )
    return Registry(
        db=database,
        keyring=keyring,
        catalog=load_catalog(settings),
        settings=settings,
        production=production,
        clock=clock,
        addressbook=addressbook or Accounts(database, now=clock),
        mailer=SmtpMailer(settings.smtp) if settings.smtp else None,
    )


def build_store(settings: Settings, database: Database) -> FileStore:
    """The database store on PostgreSQL, the data dir's on SQLite, unless the settings choose."""
    kind = settings.file_store or ("filesystem" if database.is_sqlite else "database")
    if kind == "filesystem":
        return FilesystemStore(settings.files_dir)
    if _holds_files(settings.files_dir):
        log.warning(
            "%s still holds files while stored files are read from the database; "
            "`satupintu files migrate` copies them in",
            settings.files_dir,
        )
    return DatabaseStore(database, settings.scratch_dir)


def console_secret(settings: Settings, database: Database) -> str:
    """The key of the console's CSRF tokens, the same in every process of the deployment: in the
    data dir on SQLite, in the database on PostgreSQL (hosts with their own data dirs share it;
    a data dir's older secret seeds it, so forms open during an upgrade still submit)."""
    if database.is_sqlite:
        return read_or_create_secret(settings.console_secret_file)
    path = settings.console_secret_file
    seed = path.read_text(encoding="ascii").strip() if path.is_file() else None
    return shared_secret(database, CONSOLE_SECRET_NAME, seed=seed or None)


def _holds_files(root: Path) -> bool:
    """Whether a file store directory has any file left (stops at the first)."""
    if not root.is_dir():
        return False
    return any(shard.is_dir() and any(shard.iterdir()) for shard in root.iterdir())


def _clear_stale_scratch(scratch: Path) -> None:
    """Drop copies a killed process left in the scratch dir. Another process of this data dir
    may be working in it right now, so only what is older than any such work goes."""
    if not scratch.is_dir():
        return
    private_dir(scratch, create=False)
    stale = time.time() - STALE_SCRATCH_SECONDS
    for leftover in scratch.iterdir():
        if leftover.lstat().st_mtime < stale:
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def make_private(settings: Settings, keyring: KeyRing, store: FileStore) -> None:
    """Tighten what exists of the data dir, stored files and keys to the service's user alone
    (the SQLite file is made private where its engine is made)."""
    if settings.data_dir.is_dir():
        private_dir(settings.data_dir, create=False)
    private_file(settings.console_secret_file)
    store.make_private()
    _clear_stale_scratch(settings.scratch_dir)
    keyring.make_private()


def initialize(settings: Settings, db: Database | None = None) -> InitReport:
    report = InitReport()
    if not settings.data_dir.exists():
        private_dir(settings.data_dir)
        report.created.append(f"data dir {settings.data_dir}")
    make_private(settings, KeyRing(settings.keys_dir), FilesystemStore(settings.files_dir))
    for path, default in (
        (settings.series_file, DEFAULT_SERIES_TOML),
        (settings.agency_file, DEFAULT_AGENCY_TOML),
    ):
        if not path.exists():
            path.write_text(default, encoding="utf-8")
            report.created.append(f"{path.stem} file {path}")
    # Refuse a broken configuration file before anything else.
    load_catalog(settings)
    load_identity(settings)

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
