"""The Litestar application factory."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide

from api.console.rendering import template_config
from api.console.routing import console_routes
from api.controllers.documents import DocumentController
from api.controllers.jobs import JobController
from api.controllers.jp import JpController
from api.controllers.kartu import KartuController
from api.controllers.reports import EmployeeReportController, ReportController
from api.controllers.requests import RequestController
from api.controllers.units import UnitController
from api.controllers.verification import VerificationController
from api.docs import docs_assets, openapi_config
from api.errors import EXCEPTION_HANDLERS
from api.health import HealthCheck, health
from api.notices import provide_deployment_warnings
from api.security_headers import security_headers_hook
from api.uploads import cap_upload_requests
from api.verify_page import VerifyPage
from registry.adapters.jobs import InProcessQueue, JobQueue, ProcrastinateQueue, run_worker
from registry.adapters.keystore import KeyRing
from registry.bootstrap import build_registry, console_secret
from registry.domain.deployment import deployment_warnings
from registry.settings import Settings
from registry.usecases.accounts import Accounts
from registry.usecases.batches import STALE_PENDING, Batches, job_threads
from registry.usecases.issuing import Registry
from registry.usecases.rate_limits import RateLimiter, flush_until
from registry.usecases.verification import refresh_until

log = logging.getLogger("satupintu")
#: How often a running service looks for numbers left pending by an outage or a dead process
#: (finished once STALE_PENDING old), so that they do not wait for the next restart.
ABANDONED_SWEEP_SECONDS = 60.0


class Background:
    """The batch queue of this process and, where it runs one, its worker."""

    def __init__(self, registry: Registry, settings: Settings, *, embedded_worker: bool) -> None:
        self.batches = Batches(registry)
        self._registry = registry
        self._stop = threading.Event()
        self._keepers: list[threading.Thread] = []  # keep shared state fresh, about once a second
        self.rate_limiter = (
            RateLimiter(registry.db, settings.verify_rate_limit)
            if settings.verify_rate_limit > 0
            else None
        )
        self._worker: threading.Thread | None = None
        queue: JobQueue
        # One queue for the batch jobs and the notification e-mail they and requests cause.
        handlers = self.batches.notifications.with_mail(self.batches.handlers)
        if registry.db.is_sqlite:
            # The embedded default: the same jobs run on threads of this process.
            queue = InProcessQueue(handlers, workers=job_threads(settings))
        else:
            queue = ProcrastinateQueue(settings.database_url)
            if embedded_worker:
                self._worker = threading.Thread(
                    target=run_worker,
                    args=(settings.database_url, handlers),
                    kwargs={"concurrency": job_threads(settings), "stop_event": self._stop},
                    name="satupintu-worker",
                    daemon=True,
                )
        self.batches.queue = queue
        registry.mail_queue = queue
        self.queue = queue
        # In-process jobs die with the process; Procrastinate's survive it (see Batches.resume).
        self._resume_after = timedelta(0) if registry.db.is_sqlite else STALE_PENDING

    def start(self) -> None:
        if self._worker is not None:
            self._worker.start()
        if self.rate_limiter is not None:
            self._keepers.append(
                threading.Thread(
                    target=flush_until,
                    args=(self.rate_limiter, self._stop),
                    name="satupintu-rate-limit",
                    daemon=True,
                )
            )
        if self._registry.verifier.answers.ttl > 0:
            self._keepers.append(
                threading.Thread(
                    target=refresh_until,
                    args=(self._registry.verifier, self._stop),
                    name="satupintu-verify-refresh",
                    daemon=True,
                )
            )
        # Work a previous process left unfinished (a crash mid-batch) is picked up again. Joined
        # at stop like the others: a thread still in a query when the engine is disposed would
        # keep its connection open with nobody to close it.
        self._keepers.append(
            threading.Thread(target=self._resume, name="satupintu-resume", daemon=True)
        )
        for keeper in self._keepers:
            keeper.start()

    def _resume(self) -> None:
        try:
            resumed = self.batches.resume(older_than=self._resume_after)
            if resumed:
                log.info("resumed %d unfinished batch(es)", resumed)
        except Exception:
            log.exception("resuming unfinished batches failed")
        while not self._stop.wait(ABANDONED_SWEEP_SECONDS):
            try:
                self.batches.finish_abandoned()
            except Exception as exc:  # the database may be down right now: try again later
                log.warning("finishing abandoned documents failed: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        # Joined before the database is disposed: a query in flight would leave its connection.
        for keeper in self._keepers:
            keeper.join(timeout=10)
        if self._worker is not None:
            self._worker.join(timeout=30)
        self.queue.close()


def create_app(
    settings: Settings | None = None,
    registry: Registry | None = None,
    debug: bool = False,
    *,
    embedded_worker: bool | None = None,
) -> Litestar:
    owns_registry = registry is None
    settings = settings or (registry.settings if registry else Settings.from_env())
    registry = registry or build_registry(settings)
    background = Background(
        registry,
        settings,
        embedded_worker=settings.embedded_worker if embedded_worker is None else embedded_worker,
    )
    if not registry.production.pdf_available:
        log.warning("PDF output unavailable: %s", registry.production.pdf_unavailable_reason)
    # Warn, not refuse: the defaults are what a first `satupintu serve` on a laptop needs, and
    # refusing would make trying the service impossible without a real agency and domain. The
    # warning reaches whoever issues: the log, /healthz and every issuance answer.
    warnings = deployment_warnings(settings.public_url, registry.production.identity)
    for warning in warnings:
        log.warning("%s", warning)

    # The page names the agency as agency.toml does, and shows times in the configured zone.
    verify_page = VerifyPage(
        agency_name=registry.production.identity.name,
        zone=settings.zone,
        max_upload_bytes=settings.max_upload_bytes,
    )

    def provide_verify_page() -> VerifyPage:
        return verify_page

    def provide_registry(state: State) -> Registry:
        found: Registry = state.registry
        return found

    def provide_keyring(state: State) -> KeyRing:
        found: KeyRing = state.registry.keyring
        return found

    def provide_batches(state: State) -> Batches:
        found: Batches = state.background.batches
        return found

    def startup(app: Litestar) -> None:
        app.state.background.start()

    def shutdown(app: Litestar) -> None:
        app.state.background.stop()
        if owns_registry:
            app.state.registry.production.close()
            app.state.registry.db.dispose()

    app = Litestar(
        route_handlers=[
            DocumentController,
            EmployeeReportController,
            JobController,
            JpController,
            ReportController,
            KartuController,
            RequestController,
            UnitController,
            VerificationController,
            health,
            docs_assets(),
            *console_routes(settings, console_secret(settings, registry.db)),
        ],
        dependencies={
            "registry": Provide(provide_registry, sync_to_thread=False),
            "keyring": Provide(provide_keyring, sync_to_thread=False),
            "batches": Provide(provide_batches, sync_to_thread=False),
            "verify_page": Provide(provide_verify_page, sync_to_thread=False),
            "deployment_warnings": Provide(provide_deployment_warnings, sync_to_thread=False),
        },
        state=State(
            {
                "registry": registry,
                "settings": settings,
                "background": background,
                "deployment_warnings": warnings,
                "verify_page": verify_page,
                "health": HealthCheck(registry.db),
                "rate_limiter": background.rate_limiter,
                "accounts": Accounts(registry.db, now=registry.now),
            }
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers_hook(https=settings.public_url.startswith("https://"))],
        template_config=template_config(),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=openapi_config(
            "Central numbering, signing and verification of competency-development "
            "documents. Errors are problem-details JSON (RFC 9457)."
        ),
        on_startup=[startup],
        on_shutdown=[shutdown],
        # Litestar's default config would take over the root logger with a format of its own;
        # the process configures logging once (registry.settings.LOG_FORMAT).
        logging_config=None,
        debug=debug,
    )
    cap_upload_requests(app, settings)
    return app
