"""Filing a request in one go, as the console's form does: check the JP first, then create, attach
the evidence and submit; and a request's history from the audit log.

Everything that can be refused (the body, every file, the evidence a submission needs) is checked
before anything is written, so a refused form leaves no half-filed draft behind. The steps then run
through :class:`Requests` one by one, each in its own transaction and audit entry, exactly as the
API's calls would; the form's ``request_id`` makes a repeated submission answer with the request
the first one made instead of filing it twice.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from registry.adapters.db.schema import AuditEntry
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput, PermissionDenied
from registry.domain.jp_sessions import LogCredit
from registry.domain.requests import log_entries, refuse_missing_evidence, validate_request
from registry.domain.views import as_utc
from registry.usecases.jp_calculation import JpQuestion, calculate_with_history
from registry.usecases.requests import Requests, RequestView

__all__ = ["EvidenceUpload", "HistoryEntry", "RequestFiling"]

_FILERS = ("issuer", "operator", "requester")


@dataclass(frozen=True)
class EvidenceUpload:
    kind: str
    data: bytes
    filename: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    #: As the audit log names the actor: ``user:siti``, ``apikey:1a2b3c4d``, ``cli``.
    actor: str
    #: ``request.create``, ``request.evidence``, ``request.submit``, ...
    action: str
    details: dict[str, Any]


class RequestFiling:
    def __init__(self, requests: Requests) -> None:
        self.requests = requests
        self.registry = requests.registry

    def preview(self, body: dict[str, Any], actor: Actor) -> LogCredit:
        """The verdict of every session before anything is filed: the calculation of
        ``/api/v1/jp/calculate`` (earlier credits counted where the caller may read them)."""
        _require_filer(actor)
        valid = validate_request(body, today=self.registry.local_today())
        question = JpQuestion(
            path=valid.kind,
            scope=valid.scope,
            entries=log_entries(valid.sessions),
            employment=valid.employee["employment"],
            nip=valid.employee_number.digits,
        )
        return calculate_with_history(
            self.registry.db,
            question,
            actor,
            rule_set=self.registry.settings.jp_rules,
            today=self.registry.local_today(),
        ).credit

    def file(
        self,
        body: dict[str, Any],
        evidence: Sequence[EvidenceUpload],
        actor: Actor,
        *,
        submit: bool,
        request_id: uuid.UUID | None = None,
    ) -> RequestView:
        """Create the request, attach ``evidence`` and, with ``submit``, submit it."""
        _require_filer(actor)
        valid = validate_request(body, today=self.registry.local_today())
        for upload in evidence:
            try:
                self.requests.check_evidence(upload.kind, upload.data)
            except InvalidInput as exc:
                # Several files arrive together: the error names the one refused, by its kind.
                if exc.field == "file":
                    exc.field = f"evidence.{upload.kind}"
                raise
        if submit:
            refuse_missing_evidence(valid.kind, (upload.kind for upload in evidence))
        view, replayed = self.requests.create_keyed(body, actor, request_id)
        if replayed:
            return view
        for upload in evidence:
            self.requests.add_evidence(
                view.id, upload.kind, upload.data, actor, filename=upload.filename
            )
        if submit:
            return self.requests.submit(view.id, actor)
        return self.requests.get(view.id, actor)

    def history(self, request_id: uuid.UUID, actor: Actor) -> list[HistoryEntry]:
        """Who did what to the request, oldest first; only for those who may read it."""
        self.requests.get(request_id, actor)
        with self.registry.db.reading() as session:
            rows = session.execute(
                select(AuditEntry)
                .where(AuditEntry.subject == str(request_id))
                .order_by(AuditEntry.seq)
            ).scalars()
            return [
                HistoryEntry(
                    at=as_utc(row.at),
                    actor=row.actor,
                    action=row.action,
                    details=json.loads(row.details),
                )
                for row in rows
            ]


def _require_filer(actor: Actor) -> None:
    if actor.role not in _FILERS:
        raise PermissionDenied(f"Peran {actor.role!r} tidak diizinkan mengajukan permohonan")
