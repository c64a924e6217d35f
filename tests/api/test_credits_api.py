"""Caps across letters over HTTP: a dated session log on POST /documents, requests and /jp/calculate
all count what the employee's valid documents already credit."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from litestar.testing import TestClient

from registry.adapters.db.schema import Document
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.api.test_requests_api import add_units
from tests.conftest import Keys
from tests.integration.test_requests import ISSUE_BODY, PNG

NIP = ISSUE_BODY["employee"]["nip"]
PROBLEM_JSON = "application/problem+json"


def coaching_letter(*days: str) -> dict[str, Any]:
    return {
        "type": "surat_keterangan",
        "unit_code": "DPUPR",
        "recipient": {"nip": NIP, "name": "Andi Wijaya, S.Kom.", "unit": "Dinas PU"},
        "activity": {
            "title": "Pelaksanaan Coaching",
            "path": "coaching",
            "scope": "nasional",
            "start_date": min(days),
            "end_date": max(days),
            "organizer": "Dinas PU",
            "sessions": [{"date": day, "minutes": 90, "topic": f"Sesi {day}"} for day in days],
        },
    }


def post_letter(client: TestClient[Any], keys: Keys, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/documents", json=body, headers=bearer(keys.issuer.secret))


def test_a_direct_letter_prints_each_counted_session_and_the_next_is_capped(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    first = post_letter(client, api_keys, coaching_letter("2026-03-02", "2026-03-09"))
    assert first.status_code == 201, first.text
    assert (first.json()["jp"], first.json()["credited_jp"]) == ("4", "4")
    with registry.db.reading() as session:
        printed = session.get_one(Document, uuid.UUID(first.json()["id"])).render_context or {}
    assert [(s["date_text"], s["jp_text"]) for s in printed["sessions"]] == [
        ("2 Maret 2026", "2"),
        ("9 Maret 2026", "2"),
    ]

    before = written_state(registry)
    capped = post_letter(client, api_keys, coaching_letter("2026-03-30"))
    assert capped.status_code == 422
    assert capped.headers["content-type"].startswith(PROBLEM_JSON)
    problem = capped.json()
    assert problem["field"] == "activity.sessions"
    assert "tidak menghasilkan JP" in problem["detail"]
    assert problem["sessions"][0]["reason"] == "melebihi batas 2 sesi per bulan"
    assert written_state(registry) == before

    next_month = post_letter(client, api_keys, coaching_letter("2026-03-30", "2026-04-06"))
    assert next_month.status_code == 201
    assert next_month.json()["jp"] == "2"


def test_a_session_log_must_be_dated_inside_the_activity_and_is_a_list(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    before = written_state(registry)
    outside = coaching_letter("2026-03-02")
    outside["activity"]["end_date"] = "2026-03-01"
    outside["activity"]["start_date"] = "2026-02-01"
    answer = post_letter(client, api_keys, outside)
    assert answer.status_code == 422 and answer.json()["field"] == "activity.sessions[0].date"

    counted = coaching_letter("2026-03-02")
    counted["activity"]["sessions"] = 2
    assert post_letter(client, api_keys, counted).status_code == 400

    undated = coaching_letter("2026-03-02")
    del undated["activity"]["sessions"]
    answer = post_letter(client, api_keys, undated)
    assert answer.status_code == 422 and answer.json()["field"] == "activity.sessions"
    assert "daftar sesi bertanggal" in answer.json()["detail"]
    assert written_state(registry) == before


def test_calculate_with_a_nip_counts_the_employees_letters_for_readers_only(
    client: TestClient[Any], api_keys: Keys
) -> None:
    assert post_letter(client, api_keys, coaching_letter("2026-03-02", "2026-03-09")).is_success
    question = {
        "path": "coaching",
        "scope": "nasional",
        "nip": NIP,
        "sessions": [{"date": "2026-03-16", "minutes": 90}],
    }

    issuer = client.post(
        "/api/v1/jp/calculate", json=question, headers=bearer(api_keys.issuer.secret)
    ).json()
    assert (issuer["jp"], issuer["history_counted"]) == ("0", True)
    assert issuer["sessions"][0]["reason"] == "melebihi batas 2 sesi per bulan"

    # Not rostered in the requester's unit: its history stays private.
    requester = client.post(
        "/api/v1/jp/calculate", json=question, headers=bearer(api_keys.requester.secret)
    ).json()
    assert (requester["jp"], requester["history_counted"]) == ("2", False)


def test_calculate_counts_history_for_an_employee_rostered_in_the_requesters_unit(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    roster = f"NIP,Nama,Status\n{NIP},Andi Wijaya,PNS\n".encode()
    imported = client.post(
        "/api/v1/units/DPUPR/employees",
        files={"file": ("roster.csv", roster, "text/csv")},
        headers=bearer(api_keys.issuer.secret),
    )
    assert imported.status_code in (200, 201), imported.text
    assert post_letter(client, api_keys, coaching_letter("2026-03-02", "2026-03-09")).is_success
    question = {
        "kind": "coaching",
        "scope": "nasional",
        "nip": NIP,
        "sessions": [{"date": "2026-03-16", "minutes": 90}],
    }

    answer = client.post(
        "/api/v1/jp/calculate", json=question, headers=bearer(api_keys.requester.secret)
    ).json()

    assert (answer["jp"], answer["history_counted"]) == ("0", True)


def test_a_request_in_a_month_already_full_shows_why_and_cannot_be_approved(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    add_units(client, api_keys)
    assert post_letter(client, api_keys, coaching_letter("2026-03-02", "2026-03-09")).is_success
    unit, issuer = bearer(api_keys.requester.secret), bearer(api_keys.issuer.secret)
    body = copy.deepcopy(ISSUE_BODY)
    body["sessions"] = [
        {"date": "2026-03-23", "minutes": 90, "topic": "Evaluasi"},
        {"date": "2026-04-06", "minutes": 90, "topic": "Tindak lanjut"},
    ]
    request_id = client.post("/api/v1/requests", json=body, headers=unit).json()["id"]
    for kind in ("surat_perintah", "formulir"):
        client.post(
            f"/api/v1/requests/{request_id}/evidence",
            files={"file": ("f.png", PNG, "image/png")},
            data={"kind": kind},
            headers=unit,
        )
    assert client.post(f"/api/v1/requests/{request_id}/submit", headers=unit).is_success

    seen = client.get(f"/api/v1/requests/{request_id}", headers=issuer).json()
    assert [(s["jp"], s["reason"]) for s in seen["sessions"]] == [
        ("0", "melebihi batas 2 sesi per bulan"),
        ("2", None),
    ]
    approved = client.post(f"/api/v1/requests/{request_id}/approve", headers=issuer)
    assert approved.status_code == 200, approved.text
    letter = client.get(approved.json()["document_url"], headers=issuer).json()
    assert letter["jp"] == "2"
    # The approved request keeps showing what its own letter credited.
    after = client.get(f"/api/v1/requests/{request_id}", headers=issuer).json()
    assert [s["jp"] for s in after["sessions"]] == ["0", "2"]
