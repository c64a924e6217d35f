"""registry.domain.requests without a database: the body, the states, the evidence needed."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from registry.domain import jp as rules
from registry.domain.errors import Conflict, InvalidInput
from registry.domain.requests import (
    EVIDENCE_KINDS,
    GUIDE_ROLES,
    MAX_SESSIONS,
    REQUEST_KINDS,
    REQUIRED_EVIDENCE,
    TRANSITIONS,
    RequestStatus,
    Transition,
    check_transition,
    evidence_download_name,
    evidence_media_type,
    log_entries,
    missing_evidence,
    parse_evidence_kind,
    refuse_missing_evidence,
    validate_request,
)
from tests.support.drafts import PNS_NIP, PPPK_NIP

TODAY = date(2026, 3, 10)
COACH_NIP = "197805122003121002"

BODY: dict[str, Any] = {
    "kind": "coaching",
    "scope": "nasional",
    "employee": {
        "nip": PNS_NIP,
        "name": "Andi Wijaya, S.Kom.",
        "rank": "Penata Muda (III/a)",
        "position": "Pranata Komputer Ahli Pertama",
        "unit": "DPUPR",
    },
    "coach": {"nip": COACH_NIP, "name": "Ir. Bambang Sutrisno, M.T.", "position": "Kabid"},
    "sessions": [{"date": "2026-03-02", "minutes": 90, "topic": "Penyusunan RAB"}],
}


def changed(**changes: Any) -> dict[str, Any]:
    """BODY with top-level keys replaced; a value of None removes the key."""
    result = copy.deepcopy(BODY)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def session(**fields: Any) -> dict[str, Any]:
    return {"date": "2026-03-02", "minutes": 90, "topic": "Penyusunan RAB", **fields}


def refused_field(body: Any) -> str | None:
    with pytest.raises(InvalidInput) as refused:
        validate_request(body, today=TODAY)
    return refused.value.field


# -- the body ------------------------------------------------------------------------------------


def test_the_issue_body_is_read_into_what_is_stored() -> None:
    valid = validate_request(copy.deepcopy(BODY), today=TODAY)
    assert (valid.kind, valid.scope, valid.guide_role, valid.unit_code) == (
        "coaching",
        "nasional",
        "coach",
        None,
    )
    assert valid.employee == {
        "nip": PNS_NIP,
        "employment": "pns",
        "name": "Andi Wijaya, S.Kom.",
        "rank": "Penata Muda (III/a)",
        "position": "Pranata Komputer Ahli Pertama",
        "unit": "DPUPR",
    }
    assert valid.guide == {
        "name": "Ir. Bambang Sutrisno, M.T.",
        "nip": COACH_NIP,
        "position": "Kabid",
    }
    assert valid.sessions == [{"date": "2026-03-02", "minutes": 90, "topic": "Penyusunan RAB"}]


def test_text_is_trimmed_and_normalised_and_the_nips_lose_their_print_spaces() -> None:
    body = changed(
        scope=" Nasional ",
        employee={**BODY["employee"], "nip": "19850315 201001 1 012", "name": "  Andi  "},
        coach={"name": "Cafe\u0301", "nip": "19780512 200312 1 002"},
        unit_code=" DPUPR ",
    )
    valid = validate_request(body, today=TODAY)
    assert valid.scope == "nasional"
    assert (valid.employee["nip"], valid.employee["name"]) == (PNS_NIP, "Andi")
    assert valid.guide == {"name": "Caf\u00e9", "nip": COACH_NIP, "position": None}
    assert valid.unit_code == "DPUPR"


def test_the_employment_comes_from_the_number() -> None:
    body = changed(employee={**BODY["employee"], "nip": PPPK_NIP})
    valid = validate_request(body, today=TODAY)
    assert (valid.employee["employment"], valid.employee_number.digits) == ("pppk", PPPK_NIP)


def test_optional_employee_fields_are_stored_as_null_when_blank() -> None:
    body = changed(employee={"nip": PNS_NIP, "name": "Andi", "rank": " ", "unit": None})
    employee = validate_request(body, today=TODAY).employee
    assert (employee["rank"], employee["position"], employee["unit"]) == (None, None, None)


@pytest.mark.parametrize(
    ("kind", "guide_role"),
    [
        ("coaching", "coach"),
        ("mentoring", "mentor"),
        ("bimbingan_tempat_kerja", "supervisor"),
        ("belajar_mandiri", None),
        ("komunitas_belajar", None),
    ],
)
def test_each_kind_names_its_guide_or_has_none(kind: str, guide_role: str | None) -> None:
    guide = {"name": "Ir. Bambang Sutrisno, M.T."}
    body = changed(kind=kind, coach=None)
    if guide_role is not None:
        body[guide_role] = guide
    valid = validate_request(body, today=TODAY)
    assert (valid.guide_role, valid.guide) == (
        guide_role,
        None if guide_role is None else {**guide, "nip": None, "position": None},
    )
    assert GUIDE_ROLES.get(kind) == guide_role


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param([BODY], "body", id="not-an-object"),
        pytest.param(changed(kind="seminar"), "kind", id="kind-not-a-request-kind"),
        pytest.param(changed(kind=None), "kind", id="kind-missing"),
        pytest.param(changed(scope="regional"), "scope", id="scope-unknown"),
        pytest.param(changed(scope=None), "scope", id="scope-missing"),
        pytest.param(changed(scope=1), "scope", id="scope-not-text"),
        pytest.param(changed(employee=None), "employee", id="employee-missing"),
        pytest.param(changed(employee="Andi"), "employee", id="employee-not-an-object"),
        pytest.param(
            changed(employee={**BODY["employee"], "nip": "123"}), "employee.nip", id="nip-short"
        ),
        pytest.param(
            changed(employee={**BODY["employee"], "name": " "}), "employee.name", id="name-blank"
        ),
        pytest.param(
            changed(employee={**BODY["employee"], "name": "A\x07ndi"}),
            "employee.name",
            id="name-control-char",
        ),
        pytest.param(
            changed(employee={**BODY["employee"], "name": "A" * 201}),
            "employee.name",
            id="name-too-long",
        ),
        pytest.param(
            changed(employee={**BODY["employee"], "golongan": "III/a"}),
            "employee.golongan",
            id="employee-unknown-key",
        ),
        pytest.param(changed(coach=None), "coach", id="coach-missing"),
        pytest.param(changed(coach={"nip": COACH_NIP}), "coach.name", id="coach-without-name"),
        pytest.param(
            changed(coach={"name": "B", "nip": "1978"}), "coach.nip", id="coach-nip-short"
        ),
        pytest.param(
            changed(coach={"name": "B", "nip": "١٩٧٨٠٥١٢٢٠٠٣١٢١٠٠٢"}),
            "coach.nip",
            id="coach-nip-not-ascii-digits",
        ),
        pytest.param(
            changed(coach={"name": "B", "email": "b@x"}), "coach.email", id="coach-unknown-key"
        ),
        pytest.param(changed(mentor={"name": "B"}), "mentor", id="guide-of-another-kind"),
        pytest.param(changed(kind="belajar_mandiri"), "coach", id="guide-on-a-kind-without-one"),
        pytest.param(changed(unit_code=5), "unit_code", id="unit-code-not-text"),
        pytest.param(changed(sessions=None), "sessions", id="sessions-missing"),
        pytest.param(changed(sessions=[]), "sessions", id="sessions-empty"),
        pytest.param(changed(sessions={"date": "2026-03-02"}), "sessions", id="sessions-object"),
        pytest.param(
            changed(sessions=[session()] * (MAX_SESSIONS + 1)), "sessions", id="too-many-sessions"
        ),
        pytest.param(changed(sessions=["2026-03-02"]), "sessions[0]", id="session-not-object"),
        pytest.param(
            changed(sessions=[session(date=None)]), "sessions[0].date", id="session-date-missing"
        ),
        pytest.param(
            changed(sessions=[session(), session(date="02-03-2026")]),
            "sessions[1].date",
            id="session-date-not-iso",
        ),
        pytest.param(
            changed(sessions=[session(date="2026-02-30")]),
            "sessions[0].date",
            id="session-date-impossible",
        ),
        pytest.param(
            changed(sessions=[session(minutes=None)]),
            "sessions[0].minutes",
            id="neither-minutes-nor-jp",
        ),
        pytest.param(
            changed(sessions=[session(jp=2)]), "sessions[0].minutes", id="both-minutes-and-jp"
        ),
        pytest.param(
            changed(sessions=[session(minutes=0)]), "sessions[0].minutes", id="minutes-zero"
        ),
        pytest.param(
            changed(sessions=[session(minutes=1441)]),
            "sessions[0].minutes",
            id="minutes-over-a-day",
        ),
        pytest.param(
            changed(sessions=[session(minutes=True)]), "sessions[0].minutes", id="minutes-bool"
        ),
        pytest.param(
            changed(sessions=[session(minutes=90.5)]), "sessions[0].minutes", id="minutes-float"
        ),
        pytest.param(
            changed(sessions=[session(minutes=None, jp="dua")]), "sessions[0].jp", id="jp-word"
        ),
        pytest.param(
            changed(sessions=[session(minutes=None, jp="NaN")]), "sessions[0].jp", id="jp-nan"
        ),
        pytest.param(
            changed(sessions=[session(minutes=None, jp=0)]), "sessions[0].jp", id="jp-zero"
        ),
        pytest.param(
            changed(sessions=[session(minutes=None, jp=101)]), "sessions[0].jp", id="jp-over-100"
        ),
        pytest.param(
            changed(sessions=[session(minutes=None, jp=False)]), "sessions[0].jp", id="jp-bool"
        ),
        pytest.param(
            changed(sessions=[session(minutes=None, jp=[2])]), "sessions[0].jp", id="jp-list"
        ),
        pytest.param(changed(sessions=[session(topic=" ")]), "sessions[0].topic", id="topic-blank"),
        pytest.param(
            changed(sessions=[session(outcome="x" * 2001)]),
            "sessions[0].outcome",
            id="outcome-too-long",
        ),
        pytest.param(
            changed(sessions=[session(place="Kantor")]),
            "sessions[0].place",
            id="session-unknown-key",
        ),
        pytest.param(changed(notes="tolong dipercepat"), "notes", id="body-unknown-key"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(body: Any, field: str) -> None:
    assert refused_field(body) == field


def test_a_refusal_says_in_indonesian_what_to_send() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_request(changed(kind="seminar"), today=TODAY)
    assert "Jenis permohonan tidak dikenal" in refused.value.message
    assert refused.value.extra["allowed"] == list(REQUEST_KINDS)
    with pytest.raises(InvalidInput, match="isi salah satu, minutes"):
        validate_request(changed(sessions=[session(minutes=None)]), today=TODAY)


def test_minutes_at_their_edges_are_accepted() -> None:
    sessions = [session(minutes=1), session(minutes=1440)]
    valid = validate_request(changed(sessions=sessions), today=TODAY)
    assert [s["minutes"] for s in valid.sessions] == [1, 1440]


@pytest.mark.parametrize(
    ("stated", "stored"),
    [(2, "2"), (1.5, "1.5"), ("0.75", "0.75"), (" 2.50 ", "2.5"), (100, "100"), ("1e1", "10")],
)
def test_a_stated_jp_is_stored_as_a_plain_decimal(stated: Any, stored: str) -> None:
    valid = validate_request(changed(sessions=[session(minutes=None, jp=stated)]), today=TODAY)
    assert valid.sessions[0]["jp"] == stored
    assert "minutes" not in valid.sessions[0]


def test_an_outcome_is_kept_and_a_blank_one_dropped() -> None:
    sessions = [session(outcome="RAB jalan desa selesai"), session(outcome="  ")]
    stored = validate_request(changed(sessions=sessions), today=TODAY).sessions
    assert stored[0]["outcome"] == "RAB jalan desa selesai"
    assert "outcome" not in stored[1]


def test_the_largest_log_a_letter_prints_is_accepted() -> None:
    many = [session(date=f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}") for n in range(MAX_SESSIONS)]
    assert len(validate_request(changed(sessions=many), today=TODAY).sessions) == MAX_SESSIONS


def test_the_stored_log_is_what_the_jp_engine_reads() -> None:
    sessions = [session(), session(date="2026-03-09", minutes=None, jp="1.5", topic="Evaluasi")]
    stored = validate_request(changed(sessions=sessions), today=TODAY).sessions
    first, second = log_entries(stored)
    assert (first.date, first.minutes, first.jp, first.topic) == (
        date(2026, 3, 2),
        90,
        None,
        "Penyusunan RAB",
    )
    assert (second.date, second.minutes, second.jp, second.last_date) == (
        date(2026, 3, 9),
        None,
        Decimal("1.5"),
        date(2026, 3, 9),
    )


# -- the transition table ------------------------------------------------------------------------

_S = RequestStatus
#: Every (state, transition) that is allowed, and where it leads; every other pair is refused.
ALLOWED = {
    (_S.DRAFT, Transition.SUBMIT): _S.SUBMITTED,
    (_S.DRAFT, Transition.ADD_EVIDENCE): _S.DRAFT,
    (_S.SUBMITTED, Transition.WITHDRAW): _S.WITHDRAWN,
    (_S.SUBMITTED, Transition.APPROVE): _S.APPROVED,
    (_S.SUBMITTED, Transition.REJECT): _S.REJECTED,
}


@pytest.mark.parametrize("transition", list(Transition))
@pytest.mark.parametrize("status", list(RequestStatus))
def test_every_state_and_transition(status: RequestStatus, transition: Transition) -> None:
    if (status, transition) in ALLOWED:
        assert check_transition(status.value, transition) is ALLOWED[status, transition]
        return
    with pytest.raises(Conflict) as refused:
        check_transition(status.value, transition)
    assert refused.value.extra["request_status"] == status.value
    source = TRANSITIONS[transition][0]
    assert f"hanya permohonan berstatus {_LABELS[source]}" in refused.value.message


_LABELS = {
    _S.DRAFT: "draf",
    _S.SUBMITTED: "diajukan",
    _S.APPROVED: "disetujui",
    _S.REJECTED: "ditolak",
    _S.WITHDRAWN: "ditarik",
}


def test_decided_and_withdrawn_requests_are_final() -> None:
    for final in (_S.APPROVED, _S.REJECTED, _S.WITHDRAWN):
        for transition in Transition:
            with pytest.raises(Conflict):
                check_transition(final.value, transition)


def test_the_refusal_names_the_current_state() -> None:
    with pytest.raises(Conflict, match=r"^Permohonan berstatus disetujui; hanya permohonan"):
        check_transition("approved", Transition.APPROVE)


# -- evidence ------------------------------------------------------------------------------------

# Lampiran C of Perwal Tangsel 74/2022 (seed 003) and chapter IV of the kubar-2024 guideline
# (seed 002); bimbingan di tempat kerja is only in seed 002 (see the module's docstring).
EXPECTED_EVIDENCE = {
    "coaching": ["surat_perintah", "formulir"],
    "mentoring": ["surat_perintah", "formulir"],
    "belajar_mandiri": ["surat_perintah", "bahan"],
    "komunitas_belajar": ["daftar_anggota", "bahan"],
    "bimbingan_tempat_kerja": ["surat_perintah", "formulir"],
}


def test_every_kind_has_its_required_evidence() -> None:
    assert {kind: list(needed) for kind, needed in REQUIRED_EVIDENCE.items()} == EXPECTED_EVIDENCE
    assert set(REQUIRED_EVIDENCE) == set(REQUEST_KINDS)
    assert all(set(needed) <= set(EVIDENCE_KINDS) for needed in REQUIRED_EVIDENCE.values())


@pytest.mark.parametrize("rule_set", rules.RULE_SET_NAMES)
@pytest.mark.parametrize("kind", REQUEST_KINDS)
def test_required_evidence_per_kind_under_each_rule_set(rule_set: str, kind: str) -> None:
    """The evidence a path needs does not depend on the rule set; whether the rule set has the
    path at all does: tangsel-2022's Lampiran B has no row for bimbingan di tempat kerja, so no
    such request can be credited there (the JP engine refuses it, not the evidence check)."""
    path = rules.parse_path(kind, field="kind")
    assert (path in rules.RULE_SETS[rule_set]) == (
        (rule_set, kind) != ("tangsel-2022", "bimbingan_tempat_kerja")
    )
    needed = EXPECTED_EVIDENCE[kind]
    assert missing_evidence(kind, []) == needed
    assert missing_evidence(kind, needed) == []
    assert missing_evidence(kind, ["lainnya", *needed[1:]]) == needed[:1]
    refuse_missing_evidence(kind, [*needed, "lainnya"])
    with pytest.raises(InvalidInput) as refused:
        refuse_missing_evidence(kind, needed[:1])
    assert (refused.value.field, refused.value.extra["missing"]) == ("evidence", needed[1:])
    assert f"lampirkan: {needed[1]}" in refused.value.message


def test_other_evidence_never_replaces_a_required_kind() -> None:
    assert missing_evidence("coaching", ["lainnya", "bahan", "daftar_anggota"]) == [
        "surat_perintah",
        "formulir",
    ]


@pytest.mark.parametrize("kind", EVIDENCE_KINDS)
def test_evidence_kinds_are_read_exactly(kind: str) -> None:
    assert parse_evidence_kind(kind) == kind


@pytest.mark.parametrize("value", [None, "", "foto", "Formulir", " bahan"])
def test_unknown_evidence_kinds_are_refused(value: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_evidence_kind(value)
    assert refused.value.field == "kind" and refused.value.extra["allowed"] == list(EVIDENCE_KINDS)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
    ],
)
def test_evidence_is_judged_by_its_first_bytes(data: bytes, media_type: str) -> None:
    assert evidence_media_type(data) == media_type


@pytest.mark.parametrize(
    "data", [b"", b"<html><body>evidence</body></html>", b"GIF89a....", b"PK\x03\x04docx"]
)
def test_anything_else_is_refused_as_evidence(data: bytes) -> None:
    # (A file with "%PDF-" in its first kilobyte is judged a PDF here, as readers do; the use
    # case then has pypdf read it, which refuses an HTML page that merely contains the marker.)
    with pytest.raises(InvalidInput) as refused:
        evidence_media_type(data)
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    ("filename", "media_type", "offered"),
    [
        ("surat-perintah.pdf", "application/pdf", "surat-perintah.pdf"),
        ("Formulir Coaching (ttd).PDF", "application/pdf", "Formulir-Coaching-ttd.pdf"),
        ("foto.html", "image/png", "foto.png"),
        ("scan.tar.gz", "image/jpeg", "scan-tar.jpg"),
        ('a";\r\nSet-Cookie: x=1', "application/pdf", "a-Set-Cookie-x-1.pdf"),
        ("Daftar_Anggota-" * 10 + ".pdf", "application/pdf", ("Daftar_Anggota-" * 6)[:80] + ".pdf"),
        ("a" * 79 + "-b.pdf", "application/pdf", "a" * 79 + ".pdf"),
        ("Bukti Café.png", "image/png", "Bukti-Cafe.png"),
        (".htaccess", "application/pdf", "surat_perintah.pdf"),
        ("格式.pdf", "application/pdf", "surat_perintah.pdf"),
        (None, "image/jpeg", "surat_perintah.jpg"),
    ],
)
def test_evidence_is_offered_under_a_safe_name_with_its_real_extension(
    filename: str | None, media_type: str, offered: str
) -> None:
    name = evidence_download_name(filename, "surat_perintah", media_type)
    assert name == offered
    assert name.isascii() and '"' not in name and "/" not in name and not name.startswith(".")
