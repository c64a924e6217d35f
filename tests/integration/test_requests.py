"""Surat keterangan requests on both backends: lifecycle, roles, evidence, JP, concurrency."""

from __future__ import annotations

import copy
import hashlib
import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from docx import Document as DocxDocument
from sqlalchemy import func, select

from registry.adapters.db.schema import AuditEntry, Document, RequestEvidence
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.actors import Actor
from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from registry.domain.jp_sessions import LogEntry
from registry.domain.units import UnitDraft
from registry.usecases import requests as requests_module
from registry.usecases.issuing import Registry
from registry.usecases.requests import Requests
from registry.usecases.units import Units
from tests.support.drafts import outside_pdf
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="test-issuer", role="issuer")
DPUPR = Actor(id="req-dpupr", role="requester", unit_code="DPUPR")
DINKES = Actor(id="req-dinkes", role="requester", unit_code="DINKES")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

#: The body of issue 8 section 2, as an SKPD sends it.
ISSUE_BODY: dict[str, Any] = {
    "kind": "coaching",
    "scope": "nasional",
    "employee": {
        "nip": "199001012015031001",
        "name": "Andi Wijaya, S.Kom.",
        "rank": "Penata Muda (III/a)",
        "position": "Pranata Komputer Ahli Pertama",
        "unit": "DPUPR",
    },
    "coach": {
        "nip": "197805122003121002",
        "name": "Ir. Bambang Sutrisno, M.T.",
        "position": "Kepala Bidang Bina Marga",
    },
    "sessions": [{"date": "2026-03-02", "minutes": 90, "topic": "Penyusunan RAB"}],
}


@pytest.fixture
def requests(registry: Registry) -> Requests:
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", None), ISSUER)
    units.save(UnitDraft("DINKES", "Dinas Kesehatan", None), ISSUER)
    return Requests(registry)


def filed(requests: Requests, body: dict[str, Any] | None = None) -> uuid.UUID:
    """A coaching request with its required evidence, submitted."""
    request = requests.create(copy.deepcopy(body or ISSUE_BODY), DPUPR)
    requests.add_evidence(request.id, "surat_perintah", outside_pdf(), DPUPR, filename="sp.pdf")
    requests.add_evidence(request.id, "formulir", PNG, DPUPR, filename="formulir.png")
    return requests.submit(request.id, DPUPR).id


def audit_trail(registry: Registry, subject: uuid.UUID) -> list[tuple[str, str]]:
    with registry.db.reading() as session:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.subject == str(subject)).order_by(AuditEntry.seq)
        ).scalars()
        return [(row.actor, row.action) for row in rows]


def documents(registry: Registry) -> list[Document]:
    with registry.db.reading() as session:
        return list(session.execute(select(Document)).scalars())


def test_lifecycle_issues_one_numbered_letter_in_the_units_series(
    requests: Requests, registry: Registry
) -> None:
    request = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR)
    assert (request.status, request.unit_code) == ("draft", "DPUPR")
    assert request.credit is not None and request.credit.jp > 0
    requests.add_evidence(request.id, "surat_perintah", outside_pdf(), DPUPR)
    requests.add_evidence(request.id, "formulir", PNG, DPUPR)
    assert requests.submit(request.id, DPUPR).status == "submitted"

    approved = requests.approve(request.id, ISSUER)

    assert approved.status == "approved" and approved.document_id is not None
    letter = registry.get(approved.document_id, ISSUER)
    assert letter.status == "issued" and letter.type == "surat_keterangan"
    assert "/DPUPR/" in letter.number
    assert str(letter.jp) == str(approved.credit.jp if approved.credit else None)
    with registry.db.reading() as session:
        stored = session.get_one(Document, approved.document_id)
        assert stored.path == "coaching" and stored.unit_code == "DPUPR"
        assert stored.details is not None
        assert stored.details["coach"]["name"] == "Ir. Bambang Sutrisno, M.T."
        assert [s["topic"] for s in stored.details["sessions"]] == ["Penyusunan RAB"]
    assert [action for _, action in audit_trail(registry, request.id)] == [
        "request.create",
        "request.evidence",
        "request.evidence",
        "request.submit",
        "request.approve",
    ]
    assert audit_trail(registry, request.id)[-1][0] == ISSUER.label
    with pytest.raises(Conflict, match="disetujui"):
        requests.approve(request.id, ISSUER)
    assert len(documents(registry)) == 1


