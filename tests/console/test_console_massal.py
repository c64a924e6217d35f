"""Terbitkan massal in the console: the form, the template, row errors as a table with nothing
issued, the progress page, the results, a failed batch's retry; who may do what."""

from __future__ import annotations

import io
import json
import re
import time
import uuid
import zipfile
from typing import Any

import openpyxl
import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from registry.adapters.db.schema import AuditEntry, Batch, Document
from registry.domain.batch_template import TEMPLATE_COLUMNS
from registry.usecases.batches import Batches, BatchView
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.console.support import csrf_token, post_form, sign_in, written_rows
from tests.console.test_console_accessibility import PageAudit
from tests.support.drafts import batch_body, distinct_nips

FORM = "/konsol/massal"
ACTIVITY = {
    "type": "sttp",
    "unit_code": "DPUPR",
    "title": "Pelatihan Teknis Pengadaan Barang/Jasa",
    "path": "pelatihan_teknis",
    "scope": "nasional",
    "start_date": "2026-03-02",
    "end_date": "2026-03-04",
    "jp": "24",
    "organizer": "BPSDM",
}
# Only a guard against a hang: the jobs run in the background of the app.
HANG_GUARD = 240


def participants_csv(count: int, *, bad_row: int | None = None) -> bytes:
    lines = ["No;NIP;Nama;Jabatan;Unit Kerja"]
    for n, nip in enumerate(distinct_nips(count), start=1):
        if n == bad_row:
            nip = nip[:4] + "13" + nip[6:]  # month 13: not a birth date
        lines.append(f"{n};{nip};Peserta {n:03d} & Rekan;Analis;Dinas PU")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def participants_xlsx(count: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nip", "name", "position"])
    for n, nip in enumerate(distinct_nips(count), start=1):
        sheet.append([nip, f"Peserta {n:03d}", "Analis"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(console: TestClient[Any], data: bytes, name: str = "peserta.csv", **changes: str) -> Any:
    return post_form(
        console,
        FORM,
        {**ACTIVITY, "idempotency_key": uuid.uuid4().hex, **changes},
        files={"file": (name, data, "application/octet-stream")},
    )


def batches_of(console: TestClient[Any]) -> Batches:
    found: Batches = console.app.state.background.batches
    return found


def wait_ended(console: TestClient[Any], batch_id: str) -> BatchView:
    batches = batches_of(console)
    deadline = time.monotonic() + HANG_GUARD
    while (view := batches.view(uuid.UUID(batch_id))).status == "rendering":
        assert time.monotonic() < deadline, view
        time.sleep(0.1)
    return view


def started(response: Any) -> str:
    assert response.status_code == 303, response.text
    found = re.fullmatch(
        r"/konsol/massal/([0-9a-f-]{36})\?selesai=dimulai", response.headers["location"]
    )
    assert found, response.headers["location"]
    return found.group(1)


def audit_of(registry: Registry, subject: str) -> list[tuple[str, str]]:
    with registry.db.reading() as session:
        return [
            (entry.actor, entry.action)
            for entry in session.execute(
                select(AuditEntry).where(AuditEntry.subject == subject).order_by(AuditEntry.seq)
            ).scalars()
        ]


def test_the_issuer_sees_the_form_with_the_template_link(console: TestClient[Any]) -> None:
    sign_in(console, "andi")
    page = console.get(FORM)
    assert page.status_code == 200
    assert '<a href="/konsol/massal" aria-current="page">Terbitkan massal</a>' in page.text
    assert 'href="/konsol/massal/templat.xlsx"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    for name in ("type", "unit_code", "title", "path", "scope", "start_date", "end_date", "file"):
        assert f'name="{name}"' in page.text, name
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page.text)
    assert "Belum ada penerbitan massal" in page.text


def test_the_template_is_the_apis_participant_list(console: TestClient[Any]) -> None:
    sign_in(console, "andi")
    response = console.get(f"{FORM}/templat.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "templat-daftar-peserta.xlsx" in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header == [column.name for column in TEMPLATE_COLUMNS]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_uploaded_list_is_issued_and_its_page_shows_the_results(
    console: TestClient[Any], registry: Registry, kind: str
) -> None:
    sign_in(console, "andi")
    data = participants_csv(3) if kind == "csv" else participants_xlsx(3)
    batch_id = started(upload(console, data, f"peserta.{kind}"))
    done = wait_ended(console, batch_id)
    assert (done.status, done.issued, done.total) == ("done", 3, 3)
    with registry.db.reading() as session:
        documents = (
            session.execute(
                select(Document)
                .where(Document.batch_id == uuid.UUID(batch_id))
                .order_by(Document.seq)
            )
            .scalars()
            .all()
        )
        assert {d.created_by for d in documents} == {"user:andi"}
        assert documents[0].holder_name.startswith("Peserta 001")
    assert audit_of(registry, batch_id) == [("user:andi", "batch.issue"), ("system", "batch.done")]

    page = console.get(f"{FORM}/{batch_id}")
    assert page.status_code == 200
    assert 'http-equiv="refresh"' not in page.text
    assert '<progress class="progress" id="progres" max="3" value="3"' in page.text
    assert "3 dari 3 dokumen" in page.text
    assert f"<dd>{ACTIVITY['title']}</dd>" in page.text
    assert "oleh andi</dd>" in page.text
    for document in documents:
        assert f'<a href="/konsol/dokumen/{document.id}">{document.number}</a>' in page.text
    if kind == "csv":
        assert "Peserta 001 &amp; Rekan" in page.text
    # DOCX only in this registry: a ZIP, and the page says why there is no merged PDF.
    assert f'href="/konsol/massal/{batch_id}/arsip.zip"' in page.text
    assert "gabungan.pdf" not in page.text
    assert "PDF gabungan tidak tersedia" in page.text
    archive = console.get(f"{FORM}/{batch_id}/arsip.zip")
    assert archive.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(archive.content)).namelist()) == 3
    missing = console.get(f"{FORM}/{batch_id}/gabungan.pdf")
    assert missing.status_code == 404
    assert "PDF gabungan belum tersedia" in missing.text

    listing = console.get(FORM).text
    assert f'<a href="/konsol/massal/{batch_id}">{ACTIVITY["title"]}</a>' in listing
    assert f"{done.first_number} s.d. {done.last_number}" in listing
    assert "3 dari 3" in listing and ">andi<" in listing


