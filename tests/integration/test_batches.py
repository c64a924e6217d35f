"""Batch issuance: all rows checked first, consecutive numbers, merged PDF, crash resume, and a
batch whose work keeps failing ends failed with the reason and can be retried."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from registry.adapters import jobs, pdf
from registry.adapters.db.schema import AuditEntry, Batch, Document, NumberCounter
from registry.adapters.jobs import MAX_ATTEMPTS, InProcessQueue, ProcrastinateQueue, run_worker
from registry.adapters.spreadsheets import read_recipients
from registry.domain.actors import Actor
from registry.domain.batch_rows import (
    BatchInvalid,
    BatchRecipient,
    draft_for,
    validate_batch,
)
from registry.domain.drafts import ActivityDraft, DocumentDraft
from registry.domain.errors import Conflict, NotFound, PermissionDenied
from registry.settings import Settings
from registry.usecases.batches import Batches, BatchView
from registry.usecases.issuing import Registry
from tests.conftest import BACKENDS
from tests.support.drafts import batch_body, distinct_nips
from tests.support.invariants import assert_numbering_invariant

REPO = Path(__file__).resolve().parents[2]
ISSUER = Actor(id="batch-issuer", role="issuer")


def participants_csv(count: int, *, bad_row: int | None = None) -> bytes:
    lines = ["No;NIP;Nama;Jabatan;Unit Kerja"]
    for n, nip in enumerate(distinct_nips(count), start=1):
        if n == bad_row:
            nip = nip[:4] + "13" + nip[6:]  # month 13: not a birth date
        lines.append(f"{n};{nip};Peserta {n:03d}, S.Kom.;Analis;Dinas PU")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def activity() -> ActivityDraft:
    spec = batch_body(1)["activity"]
    return ActivityDraft(
        title=spec["title"],
        path=spec["path"],
        scope=spec["scope"],
        start_date=date.fromisoformat(spec["start_date"]),
        end_date=date.fromisoformat(spec["end_date"]),
        jp=Decimal(spec["jp"]),
        organizer=spec["organizer"],
    )


def prepare(
    registry: Registry, data: bytes
) -> tuple[list[BatchRecipient], list[DocumentDraft], list[Any]]:
    recipients = read_recipients(data, filename="peserta.csv", media_type="text/csv")
    shared = activity()

    def build(recipient: BatchRecipient) -> DocumentDraft:
        return draft_for(
            recipient, type="sttp", activity=shared, unit_code="DPUPR", series=None, details=None
        )

    valid = validate_batch(recipients, build, registry.validate)
    return recipients, [build(r) for r in recipients], valid


def written(registry: Registry) -> tuple[int, int, int, int]:
    with registry.db.reading() as session:
        return (
            session.execute(select(func.count()).select_from(Document)).scalar_one(),
            session.execute(select(func.count()).select_from(Batch)).scalar_one(),
            session.execute(
                select(func.coalesce(func.max(NumberCounter.last_seq), 0))
            ).scalar_one(),
            session.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
        )


@pytest.fixture
def batches(pdf_registry: Registry) -> Iterator[Batches]:
    batches = Batches(pdf_registry)
    # Retries after a failure follow at once: these tests count attempts, they do not time them.
    queue = InProcessQueue(batches.handlers, workers=2, retry_base_delay=0.01)
    batches.queue = queue
    yield batches
    queue.close()


# Only a guard against a hang: the tests assert what happened and in which order, never how fast.
HANG_GUARD = 600


def wait_done(batches: Batches, batch_id: uuid.UUID) -> BatchView:
    """The batch once every job of the in-process queue has run (and every retry of one)."""
    assert isinstance(batches.queue, InProcessQueue)
    assert batches.queue.wait_idle(HANG_GUARD), "the batch's jobs never ended"
    return batches.view(batch_id)


def poll_until_ended(batches: Batches, batch_id: uuid.UUID) -> BatchView:
    """For queues worked by other threads or processes: the batch once it has left rendering."""
    deadline = time.monotonic() + HANG_GUARD
    while (view := batches.view(batch_id)).status == "rendering":
        assert time.monotonic() < deadline, f"the batch never ended: {view}"
        time.sleep(0.1)
    return view


def audit_actions(registry: Registry, subject: uuid.UUID) -> list[str]:
    with registry.db.reading() as session:
        return list(
            session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.subject == str(subject))
                .order_by(AuditEntry.seq)
            ).scalars()
        )


def merges_that_fail(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every merge of the batch's PDFs fails as on a full disk; returns each attempt's PDF count."""
    attempts: list[int] = []

    def full_disk(paths: list[Path], target: Path) -> None:
        attempts.append(len(paths))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "merge_files", full_disk)
    return attempts


