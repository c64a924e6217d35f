"""Background jobs: the in-process queue (SQLite) and Procrastinate on PostgreSQL.

The PostgreSQL tests use their own throw-away database on the server of the other database tests
(SATUPINTU_TEST_DATABASE_URL, default the local server) and, like them, fail loudly when it cannot
be reached; SATUPINTU_TEST_BACKENDS=sqlite skips them on purpose.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, LiteralString

import procrastinate
import psycopg
import pytest
from psycopg import sql

from registry.adapters.jobs import (
    FINALIZE_BATCH,
    MAX_ATTEMPTS,
    RENDER_CHUNK,
    InProcessQueue,
    JobHandlers,
    ProcrastinateQueue,
    ensure_queue_schema,
    psycopg_conninfo,
    retry_delay,
    run_worker,
)
from registry.domain.errors import ConfigurationError, InvalidInput
from registry.settings import Settings

REPO = Path(__file__).resolve().parents[2]
BACKENDS = os.environ.get("SATUPINTU_TEST_BACKENDS", "sqlite,postgresql")
SERVER_URL = Settings.from_env(
    {
        "SATUPINTU_DATABASE_URL": os.environ.get(
            "SATUPINTU_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    }
).database_url
# Fast heartbeats so that a dead worker is noticed within seconds, not the production minute.
FAST: dict[str, Any] = {"heartbeat_interval": 0.5, "stalled_after": 2.0, "poll_interval": 0.5}

postgres = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="SATUPINTU_TEST_BACKENDS excludes postgresql"
)


class Calls:
    """Handler calls, recorded from any thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[tuple[Any, ...]] = []

    def add(self, *item: Any) -> None:
        with self.lock:
            self.items.append(item)

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [item[1:] for item in self.items if item[0] == kind]


