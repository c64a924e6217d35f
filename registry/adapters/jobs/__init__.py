"""Background jobs of batch issuance, behind one interface (:class:`JobQueue`).

``interface`` holds what both queues share (handlers, retry policy), ``in_process`` the thread-pool
queue of the embedded SQLite default, ``procrastinate_queue`` the PostgreSQL queue and its workers.
"""

from registry.adapters.jobs.in_process import InProcessQueue
from registry.adapters.jobs.interface import (
    FINALIZE_BATCH,
    MAX_ATTEMPTS,
    RENDER_CHUNK,
    RETRY_BASE_DELAY,
    SEND_MAIL,
    JobHandlers,
    JobQueue,
    is_last_attempt,
    is_permanent,
    retry_delay,
)
from registry.adapters.jobs.procrastinate_queue import (
    QUEUE,
    ProcrastinateQueue,
    ensure_queue_schema,
    psycopg_conninfo,
    run_worker,
)

__all__ = [
    "FINALIZE_BATCH",
    "MAX_ATTEMPTS",
    "QUEUE",
    "RENDER_CHUNK",
    "RETRY_BASE_DELAY",
    "SEND_MAIL",
    "InProcessQueue",
    "JobHandlers",
    "JobQueue",
    "ProcrastinateQueue",
    "ensure_queue_schema",
    "is_last_attempt",
    "is_permanent",
    "psycopg_conninfo",
    "retry_delay",
    "run_worker",
]
