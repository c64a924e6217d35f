"""Checks on an uploaded PDF before it is stamped: judged by its content, never by its name."""

from __future__ import annotations

import io

from pypdf import PdfReader

from registry.adapters.pdf.inspection import check_content
from registry.domain.errors import InvalidInput
from registry.domain.media import is_pdf


def check_upload(data: bytes, *, max_bytes: int) -> None:
    """Refuse an uploaded file that cannot be stamped or served; judge it by content, never by
    name: not a PDF from its first byte, unreadable, encrypted, without pages, with active
    content, or inflating past a budget (see :mod:`registry.adapters.pdf.inspection`)."""
    if not data:
        raise InvalidInput("Berkas kosong", field="file")
    if len(data) > max_bytes:
        raise InvalidInput(
            f"Berkas terlalu besar: {_megabytes(len(data))} MB (batas {_megabytes(max_bytes)} MB)",
            field="file",
            size=len(data),
            max_bytes=max_bytes,
        )
    if not is_pdf(data):
        raise InvalidInput("Berkas bukan PDF (tidak diawali %PDF-)", field="file")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = -1 if encrypted else len(reader.pages)
        if pages > 0:
            check_content(reader, len(data))
    except InvalidInput:
        raise
    except Exception as exc:  # pypdf raises many types on hostile input; all mean the same here
        raise InvalidInput("Berkas PDF rusak atau tidak dapat dibaca", field="file") from exc
    if encrypted:
        raise InvalidInput("PDF terenkripsi tidak dapat dicap", field="file")
    if pages == 0:
        raise InvalidInput("PDF tidak memiliki halaman", field="file")


def _megabytes(size: int) -> str:
    value = f"{size / 1_000_000:.1f}".removesuffix(".0")
    return value.replace(".", ",")  # Indonesian decimal comma
