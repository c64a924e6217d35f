"""Recording a numbered document as ``pending``: its signed record, token, short code, render plan.

Runs inside the transaction that takes the number, so the number, the record, the exact template
and every value it will print are committed together with the audit entry, or not at all. The
files are made after the commit (``Registry.complete``).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from registry.adapters.db import audit, credits, numbers
from registry.adapters.db.schema import Document, table_of
from registry.adapters.keystore import KeyRing
from registry.domain.actors import Actor
from registry.domain.agency import Signer
from registry.domain.decimals import plain_decimal
from registry.domain.drafts import ValidDraft, credit_against
from registry.domain.issuance import Numbering, document_content, document_record
from registry.domain.links import PublicLinks
from registry.domain.short_codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from registry.domain.tokens import issue_token
from registry.domain.views import DocumentView
from registry.settings import Settings
from registry.usecases.production import Production
from registry.usecases.reading import document_view
from registry.usecases.units import unit_signer

# Written as a Core row with its audit entry: the ORM's unit of work for one new row (an object,
# its state, the flush) cost more CPU than building and signing the record.
DOCUMENTS = table_of(Document)


class RecordedDocument:
    """A document just recorded as ``pending``: its id and number at once, its view (as a read
    would give it once committed) when asked, after the commit rather than under the lock."""

    def __init__(self, row: dict[str, Any], links: PublicLinks, supersedes: Document | None):
        self.id: uuid.UUID = row["id"]
        self.number: str = row["number"]
        self._row = row
        self._links = links
        self._replaced = {supersedes.id: supersedes.number} if supersedes else None

    def view(self) -> DocumentView:
        return document_view(Document(**self._row), self._links, numbers=self._replaced)


class PendingRecorder:
    def __init__(
        self, keyring: KeyRing, settings: Settings, production: Production, links: PublicLinks
    ) -> None:
        self.keyring = keyring
        self.settings = settings
        self.production = production
        self.links = links

    def insert(
        self,
        session: Session,
        valid: ValidDraft,
        actor: Actor,
        now: datetime,
        supersedes: Document | None = None,
        *,
        from_template: bool = True,
    ) -> RecordedDocument:
        """Credit the holder, take the series' next number and record the document under it."""
        if from_template:
            self.production.keep_template(valid.type, valid.activity.path)
        valid = self.credit(session, [valid], exclude=supersedes.id if supersedes else None)[0]
        local = now.astimezone(self.settings.zone)
        seq, head = numbers.allocate_for_entry(session, valid.series.id, local.year)
        return self.record(
            session,
            valid,
            actor,
            now,
            seq,
            supersedes=supersedes,
            from_template=from_template,
            audit_head=head,
        )

    def credit(
        self, session: Session, drafts: list[ValidDraft], *, exclude: uuid.UUID | None = None
    ) -> list[ValidDraft]:
        """Each draft credited against its holder's earlier credits, under the holders' locks.

        Must run before the number is taken: the holder's lock is always taken before the
        counter's, so two issues never wait on each other in opposite order. ``exclude`` is the
        document a replacement supersedes (its credits are the ones being replaced).
        """
        nips = [valid.employee.digits for valid in drafts]
        credits.lock_holders(session, nips)
        prior = credits.prior_credits(session, nips, exclude=exclude)
        return [credit_against(valid, prior.get(valid.employee.digits, ())) for valid in drafts]

    def record(
        self,
        session: Session,
        valid: ValidDraft,
        actor: Actor,
        now: datetime,
        seq: int,
        *,
        supersedes: Document | None = None,
        batch_id: uuid.UUID | None = None,
        from_template: bool = True,
        audit_head: audit.LockedHead | None = None,
    ) -> RecordedDocument:
        """Record the document with sequence ``seq`` (already allocated) as ``pending``.

        ``valid`` must have been credited (:meth:`credit`) in this transaction. ``audit_head`` is
        the chain's head if the allocation locked it (``numbers.allocate_for_entry``).
        """
        if valid.credited_jp is None:
            raise ValueError("a draft is recorded only once credited against its holder")
        key = self.keyring.active()
        local = now.astimezone(self.settings.zone)
        document_id = uuid.uuid4()
        token = issue_token(document_id, key)
        short_code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
        numbering = Numbering(
            document_id=document_id,
            number=valid.series.render(seq, local.date(), valid.unit_code),
            issued_at=now,
            issued_on=local.date(),
            kid=key.kid,
            nip_salt=secrets.token_bytes(16),
            issuer=self.production.issuer,
            verify_url=self.links.verify_url(token),
            short_url=self.links.short_url(short_code),
            supersedes=supersedes.id if supersedes else None,
        )
        record_bytes = document_record(valid, numbering).canonical_bytes()
        plan = (
            self.production.plan(document_content(valid, numbering), _signer(session, valid))
            if from_template
            else None
        )
        activity = valid.activity
        row: dict[str, Any] = dict(
            id=document_id,
            series_id=valid.series.id,
            year=local.year,
            seq=seq,
            number=numbering.number,
            type=valid.type,
            status="pending",
            unit_code=valid.unit_code,
            nip=valid.employee.digits,
            employment=valid.employee.employment.value,
            nip_salt=numbering.nip_salt,
            holder_name=valid.holder_name,
            holder_position=valid.holder_position,
            holder_unit=valid.holder_unit,
            title=activity.title,
            path=activity.path,
            scope=activity.scope,
            start_date=activity.start_date,
            end_date=activity.end_date,
            stated_jp=plain_decimal(activity.jp) if activity.jp is not None else None,
            jp=plain_decimal(valid.jp),
            credited_jp=plain_decimal(valid.credited_jp),
            jp_rules=valid.jp_rules,
            organizer=activity.organizer,
            issuer=numbering.issuer,
            details=valid.details,
            issued_at=now,
            created_by=actor.label,
            kid=key.kid,
            record=record_bytes,
            signature=key.sign(record_bytes).value,
            token=token,
            short_code=short_code,
            supersedes_id=numbering.supersedes,
            template_name=plan.template_name if plan else None,
            template_sha256=plan.template_sha256 if plan else None,
            render_context=plan.context if plan else None,
            batch_id=batch_id,
        )
        audit.append(
            session,
            at=now,
            actor=actor.label,
            action="document.issue",
            subject=str(document_id),
            details={
                "number": numbering.number,
                "series": valid.series.id,
                "year": local.year,
                "seq": seq,
                "type": valid.type,
                "template": plan.template_name if plan else None,
                "template_sha256": plan.template_sha256 if plan else None,
                "jp": plain_decimal(valid.jp),
                "credited_jp": plain_decimal(valid.credited_jp),
            },
            # The entry is the document's: one statement writes them (see audit.append).
            along_with=(
                (DOCUMENTS, [row]),
                credits.credit_rows(document_id, valid.employee.digits, valid.credits),
            ),
            head=audit_head,
        )
        return RecordedDocument(row, self.links, supersedes)


def _signer(session: Session, valid: ValidDraft) -> Signer | None:
    """A surat keterangan is printed in the name of its unit's head, when the unit has one.

    Only the printed name changes: the signed record, its number and its key are BPSDM's.
    """
    if valid.type != "surat_keterangan":
        return None
    return unit_signer(session, valid.unit_code)
