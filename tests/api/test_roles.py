"""The role matrix: every endpoint x every kind of caller x the status it must get.

Guarded endpoints answer 401 (with WWW-Authenticate and problem JSON) to a caller without a usable
key, 403 to a known key of the wrong role or unit, and change nothing when they refuse. Public
endpoints answer 200 to everyone, whatever Authorization header comes along.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from registry.adapters.db import apikeys
from registry.adapters.exports import MEDIA_TYPES
from registry.adapters.spreadsheets import read_recipients
from registry.domain.units import UnitDraft
from registry.domain.views import DocumentView
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.integration.test_requests import ISSUE_BODY, PNG
from tests.support.drafts import (
    PNS_NIP,
    batch_body,
    body,
    draft,
    failed_batch_now,
    issue_batch_now,
    outside_pdf,
)
from tests.support.pdf import extract_text

PROBLEM_JSON = "application/problem+json"
PRINCIPALS = (
    "anonymous",
    "bad_key",
    "revoked_key",
    "issuer",
    "auditor",
    "requester_DPUPR",
    "requester_DINKES",
)

# fmt: off
# (req-DINKES files from a unit this world has not registered: refused before anything is written)
#                                 anonymous  bad  revoked  issuer  auditor  req-DPUPR  req-DINKES
MATRIX: dict[str, tuple[int, ...]] = {
    "POST_documents":              (401,     401,  401,     201,    403,     403,       403),
    "GET_documents":               (401,     401,  401,     200,    200,     200,       200),
    "GET_document_of_DPUPR":       (401,     401,  401,     200,    200,     200,       403),
    "POST_revoke":                 (401,     401,  401,     200,    403,     403,       403),
    "POST_supersede":              (401,     401,  401,     201,    403,     403,       403),
    "GET_verify_json":             (200,     200,  200,     200,    200,     200,       200),
    "GET_verify_page":             (200,     200,  200,     200,    200,     200,       200),
    "POST_verify_page_nip":        (200,     200,  200,     200,    200,     200,       200),
    "GET_jwks":                    (200,     200,  200,     200,    200,     200,       200),
    "GET_openapi":                 (200,     200,  200,     200,    200,     200,       200),
    "GET_healthz":                 (200,     200,  200,     200,    200,     200,       200),
    "GET_document_pdf":            (401,     401,  401,     200,    200,     200,       403),
    "GET_document_docx":           (401,     401,  401,     200,    200,     200,       403),
    "POST_stamp":                  (401,     401,  401,     201,    403,     403,       403),
    "POST_verify_file":            (200,     200,  200,     200,    200,     200,       200),
    "POST_verify_page_file":       (200,     200,  200,     200,    200,     200,       200),
    "POST_batch":                  (401,     401,  401,     202,    403,     403,       403),
    "GET_batch_template":          (401,     401,  401,     200,    403,     403,       403),
    "GET_job":                     (401,     401,  401,     200,    200,     403,       403),
    "GET_job_merged_pdf":          (401,     401,  401,     200,    200,     403,       403),
    "GET_job_zip":                 (401,     401,  401,     200,    200,     403,       403),
    "POST_job_retry":              (401,     401,  401,     202,    403,     403,       403),
    "POST_jp_calculate":           (401,     401,  401,     200,    200,     200,       200),
    "POST_requests":               (401,     401,  401,     201,    403,     201,       422),
    "GET_requests":                (401,     401,  401,     200,    200,     200,       200),
    "GET_request_DPUPR":           (401,     401,  401,     200,    200,     200,       404),
    "POST_request_evidence":       (401,     401,  401,     201,    403,     201,       404),
    "GET_request_evidence":        (401,     401,  401,     200,    200,     200,       404),
    "POST_request_submit":         (401,     401,  401,     200,    403,     200,       404),
    "POST_request_withdraw":       (401,     401,  401,     200,    403,     200,       404),
    "POST_request_approve":        (401,     401,  401,     200,    403,     403,       403),
    "POST_request_reject":         (401,     401,  401,     200,    403,     403,       403),
    "POST_units":                  (401,     401,  401,     201,    403,     403,       403),
    "GET_units":                   (401,     401,  401,     200,    200,     200,       200),
    "GET_unit_DPUPR":              (401,     401,  401,     200,    200,     200,       403),
    "POST_roster_DPUPR":           (401,     401,  401,     201,    403,     201,       403),
    "GET_roster_DPUPR":            (401,     401,  401,     200,    200,     200,       403),
    # (an employee rostered in DPUPR: another unit's requester is told it is not there)
    "GET_employee_jp_DPUPR":       (401,     401,  401,     200,    200,     200,       404),
    "GET_employee_myasn_DPUPR":    (401,     401,  401,     200,    200,     200,       404),
    "GET_report_jp_DPUPR":         (401,     401,  401,     200,    200,     200,       403),
    # (the employee is rostered in DPUPR: another unit's requester is told it is not there)
    "GET_kartu_of_DPUPR_employee": (401,     401,  401,     200,    200,     200,       404),
}
# fmt: on
GUARDED = {
    "POST_documents",
    "GET_documents",
    "GET_document_of_DPUPR",
    "POST_revoke",
    "POST_supersede",
    "GET_document_pdf",
    "GET_document_docx",
    "POST_stamp",
    "POST_batch",
    "GET_batch_template",
    "GET_job",
    "GET_job_merged_pdf",
    "GET_job_zip",
    "POST_job_retry",
    "POST_jp_calculate",
    "POST_units",
    "GET_units",
    "GET_unit_DPUPR",
    "POST_roster_DPUPR",
    "GET_roster_DPUPR",
    "POST_requests",
    "GET_requests",
    "GET_request_DPUPR",
    "POST_request_evidence",
    "GET_request_evidence",
    "POST_request_submit",
    "POST_request_withdraw",
    "POST_request_approve",
    "POST_request_reject",
    "GET_employee_jp_DPUPR",
    "GET_employee_myasn_DPUPR",
    "GET_report_jp_DPUPR",
    "GET_kartu_of_DPUPR_employee",
}
REPORTS = (
    "GET_employee_jp_DPUPR",
    "GET_employee_myasn_DPUPR",
    "GET_report_jp_DPUPR",
    "GET_kartu_of_DPUPR_employee",
)

CASES = [
    pytest.param(endpoint, principal, status, id=f"{endpoint}-{principal}-{status}")
    for endpoint, statuses in MATRIX.items()
    for principal, status in zip(PRINCIPALS, statuses, strict=True)
]


@dataclass
class World:
    client: TestClient[Any]
    registry: Registry
    keys: Keys
    revoked_secret: str
    document: DocumentView  # issued, unit DPUPR

    @cached_property
    def job_id(self) -> str:
        """A finished batch of two (made only for the rows that need one)."""
        return str(issue_batch_now(self.registry, self.keys.issuer.actor, 2).id)

    @cached_property
    def failed_job_id(self) -> str:
        """A batch of one whose merge failed for good (made only for the rows that need one)."""
        return str(failed_batch_now(self.registry, self.keys.issuer.actor, 1))

    @cached_property
    def draft_request_id(self) -> str:
        """A DPUPR request with the evidence its path needs, not yet submitted."""
        unit = bearer(self.keys.requester.secret)
        created = self.client.post("/api/v1/requests", json=ISSUE_BODY, headers=unit)
        assert created.status_code == 201, created.text
        request_id: str = created.json()["id"]
        for kind, file in (
            ("surat_perintah", ("sp.pdf", outside_pdf(), "application/pdf")),
            ("formulir", ("f.png", PNG, "image/png")),
        ):
            added = self.client.post(
                f"/api/v1/requests/{request_id}/evidence",
                files={"file": file},
                data={"kind": kind},
                headers=unit,
            )
            assert added.status_code == 201, added.text
        return request_id

    @cached_property
    def evidence_url(self) -> str:
        """Where the draft request's formulir (a PNG) is served."""
        seen = self.client.get(
            f"/api/v1/requests/{self.draft_request_id}", headers=bearer(self.keys.issuer.secret)
        )
        assert seen.status_code == 200, seen.text
        [formulir] = [e for e in seen.json()["evidence"] if e["kind"] == "formulir"]
        url: str = formulir["url"]
        return url

    @cached_property
    def submitted_request_id(self) -> str:
        request_id = self.draft_request_id
        submitted = self.client.post(
            f"/api/v1/requests/{request_id}/submit", headers=bearer(self.keys.requester.secret)
        )
        assert submitted.status_code == 200, submitted.text
        return request_id

    def request_path(self, endpoint: str) -> str:
        decided = endpoint in (
            "POST_request_withdraw",
            "POST_request_approve",
            "POST_request_reject",
        )
        return f"/api/v1/requests/{self.submitted_request_id if decided else self.draft_request_id}"

    @cached_property
    def rostered(self) -> str:
        """The document's holder, rostered in DPUPR (made only for the rows that need one)."""
        units = Units(self.registry.db, now=self.registry.now, today=self.registry.local_today)
        roster = f"NIP,Nama,Jenis Jabatan\n{PNS_NIP},Siti,fungsional\n".encode()
        units.import_roster("DPUPR", roster, self.keys.issuer.actor, filename="pegawai.csv")
        return PNS_NIP

    @cached_property
    def pdf(self) -> bytes:
        """The document's issued PDF."""
        response = self.client.get(
            f"/api/v1/documents/{self.document.id}/pdf", headers=bearer(self.keys.issuer.secret)
        )
        assert response.status_code == 200, response.text
        return response.content

    def headers(self, principal: str) -> dict[str, str]:
        secrets = {
            "anonymous": None,
            "bad_key": "sp_nope",
            "revoked_key": self.revoked_secret,
            "issuer": self.keys.issuer.secret,
            "auditor": self.keys.auditor.secret,
            "requester_DPUPR": self.keys.requester.secret,
            "requester_DINKES": self.keys.other_requester.secret,
        }
        secret = secrets[principal]
        return {} if secret is None else bearer(secret)