def recording_handlers(calls: Calls, render: Callable[[], None] = lambda: None) -> JobHandlers:
    def render_chunk(batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None:
        render()
        calls.add("chunk", batch_id, tuple(document_ids))

    return JobHandlers(
        render_chunk=render_chunk, finalize_batch=lambda batch: calls.add("finalize", batch)
    )


# --- in process (SQLite) -------------------------------------------------------------------------


def test_in_process_queue_runs_every_chunk_and_the_finalize() -> None:
    calls = Calls()
    queue = InProcessQueue(recording_handlers(calls), workers=3)
    batch = uuid.uuid4()
    chunks = [tuple(uuid.uuid4() for _ in range(3)) for _ in range(10)]
    for chunk in chunks:
        queue.enqueue_chunk(batch, list(chunk))
    assert queue.wait_idle(timeout=5)
    queue.enqueue_finalize(batch)
    assert queue.wait_idle(timeout=5)
    queue.close()
    assert sorted(calls.of("chunk")) == sorted((batch, chunk) for chunk in chunks)
    assert calls.of("finalize") == [(batch,)]
    assert calls.items[-1] == ("finalize", batch)


def test_in_process_finalize_waits_in_the_queue_at_most_once_per_batch() -> None:
    calls, gate = Calls(), threading.Event()

    def hold() -> None:
        gate.wait(5)

    queue = InProcessQueue(recording_handlers(calls, render=hold), workers=1)
    batch, other = uuid.uuid4(), uuid.uuid4()
    queue.enqueue_chunk(batch, [uuid.uuid4()])  # holds the only worker
    for _ in range(3):
        queue.enqueue_finalize(batch)
    queue.enqueue_finalize(other)
    gate.set()
    assert queue.wait_idle(timeout=5)
    assert calls.of("finalize") == [(batch,), (other,)]
    queue.enqueue_finalize(batch)  # the earlier one has run: a new one is accepted
    assert queue.wait_idle(timeout=5)
    queue.close()
    assert calls.of("finalize") == [(batch,), (other,), (batch,)]


def test_in_process_retries_a_failing_chunk_with_backoff_and_logs_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    attempts: list[float] = []

    def flaky() -> None:
        attempts.append(time.monotonic())
        if len(attempts) < 3:
            raise RuntimeError("LibreOffice tidak menjawab")

    calls = Calls()
    queue = InProcessQueue(recording_handlers(calls, render=flaky), workers=2, retry_base_delay=0.1)
    with caplog.at_level(logging.ERROR, logger="registry.adapters.jobs.in_process"):
        queue.enqueue_chunk(uuid.uuid4(), [uuid.uuid4()])
        assert queue.wait_idle(timeout=5)
    queue.close()
    assert len(attempts) == 3 and len(calls.of("chunk")) == 1
    # Each retry waits at least its delay, and the delays double (lower bounds only: a busy
    # machine may run a retry later, never earlier).
    assert [retry_delay(runs, 0.1) for runs in (1, 2)] == [0.1, 0.2]
    assert attempts[1] - attempts[0] >= 0.1
    assert attempts[2] - attempts[1] >= 0.2
    messages = [record.getMessage() for record in caplog.records]
    assert [m.split(" (")[1] for m in messages] == [
        f"attempt 1 of {MAX_ATTEMPTS}); will retry",
        f"attempt 2 of {MAX_ATTEMPTS}); will retry",
    ]
    assert all(record.exc_info for record in caplog.records)


@pytest.mark.parametrize(
    ("error", "runs"),
    [(InvalidInput("Templat tidak valid"), 1), (OSError("disk penuh"), MAX_ATTEMPTS)],
)
def test_in_process_gives_up_on_refusals_at_once_and_on_other_errors_after_max_attempts(
    error: Exception, runs: int
) -> None:
    attempts: list[int] = []

    def failing(batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None:
        attempts.append(1)
        raise error

    queue = InProcessQueue(
        JobHandlers(render_chunk=failing, finalize_batch=lambda batch: None),
        workers=1,
        retry_base_delay=0.001,
    )
    queue.enqueue_chunk(uuid.uuid4(), [uuid.uuid4()])
    assert queue.wait_idle(timeout=5)
    queue.close()
    assert len(attempts) == runs
    queue.enqueue_chunk(uuid.uuid4(), [])  # after close: dropped, not run
    assert len(attempts) == runs


# --- PostgreSQL ----------------------------------------------------------------------------------


def _admin() -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(psycopg_conninfo(SERVER_URL), autocommit=True)
    except psycopg.OperationalError as exc:  # pragma: no cover - environment problem, loudly
        raise RuntimeError(
            f"PostgreSQL is needed for the job-queue tests (SATUPINTU_TEST_DATABASE_URL, or "
            f"SATUPINTU_TEST_BACKENDS=sqlite to run only the embedded backend): {exc}"
        ) from exc


def _create_database() -> str:
    name = f"satupintu_jobs_{uuid.uuid4().hex[:10]}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return SERVER_URL.rsplit("/", 1)[0] + "/" + name


def _drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _admin() as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _query(url: str, query: LiteralString | sql.Composed, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(psycopg_conninfo(url), autocommit=True) as connection:
        cursor = connection.execute(query, params or None)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def queue_database() -> Iterator[str]:
    url = _create_database()
    ensure_queue_schema(url)
    _query(url, "CREATE TABLE job_runs (task text, batch_id text, document_id text, worker text)")
    yield url
    _drop_database(url)


@pytest.fixture
def queue_url(queue_database: str) -> str:
    _query(
        queue_database,
        "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_workers, "
        "procrastinate_periodic_defers, job_runs RESTART IDENTITY CASCADE",
    )
    return queue_database


def db_recording_handlers(url: str, worker: str, delay: float = 0.0) -> JobHandlers:
    """Handlers that record each run in ``job_runs``, so runs in other processes count too."""

    def record(task: str, batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None:
        time.sleep(delay)
        items: list[uuid.UUID | None] = [*document_ids] or [None]
        for document_id in items:
            values = (task, str(batch_id), document_id and str(document_id), worker)
            _query(url, "INSERT INTO job_runs VALUES (%s, %s, %s, %s)", *values)

    return JobHandlers(
        render_chunk=lambda batch, ids: record("chunk", batch, ids),
        finalize_batch=lambda batch: record("finalize", batch, []),
    )


def _in_thread(target: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@postgres
@pytest.mark.postgres_only
def test_ensure_queue_schema_is_idempotent_when_processes_race() -> None:
    url = _create_database()
    try:
        barrier, errors = threading.Barrier(4), []

        def start_together() -> None:
            barrier.wait()
            ensure_queue_schema(url)

        threads = [_in_thread(start_together) for _ in range(4)]
        for thread, thread_errors in threads:
            thread.join(timeout=30)
            errors.extend(thread_errors)
        assert errors == []
        ensure_queue_schema(url)
        [(comment, functions)] = _query(
            url,
            "SELECT obj_description('procrastinate_jobs'::regclass, 'pg_class'), "
            "(SELECT count(*) FROM pg_proc WHERE proname = 'procrastinate_fetch_job_v2')",
        )
        assert comment == f"procrastinate {procrastinate.__version__}"
        assert functions == 1
    finally:
        _drop_database(url)


@postgres
@pytest.mark.postgres_only
def test_schema_older_than_the_package_is_refused_with_its_migrations(queue_url: str) -> None:
    current = f"procrastinate {procrastinate.__version__}"
    _query(queue_url, "COMMENT ON TABLE procrastinate_jobs IS 'procrastinate 3.3.0'")
    try:
        with pytest.raises(ConfigurationError) as excinfo:
            ensure_queue_schema(queue_url)
        assert "03.04.00_01_pre_add_retry_failed_job_procedure.sql" in excinfo.value.message
        assert "03.03.00" not in excinfo.value.message
    finally:
        _query(
            queue_url,
            sql.SQL("COMMENT ON TABLE procrastinate_jobs IS {}").format(sql.Literal(current)),
        )


@postgres
@pytest.mark.postgres_only
def test_two_workers_share_twenty_chunks_and_run_each_exactly_once(queue_url: str) -> None:
    batch = uuid.uuid4()
    chunks = [[uuid.uuid4(), uuid.uuid4()] for _ in range(20)]
    queue = ProcrastinateQueue(queue_url)
    for chunk in chunks:
        queue.enqueue_chunk(batch, chunk)
    queue.close()

    workers = [
        _in_thread(
            partial(
                run_worker,
                queue_url,
                db_recording_handlers(queue_url, name, delay=0.1),
                concurrency=2,
                wait=False,
                name=name,
            )
        )
        for name in ("w1", "w2")
    ]
    for thread, errors in workers:
        thread.join(timeout=30)
        assert not thread.is_alive() and errors == []

    runs = _query(queue_url, "SELECT batch_id, document_id, worker FROM job_runs")
    assert sorted(document for _, document, _ in runs) == sorted(str(d) for c in chunks for d in c)
    assert {batch_id for batch_id, _, _ in runs} == {str(batch)}
    assert {worker for _, _, worker in runs} == {"w1", "w2"}
    assert _query(
        queue_url, "SELECT task_name, status::text, attempts FROM procrastinate_jobs"
    ) == ([(RENDER_CHUNK, "succeeded", 1)] * 20)


@postgres
@pytest.mark.postgres_only
def test_finalize_waits_in_the_queue_at_most_once_per_batch(queue_url: str) -> None:
    batch, other = uuid.uuid4(), uuid.uuid4()
    queue = ProcrastinateQueue(queue_url)
    for _ in range(3):
        queue.enqueue_finalize(batch)
    queue.enqueue_finalize(other)
    queued = _query(
        queue_url,
        "SELECT args->>'batch_id' FROM procrastinate_jobs WHERE task_name = %s",
        FINALIZE_BATCH,
    )
    assert sorted(queued) == sorted([(str(batch),), (str(other),)])

    run_worker(queue_url, db_recording_handlers(queue_url, "w"), concurrency=2, wait=False)
    queue.enqueue_finalize(batch)  # the first one ran: a new one is accepted
    queue.close()
    runs = _query(queue_url, "SELECT task, batch_id FROM job_runs")
    assert sorted(runs) == sorted([("finalize", str(batch)), ("finalize", str(other))])
    assert _query(queue_url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'") == [
        (1,)
    ]


VICTIM = textwrap.dedent(
    """
    import sys, time
    from registry.adapters.jobs import JobHandlers, run_worker
    from tests.integration.test_jobs import FAST, db_recording_handlers

    url = sys.argv[1]
    started = db_recording_handlers(url, "victim")

    def hang(batch_id, document_ids):
        started.render_chunk(batch_id, document_ids)
        time.sleep(120)

    run_worker(url, JobHandlers(hang, started.finalize_batch), concurrency=1, **FAST)
    """
)


@postgres
@pytest.mark.postgres_only
def test_a_job_whose_worker_is_killed_9_is_run_again_by_another_worker(queue_url: str) -> None:
    batch, document = uuid.uuid4(), uuid.uuid4()
    queue = ProcrastinateQueue(queue_url)
    queue.enqueue_chunk(batch, [document])
    queue.close()

    def runs_by(worker: str) -> int:
        return len(_query(queue_url, "SELECT 1 FROM job_runs WHERE worker = %s", worker))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen([sys.executable, "-c", VICTIM, queue_url], env=env, cwd=REPO) as victim:
        try:
            _wait_for(lambda: runs_by("victim") == 1 or victim.poll() is not None, 20, "victim")
            assert victim.poll() is None, "the victim worker died before it was killed"
            victim.send_signal(signal.SIGKILL)
            assert victim.wait(timeout=10) == -signal.SIGKILL
        finally:
            victim.kill()
    assert _query(queue_url, "SELECT status::text FROM procrastinate_jobs") == [("doing",)]

    stop = threading.Event()
    survivor, errors = _in_thread(
        lambda: run_worker(
            queue_url,
            db_recording_handlers(queue_url, "survivor"),
            concurrency=1,
            stop_event=stop,
            **FAST,
        )
    )
    try:
        _wait_for(lambda: runs_by("survivor") == 1, 15, "the survivor to run the stalled job")
    finally:
        stop.set()
        survivor.join(timeout=15)
    assert not survivor.is_alive() and errors == []
    assert _query(queue_url, "SELECT document_id, worker FROM job_runs ORDER BY worker") == [
        (str(document), "survivor"),
        (str(document), "victim"),
    ]
    assert _query(queue_url, "SELECT status::text FROM procrastinate_jobs") == [("succeeded",)]
    events = _query(queue_url, "SELECT type::text FROM procrastinate_events ORDER BY id")
    # retry_job sets scheduled_at (now), which Procrastinate records as a 'scheduled' event.
    assert [event for (event,) in events] == [
        "deferred",
        "started",
        "scheduled",
        "deferred_for_retry",
        "started",
        "succeeded",
    ]
