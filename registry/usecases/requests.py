"""Requests for a surat keterangan: a unit files a session log with evidence, BPSDM decides.

Who may do what: a requester files for its own unit only and sees only its unit's requests (another
unit's answers "not found"); an issuer (or the operator at the CLI) may file naming the unit, and
alone approves or rejects; auditors read. Every transition is in the audit log with its actor.

Approval issues the letter through :meth:`Registry.issue` with an :class:`IssueHold`: the request
row is locked FOR UPDATE in the transaction that takes the number, checked to be still
``submitted`` with no letter being made for it, and linked to the new pending document before the
commit. So of several issuers approving at once exactly one takes a number; the others find the
link and answer :class:`Conflict`. The request becomes ``approved`` only once the letter is issued;
if its production fails the number is voided (it stays in the register with the reason) and the
request, unlinked, stays ``submitted`` for another attempt.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.adapters import pdf
from registry.adapters.db import audit, credits
from registry.adapters.db.schema import Document, Request, RequestEvidence, Unit
from registry.domain import jp as rules
from registry.domain.actors import Actor
from registry.domain.decimals import plain_decimal
from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft, verdicts_json
from registry.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from registry.domain.jp_sessions import EntryVerdict, LogCredit, PriorCredit, credit_log
from registry.domain.nip import Employment
from registry.domain.numbering import parse_unit_code
from registry.domain.requests import (
    RequestStatus,
    Transition,
    check_transition,
    evidence_media_type,
    log_entries,
    parse_evidence_kind,
    refuse_missing_evidence,
    validate_request,
)
from registry.domain.text import clean_text
from registry.domain.views import as_utc
from registry.usecases.batches import STALE_PENDING
from registry.usecases.issuing import Registry
from registry.usecases.notifications import Notifications
from registry.usecases.production import sha256_of
from registry.usecases.recording import RecordedDocument
from registry.usecases.unrecorded_files import request_owner

__all__ = ["EvidenceView", "RequestView", "Requests"]

log = logging.getLogger("satupintu")

_MANAGERS = ("issuer", "operator")
_READERS = ("issuer", "operator", "auditor")
_FILERS = ("issuer", "operator", "requester")
MAX_REASON = 1000
MAX_FILENAME = 200

#: How a letter's title names each kind.
_TITLES = {
    "coaching": "Coaching",
    "mentoring": "Mentoring",
    "belajar_mandiri": "Belajar Mandiri",
    "komunitas_belajar": "Komunitas Belajar",
    "bimbingan_tempat_kerja": "Bimbingan di Tempat Kerja",
}


@dataclass(frozen=True)
class EvidenceView:
    id: uuid.UUID
    request_id: uuid.UUID
    kind: str
    sha256: str
    size: int
    media_type: str
    filename: str | None
    created_at: datetime


@dataclass(frozen=True)
class RequestView:
    id: uuid.UUID
    unit_code: str
    kind: str
    scope: str
    status: str
    employee: dict[str, Any]
    guide_role: str | None
    guide: dict[str, Any] | None
    sessions: list[dict[str, Any]]
    credit: LogCredit | None
    #: Why the log cannot be credited as stored (e.g. the rule set changed); None normally.
    credit_error: str | None
    reason: str | None
    document_id: uuid.UUID | None
    evidence: list[EvidenceView]
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None


class Requests:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.db = registry.db
        self.notifications = Notifications(registry)

    # -- filing ---------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], actor: Actor) -> RequestView:
        return self.create_keyed(body, actor)[0]

    def create_keyed(
        self, body: dict[str, Any], actor: Actor, request_id: uuid.UUID | None = None
    ) -> tuple[RequestView, bool]:
        """As :meth:`create`; with ``request_id`` (chosen by the caller, e.g. when a form is
        rendered) a repeated call answers with the request the first one made, and True."""
        _require(actor, _FILERS, "mengajukan permohonan")
        if request_id is not None:
            earlier = self._replay(request_id, actor)
            if earlier is not None:
                return earlier, True
        try:
            return self._create(body, actor, request_id or uuid.uuid4()), False
        except IntegrityError:
            # A concurrent call with the same id committed first: answer as it did.
            earlier = None if request_id is None else self._replay(request_id, actor)
            if earlier is None:
                raise
            return earlier, True

    def _replay(self, request_id: uuid.UUID, actor: Actor) -> RequestView | None:
        with self.db.reading() as session:
            row = session.get(Request, request_id)
            if row is None:
                return None
            if row.created_by != actor.label:
                raise Conflict("ID permohonan ini sudah dipakai; muat ulang formulirnya")
            return self._view(session, row)

    def _create(self, body: dict[str, Any], actor: Actor, request_id: uuid.UUID) -> RequestView:
        valid = validate_request(body, today=self.registry.local_today())
        unit_code = self._filing_unit(actor, valid.unit_code, valid.employee.get("unit"))
        self._credit(valid.kind, valid.scope, valid.sessions, valid.employee["employment"])
        with self.db.writing() as session:
            if session.get(Unit, unit_code) is None:
                raise InvalidInput(
                    f"Unit {unit_code!r} tidak terdaftar; daftarkan dulu dengan POST /api/v1/units",
                    field="unit_code",
                )
            now = self.registry.now()
            guide = None if valid.guide is None else {"role": valid.guide_role, **valid.guide}
            row = Request(
                id=request_id,
                unit_code=unit_code,
                kind=valid.kind,
                scope=valid.scope,
                nip=valid.employee_number.digits,
                employee=valid.employee,
                guide=guide,
                sessions=valid.sessions,
                status=RequestStatus.DRAFT.value,
                created_by=actor.label,
                created_at=now,
            )
            session.add(row)
            session.flush()
            self._audit(session, row, actor, "request.create", now, {"kind": row.kind})
            return self._view(session, row)

    def _filing_unit(self, actor: Actor, named: str | None, employee_unit: str | None) -> str:
        if actor.role == "requester":
            own = actor.unit_code or ""
            if named is not None and named != own:
                raise PermissionDenied(f"Kunci API ini hanya untuk unit {own or '-'}")
            return own
        code = named or employee_unit
        if code is None:
            raise InvalidInput("Sebutkan unit permohonan: isi unit_code", field="unit_code")
        return parse_unit_code(code) or code

    def add_evidence(
        self,
        request_id: uuid.UUID,
        kind: str | None,
        data: bytes,
        actor: Actor,
        *,
        filename: str | None = None,
    ) -> EvidenceView:
        _require(actor, _FILERS, "melampirkan bukti dukung")
        evidence_kind, media_type = self.check_evidence(kind, data)
        name = _filename(filename)
        with self.db.reading() as session:
            check_transition(
                self._visible(session, request_id, actor).status, Transition.ADD_EVIDENCE
            )
        owner = request_owner(request_id)
        self.registry.unrecorded_files.announce(owner, [sha256_of(data)])
        stored = self.registry.production.store.put(data)
        try:
            with self.db.writing() as session:
                row = self._locked(session, request_id, actor)
                check_transition(row.status, Transition.ADD_EVIDENCE)
                self.registry.unrecorded_files.settle(session, owner, recorded={stored.sha256})
                now = self.registry.now()
                evidence = RequestEvidence(
                    id=uuid.uuid4(),
                    request_id=row.id,
                    kind=evidence_kind,
                    sha256=stored.sha256,
                    size=stored.size,
                    media_type=media_type,
                    filename=name,
                    created_at=now,
                )
                session.add(evidence)
                self._audit(
                    session,
                    row,
                    actor,
                    "request.evidence",
                    now,
                    {"kind": evidence_kind, "sha256": stored.sha256},
                )
                session.flush()
                return _evidence_view(evidence)
        except BaseException:
            # No file without a record; a file that was already stored belongs to another one.
            if stored.created:
                self.registry.production.store.remove(stored.sha256)
            raise

    def check_evidence(self, kind: str | None, data: bytes) -> tuple[str, str]:
        """The evidence kind and the media type its content was judged to be, or InvalidInput:
        what :meth:`add_evidence` refuses, asked before anything is stored."""
        evidence_kind = parse_evidence_kind(kind)
        limit = self.registry.settings.max_upload_bytes
        if len(data) > limit:
            raise InvalidInput(
                f"Berkas terlalu besar (lebih dari {limit // 1_000_000} MB)",
                field="file",
                max_bytes=limit,
            )
        media_type = evidence_media_type(data)
        if media_type == "application/pdf":
            pdf.check_upload(data, max_bytes=limit)
        return evidence_kind, media_type

    # -- transitions ----------------------------------------------------------------------------

    def submit(self, request_id: uuid.UUID, actor: Actor) -> RequestView:
        _require(actor, _FILERS, "mengajukan permohonan")

        def change(session: Session, row: Request, now: datetime) -> dict[str, Any]:
            kinds = session.execute(
                select(RequestEvidence.kind).where(RequestEvidence.request_id == row.id)
            ).scalars()
            refuse_missing_evidence(row.kind, kinds)
            row.submitted_at = now
            return {}

        submitted = self._transition(request_id, actor, Transition.SUBMIT, change)
        self.notifications.request_submitted(submitted.id)  # after the commit; never raises
        return submitted

    def withdraw(self, request_id: uuid.UUID, actor: Actor) -> RequestView:
        _require(actor, _FILERS, "menarik permohonan")

        def change(session: Session, row: Request, now: datetime) -> dict[str, Any]:
            # As for a rejection: a letter numbered for the request is being made (or was, by an
            # approval that died); withdrawing would leave it issued on a withdrawn request.
            _refuse_letter_in_the_making(row)
            return {}

        return self._transition(request_id, actor, Transition.WITHDRAW, change)

    def reject(self, request_id: uuid.UUID, reason: str | None, actor: Actor) -> RequestView:
        _require(actor, _MANAGERS, "menolak permohonan")
        text = clean_text(
            reason,
            "reason",
            required=True,
            limit=MAX_REASON,
            multiline=True,
            label="Alasan penolakan",
        )

        def change(session: Session, row: Request, now: datetime) -> dict[str, Any]:
            _refuse_letter_in_the_making(row)
            row.reason = text
            row.decided_at = now
            row.decided_by = actor.label
            return {"reason": text}

        rejected = self._transition(request_id, actor, Transition.REJECT, change)
        self.notifications.request_decided(rejected.id)
        return rejected

    def approve(self, request_id: uuid.UUID, actor: Actor) -> RequestView:
        _require(actor, _MANAGERS, "menyetujui permohonan")
        with self.db.reading() as session:
            row = self._visible(session, request_id, actor)
            check_transition(row.status, Transition.APPROVE)
            snapshot = self._view(session, row)
            unit_name = session.get_one(Unit, row.unit_code).name
            orphan = self._orphaned_letter(session, row)
        if orphan is not None:
            finished = self._finish_orphaned_letter(request_id, orphan, actor)
            if finished is not None:
                return finished
        # A first answer from what is committed; the letter's JP is settled again under the
        # holder's lock in the numbering transaction (``PendingRecorder.credit``).
        credit = self._credit(
            snapshot.kind,
            snapshot.scope,
            snapshot.sessions,
            snapshot.employee["employment"],
            prior=self._prior(snapshot.employee["nip"]),
        )
        if credit.jp <= 0:
            raise InvalidInput(
                "Sesi permohonan ini tidak menghasilkan JP; permohonan tidak dapat disetujui",
                field="sessions",
                sessions=verdicts_json(credit.entries),
            )
        hold = _ApprovalHold(self, request_id, actor)
        try:
            outcome = self.registry.issue(
                _letter(snapshot, unit_name),
                actor,
                hold=hold,
            )
        except BaseException as exc:
            if hold.document_id is not None:
                self._unlink_failed(request_id, hold.document_id, str(exc))
            raise
        document = outcome.document
        if document.status != "issued":
            self._unlink_failed(request_id, document.id, f"status {document.status}")
            raise Conflict(f"Surat keterangan {document.number} tidak terbit ({document.status})")
        return self._mark_approved(request_id, actor, document.id, document.number, document.jp)

    def _mark_approved(
        self,
        request_id: uuid.UUID,
        actor: Actor,
        document_id: uuid.UUID,
        number: str,
        jp: Decimal | str,
        *,
        recovered: bool = False,
    ) -> RequestView:
        with self.db.writing() as session:
            row = self._locked(session, request_id, actor)
            # Checked again under the lock: two approvals may both have found an orphaned letter
            # and finished it; the first marks the request, the other answers Conflict.
            check_transition(row.status, Transition.APPROVE)
            if row.document_id != document_id:
                raise Conflict(
                    f"Surat keterangan {number} tidak lagi terkait dengan permohonan ini",
                    document_id=str(document_id),
                )
            now = self.registry.now()
            row.status = RequestStatus.APPROVED.value
            row.decided_at = now
            row.decided_by = actor.label
            details = {"document_id": str(document_id), "number": number, "jp": str(jp)}
            if recovered:
                details["recovered"] = "true"
            self._audit(session, row, actor, "request.approve", now, details)
            session.flush()
            approved = self._view(session, row)
        self.notifications.request_decided(request_id)  # after the commit; never raises
        return approved

    def _orphaned_letter(self, session: Session, row: Request) -> uuid.UUID | None:
        """The letter an earlier approval numbered but never recorded as approved, because its
        process died between the two commits; None when there is none, or it may still be in
        flight. Like unfinished batches (STALE_PENDING), a letter numbered this long ago is
        nobody's work any more."""
        if row.document_id is None:
            return None
        linked = session.get(Document, row.document_id)
        if linked is None or linked.status not in ("pending", "issued"):
            return None
        if as_utc(linked.issued_at) > self.registry.now() - STALE_PENDING:
            return None
        return linked.id

    def _finish_orphaned_letter(
        self, request_id: uuid.UUID, document_id: uuid.UUID, actor: Actor
    ) -> RequestView | None:
        """Finish the orphaned letter (make its files if still pending) and approve with it, so the
        request neither waits for ever nor gets a second letter; None if the letter ended void."""
        try:
            letter = self.registry.complete(document_id)
        except BaseException as exc:
            self._unlink_failed(request_id, document_id, str(exc))
            raise
        if letter.status != "issued":
            self._unlink_failed(request_id, document_id, f"status {letter.status}")
            return None
        return self._mark_approved(
            request_id, actor, letter.id, letter.number, letter.jp, recovered=True
        )

    def _unlink_failed(self, request_id: uuid.UUID, document_id: uuid.UUID, why: str) -> None:
        """The letter was not issued: its number is void (in the register); the request waits."""
        with self.db.writing() as session:
            row = session.execute(
                select(Request).where(Request.id == request_id).with_for_update()
            ).scalar()
            if row is None or row.document_id != document_id:
                return
            row.document_id = None
            row.credited = None
            document = session.get(Document, document_id)
            audit.append(
                session,
                at=self.registry.now(),
                actor="system",
                action="request.approve_failed",
                subject=str(request_id),
                details={
                    "document_id": str(document_id),
                    "number": document.number if document else None,
                    "error": why[:MAX_REASON],
                },
            )

    def _transition(
        self,
        request_id: uuid.UUID,
        actor: Actor,
        transition: Transition,
        change: Callable[[Session, Request, datetime], dict[str, Any]],
    ) -> RequestView:
        with self.db.writing() as session:
            row = self._locked(session, request_id, actor)
            target = check_transition(row.status, transition)
            now = self.registry.now()
            details = change(session, row, now)
            row.status = target.value
            self._audit(session, row, actor, f"request.{transition.value}", now, details)
            session.flush()
            return self._view(session, row)

    # -- reading --------------------------------------------------------------------------------

    def get(self, request_id: uuid.UUID, actor: Actor) -> RequestView:
        with self.db.reading() as session:
            return self._view(session, self._visible(session, request_id, actor))

    def list(
        self, actor: Actor, *, status: str | None = None, unit: str | None = None
    ) -> list[RequestView]:
        if status is not None and status not in {s.value for s in RequestStatus}:
            raise InvalidInput(
                f"Status tidak dikenal: {status!r} "
                f"(pilihan: {', '.join(s.value for s in RequestStatus)})",
                field="status",
            )
        with self.db.reading() as session:
            query = select(Request)
            if actor.role not in _READERS:
                if unit is not None and unit != actor.unit_code:
                    raise PermissionDenied(f"Kunci API ini hanya untuk unit {actor.unit_code}")
                query = query.where(Request.unit_code == (actor.unit_code or ""))
            elif unit is not None:
                query = query.where(Request.unit_code == unit)
            if status is not None:
                query = query.where(Request.status == status)
            # The oldest submitted first: BPSDM works the queue in the order it was filed; drafts
            # (never submitted) after, by creation.
            query = query.order_by(
                Request.submitted_at.is_(None),
                Request.submitted_at,
                Request.created_at,
                Request.id,
            )
            return [self._view(session, row) for row in session.execute(query).scalars()]

    def evidence(self, request_id: uuid.UUID, evidence_id: uuid.UUID, actor: Actor) -> EvidenceView:
        """A piece of a request's evidence (its bytes are in ``production.store``), for those who
        may read the request (another unit's request, or evidence of another request, answers
        "not found")."""
        with self.db.reading() as session:
            self._visible(session, request_id, actor)
            evidence = session.get(RequestEvidence, evidence_id)
            if evidence is None or evidence.request_id != request_id:
                raise NotFound("Bukti dukung tidak ditemukan")
            return _evidence_view(evidence)

    # -- helpers --------------------------------------------------------------------------------

    def _credit(
        self,
        kind: str,
        scope: str,
        sessions: Sequence[dict[str, Any]],
        employment: str | None,
        *,
        prior: Sequence[PriorCredit] = (),
    ) -> LogCredit:
        return credit_log(
            self.registry.settings.jp_rules,
            rules.parse_path(kind, field="kind"),
            rules.parse_scope(scope, field="scope"),
            log_entries(sessions),
            employment=Employment(employment) if employment else None,
            prior=prior,
        )

    def _prior(
        self, nip: str, *, exclude: uuid.UUID | None = None, session: Session | None = None
    ) -> Sequence[PriorCredit]:
        """What the employee's valid letters already credit (``exclude``: the request's own)."""
        if session is None:
            with self.db.reading() as reading:
                return self._prior(nip, exclude=exclude, session=reading)
        return credits.prior_credits(session, [nip], exclude=exclude).get(nip, [])

    def _visible(self, session: Session, request_id: uuid.UUID, actor: Actor) -> Request:
        row = session.get(Request, request_id)
        return _check_visible(row, actor)

    def _locked(self, session: Session, request_id: uuid.UUID, actor: Actor) -> Request:
        row = session.execute(
            select(Request).where(Request.id == request_id).with_for_update()
        ).scalar()
        return _check_visible(row, actor)

    def _audit(
        self,
        session: Session,
        row: Request,
        actor: Actor,
        action: str,
        now: datetime,
        details: dict[str, Any],
    ) -> None:
        audit.append(
            session,
            at=now,
            actor=actor.label,
            action=action,
            subject=str(row.id),
            details={"unit": row.unit_code, "status": row.status, **details},
        )

    def _view(self, session: Session, row: Request) -> RequestView:
        evidence = session.execute(
            select(RequestEvidence)
            .where(RequestEvidence.request_id == row.id)
            .order_by(RequestEvidence.created_at, RequestEvidence.id)
        ).scalars()
        guide = dict(row.guide) if row.guide else None
        role = guide.pop("role", None) if guide else None
        credit: LogCredit | None = None
        credit_error: str | None = None
        if row.document_id is not None and row.credited is not None:
            # What its letter was credited with, fixed at approval.
            credit = credit_from_json(row.credited)
        else:
            # BPSDM sees what the log would credit next to the employee's valid letters.
            prior = self._prior(row.nip, session=session)
            try:
                credit = self._credit(
                    row.kind, row.scope, row.sessions, row.employee.get("employment"), prior=prior
                )
            except InvalidInput as exc:
                credit_error = exc.message
        return RequestView(
            id=row.id,
            unit_code=row.unit_code,
            kind=row.kind,
            scope=row.scope,
            status=row.status,
            employee=dict(row.employee),
            guide_role=role,
            guide=guide,
            sessions=[dict(s) for s in row.sessions],
            credit=credit,
            credit_error=credit_error,
            reason=row.reason,
            document_id=row.document_id,
            evidence=[_evidence_view(e) for e in evidence],
            created_by=row.created_by,
            created_at=row.created_at,
            submitted_at=row.submitted_at,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
        )