def _issue(
    registry: Registry, keys: Keys, unit_code: str | None, name: str = "Siti"
) -> DocumentView:
    return registry.issue(draft(unit_code=unit_code, name=name), keys.issuer.actor).document


# The rows whose answers are PDFs LibreOffice made (or read from one). Every other row is about
# who may call what, so its world is issued as DOCX only: a conversion costs about half a second,
# and this matrix has 600 cases.
NEEDS_PDF = frozenset(
    {
        "GET_document_pdf",
        "POST_verify_file",
        "POST_verify_page_file",
        "GET_job_merged_pdf",
        "GET_kartu_of_DPUPR_employee",
    }
)
assert MATRIX.keys() >= NEEDS_PDF


@pytest.fixture
def registry(request: pytest.FixtureRequest, registry: Registry) -> Registry:
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("endpoint") in NEEDS_PDF:
        pdf_registry: Registry = request.getfixturevalue("pdf_registry")
        return pdf_registry
    return registry


@pytest.fixture
def world(client: TestClient[Any], registry: Registry, api_keys: Keys) -> World:
    now = datetime.now(UTC)
    with registry.db.writing() as session:
        doomed = apikeys.create_key(session, role="issuer", unit_code=None, name="old", now=now)
    # The key works before it is revoked, so a 401 below is the revocation's doing.
    assert client.get("/api/v1/documents", headers=bearer(doomed.secret)).status_code == 200
    with registry.db.writing() as session:
        apikeys.revoke_key(session, doomed.actor.id, now=now)
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum"), api_keys.issuer.actor)
    return World(client, registry, api_keys, doomed.secret, _issue(registry, api_keys, "DPUPR"))


