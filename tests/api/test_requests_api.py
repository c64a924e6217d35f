"""The requests API: the issue's body, evidence upload, transitions, roles, problem details."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.integration.test_requests import ISSUE_BODY, PNG
from tests.support.drafts import outside_pdf


def add_units(client: TestClient[Any], keys: Keys) -> None:
    issuer = bearer(keys.issuer.secret)
    for code, name in (("DPUPR", "Dinas PU"), ("DINKES", "Dinas Kesehatan")):
        unit = {"code": code, "name": name}
        assert client.post("/api/v1/units", json=unit, headers=issuer).status_code == 201


def test_a_request_goes_from_filing_to_an_issued_letter(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    unit, issuer = bearer(api_keys.requester.secret), bearer(api_keys.issuer.secret)
    created = client.post("/api/v1/requests", json=ISSUE_BODY, headers=unit)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["sessions"][0]["counted"] is True

    early = client.post(f"/api/v1/requests/{request_id}/submit", headers=unit)
    assert early.status_code == 422
    assert early.json()["missing"] == ["surat_perintah", "formulir"]

    for kind, file in (
        ("surat_perintah", ("sp.pdf", outside_pdf(), "application/pdf")),
        ("formulir", ("f.png", PNG, "image/png")),
    ):
        added = client.post(
            f"/api/v1/requests/{request_id}/evidence",
            files={"file": file},
            data={"kind": kind},
            headers=unit,
        )
        assert added.status_code == 201, added.text
    fake = client.post(
        f"/api/v1/requests/{request_id}/evidence",
        files={"file": ("x.pdf", b"<html>not a pdf</html>", "application/pdf")},
        data={"kind": "bahan"},
        headers=unit,
    )
    assert fake.status_code == 422 and fake.json()["field"] == "file"

    assert client.post(f"/api/v1/requests/{request_id}/submit", headers=unit).status_code == 200
    assert client.post(f"/api/v1/requests/{request_id}/approve", headers=unit).status_code == 403
    approved = client.post(f"/api/v1/requests/{request_id}/approve", headers=issuer)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    document = client.get(approved.json()["document_url"], headers=issuer).json()
    assert document["type"] == "surat_keterangan" and document["status"] == "issued"
    again = client.post(f"/api/v1/requests/{request_id}/approve", headers=issuer)
    assert again.status_code == 409

    seen = client.get(f"/api/v1/requests/{request_id}", headers=unit).json()
    assert [e["kind"] for e in seen["evidence"]] == ["surat_perintah", "formulir"]
    other = bearer(api_keys.other_requester.secret)
    assert client.get(f"/api/v1/requests/{request_id}", headers=other).status_code == 404
    assert client.get("/api/v1/requests", headers=other).json()["requests"] == []
    listed = client.get("/api/v1/requests?status=approved", headers=issuer).json()["requests"]
    assert [r["id"] for r in listed] == [request_id]


def test_reject_with_reason_and_withdraw(client: TestClient[Any], api_keys: Keys) -> None:
    add_units(client, api_keys)
    unit, issuer = bearer(api_keys.requester.secret), bearer(api_keys.issuer.secret)
    body = copy.deepcopy(ISSUE_BODY)
    ids = []
    for _ in range(2):
        request_id = client.post("/api/v1/requests", json=body, headers=unit).json()["id"]
        for kind in ("surat_perintah", "formulir"):
            client.post(
                f"/api/v1/requests/{request_id}/evidence",
                files={"file": ("f.png", PNG, "image/png")},
                data={"kind": kind},
                headers=unit,
            )
        assert client.post(f"/api/v1/requests/{request_id}/submit", headers=unit).is_success
        ids.append(request_id)
    no_reason = client.post(f"/api/v1/requests/{ids[0]}/reject", json={}, headers=issuer)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    reason = {"reason": "Formulir belum ditandatangani"}
    assert client.post(f"/api/v1/requests/{ids[0]}/reject", json=reason, headers=issuer).is_success
    seen = client.get(f"/api/v1/requests/{ids[0]}", headers=unit).json()
    assert (seen["status"], seen["reason"]) == ("rejected", "Formulir belum ditandatangani")
    withdrawn = client.post(f"/api/v1/requests/{ids[1]}/withdraw", headers=unit)
    assert withdrawn.json()["status"] == "withdrawn"


def test_bad_bodies_are_refused_with_the_field(client: TestClient[Any], api_keys: Keys) -> None:
    add_units(client, api_keys)
    unit = bearer(api_keys.requester.secret)
    for change, field in (
        ({"kind": "seminar"}, "kind"),
        ({"employee": {**ISSUE_BODY["employee"], "nip": "123"}}, "employee.nip"),
        ({"coach": None}, "coach"),
        ({"sessions": [{"date": "2026-03-02", "topic": "x"}]}, "sessions[0].minutes"),
        ({"unit_code": "DINKES"}, None),
    ):
        answer = client.post("/api/v1/requests", json={**ISSUE_BODY, **change}, headers=unit)
        assert answer.status_code in (403, 422), (change, answer.text)
        if field is not None:
            assert answer.json()["field"] == field, answer.json()
    assert client.get("/api/v1/requests", headers=unit).json()["requests"] == []


def test_evidence_is_served_as_what_it_was_judged_to_be(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    unit, issuer = bearer(api_keys.requester.secret), bearer(api_keys.issuer.secret)
    auditor = bearer(api_keys.auditor.secret)
    request_id = client.post("/api/v1/requests", json=ISSUE_BODY, headers=unit).json()["id"]
    letter = outside_pdf()
    uploads = {}
    for kind, file in (
        ("surat_perintah", ("Surat Perintah (final).pdf", letter, "application/pdf")),
        # A PNG whose name says HTML, sent as HTML: it is kept, and served, as the PNG it is.
        ("formulir", ("../../formulir<script>.html", PNG, "text/html")),
    ):
        added = client.post(
            f"/api/v1/requests/{request_id}/evidence",
            files={"file": file},
            data={"kind": kind},
            headers=unit,
        )
        assert added.status_code == 201, added.text
        uploads[kind] = added.json()
    listed = client.get(f"/api/v1/requests/{request_id}", headers=unit).json()["evidence"]
    assert [item["url"] for item in listed] == [uploads[k]["url"] for k in uploads]
    assert listed[0]["url"] == f"/api/v1/requests/{request_id}/evidence/{listed[0]['id']}"

    for headers in (unit, issuer, auditor):
        served = client.get(uploads["surat_perintah"]["url"], headers=headers)
        assert served.status_code == 200, served.text
        assert served.content == letter
        assert served.headers["content-type"] == "application/pdf"
        assert served.headers["content-disposition"] == (
            'inline; filename="Surat-Perintah-final.pdf"'
        )
        assert served.headers["x-content-type-options"] == "nosniff"
    image = client.get(uploads["formulir"]["url"], headers=unit)
    assert image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"] == 'inline; filename="formulir-script.png"'
    assert image.headers["x-content-type-options"] == "nosniff"

    other_unit = bearer(api_keys.other_requester.secret)
    assert client.get(uploads["formulir"]["url"], headers=other_unit).status_code == 404
    other_request = client.post("/api/v1/requests", json=ISSUE_BODY, headers=unit).json()["id"]
    crossed = f"/api/v1/requests/{other_request}/evidence/{uploads['formulir']['id']}"
    assert client.get(crossed, headers=issuer).status_code == 404
    unknown = f"/api/v1/requests/{request_id}/evidence/{uuid.uuid4()}"
    missing = client.get(unknown, headers=issuer)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Bukti dukung tidak ditemukan"
