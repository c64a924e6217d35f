"""DOCX templates: the shipped set renders, escaping, the sandbox, ``templates check``."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment
from PIL import Image

from registry.adapters.agency_files import load_logo
from registry.adapters.docx_templates import (
    REPORT_TEMPLATES,
    TEMPLATE_SAMPLES,
    TemplateError,
    TemplateSet,
    check_templates,
    render_docx,
)
from registry.adapters.qr import qr_png
from registry.domain.agency import DEFAULT_AGENCY_TOML, parse_agency_toml
from registry.domain.content import build_context, sample_content
from registry.domain.errors import ConfigurationError
from registry.settings import BUNDLED_TEMPLATES_DIR

IDENTITY = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
LOGO = load_logo(IDENTITY)
TEMPLATES = TemplateSet(BUNDLED_TEMPLATES_DIR)
TRICKY_NAME = 'Dr. Siti "Sri" Rahmawati & <Tim> O\'Neil, S.Kom., M.T.'
#: Every shipped template: the documents' and the reports'.
SHIPPED = sorted({*TEMPLATE_SAMPLES, *REPORT_TEMPLATES})
QR_EMU = 28 * 36_000  # 28 mm in EMU


def text_of(data: bytes) -> str:
    """All text of body and footers, as a reader sees it (XML entities decoded)."""
    docx.Document(io.BytesIO(data))  # python-docx opens it
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if re.fullmatch(r"word/(document|footer\d*)\.xml", name):
                xml = package.read(name).decode()
                runs = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
                parts.append(" ".join(runs))
    text = " ".join(parts)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    return re.sub(r"\s+", " ", text.replace("&amp;", "&"))


def render(name: str, context: dict[str, Any], template: bytes | None = None) -> bytes:
    data = template if template is not None else TEMPLATES.get(name).data
    return render_docx(data, context, qr_png=qr_png(context["verify_url"]), logo_png=LOGO)


def tiny_template(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the shipped templates --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TEMPLATE_SAMPLES))
def test_every_template_renders_the_sample(name: str) -> None:
    content = sample_content(*TEMPLATE_SAMPLES[name])
    if content.type == "sk":
        appendix = [dict(row) for row in content.details["appendix"]]
        appendix[0]["name"] = TRICKY_NAME
        content = replace(content, details={**content.details, "appendix": appendix})
    else:
        content = replace(content, holder_name=TRICKY_NAME)
    context = build_context(content, IDENTITY)
    data = render(name, context)
    text = text_of(data)
    assert content.number in text
    assert TRICKY_NAME in text  # escaped in the XML, intact for the reader
    assert context["short_url"] in text
    assert context["verification_sentence"] in text
    if content.type == "sk":
        assert context["sk"]["about_upper"] in text
        assert "KEEMPAT" in text and "MEMUTUSKAN" in text and "LAMPIRAN" in text
    else:
        assert context["jp_words"] in text
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "BSrE" not in text


@pytest.mark.parametrize("name", sorted(TEMPLATE_SAMPLES))
def test_qr_is_printed_at_28_mm_and_logo_is_embedded(name: str) -> None:
    context = build_context(sample_content(*TEMPLATE_SAMPLES[name]), IDENTITY)
    data = render(name, context)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert f'<wp:extent cx="{QR_EMU}" cy="{QR_EMU}"/>' in xml
    assert qr_png(context["verify_url"]) in media
    assert LOGO in media


def test_bsre_sentence_is_printed_when_the_agency_signs_with_bsre() -> None:
    signed = replace(IDENTITY, bsre_signed=True)
    context = build_context(sample_content("sttp"), signed)
    assert "diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE)" in text_of(
        render("sttp.docx", context)
    )


def test_optional_blocks_disappear_when_empty() -> None:
    content = sample_content("sttp")
    details = {
        k: v for k, v in content.details.items() if k not in ("subjects", "predikat", "final_score")
    }
    text = text_of(render("sttp.docx", build_context(replace(content, details=details), IDENTITY)))
    assert "DAFTAR MATA PELATIHAN" not in text
    assert "predikat" not in text
    assert "DAFTAR MATA PELATIHAN" in text_of(render("sttp.docx", build_context(content, IDENTITY)))


def test_sttp_prints_the_final_score_and_its_predikat() -> None:
    content = sample_content("sttp")
    base = {k: v for k, v in content.details.items() if k not in ("predikat", "final_score")}
    for details, sentence in (
        ({**base, "final_score": "85.5"}, "dengan nilai akhir 85,50 dan predikat Memuaskan."),
        (
            {**base, "final_score": "85.5", "predikat": "Lulus"},
            "nilai akhir 85,50 dan predikat Lulus.",
        ),
        ({**base, "predikat": "Lulus"}, "jam pelajaran dengan predikat Lulus."),
        (base, "40 (empat puluh) jam pelajaran."),
    ):
        context = build_context(replace(content, details=details), IDENTITY)
        assert sentence in text_of(render("sttp.docx", context)).replace("\u00a0", " ")


def test_the_komunitas_belajar_letter_lists_its_meetings() -> None:
    content = sample_content("surat_keterangan", "komunitas_belajar")
    text = text_of(
        render("surat_keterangan_komunitas_belajar.docx", build_context(content, IDENTITY))
    )
    text = text.replace("\u00a0", " ").replace("\u2060", "")
    assert "jalur komunitas belajar (community of practice)" in text
    assert "sebanyak 3 (tiga) kali pertemuan, dengan rincian sebagai berikut:" in text
    assert "Topik Pertemuan" in text and "Diskusi: rencana tanggap insiden <CSIRT> daerah" in text
    assert "di Ruang Rapat Dinas Komunikasi dan Informatika" in text
    assert "Uraian kegiatan: Berbagi pengetahuan" in text
    assert "6 (enam) jam pelajaran" in text


def test_the_bimbingan_letter_names_the_supervisor_only_when_there_is_one() -> None:
    content = sample_content("surat_keterangan", "bimbingan_tempat_kerja")
    name = "surat_keterangan_bimbingan_tempat_kerja.docx"
    text = text_of(render(name, build_context(content, IDENTITY))).replace("\u00a0", " ")
    assert "jalur bimbingan di tempat kerja dalam bentuk penugasan" in text
    assert (
        "dengan pembimbing Ir. Bambang Sutrisno, M.M., Kepala Bidang Aplikasi Informatika, "
        "pada tanggal"
    ) in text
    assert "sebanyak 3 (tiga) kali penugasan" in text and "Penugasan" in text
    assert "Laporan hasil penugasan dan umpan balik atasan" in text
    assert "3 (tiga) jam pelajaran" in text
    alone = {k: v for k, v in content.details.items() if k != "supervisor"}
    context = build_context(replace(content, details=alone), IDENTITY)
    text = text_of(render(name, context)).replace("\u00a0", " ")
    assert "pembimbing" not in text
    assert (
        "dalam bentuk penugasan “Pengelolaan Aset Aplikasi Perangkat Daerah”, pada tanggal" in text
    )


def test_sk_appendix_of_2000_rows_renders_with_a_repeated_header_row() -> None:
    content = sample_content("sk")
    # The holder's own NIP is among the rows, so the lampiran is exactly these 2000 rows.
    rows = [
        {"name": f"Peserta {i} & Rekan", "nip": content.nip, "position": "Analis"}
        for i in range(2000)
    ]
    context = build_context(
        replace(content, details={**content.details, "appendix": rows}), IDENTITY
    )
    data = render("sk.docx", context)
    table = next(t for t in docx.Document(io.BytesIO(data)).tables if len(t.rows) > 100)
    assert len(table.rows) == 2001
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert table.rows[2000].cells[1].text == "Peserta 1999 & Rekan"


def test_a_second_render_reuses_the_compiled_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiling the document XML is most of docxtpl's time; it must happen once per template."""
    context = build_context(sample_content("surat_keterangan", "coaching"), IDENTITY)
    render("surat_keterangan_coaching.docx", context)
    compiled: list[str] = []
    parent = ImmutableSandboxedEnvironment.from_string

    def counting(self: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return parent(self, source, *args, **kwargs)

    monkeypatch.setattr(ImmutableSandboxedEnvironment, "from_string", counting)
    again = render("surat_keterangan_coaching.docx", context)
    assert compiled == []
    assert "Nomor" in text_of(again)


def test_shipped_files_match_their_generator(tmp_path: Path) -> None:
    script = BUNDLED_TEMPLATES_DIR / "build_templates.py"
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no __pycache__ beside it
    subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        check=True,
        capture_output=True,
        env=environment,
    )
    assert sorted(path.name for path in tmp_path.glob("*.docx")) == SHIPPED
    for name in SHIPPED:
        with (
            zipfile.ZipFile(tmp_path / name) as built,
            zipfile.ZipFile(BUNDLED_TEMPLATES_DIR / name) as shipped,
        ):
            assert built.namelist() == shipped.namelist(), name
            for member in built.namelist():
                assert built.read(member) == shipped.read(member), f"{name}: {member}"
    logo = "assets/logo-placeholder.png"
    assert (
        Image.open(tmp_path / logo).tobytes() == Image.open(BUNDLED_TEMPLATES_DIR / logo).tobytes()
    )


