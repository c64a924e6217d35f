"""Jobs on a thread pool inside the service, for the embedded SQLite default.

Jobs live in memory only, so after a restart the service must enqueue again the chunks of batches
that still have pending documents. Retries follow the policy of :mod:`.interface`, like the
Procrastinate queue's, and a finalize is queued and run at most once at a time per batch.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

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

logger = logging.getLogger(__name__)


class InProcessQueue:
    """Jobs on a thread pool inside the service (SQLite): same handlers, same retry policy."""

    def __init__(
        self, handlers: JobHandlers, workers: int, *, retry_base_delay: float = RETRY_BASE_DELAY
    ) -> None:
        self._handlers = handlers
        self._retry_base_delay = retry_base_delay
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="satupintu-job")
        self._state = threading.Condition()
        self._outstanding = 0  # submitted or waiting for a retry, not yet finished
        self._finalize_queued: set[uuid.UUID] = set()
        self._finalize_locks: dict[uuid.UUID, tuple[threading.Lock, int]] = {}
        self._timers: set[threading.Timer] = set()
        self._closed = False

    def enqueue_chunk(self, batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None:
        ids = list(document_ids)
        self._submit(
            lambda: self._handlers.render_chunk(batch_id, ids),
            f"chunk {batch_id}",
            1,
            self._give_up_of(RENDER_CHUNK, batch_id),
        )

    def enqueue_finalize(self, batch_id: uuid.UUID) -> None:
        with self._state:
            if batch_id in self._finalize_queued:
                return
            self._finalize_queued.add(batch_id)
        self._submit(
            lambda: self._finalize(batch_id),
            f"finalize {batch_id}",
            1,
            self._give_up_of(FINALIZE_BATCH, batch_id),
        )

    def enqueue_mail(self, message: dict[str, Any]) -> None:
        handlers = self._handlers
        mail_gave_up = handlers.mail_gave_up

        def send() -> None:
            if handlers.send_mail is None:
                raise RuntimeError("this queue has no mail handler")
            handlers.send_mail(message)

        self._submit(
            send,
            SEND_MAIL,
            1,
            None if mail_gave_up is None else (lambda error: mail_gave_up(message, error)),
        )

    def _give_up_of(self, task: str, batch_id: uuid.UUID) -> Callable[[BaseException], None] | None:
        handler = self._handlers.gave_up
        if handler is None:
            return None
        return lambda error: handler(batch_id, task, error)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job is queued, running or waiting for a retry; False on timeout."""
        with self._state:
            return self._state.wait_for(lambda: self._outstanding == 0, timeout=timeout)

    def close(self) -> None:
        """Stop: running jobs finish; queued and later ones are dropped (documents stay pending)."""
        with self._state:
            self._closed = True
            timers, self._timers = self._timers, set()
        for timer in timers:
            timer.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _finalize(self, batch_id: uuid.UUID) -> None:
        # Like Procrastinate's queueing lock: once a finalize starts, a new one may be queued; like
        # its job lock, two finalizes of one batch never run at the same time.
        with self._state:
            self._finalize_queued.discard(batch_id)
            lock, users = self._finalize_locks.get(batch_id, (threading.Lock(), 0))
            self._finalize_locks[batch_id] = (lock, users + 1)
        try:
            with lock:
                self._handlers.finalize_batch(batch_id)
        finally:
            with self._state:
                lock, users = self._finalize_locks[batch_id]
                if users == 1:
                    del self._finalize_locks[batch_id]
                else:
                    self._finalize_locks[batch_id] = (lock, users - 1)

    def _submit(
        self,
        job: Callable[[], None],
        label: str,
        attempt: int,
        gave_up: Callable[[BaseException], None] | None = None,
    ) -> None:
        with self._state:
            if self._closed:
                # E.g. a chunk finishing during shutdown asks for the finalize: its documents are
                # pending or rendered in the database, and resuming at the next start redoes it.
                logger.warning("Job %s not queued: the queue is closing", label)
                return
            self._outstanding += 1
            # Under the lock: close() marks the queue closed before it shuts the executor down.
            self._executor.submit(self._run, job, label, attempt, gave_up)

    def _run(
        self,
        job: Callable[[], None],
        label: str,
        attempt: int,
        gave_up: Callable[[BaseException], None] | None = None,
    ) -> None:
        retrying = False
        try:
            job()
        except Exception as exc:
            retrying = not is_last_attempt(exc, attempt - 1)
            logger.exception(
                "Job %s failed (attempt %d of %d)%s",
                label,
                attempt,
                MAX_ATTEMPTS,
                "; will retry" if retrying else "",
            )
            if retrying:
                retrying = self._schedule_retry(job, label, attempt + 1, gave_up)
            elif gave_up is not None:
                report_give_up(gave_up, label, exc)
        finally:
            if not retrying:
                with self._state:
                    self._outstanding -= 1
                    self._state.notify_all()

    def _schedule_retry(
        self,
        job: Callable[[], None],
        label: str,
        attempt: int,
        gave_up: Callable[[BaseException], None] | None,
    ) -> bool:
        delay = retry_delay(attempt - 1, self._retry_base_delay)

        def fire() -> None:
            with self._state:
                self._timers.discard(timer)
                if not self._closed:
                    self._executor.submit(self._run, job, label, attempt, gave_up)

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        with self._state:
            if self._closed:
                return False
            self._timers.add(timer)
        timer.start()
        return True
