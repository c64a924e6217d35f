"""A batch's merged PDF through the console, with real PDFs: readers as in the API."""

from __future__ import annotations

import io
from typing import Any

import pytest
from litestar.testing import TestClient
from pypdf import PdfReader

from registry.usecases.issuing import Registry
from tests.console.support import sign_in
from tests.console.test_console_massal import FORM, participants_csv, started, upload, wait_ended


@pytest.fixture
def registry(pdf_registry: Registry) -> Registry:
    return pdf_registry


def test_the_merged_pdf_has_every_document_in_number_order(console: TestClient[Any]) -> None:
    sign_in(console, "andi")
    batch_id = started(upload(console, participants_csv(2)))
    done = wait_ended(console, batch_id)
    assert (done.status, done.issued) == ("done", 2)
    page = console.get(f"{FORM}/{batch_id}").text
    assert f'href="/konsol/massal/{batch_id}/gabungan.pdf"' in page
    merged = console.get(f"{FORM}/{batch_id}/gabungan.pdf")
    assert merged.status_code == 200
    assert merged.headers["content-type"] == "application/pdf"
    assert merged.headers["content-disposition"].startswith("inline")
    pages = PdfReader(io.BytesIO(merged.content)).pages
    assert len(pages) == 2
    assert done.first_number in (pages[0].extract_text() or "").replace("\n", " ")

    console.cookies.clear()
    sign_in(console, "rina")
    assert console.get(f"{FORM}/{batch_id}/gabungan.pdf").content == merged.content
    console.cookies.clear()
    sign_in(console, "siti")
    refused = console.get(f"{FORM}/{batch_id}/gabungan.pdf")
    assert refused.status_code == 403
    assert not refused.content.startswith(b"%PDF")
