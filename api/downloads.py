"""Stored files as download responses, streamed from whichever store holds them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal
from urllib.parse import quote

from litestar.response import Stream

from registry.adapters.files import FileStore


def stored_download(
    store: FileStore,
    sha256: str,
    *,
    filename: str,
    media_type: str,
    disposition: Literal["inline", "attachment"] = "attachment",
    headers: Mapping[str, str] | None = None,
) -> Stream:
    """The file piece by piece, with the headers ``litestar.response.File`` would send.

    The size is asked for and the file opened before the response starts, so a file missing from
    the store fails the request instead of cutting a download short. The hash is the ETag:
    the content of a name never changes.
    """
    size = store.size(sha256)
    chunks = store.iter_chunks(sha256)
    quoted = quote(filename)
    name = f'filename="{filename}"' if quoted == filename else f"filename*=utf-8''{quoted}"
    return Stream(
        chunks,
        media_type=media_type,
        headers={
            "Content-Disposition": f"{disposition}; {name}",
            "Content-Length": str(size),
            "ETag": f'"{sha256}"',
            **(headers or {}),
        },
    )
