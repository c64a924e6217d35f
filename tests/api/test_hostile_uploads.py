"""Hostile PDFs over HTTP (issue 10 section 5): active content, decompression bombs and polyglots
are refused with a 422 that names what was found, before a number is taken or a file stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.api.test_requests_api import add_units
from tests.conftest import Keys
from tests.integration.test_requests import ISSUE_BODY
from tests.support import hostile_pdf
from tests.support.drafts import body, outside_pdf

ACTIVE = hostile_pdf.ACTIVE_CONTENT


def nothing_written(registry: Registry) -> tuple[tuple[int, int, int], set[str]]:
    """Documents, numbers, audit entries and stored files: equal before and after a refusal."""
    return written_state(registry), registry.production.store.hashes()


def stamp(
    client: TestClient[Any], keys: Keys, upload: bytes, *, name: str = "sertifikat.pdf"
) -> Any:
    return client.post(
        "/api/v1/documents/stamp",
        files={"file": (name, upload, "application/pdf")},
        data={"document": json.dumps(body(unit_code="DPUPR"))},
        headers=bearer(keys.issuer.secret),
    )


@pytest.mark.parametrize(("build", "kind", "found_in"), list(ACTIVE.values()), ids=list(ACTIVE))
def test_stamping_refuses_active_content_before_numbering(
    client: TestClient[Any],
    api_keys: Keys,
    registry: Registry,
    build: Callable[[], bytes],
    kind: str,
    found_in: str,
) -> None:
    before = nothing_written(registry)
    response = stamp(client, api_keys, build())
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == "file"
    assert problem["active_content"] == kind
    assert problem["detail"].startswith("PDF berisi ") and f"({found_in})" in problem["detail"]
    assert nothing_written(registry) == before


def test_stamping_refuses_a_decompression_bomb_before_numbering(
    client: TestClient[Any], api_keys: Keys, registry: Registry
) -> None:
    before = nothing_written(registry)
    response = stamp(client, api_keys, hostile_pdf.content_bomb(256))
    assert response.status_code == 422, response.text
    assert "bom dekompresi" in response.json()["detail"]
    assert response.json()["field"] == "file"
    assert nothing_written(registry) == before  # before the fix: a number taken, left void


@pytest.mark.parametrize(
    ("upload", "name"),
    [
        pytest.param(hostile_pdf.png_with_pdf_appended(), "sertifikat.pdf", id="png-then-pdf"),
        pytest.param(b"junk\n" + outside_pdf(), "sertifikat.pdf", id="junk-then-pdf"),
    ],
)
def test_stamping_refuses_a_pdf_that_does_not_start_as_one(
    client: TestClient[Any], api_keys: Keys, registry: Registry, upload: bytes, name: str
) -> None:
    before = nothing_written(registry)
    response = stamp(client, api_keys, upload, name=name)
    assert response.status_code == 422, response.text
    assert "bukan PDF" in response.json()["detail"]
    assert nothing_written(registry) == before


def test_stamping_refuses_a_pdf_sent_as_an_image(
    client: TestClient[Any], api_keys: Keys, registry: Registry
) -> None:
    before = nothing_written(registry)
    response = client.post(
        "/api/v1/documents/stamp",
        files={"file": ("foto.png", outside_pdf(), "image/png")},
        data={"document": json.dumps(body(unit_code="DPUPR"))},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 422, response.text
    assert (
        response.json()["claimed"] == "image/png" and response.json()["found"] == "application/pdf"
    )
    assert nothing_written(registry) == before


def test_stamping_accepts_links_and_form_fields(client: TestClient[Any], api_keys: Keys) -> None:
    response = stamp(client, api_keys, hostile_pdf.links_and_form_fields())
    assert response.status_code == 201, response.text


# -- evidence of a request: stored, and served inline to staff ----------------------------------


def filed_request(client: TestClient[Any], keys: Keys) -> str:
    add_units(client, keys)
    created = client.post(
        "/api/v1/requests", json=ISSUE_BODY, headers=bearer(keys.requester.secret)
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def add_evidence(
    client: TestClient[Any], keys: Keys, request_id: str, file: tuple[str, bytes, str]
) -> Any:
    return client.post(
        f"/api/v1/requests/{request_id}/evidence",
        files={"file": file},
        data={"kind": "surat_perintah"},
        headers=bearer(keys.requester.secret),
    )


def evidence_of(client: TestClient[Any], keys: Keys, request_id: str) -> list[Any]:
    seen = client.get(f"/api/v1/requests/{request_id}", headers=bearer(keys.requester.secret))
    return list(seen.json()["evidence"])


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        pytest.param(
            ("sp.pdf", hostile_pdf.open_action_script(), "application/pdf"),
            "PDF berisi JavaScript (OpenAction)",
            id="open-action-javascript",
        ),
        pytest.param(
            ("sp.pdf", hostile_pdf.embedded_file(), "application/pdf"),
            "PDF berisi berkas sematan (EmbeddedFiles)",
            id="embedded-files",
        ),
        pytest.param(
            ("sp.pdf", hostile_pdf.content_bomb(256), "application/pdf"),
            "bom dekompresi",
            id="decompression-bomb",
        ),
        pytest.param(
            ("sp.pdf", hostile_pdf.png_with_pdf_appended(), "application/pdf"),
            "Isi berkas bukan PDF",
            id="png-then-pdf-named-pdf",
        ),
    ],
)
def test_evidence_with_active_content_or_a_disguise_is_refused_before_it_is_stored(
    client: TestClient[Any],
    api_keys: Keys,
    registry: Registry,
    file: tuple[str, bytes, str],
    expected: str,
) -> None:
    request_id = filed_request(client, api_keys)
    before = nothing_written(registry)
    response = add_evidence(client, api_keys, request_id, file)
    assert response.status_code == 422, response.text
    assert expected in response.json()["detail"]
    assert response.json()["field"] == "file"
    assert nothing_written(registry) == before
    assert evidence_of(client, api_keys, request_id) == []


# -- no false refusals: what LibreOffice makes from a DOCX ---------------------------------------


@pytest.fixture
def pdf_client(pdf_registry: Registry) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(registry=pdf_registry)) as test_client:
        yield test_client


def test_a_pdf_libreoffice_made_from_a_docx_is_stamped_and_kept_as_evidence(
    pdf_client: TestClient[Any], api_keys: Keys
) -> None:
    issued = pdf_client.post(
        "/api/v1/documents", json=body(), headers=bearer(api_keys.issuer.secret)
    )
    assert issued.status_code == 201, issued.text
    url = next(f["url"] for f in issued.json()["files"] if f["kind"] == "pdf")
    made_by_libreoffice = pdf_client.get(url, headers=bearer(api_keys.issuer.secret)).content
    assert made_by_libreoffice.startswith(b"%PDF-")

    stamped = stamp(pdf_client, api_keys, made_by_libreoffice, name="dari-libreoffice.pdf")
    assert stamped.status_code == 201, stamped.text
    request_id = filed_request(pdf_client, api_keys)
    kept = add_evidence(
        pdf_client, api_keys, request_id, ("sp.pdf", made_by_libreoffice, "application/pdf")
    )
    assert kept.status_code == 201, kept.text