def _token(document: DocumentView) -> str:
    return document.verify_url.rsplit("/", 1)[1]


CALLS: dict[str, Callable[[World, dict[str, str]], httpx.Response]] = {
    "POST_documents": lambda w, h: w.client.post(
        "/api/v1/documents", json=body(unit_code="DPUPR"), headers=h
    ),
    "GET_documents": lambda w, h: w.client.get("/api/v1/documents", headers=h),
    "GET_document_of_DPUPR": lambda w, h: w.client.get(
        f"/api/v1/documents/{w.document.id}", headers=h
    ),
    "POST_revoke": lambda w, h: w.client.post(
        f"/api/v1/documents/{w.document.id}/revoke", json={"reason": "salah nama"}, headers=h
    ),
    "POST_supersede": lambda w, h: w.client.post(
        f"/api/v1/documents/{w.document.id}/supersede",
        json={**body(unit_code="DPUPR"), "reason": "perbaikan nama"},
        headers=h,
    ),
    "GET_verify_json": lambda w, h: w.client.get(f"/api/v1/verify/{_token(w.document)}", headers=h),
    "GET_verify_page": lambda w, h: w.client.get(f"/v/{_token(w.document)}", headers=h),
    "POST_verify_page_nip": lambda w, h: w.client.post(
        f"/v/{_token(w.document)}/nip", data={"nip": PNS_NIP}, headers=h
    ),
    "GET_jwks": lambda w, h: w.client.get("/.well-known/jwks.json", headers=h),
    "GET_openapi": lambda w, h: w.client.get("/schema/openapi.json", headers=h),
    "GET_healthz": lambda w, h: w.client.get("/healthz", headers=h),
    "GET_document_pdf": lambda w, h: w.client.get(
        f"/api/v1/documents/{w.document.id}/pdf", headers=h
    ),
    "GET_document_docx": lambda w, h: w.client.get(
        f"/api/v1/documents/{w.document.id}/docx", headers=h
    ),
    "POST_stamp": lambda w, h: w.client.post(
        "/api/v1/documents/stamp",
        files={"file": ("provider.pdf", outside_pdf(), "application/pdf")},
        data={"document": json.dumps(body(unit_code="DPUPR"))},
        headers=h,
    ),
    "POST_verify_file": lambda w, h: w.client.post(
        "/api/v1/verify/file", files={"file": ("doc.pdf", w.pdf, "application/pdf")}, headers=h
    ),
    "POST_verify_page_file": lambda w, h: w.client.post(
        f"/v/{_token(w.document)}/file",
        files={"file": ("doc.pdf", w.pdf, "application/pdf")},
        headers=h,
    ),
    "POST_batch": lambda w, h: w.client.post(
        "/api/v1/documents/batch", json=batch_body(2), headers=h
    ),
    "GET_batch_template": lambda w, h: w.client.get(
        "/api/v1/documents/batch/template.xlsx", headers=h
    ),
    "GET_job": lambda w, h: w.client.get(f"/api/v1/jobs/{w.job_id}", headers=h),
    "GET_job_merged_pdf": lambda w, h: w.client.get(
        f"/api/v1/jobs/{w.job_id}/merged.pdf", headers=h
    ),
    "GET_job_zip": lambda w, h: w.client.get(f"/api/v1/jobs/{w.job_id}/documents.zip", headers=h),
    "POST_job_retry": lambda w, h: w.client.post(
        f"/api/v1/jobs/{w.failed_job_id}/retry", headers=h
    ),
    "POST_jp_calculate": lambda w, h: w.client.post(
        "/api/v1/jp/calculate",
        json={"path": "coaching", "scope": "nasional", "sessions": [{"date": "2026-03-02"}]},
        headers=h,
    ),
    "POST_requests": lambda w, h: w.client.post("/api/v1/requests", json=ISSUE_BODY, headers=h),
    "GET_requests": lambda w, h: w.client.get("/api/v1/requests", headers=h),
    "GET_request_DPUPR": lambda w, h: w.client.get(w.request_path("GET_request_DPUPR"), headers=h),
    "POST_request_evidence": lambda w, h: w.client.post(
        w.request_path("POST_request_evidence") + "/evidence",
        files={"file": ("bahan.png", PNG, "image/png")},
        data={"kind": "lainnya"},
        headers=h,
    ),
    "GET_request_evidence": lambda w, h: w.client.get(w.evidence_url, headers=h),
    "POST_request_submit": lambda w, h: w.client.post(
        w.request_path("POST_request_submit") + "/submit", headers=h
    ),
    "POST_request_withdraw": lambda w, h: w.client.post(
        w.request_path("POST_request_withdraw") + "/withdraw", headers=h
    ),
    "POST_request_approve": lambda w, h: w.client.post(
        w.request_path("POST_request_approve") + "/approve", headers=h
    ),
    "POST_request_reject": lambda w, h: w.client.post(
        w.request_path("POST_request_reject") + "/reject",
        json={"reason": "Formulir belum ditandatangani"},
        headers=h,
    ),
    "POST_units": lambda w, h: w.client.post(
        "/api/v1/units", json={"code": "DISDIK", "name": "Dinas Pendidikan"}, headers=h
    ),
    "GET_units": lambda w, h: w.client.get("/api/v1/units", headers=h),
    "GET_unit_DPUPR": lambda w, h: w.client.get("/api/v1/units/DPUPR", headers=h),
    "POST_roster_DPUPR": lambda w, h: w.client.post(
        "/api/v1/units/DPUPR/employees",
        files={"file": ("pegawai.csv", f"NIP,Nama\n{PNS_NIP},Siti\n".encode(), "text/csv")},
        headers=h,
    ),
    "GET_roster_DPUPR": lambda w, h: w.client.get("/api/v1/units/DPUPR/employees", headers=h),
    "GET_employee_jp_DPUPR": lambda w, h: w.client.get(
        f"/api/v1/employees/{w.rostered}/jp?year=2026", headers=h
    ),
    "GET_employee_myasn_DPUPR": lambda w, h: w.client.get(
        f"/api/v1/employees/{w.rostered}/myasn?year=2026", headers=h
    ),
    "GET_report_jp_DPUPR": lambda w, h: w.client.get(
        "/api/v1/reports/jp?unit=DPUPR&year=2026&format=xlsx", headers=h
    ),
    "GET_kartu_of_DPUPR_employee": lambda w, h: w.client.get(
        f"/api/v1/employees/{w.rostered}/kartu?year=2026", headers=h
    ),
}


