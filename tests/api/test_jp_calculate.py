"""POST /api/v1/jp/calculate: the JP a session log would credit, per session; stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.bootstrap import build_registry
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.support.drafts import PNS_NIP, PPPK_NIP

URL = "/api/v1/jp/calculate"
PROBLEM_JSON = "application/problem+json"


def coaching(*dates: str, **extra: Any) -> dict[str, Any]:
    return {
        "path": "coaching",
        "scope": "nasional",
        "sessions": [{"date": day, "minutes": 90, "topic": "Penyusunan RAB"} for day in dates],
        **extra,
    }


def test_issuer_sees_each_session_verdict_and_nothing_is_stored(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    before = written_state(registry)
    response = client.post(
        URL,
        json=coaching("2026-03-16", "2026-03-02", "2026-03-09"),
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "jp": "4",
        "jp_rules": "tangsel-2022",
        "path": "coaching",
        "scope": "nasional",
        "employment": None,
        "history_counted": False,
        "sessions": [
            {
                "date": "2026-03-16",
                "end_date": "2026-03-16",
                "jp": "0",
                "counted": False,
                "reason": "melebihi batas 2 sesi per bulan",
            },
            {"date": "2026-03-02", "end_date": "2026-03-02", "jp": "2", "counted": True,
             "reason": None},
            {"date": "2026-03-09", "end_date": "2026-03-09", "jp": "2", "counted": True,
             "reason": None},
        ],
    }  # fmt: skip
    assert written_state(registry) == before


@pytest.mark.parametrize("role", ["requester", "auditor"])
def test_requester_and_auditor_may_calculate(
    client: TestClient[Any], api_keys: Keys, role: str
) -> None:
    key = getattr(api_keys, role)
    response = client.post(
        URL,
        json={"kind": "belajar_mandiri", "scope": "nasional",
              "sessions": [{"date": "2026-03-02", "minutes": 135}]},
        headers=bearer(key.secret),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["jp"] == "2"
    assert response.json()["sessions"][0]["reason"] == "maksimal 2 JP per hari"


def test_without_a_key_401(client: TestClient[Any], registry: Registry) -> None:
    before = written_state(registry)
    response = client.post(URL, json=coaching("2026-03-02"))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert written_state(registry) == before


def test_pppk_read_from_the_nip(client: TestClient[Any], api_keys: Keys) -> None:
    response = client.post(
        URL,
        json={"path": "patok_banding", "scope": "nasional", "nip": PPPK_NIP,
              "start_date": "2026-03-02", "end_date": "2026-03-04"},
        headers=bearer(api_keys.requester.secret),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["employment"] == "pppk"
    assert answer["jp"] == "0"
    assert answer["sessions"] == [
        {"date": "2026-03-02", "end_date": "2026-03-04", "jp": "0", "counted": False,
         "reason": "bukan bentuk pengembangan kompetensi PPPK"}
    ]  # fmt: skip


def test_pppk_ceiling_of_24_jp_cuts_the_session_that_passes_it(
    client: TestClient[Any], api_keys: Keys
) -> None:
    response = client.post(
        URL,
        json={"path": "pelatihan_teknis", "scope": "nasional", "employment": "pppk",
              "sessions": [{"date": "2026-03-02", "jp": 20}, {"date": "2026-04-02", "jp": "6"}]},
        headers=bearer(api_keys.issuer.secret),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["jp"] == "24"
    assert [s["jp"] for s in response.json()["sessions"]] == ["20", "4"]
    assert "24 JP per tahun bagi PPPK" in response.json()["sessions"][1]["reason"]


def test_pns_nip_with_no_employment_is_pns(client: TestClient[Any], api_keys: Keys) -> None:
    response = client.post(
        URL,
        json={"path": "patok_banding", "scope": "internasional", "nip": PNS_NIP,
              "start_date": "2026-03-02"},
        headers=bearer(api_keys.issuer.secret),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert (response.json()["employment"], response.json()["jp"]) == ("pns", "20")


@pytest.fixture
def kubar_client(registry: Registry) -> Iterator[TestClient[Any]]:
    settings = replace(registry.settings, jp_rules="kubar-2024")
    kubar = build_registry(
        settings, db=registry.db, keyring=registry.keyring, converter=registry.production.converter
    )
    with TestClient(create_app(registry=kubar)) as test_client:
        yield test_client


def test_the_configured_rule_set_decides(kubar_client: TestClient[Any], api_keys: Keys) -> None:
    response = kubar_client.post(
        URL,
        json={"path": "patok_banding", "scope": "nasional",
              "sessions": [{"date": "2026-02-02"}, {"date": "2026-10-05"}]},
        headers=bearer(api_keys.requester.secret),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["jp_rules"], answer["jp"]) == ("kubar-2024", "10")
    assert answer["sessions"][1]["reason"] == "patok banding hanya diakui 1 kali setahun"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"path": "terbang", "scope": "nasional", "sessions": [{"date": "2026-03-02"}]}, "path"),
        ({"path": "coaching", "scope": "antariksa", "sessions": [{"date": "2026-03-02"}]},
         "scope"),
        ({"scope": "nasional", "sessions": [{"date": "2026-03-02"}]}, "path"),
        ({"path": "coaching", "kind": "mentoring", "scope": "nasional",
          "sessions": [{"date": "2026-03-02"}]}, "path"),
        ({"path": "coaching", "scope": "nasional"}, "sessions"),
        ({"path": "coaching", "scope": "nasional", "sessions": []}, "sessions"),
        ({"path": "coaching", "scope": "nasional", "sessions": [{"date": "2026-03-02"}],
          "start_date": "2026-03-02"}, "sessions"),
        ({"path": "belajar_mandiri", "scope": "nasional",
          "sessions": [{"date": "2026-03-02", "minutes": 90, "jp": 2}]}, "sessions[0].jp"),
        ({"path": "belajar_mandiri", "scope": "nasional", "sessions": [{"date": "2026-03-02"}]},
         "sessions[0].minutes"),
        ({"path": "seminar", "scope": "nasional", "start_date": "2026-03-05",
          "end_date": "2026-03-02"}, "end_date"),
        ({"path": "kursus", "scope": "nasional", "start_date": "2026-03-02"}, "jp"),
        ({"path": "coaching", "scope": "nasional", "employment": "honorer",
          "sessions": [{"date": "2026-03-02"}]}, "employment"),
        ({"path": "coaching", "scope": "nasional", "nip": "12345",
          "sessions": [{"date": "2026-03-02"}]}, "nip"),
        ({"path": "bimbingan_tempat_kerja", "scope": "nasional",
          "sessions": [{"date": "2026-03-02"}]}, "activity.path"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_problem_in_indonesian(
    client: TestClient[Any], registry: Registry, api_keys: Keys, body: dict[str, Any], field: str
) -> None:
    before = written_state(registry)
    response = client.post(URL, json=body, headers=bearer(api_keys.requester.secret))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.json()
    assert problem["field"] == field
    assert problem["detail"]
    assert written_state(registry) == before


def test_unknown_fields_and_wrong_types_are_refused(
    client: TestClient[Any], api_keys: Keys
) -> None:
    for body in (
        {**coaching("2026-03-02"), "prior": []},
        {"path": "coaching", "scope": "nasional", "sessions": [{"date": "kemarin"}]},
    ):
        response = client.post(URL, json=body, headers=bearer(api_keys.issuer.secret))
        assert response.status_code in (400, 422), response.text
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
