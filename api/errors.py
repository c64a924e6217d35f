"""The one place where errors become problem-details responses (RFC 9457)."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import SQLAlchemyError

from registry.adapters.db.engine import database_full, database_unavailable
from registry.adapters.files import StorageError, StorageFull
from registry.adapters.libreoffice import ConversionError
from registry.domain.errors import (
    ConfigurationError,
    Conflict,
    InvalidInput,
    NotFound,
    NumberVoided,
    PermissionDenied,
    RegistryError,
    Unavailable,
    VerificationError,
)
from registry.usecases.idempotency import KEY_FIELD

log = logging.getLogger("satupintu.api")
PROBLEM_JSON = "application/problem+json"
_RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance"})

_STATUS_BY_ERROR: dict[type[RegistryError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    PermissionDenied: 403,
    VerificationError: 422,
    ConfigurationError: 503,
    Unavailable: 503,
    # The number was voided with the reason; trying again takes a new number and may succeed.
    ConversionError: 503,
    # Voided too; the operator must free space or make the store writable first.
    StorageFull: 507,
    StorageError: 503,
    # Voided too, for a reason nobody foresaw (a bug): the answer names the number.
    NumberVoided: 500,
}

# Seconds a client is asked to wait before trying again, for errors that pass by themselves.
_RETRY_AFTER_BY_ERROR: dict[type[RegistryError], int] = {
    Unavailable: 5,  # as DATABASE_RETRY_AFTER: /healthz's database probe failing
    ConversionError: 5,
    StorageError: 60,
}

# Fields the use cases name in their own words, as a client sends them over HTTP.
_HEADER_FIELDS = {KEY_FIELD: "Idempotency-Key"}

#: One answer for JSON that does not parse, whether it is the request body or a multipart part
#: (``field`` says which: ``body``, ``document``, ``batch``). Syntax is refused with 400 like any
#: request the server cannot read; 422 is for JSON that parses but does not fit.
MALFORMED_JSON_DETAIL = "Data yang dikirim bukan JSON yang sah"


class MalformedJson(Exception):
    """JSON that does not parse; raised by the API layer, answered by :func:`malformed_json`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


_TITLES_BY_STATUS = {
    400: "Permintaan tidak valid",
    401: "Perlu autentikasi",
    403: "Akses ditolak",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Konflik",
    413: "Permintaan terlalu besar",
    415: "Jenis konten tidak didukung",
    422: "Masukan tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Kesalahan server",
    503: "Layanan belum siap",
    507: "Penyimpanan penuh",
}

#: Seconds a client is asked to wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER = 5
# Not "nothing was saved": an issuance cut off after its number was committed leaves it pending
# until Batches.finish_abandoned issues or voids it.
DATABASE_UNAVAILABLE_DETAIL = "Basis data tidak dapat dihubungi; coba lagi sebentar lagi."
STORAGE_FULL_DETAIL = (
    "Penyimpanan server penuh; hubungi pengelola layanan untuk mengosongkan ruang, lalu coba lagi."
)
#: Seconds to wait before retrying on a full disk: someone must free space first.
STORAGE_RETRY_AFTER = 60


def problem(
    status: int, detail: str, *, title: str | None = None, **members: Any
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES_BY_STATUS.get(status, "Kesalahan"),
        "status": status,
        "detail": detail,
    }
    body.update(
        {
            key: value
            for key, value in members.items()
            if value is not None and key not in _RESERVED_MEMBERS
        }
    )
    headers = {"WWW-Authenticate": 'Bearer realm="satupintu"'} if status == 401 else None
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_of(exc: RegistryError) -> int:
    """The HTTP status a registry error answers with (the API's and the console's)."""
    return next(
        (code for cls, code in _STATUS_BY_ERROR.items() if isinstance(exc, cls)),
        HTTP_500_INTERNAL_SERVER_ERROR,
    )


