"""Failures told as they are: a voided number is named, a failed batch can be retried."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from registry.adapters.db.schema import Document
from registry.adapters.libreoffice import ConversionError
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.support.drafts import body, failed_batch_now, issue_batch_now


def test_an_unexpected_error_while_producing_names_the_voided_number(
    client: TestClient[Any], registry: Registry, api_keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> bytes:
        raise OSError("No space left on device")

    monkeypatch.setattr(registry.production, "render_docx", broken)
    response = client.post("/api/v1/documents", json=body(), headers=bearer(api_keys.issuer.secret))
    assert response.status_code == 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    with registry.db.reading() as session:
        document = session.execute(select(Document)).scalar_one()
    # The number was taken and is now void: the answer says so and names it.
    assert document.status == "void"
    assert problem["number"] == document.number
    assert document.number in problem["detail"]
    assert "dibatalkan" in problem["detail"]
    assert "tidak ada perubahan" not in problem["detail"]


def test_a_failed_conversion_names_the_voided_number_too(
    client: TestClient[Any], registry: Registry, api_keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def timed_out(*_: object, **__: object) -> bytes:
        raise ConversionError("Konversi PDF melebihi batas waktu (60 detik)")

    monkeypatch.setattr(registry.production, "render_docx", timed_out)
    response = client.post("/api/v1/documents", json=body(), headers=bearer(api_keys.issuer.secret))
    assert response.status_code == 503, response.text
    problem = response.json()
    with registry.db.reading() as session:
        document = session.execute(select(Document)).scalar_one()
    assert document.status == "void"
    assert document.void_reason == "Konversi PDF melebihi batas waktu (60 detik)"
    assert problem["number"] == document.number
    assert problem["detail"].startswith("Konversi PDF melebihi batas waktu (60 detik)")
    assert f"nomor {document.number} dibatalkan" in problem["detail"]


def _failed_batch(registry: Registry, keys: Keys, count: int) -> uuid.UUID:
    job_id: uuid.UUID = failed_batch_now(registry, keys.issuer.actor, count)
    return job_id


def _job(client: TestClient[Any], keys: Keys, job_id: uuid.UUID) -> dict[str, Any]:
    response = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(keys.auditor.secret))
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def _until_ended(client: TestClient[Any], keys: Keys, job_id: uuid.UUID) -> dict[str, Any]:
    deadline = time.monotonic() + 600  # a hang guard, not an expectation of speed
    while (job := _job(client, keys, job_id))["status"] == "rendering":
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job


def test_an_issuer_retries_a_failed_batch(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    job_id = _failed_batch(registry, api_keys, 2)
    failed = _job(client, api_keys, job_id)
    assert (failed["status"], failed["merged_pdf_url"]) == ("failed", None)
    assert "disk full" in failed["error"]

    response = client.post(f"/api/v1/jobs/{job_id}/retry", headers=bearer(api_keys.issuer.secret))
    assert response.status_code == 202, response.text
    assert response.json()["id"] == str(job_id)
    assert response.json()["status"] in ("rendering", "done")
    assert response.json()["error"] is None

    job = _until_ended(client, api_keys, job_id)
    assert (job["status"], job["issued"], job["error"]) == ("done", 2, None)
    # This registry makes DOCX only: the ZIP is the batch's result.
    archive = client.get(job["zip_url"], headers=bearer(api_keys.issuer.secret))
    assert archive.content.startswith(b"PK\x03\x04")


@pytest.mark.parametrize("principal", ["requester", "auditor"])
def test_only_an_issuer_may_retry_a_batch(
    client: TestClient[Any], registry: Registry, api_keys: Keys, principal: str
) -> None:
    job_id = _failed_batch(registry, api_keys, 1)
    before = written_state(registry)
    secret = getattr(api_keys, principal).secret
    response = client.post(f"/api/v1/jobs/{job_id}/retry", headers=bearer(secret))
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert written_state(registry) == before
    assert _job(client, api_keys, job_id)["status"] == "failed"


def test_a_batch_that_has_not_failed_is_not_retried(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    done = issue_batch_now(registry, api_keys.issuer.actor, 1)
    before = written_state(registry)
    response = client.post(f"/api/v1/jobs/{done.id}/retry", headers=bearer(api_keys.issuer.secret))
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["batch_status"] == "done"
    assert "hanya batch yang gagal dapat diulang" in problem["detail"]
    assert written_state(registry) == before

    unknown = client.post(
        f"/api/v1/jobs/{uuid.uuid4()}/retry", headers=bearer(api_keys.issuer.secret)
    )
    assert unknown.status_code == 404, unknown.text
