"""Files over HTTP: PDFs and DOCX, stamping uploads, verifying a file, batches and their jobs."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from litestar.testing import TestClient
from pypdf import PdfReader, PdfWriter

from registry.domain.encoding import b64url_decode
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.support.drafts import batch_body, body, distinct_nips, outside_pdf

ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


@pytest.fixture
def registry(pdf_registry: Registry) -> Registry:
    return pdf_registry


def issue(client: TestClient[Any], keys: Keys, **changes: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/documents", json=body(**changes), headers=bearer(keys.issuer.secret)
    )
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


def token_of(document: dict[str, Any]) -> str:
    return str(document["verify_url"].rsplit("/", 1)[1])


def test_issued_document_answers_with_its_files(client: TestClient[Any], api_keys: Keys) -> None:
    document = issue(client, api_keys, unit_code="DPUPR")
    assert document["status"] == "issued"
    files = {f["kind"]: f for f in document["files"]}
    assert set(files) == {"pdf", "docx"}
    assert files["pdf"]["attested"] and not files["docx"]["attested"]
    assert document["template"] == "sertifikat.docx" and len(document["template_sha256"]) == 64

    pdf = client.get(files["pdf"]["url"], headers=bearer(api_keys.requester.secret))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == files["pdf"]["sha256"]
    docx = client.get(files["docx"]["url"], headers=bearer(api_keys.auditor.secret))
    assert docx.status_code == 200 and docx.content.startswith(b"PK\x03\x04")
    assert "attachment" in docx.headers["content-disposition"]


def test_short_url_opens_the_same_verification_page(
    client: TestClient[Any], api_keys: Keys
) -> None:
    document = issue(client, api_keys)
    short = document["short_url"].rsplit("/", 1)[1]
    assert len(short) == 12
    page = client.get(f"/v/{short}")
    assert page.status_code == 200 and "SAH" in page.text and document["number"] in page.text
    assert client.get(f"/api/v1/verify/{short.upper()}").json()["status"] == "valid"
    assert client.get("/api/v1/verify/aaaaaaaaaaaa").json()["status"] == "unknown"


def test_openssl_verifies_the_file_attestation(
    client: TestClient[Any], api_keys: Keys, tmp_path: Path
) -> None:
    openssl = shutil.which("openssl")
    assert openssl
    document = issue(client, api_keys)
    result = client.get(f"/api/v1/verify/{token_of(document)}").json()
    pdf = client.get(
        f"/api/v1/documents/{document['id']}/pdf", headers=bearer(api_keys.issuer.secret)
    )
    assert result["file_sha256"] == hashlib.sha256(pdf.content).hexdigest()
    # The exact bytes a third party hands to openssl: canonical JSON, version 1 (the golden
    # vectors pin the same format under a fixed key).
    assert b64url_decode(result["file_signed"]) == (
        b'{"document_id":"' + document["id"].encode() + b'","kind":"file",'
        b'"media_type":"application/pdf","sha256":"' + result["file_sha256"].encode() + b'","v":1}'
    )
    (jwk,) = [
        k for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kid"] == result["kid"]
    ]
    der = ED25519_SPKI_PREFIX + b64url_decode(jwk["x"])
    (tmp_path / "pub.pem").write_text(
        "-----BEGIN PUBLIC KEY-----\n"
        + base64.b64encode(der).decode()
        + "\n-----END PUBLIC KEY-----\n"
    )
    (tmp_path / "signed.bin").write_bytes(b64url_decode(result["file_signed"]))
    (tmp_path / "sig.bin").write_bytes(b64url_decode(result["file_signature"]))
    command = [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
               "-in", "signed.bin", "-sigfile", "sig.bin"]  # fmt: skip
    checked = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_verify_file_matches_the_issued_pdf_and_not_an_altered_one(
    client: TestClient[Any], api_keys: Keys
) -> None:
    document = issue(client, api_keys)
    pdf = client.get(
        f"/api/v1/documents/{document['id']}/pdf", headers=bearer(api_keys.issuer.secret)
    ).content

    match = client.post("/api/v1/verify/file", files={"file": ("a.pdf", pdf, "application/pdf")})
    assert match.status_code == 200
    assert match.json()["status"] == "valid"
    assert match.json()["verification"]["document"]["number"] == document["number"]
    assert match.json()["matched_file"] == "pdf"

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Subject": "diubah"})
    altered = io.BytesIO()
    writer.write(altered)
    miss = client.post(
        "/api/v1/verify/file", files={"file": ("a.pdf", altered.getvalue(), "application/pdf")}
    )
    assert miss.json() == {
        "status": "no_match",
        "file_sha256": hashlib.sha256(altered.getvalue()).hexdigest(),
        "matched_file": None,
        "verification": None,
    }

    page = client.post(
        f"/v/{token_of(document)}/file", files={"file": ("a.pdf", pdf, "application/pdf")}
    )
    assert page.status_code == 200 and "sama persis" in page.text
    page = client.post(
        f"/v/{token_of(document)}/file",
        files={"file": ("a.pdf", altered.getvalue(), "application/pdf")},
    )
    assert "tidak sama" in page.text
    assert 'action="/v/' in client.get(f"/v/{token_of(document)}").text  # the "cek berkas" form


def test_stamp_returns_the_stamped_pdf(client: TestClient[Any], api_keys: Keys) -> None:
    response = client.post(
        "/api/v1/documents/stamp",
        files={"file": ("sertifikat-penyelenggara.pdf", outside_pdf(2), "application/pdf")},
        data={"document": json.dumps(body(unit_code="DPUPR"))},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 201, response.text
    number = response.headers["x-document-number"]
    stamped = PdfReader(io.BytesIO(response.content))
    assert len(stamped.pages) == 2
    assert number in " ".join((stamped.pages[0].extract_text() or "").split())
    verified = client.post(
        "/api/v1/verify/file", files={"file": ("s.pdf", response.content, "application/pdf")}
    ).json()
    assert verified["status"] == "valid"


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), "bukan PDF", id="png-named-pdf"),
        pytest.param(b"", "kosong", id="empty"),
        pytest.param(b"%PDF-1.7\n garbage", "rusak", id="truncated"),
    ],
)
def test_stamp_refuses_files_that_are_not_pdfs(
    client: TestClient[Any], api_keys: Keys, registry: Registry, upload: bytes, expected: str
) -> None:
    before = written_state(registry)
    response = client.post(
        "/api/v1/documents/stamp",
        files={"file": ("sertifikat.pdf", upload, "application/pdf")},
        data={"document": json.dumps(body())},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == "file"
    assert expected in problem["detail"].lower() or expected in problem["detail"]
    assert written_state(registry) == before


def test_stamp_refuses_an_oversize_upload(
    client: TestClient[Any], api_keys: Keys, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "settings", replace(registry.settings, max_upload_bytes=1000))
    before = written_state(registry)
    response = client.post(
        "/api/v1/documents/stamp",
        files={"file": ("big.pdf", outside_pdf(3), "application/pdf")},
        data={"document": json.dumps(body())},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 422
    assert "terlalu besar" in response.json()["detail"]
    assert written_state(registry) == before


def wait_for_job(client: TestClient[Any], keys: Keys, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(
            f"/api/v1/jobs/{job_id}", headers=bearer(keys.auditor.secret)
        ).json()
        if job["status"] != "rendering":
            return job
        assert 0 <= job["progress"] <= 1
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_json_batch_runs_in_the_background_and_merges(
    client: TestClient[Any], api_keys: Keys
) -> None:
    response = client.post(
        "/api/v1/documents/batch", json=batch_body(5), headers=bearer(api_keys.issuer.secret)
    )
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = wait_for_job(client, api_keys, response.json()["id"])
    assert (job["status"], job["issued"], job["progress"]) == ("done", 5, 1.0)
    seqs = [int(d["number"].split("/")[0]) for d in job["documents"]]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    merged = client.get(job["merged_pdf_url"], headers=bearer(api_keys.issuer.secret))
    assert len(PdfReader(io.BytesIO(merged.content)).pages) == 5
    archive = client.get(job["zip_url"], headers=bearer(api_keys.issuer.secret))
    assert archive.content.startswith(b"PK\x03\x04")


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_uploaded_participant_list(client: TestClient[Any], api_keys: Keys, kind: str) -> None:
    nips = distinct_nips(3)
    header = ["NIP", "Nama", "Jabatan", "Unit Kerja"]
    rows = [[nip, f"Peserta {n} & Rekan", "Analis", "Dinas PU"] for n, nip in enumerate(nips)]
    if kind == "csv":
        data = "\n".join(";".join(r) for r in [header, *rows]).encode()
        upload = ("peserta.csv", data, "text/csv")
    else:
        upload = ("peserta.xlsx", _xlsx([header, *rows]), "application/octet-stream")
    spec = {k: v for k, v in batch_body(0).items() if k != "recipients"}
    response = client.post(
        "/api/v1/documents/batch",
        files={"file": upload},
        data={"batch": json.dumps(spec)},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 202, response.text
    job = wait_for_job(client, api_keys, response.json()["id"])
    assert (job["status"], job["issued"]) == ("done", 3)


def test_a_bad_row_refuses_the_batch_naming_row_and_column(
    client: TestClient[Any], api_keys: Keys, registry: Registry
) -> None:
    batch = batch_body(100)
    batch["recipients"][56]["nip"] = "19851315201001" + "1057"
    before = written_state(registry)
    response = client.post(
        "/api/v1/documents/batch", json=batch, headers=bearer(api_keys.issuer.secret)
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"] == [
        {
            "row": 57,
            "column": "nip",
            "detail": "Tanggal lahir pada NIP tidak valid: 1985-13-15",
        }
    ]
    assert written_state(registry) == before