class _ApprovalHold:
    """Locks the request in the numbering transaction and links the new letter to it."""

    def __init__(self, requests: Requests, request_id: uuid.UUID, actor: Actor):
        self.requests = requests
        self.request_id = request_id
        self.actor = actor
        self.document_id: uuid.UUID | None = None

    def before(self, session: Session, now: datetime) -> None:
        row = self.requests._locked(session, self.request_id, self.actor)
        check_transition(row.status, Transition.APPROVE)
        if row.document_id is not None:
            linked = session.get(Document, row.document_id)
            if linked is not None and linked.status != "void":
                raise Conflict(
                    f"Surat keterangan {linked.number} untuk permohonan ini sudah dibuat",
                    document_id=str(linked.id),
                )

    def after(self, session: Session, document: RecordedDocument, now: datetime) -> None:
        row = session.get_one(Request, self.request_id)
        row.document_id = document.id
        self.document_id = document.id
        # The same prior the letter was just credited against (the holder's lock is held), so
        # these are exactly its verdicts, reasons included.
        prior = self.requests._prior(row.nip, exclude=document.id, session=session)
        credit = self.requests._credit(
            row.kind, row.scope, row.sessions, row.employee.get("employment"), prior=prior
        )
        row.credited = credit_json(credit)


def _check_visible(row: Request | None, actor: Actor) -> Request:
    # Another unit's request answers as if it did not exist: its id tells a requester nothing.
    if row is None or (actor.role not in _READERS and row.unit_code != actor.unit_code):
        raise NotFound("Permohonan tidak ditemukan")
    return row


