"""Every bad input gets a 4xx problem-details answer with a readable message and writes nothing."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from registry.domain.views import DocumentView
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.support.drafts import PPPK_NIP, body, draft, outside_pdf

PROBLEM_JSON = "application/problem+json"
# Words that give away an untranslated (English) framework message in a problem's detail.
ENGLISH_GIVEAWAYS = {"is", "the", "must", "malformed", "invalid", "expected", "character", "byte"}


def assert_problem(
    response: httpx.Response, status: int, *, field: str | None = None, mentions: str = ""
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"]
    assert problem["title"]
    assert isinstance(problem["detail"], str)
    assert len(problem["detail"].strip()) > 5
    if field is not None:
        fields = {problem.get("field")} | {e.get("field") for e in problem.get("errors", [])}
        assert field in fields, problem
    if mentions:
        assert mentions.lower() in problem["detail"].lower(), problem
    return problem


def english_words(text: str) -> set[str]:
    return ENGLISH_GIVEAWAYS & set(re.findall(r"[a-z]+", text.lower()))


@pytest.fixture
def issuer(api_keys: Keys) -> dict[str, str]:
    return bearer(api_keys.issuer.secret)


@pytest.fixture
def issued(registry: Registry, api_keys: Keys) -> DocumentView:
    return registry.issue(draft(), api_keys.issuer.actor).document


NIP, NAME, JP = "recipient.nip", "recipient.name", "activity.jp"


def bad(case: str, status: int, field: str | None, mentions: str, **changes: Any) -> Any:
    """One row: the id, the status, the field the problem names, a word its detail contains."""
    return pytest.param(changes, status, field, mentions, id=case)


BAD_DOCUMENTS = [
    bad("nip-17-digits", 422, NIP, "18", **{NIP: "19850315201001101"}),
    bad("nip-19-digits", 422, NIP, "18", **{NIP: "1985031520100110123"}),
    bad("nip-non-digits", 422, NIP, "angka", **{NIP: "19850315-201001-1-012"}),
    bad("nip-letter-l", 422, NIP, "angka", **{NIP: "1985031520100110l2"}),
    bad("nip-born-feb-30", 422, NIP, "lahir", **{NIP: "198502302010011012"}),
    bad("nip-gender-3", 422, NIP, "kelamin", **{NIP: "198503152010013012"}),
    bad(
        "pppk-number-declared-pns", 422, NIP, "NIP",
        **{NIP: PPPK_NIP, "recipient.employment": "pns"},
    ),
    bad(
        "employment-honorer", 422, "recipient.employment", "pns",
        **{"recipient.employment": "honorer"},
    ),
    bad(
        "end-before-start", 422, "activity.end_date", "tanggal",
        **{"activity.start_date": "2026-03-03", "activity.end_date": "2026-03-02"},
    ),
    bad("date-feb-30", 400, "activity.start_date", "", **{"activity.start_date": "2026-02-30"}),
    bad("date-not-iso", 400, "activity.end_date", "", **{"activity.end_date": "03/03/2026"}),
    bad("jp-negative-string", 422, JP, "negatif", **{JP: "-1"}),
    bad("jp-negative-number", 422, JP, "negatif", **{JP: -4}),
    bad("jp-abc", 400, JP, "", **{JP: "abc"}),
    bad("unknown-type", 422, "type", "ijazah", type="ijazah"),
    bad("unknown-path", 422, "activity.path", "jalan_jalan", **{"activity.path": "jalan_jalan"}),
    bad("unknown-scope", 422, "activity.scope", "regional", **{"activity.scope": "regional"}),
    bad("unknown-series", 422, "series", "rahasia", series="rahasia"),
    bad("series-of-other-type", 422, "series", "sk", type="sertifikat", series="sk"),
    bad("surat-keterangan-no-unit", 422, "unit_code", "unit", type="surat_keterangan"),
    bad("unit-code-lowercase", 422, "unit_code", "unit", unit_code="dpupr"),
    bad("unit-code-space", 422, "unit_code", "unit", unit_code="DP UPR"),
    bad("program-path-without-jp", 422, JP, "JP", **{"activity.path": "kursus"}),
    bad(
        "scope-not-regulated", 422, "activity.scope", "internasional",
        **{
            "activity.path": "pelatihan_struktural",
            "activity.scope": "internasional",
            JP: "40",
        },
    ),
    bad("name-empty", 422, NAME, "wajib", **{NAME: ""}),
    bad("name-blank", 422, NAME, "wajib", **{NAME: "   "}),
    bad("name-control-char", 422, NAME, "kendali", **{NAME: "Siti\x00Aminah"}),
    bad("name-too-long", 422, NAME, "panjang", **{NAME: "S" * 201}),
    bad("title-empty", 422, "activity.title", "wajib", **{"activity.title": ""}),
    bad("unknown-top-level-field", 400, None, "", colour="red"),
    bad("unknown-recipient-field", 400, "recipient", "", **{"recipient.nik": "3201"}),
    bad("unknown-activity-field", 400, "activity", "", **{"activity.hours": 8}),
    bad("nip-as-number", 400, NIP, "", **{NIP: 198503152010011012}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "status", "field", "mentions"), BAD_DOCUMENTS)
def test_bad_document_is_refused_and_nothing_is_written(
    client: TestClient[Any],
    registry: Registry,
    issuer: dict[str, str],
    changes: dict[str, Any],
    status: int,
    field: str | None,
    mentions: str,
) -> None:
    before = written_state(registry)
    response = client.post("/api/v1/documents", json=body(**changes), headers=issuer)
    problem = assert_problem(response, status, field=field, mentions=mentions)
    assert not english_words(problem["detail"]), problem
    assert written_state(registry) == before


def test_missing_required_field_is_400(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str]
) -> None:
    sample = body()
    del sample["recipient"]["nip"]
    before = written_state(registry)
    assert_problem(client.post("/api/v1/documents", json=sample, headers=issuer), 400)
    assert written_state(registry) == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"{not json", id="broken-json"),
        pytest.param(b"type=sertifikat", id="form-text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"[1, 2]", id="array"),
        pytest.param(b'"sertifikat"', id="string"),
    ],
)
def test_body_that_is_not_a_json_object_is_400(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], raw: bytes
) -> None:
    before = written_state(registry)
    response = client.post(
        "/api/v1/documents", content=raw, headers={**issuer, "content-type": "application/json"}
    )
    assert_problem(response, 400)
    assert written_state(registry) == before


def test_not_json_detail_is_indonesian(client: TestClient[Any], issuer: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/documents",
        content=b"{not json",
        headers={**issuer, "content-type": "application/json"},
    )
    problem = assert_problem(response, 400)
    assert not english_words(problem["detail"]), problem["detail"]


MALFORMED_JSON = '{"type": "sertifikat", "recipient": {'
WHERE_JSON_ARRIVES: dict[str, Any] = {
    "body": lambda client, auth: client.post(
        "/api/v1/documents",
        content=MALFORMED_JSON.encode(),
        headers={**auth, "content-type": "application/json"},
    ),
    "document": lambda client, auth: client.post(
        "/api/v1/documents/stamp",
        files={"file": ("luar.pdf", outside_pdf(), "application/pdf")},
        data={"document": MALFORMED_JSON},
        headers=auth,
    ),
    "batch": lambda client, auth: client.post(
        "/api/v1/documents/batch",
        files={"file": ("peserta.csv", b"nip,nama\n", "text/csv")},
        data={"batch": MALFORMED_JSON},
        headers=auth,
    ),
    "batch-body": lambda client, auth: client.post(
        "/api/v1/documents/batch",
        content=MALFORMED_JSON.encode(),
        headers={**auth, "content-type": "application/json"},
    ),
}


def test_malformed_json_gets_one_answer_wherever_it_arrives(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str]
) -> None:
    before = written_state(registry)
    problems = {
        where: assert_problem(send(client, issuer), 400)
        for where, send in WHERE_JSON_ARRIVES.items()
    }
    assert written_state(registry) == before
    assert len({problem["detail"] for problem in problems.values()}) == 1, problems
    assert len({problem["title"] for problem in problems.values()}) == 1, problems
    detail = problems["body"]["detail"]
    assert "JSON" in detail and not english_words(detail), detail
    # Where it arrived is said in `field`, the same way for a body and for a part.
    assert {where: problem["field"] for where, problem in problems.items()} == {
        "body": "body",
        "document": "document",
        "batch": "batch",
        "batch-body": "body",
    }


def test_body_over_the_size_limit_is_413(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str]
) -> None:
    assert registry.settings.max_body_bytes == 1_000_000
    # A document that would be valid but for its size: only the limit can refuse it.
    oversized = body(details={"lampiran": "x" * 1_200_000})
    assert len(json.dumps(oversized)) > 1_200_000
    before = written_state(registry)
    response = client.post("/api/v1/documents", json=oversized, headers=issuer)
    assert_problem(response, 413)
    assert written_state(registry) == before


def test_body_over_the_size_limit_without_content_length_is_413(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str]
) -> None:
    payload = json.dumps(body(details={"lampiran": "x" * 1_200_000})).encode()

    def chunks() -> Any:
        for start in range(0, len(payload), 64 * 1024):
            yield payload[start : start + 64 * 1024]

    before = written_state(registry)
    response = client.post(
        "/api/v1/documents",
        content=chunks(),
        headers={**issuer, "content-type": "application/json"},
    )
    assert_problem(response, 413)
    assert written_state(registry) == before


# -- JP credited for valid bodies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "jp"),
    [
        pytest.param({}, "8", id="seminar-nasional-2-days"),
        pytest.param(
            {
                "activity.path": "workshop",
                "activity.scope": "internasional",
                "activity.start_date": "2026-03-02",
                "activity.end_date": "2026-03-04",
            },
            "21",
            id="workshop-internasional-3-days",
        ),
        pytest.param(
            {
                "activity.path": "pelatihan_teknis",
                "activity.scope": "internasional",
                "activity.jp": "25",
            },
            "30",
            id="pelatihan-teknis-internasional-25-plus-20-percent",
        ),
        # tangsel-2022 counts a seminar in days (Satuan "Hari") whatever JP the certificate prints
        pytest.param({"activity.jp": "5"}, "8", id="printed-jp-ignored-per-day"),
        pytest.param({"activity.jp": "40"}, "8", id="printed-jp-does-not-lift-per-day"),
    ],
)
def test_jp_credited(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], changes: Any, jp: str
) -> None:
    assert registry.settings.jp_rules == "tangsel-2022"
    response = client.post("/api/v1/documents", json=body(**changes), headers=issuer)
    assert response.status_code == 201, response.text
    assert response.json()["jp"] == jp
    assert response.json()["jp_rules"] == "tangsel-2022"
    assert response.json()["activity"]["stated_jp"] == changes.get("activity.jp")


# -- revoke and supersede --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        pytest.param({}, 400, id="no-reason"),
        pytest.param({"reason": None}, 400, id="reason-null"),
        pytest.param({"reason": ""}, 422, id="reason-empty"),
        pytest.param({"reason": "   "}, 422, id="reason-blank"),
        pytest.param({"reason": "x" * 1001}, 422, id="reason-too-long"),
        pytest.param({"reason": "salah", "extra": 1}, 400, id="unknown-field"),
    ],
)
def test_revoke_needs_a_reason(
    client: TestClient[Any],
    registry: Registry,
    issuer: dict[str, str],
    issued: DocumentView,
    payload: dict[str, Any],
    status: int,
) -> None:
    before = written_state(registry)
    response = client.post(f"/api/v1/documents/{issued.id}/revoke", json=payload, headers=issuer)
    assert_problem(response, status)
    assert written_state(registry) == before
    assert client.get(f"/api/v1/documents/{issued.id}", headers=issuer).json()["status"] == "issued"


def test_revoke_unknown_document_is_404(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str]
) -> None:
    before = written_state(registry)
    response = client.post(
        f"/api/v1/documents/{uuid.uuid4()}/revoke", json={"reason": "salah"}, headers=issuer
    )
    assert_problem(response, 404)
    assert written_state(registry) == before


def test_revoke_twice_is_409(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], issued: DocumentView
) -> None:
    url = f"/api/v1/documents/{issued.id}/revoke"
    assert client.post(url, json={"reason": "salah nama"}, headers=issuer).status_code == 200
    before = written_state(registry)
    response = client.post(url, json={"reason": "salah nama"}, headers=issuer)
    assert_problem(response, 409)
    assert written_state(registry) == before


def test_supersede_revoked_document_is_409(
    client: TestClient[Any], registry: Registry, issuer: dict[str, str], issued: DocumentView
) -> None:
    revoked = client.post(
        f"/api/v1/documents/{issued.id}/revoke", json={"reason": "salah"}, headers=issuer
    )
    assert revoked.status_code == 200
    before = written_state(registry)
    response = client.post(
        f"/api/v1/documents/{issued.id}/supersede",
        json={**body(), "reason": "perbaikan"},
        headers=issuer,
    )
    assert_problem(response, 409)
    assert written_state(registry) == before


def test_conflict_writes_nothing_at_service_level(
    registry: Registry, api_keys: Keys, issued: DocumentView
) -> None:
    """The service half of the 409 cases above: it refuses, with nothing written."""
    from registry.domain.errors import Conflict

    registry.revoke(issued.id, "salah", api_keys.issuer.actor)
    before = written_state(registry)
    with pytest.raises(Conflict):
        registry.revoke(issued.id, "salah", api_keys.issuer.actor)
    with pytest.raises(Conflict):
        registry.supersede(issued.id, draft(), "perbaikan", api_keys.issuer.actor)
    assert written_state(registry) == before


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        pytest.param({"reason": ""}, 422, "reason", id="reason-empty"),
        pytest.param({"reason": None}, 400, None, id="reason-null"),
        pytest.param({"recipient.nip": "123"}, 422, "recipient.nip", id="bad-nip"),
        pytest.param({"colour": "red"}, 400, None, id="unknown-field"),
    ],
)
def test_bad_supersede_is_refused(
    client: TestClient[Any],
    registry: Registry,
    issuer: dict[str, str],
    issued: DocumentView,
    changes: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    payload = body(**{"reason": "perbaikan", **changes})
    if payload["reason"] is None:
        del payload["reason"]
    before = written_state(registry)
    response = client.post(f"/api/v1/documents/{issued.id}/supersede", json=payload, headers=issuer)
    assert_problem(response, status, field=field)
    assert written_state(registry) == before
    assert client.get(f"/api/v1/documents/{issued.id}", headers=issuer).json()["status"] == "issued"


# -- reading ---------------------------------------------------------------------------------------


def test_document_id_that_is_not_a_uuid_is_404(
    client: TestClient[Any], issuer: dict[str, str]
) -> None:
    assert_problem(client.get("/api/v1/documents/not-a-uuid", headers=issuer), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        pytest.param("year=abc", "year", id="year-abc"),
        pytest.param("year=1999", "year", id="year-too-early"),
        pytest.param("limit=0", "limit", id="limit-zero"),
        pytest.param("limit=501", "limit", id="limit-too-big"),
        pytest.param("offset=-1", "offset", id="offset-negative"),
        pytest.param("type=ijazah", "type", id="unknown-type"),
        pytest.param("status=hilang", "status", id="unknown-status"),
        pytest.param("nip=" + "1" * 31, "nip", id="nip-too-long"),
        pytest.param("name=" + "a" * 101, "name", id="name-too-long"),
    ],
)
def test_bad_list_query_is_400(
    client: TestClient[Any], issuer: dict[str, str], query: str, field: str
) -> None:
    assert_problem(client.get(f"/api/v1/documents?{query}", headers=issuer), 400, field=field)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("year=abc", id="year-abc"),
        pytest.param("year=1999", id="year-too-early"),
        pytest.param("limit=0", id="limit-zero"),
        pytest.param("status=hilang", id="unknown-status"),
        pytest.param("nip=" + "1" * 31, id="nip-too-long"),
    ],
)
def test_bad_list_query_detail_is_indonesian(
    client: TestClient[Any], issuer: dict[str, str], query: str
) -> None:
    problem = assert_problem(client.get(f"/api/v1/documents?{query}", headers=issuer), 400)
    assert not english_words(problem["detail"]), problem["detail"]
