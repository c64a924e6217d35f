"""The console's router: its pages behind CSRF protection, its error pages, its static files."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.response import Redirect, Template
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler
from sqlalchemy.exc import SQLAlchemyError

from api.console.audit import AuditPages
from api.console.batches import BatchPages
from api.console.documents import DOCUMENT_CONTROLLERS
from api.console.pages import ConsolePages
from api.console.rendering import STATIC_DIR, page
from api.console.reports import ReportPages
from api.console.requests import RequestPages
from api.console.session import (
    CONSOLE_PATH,
    SignInRequired,
    provide_console_user,
    sign_in_url,
)
from api.console.settings import SETTINGS_CONTROLLERS
from api.console.uploads import CloseFormUploads
from api.errors import (
    DATABASE_RETRY_AFTER,
    DATABASE_UNAVAILABLE_DETAIL,
    STORAGE_FULL_DETAIL,
    log,
    status_of,
)
from registry.adapters.db.engine import database_full, database_unavailable
from registry.domain.errors import RegistryError
from registry.settings import Settings

CSRF_COOKIE = "satupintu_csrf"
CSRF_REFUSED = (
    "Formulir ini tidak dapat diterima karena token keamanannya tidak ada atau sudah "
    "kedaluwarsa. Muat ulang halaman, lalu kirim formulirnya lagi."
)


#: The console's page controllers, one module per area of the header (see ``nav.py``).
PAGE_CONTROLLERS: list[ControllerRouterHandler] = [
    ConsolePages,
    *DOCUMENT_CONTROLLERS,
    ReportPages,
    AuditPages,
    RequestPages,
    *SETTINGS_CONTROLLERS,
    BatchPages,
]


def console_routes(settings: Settings, csrf_secret: str) -> list[ControllerRouterHandler]:
    """The console's pages (``/konsol``) and its static files (``/konsol/static``); the CSRF
    secret is the one every process of the deployment shares (``bootstrap.console_secret``)."""
    csrf = CSRFConfig(
        secret=csrf_secret,
        cookie_name=CSRF_COOKIE,
        cookie_path=CONSOLE_PATH,
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,
        cookie_samesite="lax",
    )
    pages = Router(
        path=CONSOLE_PATH,
        route_handlers=PAGE_CONTROLLERS,
        middleware=[CloseFormUploads, DefineMiddleware(CSRFMiddleware, config=csrf)],
        dependencies={"user": Provide(provide_console_user)},
        exception_handlers={
            SignInRequired: _to_sign_in,
            RegistryError: _registry_error_page,
            HTTPException: _http_error_page,
            # Else the API's problem JSON would answer: the app's handler is the closer match.
            SQLAlchemyError: _database_error_page,
            Exception: _unexpected_error_page,
        },
        include_in_schema=False,
    )
    static = create_static_files_router(
        path=f"{CONSOLE_PATH}/static",
        directories=[STATIC_DIR],
        name="console-static",
        include_in_schema=False,
    )
    return [pages, static]


def _to_sign_in(_: Request[Any, Any, Any], exc: SignInRequired) -> Response[Any]:
    return Redirect(sign_in_url(exc.next_path), status_code=303)


def _registry_error_page(request: Request[Any, Any, Any], exc: RegistryError) -> Template:
    return _error_page(request, status_of(exc), exc.title, exc.message)


def _http_error_page(request: Request[Any, Any, Any], exc: HTTPException) -> Template:
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        return _error_page(request, 403, "Formulir kedaluwarsa", CSRF_REFUSED)
    titles = {
        404: ("Halaman tidak ditemukan", "Alamat ini tidak ada di konsol. Kembali ke Beranda."),
        405: ("Metode tidak diizinkan", "Halaman ini tidak menerima permintaan seperti itu."),
        413: (
            "Berkas terlalu besar",
            "Isi formulir melebihi batas ukuran. Kirim berkas lebih kecil.",
        ),
    }
    title, message = titles.get(
        exc.status_code, ("Terjadi kesalahan", "Permintaan tidak dapat diproses. Coba lagi.")
    )
    return _error_page(request, exc.status_code, title, message)


def _database_error_page(request: Request[Any, Any, Any], exc: SQLAlchemyError) -> Template:
    if database_full(exc):
        log.error("storage full on %s %s: %s", request.method, request.url.path, exc)
        return _error_page(request, 507, "Penyimpanan penuh", STORAGE_FULL_DETAIL)
    if not database_unavailable(exc):
        return _unexpected_error_page(request, exc)
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    answer = _error_page(request, 503, "Layanan belum siap", DATABASE_UNAVAILABLE_DETAIL)
    answer.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return answer


def _unexpected_error_page(request: Request[Any, Any, Any], exc: Exception) -> Template:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error_page(
        request,
        500,
        "Terjadi kesalahan di server",
        "Permintaan tidak selesai dan tidak ada perubahan yang tersimpan sebagian. Coba lagi; "
        "bila terulang, hubungi admin BPSDM dan sebutkan waktu kejadiannya.",
    )


def _error_page(request: Request[Any, Any, Any], status: int, title: str, message: str) -> Template:
    return page(request, "error.html", None, status_code=status, title=title, message=message)
