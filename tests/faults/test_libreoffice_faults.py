"""LibreOffice killed or hung in the middle of a conversion the API is waiting on."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from registry.adapters.db.schema import AuditEntry, Document, DocumentFile
from registry.adapters.libreoffice.processes import proc_stat, running
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.conftest import BACKENDS, Keys
from tests.faults.accounting import assert_everything_accounted_for
from tests.faults.server import HANG_GUARD, Server, wait_for
from tests.support.drafts import body

#: The service gives up on a conversion after this many seconds (SATUPINTU_CONVERSION_TIMEOUT).
CONVERSION_TIMEOUT = 8


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _descends_from(pid: int, ancestor: int) -> bool:
    seen = 0
    current: int | None = pid
    while current and current > 1 and seen < 64:
        if current == ancestor:
            return True
        current, seen = _parent(current), seen + 1
    return False


def soffice_of(server: Server) -> int | None:
    """The running soffice.bin the service's converter pool started (its own sessions, so found
    by ancestry rather than by process group)."""
    assert server.process is not None
    with os.scandir("/proc") as entries:
        pids = [int(entry.name) for entry in entries if entry.name.isdigit()]
    for pid in pids:
        stat = proc_stat(pid)
        if (
            stat
            and stat[0] == "soffice.bin"
            and running(pid)
            and _descends_from(pid, server.process.pid)
        ):
            return pid
    return None


def _issue_in_background(client: httpx.Client) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: answers.append(client.post("/api/v1/documents", json=body())), daemon=True
    )
    thread.start()
    return thread, answers


# The pool and the voiding are the same code on either backend (numbering on PostgreSQL under
# faults is proven by the kill and outage tests); three LibreOffice starts cost about a minute.
@pytest.mark.skipif("sqlite" not in BACKENDS, reason="SQLite backend not selected")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_libreoffice_killed_or_hung_mid_conversion_is_restarted_and_every_number_accounted(
    registry: Registry, settings: Settings, api_keys: Keys, tmp_path: Path
) -> None:
    server = Server(
        settings,
        tmp_path / "logs",
        pdf=True,
        env={"SATUPINTU_CONVERSION_TIMEOUT": str(CONVERSION_TIMEOUT)},
    )
    try:
        server.start()
        with server.client(api_keys.issuer.secret, timeout=HANG_GUARD) as client:
            warm = client.post("/api/v1/documents", json=body())  # waits for LibreOffice to start
            assert warm.status_code == 201, warm.text
            first = wait_for(lambda: soffice_of(server), "the pool's soffice.bin")

            # Killed mid-conversion: stopped so the conversion is surely under way, then killed.
            # The pool sees it die, starts a new LibreOffice and converts again: one document.
            os.kill(first, signal.SIGSTOP)
            thread, answers = _issue_in_background(client)
            thread.join(timeout=2)
            assert thread.is_alive(), "the conversion did not wait on the stopped LibreOffice"
            os.kill(first, signal.SIGKILL)
            thread.join(timeout=HANG_GUARD)
            assert not thread.is_alive()
            [killed] = answers
            assert killed.status_code == 201, killed.text
            second = wait_for(lambda: soffice_of(server), "a new soffice.bin")
            assert second != first

            # Hung: the conversion is abandoned at the timeout, the number voided with the
            # reason, LibreOffice replaced; the next request succeeds.
            os.kill(second, signal.SIGSTOP)
            hung = client.post("/api/v1/documents", json=body())
            assert hung.status_code == 503, hung.text
            assert int(hung.headers["retry-after"]) > 0
            problem = hung.json()
            assert "batas waktu" in problem["detail"], problem
            voided_number = problem["number"]
            wait_for(lambda: not running(second), "the hung soffice.bin to be killed")
            after = client.post("/api/v1/documents", json=body())
            assert after.status_code == 201, after.text
            assert after.headers["content-type"] == "application/json"
            assert soffice_of(server) not in (None, first, second)
    finally:
        server.stop()

    with registry.db.reading() as session:
        statuses = assert_everything_accounted_for(session, registry.production.store)
        assert statuses == {"issued": 3, "void": 1}
        voided = session.execute(
            select(Document).where(Document.number == voided_number)
        ).scalar_one()
        assert voided.status == "void"
        assert voided.void_reason and "batas waktu" in voided.void_reason
        [entry] = session.execute(
            select(AuditEntry).where(
                AuditEntry.action == "document.void", AuditEntry.subject == str(voided.id)
            )
        ).scalars()
        assert "batas waktu" in json.dumps(json.loads(entry.details))
        kinds = session.execute(
            select(DocumentFile.document_id, DocumentFile.kind)
            .join(Document, Document.id == DocumentFile.document_id)
            .where(Document.status == "issued")
        ).all()
        # Every issued document has its PDF: none was quietly issued as DOCX only.
        assert sorted(kind for _, kind in kinds) == ["docx"] * 3 + ["pdf"] * 3
