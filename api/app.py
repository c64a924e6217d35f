"""The Litestar application factory."""

from __future__ import annotations

import logging

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.openapi import OpenAPIConfig
from sqlalchemy import text

from api.controllers.documents import DocumentController
from api.controllers.verification import VerificationController
from api.errors import EXCEPTION_HANDLERS
from api.schemas import Health
from registry.bootstrap import load_catalog
from registry.db.engine import Database
from registry.keystore import KeyRing
from registry.service import Registry
from registry.settings import Settings

log = logging.getLogger("satupintu")


def build_registry(settings: Settings) -> Registry:
    return Registry(
        db=Database.from_url(settings.database_url),
        keyring=KeyRing(settings.keys_dir, settings.key_passphrase),
        catalog=load_catalog(settings),
        settings=settings,
    )


@get("/healthz", operation_id="health", tags=["health"], sync_to_thread=True)
def health(registry: NamedDependency[Registry]) -> Health:
    """Liveness and readiness: database reachable and a signing key loaded."""
    with registry.db.reading() as session:
        session.execute(text("SELECT 1"))
    return Health(status="ok", database="ok", signing_key=registry.keyring.active().kid)


def create_app(
    settings: Settings | None = None, registry: Registry | None = None, debug: bool = False
) -> Litestar:
    owns_registry = registry is None
    settings = settings or (registry.settings if registry else Settings.from_env())
    registry = registry or build_registry(settings)

    def provide_registry(state: State) -> Registry:
        found: Registry = state.registry
        return found

    def provide_keyring(state: State) -> KeyRing:
        found: KeyRing = state.registry.keyring
        return found

    def shutdown(app: Litestar) -> None:
        if owns_registry:
            app.state.registry.db.dispose()

    return Litestar(
        route_handlers=[DocumentController, VerificationController, health],
        dependencies={
            "registry": Provide(provide_registry, sync_to_thread=False),
            "keyring": Provide(provide_keyring, sync_to_thread=False),
        },
        state=State({"registry": registry, "settings": settings}),
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Satu Pintu",
            version="1",
            description="Central numbering, signing and verification of competency-development "
            "documents. Errors are problem-details JSON (RFC 9457).",
            path="/schema",
        ),
        on_shutdown=[shutdown],
        debug=debug,
    )