def test_submit_without_required_evidence_names_the_missing_kinds(requests: Requests) -> None:
    request = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR)
    requests.add_evidence(request.id, "lainnya", PNG, DPUPR)
    with pytest.raises(InvalidInput, match=r"surat_perintah.*formulir") as refused:
        requests.submit(request.id, DPUPR)
    assert refused.value.extra["missing"] == ["surat_perintah", "formulir"]
    requests.add_evidence(request.id, "surat_perintah", PNG, DPUPR)
    with pytest.raises(InvalidInput) as still:
        requests.submit(request.id, DPUPR)
    assert still.value.extra["missing"] == ["formulir"]
    assert requests.get(request.id, DPUPR).status == "draft"


def test_komunitas_belajar_needs_the_member_list_and_material(requests: Requests) -> None:
    body = copy.deepcopy(ISSUE_BODY)
    del body["coach"]
    body.update(kind="komunitas_belajar", sessions=[{"date": "2026-03-02", "jp": 2, "topic": "x"}])
    request = requests.create(body, DPUPR)
    requests.add_evidence(request.id, "surat_perintah", PNG, DPUPR)
    with pytest.raises(InvalidInput) as refused:
        requests.submit(request.id, DPUPR)
    assert refused.value.extra["missing"] == ["daftar_anggota", "bahan"]


def test_evidence_is_judged_by_content_and_leaves_no_file_without_a_record(
    requests: Requests, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR)
    with pytest.raises(InvalidInput, match="PDF, JPEG atau PNG"):
        requests.add_evidence(
            request.id, "bahan", b"MZ\x90\x00 not an image", DPUPR, filename="a.pdf"
        )
    with pytest.raises(InvalidInput, match="Jenis bukti"):
        requests.add_evidence(request.id, "foto", PNG, DPUPR)
    unique = b"\xff\xd8\xff" + uuid.uuid4().bytes
    store = registry.production.store

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(requests_module.audit, "append", broken)
    with pytest.raises(RuntimeError):
        requests.add_evidence(request.id, "bahan", unique, DPUPR)
    assert not store.exists(hashlib.sha256(unique).hexdigest())
    with registry.db.reading() as session:
        assert session.execute(select(func.count()).select_from(RequestEvidence)).scalar() == 0


def test_role_rules_and_unit_visibility(requests: Requests) -> None:
    request = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR)
    with pytest.raises(NotFound):
        requests.get(request.id, DINKES)
    with pytest.raises(NotFound):
        requests.add_evidence(request.id, "formulir", PNG, DINKES)
    with pytest.raises(PermissionDenied):
        requests.create({**copy.deepcopy(ISSUE_BODY), "unit_code": "DINKES"}, DPUPR)
    by_issuer = requests.create({**copy.deepcopy(ISSUE_BODY), "unit_code": "DINKES"}, ISSUER)
    assert by_issuer.unit_code == "DINKES"
    assert [r.id for r in requests.list(DPUPR)] == [request.id]
    assert {r.id for r in requests.list(ISSUER)} == {request.id, by_issuer.id}
    assert [r.id for r in requests.list(ISSUER, unit="DINKES")] == [by_issuer.id]
    submitted = filed(requests)
    with pytest.raises(PermissionDenied):
        requests.approve(submitted, DPUPR)
    with pytest.raises(PermissionDenied):
        requests.reject(submitted, "tidak lengkap", DPUPR)


def test_issuers_see_the_oldest_submitted_first(requests: Requests) -> None:
    first = filed(requests)
    draft = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR).id
    second = filed(requests)
    assert [r.id for r in requests.list(ISSUER)] == [first, second, draft]
    assert [r.id for r in requests.list(ISSUER, status="submitted")] == [first, second]


