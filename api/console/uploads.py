"""Closing uploaded files of a console form that never reached its page handler."""

from __future__ import annotations

from litestar.datastructures import FormMultiDict
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState


class CloseFormUploads:
    """Close the files of a parsed multipart form once the request is answered.

    Litestar closes them after a route handler ran, but the CSRF middleware parses the form to
    find its token and, when it refuses the form, raises before any handler: each refused upload
    would keep its spooled temporary file open until garbage collection. This middleware runs
    outside the CSRF middleware, so it sees the form whatever happened inside.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == ScopeType.HTTP:
                form = value_or_default(ScopeState.from_scope(scope).form, None)
                if form is not None:
                    await FormMultiDict.from_form_data(form).close()