def _document_status(world: World) -> str:
    return world.registry.get(world.document.id, world.keys.auditor.actor).status


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"]
    assert problem["title"]
    assert problem["detail"]
    return problem


@pytest.mark.parametrize(("endpoint", "principal", "expected"), CASES)
def test_role_matrix(world: World, endpoint: str, principal: str, expected: int) -> None:
    if endpoint.startswith("GET_job"):
        assert world.job_id  # exists before the call, so a refusal is the guard's doing
    if endpoint == "POST_job_retry":
        assert world.failed_job_id
    if "verify_file" in endpoint or "page_file" in endpoint:
        assert world.pdf
    if "_request_" in endpoint:
        assert world.request_path(endpoint)  # exists before the call
    if endpoint in REPORTS:
        assert world.rostered
    if endpoint == "GET_request_evidence":
        assert world.evidence_url
    before = written_state(world.registry)
    response = CALLS[endpoint](world, world.headers(principal))
    assert response.status_code == expected, response.text

    if expected == 401:
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].lower().startswith("bearer")
    elif expected == 403:
        assert_problem(response, 403)

    if expected >= 400:
        # A refusal writes nothing: no document, no number, no audit entry, no status change.
        assert written_state(world.registry) == before
        assert _document_status(world) == "issued"
        return

    if endpoint == "POST_documents":
        assert response.json()["unit_code"] == "DPUPR"
        assert written_state(world.registry)[0] == before[0] + 1
    elif endpoint == "POST_stamp":
        assert response.content.startswith(b"%PDF-")
        assert response.headers["x-document-number"]
        assert written_state(world.registry)[0] == before[0] + 1
    elif endpoint == "POST_batch":
        assert response.json()["total"] == 2
        assert written_state(world.registry)[0] == before[0] + 2
    elif endpoint == "GET_batch_template":
        [example] = read_recipients(response.content, filename=None, media_type=None)
        assert example.row == 2
        assert response.headers["content-type"].startswith(MEDIA_TYPES["xlsx"])
        assert "templat-daftar-peserta.xlsx" in response.headers["content-disposition"]
        assert written_state(world.registry) == before
    elif endpoint in ("GET_document_pdf", "GET_job_merged_pdf"):
        assert response.content.startswith(b"%PDF-")
    elif endpoint == "GET_document_docx" or endpoint == "GET_job_zip":
        assert response.content.startswith(b"PK\x03\x04")
    elif endpoint == "GET_job":
        assert response.json()["status"] == "done"
    elif endpoint == "POST_job_retry":
        assert response.json()["id"] == world.failed_job_id
        assert response.json()["status"] in ("rendering", "done")
    elif endpoint == "POST_verify_file":
        assert response.json()["status"] == "valid"
    elif endpoint == "POST_verify_page_file":
        assert "sama persis" in response.text
    elif endpoint == "POST_revoke":
        assert response.json()["status"] == "revoked"
        assert _document_status(world) == "revoked"
    elif endpoint == "POST_supersede":
        assert response.json()["supersedes"]["id"] == str(world.document.id)
        assert _document_status(world) == "superseded"
    elif endpoint == "GET_document_of_DPUPR":
        assert response.json()["id"] == str(world.document.id)
        assert response.json()["recipient"]["nip"] == PNS_NIP
    elif endpoint == "POST_jp_calculate":
        assert response.json()["jp"] == "2"
        assert written_state(world.registry) == before  # a calculation stores nothing
    elif endpoint == "GET_documents":
        listed = {item["id"] for item in response.json()["items"]}
        assert (str(world.document.id) in listed) == (principal != "requester_DINKES")
    elif endpoint == "POST_units":
        assert response.json()["code"] == "DISDIK"
    elif endpoint == "POST_requests":
        assert response.json()["status"] == "draft"
    elif endpoint == "GET_requests":
        listed = [item["id"] for item in response.json()["requests"]]
        assert listed == []  # the world's own requests are made only for the rows that need one
    elif endpoint == "GET_request_DPUPR":
        assert response.json()["id"] == world.draft_request_id
    elif endpoint == "POST_request_evidence":
        assert response.json()["kind"] == "lainnya"
    elif endpoint == "GET_request_evidence":
        assert response.content == PNG
        assert response.headers["content-type"] == "image/png"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert written_state(world.registry) == before
    elif endpoint in ("POST_request_submit", "POST_request_withdraw", "POST_request_reject"):
        wanted = {"POST_request_submit": "submitted", "POST_request_withdraw": "withdrawn"}
        assert response.json()["status"] == wanted.get(endpoint, "rejected")
    elif endpoint == "POST_request_approve":
        assert response.json()["status"] == "approved"
        assert written_state(world.registry)[0] == before[0] + 1
    elif endpoint == "GET_units":
        codes = [unit["code"] for unit in response.json()["units"]]
        assert codes == ([] if principal == "requester_DINKES" else ["DPUPR"])
    elif endpoint == "GET_unit_DPUPR":
        assert response.json()["code"] == "DPUPR"
    elif endpoint == "POST_roster_DPUPR":
        assert response.json()["created"] == 1
    elif endpoint == "GET_roster_DPUPR":
        assert response.json()["employees"] == []
    elif endpoint == "GET_employee_jp_DPUPR":
        assert (response.json()["nip"], response.json()["total"]) == (PNS_NIP, "8")
    elif endpoint == "GET_employee_myasn_DPUPR":
        numbers = [row["nomor_sertifikat"] for row in response.json()["rows"]]
        assert numbers == [world.document.number]
    elif endpoint == "GET_report_jp_DPUPR":
        assert response.content.startswith(b"PK\x03\x04")  # the XLSX
        assert written_state(world.registry) == before
    elif endpoint == "GET_kartu_of_DPUPR_employee":
        assert response.content.startswith(b"%PDF-")
        assert world.document.number in extract_text(response.content)
        assert written_state(world.registry) == before  # a report: nothing numbered or stored
    else:
        assert endpoint not in GUARDED
        assert written_state(world.registry) == before


