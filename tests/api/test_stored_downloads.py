"""Stored files over HTTP, from whichever store the backend uses: streamed, with their headers."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.support.drafts import body


def _issued_docx(client: TestClient[Any], keys: Keys) -> dict[str, Any]:
    response = client.post(
        "/api/v1/documents", json=body(unit_code="DPUPR"), headers=bearer(keys.issuer.secret)
    )
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


def test_a_download_names_its_length_and_its_hash(client: TestClient[Any], api_keys: Keys) -> None:
    document = _issued_docx(client, api_keys)
    [docx] = [f for f in document["files"] if f["kind"] == "docx"]
    served = client.get(docx["url"], headers=bearer(api_keys.auditor.secret))
    assert served.status_code == 200
    assert hashlib.sha256(served.content).hexdigest() == docx["sha256"]
    assert served.headers["content-length"] == str(docx["size"]) == str(len(served.content))
    assert served.headers["etag"] == f'"{docx["sha256"]}"'
    number = document["number"].replace("/", "-")
    assert served.headers["content-disposition"] == f'attachment; filename="{number}.docx"'


def test_a_record_whose_file_is_gone_answers_404_not_a_cut_download(
    client: TestClient[Any], api_keys: Keys, registry: Registry, caplog: pytest.LogCaptureFixture
) -> None:
    document = _issued_docx(client, api_keys)
    [docx] = [f for f in document["files"] if f["kind"] == "docx"]
    registry.production.store.remove(docx["sha256"])
    with caplog.at_level(logging.ERROR):
        served = client.get(docx["url"], headers=bearer(api_keys.auditor.secret))
    assert served.status_code == 404
    assert "tidak ditemukan di penyimpanan" in served.json()["detail"]
    assert docx["sha256"] in caplog.text
