"""E-mail notifications against a real SMTP server (aiosmtpd) started here, on both backends.

Who is told what (issuers of a submitted request, the filer of its decision, the starter of a
batch of its end), through the job queue with retries; with the server down or refusing, the
action still succeeds and the last failure is an audit entry; nothing is sent when SMTP is unset.
"""

from __future__ import annotations

import contextlib
import copy
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select, text

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import AuditEntry, Document
from registry.adapters.jobs import (
    MAX_ATTEMPTS,
    SEND_MAIL,
    InProcessQueue,
    ProcrastinateQueue,
    run_worker,
)
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.actors import Actor
from registry.domain.units import UnitDraft
from registry.settings import Settings, SmtpSettings
from registry.usecases.accounts import Accounts, UserDraft
from registry.usecases.batches import Batches
from registry.usecases.issuing import Registry
from registry.usecases.notifications import Addressbook
from registry.usecases.requests import Requests
from registry.usecases.units import Units
from tests.conftest import BACKENDS, Clock
from tests.integration.test_batches import participants_csv, prepare
from tests.integration.test_requests import DPUPR, ISSUE_BODY, ISSUER, PNG
from tests.support.drafts import outside_pdf
from tests.support.smtp import Mailbox, free_port

# Only a guard against a hang: the tests assert what arrived, never how fast.
HANG_GUARD = 120
ISSUERS = ["penerbit1@bpsdm.example", "penerbit2@bpsdm.example"]
FILER_EMAIL = "operator@dpupr.example"
STARTER_EMAIL = "penerbit1@bpsdm.example"


@dataclass
class Book:
    """The accounts' addressbook, as the console will answer it."""

    def emails_for_role(self, role: str, unit_code: str | None = None) -> list[str]:
        return list(ISSUERS) if role == "issuer" else []

    def email_of(self, actor_label: str) -> str | None:
        return {DPUPR.label: FILER_EMAIL, ISSUER.label: STARTER_EMAIL}.get(actor_label)


def notifying_registry(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    port: int | None,
    addressbook: Addressbook | None = None,
) -> Registry:
    smtp = (
        None
        if port is None
        else SmtpSettings(
            host="127.0.0.1",
            port=port,
            sender="satupintu@bpsdm.example",
            starttls=False,
            timeout=10,
        )
    )
    registry = build_registry(
        replace(settings, smtp=smtp),
        db=db,
        keyring=keyring,
        converter=UnavailableConverter(),
        clock=clock,
        addressbook=addressbook or Book(),
    )
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", None), ISSUER)
    return registry


@dataclass
class World:
    registry: Registry
    requests: Requests
    batches: Batches
    queue: InProcessQueue

    def idle(self) -> None:
        assert self.queue.wait_idle(HANG_GUARD), "the queue's jobs never ended"


@contextlib.contextmanager
def running(registry: Registry) -> Iterator[World]:
    batches = Batches(registry)
    # Retries follow at once: the tests count attempts, they do not time them.
    queue = InProcessQueue(
        batches.notifications.with_mail(batches.handlers), workers=2, retry_base_delay=0.001
    )
    batches.queue = queue
    registry.mail_queue = queue
    try:
        yield World(registry, Requests(registry), batches, queue)
    finally:
        queue.close()


@pytest.fixture
def world(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    mailbox: tuple[Mailbox, int],
) -> Iterator[World]:
    with running(notifying_registry(settings, db, keyring, clock, mailbox[1])) as started:
        yield started


def file_request(requests: Requests) -> uuid.UUID:
    request = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR)
    requests.add_evidence(request.id, "surat_perintah", outside_pdf(), DPUPR, filename="sp.pdf")
    requests.add_evidence(request.id, "formulir", PNG, DPUPR, filename="formulir.png")
    return requests.submit(request.id, DPUPR).id


def notification_entries(registry: Registry) -> list[tuple[str, str, dict[str, Any]]]:
    with registry.db.reading() as session:
        rows = session.execute(
            select(AuditEntry)
            .where(AuditEntry.action.like("notification.%"))
            .order_by(AuditEntry.seq)
        ).scalars()
        return [(row.action, row.subject, json.loads(row.details)) for row in rows]


def subject_of(message: EmailMessage) -> str:
    # A subject longer than a line is folded after "Subject:"; the parser keeps that space.
    return str(message["Subject"]).strip()


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    assert isinstance(text, str)
    return text


