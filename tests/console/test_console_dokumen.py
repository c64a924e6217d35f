"""Terbitkan dokumen and Dokumen in the console: the issue form per type with its JP preview, the
list with its filters, a document's page with its QR, revoking and replacing behind a
confirmation step; who may open what, and that every action lands in the audit log by name."""

from __future__ import annotations

import re
import subprocess
import uuid
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from litestar.testing import TestClient

from registry.adapters.db.schema import Document
from registry.domain.actors import Actor
from registry.usecases.audit_log import AuditFilter, AuditLog
from registry.usecases.issuing import Registry, SearchFilter
from tests.console.support import csrf_token, post_form, sign_in
from tests.support.drafts import PNS_NIP, distinct_nips, draft, template_draft

ISSUER = Actor(id="user:andi", role="issuer")
READER = Actor(id="test-auditor", role="auditor")

SERTIFIKAT = {
    "recipient.nip": "19850315 201001 1 012",
    "recipient.name": "Dra. Siti Aminah, M.Si.",
    "recipient.position": "Analis Kepegawaian Ahli Muda",
    "unit_code": "DPUPR",
    "activity.title": "Seminar Nasional Manajemen ASN",
    "activity.path": "seminar",
    "activity.scope": "nasional",
    "activity.start_date": "2026-03-02",
    "activity.end_date": "2026-03-03",
    "activity.organizer": "BPSDM",
}
COACHING = {
    "recipient.nip": PNS_NIP,
    "recipient.name": "Rahmat Hidayat, S.T.",
    "unit_code": "DPUPR",
    "activity.title": "Coaching Penyusunan Rencana Kerja",
    "activity.path": "coaching",
    "activity.scope": "nasional",
    # Row 0 left blank on purpose: the rows are renumbered, and dates come from the sessions.
    "activity.sessions[1].date": "2026-03-02",
    "activity.sessions[1].topic": "Rencana kerja",
    "activity.sessions[2].date": "2026-03-09",
    "activity.sessions[3].date": "2026-03-16",
    "details.guide.name": "Ir. Bambang Susilo, M.T.",
    "details.guide.nip": "197001011995031003",
}


def documents(registry: Registry) -> list[Any]:
    return registry.search(READER, SearchFilter(limit=500))


def trail_of(registry: Registry, document_id: uuid.UUID) -> list[Any]:
    """The document's entries in the audit log, newest first, as an auditor reads them."""
    log = AuditLog(registry.db, zone=registry.settings.zone)
    return list(log.entries(READER, AuditFilter(subject=str(document_id))).rows)


def key() -> str:
    return uuid.uuid4().hex


def issue_form(client: TestClient[Any], kind: str, values: dict[str, str], **extra: str) -> Any:
    fields = {"aksi": "terbitkan", "idempotency_key": key(), **values, **extra}
    return post_form(client, f"/konsol/terbitkan/{kind}", fields)


def issued_id(response: Any) -> uuid.UUID:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    found = re.fullmatch(r"/konsol/dokumen/([0-9a-f-]{36})\?selesai=terbit", location)
    assert found is not None, response.headers["location"]
    return uuid.UUID(found.group(1))


def value_of(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert found is not None, name
    return unescape(found.group(1))


# -- who opens what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "sees_issue", "sees_list"),
    [("andi", True, True), ("siti", False, True), ("rina", False, True), ("root", False, False)],
)
def test_the_header_offers_the_pages_by_role(
    console: TestClient[Any], username: str, sees_issue: bool, sees_list: bool
) -> None:
    sign_in(console, username)
    home = console.get("/konsol").text
    assert ('href="/konsol/terbitkan"' in home) is sees_issue
    assert ('href="/konsol/dokumen"' in home) is sees_list


@pytest.mark.parametrize("username", ["siti", "rina", "root"])
def test_only_an_issuer_opens_the_issue_pages_and_nothing_is_issued_by_others(
    console: TestClient[Any], registry: Registry, username: str
) -> None:
    sign_in(console, username)
    for path in ("/konsol/terbitkan", "/konsol/terbitkan/sertifikat"):
        refused = console.get(path)
        assert refused.status_code == 403
        assert "hanya untuk peran Penerbit" in refused.text
    token = csrf_token(console, "/konsol")
    posted = console.post(
        "/konsol/terbitkan/sertifikat",
        data={**SERTIFIKAT, "aksi": "terbitkan", "_csrf_token": token},
        follow_redirects=False,
    )
    assert posted.status_code == 403
    assert documents(registry) == []


