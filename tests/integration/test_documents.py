"""Real documents: every template to DOCX and PDF, the QR read back from the page, file checks.

These tests drive LibreOffice (a warm pool shared by the run), poppler's pdftotext/pdftoppm and
zbar's zbarimg; CI installs all three, so a missing tool fails here rather than skipping.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select

from registry.adapters.db.schema import Document, DocumentFile
from registry.adapters.libreoffice import ConversionError
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput, NumberVoided
from registry.domain.formatting import jp_with_words
from registry.domain.signing import verify_signature
from registry.usecases.issuing import Registry
from registry.usecases.production import RenderPlan
from tests.support.drafts import TEMPLATE_CASES, template_draft
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="test-issuer", role="issuer")
NAME = "Dr. Siti Rahmawati & Putri <Uji>, S.Kom., M.T."


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def qr_payloads(data: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    pdf_path = tmp_path / "page.pdf"
    pdf_path.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            pdf_path,
            tmp_path / "page",
        ],
        check=True,
    )
    images = sorted(tmp_path.glob("page*.png"))
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", *images], capture_output=True, text=True, check=False
    )
    return [line for line in result.stdout.splitlines() if line]


def stored(registry: Registry, sha256: str) -> bytes:
    return registry.production.store.read(sha256)


def final_pdf(registry: Registry, document_id: object) -> bytes:
    view = registry.get(document_id, ISSUER)  # type: ignore[arg-type]
    pdf = next(f for f in view.files if f.kind == "pdf")
    assert pdf.attested
    return stored(registry, pdf.sha256)


@pytest.mark.parametrize("case", list(TEMPLATE_CASES))
def test_every_template_renders_to_docx_and_pdf_with_a_qr_that_verifies(
    case: str, pdf_registry: Registry, tmp_path: Path
) -> None:
    view = pdf_registry.issue(template_draft(case), ISSUER).document
    assert view.status == "issued"
    assert {f.kind for f in view.files} == {"docx", "pdf"}
    assert view.template_name is not None and view.template_name.endswith(".docx")
    if case.startswith("surat_keterangan"):
        assert view.template_name == f"{case}.docx"

    docx_file = next(f for f in view.files if f.kind == "docx")
    docx_text = "\n".join(
        p.text for p in DocxDocument(io.BytesIO(stored(pdf_registry, docx_file.sha256))).paragraphs
    )
    assert view.number in docx_text or view.number in _docx_all_text(
        stored(pdf_registry, docx_file.sha256)
    )

    pdf = final_pdf(pdf_registry, view.id)
    text = " ".join(pdf_text(pdf).split())
    assert view.number in text
    assert NAME in text  # escaped on the way in, printed as typed
    # "24 (dua puluh empat) JP", or "... jam pelajaran" where the sentence spells the unit out.
    words = jp_with_words(Decimal(view.jp), unit="")
    assert words.strip() in text, f"{words!r} not in the PDF text"

    payloads = qr_payloads(pdf, tmp_path)
    assert view.verify_url in payloads
    token = view.verify_url.rsplit("/", 1)[1]
    assert pdf_registry.verify(token).status == "valid"

    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.get("/SatuPintuNumber") == view.number
    assert metadata.get("/SatuPintuVerifyUrl") == view.verify_url


def _docx_all_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_pdf_is_pdf_a_2b(pdf_registry: Registry) -> None:
    view = pdf_registry.issue(template_draft("sertifikat"), ISSUER).document
    xmp = PdfReader(io.BytesIO(final_pdf(pdf_registry, view.id))).xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "2" and (xmp.pdfaid_conformance or "").upper() == "B"  # type: ignore[attr-defined]


def test_file_attestation_verifies_against_the_published_key(pdf_registry: Registry) -> None:
    view = pdf_registry.issue(template_draft("sttp"), ISSUER).document
    token = view.verify_url.rsplit("/", 1)[1]
    verification = pdf_registry.verify(token)
    pdf = final_pdf(pdf_registry, view.id)
    assert verification.file_sha256 == hashlib.sha256(pdf).hexdigest()
    assert verification.file_signed is not None and verification.file_signature is not None
    assert f'"sha256":"{verification.file_sha256}"'.encode() in verification.file_signed
    keys = pdf_registry.keyring.public_keys()
    verify_signature(keys[view.kid], verification.file_signed, verification.file_signature)


def test_verifying_a_file_matches_exact_bytes_only(pdf_registry: Registry) -> None:
    view = pdf_registry.issue(template_draft("sertifikat"), ISSUER).document
    pdf = final_pdf(pdf_registry, view.id)
    match = pdf_registry.verify_file(pdf)
    assert match.status == "valid"
    assert match.verification is not None and match.verification.document is not None
    assert match.verification.document.number == view.number

    # Same QR, same look, one changed byte in the metadata: not the issued file.
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Producer": "editor"})
    tampered = io.BytesIO()
    writer.write(tampered)
    assert pdf_registry.verify_file(tampered.getvalue()).status == "no_match"
    assert pdf_registry.verify_file(pdf[:-1] + b" ").status == "no_match"

    pdf_registry.revoke(view.id, "salah nama", ISSUER)
    assert pdf_registry.verify_file(pdf).status == "revoked"


def test_stamping_numbers_an_outside_pdf(pdf_registry: Registry, tmp_path: Path) -> None:
    outside = _outside_pdf(pages=2)
    outcome, stamped = pdf_registry.stamp(template_draft("sertifikat"), outside, ISSUER)
    view = outcome.document
    assert view.status == "issued"
    assert {f.kind for f in view.files} == {"upload", "pdf"}
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 2
    assert view.number in " ".join((reader.pages[0].extract_text() or "").split())
    assert view.number not in (reader.pages[1].extract_text() or "")
    assert "Sertifikat dari penyelenggara" in (reader.pages[0].extract_text() or "")
    assert view.verify_url in qr_payloads(stamped, tmp_path)
    assert pdf_registry.verify_file(stamped).status == "valid"
    # The provider's original is kept but is not an issued file.
    assert pdf_registry.verify_file(outside).status == "no_match"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "bukan PDF"),
        (b"", "kosong"),
    ],
)
def test_stamping_refuses_what_is_not_a_pdf_and_takes_no_number(
    pdf_registry: Registry, upload: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        pdf_registry.stamp(template_draft("sertifikat"), upload, ISSUER)
    assert refused.value.field == "file"
    assert message in refused.value.message.lower() or message in refused.value.message
    with pdf_registry.db.reading() as session:
        assert session.execute(select(func.count()).select_from(Document)).scalar_one() == 0


def test_stamping_refuses_an_encrypted_pdf(pdf_registry: Registry) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_outside_pdf(pages=1))))
    writer.encrypt("rahasia")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(InvalidInput, match="terenkripsi"):
        pdf_registry.stamp(template_draft("sertifikat"), encrypted.getvalue(), ISSUER)
    with pdf_registry.db.reading() as session:
        assert session.execute(select(func.count()).select_from(Document)).scalar_one() == 0


def test_a_failed_conversion_voids_the_number_with_its_reason(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        available = True
        unavailable_reason = None

        def convert(self, docx: bytes) -> bytes:
            raise ConversionError("Konversi PDF melebihi batas waktu (1 detik)")

        def close(self) -> None:
            pass

    monkeypatch.setattr(registry.production, "converter", Broken())
    with pytest.raises(ConversionError):
        registry.issue(template_draft("sertifikat"), ISSUER)
    with registry.db.reading() as session:
        document = session.execute(select(Document)).scalar_one()
        assert document.status == "void"
        assert document.void_reason is not None and "batas waktu" in document.void_reason
        files = session.execute(select(func.count()).select_from(DocumentFile)).scalar_one()
        assert files == 0
        assert_numbering_invariant(session)
    assert all(_is_template_or_logo(registry, sha) for sha in registry.production.store.hashes())
    # The next document takes the next number; the void one stays in the register.
    monkeypatch.undo()
    assert registry.issue(template_draft("sertifikat"), ISSUER).document.number.startswith("00002")


def test_an_unexpected_failure_while_producing_also_voids_the_number(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(registry.production, "render_docx", broken)
    with pytest.raises(NumberVoided) as raised:
        registry.issue(template_draft("sertifikat"), ISSUER)
    assert isinstance(raised.value.__cause__, OSError)
    with registry.db.reading() as session:
        document = session.execute(select(Document)).scalar_one()
        assert (document.status, document.void_reason) == (
            "void",
            "Kesalahan tak terduga saat membuat berkas dokumen",
        )
        assert_numbering_invariant(session)
    # The error names the number it voided, so nobody takes the failure for "nothing happened".
    assert raised.value.extra["number"] == document.number
    assert document.number in raised.value.message and "dibatalkan" in raised.value.message


def test_a_stamped_file_that_cannot_be_stored_voids_its_number_and_leaves_no_file(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored_before = registry.production.store.hashes()

    def full(*_: object, **__: object) -> object:
        raise OSError("disk full")

    monkeypatch.setattr(registry.production, "store_signed", full)
    with pytest.raises(NumberVoided) as raised:
        registry.stamp(template_draft("sertifikat"), _outside_pdf(pages=1), ISSUER)
    assert isinstance(raised.value.__cause__, OSError)
    with registry.db.reading() as session:
        document = session.execute(select(Document)).scalar_one()
        assert document.status == "void"
        assert raised.value.extra["number"] == document.number
        assert session.execute(select(func.count()).select_from(DocumentFile)).scalar_one() == 0
        assert_numbering_invariant(session)
    # The upload stored a moment before is gone again with the failed issuance.
    assert registry.production.store.hashes() == stored_before


def _is_template_or_logo(registry: Registry, sha256: str) -> bool:
    with registry.db.reading() as session:
        templates = set(session.execute(select(Document.template_sha256)).scalars())
        logos = {
            (context or {}).get("logo_sha256")
            for context in session.execute(select(Document.render_context)).scalars()
        }
    return sha256 in templates or sha256 in logos


def test_without_libreoffice_documents_are_issued_as_docx(registry: Registry) -> None:
    assert not registry.production.pdf_available
    assert "LibreOffice" in (registry.production.pdf_unavailable_reason or "")
    view = registry.issue(template_draft("sttp"), ISSUER).document
    assert view.status == "issued"
    assert [(f.kind, f.attested) for f in view.files] == [("docx", True)]


def test_supersede_keeps_the_old_document_valid_until_the_new_one_exists(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = registry.issue(template_draft("sttp"), ISSUER).document

    def fail(*_: object, **__: object) -> list[object]:
        raise ConversionError("LibreOffice berhenti")

    monkeypatch.setattr(registry.production, "produce", fail)
    with pytest.raises(ConversionError):
        registry.supersede(old.id, template_draft("sttp", name="Nama Benar"), "ralat", ISSUER)
    assert registry.get(old.id, ISSUER).status == "issued"
    monkeypatch.undo()
    new = registry.supersede(
        old.id, template_draft("sttp", name="Nama Benar"), "ralat", ISSUER
    ).document
    assert new.status == "issued"
    refreshed = registry.get(old.id, ISSUER)
    assert refreshed.status == "superseded"
    assert refreshed.superseded_by is not None and refreshed.superseded_by.id == new.id


def test_an_old_document_re_renders_from_its_recorded_template(registry: Registry) -> None:
    view = registry.issue(template_draft("sttp"), ISSUER).document
    with registry.db.reading() as session:
        document = session.get_one(Document, view.id)
        plan = RenderPlan(
            document.template_name or "",
            document.template_sha256 or "",
            dict(document.render_context or {}),
        )
    # The template on disk may change later; the stored bytes under its hash are what render.
    assert registry.production.store.exists(plan.template_sha256)
    again = registry.production.render_docx(plan)
    original = next(f for f in view.files if f.kind == "docx")
    assert _docx_all_text(again) == _docx_all_text(stored(registry, original.sha256))


def _outside_pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        drawing.drawString(72, 760, f"Sertifikat dari penyelenggara, halaman {page + 1}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()
