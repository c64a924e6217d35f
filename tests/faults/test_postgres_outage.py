"""PostgreSQL stopped and started under load: a fast 503, then recovery without a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from registry.adapters.db import apikeys
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document
from registry.bootstrap import build_store
from registry.settings import Settings
from registry.usecases.batches import STALE_PENDING
from tests.conftest import BACKENDS
from tests.faults.accounting import assert_everything_accounted_for
from tests.faults.private_postgres import PrivateCluster, private_cluster
from tests.faults.server import Server, wait_for
from tests.support.drafts import batch_body, body

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected"),
]

#: An answer slower than this while the database is down counts as a hang.
FAST = 10.0


@dataclass(frozen=True)
class Answer:
    started: float
    seconds: float
    status: int | None  # None: no answer at all (timeout, connection dropped)
    headers: dict[str, str]
    body: dict[str, Any]


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    with private_cluster() as created:
        yield created


def _call(client: httpx.Client, method: str, url: str, **kwargs: Any) -> Answer:
    started = time.monotonic()
    try:
        answer = client.request(method, url, **kwargs)
    except httpx.HTTPError:
        return Answer(started, time.monotonic() - started, None, {}, {})
    try:
        parsed = answer.json()
    except ValueError:
        parsed = {}
    return Answer(
        started,
        time.monotonic() - started,
        answer.status_code,
        dict(answer.headers),
        parsed if isinstance(parsed, dict) else {},
    )


def _assert_database_down(answer: Answer, what: str) -> None:
    assert answer.status == 503, f"{what}: {answer}"
    assert answer.seconds < FAST, f"{what} took {answer.seconds:.1f} s"
    assert answer.headers["content-type"].startswith("application/problem+json"), what
    assert int(answer.headers["retry-after"]) > 0, what
    assert "Basis data" in answer.body["detail"], answer.body
    assert answer.body["database"] == "unavailable", answer.body


def test_postgresql_stopped_under_load_answers_503_fast_and_recovers_without_restart(
    cluster: PrivateCluster, tmp_path: Path
) -> None:
    settings = replace(
        Settings.from_env(
            {
                "SATUPINTU_DATA_DIR": str(tmp_path / "data"),
                "SATUPINTU_KEYS_DIR": str(tmp_path / "keys"),
            }
        ),
        database_url=cluster.url,
    )
    stack = ExitStack()
    server = Server(settings, tmp_path / "logs")
    load: list[tuple[str, Answer]] = []
    stop_load = threading.Event()
    try:
        server.start()
        db = Database.from_url(cluster.url)
        with db.writing() as session:
            issuer = apikeys.create_key(
                session, role="issuer", unit_code=None, name="BPSDM", now=datetime.now(UTC)
            )
        db.dispose()  # the test's own connections must not live through the outage
        client = stack.enter_context(server.client(issuer.secret, timeout=2 * FAST))
        first = client.post("/api/v1/documents", json=body())
        assert first.status_code == 201, first.text
        token = first.json()["verify_url"].rsplit("/", 1)[-1]

        def keep_asking(kind: str) -> None:
            with server.client(issuer.secret, timeout=2 * FAST) as own:
                while not stop_load.is_set():
                    if kind == "issue":
                        load.append((kind, _call(own, "POST", "/api/v1/documents", json=body())))
                    else:
                        load.append((kind, _call(own, "GET", f"/api/v1/verify/{token}")))
                    time.sleep(0.05)

        threads = [
            threading.Thread(target=keep_asking, args=(kind,), daemon=True)
            for kind in ("issue", "verify", "verify")
        ]
        for thread in threads:
            thread.start()
        wait_for(lambda: len(load) >= 6, "requests before the outage")

        cluster.stop("immediate")
        stopped_at = time.monotonic()
        time.sleep(1)
        _assert_database_down(_call(client, "GET", "/healthz"), "/healthz")
        _assert_database_down(_call(client, "POST", "/api/v1/documents", json=body()), "issue")
        # A verification answer confirmed within SATUPINTU_VERIFY_CACHE_SECONDS may still be given
        # (nothing can be revoked meanwhile); once that has passed, the token needs the database.
        time.sleep(max(0.0, stopped_at + settings.verify_cache_seconds + 0.5 - time.monotonic()))
        _assert_database_down(_call(client, "GET", f"/api/v1/verify/{token}"), "verify")
        time.sleep(1)

        restarting_at = time.monotonic()
        cluster.start()
        wait_for(
            lambda: _call(client, "GET", "/healthz").status == 200,
            "/healthz to recover",
            timeout=30,
        )
        after = client.post("/api/v1/documents", json=body())
        assert after.status_code == 201, after.text
        assert client.get(f"/api/v1/verify/{token}").json()["status"] == "valid"
        # The embedded batch worker came through the outage too.
        batch = client.post("/api/v1/documents/batch", json=batch_body(3))
        assert batch.status_code == 202, batch.text
        wait_for(
            lambda: client.get(f"/api/v1/jobs/{batch.json()['id']}").json()["status"] == "done",
            "a batch after the outage",
            timeout=60,
        )
        stop_load.set()
        for thread in threads:
            thread.join(timeout=3 * FAST)

        # An issuance cut off between its two transactions leaves its number pending (the
        # void could not be written either). Once as old as an abandoned request (STALE_PENDING)
        # it is finished at the next start, or by the running service's sweep within a minute
        # (test_abandoned_numbers.py); the test stands that much later and restarts at once.
        _age_pending(cluster.url)
        server.stop()
        server.start()
        wait_for(lambda: not _pending(cluster.url), "the pending number to be finished")
    finally:
        stop_load.set()
        stack.close()
        server.stop()

    # Asked and answered while the database was surely down (it may accept connections before
    # pg_ctl start returns), and for verification also after the last answer confirmed before
    # the outage had expired.
    def surely_down_from(kind: str) -> float:
        kept = settings.verify_cache_seconds if kind == "verify" else 0.0
        return stopped_at + kept + 0.5

    during = [
        (kind, a)
        for kind, a in load
        if surely_down_from(kind) < a.started and a.started + a.seconds < restarting_at
    ]
    assert during, "no request was made while the database was down"
    for kind, answer in load:
        assert answer.status in (200, 201, 503), (kind, answer)
        assert answer.seconds < FAST, (kind, answer)
    for kind, answer in during:
        _assert_database_down(answer, kind)
    db = Database.from_url(cluster.url)
    try:
        with db.reading() as session:
            assert_everything_accounted_for(session, build_store(settings, db))
    finally:
        db.dispose()


def _pending(url: str) -> int:
    db = Database.from_url(url)
    try:
        with db.reading() as session:
            return session.execute(
                select(func.count()).select_from(Document).where(Document.status == "pending")
            ).scalar_one()
    finally:
        db.dispose()


def _age_pending(url: str) -> None:
    db = Database.from_url(url)
    try:
        with db.writing() as session:
            session.execute(
                update(Document)
                .where(Document.status == "pending")
                .values(issued_at=Document.issued_at - STALE_PENDING - timedelta(minutes=1))
            )
    finally:
        db.dispose()
