"""Reading multipart uploads: size limits and JSON parts, with Indonesian messages."""

from __future__ import annotations

from typing import Any, Final, TypeVar

import msgspec
from litestar import Litestar
from litestar.datastructures import UploadFile

from api.errors import MalformedJson, indonesian
from registry.domain.errors import InvalidInput
from registry.domain.media import refuse_disguised
from registry.settings import Settings

_UPLOAD_FILES: Final = "upload_files"

T = TypeVar("T")


def takes_uploads(files: int = 1) -> dict[str, Any]:
    """The ``opt`` of a handler reading a multipart form with up to ``files`` file inputs."""
    return {_UPLOAD_FILES: files}


def cap_upload_requests(app: Litestar, settings: Settings) -> None:
    """Give each upload handler of ``app`` a request cap fitting the configured upload limit.

    The cap is the transport's: a request over it is refused with 413 from its Content-Length,
    or as soon as the streamed bytes pass it, before the form is parsed into memory. The
    configured limit (SATUPINTU_MAX_UPLOAD_BYTES) is checked again per file below it, with a
    message a person can act on. The handlers are declared before settings exist, so the cap is
    set on this app's own copies of them, before it serves a request.
    """
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            files = handler.opt.get(_UPLOAD_FILES)
            if files:
                handler.request_max_body_size = settings.upload_request_bytes(files)


def read_upload(upload: UploadFile | Any, max_bytes: int, field: str = "file") -> bytes:
    if not isinstance(upload, UploadFile):
        raise InvalidInput(f"Bagian '{field}' harus berupa berkas", field=field)
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(
            f"Berkas terlalu besar (lebih dari {max_bytes // 1_000_000} MB)",
            field=field,
            max_bytes=max_bytes,
        )
    return data


def read_typed_upload(upload: UploadFile | Any, max_bytes: int, field: str = "file") -> bytes:
    """An upload that will be stored or served as what its content is (a PDF, PNG or JPEG): a
    stated type or file name naming another of these is refused (a disguise or a polyglot)."""
    data = read_upload(upload, max_bytes, field)
    refuse_disguised(data, content_type=upload.content_type, filename=upload.filename, field=field)
    return data


def decode_json_field(raw: str | bytes | Any, type_: type[T], field: str) -> T:
    if isinstance(raw, UploadFile):
        raw = raw.file.read(1_000_000)
    if not isinstance(raw, str | bytes):
        raise InvalidInput(f"Bagian '{field}' wajib diisi (JSON)", field=field)
    try:
        return msgspec.json.decode(raw, type=type_)
    except msgspec.ValidationError as exc:
        # The typed decoder may meet a wrong field before the text turns out not to be JSON.
        _refuse_malformed(raw, field)
        message = str(exc)
        where = message.rsplit(" - at ", 1)[1].strip("`") if " - at " in message else ""
        detail = indonesian(message)
        raise InvalidInput(
            f"Isi bagian '{field}' tidak valid{f' ({where})' if where else ''}: {detail}",
            field=field,
        ) from None
    except msgspec.DecodeError as exc:
        raise MalformedJson(field, str(exc)) from None


def _refuse_malformed(raw: str | bytes, field: str) -> None:
    try:
        msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise MalformedJson(field, str(exc)) from None