def test_issuers_hear_of_a_submitted_request_with_its_console_link(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    request_id = file_request(world.requests)
    world.idle()
    [(recipients, message)] = box.messages
    assert sorted(recipients) == sorted(ISSUERS)
    assert message["From"] == "satupintu@bpsdm.example"
    assert subject_of(message) == (
        "Permohonan Coaching menunggu keputusan: Andi Wijaya, S.Kom. (DPUPR)"
    )
    public = world.registry.settings.public_url
    lines = body_of(message).splitlines()
    assert f"{public}/konsol/permohonan/{request_id}" in lines
    assert f"{public}/api/v1/requests/{request_id}" in lines
    [(action, subject, details)] = notification_entries(world.registry)
    assert (action, subject) == ("notification.sent", str(request_id))
    assert details == {
        "event": "request.submitted",
        "recipients": 2,
        "subject": subject_of(message),
    }


def test_the_filer_gets_the_letter_number_and_verification_link_on_approval(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    request_id = file_request(world.requests)
    approved = world.requests.approve(request_id, ISSUER)
    world.idle()
    with world.registry.db.reading() as session:
        letter = session.get_one(Document, approved.document_id)
        number, verify = letter.number, world.registry.verify_url(letter.token)
    # Two workers send: the submission's mail to the issuers may arrive after this one.
    [message] = [m for to, m in box.messages if to == [FILER_EMAIL]]
    assert number in subject_of(message)
    assert verify in body_of(message).splitlines()
    events = [details["event"] for _, _, details in notification_entries(world.registry)]
    assert sorted(events) == ["request.approved", "request.submitted"]


def test_the_filer_gets_the_reason_of_a_rejection(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    request_id = file_request(world.requests)
    world.requests.reject(request_id, "Surat perintah tidak ditandatangani.", ISSUER)
    world.idle()
    # Two workers send: the submission's mail to the issuers may arrive after this one.
    [message] = [m for to, m in box.messages if to == [FILER_EMAIL]]
    assert subject_of(message).startswith("Permohonan ditolak")
    assert "  Surat perintah tidak ditandatangani." in body_of(message).splitlines()


def test_the_issuer_who_started_a_batch_hears_it_finished(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    _, drafts, valid = prepare(world.registry, participants_csv(3))
    batch_id = world.batches.issue(drafts, valid, ISSUER).batch.id
    world.idle()
    assert world.batches.view(batch_id).status == "done"
    [(recipients, message)] = box.messages
    assert recipients == [STARTER_EMAIL]
    assert subject_of(message) == "Penerbitan massal selesai: 3 dari 3 dokumen terbit"
    assert f"/api/v1/jobs/{batch_id}" in body_of(message)


def test_the_issuer_who_started_a_batch_hears_it_failed_and_why(
    world: World, mailbox: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, _ = mailbox
    store = world.registry.production.store

    def full_disk(*args: Any, **kwargs: Any) -> Any:
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "put_path", full_disk)  # the ZIP of the finalize
    _, drafts, valid = prepare(world.registry, participants_csv(2))
    batch_id = world.batches.issue(drafts, valid, ISSUER).batch.id
    world.idle()
    assert world.batches.view(batch_id).status == "failed"
    [(recipients, message)] = box.messages
    assert recipients == [STARTER_EMAIL]
    assert subject_of(message).startswith("Penerbitan massal gagal")
    assert "No space left on device" in body_of(message)


def test_a_refusing_server_is_retried_until_the_mail_goes_through(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    box.refuse = 2
    file_request(world.requests)
    world.idle()
    assert box.attempts == 3 and len(box.messages) == 1
    assert [action for action, _, _ in notification_entries(world.registry)] == [
        "notification.sent"
    ]


def test_a_server_that_keeps_refusing_ends_in_a_failed_notification(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    box.refuse = 1000
    request_id = file_request(world.requests)
    world.idle()
    assert box.attempts == MAX_ATTEMPTS and box.messages == []
    [(action, subject, details)] = notification_entries(world.registry)
    assert (action, subject) == ("notification.failed", str(request_id))
    assert details["recipients"] == 2 and details["subject"].startswith("Permohonan Coaching")
    assert "451" in details["error"]
    assert "body" not in details


def test_with_smtp_down_the_action_succeeds_and_the_failure_is_recorded(
    settings: Settings, db: Database, keyring: KeyRing, clock: Clock
) -> None:
    nobody_listens = free_port()
    with running(notifying_registry(settings, db, keyring, clock, nobody_listens)) as world:
        request_id = file_request(world.requests)
        assert world.requests.get(request_id, ISSUER).status == "submitted"
        approved = world.requests.approve(request_id, ISSUER)
        assert approved.status == "approved"
        world.idle()
        entries = notification_entries(world.registry)
        assert sorted((a, d["event"]) for a, _, d in entries) == [
            ("notification.failed", "request.approved"),
            ("notification.failed", "request.submitted"),
        ]
        assert all("Connection" in d["error"] or "refused" in d["error"] for _, _, d in entries)


def test_a_queue_that_cannot_take_the_mail_does_not_fail_the_action(
    world: World, mailbox: tuple[Mailbox, int]
) -> None:
    class BrokenQueue:
        def enqueue_mail(self, message: dict[str, Any]) -> None:
            raise ConnectionError("queue gone")

    world.registry.mail_queue = BrokenQueue()
    request_id = file_request(world.requests)
    assert world.requests.get(request_id, ISSUER).status == "submitted"
    assert mailbox[0].messages == [] and notification_entries(world.registry) == []


def test_nothing_is_sent_when_smtp_is_unset(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    mailbox: tuple[Mailbox, int],
) -> None:
    with running(notifying_registry(settings, db, keyring, clock, None)) as world:
        request_id = file_request(world.requests)
        world.requests.approve(request_id, ISSUER)
        world.idle()
        assert mailbox[0].messages == [] and mailbox[0].attempts == 0
        assert notification_entries(world.registry) == []


def test_without_a_queue_the_mail_is_sent_at_once(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    mailbox: tuple[Mailbox, int],
) -> None:
    """A CLI command runs no queue: one attempt, in the command."""
    registry = notifying_registry(settings, db, keyring, clock, mailbox[1])
    file_request(Requests(registry))
    assert len(mailbox[0].messages) == 1
    assert [a for a, _, _ in notification_entries(registry)] == ["notification.sent"]


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("server_up", [True, False], ids=["delivered", "server-down"])
def test_the_postgresql_queue_sends_and_records_the_last_failure(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    mailbox: tuple[Mailbox, int],
    server_up: bool,
) -> None:
    port = mailbox[1] if server_up else free_port()
    registry = notifying_registry(settings, db, keyring, clock, port)
    queue = ProcrastinateQueue(settings.database_url)
    batches = Batches(registry, queue)
    registry.mail_queue = queue
    stop = threading.Event()
    worker = threading.Thread(
        target=run_worker,
        args=(settings.database_url, batches.notifications.with_mail(batches.handlers)),
        kwargs={
            "concurrency": 1,
            "stop_event": stop,
            "name": "mail",
            "poll_interval": 0.2,
            "retry_base_delay": 0,
        },
    )
    worker.start()
    try:
        request_id = file_request(Requests(registry))
        deadline = time.monotonic() + HANG_GUARD
        while not (entries := notification_entries(registry)):
            assert time.monotonic() < deadline, "no notification was recorded"
            time.sleep(0.1)
    finally:
        stop.set()
        worker.join(timeout=60)
        queue.close()
    [(action, subject, details)] = entries
    assert subject == str(request_id) and details["recipients"] == 2
    if server_up:
        assert action == "notification.sent"
        [(recipients, _)] = mailbox[0].messages
        assert sorted(recipients) == sorted(ISSUERS)
    else:
        assert action == "notification.failed"
        assert mailbox[0].messages == []
    with registry.db.reading() as session:
        jobs = session.execute(
            text("SELECT status::text, attempts FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": SEND_MAIL},
        ).all()
    assert [tuple(job) for job in jobs] == (
        [("succeeded", 1)] if server_up else [("failed", MAX_ATTEMPTS)]
    )


def test_without_an_addressbook_the_console_accounts_are_the_recipients(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    mailbox: tuple[Mailbox, int],
) -> None:
    """The service as built: issuers' accounts hear of a request; the account that filed it hears
    of the decision; an issuer account without an e-mail hears nothing."""
    box, port = mailbox
    registry = notifying_registry(settings, db, keyring, clock, port)
    registry = build_registry(
        registry.settings, db=db, keyring=keyring, converter=UnavailableConverter(), clock=clock
    )
    accounts = Accounts(db, now=clock)
    admin = Actor(id="cli", role="operator")
    for username, role, unit, email in (
        ("siti", "issuer", None, "siti@bpsdm.example"),
        ("budi", "issuer", None, None),
        ("andi", "requester", "DPUPR", "andi@dpupr.example"),
    ):
        accounts.create_user(UserDraft(username, role, unit, email=email), admin)
    filer = Actor(id="user:andi", role="requester", unit_code="DPUPR", name="Andi")
    with running(registry) as started:
        request = started.requests.create(copy.deepcopy(ISSUE_BODY), filer)
        for kind, data in (("surat_perintah", outside_pdf()), ("formulir", PNG)):
            started.requests.add_evidence(request.id, kind, data, filer, filename="bukti")
        started.requests.submit(request.id, filer)
        started.idle()
        started.requests.reject(request.id, "Formulir belum ditandatangani", ISSUER)
        started.idle()

    assert [sorted(recipients) for recipients, _ in box.messages] == [
        ["siti@bpsdm.example"],
        ["andi@dpupr.example"],
    ]
    assert "Formulir belum ditandatangani" in body_of(box.messages[1][1])
