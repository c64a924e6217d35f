"""The relational schema.

Alembic migrations in ``migrations/`` create the database; this module must describe the same tables
(``alembic check`` in CI keeps the two together).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names keep Alembic diffs meaningful across databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DOCUMENT_STATUSES = ("pending", "issued", "void", "revoked", "superseded")
BATCH_STATUSES = ("rendering", "done", "failed")
FILE_KINDS = ("pdf", "docx", "upload")
ROLES = ("issuer", "requester", "auditor")
# People signing in to the console; an admin manages users, units and keys (API keys never are).
USER_ROLES = ("admin", "issuer", "requester", "auditor")
EMPLOYMENTS = ("pns", "pppk")
JABATAN_TYPES = ("struktural", "fungsional", "pelaksana")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for statements that skip the ORM's unit of work."""
    return Base.metadata.tables[model.__tablename__]


class NumberCounter(Base):
    """The last sequence handed out per series and year; its row lock serialises allocation."""

    __tablename__ = "number_counters"

    series_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, nullable=False)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("series_id", "year", "seq"),
        UniqueConstraint("number"),
        CheckConstraint(
            "status IN ('pending', 'issued', 'void', 'revoked', 'superseded')", name="status"
        ),
        CheckConstraint("status <> 'void' OR void_reason IS NOT NULL", name="void_has_reason"),
        Index("ix_documents_nip", "nip"),
        Index("ix_documents_unit_year", "unit_code", "year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    series_id: Mapped[str] = mapped_column(String(40), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(120), nullable=False)
    type: Mapped[str] = mapped_column(String(30), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_code: Mapped[str | None] = mapped_column(String(30))

    nip: Mapped[str] = mapped_column(String(18), nullable=False)
    employment: Mapped[str] = mapped_column(String(10), nullable=False)
    nip_salt: Mapped[bytes] = mapped_column(LargeBinary(16), nullable=False)
    holder_name: Mapped[str] = mapped_column(String(200), nullable=False)
    holder_position: Mapped[str | None] = mapped_column(String(200))
    holder_unit: Mapped[str | None] = mapped_column(String(200))

    title: Mapped[str] = mapped_column(String(300), nullable=False)
    path: Mapped[str] = mapped_column(String(40), nullable=False)
    scope: Mapped[str] = mapped_column(String(20), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    stated_jp: Mapped[str | None] = mapped_column(String(20))
    jp: Mapped[str] = mapped_column(String(20), nullable=False)
    # What the document counts towards its holder's yearly JP after the caps that span documents
    # (the sum of its ``document_credits``); the printed ``jp`` is what the activity is worth.
    credited_jp: Mapped[str] = mapped_column(String(20), nullable=False)
    jp_rules: Mapped[str] = mapped_column(String(20), nullable=False)
    organizer: Mapped[str | None] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200), nullable=False)
    # Type-specific content (transcript subjects, SK body, ...) kept for re-rendering.
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_by: Mapped[str] = mapped_column(String(40), nullable=False)
    kid: Mapped[str] = mapped_column(String(64), nullable=False)
    record: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    signature: Mapped[bytes] = mapped_column(LargeBinary(64), nullable=False)
    token: Mapped[str] = mapped_column(String(120), nullable=False)
    # Printed beside the QR for people who type the address: /v/<short_code>.
    short_code: Mapped[str | None] = mapped_column(String(16), unique=True)

    void_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    supersede_reason: Mapped[str | None] = mapped_column(Text)

    # How the files were made, so an old document can be re-rendered exactly: the template's bytes
    # are kept in the file store under their SHA-256, and the context is every value it printed.
    template_name: Mapped[str | None] = mapped_column(String(80))
    template_sha256: Mapped[str | None] = mapped_column(String(64))
    render_context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("batches.id"), index=True)


