"""Answering "is this genuine?": tokens, short codes, files, and the NIP printed on paper.

Every answer is a :class:`Verification` with a status; nothing here raises for a forged or unknown
token. Answers about a document are kept for a few seconds (``registry.usecases.recent_answers``):
a revocation on another process shows within ``SATUPINTU_VERIFY_CACHE_SECONDS``, here at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.db import nip_checks
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document, DocumentFile
from registry.adapters.keystore import KeyRing
from registry.domain.errors import VerificationError
from registry.domain.media import is_pdf
from registry.domain.nip import typed_nip_digits
from registry.domain.nip_checks import KEPT_FOR, counter_keys, limit_of
from registry.domain.records import file_attestation_bytes, nip_matches
from registry.domain.short_codes import normalise_short_code
from registry.domain.signing import verify_signature
from registry.domain.tokens import TOKEN_LENGTH, verify_token
from registry.domain.views import (
    DocumentView,
    FileCheck,
    FileMatch,
    Verification,
    public_document,
)
from registry.domain.views import as_utc as _as_utc
from registry.usecases.recent_answers import Answer, DocumentState, RecentAnswers

log = logging.getLogger("satupintu.verification")


class Verifier:
    def __init__(
        self,
        db: Database,
        keyring: KeyRing,
        *,
        view: Callable[[Document], DocumentView],
        verify_url: Callable[[str], str],
        now: Callable[[], datetime],
        answers: RecentAnswers | None = None,
    ) -> None:
        self.db = db
        self.keyring = keyring
        self._view_of = view
        self._verify_url = verify_url
        self._now = now
        self.answers = answers if answers is not None else RecentAnswers(ttl=0)

    def forget(self) -> None:
        """After this process changed a document's status (call it once the change committed)."""
        self.answers.forget_all()

    def recent(self, token: str) -> Verification | None:
        """The answer for ``token`` from memory, or None when it must be read (no I/O here)."""
        return self.answers.fresh(token, self.keyring.generation)

    def verify(self, token: str) -> Verification:
        generation = self.keyring.generation
        epoch = self.answers.epoch
        kept = self.answers.lookup(token, generation)
        if kept is not None:
            if self.answers.is_fresh(kept):
                return kept.verification
            checked_at = self.answers.now()
            with self.db.reading() as session:
                state = _state_of(session, kept.document_id)
            if state == kept.state:
                self.answers.renew(token, kept, epoch, checked_at)
                return kept.verification
        checked_at = self.answers.now()
        with self.db.reading() as session:
            verification, document = self._verify(session, token)
            if document is None:
                return verification
            # From the very row the answer was built from: a state read apart from it could be
            # newer (a revocation committed in between) and would renew the old answer for good.
            state = _row_state(document)
        self.answers.store(
            token,
            Answer(verification, document.id, state, generation, checked_at),
            epoch,
        )
        return verification

    def _verify(self, session: Session, token: str) -> tuple[Verification, Document | None]:
        """Check a QR token, or the short code printed beside the QR for people who type it.

        Only a string of a token's length is judged as a token: a forged or altered one is
        ``invalid``. Anything else was typed by a person, and a typo is not a forgery: a code
        that names no document is ``unknown`` with reason ``code_not_found``.
        """
        if len(token) != TOKEN_LENGTH:
            code = normalise_short_code(token)
            document = (
                session.execute(select(Document).where(Document.short_code == code)).scalar()
                if code is not None
                else None
            )
            if document is None or document.status == "pending":
                return Verification(status="unknown", reason="code_not_found"), None
            return self._verify_document(session, document, document.kid), document
        try:
            verified = verify_token(token, self.keyring.public_keys())
        except VerificationError as exc:
            return Verification(status="invalid", reason=exc.reason), None
        document = session.get(Document, verified.document_id)
        if document is None or document.status == "pending":
            return Verification(status="unknown", reason="not_found"), None
        return self._verify_document(session, document, verified.kid), document

    def _verify_document(
        self, session: Session, document: Document, token_kid: str | None
    ) -> Verification:
        public_keys = self.keyring.public_keys()
        try:
            if token_kid != document.kid or document.kid not in public_keys:
                raise VerificationError("key_mismatch")
            verify_signature(public_keys[document.kid], document.record, document.signature)
        except VerificationError as exc:
            return Verification(status="invalid", reason=f"record_{exc.reason}")
        if document.status == "void":
            return Verification(status="invalid", reason="void")
        attested = session.execute(
            select(DocumentFile).where(
                DocumentFile.document_id == document.id, DocumentFile.signature.is_not(None)
            )
        ).scalar()
        common: dict[str, Any] = {
            "document": public_document(self._view_of(document)),
            "kid": document.kid,
            "signed": document.record,
            "signature": document.signature,
        }
        if attested is not None and attested.signature is not None:
            common |= {
                "file_sha256": attested.sha256,
                "file_media_type": attested.media_type,
                "file_signed": file_attestation_bytes(
                    document.id, attested.sha256, attested.media_type
                ),
                "file_signature": attested.signature,
            }
        if document.supersedes_id is not None:
            replaced = session.get_one(Document, document.supersedes_id)
            common |= {
                "replaces_number": replaced.number,
                "replaces_url": self._verify_url(replaced.token),
                "replaces_reason": replaced.supersede_reason,
            }
        if document.status == "revoked":
            return Verification(
                status="revoked",
                reason="revoked",
                revoked_at=_as_utc(document.revoked_at) if document.revoked_at else None,
                revocation_reason=document.revocation_reason,
                **common,
            )
        if document.status == "superseded" and document.superseded_by_id is not None:
            replacement = session.get_one(Document, document.superseded_by_id)
            return Verification(
                status="superseded",
                reason="superseded",
                superseded_by_number=replacement.number,
                superseded_by_url=self._verify_url(replacement.token),
                superseded_at=_as_utc(document.superseded_at) if document.superseded_at else None,
                supersede_reason=document.supersede_reason,
                **common,
            )
        return Verification(status="valid", **common)

    def refresh_kept(self) -> None:
        """Read the status of every kept answer again, 500 to a query; renew the unchanged ones.

        Run every half TTL by the service (:func:`refresh_until`), so the answers a busy verifier
        gives stay fresh without any request waiting for a read: the database sees one narrow
        query a second per 500 documents asked about, however many requests there are.
        """
        kept = self.answers.kept()
        epoch = self.answers.epoch
        for start in range(0, len(kept), _REFRESH_CHUNK):
            chunk = kept[start : start + _REFRESH_CHUNK]
            checked_at = self.answers.now()
            with self.db.reading() as session:
                states = _states_of(session, {answer.document_id for _, answer in chunk})
            for token, answer in chunk:
                if states.get(answer.document_id) == answer.state:
                    self.answers.renew_if_kept(token, answer, epoch, checked_at)
                else:
                    self.answers.drop(token, answer)

    def verify_file(self, data: bytes) -> FileMatch:
        """Is this exact file one the registry issued? Any changed byte makes it ``no_match``."""
        sha256 = hashlib.sha256(data).hexdigest()
        with self.db.reading() as session:
            row = session.execute(
                select(DocumentFile)
                .where(DocumentFile.sha256 == sha256, DocumentFile.kind != "upload")
                .limit(1)
            ).scalar()
            if row is None:
                return FileMatch(status="no_match", sha256=sha256)
            document = session.get_one(Document, row.document_id)
            verification = self._verify_document(session, document, document.kid)
            return FileMatch(
                status=verification.status, sha256=sha256, kind=row.kind, verification=verification
            )

    def check_file(self, token: str, data: bytes) -> FileCheck:
        """Is this file the one issued for the document of ``token`` (the page's "Cek berkas")?

        A file of another genuine document names that document; a file that is no PDF is told so,
        since "does not match" would suggest an altered copy of this one.
        """
        if not data:
            return FileCheck(outcome="empty")
        sha256 = hashlib.sha256(data).hexdigest()
        with self.db.reading() as session:
            _, document = self._verify(session, token)
            owners = set(
                session.execute(
                    select(DocumentFile.document_id).where(
                        DocumentFile.sha256 == sha256, DocumentFile.kind != "upload"
                    )
                ).scalars()
            )
            if document is not None and document.id in owners:
                return FileCheck(outcome="match")
            for owner_id in sorted(owners):
                owner = session.get_one(Document, owner_id)
                if self._verify_document(session, owner, owner.kid).document is not None:
                    return FileCheck(
                        outcome="other_document",
                        other_number=owner.number,
                        other_verify_url=self._verify_url(owner.token),
                    )
        if not is_pdf(data):
            return FileCheck(outcome="not_pdf")
        return FileCheck(outcome="no_match")

    def confirm_nip(self, token: str, candidate: str, *, client: str) -> str:
        """Compare a typed NIP with the document's signed commitment.

        Returns ``match``, ``no_match``, ``locked`` or ``not_applicable``. ``locked``: too many
        failures for this holder from ``client`` (the peer address), from ``client`` overall, or
        for this holder overall (see ``registry.domain.nip_checks``); nothing is compared then. A
        candidate that is not 18 digits raises :class:`InvalidInput` before anything is read: it
        is never compared and never counted, so empty submissions cannot lock the holder out.
        """
        digits = typed_nip_digits(candidate)
        now = _as_utc(self._now())
        with self.db.writing() as session:
            verification, document = self._verify(session, token)
            if document is None or verification.signed is None:
                return "not_applicable"
            # Keyed by the holder's NIP, not the document: one person's documents share a budget.
            keys = counter_keys(document.nip, client, now)
            failures = nip_checks.lock_counters(session, keys)
            nip_checks.sweep_expired(session, before=now - KEPT_FOR)
            if any(count >= limit_of(key.scope) for key, count in zip(keys, failures, strict=True)):
                return "locked"
            commitment = json.loads(verification.signed)["holder_nip_commitment"]
            if nip_matches(digits, document.nip_salt, commitment):
                return "match"
            nip_checks.count_failure(session, keys)
            return "no_match"


