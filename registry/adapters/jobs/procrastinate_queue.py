"""Jobs as rows of Procrastinate's tables on PostgreSQL, run by ``run_worker`` processes.

Any number of workers on any number of machines share the queue; the API process only defers.

Crash recovery: each Procrastinate worker records a heartbeat every ``heartbeat_interval``
seconds. A worker killed mid-job (SIGKILL, OOM, power loss) leaves its job in ``doing``; every
``run_worker`` looks, at start and then every ``stalled_after / 2`` seconds, for jobs of workers
whose heartbeat is older than ``stalled_after`` and puts them back in the queue
(``JobManager.get_stalled_jobs`` + ``retry_job``), under a PostgreSQL advisory lock so that two
workers never requeue the same job. A job that has used :data:`MAX_ATTEMPTS` is failed instead, so
a document that kills its worker every time cannot loop forever. This sweep runs beside the worker,
not as a periodic job, so it still runs when every worker slot is busy rendering.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
from procrastinate import exceptions as queue_errors
from procrastinate.job_context import JobContext
from procrastinate.jobs import Job, Status
from procrastinate.schema import SchemaManager
from psycopg import sql

from registry.adapters.jobs.interface import (
    FINALIZE_BATCH,
    MAX_ATTEMPTS,
    RENDER_CHUNK,
    RETRY_BASE_DELAY,
    SEND_MAIL,
    JobHandlers,
    is_last_attempt,
    report_give_up,
    retry_delay,
)
from registry.domain.errors import ConfigurationError

logger = logging.getLogger(__name__)

QUEUE = "satupintu"
# pg advisory lock keys (any fixed bigint): schema creation, and the stalled-job sweep.
_SCHEMA_LOCK = 0x5341_5455_5049_0001
_SWEEP_LOCK = 0x5341_5455_5049_0002
_SCHEMA_MARKER = "procrastinate "


def psycopg_conninfo(database_url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://u:p@h/db``) as libpq reads it (``postgresql://...``).

    Both percent-encode credentials and carry options as query parameters: only the scheme changes.
    """
    match = re.match(r"\A(postgres|postgresql)(\+[a-z0-9_]+)?://", database_url)
    if match is None:
        raise ConfigurationError("Antrean pekerjaan Procrastinate memerlukan basis data PostgreSQL")
    return "postgresql://" + database_url[match.end() :]


class _RetryTransient(procrastinate.BaseRetryStrategy):
    def __init__(self, base_delay: float = RETRY_BASE_DELAY) -> None:
        self.base_delay = base_delay

    def get_retry_decision(
        self, *, exception: BaseException, job: Job
    ) -> procrastinate.RetryDecision | None:
        # job.attempts counts earlier runs: 0 on the first one.
        if is_last_attempt(exception, job.attempts):
            return None
        return procrastinate.RetryDecision(
            retry_in={"seconds": round(retry_delay(job.attempts + 1, self.base_delay))}
        )


def _build_app(
    connector: procrastinate.BaseConnector,
    handlers: JobHandlers | None,
    retry_base_delay: float = RETRY_BASE_DELAY,
) -> procrastinate.App:
    """An App with the tasks registered by name; their bodies call this process's handlers."""
    app = procrastinate.App(connector=connector)

    def installed() -> JobHandlers:
        if handlers is None:
            raise ConfigurationError("Proses ini hanya mengantrekan pekerjaan; jalankan worker")
        return handlers

    # Sync task functions: Procrastinate runs them in a thread, off the worker's event loop.
    @contextlib.contextmanager
    def reporting_last_failure(
        context: JobContext, task: str, batch_id: uuid.UUID
    ) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            gave_up = installed().gave_up
            if gave_up is not None and is_last_attempt(exc, context.job.attempts):
                report_give_up(lambda error: gave_up(batch_id, task, error), task, exc)
            raise

    @app.task(
        name=RENDER_CHUNK, queue=QUEUE, retry=_RetryTransient(retry_base_delay), pass_context=True
    )
    def render_chunk(context: JobContext, batch_id: str, document_ids: list[str]) -> None:
        batch = uuid.UUID(batch_id)
        with reporting_last_failure(context, RENDER_CHUNK, batch):
            installed().render_chunk(batch, [uuid.UUID(item) for item in document_ids])

    @app.task(
        name=FINALIZE_BATCH, queue=QUEUE, retry=_RetryTransient(retry_base_delay), pass_context=True
    )
    def finalize_batch(context: JobContext, batch_id: str) -> None:
        batch = uuid.UUID(batch_id)
        with reporting_last_failure(context, FINALIZE_BATCH, batch):
            installed().finalize_batch(batch)

    @app.task(
        name=SEND_MAIL, queue=QUEUE, retry=_RetryTransient(retry_base_delay), pass_context=True
    )
    def send_mail(context: JobContext, message: dict[str, Any]) -> None:
        mine = installed()
        try:
            if mine.send_mail is None:
                raise ConfigurationError("Proses ini tidak mengirim surel")
            mine.send_mail(message)
        except Exception as exc:
            mail_gave_up = mine.mail_gave_up
            if mail_gave_up is not None and is_last_attempt(exc, context.job.attempts):
                report_give_up(lambda error: mail_gave_up(message, error), SEND_MAIL, exc)
            raise

    return app