def test_without_a_session_the_pages_send_to_sign_in(console: TestClient[Any]) -> None:
    some_id = uuid.uuid4()
    for path in (
        "/konsol/terbitkan",
        "/konsol/terbitkan/sttp",
        "/konsol/dokumen",
        f"/konsol/dokumen/{some_id}",
        f"/konsol/dokumen/{some_id}/qr",
        f"/konsol/dokumen/{some_id}/cabut",
        f"/konsol/dokumen/{some_id}/ganti",
    ):
        answer = console.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/konsol/masuk?next=")


# -- the issue form -------------------------------------------------------------------------------


def test_each_type_has_a_form_with_its_own_fields(console: TestClient[Any]) -> None:
    sign_in(console, "andi")
    choice = console.get("/konsol/terbitkan")
    assert choice.status_code == 200
    for kind in ("sttp", "sertifikat", "transkrip", "piagam", "sk", "surat_keterangan"):
        assert f'href="/konsol/terbitkan/{kind}"' in choice.text
    forms = {
        kind: console.get(f"/konsol/terbitkan/{kind}").text
        for kind in ("sttp", "sertifikat", "transkrip", "piagam", "sk", "surat_keterangan")
    }
    assert 'name="details.subjects[0].name"' in forms["transkrip"]
    assert 'name="details.subjects[0].name"' in forms["sttp"]
    assert 'name="details.achievement"' in forms["piagam"]
    assert 'name="details.considering"' in forms["sk"] and 'name="details.appendix"' in forms["sk"]
    assert 'name="activity.sessions[0].date"' in forms["surat_keterangan"]
    assert 'name="details.guide.name"' in forms["surat_keterangan"]
    sertifikat = forms["sertifikat"]
    for absent in ("details.subjects", "details.achievement", "details.considering", "sessions["):
        assert absent not in sertifikat
    # A letter certifies nonklasikal paths only: the form does not offer a classroom path.
    assert 'value="coaching"' in forms["surat_keterangan"]
    assert 'value="pelatihan_teknis"' not in forms["surat_keterangan"]
    assert 'value="pelatihan_teknis"' in sertifikat
    for html in forms.values():
        assert html.count("<h1>") == 1
        assert 'name="_csrf_token"' in html and 'name="idempotency_key"' in html
        labelled = set(re.findall(r'<label for="([^"]+)"', html))
        inputs = set(re.findall(r'<(?:input|select|textarea) id="([^"]+)"', html))
        assert inputs <= labelled, inputs - labelled
    assert console.get("/konsol/terbitkan/ijazah").status_code == 404