# --- the sandbox ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ number.__class__ }}",
        "{{ holder|attr('__class__') }}",
        "{{ qr.tpl }}",
        "{{ logo.image_descriptor }}",
        "{{ subjects.append(1) }}",
        "{{ holder.update(name='x') }}",
    ],
)
def test_sandbox_refuses_python_internals_and_mutation(placeholder: str) -> None:
    context = build_context(sample_content("sttp"), IDENTITY)
    with pytest.raises(TemplateError) as info:
        render("", context, tiny_template("Nomor {{ number }}", placeholder))
    assert "tidak diizinkan" in info.value.message or "tidak dapat dipakai" in info.value.message


@pytest.mark.parametrize("placeholder", ["{{ not_in_context }}", "{{ holder.nickname }}"])
def test_undefined_placeholders_raise_instead_of_printing_blanks(placeholder: str) -> None:
    context = build_context(sample_content("sttp"), IDENTITY)
    with pytest.raises(TemplateError) as info:
        render("", context, tiny_template(placeholder))
    assert "tidak tersedia dalam konteks" in info.value.message


def test_broken_templates_raise_template_errors() -> None:
    context = build_context(sample_content("sttp"), IDENTITY)
    with pytest.raises(TemplateError, match="sintaks"):
        render("", context, tiny_template("{% if number %}tanpa penutup"))
    with pytest.raises(TemplateError, match="bukan DOCX"):
        render("", context, b"PK not really a zip")
    # A template error is a deployment problem (HTTP 503), not the caller's.
    assert issubclass(TemplateError, ConfigurationError)


