"""The file check's request: a PDF of the asked size, sent as one multipart part by wrk."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from bench.file_check import BOUNDARY, multipart_body, padded_pdf, wrk_script


def test_the_padded_pdf_is_one_readable_page_near_its_size() -> None:
    data = padded_pdf(300_000)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    # reportlab writes the random image in ASCII85 (5 bytes per 4): the bench rescales on that.
    assert 300_000 <= len(data) <= 400_000
    assert len(padded_pdf(100_000)) < len(data)


def test_the_multipart_body_carries_the_pdf_unchanged() -> None:
    body = multipart_body(b"%PDF-1.7 bytes")
    head, rest = body.split(b"\r\n\r\n", 1)
    assert b'name="file"; filename="dokumen.pdf"' in head
    assert rest == b"%PDF-1.7 bytes\r\n--" + BOUNDARY.encode() + b"--\r\n"


def test_the_wrk_script_posts_the_body_file_with_the_boundary(tmp_path: Path) -> None:
    script = wrk_script(tmp_path / 'odd "name".bin')
    assert 'io.open("' in script and 'odd \\"name\\".bin' in script
    assert f"boundary={BOUNDARY}" in script
    assert 'wrk.method = "POST"' in script
