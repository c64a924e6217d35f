"""Confirm then act: a destructive action is a confirmation page (GET) and the action (POST).

Each area declares only what differs (the path, who may, what the page shows, the use case it
calls); the pair of handlers, the role check and what a refusal does are here, once. The path's
parameters are read from ``request.path_params``, already converted by the path's type
(``{request_id:uuid}`` gives a ``UUID``), so one handler signature serves every path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect, Template

from api.console.session import require_role
from registry.domain.errors import RegistryError
from registry.usecases.accounts import UserView
from registry.usecases.issuing import Registry

#: The confirmation page; given the use case's refusal when the action was refused.
ConfirmPage = Callable[
    [Request[Any, Any, Any], UserView, Registry, RegistryError | None], Awaitable[Template]
]
#: The action: what the person confirmed, then where to go (or, for a one-time secret, a page).
Action = Callable[[Request[Any, Any, Any], UserView, Registry], Awaitable[Template | Redirect]]


def see_other(url: str) -> Redirect:
    """Post/Redirect/Get: after an action the browser loads ``url``, so a reload acts no more."""
    return Redirect(url, status_code=303)


def confirm_then_act(
    path: str,
    *,
    name: str,
    roles: Sequence[str],
    page: ConfirmPage,
    act: Action,
    refusal_on_page: bool = True,
) -> tuple[HTTPRouteHandler, HTTPRouteHandler]:
    """The GET (named ``<name>-confirm``) and POST (``<name>``) handlers of ``path``.

    Assign them on a controller: ``confirm_x, x = confirm_then_act(...)``. A refused action
    shows the confirmation page again with the refusal (``refusal_on_page``), or else the
    console's error page (for pages that have nothing to correct, only something to read).
    """

    @get(path, name=f"{name}-confirm")
    async def confirm(
        self: Controller,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_role(user, *roles)
        return await page(request, user, registry, None)

    @post(path, name=name)
    async def confirmed(
        self: Controller,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_role(user, *roles)
        if not refusal_on_page:
            return await act(request, user, registry)
        try:
            return await act(request, user, registry)
        except RegistryError as refused:
            return await page(request, user, registry, refused)

    return confirm, confirmed