def test_the_jp_preview_shows_the_engines_result_and_takes_no_number(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    preview = post_form(console, "/konsol/terbitkan/sertifikat", {**SERTIFIKAT, "aksi": "hitung"})
    assert preview.status_code == 200, preview.text
    # Seminar nasional, 2 days x 4 JP (tangsel-2022), as POST /api/v1/jp/calculate says.
    assert "Hasil hitung JP: 8 JP" in preview.text
    assert "Belum ada nomor yang diambil" in preview.text
    assert value_of(preview.text, "recipient.name") == "Dra. Siti Aminah, M.Si."
    assert value_of(preview.text, "activity.start_date") == "2026-03-02"
    assert documents(registry) == []


def test_issuing_through_the_form_records_the_document_under_the_persons_name(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    document_id = issued_id(issue_form(console, "sertifikat", SERTIFIKAT))

    view = registry.get(document_id, READER)
    assert (view.type, view.status, view.nip, view.unit_code) == (
        "sertifikat",
        "issued",
        PNS_NIP,
        "DPUPR",
    )
    assert view.holder_name == "Dra. Siti Aminah, M.Si." and view.jp == "8"
    trail = trail_of(registry, document_id)
    assert ("document.issue", "user:andi") in [(line.action, line.actor) for line in trail]

    result = console.get(f"/konsol/dokumen/{document_id}?selesai=terbit")
    assert result.status_code == 200
    assert "Dokumen terbit" in result.text
    assert view.number in result.text
    assert f'src="/konsol/dokumen/{document_id}/qr"' in result.text
    assert f'href="{view.verify_url}"' in result.text
    assert f'href="/konsol/dokumen/{document_id}/docx"' in result.text


def test_a_repeated_submit_issues_once(console: TestClient[Any], registry: Registry) -> None:
    sign_in(console, "andi")
    once = key()
    first = issue_form(console, "sertifikat", SERTIFIKAT, idempotency_key=once)
    second = issue_form(console, "sertifikat", SERTIFIKAT, idempotency_key=once)
    assert issued_id(first) == issued_id(second)
    assert len(documents(registry)) == 1


def test_a_refused_form_comes_back_with_what_was_typed_and_nothing_is_numbered(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    refused = issue_form(console, "sertifikat", {**SERTIFIKAT, "recipient.nip": "12345"})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and "Dokumen belum diterbitkan" in refused.text
    assert "NIP" in refused.text
    nip_input = re.search(r'<input id="f-recipient-nip"[^>]*>', refused.text)
    assert nip_input is not None
    assert 'aria-invalid="true"' in nip_input.group(0)
    assert "f-recipient-nip-error" in nip_input.group(0)
    assert 'id="f-recipient-nip-error"' in refused.text
    assert value_of(refused.text, "recipient.name") == "Dra. Siti Aminah, M.Si."
    assert value_of(refused.text, "recipient.nip") == "12345"

    bad_date = issue_form(console, "sertifikat", {**SERTIFIKAT, "activity.end_date": "3 Maret"})
    assert bad_date.status_code == 422
    assert "Tanggal selesai bukan tanggal yang benar" in bad_date.text
    assert re.search(r'id="f-activity-end-date"[^>]*aria-invalid="true"', bad_date.text)

    no_title = issue_form(console, "sertifikat", {**SERTIFIKAT, "activity.title": " "})
    assert no_title.status_code == 422
    assert "activity.title wajib diisi" in no_title.text
    assert documents(registry) == []
    # No number was taken either: the next document gets the first number of the year.
    first = registry.get(issued_id(issue_form(console, "sertifikat", SERTIFIKAT)), READER)
    assert first.number.startswith("00001/")


def test_a_form_without_its_csrf_token_is_refused_and_nothing_written(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    refused = console.post(
        "/konsol/terbitkan/sertifikat",
        data={**SERTIFIKAT, "aksi": "terbitkan"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "Formulir kedaluwarsa" in refused.text
    assert documents(registry) == []


def test_a_coaching_letter_previews_each_session_then_issues_with_its_coach(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    preview = post_form(
        console, "/konsol/terbitkan/surat_keterangan", {**COACHING, "aksi": "hitung"}
    )
    assert preview.status_code == 200, preview.text
    # tangsel-2022: 2 JP a session, at most 2 sessions counted in a month.
    assert "Hasil hitung JP: 4 JP" in preview.text
    assert preview.text.count("<td>Tidak</td>") == 1
    assert value_of(preview.text, "activity.sessions[0].date") == "2026-03-02"
    assert value_of(preview.text, "activity.sessions[0].topic") == "Rencana kerja"

    document_id = issued_id(issue_form(console, "surat_keterangan", COACHING))
    view = registry.get(document_id, READER)
    assert (view.path, view.jp, view.start_date.isoformat(), view.end_date.isoformat()) == (
        "coaching",
        "4",
        "2026-03-02",
        "2026-03-16",
    )
    again = registry.draft_of(document_id, READER)
    assert again.details is not None
    assert again.details["coach"] == {
        "name": "Ir. Bambang Susilo, M.T.",
        "nip": "197001011995031003",
    }


def test_a_coaching_letter_without_sessions_names_the_session_list(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    values = {k: v for k, v in COACHING.items() if not k.startswith("activity.sessions")} | {
        "activity.start_date": "2026-03-02",
        "activity.end_date": "2026-03-16",
    }
    refused = issue_form(console, "surat_keterangan", values)
    assert refused.status_code == 422
    assert "activity.sessions" in refused.text
    assert 'href="#f-activity-sessions"' in refused.text
    assert 'id="f-activity-sessions"' in refused.text
    assert documents(registry) == []


def test_a_transkrip_and_an_sk_carry_their_details(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    training = {
        **SERTIFIKAT,
        "activity.title": "Pelatihan Teknis Pengadaan",
        "activity.path": "pelatihan_teknis",
        "activity.jp": "24",
    }
    missing = issue_form(console, "transkrip", training)
    assert missing.status_code == 422
    assert "details.subjects wajib diisi" in missing.text
    transkrip = issued_id(
        issue_form(
            console,
            "transkrip",
            training,
            **{
                "details.subjects[0].name": "Etika & Integritas",
                "details.subjects[0].jp": "10",
                "details.subjects[0].score": "88,5",
                "details.subjects[1].name": "Manajemen Risiko",
                "details.subjects[1].jp": "14",
            },
        )
    )
    subjects = (registry.draft_of(transkrip, READER).details or {})["subjects"]
    assert [(s["name"], s["jp"], s.get("score")) for s in subjects] == [
        ("Etika & Integritas", "10", "88.5"),
        ("Manajemen Risiko", "14", None),
    ]

    sk = issued_id(
        issue_form(
            console,
            "sk",
            training,
            **{
                "details.about": "Peserta Pelatihan Teknis Pengadaan",
                "details.considering": "bahwa perlu menetapkan peserta\r\n\r\nbahwa huruf a",
                "details.legal_basis": "Undang-Undang Nomor 20 Tahun 2023",
                "details.decisions": "Menetapkan peserta sebagaimana tercantum dalam Lampiran.",
                "details.appendix": f"Andi Wijaya; {distinct_nips(1)[0]}; Analis\nBudi <Uji>",
            },
        )
    )
    details = registry.draft_of(sk, READER).details or {}
    assert details["considering"] == ["bahwa perlu menetapkan peserta", "bahwa huruf a"]
    assert details["appendix"] == [
        {"name": "Andi Wijaya", "nip": distinct_nips(1)[0], "position": "Analis"},
        {"name": "Budi <Uji>"},
    ]


# -- the list -------------------------------------------------------------------------------------


@pytest.fixture
def three(registry: Registry) -> dict[str, Any]:
    """Three documents: DPUPR's sertifikat, BAPPEDA's STTP, and a revoked DPUPR one."""
    nips = distinct_nips(3)
    aminah = registry.issue(draft(nip=nips[0], name="Dra. Siti Aminah, M.Si."), ISSUER)
    budi = registry.issue(
        draft(
            type="sttp",
            nip=nips[1],
            name="Budi Santoso",
            unit_code="BAPPEDA",
            path="pelatihan_teknis",
            jp=Decimal("24"),
            title="Pelatihan Teknis Perencanaan",
        ),
        ISSUER,
    )
    rahmat = registry.issue(draft(nip=nips[2], name="Rahmat Hidayat"), ISSUER)
    registry.revoke(rahmat.document.id, "Tidak hadir", ISSUER)
    return {"aminah": aminah.document, "budi": budi.document, "rahmat": rahmat.document}


def listed(client: TestClient[Any], query: str = "") -> list[str]:
    answer = client.get(f"/konsol/dokumen{query}")
    assert answer.status_code == 200, answer.text
    return re.findall(r'<td><a href="/konsol/dokumen/([0-9a-f-]{36})">', answer.text)


def test_an_issuer_filters_the_list_by_every_field(
    console: TestClient[Any], three: dict[str, Any]
) -> None:
    sign_in(console, "andi")
    ids = {name: str(view.id) for name, view in three.items()}
    assert sorted(listed(console)) == sorted(ids.values())
    assert listed(console, "?nama=AMINAH") == [ids["aminah"]]
    assert listed(console, f"?nip={three['budi'].nip}") == [ids["budi"]]
    assert listed(console, "?nomor=" + quote(three["aminah"].number)) == [ids["aminah"]]
    assert listed(console, "?jenis=sttp") == [ids["budi"]]
    assert listed(console, "?status=revoked") == [ids["rahmat"]]
    assert listed(console, "?unit=BAPPEDA") == [ids["budi"]]
    year = three["aminah"].issued_at.year
    assert len(listed(console, f"?tahun={year}")) == 3
    assert listed(console, f"?tahun={year - 1}") == []
    assert "Tidak ada dokumen yang cocok" in console.get(f"/konsol/dokumen?tahun={year - 1}").text
    # The filter form keeps what was asked, and shows a status by its word as well as colour.
    page = console.get("/konsol/dokumen?nama=aminah&status=issued").text
    assert 'value="aminah"' in page
    assert '<option value="issued" selected>Sah</option>' in page
    assert '<span class="badge badge-issued">Sah</span>' in page


def test_a_requester_lists_only_its_own_units_documents(
    console: TestClient[Any], three: dict[str, Any]
) -> None:
    sign_in(console, "siti")
    own = sorted([str(three["aminah"].id), str(three["rahmat"].id)])
    assert sorted(listed(console)) == own
    # Another unit in the query changes nothing: the use case keeps a requester to its own.
    assert sorted(listed(console, "?unit=BAPPEDA")) == own
    assert listed(console, "?nama=budi") == []
    page = console.get("/konsol/dokumen").text
    assert 'id="unit"' not in page  # no unit to choose: the use case keeps it to DPUPR
    assert three["budi"].number not in page


def test_an_auditor_lists_and_an_admin_may_not(
    console: TestClient[Any], three: dict[str, Any]
) -> None:
    sign_in(console, "rina")
    assert len(listed(console)) == 3
    sign_in(console, "root")
    assert console.get("/konsol/dokumen").status_code == 403


def test_a_filter_it_cannot_mean_is_refused_with_the_reason(
    console: TestClient[Any], three: dict[str, Any]
) -> None:
    sign_in(console, "andi")
    refused = console.get("/konsol/dokumen?tahun=dua+ribu")
    assert refused.status_code == 400
    assert "Tahun harus empat angka" in refused.text
    assert re.search(r'id="tahun"[^>]*aria-invalid="true"', refused.text)
    assert 'value="dua ribu"' in refused.text
    for query in ("?jenis=ijazah", "?status=hilang", "?halaman=0", "?halaman=x"):
        answer = console.get(f"/konsol/dokumen{query}")
        assert answer.status_code == 400, query
        assert 'role="alert"' in answer.text


def test_the_list_is_paged_and_keeps_its_filters(
    console: TestClient[Any], registry: Registry
) -> None:
    for nip in distinct_nips(27):
        registry.issue(draft(nip=nip, name="Peserta Seminar"), ISSUER)
    sign_in(console, "andi")
    first = console.get("/konsol/dokumen?nama=peserta")
    assert len(listed(console, "?nama=peserta")) == 25
    assert 'href="/konsol/dokumen?nama=peserta&amp;halaman=2"' in first.text
    second = console.get("/konsol/dokumen?nama=peserta&halaman=2")
    assert len(listed(console, "?nama=peserta&halaman=2")) == 2
    assert 'href="/konsol/dokumen?nama=peserta"' in second.text  # back to page 1
    assert "Halaman berikutnya" not in second.text


# -- a document's page ----------------------------------------------------------------------------


def test_the_document_page_shows_record_files_links_and_history(
    console: TestClient[Any], three: dict[str, Any]
) -> None:
    sign_in(console, "andi")
    view = three["aminah"]
    page = console.get(f"/konsol/dokumen/{view.id}")
    assert page.status_code == 200
    html = page.text
    for expected in (
        view.number,
        "Dra. Siti Aminah, M.Si.",
        "19850315 201001 1",  # the NIP as printed, with its spaces
        "Seminar Nasional Manajemen ASN",
        "Status: SAH",
        f'href="{view.verify_url}"',
        f'href="/konsol/dokumen/{view.id}/docx"',
        f'href="/konsol/dokumen/{view.id}/cabut"',
        f'href="/konsol/dokumen/{view.id}/ganti"',
    ):
        assert expected in html, expected
    # The audit log names every actor: its entries are for its readers, as on the Audit page.
    assert "<code>user:andi</code>" not in html
    assert "dapat dibaca auditor" in html
    assert view.short_url is None or view.short_url in html
    assert html.count("<h1>") == 1
    revoked = console.get(f"/konsol/dokumen/{three['rahmat'].id}").text
    assert "Status: DICABUT" in revoked and "Tidak hadir" in revoked
    assert "/cabut" not in revoked  # only a valid document is revoked
    assert console.get(f"/konsol/dokumen/{uuid.uuid4()}").status_code == 404
    sign_in(console, "rina")
    audited = console.get(f"/konsol/dokumen/{view.id}").text
    assert "<code>user:andi</code>" in audited
    assert "Nomor diambil dan rekaman ditandatangani" in audited
    assert "Catatan audit" in console.get(f"/konsol/dokumen/{three['rahmat'].id}").text
    assert (
        "<td>Alasan: Tidak hadir</td>" in console.get(f"/konsol/dokumen/{three['rahmat'].id}").text
    )


@pytest.mark.parametrize(("username", "status"), [("siti", 200), ("rina", 200), ("budi", 403)])
def test_readers_open_a_document_read_only_and_another_unit_learns_nothing(
    console: TestClient[Any], three: dict[str, Any], username: str, status: int
) -> None:
    sign_in(console, username)
    view = three["aminah"]
    page = console.get(f"/konsol/dokumen/{view.id}")
    assert page.status_code == status
    assert "/cabut" not in page.text and "/ganti" not in page.text
    if status == 403:
        assert view.number not in page.text and view.holder_name not in page.text
        assert console.get(f"/konsol/dokumen/{view.id}/qr").status_code == 403


def test_the_qr_image_carries_the_verify_url(
    console: TestClient[Any], three: dict[str, Any], tmp_path: Path
) -> None:
    sign_in(console, "siti")
    view = three["aminah"]
    image = console.get(f"/konsol/dokumen/{view.id}/qr")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    png = tmp_path / "qr.png"
    png.write_bytes(image.content)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=False
    )
    assert decoded.stdout.strip() == view.verify_url


# -- revoking -------------------------------------------------------------------------------------


def test_revoking_asks_for_a_reason_and_confirmation_then_revokes_once(
    console: TestClient[Any], registry: Registry, three: dict[str, Any]
) -> None:
    sign_in(console, "andi")
    view = three["aminah"]
    path = f"/konsol/dokumen/{view.id}/cabut"
    confirm = console.get(path)
    assert confirm.status_code == 200
    assert f"Cabut dokumen {view.number}?" in confirm.text
    assert '<label for="alasan">' in confirm.text and "Ya, cabut dokumen" in confirm.text
    once = value_of(confirm.text, "idempotency_key")

    no_reason = post_form(console, path, {"reason": "  ", "idempotency_key": once})
    assert no_reason.status_code == 422
    assert 'role="alert"' in no_reason.text and 'aria-invalid="true"' in no_reason.text
    assert registry.get(view.id, READER).status == "issued"

    without_token = console.post(path, data={"reason": "Salah orang"}, follow_redirects=False)
    assert without_token.status_code == 403
    assert registry.get(view.id, READER).status == "issued"

    for _ in range(2):  # a double submit revokes once
        done = post_form(
            console,
            path,
            {"reason": "Salah orang", "idempotency_key": once},
            form_page="/konsol",  # the confirmation page itself is gone once revoked
        )
        assert done.status_code == 303
        assert done.headers["location"] == f"/konsol/dokumen/{view.id}?selesai=dicabut"
    revoked = registry.get(view.id, READER)
    assert (revoked.status, revoked.revocation_reason) == ("revoked", "Salah orang")
    revokes = [line.actor for line in trail_of(registry, view.id) if line.action.endswith("revoke")]
    assert revokes == ["user:andi"]

    shown = console.get(f"/konsol/dokumen/{view.id}?selesai=dicabut").text
    assert "Dokumen dicabut" in shown and "Salah orang" in shown
    again = console.get(path)
    assert again.status_code == 409 and "tidak dapat dicabut" in again.text
    # The public verification page, linked from the document's page, now says so.
    verify = console.get(revoked.verify_url.removeprefix("https://verifikasi.bpsdm.example"))
    assert verify.status_code == 200 and "DICABUT" in verify.text


@pytest.mark.parametrize("username", ["siti", "rina"])
def test_only_an_issuer_revokes(
    console: TestClient[Any], registry: Registry, three: dict[str, Any], username: str
) -> None:
    sign_in(console, username)
    path = f"/konsol/dokumen/{three['aminah'].id}/cabut"
    assert console.get(path).status_code == 403
    token = csrf_token(console, "/konsol")
    refused = console.post(path, data={"reason": "x", "_csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 403
    assert registry.get(three["aminah"].id, READER).status == "issued"


# -- replacing ------------------------------------------------------------------------------------


def hidden_inputs(html: str) -> dict[str, str]:
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
        if name != "_csrf_token"
    }


def test_replacing_starts_from_the_document_checks_then_confirms(
    console: TestClient[Any], registry: Registry, three: dict[str, Any]
) -> None:
    sign_in(console, "andi")
    old = three["aminah"]
    path = f"/konsol/dokumen/{old.id}/ganti"
    form = console.get(path)
    assert form.status_code == 200
    assert f"Ganti dokumen {old.number}" in form.text
    assert value_of(form.text, "recipient.name") == "Dra. Siti Aminah, M.Si."
    assert value_of(form.text, "activity.title") == old.title
    assert value_of(form.text, "activity.start_date") == old.start_date.isoformat()
    assert '<option value="DPUPR" selected>' in form.text
    fields = {
        name: value_of(form.text, name)
        for name in re.findall(r'<input id="[^"]+" name="([^"]+)"', form.text)
    }
    fields |= {"unit_code": "DPUPR", "activity.path": "seminar", "activity.scope": "nasional"}
    fields |= {"idempotency_key": value_of(form.text, "idempotency_key")}
    fields["series"] = value_of(form.text, "series")  # the replacement keeps the old series
    assert fields["series"] == old.series
    fields["recipient.name"] = "Dra. Siti Aminah Lubis, M.Si."

    no_reason = post_form(console, path, {**fields, "aksi": "periksa"})
    assert no_reason.status_code == 422 and "Alasan wajib diisi" in no_reason.text
    assert re.search(r'id="f-reason"[^>]*aria-invalid="true"', no_reason.text)

    check = post_form(console, path, {**fields, "reason": "Nama kurang lengkap", "aksi": "periksa"})
    assert check.status_code == 200, check.text
    assert f"Ganti dokumen {old.number}?" in check.text and "Ya, ganti dokumen" in check.text
    assert len(documents(registry)) == 3  # checking takes no number

    confirmed = hidden_inputs(check.text)
    assert confirmed["recipient.name"] == "Dra. Siti Aminah Lubis, M.Si."
    for _ in range(2):  # a double submit replaces once
        done = post_form(console, path, {**confirmed, "aksi": "ganti"}, form_page="/konsol")
        assert done.status_code == 303, done.text
        found = re.fullmatch(
            r"/konsol/dokumen/([0-9a-f-]{36})\?selesai=ganti", done.headers["location"]
        )
        assert found is not None
    new = registry.get(uuid.UUID(found.group(1)), READER)
    assert new.holder_name == "Dra. Siti Aminah Lubis, M.Si." and new.number != old.number
    assert new.series == old.series
    assert new.supersedes is not None and new.supersedes.id == old.id
    assert registry.get(old.id, READER).status == "superseded"
    assert len(documents(registry)) == 4
    assert ("document.issue", "user:andi") in [
        (line.action, line.actor) for line in trail_of(registry, new.id)
    ]
    old_trail = trail_of(registry, old.id)
    assert [line.actor for line in old_trail if line.action == "document.supersede"] == [
        "user:andi"
    ]
    assert dict(old_trail[0].details)["reason"] == "Nama kurang lengkap"  # newest first
    shown = console.get(done.headers["location"]).text
    assert "Dokumen pengganti terbit" in shown and old.number in shown
    assert console.get(path).status_code == 409


@pytest.mark.parametrize("username", ["siti", "rina"])
def test_only_an_issuer_replaces(
    console: TestClient[Any], registry: Registry, three: dict[str, Any], username: str
) -> None:
    sign_in(console, username)
    path = f"/konsol/dokumen/{three['aminah'].id}/ganti"
    assert console.get(path).status_code == 403
    token = csrf_token(console, "/konsol")
    refused = console.post(
        path,
        data={**SERTIFIKAT, "reason": "x", "aksi": "ganti", "_csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert registry.get(three["aminah"].id, READER).status == "issued"
    assert len(documents(registry)) == 3


def test_replacing_without_the_csrf_token_writes_nothing(
    console: TestClient[Any], registry: Registry, three: dict[str, Any]
) -> None:
    sign_in(console, "andi")
    path = f"/konsol/dokumen/{three['aminah'].id}/ganti"
    refused = console.post(
        path, data={**SERTIFIKAT, "reason": "x", "aksi": "ganti"}, follow_redirects=False
    )
    assert refused.status_code == 403
    assert len(documents(registry)) == 3


def test_a_form_sent_again_with_other_values_gets_a_new_key_and_issues_nothing(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    once = key()
    issued_id(issue_form(console, "sertifikat", SERTIFIKAT, idempotency_key=once))
    # The browser's Back button, a changed name, the same form sent again.
    again = issue_form(
        console, "sertifikat", {**SERTIFIKAT, "recipient.name": "Orang Lain"}, idempotency_key=once
    )
    assert again.status_code == 409
    assert "sudah pernah dikirim dengan isian lain" in again.text
    fresh = value_of(again.text, "idempotency_key")
    assert fresh and fresh != once
    assert len(documents(registry)) == 1
    second = issue_form(
        console, "sertifikat", {**SERTIFIKAT, "recipient.name": "Orang Lain"}, idempotency_key=fresh
    )
    assert registry.get(issued_id(second), READER).holder_name == "Orang Lain"


def test_replacing_a_letter_starts_from_its_sessions_and_its_coach(
    console: TestClient[Any], registry: Registry
) -> None:
    letter = registry.issue(template_draft("surat_keterangan_coaching"), ISSUER).document
    sign_in(console, "andi")
    form = console.get(f"/konsol/dokumen/{letter.id}/ganti")
    assert form.status_code == 200
    assert value_of(form.text, "activity.sessions[0].date") == "2026-03-02"
    assert value_of(form.text, "activity.sessions[0].topic") == "Rencana kerja"
    assert value_of(form.text, "activity.sessions[1].date") == "2026-03-16"
    assert value_of(form.text, "details.guide.name") == "Ir. Bambang Susilo, M.T."
    assert '<option value="coaching" selected>' in form.text

    fields = {
        name: value_of(form.text, name)
        for name in re.findall(r'<input id="[^"]+" name="([^"]+)"', form.text)
    }
    fields |= {"unit_code": "DPUPR", "activity.path": "coaching", "activity.scope": "nasional"}
    fields |= {"idempotency_key": value_of(form.text, "idempotency_key")}
    check = post_form(
        console,
        f"/konsol/dokumen/{letter.id}/ganti",
        {**fields, "reason": "Topik sesi kedua", "aksi": "periksa", "bukan.isian": "x"},
    )
    assert check.status_code == 200, check.text
    carried = hidden_inputs(check.text)
    assert "bukan.isian" not in carried  # only the form's own fields go to the last step
    assert carried["activity.sessions[1].date"] == "2026-03-16"


def test_a_document_still_being_made_reloads_its_page_by_itself(
    console: TestClient[Any], registry: Registry, three: dict[str, Any]
) -> None:
    with registry.db.writing() as session:
        session.get_one(Document, three["aminah"].id).status = "pending"
    sign_in(console, "rina")
    page = console.get(f"/konsol/dokumen/{three['aminah'].id}").text
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "sedang dibuat" in page
    assert "refresh" not in console.get(f"/konsol/dokumen/{three['budi'].id}").text
