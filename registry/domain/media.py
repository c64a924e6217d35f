"""What an uploaded file is, judged by its first bytes (never by its name or stated type)."""

from __future__ import annotations

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_MAGIC = b"%PDF-"
# A PDF's header may follow some junk; readers look for it in the first kilobyte.
_PDF_MAGIC_WINDOW = 1024


def is_pdf(data: bytes) -> bool:
    return _PDF_MAGIC in data[:_PDF_MAGIC_WINDOW]


def is_image(data: bytes) -> bool:
    """A PNG or JPEG (what a logo or a photographed piece of evidence may be)."""
    return data.startswith((_PNG_MAGIC, _JPEG_MAGIC))


def media_type(data: bytes) -> str | None:
    """PDF, PNG or JPEG by content; None for anything else."""
    if data.startswith(_PNG_MAGIC):
        return PNG
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if is_pdf(data):
        return PDF
    return None