def test_one_bad_row_in_100_refuses_the_batch_and_issues_nothing(registry: Registry) -> None:
    before = written(registry)
    with pytest.raises(BatchInvalid) as refused:
        prepare(registry, participants_csv(100, bad_row=57))
    errors = refused.value.extra["errors"]
    # Data row 57 is spreadsheet row 58: the header is row 1.
    assert [(e["row"], e["column"]) for e in errors] == [(58, "nip")]
    assert "1" in refused.value.message
    assert written(registry) == before == (0, 0, 0, 0)


def test_100_good_rows_get_100_consecutive_numbers_and_one_merged_pdf(
    batches: Batches,
) -> None:
    registry = batches.registry
    _, drafts, valid = prepare(registry, participants_csv(100))
    outcome = batches.issue(drafts, valid, ISSUER)
    assert outcome.batch.total == 100
    view = wait_done(batches, outcome.batch.id)
    assert (view.status, view.issued, view.void, view.pending) == ("done", 100, 0, 0)

    numbers = [ref.number for ref in view.documents]
    assert [int(number.split("/")[0]) for number in numbers] == list(range(1, 101))
    with registry.db.reading() as session:
        assert assert_numbering_invariant(session) == {("sttp", _year(numbers[0])): 100}
        # Row order is number order: the first participant holds the first number.
        holders = session.execute(
            select(Document.holder_name).where(Document.batch_id == view.id).order_by(Document.seq)
        ).scalars()
        assert list(holders) == [f"Peserta {n:03d}, S.Kom." for n in range(1, 101)]

    store = registry.production.store
    assert view.merged_sha256 is not None and view.zip_sha256 is not None
    merged = PdfReader(io.BytesIO(store.read(view.merged_sha256)))
    assert len(merged.pages) == 100
    assert numbers[0] in (merged.pages[0].extract_text() or "")
    assert numbers[-1] in (merged.pages[-1].extract_text() or "")
    with zipfile.ZipFile(io.BytesIO(store.read(view.zip_sha256))) as archive:
        names = archive.namelist()
        assert len(names) == 100 and all(name.endswith(".pdf") for name in names)
        first = archive.read(names[0])
    assert registry.verify_file(first).status == "valid"


def _year(number: str) -> int:
    return int(number.rsplit("/", 1)[1])