def _refuse_letter_in_the_making(row: Request) -> None:
    if row.document_id is not None:
        raise Conflict(
            "Surat keterangan untuk permohonan ini sedang dibuat",
            document_id=str(row.document_id),
        )


def _require(actor: Actor, roles: Sequence[str], what: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"Peran {actor.role!r} tidak diizinkan {what}")


def _filename(value: str | None) -> str | None:
    if not value:
        return None
    name = value.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(c for c in name if c.isprintable())[:MAX_FILENAME]
    return name or None


def _evidence_view(row: RequestEvidence) -> EvidenceView:
    return EvidenceView(
        id=row.id,
        request_id=row.request_id,
        kind=row.kind,
        sha256=row.sha256,
        size=row.size,
        media_type=row.media_type,
        filename=row.filename,
        created_at=row.created_at,
    )


def _letter(request: RequestView, unit_name: str) -> DocumentDraft:
    """The surat keterangan draft for an approved request (type, unit, path = kind, sessions).

    The session log goes in as the letter's ``activity.sessions``: the numbering transaction
    credits it against the employee's valid letters and prints the counted sessions.
    """
    entries = tuple(log_entries(request.sessions))
    details: dict[str, Any] = {}
    if request.employee.get("rank"):
        details["rank"] = request.employee["rank"]
    guide = request.guide
    if guide is not None and request.guide_role is not None:
        # coach, mentor or supervisor: each letter template names its own
        details[request.guide_role] = {k: v for k, v in guide.items() if v}
    employee = request.employee
    return DocumentDraft(
        type="surat_keterangan",
        recipient=RecipientDraft(
            nip=employee["nip"],
            name=employee["name"],
            position=employee.get("position"),
            unit=employee.get("unit") or unit_name,
            employment=employee.get("employment"),
        ),
        activity=ActivityDraft(
            title=f"Pelaksanaan {_TITLES[request.kind]}",
            path=request.kind,
            scope=request.scope,
            start_date=min(e.date for e in entries),
            end_date=max(e.last_date for e in entries),
            organizer=unit_name,
            sessions=entries,
        ),
        unit_code=request.unit_code,
        details=details or None,
    )


def credit_json(credit: LogCredit) -> dict[str, Any]:
    return {
        "jp": plain_decimal(credit.jp),
        "sessions": [
            {
                "date": v.date.isoformat(),
                "end_date": v.end_date.isoformat(),
                "jp": plain_decimal(v.jp),
                "counted": v.counted,
                "reason": v.reason,
            }
            for v in credit.entries
        ],
    }


def credit_from_json(stored: dict[str, Any]) -> LogCredit:
    return LogCredit(
        jp=Decimal(stored["jp"]),
        entries=tuple(
            EntryVerdict(
                date=date.fromisoformat(v["date"]),
                end_date=date.fromisoformat(v["end_date"]),
                jp=Decimal(v["jp"]),
                counted=v["counted"],
                reason=v["reason"],
            )
            for v in stored["sessions"]
        ),
    )
