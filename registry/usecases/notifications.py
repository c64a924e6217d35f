"""E-mail notifications: who is told what, queued after the action that caused them.

Issuers hear of a submitted request, the requester who filed it of its approval (the letter's
number and verification link) or rejection (the reason), the issuer who started a batch of its end.
Off when SATUPINTU_SMTP_HOST is unset. A notification never fails or delays its action: it is
built and queued after the action's commit, and a failure to do so is logged only. The queue's
job sends it with retries; each send and each last failure is an audit entry (``notification.sent``
/ ``notification.failed``: event, recipient count and subject, never the body), which is where the
console finds failed sends.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import func, select

from registry.adapters.db import audit
from registry.adapters.db.schema import Batch, Document, Request, Unit
from registry.adapters.jobs import JobHandlers
from registry.domain.errors import RegistryError
from registry.domain.notifications import (
    BatchFacts,
    Mail,
    RequestFacts,
    batch_ended,
    request_approved,
    request_rejected,
    request_submitted,
)

if TYPE_CHECKING:
    from registry.usecases.issuing import Registry

log = logging.getLogger("satupintu")

MAX_ERROR = 500


class Addressbook(Protocol):
    """Where people's e-mail addresses are (the console's accounts)."""

    def emails_for_role(self, role: str, unit_code: str | None = None) -> list[str]: ...

    def email_of(self, actor_label: str) -> str | None:
        """None for an API key, the CLI, or anyone without an address."""
        ...


class NoAddressbook:
    """Knows nobody: without accounts, no notification has a recipient."""

    def emails_for_role(self, role: str, unit_code: str | None = None) -> list[str]:
        return []

    def email_of(self, actor_label: str) -> str | None:
        return None


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class MailQueue(Protocol):
    def enqueue_mail(self, message: dict[str, Any]) -> None: ...


class Notifications:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @property
    def enabled(self) -> bool:
        return self.registry.settings.smtp is not None and self.registry.mailer is not None

    # -- what happened ------------------------------------------------------------------------

    def request_submitted(self, request_id: uuid.UUID) -> None:
        self._notify(lambda: self._request_mail(request_id))

    def request_decided(self, request_id: uuid.UUID) -> None:
        """Approved or rejected: the request's status says which."""
        self._notify(lambda: self._request_mail(request_id))

    def batch_ended(self, batch_id: uuid.UUID) -> None:
        self._notify(lambda: self._batch_mail(batch_id))

    # -- the queue's job ----------------------------------------------------------------------

    def with_mail(self, handlers: JobHandlers) -> JobHandlers:
        """The queue's handlers with this process sending the mail jobs."""
        return replace(handlers, send_mail=self.send, mail_gave_up=self.gave_up)

    def send(self, message: dict[str, Any]) -> None:
        mail = Mail.from_json(message)
        mailer = self.registry.mailer
        if mailer is None:
            raise RuntimeError("SATUPINTU_SMTP_HOST tidak diisi di proses ini")
        mailer.send(mail)
        self._record(mail, "notification.sent", {})

    def gave_up(self, message: dict[str, Any], error: BaseException) -> None:
        self._record(Mail.from_json(message), "notification.failed", {"error": _describe(error)})

    # -- inside -------------------------------------------------------------------------------

    def _notify(self, build: Callable[[], Mail | None]) -> None:
        if not self.enabled:
            return
        try:
            mail = build()
            if mail is None:
                return
            if not mail.to:
                log.info("notification %s %s: nobody to tell", mail.event, mail.subject_id)
                return
            queue = self.registry.mail_queue
            if queue is None:
                self._send_now(mail)
            else:
                queue.enqueue_mail(mail.as_json())
        except Exception:
            log.exception("a notification could not be queued; the action itself succeeded")

    def _send_now(self, mail: Mail) -> None:
        """No queue in this process (a CLI command): one attempt, its failure recorded."""
        try:
            self.send(mail.as_json())
        except Exception as exc:
            log.warning("notification %s %s not sent: %s", mail.event, mail.subject_id, exc)
            self.gave_up(mail.as_json(), exc)

    def _record(self, mail: Mail, action: str, extra: dict[str, Any]) -> None:
        with self.registry.db.writing() as session:
            audit.append(
                session,
                at=self.registry.now(),
                actor="system",
                action=action,
                subject=mail.subject_id,
                details={
                    "event": mail.event,
                    "recipients": len(mail.to),
                    "subject": mail.subject,
                    **extra,
                },
            )

    def _request_mail(self, request_id: uuid.UUID) -> Mail | None:
        registry = self.registry
        addressbook = registry.addressbook
        public_url = registry.settings.public_url
        with registry.db.reading() as session:
            row = session.get(Request, request_id)
            if row is None:
                return None
            unit = session.get(Unit, row.unit_code)
            facts = RequestFacts(
                id=str(row.id),
                unit_code=row.unit_code,
                unit_name=unit.name if unit else row.unit_code,
                kind=row.kind,
                employee_name=str(row.employee.get("name", "")),
                employee_nip=row.nip,
            )
            letter = session.get(Document, row.document_id) if row.document_id else None
            status, filer, reason = row.status, row.created_by, row.reason
        if status == "submitted":
            return request_submitted(facts, public_url, addressbook.emails_for_role("issuer"))
        if status == "approved" and letter is not None:
            return request_approved(
                facts,
                public_url,
                [addressbook.email_of(filer)],
                number=letter.number,
                verify_url=registry.verify_url(letter.token),
            )
        if status == "rejected":
            return request_rejected(
                facts, public_url, [addressbook.email_of(filer)], reason=reason or "-"
            )
        return None

    def _batch_mail(self, batch_id: uuid.UUID) -> Mail | None:
        registry = self.registry
        with registry.db.reading() as session:
            batch = session.get(Batch, batch_id)
            if batch is None or batch.status not in ("done", "failed"):
                return None
            counts: dict[str, int] = {
                status: count
                for status, count in session.execute(
                    select(Document.status, func.count())
                    .where(Document.batch_id == batch_id)
                    .group_by(Document.status)
                ).all()
            }
            void = counts.get("void", 0)
            facts = BatchFacts(
                id=str(batch.id),
                status=batch.status,
                type=batch.type,
                total=batch.total,
                issued=sum(counts.values()) - void - counts.get("pending", 0),
                void=void,
                first_number=batch.first_number,
                last_number=batch.last_number,
                error=batch.error,
            )
            starter = batch.created_by
        return batch_ended(
            facts, registry.settings.public_url, [registry.addressbook.email_of(starter)]
        )


def _describe(error: BaseException) -> str:
    text = error.message if isinstance(error, RegistryError) else f"{type(error).__name__}: {error}"
    return text[:MAX_ERROR]
