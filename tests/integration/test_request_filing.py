"""Filing a request in one go (the console's form): checked before written, never filed twice."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.adapters.db.schema import Request, RequestEvidence
from registry.domain.actors import Actor
from registry.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from registry.usecases.issuing import Registry
from registry.usecases.request_filing import EvidenceUpload, RequestFiling
from registry.usecases.requests import Requests
from tests.integration.test_requests import DINKES, DPUPR, ISSUE_BODY, PNG, audit_trail
from tests.integration.test_requests import requests as requests  # the fixture, re-exported
from tests.support.drafts import outside_pdf

AUDITOR = Actor(id="test-auditor", role="auditor")
EVIDENCE = (
    EvidenceUpload("surat_perintah", outside_pdf(), "sp.pdf"),
    EvidenceUpload("formulir", PNG, "formulir.png"),
)


@pytest.fixture
def filing(requests: Requests) -> RequestFiling:
    return RequestFiling(requests)


def three_sessions() -> dict[str, object]:
    body = copy.deepcopy(ISSUE_BODY)
    body["sessions"] = [
        {"date": "2026-03-02", "minutes": 90, "topic": "Penyusunan RAB"},
        {"date": "2026-03-09", "minutes": 90, "topic": "Analisis harga satuan"},
        {"date": "2026-03-16", "minutes": 90, "topic": "Evaluasi"},
    ]
    return body


def counts(registry: Registry) -> tuple[int, int]:
    with registry.db.reading() as session:
        return (
            session.execute(select(func.count()).select_from(Request)).scalar_one(),
            session.execute(select(func.count()).select_from(RequestEvidence)).scalar_one(),
        )


def test_preview_gives_the_engines_verdicts_and_stores_nothing(
    filing: RequestFiling, registry: Registry
) -> None:
    credit = filing.preview(three_sessions(), DPUPR)
    # Coaching: 2 JP a session, at most 2 sessions counted in a month.
    assert [v.counted for v in credit.entries] == [True, True, False]
    assert credit.jp == Decimal(4)
    assert credit.entries[2].reason
    assert counts(registry) == (0, 0)
    with pytest.raises(PermissionDenied):
        filing.preview(three_sessions(), AUDITOR)


def test_file_and_submit_in_one_go_under_the_filers_name(
    filing: RequestFiling, registry: Registry
) -> None:
    key = uuid.uuid4()
    filed = filing.file(three_sessions(), EVIDENCE, DPUPR, submit=True, request_id=key)
    assert (filed.id, filed.status, len(filed.evidence)) == (key, "submitted", 2)
    assert audit_trail(registry, key) == [
        (DPUPR.label, "request.create"),
        (DPUPR.label, "request.evidence"),
        (DPUPR.label, "request.evidence"),
        (DPUPR.label, "request.submit"),
    ]
    # The same form sent again answers with the first request and writes nothing.
    again = filing.file(three_sessions(), EVIDENCE, DPUPR, submit=True, request_id=key)
    assert (again.id, again.status) == (key, "submitted")
    assert counts(registry) == (1, 2)
    assert len(audit_trail(registry, key)) == 4
    # Another filer cannot take over that id.
    other = Actor(id="req-dpupr-2", role="requester", unit_code="DPUPR")
    with pytest.raises(Conflict):
        filing.file(three_sessions(), EVIDENCE, other, submit=True, request_id=key)


def test_a_draft_needs_no_evidence(filing: RequestFiling) -> None:
    draft = filing.file(three_sessions(), (), DPUPR, submit=False)
    assert (draft.status, draft.evidence) == ("draft", [])


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (EVIDENCE[:1], "formulir"),
        ((EVIDENCE[0], EvidenceUpload("formulir", b"<html>", "f.html")), "PDF, JPEG atau PNG"),
        ((EVIDENCE[0], EvidenceUpload("rapor", PNG)), "Jenis bukti dukung"),
    ],
)
def test_a_refused_filing_writes_nothing(
    filing: RequestFiling,
    registry: Registry,
    evidence: tuple[EvidenceUpload, ...],
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        filing.file(three_sessions(), evidence, DPUPR, submit=True)
    bad = three_sessions()
    bad["sessions"] = [{"date": "2026-13-01", "minutes": 90, "topic": "x"}]
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        filing.file(bad, EVIDENCE, DPUPR, submit=True)
    assert counts(registry) == (0, 0)


def test_history_is_the_audit_trail_for_those_who_may_read(filing: RequestFiling) -> None:
    filed = filing.file(three_sessions(), EVIDENCE, DPUPR, submit=True)
    history = filing.history(filed.id, AUDITOR)
    assert [entry.action for entry in history] == [
        "request.create",
        "request.evidence",
        "request.evidence",
        "request.submit",
    ]
    assert history[0].actor == DPUPR.label and history[0].at.tzinfo is not None
    assert history[1].details["kind"] == "surat_perintah"
    with pytest.raises(NotFound):
        filing.history(filed.id, DINKES)
