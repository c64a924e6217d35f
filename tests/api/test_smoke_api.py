from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.agency import DEFAULT_AGENCY_TOML
from registry.settings import Settings
from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.support.drafts import batch_body, body, outside_pdf


def test_issue_then_verify_over_http(client: TestClient[Any], api_keys: Keys) -> None:
    response = client.post("/api/v1/documents", json=body(), headers=bearer(api_keys.issuer.secret))
    assert response.status_code == 201, response.text
    token = response.json()["verify_url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/verify/{token}").json()["status"] == "valid"


# -- deployment warnings ---------------------------------------------------------------------------

Issue = Callable[[TestClient[Any], dict[str, str]], httpx.Response]


def _supersede(client: TestClient[Any], auth: dict[str, str]) -> httpx.Response:
    first = client.post("/api/v1/documents", json=body(), headers=auth).json()
    return client.post(
        f"/api/v1/documents/{first['id']}/supersede",
        json={**body(), "reason": "Salah ketik nama"},
        headers=auth,
    )


ISSUANCES: dict[str, Issue] = {
    "document": lambda client, auth: client.post("/api/v1/documents", json=body(), headers=auth),
    "supersede": _supersede,
    "stamp": lambda client, auth: client.post(
        "/api/v1/documents/stamp",
        files={"file": ("luar.pdf", outside_pdf(), "application/pdf")},
        data={"document": json.dumps(body(unit_code="DPUPR"))},
        headers=auth,
    ),
    "batch": lambda client, auth: client.post(
        "/api/v1/documents/batch", json=batch_body(1), headers=auth
    ),
}

REAL_AGENCY_TOML = (
    DEFAULT_AGENCY_TOML.replace("PEMERINTAH PROVINSI CONTOH", "PEMERINTAH KABUPATEN KUTAI BARAT")
    .replace("Jalan Contoh Nomor 1, Kota Contoh 00000", "Jalan Jenderal Sudirman 1, Sendawar")
    .replace('city = "Kota Contoh"', 'city = "Sendawar"')
    .replace("Nama Kepala Badan, S.H., M.Si.", "Dr. Yohanes Lete, S.H., M.Si.")
    .replace("196903091994032001", "197102121995031003")
    .replace("PROVINSI CONTOH", "KABUPATEN KUTAI BARAT")
)


def _client(settings: Settings, db: Database, keyring: KeyRing) -> Iterator[TestClient[Any]]:
    registry = build_registry(settings, db=db, keyring=keyring, converter=UnavailableConverter())
    with TestClient(create_app(registry=registry)) as test_client:
        yield test_client


@pytest.fixture
def configured_client(
    settings: Settings, db: Database, keyring: KeyRing
) -> Iterator[TestClient[Any]]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.agency_file.write_text(REAL_AGENCY_TOML, encoding="utf-8")
    yield from _client(settings, db, keyring)


@pytest.fixture
def loopback_client(
    settings: Settings, db: Database, keyring: KeyRing
) -> Iterator[TestClient[Any]]:
    yield from _client(replace(settings, public_url="http://127.0.0.1:9000"), db, keyring)


def test_health_warns_about_the_example_agency_toml(client: TestClient[Any]) -> None:
    # The test settings have a public URL; agency.toml is the one written on first run.
    warnings = client.get("/healthz").json()["warnings"]
    assert len(warnings) == 1
    assert "agency.toml" in warnings[0] and "[signer].name" in warnings[0]


def test_health_warns_about_a_loopback_public_url(loopback_client: TestClient[Any]) -> None:
    warnings = loopback_client.get("/healthz").json()["warnings"]
    assert any("http://127.0.0.1:9000" in w and "SATUPINTU_PUBLIC_URL" in w for w in warnings)
    assert any("agency.toml" in w for w in warnings)


@pytest.mark.parametrize("issuance", list(ISSUANCES))
def test_every_issuance_answer_carries_the_warnings(
    loopback_client: TestClient[Any], api_keys: Keys, issuance: str
) -> None:
    warnings = loopback_client.get("/healthz").json()["warnings"]
    assert len(warnings) == 2
    response = ISSUANCES[issuance](loopback_client, bearer(api_keys.issuer.secret))
    assert response.status_code in (201, 202), response.text
    header = response.headers["warning"]
    assert header.count('199 satupintu "') == 2
    assert "SATUPINTU_PUBLIC_URL" in header and "agency.toml" in header
    if issuance != "stamp":  # the stamped PDF is the body; the header carries the warnings
        assert response.json()["warnings"] == warnings


@pytest.mark.parametrize("issuance", list(ISSUANCES))
def test_a_configured_deployment_answers_without_warnings(
    configured_client: TestClient[Any], api_keys: Keys, issuance: str
) -> None:
    assert configured_client.get("/healthz").json()["warnings"] == []
    response = ISSUANCES[issuance](configured_client, bearer(api_keys.issuer.secret))
    assert response.status_code in (201, 202), response.text
    assert "warning" not in response.headers
    if issuance != "stamp":
        assert response.json()["warnings"] == []


def test_reading_a_document_carries_no_deployment_warnings(
    loopback_client: TestClient[Any], api_keys: Keys
) -> None:
    auth = bearer(api_keys.issuer.secret)
    issued = loopback_client.post("/api/v1/documents", json=body(), headers=auth).json()
    read = loopback_client.get(f"/api/v1/documents/{issued['id']}", headers=auth)
    assert "warnings" not in read.json() and "warning" not in read.headers