def registry_error_handler(_: Request[Any, Any, Any], exc: RegistryError) -> Response[Any]:
    status = status_of(exc)
    if status >= 500:
        log.error("registry error: %s", exc.message)
    extra = {key: value for key, value in exc.extra.items() if _is_json_scalar_or_list(value)}
    detail, field = exc.message, exc.field
    header = _HEADER_FIELDS.get(field or "")
    if header is not None:
        detail, field = f"{detail} (header {header})", header
    response = problem(status, detail, title=exc.title, field=field, **extra)
    retry_after = next(
        (seconds for cls, seconds in _RETRY_AFTER_BY_ERROR.items() if isinstance(exc, cls)), None
    )
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def validation_error_handler(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", ""))
            errors.append(
                {"field": item.get("key"), "message": indonesian(message), "reason": message}
            )
    summary = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
    return problem(
        400,
        f"Isian permintaan tidak sesuai format: {summary}" if summary else exc.detail,
        errors=errors or None,
    )


# msgspec explains decoding failures in English; a person reading the answer gets Indonesian.
_MSGSPEC_MESSAGES = (
    (re.compile(r"Object missing required field `(\w+)`"), "isian wajib `{0}` tidak ada"),
    (re.compile(r"Object contains unknown field `(\w+)`"), "isian `{0}` tidak dikenal"),
    (re.compile(r"Invalid RFC3339 encoded date"), "tanggal harus YYYY-MM-DD dan benar-benar ada"),
    (re.compile(r"Invalid decimal string"), 'harus angka desimal, mis. "20" atau "2.5"'),
    (re.compile(r"Expected `str` of length <= (\d+)"), "paling panjang {0} karakter"),
    (re.compile(r"Expected `\w+` >= (-?\d+)"), "harus paling kecil {0}"),
    (re.compile(r"Expected `\w+` <= (-?\d+)"), "harus paling besar {0}"),
    (re.compile(r"Expected `str` matching regex '\^\((.*)\)\$'"), "harus salah satu dari: {0}"),
    (re.compile(r"Expected `([\w |]+)`, got `(\w+)`"), "harus bertipe {0}, bukan {1}"),
    (re.compile(r"Expected `int`"), "harus bilangan bulat"),
)


def indonesian(message: str) -> str:
    for pattern, template in _MSGSPEC_MESSAGES:
        match = pattern.search(message)
        if match:
            groups = (group.replace(" | ", " atau ").replace("|", ", ") for group in match.groups())
            return template.format(*groups)
    return message


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    detail = exc.detail
    if exc.status_code >= 500:
        detail = "Terjadi kesalahan di server"
    elif detail == HTTPStatus(exc.status_code).phrase:  # Litestar's English default
        detail = _INDONESIAN_DETAILS.get(exc.status_code, detail)
    elif _is_json_syntax_error(exc):
        return malformed_json(request, MalformedJson("body", detail))
    response = problem(exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def malformed_json(_: Request[Any, Any, Any], exc: MalformedJson) -> Response[Any]:
    return problem(400, MALFORMED_JSON_DETAIL, field=exc.field, reason=exc.reason)


def database_error_handler(request: Request[Any, Any, Any], exc: SQLAlchemyError) -> Response[Any]:
    """An outage or a full disk is the service's state, not a bug: a 503 (or 507) a client
    retries, logged in one line rather than a traceback per request."""
    if database_full(exc):
        log.error("storage full on %s %s: %s", request.method, request.url.path, exc)
        return storage_full()
    if not database_unavailable(exc):
        return unexpected_error_handler(request, exc)
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    response = problem(503, DATABASE_UNAVAILABLE_DETAIL, database="unavailable")
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def storage_full() -> Response[Any]:
    response = problem(507, STORAGE_FULL_DETAIL, storage="full")
    response.headers["Retry-After"] = str(STORAGE_RETRY_AFTER)
    return response


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "Terjadi kesalahan di server; tidak ada perubahan yang tersimpan sebagian")


_INDONESIAN_DETAILS = {
    401: "Sertakan kunci API yang sah: Authorization: Bearer <kunci>",
    403: "Peran kunci API ini tidak diizinkan melakukan tindakan ini",
    404: "Alamat tidak ditemukan",
    405: "Metode HTTP ini tidak diizinkan pada alamat ini",
    413: "Isi permintaan melebihi batas ukuran",
    415: "Jenis konten tidak didukung",
}


def _is_json_syntax_error(exc: HTTPException) -> bool:
    """Litestar's 400 for a request body that does not parse (msgspec's error, two causes down)."""
    serialization = exc.__cause__
    if not isinstance(serialization, SerializationException):
        return False
    cause = serialization.__cause__
    return isinstance(cause, msgspec.DecodeError) and not isinstance(cause, msgspec.ValidationError)


def _is_json_scalar_or_list(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list | tuple)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    RegistryError: registry_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    MalformedJson: malformed_json,
    SQLAlchemyError: database_error_handler,
    Exception: unexpected_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "MALFORMED_JSON_DETAIL", "MalformedJson", "MediaType", "problem"]
