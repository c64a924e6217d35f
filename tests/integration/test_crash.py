from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import select

from registry.adapters.db import audit
from registry.adapters.db.schema import AuditEntry, Document, Request
from registry.domain.errors import Conflict
from registry.domain.units import UnitDraft
from registry.settings import Settings
from registry.usecases.batches import STALE_PENDING
from registry.usecases.issuing import Registry
from registry.usecases.requests import Requests
from registry.usecases.units import Units
from tests.conftest import Clock
from tests.integration.test_requests import ISSUER, filed
from tests.support.invariants import assert_numbering_invariant

REPO = Path(__file__).resolve().parents[2]
#: Seconds a helper process may take to reach its stall point before the test gives up on it.
HANG_GUARD = 120


def test_kill_9_mid_issuance_leaves_no_gap_and_loses_no_answered_number(
    registry: Registry, settings: Settings
) -> None:
    """Two processes issue concurrently; one is killed with SIGKILL in the middle of its work."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "tests.support.issue_forever",
        settings.database_url,
        str(settings.keys_dir),
    ]
    answered: list[str] = []
    survivor_answered: list[str] = []
    with (
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO) as victim,
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO) as survivor,
    ):
        assert victim.stdout is not None and survivor.stdout is not None
        survivor_out = survivor.stdout
        reader = threading.Thread(
            target=lambda: survivor_answered.extend(line.strip() for line in survivor_out),
            daemon=True,
        )
        reader.start()
        try:
            for line in victim.stdout:
                answered.append(line.strip())
                if len(answered) == 25:
                    victim.send_signal(signal.SIGKILL)
                    break
            victim.wait(timeout=30)
            assert victim.returncode == -signal.SIGKILL
        finally:
            victim.kill()
            survivor.kill()
            survivor.wait(timeout=30)
            reader.join(timeout=30)

    with registry.db.reading() as session:
        counts = assert_numbering_invariant(session)
        stored = set(session.execute(select(Document.number)).scalars())
    assert sum(counts.values()) == len(stored) >= 25
    # Every number a client was told about is durable.
    assert set(answered) <= stored
    assert set(survivor_answered) <= stored


def _first_line(stream: IO[str], timeout: float) -> str | None:
    """The stream's first line, or None if none came within ``timeout`` (or it closed first)."""
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline() or None), daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        return None
    return None if line is None else line.strip()


@pytest.mark.parametrize("stall_at", ["render", "before_mark", "in_mark"])
def test_an_approval_killed_between_its_commits_is_finished_by_the_next_one(
    registry: Registry, settings: Settings, clock: Clock, stall_at: str
) -> None:
    """SIGKILL the approving process after the letter is numbered, before the request says
    approved; after the restart the next approval finishes with that letter: one letter, one
    number, never two."""
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"), ISSUER)
    request_id = filed(Requests(registry))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "tests.support.approve_until_killed",
        settings.database_url,
        str(settings.keys_dir),
        str(request_id),
        stall_at,
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO) as victim:
        try:
            assert victim.stdout is not None
            assert _first_line(victim.stdout, HANG_GUARD) == "stalled"
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
        finally:
            victim.kill()
    assert victim.returncode == -signal.SIGKILL

    with registry.db.reading() as session:
        [letter] = session.execute(select(Document)).scalars()
        left = session.get_one(Request, request_id)
        assert (left.status, left.document_id) == ("submitted", letter.id)
    assert letter.status == ("pending" if stall_at == "render" else "issued")

    restarted = Requests(registry)  # the service after the restart: same database, same files
    # Moments after, the letter may still be another approval's work in flight: refused, and
    # nothing is numbered.
    with pytest.raises(Conflict):
        restarted.approve(request_id, ISSUER)
    # Once the letter is as old as an abandoned batch, the next approval finishes with it.
    clock.current = datetime.now(UTC) + STALE_PENDING + timedelta(minutes=1)
    approved = restarted.approve(request_id, ISSUER)
    assert (approved.status, approved.document_id) == ("approved", letter.id)
    finished = registry.get(letter.id, ISSUER)
    assert (finished.status, finished.number) == ("issued", letter.number)
    assert {stored.kind for stored in finished.files} >= {"docx"}
    assert all(registry.production.store.exists(f.sha256) for f in finished.files)
    with pytest.raises(Conflict):
        restarted.approve(request_id, ISSUER)

    with registry.db.reading() as session:
        assert [d.id for d in session.execute(select(Document)).scalars()] == [letter.id]
        assert sum(assert_numbering_invariant(session).values()) == 1
        approvals = session.execute(
            select(AuditEntry).where(
                AuditEntry.subject == str(request_id), AuditEntry.action == "request.approve"
            )
        ).scalars()
        # Only the finishing approval is recorded (a killed transaction wrote nothing) ...
        recorded = [(a.actor, json.loads(a.details).get("recovered")) for a in approvals]
        assert recorded == [(ISSUER.label, "true")]
        # ... and the audit chain is intact across the kill.
        assert audit.verify_chain(session).ok