def test_matrix_covers_every_documented_route(client: TestClient[Any]) -> None:
    """A new API route must get a row in the matrix (the page routes are not in the schema)."""
    documented = {
        (method.upper(), path)
        for path, operations in client.get("/schema/openapi.json").json()["paths"].items()
        for method in operations
    }
    assert documented == {
        ("POST", "/api/v1/documents"),
        ("GET", "/api/v1/documents"),
        ("GET", "/api/v1/documents/{document_id}"),
        ("POST", "/api/v1/documents/{document_id}/revoke"),
        ("POST", "/api/v1/documents/{document_id}/supersede"),
        ("GET", "/api/v1/documents/{document_id}/pdf"),
        ("GET", "/api/v1/documents/{document_id}/docx"),
        ("POST", "/api/v1/documents/stamp"),
        ("POST", "/api/v1/documents/batch"),
        ("GET", "/api/v1/documents/batch/template.xlsx"),
        ("GET", "/api/v1/jobs/{job_id}"),
        ("GET", "/api/v1/jobs/{job_id}/merged.pdf"),
        ("GET", "/api/v1/jobs/{job_id}/documents.zip"),
        ("POST", "/api/v1/jobs/{job_id}/retry"),
        ("POST", "/api/v1/jp/calculate"),
        ("POST", "/api/v1/requests"),
        ("GET", "/api/v1/requests"),
        ("GET", "/api/v1/requests/{request_id}"),
        ("POST", "/api/v1/requests/{request_id}/evidence"),
        ("GET", "/api/v1/requests/{request_id}/evidence/{evidence_id}"),
        ("POST", "/api/v1/requests/{request_id}/submit"),
        ("POST", "/api/v1/requests/{request_id}/withdraw"),
        ("POST", "/api/v1/requests/{request_id}/approve"),
        ("POST", "/api/v1/requests/{request_id}/reject"),
        ("POST", "/api/v1/units"),
        ("GET", "/api/v1/units"),
        ("GET", "/api/v1/units/{code}"),
        ("POST", "/api/v1/units/{code}/employees"),
        ("GET", "/api/v1/units/{code}/employees"),
        ("GET", "/api/v1/employees/{nip}/jp"),
        ("GET", "/api/v1/employees/{nip}/myasn"),
        ("GET", "/api/v1/reports/jp"),
        ("GET", "/api/v1/employees/{nip}/kartu"),
        ("POST", "/api/v1/verify/file"),
        ("GET", "/api/v1/verify/{token}"),
        ("GET", "/.well-known/jwks.json"),
        ("GET", "/healthz"),
    }


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def test_list_shows_each_requester_only_its_own_unit(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    dpupr = {str(_issue(registry, api_keys, "DPUPR", name=f"Pegawai {n}").id) for n in range(2)}
    dinkes = {str(_issue(registry, api_keys, "DINKES").id)}
    no_unit = {str(_issue(registry, api_keys, None).id)}
    everything = dpupr | dinkes | no_unit

    def listed(key: apikeys.CreatedKey, query: str = "") -> set[str]:
        return _ids(client.get(f"/api/v1/documents{query}", headers=bearer(key.secret)))

    assert listed(api_keys.issuer) == everything
    assert listed(api_keys.auditor) == everything
    assert listed(api_keys.requester) == dpupr
    assert listed(api_keys.other_requester) == dinkes
    # Issuer and auditor may narrow by unit; a requester cannot widen its view by asking.
    assert listed(api_keys.auditor, "?unit_code=DINKES") == dinkes
    assert listed(api_keys.requester, "?unit_code=DINKES") <= dpupr
    assert not listed(api_keys.requester, "?unit_code=DINKES") & (dinkes | no_unit)
    assert listed(api_keys.other_requester, f"?nip={PNS_NIP}") == dinkes


def test_requester_cannot_read_a_document_without_unit(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    document = _issue(registry, api_keys, None)
    url = f"/api/v1/documents/{document.id}"
    assert client.get(url, headers=bearer(api_keys.auditor.secret)).status_code == 200
    assert_problem(client.get(url, headers=bearer(api_keys.requester.secret)), 403)


def test_unknown_document_is_404_for_every_reader(client: TestClient[Any], api_keys: Keys) -> None:
    for key in (api_keys.issuer, api_keys.auditor, api_keys.requester):
        response = client.get(f"/api/v1/documents/{uuid.uuid4()}", headers=bearer(key.secret))
        assert_problem(response, 404)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Basic c2F0dTpwaW50dQ==", id="basic"),
        pytest.param("Bearer", id="bearer-without-key"),
        pytest.param("Bearer    ", id="bearer-blank-key"),
        pytest.param("Token {issuer}", id="other-scheme-with-real-key"),
        pytest.param("{issuer}", id="real-key-without-scheme"),
        pytest.param("Bearer {issuer}x", id="real-key-with-extra-char"),
    ],
)
def test_unusable_authorization_is_401(
    client: TestClient[Any], registry: Registry, api_keys: Keys, authorization: str
) -> None:
    headers = {"Authorization": authorization.format(issuer=api_keys.issuer.secret)}
    before = written_state(registry)
    for response in (
        client.get("/api/v1/documents", headers=headers),
        client.post("/api/v1/documents", json=body(), headers=headers),
    ):
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert written_state(registry) == before


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_bearer_scheme_is_case_insensitive(
    client: TestClient[Any], api_keys: Keys, scheme: str
) -> None:
    headers = {"Authorization": f"{scheme} {api_keys.issuer.secret}"}
    assert client.get("/api/v1/documents", headers=headers).status_code == 200
    response = client.post("/api/v1/documents", json=body(), headers=headers)
    assert response.status_code == 201, response.text


def test_unauthenticated_caller_learns_nothing_about_validation(
    client: TestClient[Any], api_keys: Keys
) -> None:
    """Authentication comes before body parsing: garbage from a stranger is a 401, not a 400."""
    response = client.post(
        "/api/v1/documents",
        content=b"{not json",
        headers={"content-type": "application/json", **bearer("sp_nope")},
    )
    assert_problem(response, 401)
    forbidden = client.post(
        "/api/v1/documents",
        content=b"{not json",
        headers={"content-type": "application/json", **bearer(api_keys.auditor.secret)},
    )
    assert_problem(forbidden, 403)