class ProcrastinateQueue:
    """Defers jobs into Procrastinate's tables on PostgreSQL; ``run_worker`` processes run them.

    Both create the tables when they are missing (:func:`ensure_queue_schema`), so no start order
    between the API and the workers matters.
    """

    def __init__(self, database_url: str) -> None:
        ensure_queue_schema(database_url)
        connector = procrastinate.SyncPsycopgConnector(
            conninfo=psycopg_conninfo(database_url), min_size=1, max_size=4
        )
        self._app = _build_app(connector, handlers=None)
        try:
            self._app.open()
        except psycopg.Error as exc:  # PoolTimeout included
            raise ConfigurationError(f"Antrean pekerjaan tidak dapat dihubungi: {exc}") from exc

    def enqueue_chunk(self, batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None:
        self._defer(
            RENDER_CHUNK, {}, batch_id=str(batch_id), document_ids=list(map(str, document_ids))
        )

    def enqueue_finalize(self, batch_id: uuid.UUID) -> None:
        # queueing_lock: a second finalize is refused while one waits (Procrastinate's unique index
        # covers 'todo' jobs only); lock: two finalizes of one batch never run at the same time.
        key = f"finalize:{batch_id}"
        try:
            self._defer(FINALIZE_BATCH, {"queueing_lock": key, "lock": key}, batch_id=str(batch_id))
        except queue_errors.AlreadyEnqueued:
            logger.debug("Finalize of batch %s is already queued", batch_id)

    def enqueue_mail(self, message: dict[str, Any]) -> None:
        self._defer(SEND_MAIL, {}, message=message)

    def close(self) -> None:
        self._app.close()

    def _defer(self, task: str, options: dict[str, Any], **arguments: Any) -> None:
        try:
            self._app.configure_task(task, **options).defer(**arguments)
        except queue_errors.ConnectorException as exc:
            raise ConfigurationError(f"Antrean pekerjaan tidak dapat dihubungi: {exc}") from exc


def ensure_queue_schema(database_url: str) -> None:
    """Create Procrastinate's tables if they are missing; refuse a schema older than the package.

    Safe when several processes start at once: the check and the creation run in one transaction
    under an advisory lock. Procrastinate keeps no schema version in the database, so the version
    that created it is written as a comment on ``procrastinate_jobs``; after an upgrade of the
    package the migrations it ships must be applied (ConfigurationError lists them).
    """
    package = _version(procrastinate.__version__)
    try:
        connection = psycopg.connect(psycopg_conninfo(database_url))
    except psycopg.OperationalError as exc:
        raise ConfigurationError(f"Antrean pekerjaan tidak dapat dihubungi: {exc}") from exc
    with connection:
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        exists, comment = connection.execute(
            "SELECT to_regclass('procrastinate_jobs') IS NOT NULL, "
            "obj_description(to_regclass('procrastinate_jobs'), 'pg_class')"
        ).fetchone() or (False, None)
        if not exists:
            # No parameters: psycopg sends the script as it is, '%' included.
            connection.execute(SchemaManager.get_schema())
            connection.execute(
                sql.SQL("COMMENT ON TABLE procrastinate_jobs IS {}").format(
                    sql.Literal(_SCHEMA_MARKER + procrastinate.__version__)
                )
            )
            logger.info(
                "Created the job queue schema (procrastinate %s)", procrastinate.__version__
            )
            return
    if comment and comment.startswith(_SCHEMA_MARKER):
        applied = _version(comment.removeprefix(_SCHEMA_MARKER))
        pending = _pending_migrations(applied, package)
        if pending:
            raise ConfigurationError(
                f"Skema antrean dibuat oleh procrastinate {'.'.join(map(str, applied))}, paket "
                f"terpasang {procrastinate.__version__}: terapkan migrasi berikut berurutan "
                f"({SchemaManager.get_migrations_path()}): {', '.join(pending)}; lalu perbarui "
                "komentar tabel procrastinate_jobs"
            )


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _pending_migrations(applied: tuple[int, ...], package: tuple[int, ...]) -> list[str]:
    names = sorted(path.name for path in Path(SchemaManager.get_migrations_path()).glob("*.sql"))
    return [name for name in names if applied < _version(name.split("_", 1)[0]) <= package]


def run_worker(
    database_url: str,
    handlers: JobHandlers,
    *,
    concurrency: int,
    wait: bool = True,
    stop_event: threading.Event | None = None,
    name: str | None = None,
    heartbeat_interval: float = 10.0,
    stalled_after: float = 60.0,
    poll_interval: float = 5.0,
    retry_base_delay: float = RETRY_BASE_DELAY,
) -> None:
    """Run jobs until stopped (SIGTERM/SIGINT in the main thread, or ``stop_event``).

    ``wait=False`` returns once the queue is empty. Running jobs finish before it returns.
    ``stalled_after`` must leave room for a few missed heartbeats: a worker whose heartbeat is that
    old is taken for dead and its jobs are run again elsewhere.
    """
    if stalled_after < 3 * heartbeat_interval:
        raise ConfigurationError("stalled_after harus minimal 3 x heartbeat_interval")
    ensure_queue_schema(database_url)
    connector = procrastinate.PsycopgConnector(
        conninfo=psycopg_conninfo(database_url), min_size=1, max_size=max(4, concurrency + 2)
    )
    app = _build_app(connector, handlers, retry_base_delay)
    options: dict[str, Any] = {
        "queues": [QUEUE],
        "name": name or "satupintu-worker",
        "concurrency": concurrency,
        "wait": wait,
        "fetch_job_polling_interval": poll_interval,
        "update_heartbeat_interval": heartbeat_interval,
        "stalled_worker_timeout": stalled_after,
        "install_signal_handlers": stop_event is None
        and threading.current_thread() is threading.main_thread(),
    }
    asyncio.run(_work(app, connector, options, stalled_after, stop_event))


async def _work(
    app: procrastinate.App,
    connector: procrastinate.PsycopgConnector,
    options: dict[str, Any],
    stalled_after: float,
    stop_event: threading.Event | None,
) -> None:
    async with app.open_async():
        await _requeue_stalled(app, connector, stalled_after)
        worker = asyncio.create_task(app.run_worker_async(**options))
        sides = [asyncio.create_task(_sweep(app, connector, stalled_after))]
        if stop_event is not None:
            sides.append(asyncio.create_task(_watch(stop_event)))
        await asyncio.wait([worker, *sides], return_when=asyncio.FIRST_COMPLETED)
        for side in sides:
            side.cancel()
        if not worker.done():
            worker.cancel()  # the worker stops fetching and lets running jobs finish
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        await asyncio.gather(*sides, return_exceptions=True)


async def _watch(stop_event: threading.Event) -> None:
    # Polled: a thread blocked in Event.wait() could not be cancelled when the worker ends first.
    while not stop_event.is_set():
        await asyncio.sleep(0.1)


async def _sweep(
    app: procrastinate.App, connector: procrastinate.PsycopgConnector, stalled_after: float
) -> None:
    while True:
        await asyncio.sleep(stalled_after / 2)
        await _requeue_stalled(app, connector, stalled_after)


async def _requeue_stalled(
    app: procrastinate.App, connector: procrastinate.PsycopgConnector, stalled_after: float
) -> None:
    try:
        async with connector.pool.connection() as connection:
            cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (_SWEEP_LOCK,))
            row = await cursor.fetchone()
            if row is None or not row[0]:
                return  # another worker is sweeping right now
            try:
                stalled = await app.job_manager.get_stalled_jobs(
                    queue=QUEUE, seconds_since_heartbeat=stalled_after
                )
                for job in stalled:
                    await _requeue(app, job)
            finally:
                await connection.execute("SELECT pg_advisory_unlock(%s)", (_SWEEP_LOCK,))
    except Exception:
        logger.exception("Looking for stalled jobs failed; will try again")


async def _requeue(app: procrastinate.App, job: Job) -> None:
    try:
        if job.attempts + 1 >= MAX_ATTEMPTS:
            logger.error("Job %s stalled on its last attempt; marking it failed", job.call_string)
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
        else:
            logger.warning("Job %s stalled (its worker died); queueing it again", job.call_string)
            await app.job_manager.retry_job(job)
    except queue_errors.ConnectorException:
        # Finished or requeued in the meantime (e.g. its worker was only slow): nothing to do.
        logger.info("Stalled job %s changed state meanwhile", job.call_string)
