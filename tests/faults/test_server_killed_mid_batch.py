"""``kill -9`` of the service in the middle of a 200-document batch, then a restart."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text

from registry.adapters.db import audit
from registry.adapters.db.schema import Document
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.faults.accounting import assert_everything_accounted_for
from tests.faults.server import Server, wait_for
from tests.support.drafts import batch_body

BATCH = 200
KEY = {"Idempotency-Key": "pelatihan-pbj-2026/angkatan-3"}


def _job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/jobs/{job_id}")
    assert answer.status_code == 200, answer.text
    job: dict[str, Any] = answer.json()
    return job


def _numbers(registry: Registry) -> list[str]:
    with registry.db.reading() as session:
        return list(session.execute(select(Document.number).order_by(Document.seq)).scalars())


def test_a_server_killed_mid_batch_finishes_it_after_restart_and_replays_the_same_batch(
    registry: Registry, settings: Settings, api_keys: Keys, tmp_path: Path
) -> None:
    body = batch_body(BATCH)
    server = Server(settings, tmp_path / "logs")
    try:
        server.start()
        with server.client(api_keys.issuer.secret) as client:
            answer = client.post("/api/v1/documents/batch", json=body, headers=KEY)
            assert answer.status_code == 202, answer.text
            job_id = answer.json()["id"]
            # Killed once the job reports progress and well before it ends.
            progress = wait_for(
                lambda: (job := _job(client, job_id))["issued"] >= 20 and job,
                "the batch to report progress",
                every=0.1,
            )
            server.kill()
        assert progress["issued"] < BATCH, "the batch ended before the kill: nothing was proven"
        numbers_at_kill = _numbers(registry)
        assert len(numbers_at_kill) == BATCH  # every number was taken, in one transaction, up front
        if not registry.db.is_sqlite:
            _age_dead_workers(registry)

        server.start()
        with server.client(api_keys.issuer.secret) as client:
            again = client.post("/api/v1/documents/batch", json=body, headers=KEY)
            assert again.status_code == 202, again.text
            assert again.headers.get("Idempotent-Replayed") == "true"
            assert again.json()["id"] == job_id
            done = wait_for(
                lambda: (job := _job(client, job_id))["status"] != "rendering" and job,
                "the resumed batch to end",
                every=0.2,
            )
            assert (done["status"], done["issued"], done["void"], done["pending"]) == (
                "done",
                BATCH,
                0,
                0,
            ), done
            archive = client.get(done["zip_url"])
            assert archive.status_code == 200
            with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
                assert len(zipped.namelist()) == BATCH
            # Once done, the same key still answers the same batch and numbers nothing.
            replay = client.post("/api/v1/documents/batch", json=body, headers=KEY)
            assert (replay.status_code, replay.json()["id"]) == (202, job_id)
    finally:
        server.stop()

    assert _numbers(registry) == numbers_at_kill  # nothing numbered twice, nothing renumbered
    with registry.db.reading() as session:
        statuses = assert_everything_accounted_for(session, registry.production.store)
        assert statuses == {"issued": BATCH}
        assert audit.verify_chain(session).ok


def _age_dead_workers(registry: Registry) -> None:
    """Procrastinate re-queues a dead worker's jobs once its heartbeat is 60 s old; the test
    stands a minute later rather than waiting it out, as the crash tests move their clock."""
    with registry.db.writing() as session:
        session.execute(
            text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes'")
        )
