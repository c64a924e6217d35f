"""What an uploaded file is, judged by its first bytes (never by its name or stated type)."""

from __future__ import annotations

from registry.domain.errors import InvalidInput

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_MAGIC = b"%PDF-"
# The spec lets readers find the header anywhere in the first kilobyte, which is exactly what a
# polyglot (a PNG or HTML file with a PDF behind it) relies on. Every PDF writer we receive from
# (LibreOffice, Word, scanners, reportlab) starts at byte 0, so only PDF whitespace may come first.
_PDF_LEADING_WHITESPACE = b"\x00\t\n\x0c\r "
_PDF_MAGIC_WINDOW = 1024
_LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
# What a part's Content-Type or its file name claims; anything else (octet-stream, text/html, a
# name without an extension) claims nothing we know and is judged by content alone.
_CLAIMED_TYPES = {
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    "image/png": PNG,
    "image/jpeg": JPEG,
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
}
_CLAIMED_EXTENSIONS = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG}


def is_pdf(data: bytes) -> bool:
    return data[:_PDF_MAGIC_WINDOW].lstrip(_PDF_LEADING_WHITESPACE).startswith(_PDF_MAGIC)


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


def claimed_types(content_type: str | None, filename: str | None) -> set[str]:
    """The media types an upload's stated Content-Type and file name claim (known ones only)."""
    claims = set()
    stated = (content_type or "").split(";")[0].strip().lower()
    if stated in _CLAIMED_TYPES:
        claims.add(_CLAIMED_TYPES[stated])
    name = (filename or "").strip().lower()
    dot = name.rfind(".")
    if dot >= 0 and name[dot:] in _CLAIMED_EXTENSIONS:
        claims.add(_CLAIMED_EXTENSIONS[name[dot:]])
    return claims


def refuse_disguised(
    data: bytes, *, content_type: str | None, filename: str | None, field: str = "file"
) -> None:
    """Refuse a file whose content is not what its name or stated type says it is.

    A claim of a type we know (PDF, PNG, JPEG) must agree with the content: a PNG sent as
    ``laporan.pdf`` is a disguise (or a polyglot), never an honest mistake worth guessing about.
    """
    if not data:
        return  # an empty file is refused as empty, whatever it claims
    found = media_type(data)
    for claimed in sorted(claimed_types(content_type, filename)):
        if claimed != found:
            actual = _LABELS.get(found or "", "bukan PDF, PNG, maupun JPEG")
            raise InvalidInput(
                f"Isi berkas bukan {_LABELS[claimed]}, padahal nama atau jenisnya menyebut "
                f"{_LABELS[claimed]} (isinya {actual})",
                field=field,
                claimed=claimed,
                found=found,
            )
