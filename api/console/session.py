"""Who is signed in to the console: the session cookie, the redirect to the sign-in page, roles.

The cookie holds a random token; the session itself is a database row (``Accounts``), so it works
across service processes and survives a restart, and signing out ends it on the server.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from anyio import to_thread
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

from registry.domain.errors import PermissionDenied
from registry.usecases.accounts import SESSION_LIFETIME, Accounts, UserView

SESSION_COOKIE = "satupintu_sesi"
CONSOLE_PATH = "/konsol"
SIGN_IN_PATH = "/konsol/masuk"

ROLE_LABELS = {
    "admin": "Admin",
    "issuer": "Penerbit (BPSDM)",
    "requester": "Pemohon (SKPD)",
    "auditor": "Auditor",
}


class SignInRequired(Exception):
    """No valid session: the page answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next(raw: str | None) -> str:
    """Where to go after signing in: a console path of this site, never another site."""
    if not raw:
        return CONSOLE_PATH
    parts = urlsplit(raw)
    path = parts.path
    if (
        parts.scheme
        or parts.netloc
        or "\\" in raw
        or not (path == CONSOLE_PATH or path.startswith(CONSOLE_PATH + "/"))
        or path.startswith(SIGN_IN_PATH)
    ):
        return CONSOLE_PATH
    return path + (f"?{parts.query}" if parts.query else "")


def sign_in_url(next_path: str) -> str:
    target = safe_next(next_path)
    if target == CONSOLE_PATH:
        return SIGN_IN_PATH
    return f"{SIGN_IN_PATH}?next={quote(target, safe='/')}"


def session_cookie(token: str, *, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path=CONSOLE_PATH,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def expired_session_cookie(*, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value="",
        path=CONSOLE_PATH,
        max_age=0,
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def accounts_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Accounts:
    found: Accounts = connection.app.state.accounts
    return found


async def signed_in_user(request: Request[Any, Any, Any]) -> UserView | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    return await to_thread.run_sync(accounts_of(request).session_user, token)


async def provide_console_user(request: Request[Any, Any, Any]) -> UserView:
    """Dependency of every page behind sign-in; redirects to the sign-in page without one."""
    user = await signed_in_user(request)
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path)
    return user


def require_role(user: UserView, *roles: str) -> None:
    if user.role not in roles:
        names = ", ".join(ROLE_LABELS.get(role, role) for role in roles)
        raise PermissionDenied(
            f"Halaman ini hanya untuk peran {names}; Anda masuk sebagai "
            f"{ROLE_LABELS.get(user.role, user.role)}."
        )
