"""Background jobs of batch issuance: what every queue offers and the retry policy they share.

A batch is first written as N ``pending`` documents with consecutive numbers; the files are made
in jobs. ``render_chunk(batch_id, document_ids)`` renders one chunk and must be idempotent (a
document already rendered is skipped), because every queue may run a job again after a failure or
a crash. ``finalize_batch(batch_id)`` builds the merged PDF and the ZIP once every chunk is done;
it too must be idempotent. Whoever notices the last chunk finishing calls ``enqueue_finalize``.

``send_mail(message)`` sends one notification (a JSON-able dict, see
``registry.domain.notifications.Mail``) with the same retry policy; ``mail_gave_up`` is told of
its last failure, so that failure can be recorded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from registry.domain.errors import ConfigurationError, RegistryError

logger = logging.getLogger(__name__)

RENDER_CHUNK = "satupintu.render_chunk"
FINALIZE_BATCH = "satupintu.finalize_batch"
SEND_MAIL = "satupintu.send_mail"
#: Runs of one job, counting retries after errors and after crashes.
MAX_ATTEMPTS = 5
#: First retry delay in seconds; doubles with each attempt (2, 4, 8, 16).
RETRY_BASE_DELAY = 2


def is_permanent(error: BaseException) -> bool:
    """A refusal by the domain rules gives the same answer on every run: retrying only delays."""
    return isinstance(error, RegistryError) and not isinstance(error, ConfigurationError)


def retry_delay(failed_runs: int, base: float = RETRY_BASE_DELAY) -> float:
    """Seconds to wait after ``failed_runs`` failed runs of a job: ``base``, then doubling."""
    return float(base * 2 ** (failed_runs - 1))


def is_last_attempt(error: BaseException, earlier_attempts: int) -> bool:
    """No retry follows this failure (both queues decide by this rule)."""
    return is_permanent(error) or earlier_attempts + 1 >= MAX_ATTEMPTS


#: Told that a job of a batch failed for the last time: (batch id, task name, the error).
GiveUpHandler = Callable[[uuid.UUID, str, BaseException], None]


@dataclass(frozen=True)
class JobHandlers:
    render_chunk: Callable[[uuid.UUID, list[uuid.UUID]], None]
    finalize_batch: Callable[[uuid.UUID], None]
    #: Called once a job has failed for the last time, so its batch can end ``failed`` with the
    #: reason instead of staying unfinished for ever. Not called for a job that a crash leaves
    #: behind on its last attempt (the stalled-job sweep fails it without running any code).
    gave_up: GiveUpHandler | None = None
    #: Sends one queued notification; None in a process that sends no mail (it fails the job).
    send_mail: Callable[[dict[str, Any]], None] | None = None
    #: Told that a notification failed for the last time: (the message, the error).
    mail_gave_up: Callable[[dict[str, Any], BaseException], None] | None = None


def report_give_up(
    gave_up: Callable[[BaseException], None], label: str, error: BaseException
) -> None:
    """Tell ``gave_up`` about a job's last failure; a failure to record it is only logged."""
    try:
        gave_up(error)
    except Exception:
        logger.exception("Recording the last failure of job %s failed", label)


class JobQueue(Protocol):
    def enqueue_chunk(self, batch_id: uuid.UUID, document_ids: list[uuid.UUID]) -> None: ...

    def enqueue_finalize(self, batch_id: uuid.UUID) -> None:
        """Idempotent: at most one finalize job per batch waits in the queue."""

    def enqueue_mail(self, message: dict[str, Any]) -> None: ...

    def close(self) -> None: ...
