"""Judging an upload by its first bytes, and refusing one whose name or stated type disagrees."""

from __future__ import annotations

import pytest

from registry.domain import media
from registry.domain.errors import InvalidInput
from tests.support.hostile_pdf import PNG_1X1, png_with_pdf_appended

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
JPEG = b"\xff\xd8\xff\xe0" + bytes(16)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, media.PDF),
        (b"\r\n \t\x00" + PDF, media.PDF),  # PDF whitespace may precede the header
        (b"junk" + PDF, None),
        (PNG_1X1, media.PNG),
        (png_with_pdf_appended(), media.PNG),  # what it is from byte 0, not what hides behind
        (JPEG, media.JPEG),
        (b"<html>", None),
    ],
    ids=["pdf", "pdf-after-whitespace", "pdf-after-junk", "png", "png-then-pdf", "jpeg", "html"],
)
def test_media_type_is_judged_from_byte_zero(data: bytes, expected: str | None) -> None:
    assert media.media_type(data) == expected


@pytest.mark.parametrize(
    ("data", "content_type", "filename"),
    [
        (png_with_pdf_appended(), "application/pdf", "sertifikat.pdf"),
        (png_with_pdf_appended(), None, "sertifikat.PDF"),
        (png_with_pdf_appended(), "application/pdf; charset=binary", None),
        (PDF, "image/png", "foto.png"),
        (JPEG, "image/png", None),
        (b"<html>", None, "surat.pdf"),
    ],
    ids=[
        "polyglot-as-pdf",
        "polyglot-named-pdf",
        "polyglot-typed-pdf",
        "pdf-as-png",
        "jpeg-as-png",
        "html-named-pdf",
    ],
)
def test_a_claim_the_content_contradicts_is_refused(
    data: bytes, content_type: str | None, filename: str | None
) -> None:
    with pytest.raises(InvalidInput, match="Isi berkas bukan") as caught:
        media.refuse_disguised(data, content_type=content_type, filename=filename)
    assert caught.value.field == "file"


@pytest.mark.parametrize(
    ("data", "content_type", "filename"),
    [
        (PDF, "application/pdf", "sertifikat.pdf"),
        (PNG_1X1, "image/png", "foto.png"),
        (JPEG, "image/jpeg", "foto.JPG"),
        # Claims of nothing we know are left to the content (a browser's guess, a bare name).
        (PNG_1X1, "application/octet-stream", "formulir"),
        (PNG_1X1, "text/html", "formulir.html"),
        (b"", "application/pdf", "kosong.pdf"),  # refused as empty where it is read
    ],
    ids=["pdf", "png", "jpeg", "png-octet-stream", "png-as-html", "empty"],
)
def test_an_agreeing_or_silent_claim_passes(
    data: bytes, content_type: str | None, filename: str | None
) -> None:
    media.refuse_disguised(data, content_type=content_type, filename=filename)
