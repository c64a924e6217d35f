"""Permohonan pages: an SKPD files with evidence and sees the JP verdicts, BPSDM decides."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from registry.adapters.db.schema import AuditEntry, Request, RequestEvidence
from registry.usecases.issuing import Registry
from tests.console.support import csrf_token, post_form, sign_in
from tests.support.drafts import outside_pdf

NEW = "/konsol/permohonan/baru"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EMPLOYEE_NIP = "199001012015031001"

#: The form of a coaching request with three sessions in one month (the third is over the cap).
FORM = {
    "nip": EMPLOYEE_NIP,
    "nama": "Andi Wijaya, S.Kom.",
    "pangkat": "Penata Muda (III/a)",
    "jabatan": "Pranata Komputer Ahli Pertama",
    "jenis": "coaching",
    "lingkup": "nasional",
    "pembimbing_nama": "Ir. Bambang Sutrisno, M.T.",
    "pembimbing_nip": "197805122003121002",
    "pembimbing_jabatan": "Kepala Bidang Bina Marga",
    "baris": "4",
    "sesi_0_tanggal": "2026-03-02",
    "sesi_0_menit": "90",
    "sesi_0_topik": "Penyusunan RAB",
    "sesi_1_tanggal": "2026-03-09",
    "sesi_1_menit": "90",
    "sesi_1_topik": "Analisis harga satuan",
    "sesi_2_tanggal": "2026-03-16",
    "sesi_2_menit": "60",
    "sesi_2_topik": "Evaluasi",
}


def evidence(*kinds: str) -> dict[str, tuple[str, bytes, str]]:
    files = {
        "surat_perintah": ("surat-perintah.pdf", outside_pdf(), "application/pdf"),
        "formulir": ("formulir.png", PNG, "image/png"),
    }
    return {f"bukti_{kind}": files[kind] for kind in kinds}


def file_request(console: TestClient[Any], action: str = "ajukan", **changes: str) -> uuid.UUID:
    """Siti (DPUPR) files the coaching request through the form; signs her in."""
    sign_in(console, "siti")
    data = {**FORM, "kunci": str(uuid.uuid4()), "aksi": action, **changes}
    files = evidence("surat_perintah", "formulir") if action == "ajukan" else None
    filed = post_form(console, NEW, data, files=files)
    assert filed.status_code == 303, filed.text
    found = re.fullmatch(
        r"/konsol/permohonan/([0-9a-f-]{36})\?selesai=\w+", filed.headers["location"]
    )
    assert found is not None, filed.headers["location"]
    return uuid.UUID(found.group(1))


def stored(registry: Registry, request_id: uuid.UUID) -> Request:
    with registry.db.reading() as session:
        row = session.get(Request, request_id)
        assert row is not None
        session.expunge(row)
        return row


def request_count(registry: Registry) -> int:
    with registry.db.reading() as session:
        return session.execute(select(func.count()).select_from(Request)).scalar_one()


def audit_count(registry: Registry) -> int:
    with registry.db.reading() as session:
        return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def trail(registry: Registry, subject: uuid.UUID) -> list[tuple[str, str]]:
    with registry.db.reading() as session:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.subject == str(subject)).order_by(AuditEntry.seq)
        ).scalars()
        return [(row.actor, row.action) for row in rows]


def switch_to(console: TestClient[Any], username: str) -> None:
    console.cookies.clear()
    sign_in(console, username)


# -- filing --------------------------------------------------------------------------------------


def test_the_new_form_starts_with_empty_rows_and_a_key(console: TestClient[Any]) -> None:
    sign_in(console, "siti")
    form = console.get(NEW)
    assert form.status_code == 200
    assert form.text.count('type="date"') == 4
    assert 'value="tambah"' in form.text and "Periksa JP" in form.text
    assert re.search(r'name="kunci" value="[0-9a-f-]{36}"', form.text)
    assert 'enctype="multipart/form-data"' in form.text
    for field_id in ("nip", "nama", "jenis", "sesi-0-tanggal", "bukti-formulir"):
        assert f'<label for="{field_id}">' in form.text


def test_tambah_baris_adds_rows_and_keeps_what_was_typed(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "siti")
    again = post_form(console, NEW, {**FORM, "aksi": "tambah"})
    assert again.status_code == 200
    assert again.text.count('type="date"') == 7
    assert 'value="Analisis harga satuan"' in again.text
    assert "pilih berkasnya lagi" in again.text
    assert request_count(registry) == 0


def test_periksa_jp_shows_the_engines_verdict_per_session_and_files_nothing(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "siti")
    checked = post_form(console, NEW, {**FORM, "aksi": "periksa"})
    assert checked.status_code == 200, checked.text
    assert "Putusan JP per sesi" in checked.text
    # Coaching credits 2 JP a session, at most 2 sessions a month: the third credits nothing.
    assert "<strong>4 JP</strong>" in checked.text
    assert "<strong>Tidak</strong>" in checked.text
    assert 'value="Evaluasi"' in checked.text
    assert request_count(registry) == 0


def test_a_requester_files_submits_and_tracks_under_her_name(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    row = stored(registry, request_id)
    assert (row.status, row.unit_code, row.created_by) == ("submitted", "DPUPR", "user:siti")
    assert [s["topic"] for s in row.sessions] == [
        "Penyusunan RAB",
        "Analisis harga satuan",
        "Evaluasi",
    ]
    assert row.guide is not None and row.guide["name"] == "Ir. Bambang Sutrisno, M.T."
    assert trail(registry, request_id) == [
        ("user:siti", "request.create"),
        ("user:siti", "request.evidence"),
        ("user:siti", "request.evidence"),
        ("user:siti", "request.submit"),
    ]
    shown = console.get(f"/konsol/permohonan/{request_id}?selesai=diajukan")
    assert shown.status_code == 200
    assert "Permohonan diajukan ke BPSDM" in shown.text
    assert 'class="badge badge-submitted">Diajukan' in shown.text
    assert "Tarik permohonan" in shown.text and "Setujui" not in shown.text
    assert "Lihat surat-perintah.pdf" in shown.text
    assert "Mengajukan" in shown.text  # history
    listed = console.get("/konsol/permohonan").text
    assert "Andi Wijaya, S.Kom." in listed and "Permohonan baru" in listed


def test_a_repeated_submit_files_once(console: TestClient[Any], registry: Registry) -> None:
    sign_in(console, "siti")
    data = {**FORM, "kunci": str(uuid.uuid4()), "aksi": "ajukan"}
    files = evidence("surat_perintah", "formulir")
    first = post_form(console, NEW, data, files=files)
    second = post_form(console, NEW, data, files=files)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    with registry.db.reading() as session:
        assert session.execute(select(func.count()).select_from(RequestEvidence)).scalar_one() == 2
    assert request_count(registry) == 1


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"sesi_1_tanggal": "9 Maret"}, "sesi-1-tanggal", "YYYY-MM-DD"),
        ({"sesi_2_menit": "satu jam"}, "sesi-2-menit", "bilangan bulat menit"),
        # Digits Python calls digits but int() refuses, or reads as another number.
        ({"sesi_2_menit": "²"}, "sesi-2-menit", "bilangan bulat menit"),
        ({"sesi_2_menit": "٩٠"}, "sesi-2-menit", "bilangan bulat menit"),
        ({"nama": ""}, "nama", "employee.name wajib diisi"),
        ({"nip": "12345"}, "nip", "NIP"),
        (
            {"pembimbing_nama": "", "pembimbing_nip": "", "pembimbing_jabatan": ""},
            "pembimbing_nama",
            "coach wajib diisi",
        ),
        ({"jenis": ""}, "jenis", "Jenis permohonan tidak dikenal"),
    ],
)
def test_a_refused_form_comes_back_with_the_values_and_the_field_marked(
    console: TestClient[Any],
    registry: Registry,
    changes: dict[str, str],
    field_id: str,
    message: str,
) -> None:
    sign_in(console, "siti")
    data = {**FORM, **changes, "aksi": "ajukan"}
    refused = post_form(console, NEW, data, files=evidence("surat_perintah", "formulir"))
    assert refused.status_code == 422, refused.text
    assert 'role="alert"' in refused.text and message in refused.text
    assert re.search(
        rf'id="{field_id}"[^>]*aria-invalid="true" aria-describedby="{field_id}-salah"',
        refused.text,
    ), refused.text
    assert f'class="field-error" id="{field_id}-salah"' in refused.text
    assert 'value="Penyusunan RAB"' in refused.text
    assert "pilih berkasnya lagi" in refused.text
    assert request_count(registry) == 0


def test_submitting_without_the_required_evidence_writes_nothing(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "siti")
    audit_before = audit_count(registry)
    data = {**FORM, "aksi": "ajukan"}
    refused = post_form(console, NEW, data, files=evidence("surat_perintah"))
    assert refused.status_code == 422
    assert "Bukti dukung belum lengkap" in refused.text
    assert (
        'id="bukti-formulir"' in refused.text
        and 'aria-describedby="bukti-formulir-salah"' in refused.text
    )
    bad = {"bukti_formulir": ("formulir.html", b"<html><script>x</script>", "text/html")}
    refused = post_form(console, NEW, data, files={**evidence("surat_perintah"), **bad})
    assert refused.status_code == 422 and "PDF, JPEG atau PNG" in refused.text
    assert request_count(registry) == 0
    assert audit_count(registry) == audit_before


def test_a_draft_gets_its_evidence_on_its_page_then_is_submitted(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console, action="draf")
    page = f"/konsol/permohonan/{request_id}"
    draft = console.get(page + "?selesai=draf")
    assert "Draf permohonan tersimpan" in draft.text
    assert "Sebelum diajukan, lampirkan: surat perintah, formulir pelaksanaan" in draft.text
    early = post_form(console, f"{page}/ajukan", {}, form_page=page)
    assert early.status_code == 422 and "Bukti dukung belum lengkap" in early.text
    assert stored(registry, request_id).status == "draft"
    for kind, (name, data, media) in (
        ("surat_perintah", evidence("surat_perintah")["bukti_surat_perintah"]),
        ("formulir", evidence("formulir")["bukti_formulir"]),
    ):
        added = post_form(
            console,
            f"{page}/bukti",
            {"jenis_bukti": kind},
            form_page=page,
            files={"berkas": (name, data, media)},
        )
        assert added.status_code == 303 and added.headers["location"].endswith("selesai=bukti")
    submitted = post_form(console, f"{page}/ajukan", {}, form_page=page)
    assert submitted.status_code == 303
    assert stored(registry, request_id).status == "submitted"
    assert [action for _, action in trail(registry, request_id)][-1] == "request.submit"


def test_the_roster_is_offered_and_the_chosen_employee_is_filed(
    console: TestClient[Any], registry: Registry
) -> None:
    from registry.domain.actors import CLI_ACTOR
    from registry.usecases.units import Units

    units = Units(registry.db, now=registry.now, today=registry.local_today)
    roster = b"nip,nama,status,jabatan\n198503152010011012,Dra. Siti Aminah,pns,Analis\n"
    units.import_roster("DPUPR", roster, CLI_ACTOR, filename="pegawai.csv")
    sign_in(console, "siti")
    assert "Dra. Siti Aminah (198503152010011012)" in console.get(NEW).text
    request_id = file_request(console, action="draf", roster="198503152010011012", nip="", nama="")
    row = stored(registry, request_id)
    assert (row.nip, row.employee["name"]) == ("198503152010011012", "Dra. Siti Aminah")


# -- reading --------------------------------------------------------------------------------------


def test_evidence_opens_inline_as_judged_by_its_content(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    with registry.db.reading() as session:
        pieces = session.execute(
            select(RequestEvidence).where(RequestEvidence.request_id == request_id)
        ).scalars()
        ids = {piece.kind: piece.id for piece in pieces}
    for username in ("siti", "andi", "rina"):
        switch_to(console, username)
        served = console.get(f"/konsol/permohonan/{request_id}/bukti/{ids['surat_perintah']}")
        assert served.status_code == 200
        assert served.content.startswith(b"%PDF-")
        assert served.headers["content-type"] == "application/pdf"
        assert served.headers["content-disposition"].startswith("inline")
        assert served.headers["x-content-type-options"] == "nosniff"
    image = console.get(f"/konsol/permohonan/{request_id}/bukti/{ids['formulir']}")
    assert image.headers["content-type"] == "image/png"
    switch_to(console, "budi")
    hidden = console.get(f"/konsol/permohonan/{request_id}/bukti/{ids['surat_perintah']}")
    assert hidden.status_code == 404 and "%PDF" not in hidden.text
    other = console.get(f"/konsol/permohonan/{request_id}/bukti/{uuid.uuid4()}")
    assert other.status_code == 404


def test_the_issuer_sees_the_queue_oldest_first_and_filters_the_rest(
    console: TestClient[Any], registry: Registry
) -> None:
    first = file_request(console, nama="Pegawai Pertama")
    second = file_request(console, nama="Pegawai Kedua")
    draft = file_request(console, action="draf", nama="Pegawai Draf")
    switch_to(console, "andi")
    listed = console.get("/konsol/permohonan")
    assert listed.status_code == 200
    queue, others = listed.text.split('id="lainnya"')
    assert queue.index(f"/konsol/permohonan/{first}") < queue.index(f"/konsol/permohonan/{second}")
    assert f"/konsol/permohonan/{draft}" not in queue and f"/konsol/permohonan/{draft}" in others
    assert f"/konsol/permohonan/{first}" not in others
    drafts = console.get("/konsol/permohonan?status=draft&unit=DPUPR").text.split('id="lainnya"')[1]
    assert "Pegawai Draf" in drafts and "Pegawai Pertama" not in drafts
    assert "Permohonan baru" not in listed.text
    # Another unit's requester sees none of them.
    switch_to(console, "budi")
    theirs = console.get("/konsol/permohonan").text
    assert "Pegawai Pertama" not in theirs and "Tidak ada permohonan" in theirs


def test_the_requester_filters_its_own_requests_by_status(console: TestClient[Any]) -> None:
    file_request(console, nama="Pegawai Diajukan")
    file_request(console, action="draf", nama="Pegawai Draf")
    drafts = console.get("/konsol/permohonan?status=draft").text
    assert "Pegawai Draf" in drafts and "Pegawai Diajukan" not in drafts
    assert 'value="draft" selected' in drafts
    # An unknown status is ignored, never echoed.
    everything = console.get("/konsol/permohonan?status=<b>x</b>")
    assert everything.status_code == 200 and "<b>x</b>" not in everything.text


# -- deciding -------------------------------------------------------------------------------------


def test_the_issuer_approves_after_a_confirmation_and_the_letter_is_linked(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    switch_to(console, "andi")
    page = f"/konsol/permohonan/{request_id}"
    assert "Setujui" in console.get(page).text
    confirm = console.get(f"{page}/setujui")
    assert confirm.status_code == 200
    assert "Ya, setujui dan terbitkan surat" in confirm.text and "4 JP" in confirm.text
    assert stored(registry, request_id).status == "submitted"
    approved = post_form(console, f"{page}/setujui", {})
    assert approved.status_code == 303
    assert approved.headers["location"] == f"{page}?selesai=disetujui"
    row = stored(registry, request_id)
    assert row.status == "approved" and row.document_id is not None
    assert trail(registry, request_id)[-1] == ("user:andi", "request.approve")
    shown = console.get(approved.headers["location"]).text
    letter = registry.get(row.document_id, _issuer())
    assert letter.number in shown
    assert f'href="/konsol/dokumen/{row.document_id}"' in shown
    assert f'href="/konsol/dokumen/{row.document_id}/pdf"' in shown
    # Sent again, the approval does not act twice: a conflict, one letter.
    again = post_form(console, f"{page}/setujui", {}, form_page=page)
    assert again.status_code == 409 and "berstatus disetujui" in again.text
    switch_to(console, "siti")
    assert letter.number in console.get(page).text


def test_a_rejection_needs_a_reason_the_requester_then_reads(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    switch_to(console, "andi")
    page = f"/konsol/permohonan/{request_id}"
    confirm = console.get(f"{page}/tolak")
    assert confirm.status_code == 200 and '<label for="alasan">' in confirm.text
    empty = post_form(console, f"{page}/tolak", {"alasan": "  "})
    assert empty.status_code == 422
    assert "Alasan penolakan wajib diisi" in empty.text
    assert 'aria-describedby="alasan-salah"' in empty.text
    assert stored(registry, request_id).status == "submitted"
    reason = "Formulir pelaksanaan belum ditandatangani coach."
    rejected = post_form(console, f"{page}/tolak", {"alasan": reason})
    assert rejected.status_code == 303
    row = stored(registry, request_id)
    assert (row.status, row.reason, row.decided_by) == ("rejected", reason, "user:andi")
    assert trail(registry, request_id)[-1] == ("user:andi", "request.reject")
    switch_to(console, "siti")
    shown = console.get(page).text
    assert reason in shown and "badge-rejected" in shown


def test_the_requester_withdraws_after_a_confirmation(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    page = f"/konsol/permohonan/{request_id}"
    confirm = console.get(f"{page}/tarik")
    assert confirm.status_code == 200 and "Ya, tarik permohonan" in confirm.text
    withdrawn = post_form(console, f"{page}/tarik", {})
    assert withdrawn.status_code == 303
    assert stored(registry, request_id).status == "withdrawn"
    assert trail(registry, request_id)[-1] == ("user:siti", "request.withdraw")
    again = post_form(console, f"{page}/tarik", {}, form_page=page)
    assert again.status_code == 409 and "berstatus ditarik" in again.text


# -- who may ---------------------------------------------------------------------------------------


def test_a_requester_cannot_reach_the_decisions(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    page = f"/konsol/permohonan/{request_id}"
    for step in ("setujui", "tolak"):
        assert console.get(f"{page}/{step}").status_code == 403
        refused = post_form(console, f"{page}/{step}", {"alasan": "x"}, form_page=page)
        assert refused.status_code == 403
    assert stored(registry, request_id).status == "submitted"


def test_another_units_requester_learns_nothing(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console)
    switch_to(console, "budi")
    page = f"/konsol/permohonan/{request_id}"
    for path in (page, f"{page}/tarik"):
        hidden = console.get(path)
        assert hidden.status_code == 404
        assert "Andi Wijaya" not in hidden.text and "Permohonan tidak ditemukan" in hidden.text
    refused = post_form(console, f"{page}/tarik", {}, form_page="/konsol/permohonan")
    assert refused.status_code == 404
    assert console.get(f"{page}/setujui").status_code == 403
    assert stored(registry, request_id).status == "submitted"


@pytest.mark.parametrize(
    ("username", "status"), [("root", 403), ("rina", 200), ("andi", 403), ("budi", 200)]
)
def test_who_opens_the_list_and_the_new_form(
    console: TestClient[Any], username: str, status: int
) -> None:
    sign_in(console, username)
    listed = console.get("/konsol/permohonan")
    assert listed.status_code == (403 if username == "root" else 200)
    assert console.get(NEW).status_code == (200 if username == "budi" else 403)
    assert '<html lang="id">' in listed.text


def test_the_auditor_reads_without_actions(console: TestClient[Any]) -> None:
    request_id = file_request(console)
    switch_to(console, "rina")
    shown = console.get(f"/konsol/permohonan/{request_id}")
    assert shown.status_code == 200 and "Andi Wijaya" in shown.text
    assert "Setujui" not in shown.text and "Tarik permohonan" not in shown.text
    assert 'href="/konsol/permohonan"' in console.get("/konsol").text.split("</nav>")[0]
    assert console.get(f"/konsol/permohonan/{request_id}/setujui").status_code == 403


def test_without_a_session_every_page_sends_to_sign_in(console: TestClient[Any]) -> None:
    some = uuid.uuid4()
    for path in ("/konsol/permohonan", NEW, f"/konsol/permohonan/{some}"):
        answer = console.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/konsol/masuk")


def test_every_form_is_refused_without_the_csrf_token(
    console: TestClient[Any], registry: Registry
) -> None:
    request_id = file_request(console, action="draf")
    page = f"/konsol/permohonan/{request_id}"
    before = trail(registry, request_id)
    csrf_token(console, page)  # the cookie is there; only the field is missing
    attempts = [
        (NEW, {**FORM, "aksi": "ajukan"}),
        (f"{page}/bukti", {"jenis_bukti": "formulir"}),
        (f"{page}/ajukan", {}),
        (f"{page}/tarik", {}),
    ]
    for path, data in attempts:
        refused = console.post(path, data=data, follow_redirects=False)
        assert refused.status_code == 403, path
        assert "Formulir kedaluwarsa" in refused.text
    switch_to(console, "andi")
    for step in ("setujui", "tolak"):
        refused = console.post(f"{page}/{step}", data={"alasan": "x"}, follow_redirects=False)
        assert refused.status_code == 403
    assert request_count(registry) == 1 and trail(registry, request_id) == before
    assert stored(registry, request_id).status == "draft"


def _issuer() -> Any:
    from registry.domain.actors import Actor

    return Actor(id="test-issuer", role="issuer")