def test_the_notice_after_starting_is_fixed_text(console: TestClient[Any]) -> None:
    sign_in(console, "andi")
    batch_id = started(upload(console, participants_csv(1)))
    wait_ended(console, batch_id)
    assert "Penerbitan massal dimulai" in console.get(f"{FORM}/{batch_id}?selesai=dimulai").text
    other = console.get(f"{FORM}/{batch_id}?selesai=<b>disadap</b>").text
    assert "disadap" not in other and "Penerbitan massal dimulai" not in other


def test_one_bad_row_shows_the_apis_row_errors_and_issues_nothing(
    console: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    data = participants_csv(30, bad_row=17)
    spec = {key: value for key, value in batch_body(0).items() if key != "recipients"}
    api = console.post(
        "/api/v1/documents/batch",
        files={"file": ("peserta.csv", data, "text/csv")},
        data={"batch": json.dumps(spec)},
        headers=bearer(api_keys.issuer.secret),
    )
    assert api.status_code == 422, api.text
    (expected,) = api.json()["errors"]
    assert (expected["row"], expected["column"]) == (18, "nip")  # header is row 1

    sign_in(console, "andi")
    csrf_token(console, FORM)
    before = written_rows(registry.db)
    refused = upload(console, data)
    assert refused.status_code == 422
    text = refused.text
    assert 'role="alert"' in text and "Daftar peserta ditolak" in text
    assert "tidak ada dokumen yang diterbitkan" in text
    rows = re.findall(
        r'<tr><td class="num">(\d+)</td><td><code>(\w+)</code></td><td>([^<]+)</td></tr>', text
    )
    assert rows == [(str(expected["row"]), expected["column"], expected["detail"])]
    for header in ("Baris", "Kolom", "Pesan"):
        assert '<th scope="col"' in text and f">{header}</th>" in text
    # The activity is kept; the file must be chosen again, and the page says so.
    assert 'value="Pelatihan Teknis Pengadaan Barang/Jasa"' in text
    assert 'value="2026-03-02"' in text
    assert '<option value="pelatihan_teknis" selected>' in text
    assert "pilih berkas daftar peserta lagi" in text
    assert 'aria-invalid="true" aria-describedby="f-file-hint f-file-error"' in text
    assert written_rows(registry.db) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "wajib"),
        ({"start_date": "kemarin"}, "start_date", "Tanggal mulai wajib diisi"),
        ({"jp": "dua"}, "jp", "JP harus angka"),
        ({"path": "berenang"}, "path", "Jalur"),
        (
            {"type": "surat_keterangan", "unit_code": "", "path": "belajar_mandiri"},
            "unit_code",
            "unit_code",
        ),
        ({"type": "piagam"}, "achievement", "achievement"),
    ],
)
def test_a_refused_activity_names_its_field_and_writes_nothing(
    console: TestClient[Any], registry: Registry, changes: dict[str, str], field: str, message: str
) -> None:
    sign_in(console, "andi")
    csrf_token(console, FORM)
    before = written_rows(registry.db)
    refused = upload(console, participants_csv(2), **changes)
    assert refused.status_code == 422, refused.text
    assert 'role="alert"' in refused.text
    described = re.search(
        rf'id="f-{field}"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', refused.text
    )
    assert described, refused.text
    error_id = f"f-{field}-error"
    assert error_id in described.group(1).split()
    error = re.search(rf'<p class="field-error" id="{error_id}">([^<]+)</p>', refused.text)
    assert error and message.lower() in error.group(1).lower(), error
    assert written_rows(registry.db) == before