class DocumentFile(Base):
    """A stored file of a document, content-addressed in the data dir's file store.

    ``signature`` is the Ed25519 signature over ``records.file_attestation_bytes`` and is present on
    the document's final file (the PDF, or the DOCX when PDF output is unavailable).
    """

    __tablename__ = "document_files"
    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'docx', 'upload')", name="kind"),
        Index("ix_document_files_sha256", "sha256"),
    )

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    kid: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DocumentCredit(Base):
    """One session or activity a document credited to its holder, with the JP it credited.

    Written with the document, in the transaction that numbers it, and never changed: the credits
    of the holder's valid documents are the "already credited" that later documents' caps count
    against (``jp_sessions.credit_log``), and their sum per year is the holder's yearly JP. A
    revoked, superseded or void document's credits stop counting because its status does.
    """

    __tablename__ = "document_credits"
    __table_args__ = (Index("ix_document_credits_nip", "nip"),)

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    nip: Mapped[str] = mapped_column(String(18), nullable=False)
    path: Mapped[str] = mapped_column(String(40), nullable=False)
    scope: Mapped[str] = mapped_column(String(20), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    jp: Mapped[str] = mapped_column(String(20), nullable=False)


class Batch(Base):
    """One batch issuance: its documents hold consecutive numbers and are rendered by jobs."""

    __tablename__ = "batches"
    __table_args__ = (CheckConstraint("status IN ('rendering', 'done', 'failed')", name="status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    type: Mapped[str] = mapped_column(String(30), nullable=False)
    total: Mapped[int] = mapped_column(Integer, nullable=False)
    first_number: Mapped[str] = mapped_column(String(120), nullable=False)
    last_number: Mapped[str] = mapped_column(String(120), nullable=False)
    created_by: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merged_sha256: Mapped[str | None] = mapped_column(String(64))
    zip_sha256: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    actor_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(String(40), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # A replayed batch request answers with its batch; every other operation with its document.
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (
        UniqueConstraint("secret_hash"),
        CheckConstraint("role IN ('issuer', 'requester', 'auditor')", name="role"),
        CheckConstraint("role <> 'requester' OR unit_code IS NOT NULL", name="requester_has_unit"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_code: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Append-only, hash-chained: ``hash = sha256(prev_hash || canonical entry)``."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(80), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[str] = mapped_column(Text, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditHead(Base):
    """A single row whose lock orders appends to the chain across processes."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="singleton"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, nullable=False)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False)


class NipCheckCounter(Base):
    """Failed NIP confirmations in one fixed window of one allowance.

    The allowances are in ``registry.domain.nip_checks``.

    The verification page must not become an oracle for walking through plausible birth dates, nor
    a way for a stranger to lock a holder out. ``subject`` is a digest of the holder's NIP and/or
    the client address, never either in the clear.
    """

    __tablename__ = "nip_check_counters"
    # Expired windows are swept by start time.
    __table_args__ = (Index("ix_nip_check_counters_window_start", "window_start"),)

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)


class RequestCounter(Base):
    """Requests to the public verification endpoints from one client in one minute.

    Shared by the service processes (``registry.usecases.rate_limits``): each counts locally and
    adds its count here about once a second. ``client`` is a digest of the address.
    """

    __tablename__ = "request_counters"
    __table_args__ = (Index("ix_request_counters_window_start", "window_start"),)

    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Unix time of the minute's start: an integer compares the same on every backend.
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, nullable=False)


class Unit(Base):
    """A work unit (SKPD) and the head who signs its surat keterangan.

    The head is all or nothing: a letter printed with a name but no NIP would not be signable.
    """

    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(
            "(head_name IS NULL AND head_nip IS NULL AND head_rank IS NULL "
            "AND head_position IS NULL) OR (head_name IS NOT NULL AND head_nip IS NOT NULL "
            "AND head_rank IS NOT NULL AND head_position IS NOT NULL)",
            name="head_complete",
        ),
        CheckConstraint(
            "head_employment IS NULL OR head_employment IN ('pns', 'pppk')",
            name="head_employment",
        ),
    )

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    head_name: Mapped[str | None] = mapped_column(String(200))
    head_nip: Mapped[str | None] = mapped_column(String(18))
    # Read from the NIP's structure when the head is saved; prints "NIP" or "NI PPPK".
    head_employment: Mapped[str | None] = mapped_column(String(10))
    head_rank: Mapped[str | None] = mapped_column(String(200))
    head_position: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Employee(Base):
    """One rostered employee, keyed by NIP / NI PPPK; a roster import creates or updates it."""

    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint("employment IN ('pns', 'pppk')", name="employment"),
        CheckConstraint(
            "jabatan_type IS NULL OR jabatan_type IN ('struktural', 'fungsional', 'pelaksana')",
            name="jabatan_type",
        ),
        Index("ix_employees_unit_code", "unit_code"),
    )

    nip: Mapped[str] = mapped_column(String(18), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    employment: Mapped[str] = mapped_column(String(10), nullable=False)
    jabatan_type: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


REQUEST_KINDS = (
    "coaching",
    "mentoring",
    "belajar_mandiri",
    "komunitas_belajar",
    "bimbingan_tempat_kerja",
)
REQUEST_STATUSES = ("draft", "submitted", "approved", "rejected", "withdrawn")
EVIDENCE_KINDS = ("surat_perintah", "formulir", "bahan", "daftar_anggota", "lainnya")


class Request(Base):
    """A unit's request for a surat keterangan: the session log BPSDM approves or rejects.

    ``employee``, ``guide`` and ``sessions`` are kept as the unit filed them (JSON); the letter
    issued on approval is linked by ``document_id``, set in the transaction that numbers it.
    """

    __tablename__ = "requests"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('coaching', 'mentoring', 'belajar_mandiri', 'komunitas_belajar', "
            "'bimbingan_tempat_kerja')",
            name="kind",
        ),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')", name="status"
        ),
        CheckConstraint("status <> 'rejected' OR reason IS NOT NULL", name="rejected_has_reason"),
        CheckConstraint(
            "status <> 'approved' OR document_id IS NOT NULL", name="approved_has_document"
        ),
        Index("ix_requests_unit_status", "unit_code", "status"),
        Index("ix_requests_nip", "nip"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("units.code"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    scope: Mapped[str] = mapped_column(String(20), nullable=False)
    nip: Mapped[str] = mapped_column(String(18), nullable=False)
    employee: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    guide: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sessions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    # The per-session verdicts the letter was credited with, written in the transaction that
    # numbers it: what the request shows from then on, whatever later happens to other letters.
    credited: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(80), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(80))


class RequestEvidence(Base):
    """A file a unit attached to its request, content-addressed in the file store."""

    __tablename__ = "request_evidence"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('surat_perintah', 'formulir', 'bahan', 'daftar_anggota', 'lainnya')",
            name="kind",
        ),
        Index("ix_request_evidence_request_id", "request_id"),
        Index("ix_request_evidence_sha256", "sha256"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("requests.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    filename: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class User(Base):
    """A person who signs in to the console with a username and an Argon2id-hashed password."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("username"),
        CheckConstraint("role IN ('admin', 'issuer', 'requester', 'auditor')", name="role"),
        CheckConstraint("role <> 'requester' OR unit_code IS NOT NULL", name="requester_has_unit"),
        CheckConstraint("username = lower(username)", name="username_lower"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("units.code"))
    # Consecutive failed sign-ins; the fifth locks the account until ``locked_until``.
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Sessions are deleted on sign-out, so the last sign-in is kept on the account itself.
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConsoleSession(Base):
    """A signed-in console session. ``id`` is the SHA-256 of the token in the cookie, so a copy
    of the database does not hand out live sessions."""

    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_user_id", "user_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class StoredFileRow(Base):
    """A file of the database file store, named by its SHA-256; its bytes are in ``file_chunks``.

    Used when the database is PostgreSQL (hosts sharing only the database serve each other's
    files); on SQLite the files stay in the data dir and these tables stay empty.
    """

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class FileChunk(Base):
    """One piece (about 1 MiB) of a stored file: read one at a time, never the whole file."""

    __tablename__ = "file_chunks"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("stored_files.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class ServiceSecret(Base):
    """A secret every process of a deployment must agree on (the console's CSRF key), kept in
    PostgreSQL so hosts that share only the database agree; on SQLite it stays in the data dir."""

    __tablename__ = "service_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class UnrecordedFile(Base):
    """A file about to be stored for a record not yet committed (its ``owner``).

    Written before the file is stored and deleted in the transaction that records it, so a file
    left behind by a process that died in between can be found and removed
    (``registry.usecases.unrecorded_files``).
    """

    __tablename__ = "unrecorded_files"
    __table_args__ = (
        Index("ix_unrecorded_files_owner", "owner"),
        Index("ix_unrecorded_files_sha256", "sha256"),
        Index("ix_unrecorded_files_announced_at", "announced_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: ``document:<id>``, ``batch:<id>`` or ``request:<id>``: whose commit will record the file.
    owner: Mapped[str] = mapped_column(String(80), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    announced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
