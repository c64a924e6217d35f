"""The units and rosters API: roles, bad rows as problem details, re-imports."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.support.drafts import PNS_NIP, PPPK_NIP, distinct_nips

UNIT = {
    "code": "DPUPR",
    "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "head": {
        "name": "Ir. Bambang Sutrisno, M.T.",
        "nip": "197805122003121002",
        "rank": "Pembina Utama Muda (IV/c)",
        "position": "Kepala Dinas",
    },
}
HEADER = "NIP;Nama;Unit Kerja;Status;Jenis Jabatan;Jabatan;Pangkat"


def roster(*lines: str) -> dict[str, Any]:
    data = ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")
    return {"file": ("pegawai.csv", data, "text/csv")}


def add_units(client: TestClient[Any], keys: Keys) -> None:
    issuer = bearer(keys.issuer.secret)
    assert client.post("/api/v1/units", json=UNIT, headers=issuer).status_code == 201
    other = {"code": "DINKES", "name": "Dinas Kesehatan"}
    assert client.post("/api/v1/units", json=other, headers=issuer).status_code == 201


def test_issuers_add_and_update_units_and_each_role_sees_what_it_may(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    issuer = bearer(api_keys.issuer.secret)
    changed = {**UNIT, "name": "Dinas PUPR"}
    updated = client.post("/api/v1/units", json=changed, headers=issuer)
    assert updated.status_code == 200
    assert updated.json()["name"] == "Dinas PUPR"
    assert updated.json()["head"]["employment"] == "pns"
    for key, expected in (
        (api_keys.issuer, ["DINKES", "DPUPR"]),
        (api_keys.auditor, ["DINKES", "DPUPR"]),
        (api_keys.requester, ["DPUPR"]),
        (api_keys.other_requester, ["DINKES"]),
    ):
        answer = client.get("/api/v1/units", headers=bearer(key.secret))
        assert [unit["code"] for unit in answer.json()["units"]] == expected
    for key in (api_keys.requester, api_keys.auditor):
        refused = client.post("/api/v1/units", json=UNIT, headers=bearer(key.secret))
        assert refused.status_code == 403
    assert client.get("/api/v1/units").status_code == 401


def test_bad_unit_bodies_are_refused_in_indonesian(client: TestClient[Any], api_keys: Keys) -> None:
    issuer = bearer(api_keys.issuer.secret)
    half_head = {**UNIT, "head": {"name": "Bambang"}}
    answer = client.post("/api/v1/units", json=half_head, headers=issuer)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Kepala unit harus lengkap" in answer.json()["detail"]
    lower = client.post("/api/v1/units", json={**UNIT, "code": "dpupr"}, headers=issuer)
    assert (lower.status_code, lower.json()["field"]) == (422, "code")


def test_a_roster_is_imported_by_the_units_requester_and_reimported_by_nip(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    own = bearer(api_keys.requester.secret)
    a, b = distinct_nips(2)
    first = client.post(
        "/api/v1/units/DPUPR/employees",
        files=roster(
            f"{a};Andi;DPUPR;PNS;fungsional;Pranata Komputer;Penata Muda (III/a)",
            f"{b};Budi;DPUPR;PNS;pelaksana;;",
        ),
        headers=own,
    )
    assert first.status_code == 201, first.text
    assert (first.json()["created"], first.json()["updated"]) == (2, 0)
    again = client.post(
        "/api/v1/units/DPUPR/employees",
        files=roster(f"{a};Andi Wijaya;DPUPR;PNS;fungsional;;Penata (III/c)"),
        headers=bearer(api_keys.issuer.secret),
    )
    assert again.json() | {"unit_code": "DPUPR"} == {
        "unit_code": "DPUPR",
        "rows": 1,
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "not_in_file": 1,
    }
    listed = client.get("/api/v1/units/DPUPR/employees", headers=own).json()["employees"]
    assert [(e["nip"], e["name"], e["rank"]) for e in listed] == [
        (a, "Andi Wijaya", "Penata (III/c)"),
        (b, "Budi", None),
    ]
    auditor = client.get("/api/v1/units/DPUPR/employees", headers=bearer(api_keys.auditor.secret))
    assert len(auditor.json()["employees"]) == 2


def test_another_units_requester_can_neither_import_nor_read(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    other = bearer(api_keys.other_requester.secret)
    upload = client.post(
        "/api/v1/units/DPUPR/employees", files=roster(f"{PNS_NIP};Andi;DPUPR;PNS;;;"), headers=other
    )
    assert upload.status_code == 403
    assert client.get("/api/v1/units/DPUPR/employees", headers=other).status_code == 403
    auditor_upload = client.post(
        "/api/v1/units/DPUPR/employees",
        files=roster(f"{PNS_NIP};Andi;DPUPR;PNS;;;"),
        headers=bearer(api_keys.auditor.secret),
    )
    assert auditor_upload.status_code == 403
    missing = client.get("/api/v1/units/DISDIK", headers=bearer(api_keys.issuer.secret))
    assert missing.status_code == 404


def test_bad_rows_refuse_the_whole_file_with_row_and_column(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    own = bearer(api_keys.requester.secret)
    answer = client.post(
        "/api/v1/units/DPUPR/employees",
        files=roster(
            f"{PNS_NIP};Andi;DPUPR;PNS;;;",
            f"{PPPK_NIP};Siti;Dinas Kesehatan;PPPK;;;",
            "123;Budi;DPUPR;PNS;;;",
        ),
        headers=own,
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert "tidak ada pegawai yang diimpor" in problem["detail"]
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [(3, "unit"), (4, "nip")]
    listed = client.get("/api/v1/units/DPUPR/employees", headers=own).json()["employees"]
    assert listed == []


def test_a_roster_upload_is_size_limited_and_must_be_a_file(
    client: TestClient[Any], api_keys: Keys
) -> None:
    add_units(client, api_keys)
    issuer = bearer(api_keys.issuer.secret)
    limit = client.app.state.registry.settings.max_upload_bytes
    big = {"file": ("pegawai.csv", b"NIP,Nama\n" + b"x" * limit, "text/csv")}
    too_big = client.post("/api/v1/units/DPUPR/employees", files=big, headers=issuer)
    assert too_big.status_code == 422
    assert "terlalu besar" in too_big.json()["detail"]
    as_json = client.post("/api/v1/units/DPUPR/employees", json={}, headers=issuer)
    assert as_json.status_code == 422
    assert as_json.json()["field"] == "content-type"