def test_a_second_finalize_records_nothing_and_leaves_no_file(
    batches: Batches, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = batches.registry
    _, drafts, valid = prepare(registry, participants_csv(3))
    view = wait_done(batches, batches.issue(drafts, valid, ISSUER).batch.id)
    store = registry.production.store
    before = store.hashes()
    with registry.db.writing() as session:  # as if the first finalize had not been seen yet
        session.get_one(Batch, view.id).status = "rendering"
    monkeypatch.setattr(batches, "_record_result", lambda *_: (False, set()))  # the other won
    batches.finalize(view.id)
    assert store.hashes() == before
    assert store.exists(view.merged_sha256 or "") and store.exists(view.zip_sha256 or "")


def test_a_replayed_batch_takes_no_new_numbers(batches: Batches) -> None:
    registry = batches.registry
    _, drafts, valid = prepare(registry, participants_csv(3))
    first = batches.issue(drafts, valid, ISSUER, idempotency_key="pelatihan-maret")
    again = batches.issue(drafts, valid, ISSUER, idempotency_key="pelatihan-maret")
    assert again.replayed and again.batch.id == first.batch.id
    wait_done(batches, first.batch.id)
    assert written(registry)[0] == 3


def test_a_batch_killed_mid_way_is_completed_on_restart_without_duplicates(
    registry: Registry, settings: Settings
) -> None:
    """SIGKILL the process rendering a batch; a new process resumes it from the database."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "tests.support.batch_until_killed",
        settings.database_url,
        str(settings.keys_dir),
        "40",
        "5",  # the victim renders five documents, then stalls until it is killed
    ]
    with subprocess.Popen(command, env=env, cwd=REPO) as victim:
        try:
            deadline = time.monotonic() + HANG_GUARD
            while True:
                with registry.db.reading() as session:
                    issued = session.execute(
                        select(func.count())
                        .select_from(Document)
                        .where(Document.status == "issued")
                    ).scalar_one()
                if issued >= 5:
                    break
                assert victim.poll() is None, "the victim ended before it was killed"
                assert time.monotonic() < deadline, "the victim never rendered five documents"
                time.sleep(0.05)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
        finally:
            victim.kill()
    assert victim.returncode == -signal.SIGKILL
    with registry.db.reading() as session:
        statuses = dict(
            session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
        )
    assert (statuses.get("issued"), statuses.get("pending")) == (5, 35)

    batches = Batches(registry, queue=None)  # the restarted service: jobs run right here
    assert batches.resume() == 1
    with registry.db.reading() as session:
        batch_id = session.execute(select(Batch.id)).scalar_one()
        counts = assert_numbering_invariant(session)
    view = batches.view(batch_id)
    assert (view.status, view.issued, view.pending, view.void) == ("done", 40, 0, 0)
    assert sum(counts.values()) == 40
    assert len({ref.number for ref in view.documents}) == 40
    with zipfile.ZipFile(
        io.BytesIO(registry.production.store.read(view.zip_sha256 or ""))
    ) as archive:
        assert len(archive.namelist()) == 40


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_workers_share_a_batch_through_the_postgresql_queue(
    pdf_registry: Registry, settings: Settings
) -> None:
    registry = pdf_registry
    queue = ProcrastinateQueue(settings.database_url)
    with registry.db.writing() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
    batches = Batches(registry, queue)
    stop = threading.Event()
    workers = [
        threading.Thread(
            target=run_worker,
            args=(settings.database_url, batches.handlers),
            kwargs={"concurrency": 1, "stop_event": stop, "name": f"w{n}", "poll_interval": 0.5},
        )
        for n in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        _, drafts, valid = prepare(registry, participants_csv(12))
        outcome = batches.issue(drafts, valid, ISSUER)
        view = poll_until_ended(batches, outcome.batch.id)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
        queue.close()
    assert (view.status, view.issued) == ("done", 12)
    with registry.db.reading() as session:
        jobs = dict(
            session.execute(
                text("SELECT status, count(*) FROM procrastinate_jobs GROUP BY status")
            ).all()
        )
    # Two chunks (ten and two documents) and the finalize; a second finalize may have been
    # queued by the chunk that finished last, and then found nothing left to do.
    assert set(jobs) == {"succeeded"} and 3 <= jobs["succeeded"] <= 4
    merged = PdfReader(io.BytesIO(registry.production.store.read(view.merged_sha256 or "")))
    assert len(merged.pages) == 12


def test_a_finalize_that_keeps_failing_ends_the_batch_failed_and_a_retry_finishes_it(
    batches: Batches, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = batches.registry
    attempts = merges_that_fail(monkeypatch)
    _, drafts, valid = prepare(registry, participants_csv(3))
    batch_id = batches.issue(drafts, valid, ISSUER).batch.id

    failed = wait_done(batches, batch_id)
    assert attempts == [3] * MAX_ATTEMPTS  # every attempt the queue allows, then no more
    assert (failed.status, failed.issued, failed.void, failed.pending) == ("failed", 3, 0, 0)
    assert failed.error is not None
    assert "PDF gabungan" in failed.error and "No space left on device" in failed.error
    assert (failed.merged_sha256, failed.zip_sha256) == (None, None)
    assert failed.finished_at is not None
    assert audit_actions(registry, batch_id) == ["batch.issue", "batch.failed"]

    monkeypatch.undo()  # the disk has room again
    assert batches.retry(batch_id, ISSUER).error is None
    done = wait_done(batches, batch_id)
    assert (done.status, done.issued, done.error) == ("done", 3, None)
    assert [ref.number for ref in done.documents] == [ref.number for ref in failed.documents]
    merged = registry.production.store.read(done.merged_sha256 or "")
    assert len(PdfReader(io.BytesIO(merged)).pages) == 3
    assert audit_actions(registry, batch_id) == [
        "batch.issue",
        "batch.failed",
        "batch.retry",
        "batch.done",
    ]
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 3


def test_documents_that_cannot_be_made_for_now_end_the_batch_failed_and_a_retry_makes_them(
    batches: Batches, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = batches.registry
    complete = registry.complete
    tried: list[uuid.UUID] = []

    def database_gone(document_id: uuid.UUID) -> object:
        tried.append(document_id)
        raise OSError("server closed the connection unexpectedly")

    monkeypatch.setattr(registry, "complete", database_gone)
    _, drafts, valid = prepare(registry, participants_csv(3))
    batch_id = batches.issue(drafts, valid, ISSUER).batch.id

    failed = wait_done(batches, batch_id)
    assert len(tried) == MAX_ATTEMPTS  # the chunk stops at its first document, every attempt
    assert (failed.status, failed.issued, failed.pending) == ("failed", 0, 3)
    assert failed.error is not None and "Sebagian dokumen" in failed.error
    assert "server closed the connection" in failed.error

    monkeypatch.setattr(registry, "complete", complete)
    batches.retry(batch_id, ISSUER)
    done = wait_done(batches, batch_id)
    assert (done.status, done.issued, done.void, done.pending) == ("done", 3, 0, 0)
    assert done.merged_sha256 is not None
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 3


def test_only_a_failed_batch_is_retried_and_only_by_an_issuer(batches: Batches) -> None:
    _, drafts, valid = prepare(batches.registry, participants_csv(1))
    done = wait_done(batches, batches.issue(drafts, valid, ISSUER).batch.id)
    assert done.status == "done"
    with pytest.raises(Conflict, match="hanya batch yang gagal dapat diulang") as refused:
        batches.retry(done.id, ISSUER)
    assert refused.value.extra["batch_status"] == "done"
    with batches.registry.db.writing() as session:
        session.get_one(Batch, done.id).status = "failed"
    for role in ("requester", "auditor"):
        with pytest.raises(PermissionDenied):
            batches.retry(done.id, Actor(id=role, role=role, unit_code="DPUPR"))
    with pytest.raises(NotFound):
        batches.retry(uuid.uuid4(), ISSUER)
    assert batches.view(done.id).status == "failed"
    assert audit_actions(batches.registry, done.id) == ["batch.issue", "batch.done"]


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_postgresql_queue_ends_a_failing_batch_failed_and_a_retry_finishes_it(
    pdf_registry: Registry, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = pdf_registry
    monkeypatch.setattr(jobs, "RETRY_BASE_DELAY", 0)  # retries follow at once
    attempts = merges_that_fail(monkeypatch)
    queue = ProcrastinateQueue(settings.database_url)
    batches = Batches(registry, queue)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_worker,
        args=(settings.database_url, batches.handlers),
        kwargs={"concurrency": 1, "stop_event": stop, "name": "w", "poll_interval": 0.2},
    )
    worker.start()
    try:
        _, drafts, valid = prepare(registry, participants_csv(3))
        batch_id = batches.issue(drafts, valid, ISSUER).batch.id
        failed = poll_until_ended(batches, batch_id)
        assert attempts == [3] * MAX_ATTEMPTS
        assert (failed.status, failed.issued) == ("failed", 3)
        assert failed.error is not None and "No space left on device" in failed.error

        monkeypatch.undo()
        batches.retry(batch_id, ISSUER)
        done = poll_until_ended(batches, batch_id)
    finally:
        stop.set()
        worker.join(timeout=60)
        queue.close()
    assert (done.status, done.issued, done.error) == ("done", 3, None)
    with registry.db.reading() as session:
        finalizes = list(
            session.execute(
                text("SELECT status FROM procrastinate_jobs WHERE task_name = :task ORDER BY id"),
                {"task": jobs.FINALIZE_BATCH},
            ).scalars()
        )
    # The first finalize failed for good; the retry's finalize succeeded.
    assert finalizes[0] == "failed" and finalizes[-1] == "succeeded"