def test_reject_needs_a_reason_the_requester_then_reads(
    requests: Requests, registry: Registry
) -> None:
    request_id = filed(requests)
    with pytest.raises(InvalidInput, match="Alasan"):
        requests.reject(request_id, "  ", ISSUER)
    rejected = requests.reject(request_id, "Formulir tidak ditandatangani coach", ISSUER)
    seen = requests.get(request_id, DPUPR)
    assert (seen.status, seen.reason) == ("rejected", "Formulir tidak ditandatangani coach")
    assert rejected.decided_by == ISSUER.label
    with pytest.raises(Conflict):
        requests.approve(request_id, ISSUER)
    assert documents(registry) == []


@pytest.mark.parametrize(
    ("reason", "refusal"),
    [
        ("Lampiran \u202egnasiB\u202c tidak sah", "pengatur arah"),
        ("\u200b\u200b", "tak terlihat"),
        ("Berkas\u0085rusak", "kendali"),
    ],
)
def test_a_rejection_reason_follows_the_text_rules_of_every_other_field(
    requests: Requests, reason: str, refusal: str
) -> None:
    """The reason is shown to the requester and mailed: it may not print otherwise than stored."""
    request_id = filed(requests)
    with pytest.raises(InvalidInput, match=refusal):
        requests.reject(request_id, reason, ISSUER)
    assert requests.get(request_id, DPUPR).status == "submitted"
    multi_line = requests.reject(request_id, "Formulir kurang.\nLampiran belum ada.", ISSUER)
    assert multi_line.reason == "Formulir kurang.\nLampiran belum ada."


def test_withdraw_only_a_submitted_request(requests: Requests) -> None:
    draft = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR)
    with pytest.raises(Conflict, match="diajukan"):
        requests.withdraw(draft.id, DPUPR)
    request_id = filed(requests)
    assert requests.withdraw(request_id, DPUPR).status == "withdrawn"
    with pytest.raises(Conflict):
        requests.approve(request_id, ISSUER)


def test_a_log_that_credits_zero_jp_is_not_approved(requests: Requests, registry: Registry) -> None:
    body = copy.deepcopy(ISSUE_BODY)
    body["kind"] = "belajar_mandiri"
    del body["coach"]
    body["sessions"] = [{"date": "2026-03-02", "minutes": 30, "topic": "Membaca modul"}]
    request = requests.create(body, DPUPR)
    requests.add_evidence(request.id, "surat_perintah", PNG, DPUPR)
    requests.add_evidence(request.id, "bahan", outside_pdf(), DPUPR)
    requests.submit(request.id, DPUPR)
    with pytest.raises(InvalidInput, match="tidak menghasilkan JP") as refused:
        requests.approve(request.id, ISSUER)
    verdicts = refused.value.extra["sessions"]
    assert [(v["date"], v["jp"], v["counted"]) for v in verdicts] == [("2026-03-02", "0", False)]
    assert requests.get(request.id, ISSUER).status == "submitted"
    assert documents(registry) == []


