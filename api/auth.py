"""API-key authentication and role guards.

Public routes carry no guard. Guarded routes authenticate the bearer key (401 when it is missing,
unknown or revoked) and then check the role (403 when the key may not do this).
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from registry.adapters.db.apikeys import authenticate
from registry.domain.actors import Actor
from registry.usecases.issuing import Registry

ISSUER = "issuer"
REQUESTER = "requester"
AUDITOR = "auditor"
READERS = (ISSUER, REQUESTER, AUDITOR)


async def current_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    cached = connection.scope.get("satupintu_actor")
    if isinstance(cached, Actor):
        return cached
    header = connection.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthorizedException("Sertakan kunci API: Authorization: Bearer <kunci>")
    registry: Registry = connection.app.state.registry

    def lookup() -> Actor | None:
        with registry.db.reading() as session:
            return authenticate(session, secret.strip())

    actor = await to_thread.run_sync(lookup)
    if actor is None:
        raise NotAuthorizedException("Kunci API tidak dikenal atau sudah dicabut")
    connection.scope["satupintu_actor"] = actor  # type: ignore[typeddict-unknown-key]
    return actor


def allow(*roles: str) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        actor = await current_actor(connection)
        if actor.role not in roles:
            raise PermissionDeniedException(
                f"Peran {actor.role!r} tidak diizinkan; diperlukan: {', '.join(roles)}"
            )

    return guard


async def provide_actor(request: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """Dependency form of ``current_actor``: Litestar injects the connection only as ``request``."""
    return await current_actor(request)
