"""Requests per minute per client address on the public verification endpoints, shared by every
process without a database write per request.

Each process counts the requests it admits in memory and adds them to one row per client and
minute (``request_counters``) about once a second (:meth:`RateLimiter.flush`), reading back the
total every process has added. A request is refused when that total, plus what this process
admitted since, reaches the limit. Between two flushes the other processes' newest requests are
not seen yet, so between two flushes a process admits at most a tenth of the limit (at least 10)
for one client (``burst``; a client past it is told to retry in a second): with N processes the
overshoot is at most N bursts, 60 requests per process at the default 600. On SQLite the same table
serves the processes sharing the data dir.

Fixed windows of a minute: a client refused is told how many seconds remain (``Retry-After``).
The address is stored as a digest, never in the clear.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable

from registry.adapters.db import request_counters
from registry.adapters.db.engine import Database

log = logging.getLogger("satupintu.rate_limits")

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, db: Database, limit: int, *, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.limit = limit
        self.burst = min(limit, max(10, limit // 10))
        self._clock = clock
        self._lock = threading.Lock()
        self._window_start = 0
        self._pending: Counter[str] = Counter()  # admitted here, not yet added to the table
        self._in_flight: Counter[str] = Counter()  # being added by the flush under way
        self._known: dict[str, int] = {}  # totals of every process, as of the last flush

    def admit(self, client: str) -> int | None:
        """None to go ahead; when refused, the seconds until the window ends (>= 1)."""
        now = self._clock()
        window_start = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
        subject = _digest(client)
        with self._lock:
            if window_start != self._window_start:
                self._window_start = window_start
                self._pending.clear()
                self._in_flight.clear()
                self._known.clear()
            used = self._known.get(subject, 0) + self._in_flight[subject] + self._pending[subject]
            if used >= self.limit:
                return max(1, math.ceil(window_start + WINDOW_SECONDS - now))
            if self._pending[subject] >= self.burst:
                return 1  # until the next flush tells what the other processes admitted
            self._pending[subject] += 1
            return None

    def flush(self) -> None:
        """Add this process's counts to the shared ones and read back the totals."""
        with self._lock:
            window_start = self._window_start
            added, self._pending = self._pending, Counter()
            self._in_flight = added
            watched = [subject for subject in self._known if subject not in added]
        try:
            with self.db.writing() as session:
                totals = request_counters.add_counts(session, window_start, added) if added else {}
                if watched:
                    totals |= request_counters.read_counts(session, window_start, watched)
                request_counters.sweep(session, before=window_start - WINDOW_SECONDS)
        except Exception:
            with self._lock:  # counted again at the next flush, not lost
                if self._window_start == window_start:
                    self._pending.update(added)
                self._in_flight = Counter()
            raise
        with self._lock:
            if self._window_start == window_start:
                self._known.update(totals)
            self._in_flight = Counter()


def flush_until(limiter: RateLimiter, stop: threading.Event, every: float = 1.0) -> None:
    """Flush about once a second until ``stop`` is set (a thread of the service)."""
    while not stop.wait(every):
        try:
            limiter.flush()
        except Exception:
            log.warning("adding request counts to the shared counters failed", exc_info=True)


def _digest(client: str) -> str:
    return hashlib.sha256(client.encode("utf-8", "surrogateescape")).hexdigest()