# What may change on an issued document. Its files may not: they are recorded while it is pending.
_STATE_COLUMNS = (
    Document.status,
    Document.revoked_at,
    Document.revocation_reason,
    Document.superseded_by_id,
    Document.superseded_at,
    Document.supersede_reason,
)


def _state_of(session: Session, document_id: object) -> DocumentState:
    """The document's state in one narrow read of a few columns (no ORM row)."""
    row = session.execute(select(*_STATE_COLUMNS).where(Document.id == document_id)).one_or_none()
    return tuple(row) if row is not None else ()


_REFRESH_CHUNK = 500


def _states_of(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, DocumentState]:
    rows = session.execute(select(Document.id, *_STATE_COLUMNS).where(Document.id.in_(ids)))
    return {row[0]: tuple(row[1:]) for row in rows}


def refresh_until(verifier: Verifier, stop: threading.Event) -> None:
    """Keep the verifier's answers fresh until ``stop`` is set (a thread of the service)."""
    every = verifier.answers.ttl / 2
    while not stop.wait(every):
        try:
            verifier.refresh_kept()
        except Exception:
            # A database that is down for a moment: requests fall back to reading themselves.
            log.warning("refreshing kept verification answers failed", exc_info=True)


def _row_state(document: Document) -> DocumentState:
    return tuple(getattr(document, column.key) for column in _STATE_COLUMNS)