def test_no_file_chosen_is_refused(console: TestClient[Any], registry: Registry) -> None:
    sign_in(console, "andi")
    before = written_rows(registry.db)
    refused = post_form(
        console,
        FORM,
        {**ACTIVITY, "idempotency_key": uuid.uuid4().hex},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert refused.status_code == 422
    assert "Pilih berkas daftar peserta" in refused.text
    assert written_rows(registry.db) == before


def test_a_repeated_submit_starts_one_batch(console: TestClient[Any], registry: Registry) -> None:
    sign_in(console, "andi")
    form = {**ACTIVITY, "idempotency_key": uuid.uuid4().hex}
    data = participants_csv(2)
    first = started(post_form(console, FORM, form, files={"file": ("p.csv", data, "text/csv")}))
    second = started(post_form(console, FORM, form, files={"file": ("p.csv", data, "text/csv")}))
    assert first == second
    wait_ended(console, first)
    with registry.db.reading() as session:
        assert len(session.execute(select(Batch)).scalars().all()) == 1
        assert len(session.execute(select(Document)).scalars().all()) == 2


def test_a_form_without_its_csrf_token_is_refused(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    csrf_token(console, FORM)
    before = written_rows(registry.db)
    refused = console.post(
        FORM,
        data={**ACTIVITY, "idempotency_key": uuid.uuid4().hex},
        files={"file": ("p.csv", participants_csv(2), "text/csv")},
    )
    assert refused.status_code == 403
    assert "token keamanannya" in refused.text
    assert written_rows(registry.db) == before


def test_a_running_batch_refreshes_itself_and_shows_its_progress(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    batch_id = started(upload(console, participants_csv(3)))
    wait_ended(console, batch_id)
    # Stand it where a running batch would be: one document made, two still to make.
    with registry.db.writing() as session:
        session.get_one(Batch, uuid.UUID(batch_id)).status = "rendering"
        for document in (
            session.execute(
                select(Document)
                .where(Document.batch_id == uuid.UUID(batch_id))
                .order_by(Document.seq)
            )
            .scalars()
            .all()[1:]
        ):
            document.status = "pending"
    page = console.get(f"{FORM}/{batch_id}?selesai=dimulai")
    assert page.status_code == 200
    assert f'<meta http-equiv="refresh" content="2; url=/konsol/massal/{batch_id}">' in page.text
    assert re.search(
        r'<progress [^>]*max="3" value="1"[^>]*>1 dari 3 dokumen</progress>', page.text
    )
    assert "diperbarui sendiri" in page.text
    assert "arsip.zip" not in page.text and "/konsol/dokumen/" not in page.text


def test_a_failed_batch_shows_its_reason_and_the_issuer_retries_it(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    batch_id = started(upload(console, participants_csv(2)))
    wait_ended(console, batch_id)
    with registry.db.writing() as session:
        batch = session.get_one(Batch, uuid.UUID(batch_id))
        batch.status, batch.error = "failed", "PDF gabungan dan arsip ZIP tidak dapat dibuat"
        batch.merged_sha256 = batch.zip_sha256 = None
    page = console.get(f"{FORM}/{batch_id}")
    assert "PDF gabungan dan arsip ZIP tidak dapat dibuat" in page.text
    assert f'action="/konsol/massal/{batch_id}/ulang"' in page.text
    assert 'http-equiv="refresh"' not in page.text

    retried = post_form(console, f"{FORM}/{batch_id}/ulang", {}, form_page=f"{FORM}/{batch_id}")
    assert retried.status_code == 303
    assert retried.headers["location"] == f"/konsol/massal/{batch_id}?selesai=diulang"
    done = wait_ended(console, batch_id)
    assert (done.status, done.issued, done.error) == ("done", 2, None)
    assert done.zip_sha256 is not None
    assert ("user:andi", "batch.retry") in audit_of(registry, batch_id)

    # Pressed again: the batch is done, so nothing is retried and the page says why.
    before = written_rows(registry.db)
    again = post_form(console, f"{FORM}/{batch_id}/ulang", {}, form_page=f"{FORM}/{batch_id}")
    assert again.status_code == 409
    assert 'role="alert"' in again.text and "hanya batch yang gagal dapat diulang" in again.text
    assert written_rows(registry.db) == before


@pytest.mark.parametrize("username", ["siti", "budi", "rina", "root"])
def test_only_issuers_start_batches(
    console: TestClient[Any], registry: Registry, username: str
) -> None:
    sign_in(console, username)
    assert "/konsol/massal" not in console.get("/konsol").text
    for path in (FORM, f"{FORM}/templat.xlsx"):
        refused = console.get(path)
        assert refused.status_code == 403, path
        assert "hanya untuk peran Penerbit" in refused.text
    before = written_rows(registry.db)
    token = csrf_token(console, "/konsol")
    refused = console.post(
        FORM,
        data={**ACTIVITY, "_csrf_token": token},
        files={"file": ("p.csv", participants_csv(1), "text/csv")},
    )
    assert refused.status_code == 403
    assert written_rows(registry.db) == before


@pytest.mark.parametrize(("username", "status"), [("rina", 200), ("siti", 403), ("root", 403)])
def test_a_batch_page_is_for_issuers_and_auditors(
    console: TestClient[Any], registry: Registry, username: str, status: int
) -> None:
    sign_in(console, "andi")
    batch_id = started(upload(console, participants_csv(1)))
    view = wait_ended(console, batch_id)
    with registry.db.writing() as session:
        session.get_one(Batch, uuid.UUID(batch_id)).status = "failed"
    console.cookies.clear()
    sign_in(console, username)
    page = console.get(f"{FORM}/{batch_id}")
    assert page.status_code == status
    archive = console.get(f"{FORM}/{batch_id}/arsip.zip")
    assert archive.status_code == status
    if status == 200:
        assert view.first_number in page.text
        assert "/ulang" not in page.text  # an auditor reads; only an issuer retries
    else:
        assert view.first_number not in page.text
        assert not archive.content.startswith(b"PK")
    token = csrf_token(console, "/konsol")
    before = written_rows(registry.db)
    refused = console.post(f"{FORM}/{batch_id}/ulang", data={"_csrf_token": token})
    assert refused.status_code == 403
    assert written_rows(registry.db) == before


def test_without_a_session_every_page_leads_to_sign_in(console: TestClient[Any]) -> None:
    some = uuid.uuid4()
    for path in (FORM, f"{FORM}/templat.xlsx", f"{FORM}/{some}", f"{FORM}/{some}/arsip.zip"):
        response = console.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/konsol/masuk?next="), path


def test_an_unknown_batch_is_not_found(console: TestClient[Any]) -> None:
    sign_in(console, "andi")
    missing = console.get(f"{FORM}/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert "Batch tidak ditemukan" in missing.text


def test_every_state_of_the_pages_keeps_the_basic_rules(
    console: TestClient[Any], registry: Registry
) -> None:
    """The crawl of test_console_accessibility sees only what its data makes reachable: here
    the refused form and a batch done, running and failed are checked by the same audit."""
    sign_in(console, "andi")
    pages = {"refused": upload(console, participants_csv(3, bad_row=2)).text}
    batch_id = started(upload(console, participants_csv(2)))
    wait_ended(console, batch_id)
    pages["list"] = console.get(FORM).text
    pages["done"] = console.get(f"{FORM}/{batch_id}").text
    for status in ("rendering", "failed"):
        with registry.db.writing() as session:
            session.get_one(Batch, uuid.UUID(batch_id)).status = status
        pages[status] = console.get(f"{FORM}/{batch_id}").text
    problems = {}
    for name, text in pages.items():
        audit = PageAudit()
        audit.feed(text)
        problems[name] = audit.problems()
    assert problems == {name: [] for name in pages}


def test_a_piagam_batch_carries_its_achievement(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "andi")
    batch_id = started(
        upload(console, participants_csv(2), type="piagam", achievement="Peserta Teladan")
    )
    assert wait_ended(console, batch_id).status == "done"
    with registry.db.reading() as session:
        details = session.execute(
            select(Document.details).where(Document.batch_id == uuid.UUID(batch_id))
        ).scalars()
        assert [d["achievement"] if d else None for d in details] == ["Peserta Teladan"] * 2