def test_escaping_in_a_tiny_template() -> None:
    context = build_context(replace(sample_content("sttp"), holder_name=TRICKY_NAME), IDENTITY)
    data = render("", context, tiny_template("Nama: {{ holder.name }}"))
    assert f"Nama: {TRICKY_NAME}" in text_of(data)


# --- template set and check -------------------------------------------------------------------


def test_template_set_reads_files_once_and_maps_documents(tmp_path: Path) -> None:
    assert TEMPLATES.names() == SHIPPED
    template = TEMPLATES.for_document("surat_keterangan", "magang")
    assert template.name == "surat_keterangan.docx"
    assert template.data == (BUNDLED_TEMPLATES_DIR / template.name).read_bytes()
    with pytest.raises(ConfigurationError, match="tidak ditemukan"):
        TEMPLATES.get("ijazah.docx")
    with pytest.raises(ConfigurationError, match="tidak ditemukan"):
        TemplateSet(tmp_path / "tidak-ada")


def test_check_passes_for_the_shipped_templates() -> None:
    reports = check_templates(TEMPLATES, IDENTITY)
    assert [r.name for r in reports] == SHIPPED
    assert all(r.ok for r in reports), [(r.name, r.problems) for r in reports]
    assert all(len(r.sha256) == 64 and not r.warnings for r in reports)


def test_check_reports_what_an_administrator_must_fix(tmp_path: Path) -> None:
    for name in SHIPPED:
        shutil.copy(BUNDLED_TEMPLATES_DIR / name, tmp_path / name)
    (tmp_path / "sttp.docx").write_bytes(
        tiny_template("{{ number }} {{ qr }} {{ short_url }} {{ bsre_sentence }}", "{{ nama }}")
    )
    (tmp_path / "piagam.docx").unlink()
    (tmp_path / "transkrip.docx").write_bytes(tiny_template("{{ number }} {{ holder.name }}"))
    (tmp_path / "sttp-lama.docx").write_bytes(tiny_template("{{ number }}"))
    reports = {r.name: r for r in check_templates(TemplateSet(tmp_path), IDENTITY)}

    assert not reports["sttp.docx"].ok
    assert any("nama" in p for p in reports["sttp.docx"].problems)
    assert reports["piagam.docx"].problems == ["berkas templat tidak ditemukan"]
    transkrip = " ".join(reports["transkrip.docx"].problems)
    assert "kode QR" in transkrip and "BSrE" in transkrip
    assert reports["sttp-lama.docx"].ok and reports["sttp-lama.docx"].warnings
    assert reports["sk.docx"].ok
    assert reports["kartu_data.docx"].ok


def test_check_holds_the_kartu_to_what_a_card_must_print(tmp_path: Path) -> None:
    # A report is no numbered document: it need not print a number or a QR, and has none to
    # print, but it must print the employee, the rows, the total, the declaration and the signer.
    (tmp_path / "kartu_data.docx").write_bytes(
        tiny_template("{{ holder.name }} {{ declaration }} {{ signer.name }} {{ qr }}")
    )
    report = next(
        r for r in check_templates(TemplateSet(tmp_path), IDENTITY) if r.name == "kartu_data.docx"
    )
    problems = " ".join(report.problems)
    assert "{{ qr }} tidak ada dalam konteks" in problems
    assert "baris kegiatan" in problems and "jumlah JP setahun" in problems
    assert "nomor dokumen" not in problems and "kode QR (" not in problems


def test_the_kartu_renders_its_sample_escaped_and_without_a_qr() -> None:
    context = REPORT_TEMPLATES["kartu_data.docx"].sample(IDENTITY)
    context["holder"] = {**context["holder"], "name": TRICKY_NAME}
    data = render_docx(TEMPLATES.get("kartu_data.docx").data, context, qr_png=None, logo_png=LOGO)
    text = text_of(data)
    assert TRICKY_NAME in text
    assert all(row["number"] in text for row in context["rows"])
    assert context["total_text"] in text and context["declaration"] in text
    assert "{{" not in text and "{%" not in text and "}}" not in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media == [LOGO]
