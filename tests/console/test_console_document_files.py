"""A document's files through the console: readers by role and unit, as in the API."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.console.support import sign_in
from tests.support.drafts import body


@pytest.fixture
def registry(pdf_registry: Registry) -> Registry:
    return pdf_registry


@pytest.fixture
def issued_id(console: TestClient[Any], api_keys: Keys) -> str:
    draft = body(unit_code="DPUPR")
    issued = console.post("/api/v1/documents", json=draft, headers=bearer(api_keys.issuer.secret))
    assert issued.status_code == 201, issued.text
    document_id: str = issued.json()["id"]
    return document_id


@pytest.mark.parametrize("username", ["andi", "rina", "siti"])
def test_readers_open_the_pdf_inline_and_download_the_docx(
    console: TestClient[Any], issued_id: str, username: str
) -> None:
    sign_in(console, username)
    pdf = console.get(f"/konsol/dokumen/{issued_id}/pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("inline")
    docx = console.get(f"/konsol/dokumen/{issued_id}/docx")
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")
    assert docx.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize(("username", "status"), [("budi", 403), ("root", 403)])
def test_others_cannot_open_the_files(
    console: TestClient[Any], issued_id: str, username: str, status: int
) -> None:
    sign_in(console, username)
    refused = console.get(f"/konsol/dokumen/{issued_id}/pdf")
    assert refused.status_code == status
    assert "%PDF" not in refused.text
    assert '<html lang="id">' in refused.text


def test_an_unknown_kind_or_no_session(console: TestClient[Any], issued_id: str) -> None:
    assert (
        console.get(f"/konsol/dokumen/{issued_id}/pdf", follow_redirects=False).status_code == 303
    )
    sign_in(console, "andi")
    assert console.get(f"/konsol/dokumen/{issued_id}/exe").status_code == 404