def test_a_failed_production_leaves_the_request_submitted_and_the_number_void(
    requests: Requests, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_id = filed(requests)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(registry.production, "produce", broken)
    with pytest.raises(Exception, match="dibatalkan"):
        requests.approve(request_id, ISSUER)
    after = requests.get(request_id, ISSUER)
    assert (after.status, after.document_id) == ("submitted", None)
    [void] = documents(registry)
    assert void.status == "void" and void.void_reason
    assert "request.approve_failed" in [a for _, a in audit_trail(registry, request_id)]
    monkeypatch.undo()
    approved = requests.approve(request_id, ISSUER)
    assert approved.status == "approved"
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 2


def test_a_letter_left_by_an_approval_that_died_is_finished_not_doubled(
    requests: Requests, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The approving process dies after the letter is issued, before the request says so."""
    request_id = filed(requests)

    def died(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("process killed")

    monkeypatch.setattr(requests, "_mark_approved", died)
    with pytest.raises(RuntimeError):
        requests.approve(request_id, ISSUER)
    monkeypatch.undo()
    [letter] = documents(registry)
    left = requests.get(request_id, ISSUER)
    assert (letter.status, left.status, left.document_id) == ("issued", "submitted", letter.id)

    # Moments later the letter may still be another approval's work in flight: refused.
    with pytest.raises(Conflict):
        requests.approve(request_id, ISSUER)
    # Once it is as old as an abandoned batch, the next approval finishes with that letter.
    later = registry.now() + requests_module.STALE_PENDING + timedelta(minutes=1)
    monkeypatch.setattr(registry, "now", lambda: later)
    approved = requests.approve(request_id, ISSUER)
    assert (approved.status, approved.document_id) == ("approved", letter.id)
    assert [d.id for d in documents(registry)] == [letter.id]  # no second letter, no new number
    assert audit_trail(registry, request_id)[-1] == (ISSUER.label, "request.approve")


def test_concurrent_approvals_issue_exactly_one_letter(
    requests: Requests, registry: Registry
) -> None:
    request_id = filed(requests)
    approvers = 6
    barrier = threading.Barrier(approvers)

    def approve(index: int) -> str:
        barrier.wait()
        try:
            requests.approve(request_id, Actor(id=f"issuer-{index}", role="issuer"))
        except Conflict:
            return "conflict"
        return "approved"

    with ThreadPoolExecutor(max_workers=approvers) as pool:
        outcomes = sorted(pool.map(approve, range(approvers)))

    assert outcomes == ["approved"] + ["conflict"] * (approvers - 1)
    [letter] = documents(registry)
    assert letter.status == "issued"
    assert requests.get(request_id, ISSUER).document_id == letter.id


def _orphan(requests: Requests, registry: Registry, monkeypatch: pytest.MonkeyPatch) -> uuid.UUID:
    """A submitted request whose approval died after its letter was issued, long enough ago to
    be finished by the next approval."""
    request_id = filed(requests)

    def died(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("process killed")

    monkeypatch.setattr(requests, "_mark_approved", died)
    with pytest.raises(RuntimeError):
        requests.approve(request_id, ISSUER)
    monkeypatch.undo()
    later = registry.now() + requests_module.STALE_PENDING + timedelta(minutes=1)
    monkeypatch.setattr(registry, "now", lambda: later)
    return request_id


def test_concurrent_approvals_finishing_an_orphaned_letter_approve_once(
    requests: Requests, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_id = _orphan(requests, registry, monkeypatch)
    [letter] = documents(registry)
    both_found_it = threading.Barrier(2, timeout=30)
    complete = registry.complete

    def complete_together(document_id: uuid.UUID) -> Any:
        both_found_it.wait()  # both approvals saw the request submitted with the orphaned letter
        return complete(document_id)

    monkeypatch.setattr(registry, "complete", complete_together)

    def approve(index: int) -> str:
        try:
            requests.approve(request_id, Actor(id=f"issuer-{index}", role="issuer"))
        except Conflict:
            return "conflict"
        return "approved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(approve, range(2)))

    assert outcomes == ["approved", "conflict"]
    assert [d.id for d in documents(registry)] == [letter.id]
    approvals = [a for _, a in audit_trail(registry, request_id) if a == "request.approve"]
    assert approvals == ["request.approve"]


def test_a_request_whose_letter_is_being_made_cannot_be_withdrawn(
    requests: Requests, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like a rejection, a withdrawal would leave an issued letter on a withdrawn request."""
    request_id = _orphan(requests, registry, monkeypatch)
    with pytest.raises(Conflict, match="sedang dibuat"):
        requests.withdraw(request_id, DPUPR)
    assert requests.get(request_id, DPUPR).status == "submitted"
    approved = requests.approve(request_id, ISSUER)
    assert approved.status == "approved"


@pytest.mark.parametrize(
    ("kind", "rules", "evidence"),
    [
        ("komunitas_belajar", "tangsel-2022", ("daftar_anggota", "bahan")),
        # Only the kubar-2024 guideline has bimbingan di tempat kerja.
        ("bimbingan_tempat_kerja", "kubar-2024", ("surat_perintah", "formulir")),
    ],
)
def test_komunitas_and_bimbingan_letters_are_printed_from_their_own_templates(
    registry: Registry, kind: str, rules: str, evidence: tuple[str, ...]
) -> None:
    ruled = build_registry(
        replace(registry.settings, jp_rules=rules),
        db=registry.db,
        keyring=registry.keyring,
        converter=UnavailableConverter(),
    )
    units = Units(ruled.db, now=ruled.now, today=ruled.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", None), ISSUER)
    requests = Requests(ruled)
    body = copy.deepcopy(ISSUE_BODY)
    del body["coach"]
    supervisor = {"name": "Ir. Bambang Sutrisno, M.T.", "position": "Kepala Bidang Bina Marga"}
    if kind == "bimbingan_tempat_kerja":
        body["supervisor"] = supervisor
    body.update(
        kind=kind,
        sessions=[
            {"date": "2026-03-02", "minutes": 120, "topic": "Penyusunan RAB"},
            {"date": "2026-03-16", "minutes": 120, "topic": "Evaluasi RAB"},
        ],
    )
    request = requests.create(body, DPUPR)
    for evidence_kind in evidence:
        requests.add_evidence(request.id, evidence_kind, PNG, DPUPR)
    requests.submit(request.id, DPUPR)

    approved = requests.approve(request.id, ISSUER)

    assert approved.document_id is not None
    letter = ruled.get(approved.document_id, ISSUER)
    assert letter.template_name == f"surat_keterangan_{kind}.docx"
    docx_file = next(f for f in letter.files if f.kind == "docx")
    document = DocxDocument(io.BytesIO(ruled.production.store.read(docx_file.sha256)))
    text = " ".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    with ruled.db.reading() as session:
        details = session.get_one(Document, letter.id).details or {}
    if kind == "bimbingan_tempat_kerja":
        assert details["supervisor"] == supervisor
        assert "dengan pembimbing Ir. Bambang Sutrisno, M.T., Kepala Bidang Bina Marga" in text
    else:
        assert "supervisor" not in details
        assert "jalur komunitas belajar" in text
    assert "description" not in details  # the guide is no longer squeezed into the description
    assert [s["topic"] for s in details["sessions"]] == ["Penyusunan RAB", "Evaluasi RAB"]


def test_an_approved_request_keeps_showing_what_its_letter_credited(
    requests: Requests, registry: Registry
) -> None:
    nip = ISSUE_BODY["employee"]["nip"]
    march = (LogEntry(date=date(2026, 3, 2), topic="a"), LogEntry(date=date(2026, 3, 9), topic="b"))
    earlier = registry.issue(
        DocumentDraft(
            type="surat_keterangan",
            recipient=RecipientDraft(nip=nip, name="Andi Wijaya", position=None, unit=None),
            activity=ActivityDraft(
                title="Coaching",
                path="coaching",
                scope="nasional",
                start_date=date(2026, 3, 2),
                end_date=date(2026, 3, 9),
                organizer="DPUPR",
                sessions=march,
            ),
            unit_code="DPUPR",
        ),
        ISSUER,
    ).document
    # tangsel-2022 counts 2 coaching sessions a month: the earlier letter has March's two.
    body = copy.deepcopy(ISSUE_BODY)
    body["sessions"] = [
        {"date": "2026-03-23", "minutes": 90, "topic": "Evaluasi"},
        {"date": "2026-04-06", "minutes": 90, "topic": "Tindak lanjut"},
    ]
    approved = requests.approve(filed(requests, body), ISSUER)
    assert approved.document_id is not None
    letter = registry.get(approved.document_id, ISSUER)
    assert letter.jp == "2"  # April only
    registry.revoke(earlier.id, "Salah penerima", ISSUER)

    seen = requests.get(approved.id, ISSUER)

    assert seen.credit is not None
    assert (str(seen.credit.jp), [v.counted for v in seen.credit.entries]) == (
        letter.jp,
        [False, True],
    )
