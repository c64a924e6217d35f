"""Names and titles that would not print as stored are refused on every path that takes them.

A right-to-left override made the PDF print "Bisang" for a record holding "\\u202egnasiB\\u202c";
a name of zero-width spaces printed as nothing. Each entry point answers 422 naming the field, in
Indonesian, and writes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from registry.adapters.db.schema import Employee, Unit
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.integration.test_requests import ISSUE_BODY
from tests.support.drafts import PNS_NIP, batch_body, body

RTL_OVERRIDE = "\u202egnasiB\u202c"
ZERO_WIDTH_ONLY = "\u200b\u200c\u200d"
HIDDEN_TEXTS = [
    pytest.param(RTL_OVERRIDE, id="right-to-left-override"),
    pytest.param(ZERO_WIDTH_ONLY, id="zero-width-only"),
    pytest.param("Siti\u2066 Aminah", id="isolate-inside"),
    pytest.param("Siti\u200bAminah", id="zero-width-space-inside"),
]
UNIT = {"code": "DPUPR", "name": "Dinas Pekerjaan Umum dan Penataan Ruang"}
ROSTER_HEADER = "NIP;Nama;Unit Kerja;Status;Jenis Jabatan;Jabatan;Pangkat"


def assert_refused(response: httpx.Response, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    fields = {problem.get("field")} | {e.get("column") for e in problem.get("errors", [])}
    assert field in fields, problem
    details = [problem["detail"], *(e["detail"] for e in problem.get("errors", []))]
    assert any("karakter" in d or "terlihat" in d for d in details), problem
    return problem


@pytest.fixture
def issuer(api_keys: Keys) -> dict[str, str]:
    return bearer(api_keys.issuer.secret)


@pytest.fixture
def with_unit(client: TestClient[Any], issuer: dict[str, str]) -> None:
    assert client.post("/api/v1/units", json=UNIT, headers=issuer).status_code == 201


def count(registry: Registry, table: type[Employee] | type[Unit]) -> int:
    with registry.db.reading() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.parametrize("text", HIDDEN_TEXTS)
@pytest.mark.parametrize(
    "field", ["recipient.name", "recipient.position", "recipient.unit", "activity.title"]
)
def test_a_single_issue_refuses_hidden_text(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], field: str, text: str
) -> None:
    before = written_state(registry)
    response = client.post("/api/v1/documents", json=body(**{field: text}), headers=issuer)
    assert_refused(response, field)
    assert written_state(registry) == before


@pytest.mark.parametrize("text", HIDDEN_TEXTS)
def test_a_batch_row_with_a_hidden_name_refuses_the_batch(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], text: str
) -> None:
    batch = batch_body(3)
    batch["recipients"][1]["name"] = text
    before = written_state(registry)
    response = client.post("/api/v1/documents/batch", json=batch, headers=issuer)
    problem = assert_refused(response, "name")
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [(2, "name")]
    assert written_state(registry) == before


def test_a_batch_title_with_a_bidi_control_refuses_the_batch(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str]
) -> None:
    batch = batch_body(2)
    batch["activity"]["title"] = "Pelatihan \u202eknisT\u202c"
    before = written_state(registry)
    response = client.post("/api/v1/documents/batch", json=batch, headers=issuer)
    assert response.status_code == 422, response.text
    assert "activity.title" in response.text
    assert written_state(registry) == before


@pytest.mark.parametrize("text", HIDDEN_TEXTS)
def test_a_roster_row_with_a_hidden_name_imports_nothing(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], with_unit: None, text: str
) -> None:
    lines = [ROSTER_HEADER, f"{PNS_NIP};{text};DPUPR;PNS;;Pranata Komputer;"]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    before = written_state(registry)
    response = client.post(
        "/api/v1/units/DPUPR/employees",
        files={"file": ("pegawai.csv", data, "text/csv")},
        headers=issuer,
    )
    assert_refused(response, "name")
    assert count(registry, Employee) == 0
    assert written_state(registry) == before


@pytest.mark.parametrize("text", HIDDEN_TEXTS)
@pytest.mark.parametrize(
    "field", ["employee.name", "employee.position", "coach.name", "sessions[0].topic"]
)
def test_a_request_refuses_hidden_text(
    client: TestClient[Any],
    registry: Registry,
    api_keys: Keys,
    with_unit: None,
    field: str,
    text: str,
) -> None:
    request = copy.deepcopy(ISSUE_BODY)
    if field == "sessions[0].topic":
        request["sessions"][0]["topic"] = text
    else:
        record, key = field.split(".")
        request[record][key] = text
    requester = bearer(api_keys.requester.secret)
    before = written_state(registry)
    assert_refused(client.post("/api/v1/requests", json=request, headers=requester), field)
    assert client.get("/api/v1/requests", headers=requester).json()["requests"] == []
    assert written_state(registry) == before


@pytest.mark.parametrize("text", HIDDEN_TEXTS)
@pytest.mark.parametrize("field", ["name", "head.name", "head.position"])
def test_a_unit_refuses_hidden_text(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], field: str, text: str
) -> None:
    unit: dict[str, Any] = {
        "code": "DINKES",
        "name": "Dinas Kesehatan",
        "head": {
            "name": "dr. Ratna Dewi, M.Kes.",
            "nip": "197805122003121002",
            "rank": "Pembina Utama Muda (IV/c)",
            "position": "Kepala Dinas",
        },
    }
    if field == "name":
        unit["name"] = text
    else:
        unit["head"][field.removeprefix("head.")] = text
    before = written_state(registry)
    assert_refused(client.post("/api/v1/units", json=unit, headers=issuer), field)
    assert count(registry, Unit) == 0
    assert written_state(registry) == before
