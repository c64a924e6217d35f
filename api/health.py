"""``GET /healthz``: cheap enough for a load balancer to poll, and honest when the database is down.

The database is asked at most once a second (``HealthCheck.every``), however many callers poll:
concurrent callers wait for the one check in flight and share its answer, and the others read the
answer kept from the last second. A database that does not answer within ``timeout`` seconds
counts as down: the answer is a 503 problem naming it (``failed: "database"``), never a hang.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from litestar import get
from litestar.concurrency import sync_to_thread
from litestar.datastructures import State
from sqlalchemy import text

from api.schemas import Health
from registry.adapters.db.engine import Database
from registry.domain.errors import Unavailable
from registry.usecases.issuing import Registry

log = logging.getLogger("satupintu.health")


@dataclass(frozen=True)
class _Probe:
    at: float
    failure: str | None  # None: the database answered


class HealthCheck:
    """The database probe of one process, kept for ``every`` seconds."""

    def __init__(
        self,
        db: Database,
        *,
        every: float = 1.0,
        timeout: float = 3.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.every = every
        self.timeout = timeout
        self._monotonic = monotonic
        self._last: _Probe | None = None
        self._lock: asyncio.Lock | None = None
        self.probes = 0  # how many times the database was asked (tests read it)

    async def database_failure(self) -> str | None:
        """Why the database is unreachable, or None when it answered within the last second."""
        last = self._last
        if last is not None and self._monotonic() - last.at < self.every:
            return last.failure
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            last = self._last
            if last is not None and self._monotonic() - last.at < self.every:
                return last.failure
            failure = await self._probe()
            self._last = _Probe(self._monotonic(), failure)
            return failure

    async def _probe(self) -> str | None:
        self.probes += 1
        try:
            await asyncio.wait_for(sync_to_thread(self._select_one), self.timeout)
        except TimeoutError:
            return f"tidak menjawab dalam {self.timeout:g} detik"
        except Exception as exc:  # any driver error means the same to a load balancer
            log.warning("health: database unreachable: %s", exc)
            return type(exc).__name__
        return None

    def _select_one(self) -> None:
        with self.db.reading() as session:
            session.execute(text("SELECT 1"))


@get("/healthz", operation_id="health", tags=["health"])
async def health(state: State) -> Health:
    """Liveness and readiness: database reachable, a signing key loaded, PDF output or why not.

    503 with a problem body naming the failed part when the database does not answer."""
    checks: HealthCheck = state.health
    failure = await checks.database_failure()
    if failure is not None:
        raise Unavailable(
            f"Basis data tidak dapat dihubungi ({failure}); coba lagi sebentar lagi",
            failed="database",
            database="unavailable",
        )
    registry: Registry = state.registry
    production = registry.production
    return Health(
        status="ok",
        database="ok",
        signing_key=registry.keyring.active().kid,
        pdf="ok" if production.pdf_available else "unavailable",
        pdf_detail=production.pdf_unavailable_reason,
        warnings=list(state.deployment_warnings),
    )
