"""A file stored for a record that a dead process never committed is not kept forever.

Files are stored before the record that points at them commits (so no record lacks its file); a
process that dies between the two leaves a stored file no record points at. These tests let a
process "die" at exactly that point (its exception skips every clean-up, as SIGKILL would), then
show that whatever finishes the owner later, or the periodic sweep, removes the file. The real
SIGKILL is in ``tests/faults/test_server_killed_mid_batch.py``.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.adapters.db.schema import Batch, Document
from registry.domain.actors import Actor
from registry.usecases import batches, issuing
from registry.usecases.issuing import Registry
from registry.usecases.production import FileFacts, RenderPlan
from registry.usecases.reading import SearchFilter
from registry.usecases.unrecorded_files import SWEEP_AFTER, document_owner
from tests.conftest import Clock
from tests.faults.accounting import assert_everything_accounted_for
from tests.support.drafts import draft, issue_batch_now, outside_pdf

ISSUER = Actor(id="test-issuer", role="issuer")


class ProcessDied(BaseException):
    """Raised where a process would be killed: nothing after it runs, no clean-up either."""


def _die_before_recording(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next record of files dies after the files are stored, before anything is committed."""

    def die(self: Registry, document_id: object, produced: object) -> None:
        raise ProcessDied

    monkeypatch.setattr(issuing.Registry, "record_files", die)
    # A killed process discards nothing.
    monkeypatch.setattr(registry.production, "discard", lambda files: None)


@pytest.fixture
def dies_before_recording(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    _die_before_recording(registry, monkeypatch)


def _accounted(registry: Registry) -> dict[str, int]:
    with registry.db.reading() as session:
        return assert_everything_accounted_for(session, registry.production.store)


def test_a_document_finished_after_its_process_died_keeps_only_the_files_it_records(
    pdf_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF is made again on resume, with other bytes (LibreOffice stamps the time in it)."""
    registry = pdf_registry
    outcome = registry.take_number(draft(), ISSUER)
    stored_before = registry.production.store.hashes()
    with monkeypatch.context() as dying:
        _die_before_recording(registry, dying)
        with pytest.raises(ProcessDied):
            registry.complete(outcome.document.id)
    left_behind = registry.production.store.hashes() - stored_before
    assert len(left_behind) == 2, "the dying attempt stored its DOCX and PDF"

    finished = registry.complete(outcome.document.id)  # as the restarted process does

    assert finished.status == "issued"
    assert left_behind - {f.sha256 for f in finished.files}, "the PDF was made anew"
    assert _accounted(registry) == {"issued": 1}


def test_a_document_voided_after_its_process_died_leaves_no_file(
    registry: Registry, dies_before_recording: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = registry.take_number(draft(), ISSUER)
    with pytest.raises(ProcessDied):
        registry.complete(outcome.document.id)
    monkeypatch.undo()

    registry.void(outcome.document.id, "Proses terhenti")

    assert _accounted(registry) == {"void": 1}


def test_a_stamped_upload_whose_process_died_leaves_no_file_once_voided(
    registry: Registry, dies_before_recording: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ProcessDied):
        registry.stamp(draft(), outside_pdf(), ISSUER)
    monkeypatch.undo()

    (pending,) = registry.search(ISSUER, SearchFilter())
    registry.issue(draft(), ISSUER)  # a document printed with the agency's logo, stored at start

    voided = registry.complete(pending.id)  # the upload died with its process: void

    assert voided.status == "void"
    assert _accounted(registry) == {"issued": 1, "void": 1}


def test_the_sweep_removes_files_whose_owner_never_came_back(
    registry: Registry, dies_before_recording: None, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    outcome = registry.take_number(draft(), ISSUER)
    with pytest.raises(ProcessDied):
        registry.complete(outcome.document.id)
    monkeypatch.undo()

    stored = registry.production.store.hashes()

    assert registry.unrecorded_files.sweep() == 0  # too recent: its process may still be alive
    assert registry.production.store.hashes() == stored

    clock.current = registry.now() + SWEEP_AFTER + timedelta(seconds=1)
    assert registry.unrecorded_files.sweep() == 1
    registry.void(outcome.document.id, "Proses terhenti")
    assert _accounted(registry) == {"void": 1}


def test_a_file_another_record_points_at_is_never_swept(registry: Registry, clock: Clock) -> None:
    outcome = registry.issue(draft(), ISSUER)
    (recorded,) = outcome.document.files
    # An announcement left behind for a file that did get its record (e.g. the same bytes
    # stored again by a request that died): the sweep forgets it and keeps the file.
    registry.unrecorded_files.announce("document:elsewhere", [recorded.sha256])
    clock.current = registry.now() + SWEEP_AFTER + timedelta(seconds=1)

    assert registry.unrecorded_files.sweep() == 0

    assert registry.production.store.exists(recorded.sha256)
    assert _accounted(registry) == {"issued": 1}


def test_a_batch_merged_again_after_its_finalize_died_keeps_only_the_files_it_records(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(*args: object, **kwargs: object) -> None:
        raise ProcessDied

    with monkeypatch.context() as dying:
        dying.setattr(batches.Batches, "_record_result", die)
        dying.setattr(registry.production.store, "remove", lambda sha256: None)
        # Packed at another time than the finalize that follows, so its ZIP has other bytes.
        long_ago = time.struct_time((2026, 1, 2, 3, 4, 5, 4, 2, 0))
        dying.setattr(batches.time, "localtime", lambda *seconds: long_ago)
        with pytest.raises(ProcessDied):
            issue_batch_now(registry, ISSUER, 3)
    left_behind = registry.production.store.hashes()
    with registry.db.reading() as session:
        batch_id = session.execute(select(Batch.id)).scalar_one()

    batches.Batches(registry).finalize(batch_id)  # as the resumed job does

    view = batches.Batches(registry).view(batch_id)
    assert view.status == "done"
    assert _accounted(registry) == {"issued": 3}
    assert left_behind - registry.production.store.hashes(), "the first ZIP is gone"


def test_an_attempt_that_loses_to_another_keeps_none_of_its_own_files(
    registry: Registry, clock: Clock
) -> None:
    """Two processes complete one document; the second to commit records nothing and its files
    (other bytes: made a little later) go, while the winner's stay."""
    outcome = registry.take_number(draft(), ISSUER)
    document_id = outcome.document.id
    with registry.db.reading() as session:
        document = session.get_one(Document, document_id)
        plan = RenderPlan(
            document.template_name or "",
            document.template_sha256 or "",
            dict(document.render_context or {}),
        )
        verify_url = registry.links.verify_url(document.token)
        facts = FileFacts(document.number, verify_url, document.title)
    owner = document_owner(document_id)
    long_ago = time.struct_time((2026, 1, 2, 3, 4, 5, 4, 2, 0))
    with pytest.MonkeyPatch.context() as earlier:  # the loser's DOCX carries another time
        earlier.setattr(time, "localtime", lambda *seconds: long_ago)
        losing = registry.production.produce(
            document_id,
            plan,
            facts,
            before_storing=lambda hashes: registry.unrecorded_files.announce(owner, hashes),
        )
    winner = registry.complete(document_id)
    assert {f.sha256 for f in losing}.isdisjoint(f.sha256 for f in winner.files)

    answer = registry.record_files(document_id, losing)

    assert answer.status == "issued" and answer.files == winner.files
    assert _accounted(registry) == {"issued": 1}
