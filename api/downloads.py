"""Stored files as download responses, streamed from whichever store holds them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import quote

from litestar.response import File, Stream
from litestar.response.base import ASGIResponse

from registry.adapters.files import FileStore
from registry.domain.errors import NotFound

log = logging.getLogger("satupintu.api")


class StoredDownload(File):
    """A stored file sent as a stream, documented as the file download it is.

    Litestar's OpenAPI describes a ``File`` return as binary content with its length and ETag,
    and a ``Stream`` as an untyped body; only ``File`` needs a path on disk, which the database
    store has not. So this is a ``File`` to the schema and a ``Stream`` on the wire.
    """

    __slots__ = ("stream",)

    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    # File promises an ASGIFileResponse; the point of this class is to send a streaming one.
    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:  # type: ignore[override]
        return self.stream.to_asgi_response(*args, **kwargs)


def stored_download(
    store: FileStore,
    sha256: str,
    *,
    filename: str,
    media_type: str,
    disposition: Literal["inline", "attachment"] = "attachment",
    headers: Mapping[str, str] | None = None,
) -> StoredDownload:
    """The file piece by piece, with the headers ``litestar.response.File`` would send.

    The size is asked for and the file opened before the response starts, so a file missing from
    the store answers 404 instead of cutting a download short. The hash is the ETag:
    the content of a name never changes.
    """
    try:
        size = store.size(sha256)
        chunks = store.iter_chunks(sha256)
    except FileNotFoundError:
        # A record whose file is gone: a store not migrated yet, or a restore that missed it.
        log.error("stored file %s is missing from the file store", sha256)
        raise NotFound(
            "Berkas tidak ditemukan di penyimpanan. Hubungi pengelola layanan."
        ) from None
    quoted = quote(filename)
    name = f'filename="{filename}"' if quoted == filename else f"filename*=utf-8''{quoted}"
    return StoredDownload(
        Stream(
            chunks,
            media_type=media_type,
            headers={
                "Content-Disposition": f"{disposition}; {name}",
                "Content-Length": str(size),
                "ETag": f'"{sha256}"',
                **(headers or {}),
            },
        )
    )
