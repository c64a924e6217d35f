from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from api.verify_page import render_verify_page
from registry.domain.views import PublicDocument, Verification

TOKEN = "eyJkb2MiOiIxMjMifQ.c2lnbmF0dXJl_-x"
FULL_NIP = "198503152010011012"
MASKED_NIP = "********2010011012"
REPLACEMENT_URL = "https://satupintu.example.go.id/v/bmV3LXRva2Vu"

DOCUMENT = PublicDocument(
    number="800.2.1/0042/BPSDM/III/2026",
    type="sttp",
    holder_name="Siti Rahmawati",
    nip_masked=MASKED_NIP,
    title="Pelatihan Teknis Pengelolaan Arsip",
    path="pelatihan_teknis",
    scope="nasional",
    jp="8",
    start_date=date(2026, 3, 2),
    end_date=date(2026, 3, 3),
    organizer="Dinas Kearsipan",
    issuer="BPSDM Provinsi DKI Jakarta",
    unit_code="BPSDM",
    issued_at=datetime(2026, 3, 4, 7, 5, tzinfo=UTC),
)


def valid() -> Verification:
    return Verification(status="valid", document=DOCUMENT, kid="k1")


def revoked() -> Verification:
    return Verification(
        status="revoked",
        reason="revoked",
        document=DOCUMENT,
        revoked_at=datetime(2026, 3, 10, 16, 30, tzinfo=UTC),  # 23.30 WIB, still 10 Maret
        revocation_reason="Nama peserta salah ketik",
    )


def superseded() -> Verification:
    return Verification(
        status="superseded",
        reason="superseded",
        document=DOCUMENT,
        superseded_by_number="800.2.1/0057/BPSDM/III/2026",
        superseded_by_url=REPLACEMENT_URL,
        superseded_at=datetime(2026, 3, 11, 2, 0, tzinfo=UTC),
    )


def invalid() -> Verification:
    return Verification(status="invalid", reason="bad_signature")


def unknown() -> Verification:
    return Verification(status="unknown", reason="not_found")


ALL = {
    "valid": valid,
    "revoked": revoked,
    "superseded": superseded,
    "invalid": invalid,
    "unknown": unknown,
}


def h1(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert found is not None
    return found.group(1).strip()


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "word"),
    [
        ("valid", "SAH"),
        ("revoked", "DICABUT"),
        ("superseded", "DIGANTI"),
        ("invalid", "TIDAK SAH"),
        ("unknown", "TIDAK DITEMUKAN"),
    ],
)
def test_each_status_shows_its_word(status: str, word: str) -> None:
    page = render_verify_page(ALL[status](), token=TOKEN)
    assert h1(page) == word
    assert f"<title>{word} " in page


def test_valid_explains_what_to_check() -> None:
    page = render_verify_page(valid(), token=TOKEN)
    assert "tanda tangan elektroniknya cocok" in page
    assert 'class="banner ok"' in page
    assert "#i-check" in page


def test_revoked_shows_date_and_reason() -> None:
    page = render_verify_page(revoked(), token=TOKEN)
    assert "10 Maret 2026 pukul 23.30 WIB" in page
    assert "Nama peserta salah ketik" in page
    assert "tidak boleh digunakan sebagai bukti" in page
    assert 'class="banner bad"' in page


def test_revoked_without_reason_says_so() -> None:
    page = render_verify_page(replace(revoked(), revocation_reason=None), token=TOKEN)
    assert h1(page) == "DICABUT"
    assert "Alasan pencabutan tidak dicatat." in page


def test_superseded_links_the_replacement() -> None:
    page = render_verify_page(superseded(), token=TOKEN)
    assert "800.2.1/0057/BPSDM/III/2026" in page
    assert f'href="{REPLACEMENT_URL}"' in page
    assert "11 Maret 2026" in page
    assert 'class="banner warn"' in page


def test_superseded_link_refuses_non_http_urls() -> None:
    page = render_verify_page(
        replace(superseded(), superseded_by_url="javascript:alert(1)"), token=TOKEN
    )
    assert "javascript:" not in page
    assert "800.2.1/0057/BPSDM/III/2026" in page


def test_invalid_and_unknown_explain_and_show_no_document() -> None:
    bad = render_verify_page(invalid(), token=TOKEN)
    assert "tidak asli atau telah diubah" in bad
    assert "instansi penerbit" in bad
    missing = render_verify_page(unknown(), token=TOKEN)
    assert "tidak ada dokumen dengan kode ini di registri" in missing
    for page in (bad, missing):
        assert "Rincian dokumen" not in page
        assert "<dl>" not in page


def test_unexpected_status_never_looks_valid() -> None:
    page = render_verify_page(Verification(status="weird"), token=TOKEN)
    assert h1(page) == "TIDAK SAH"


# --- details ----------------------------------------------------------------------------------


def test_details_of_the_document() -> None:
    page = render_verify_page(valid(), token=TOKEN)
    for label, value in [
        ("Nomor", "800.2.1/0042/BPSDM/III/2026"),
        ("Jenis", "STTP (Surat Tanda Tamat Pelatihan)"),
        ("Nama", "Siti Rahmawati"),
        ("NIP", MASKED_NIP),
        ("Kegiatan", "Pelatihan Teknis Pengelolaan Arsip"),
        ("Jalur", "Pelatihan teknis"),
        ("Lingkup", "Nasional"),
        ("Tanggal", "2 Maret 2026 – 3 Maret 2026"),
        ("JP", "8 JP"),
        ("Penyelenggara", "Dinas Kearsipan"),
        ("Diterbitkan oleh", "BPSDM Provinsi DKI Jakarta"),
        ("Tanggal terbit", "4 Maret 2026 pukul 14.05 WIB"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page


def test_details_one_day_types_scope_and_no_organizer() -> None:
    document = replace(
        DOCUMENT,
        type="surat_keterangan",
        path="e_learning",
        scope="internasional",
        jp="7.2",
        start_date=date(2026, 12, 31),
        end_date=date(2026, 12, 31),
        organizer=None,
    )
    page = render_verify_page(Verification(status="valid", document=document), token=TOKEN)
    assert "<dd>Surat Keterangan</dd>" in page
    assert "<dd>E learning</dd>" in page
    assert "<dd>Internasional</dd>" in page
    assert "<dd>31 Desember 2026</dd>" in page
    assert "<dd>7,2 JP</dd>" in page
    assert "Penyelenggara" not in page


@pytest.mark.parametrize(
    ("type_id", "label"),
    [
        ("sertifikat", "Sertifikat"),
        ("transkrip", "Transkrip Nilai"),
        ("piagam", "Piagam"),
        ("sk", "Surat Keputusan"),
    ],
)
def test_document_types(type_id: str, label: str) -> None:
    document = replace(DOCUMENT, type=type_id)
    page = render_verify_page(Verification(status="valid", document=document), token=TOKEN)
    assert f"<dt>Jenis</dt><dd>{label}</dd>" in page


@pytest.mark.parametrize("status", sorted(ALL))
def test_full_nip_never_shown(status: str) -> None:
    page = render_verify_page(ALL[status](), token=TOKEN, nip_result="match")
    assert FULL_NIP not in page
    assert re.search(r"\d{18}", page) is None
    if ALL[status]().document is not None:
        assert MASKED_NIP in page


# --- escaping and safety ----------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> & "Co"'


def test_holder_name_and_other_input_is_escaped() -> None:
    document = replace(DOCUMENT, holder_name=HOSTILE, title="<b>x</b>", organizer="'o'")
    verification = Verification(
        status="revoked",
        document=document,
        revocation_reason="<img src=x onerror=alert(1)>",
    )
    page = render_verify_page(verification, token='"><script>x</script>')
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_token_is_quoted_in_urls() -> None:
    page = render_verify_page(valid(), token="a/../b?c#d")
    assert 'action="/v/a%2F..%2Fb%3Fc%23d/nip"' in page
    assert 'href="/api/v1/verify/a%2F..%2Fb%3Fc%23d"' in page


def all_pages() -> list[tuple[str, str]]:
    pages = []
    for status, build in ALL.items():
        for nip_result in (None, "match", "no_match", "locked", "not_applicable"):
            page = render_verify_page(
                build(), token=TOKEN, nip_result=nip_result, file_check_url=f"/v/{TOKEN}/file"
            )
            pages.append((status, page))
            pages.append((status, render_verify_page(build(), token=TOKEN)))
    return pages


def test_no_javascript_and_no_external_resources() -> None:
    for status, page in all_pages():
        lowered = page.lower()
        assert "<script" not in lowered
        assert "javascript:" not in lowered
        assert re.search(r"\son[a-z]+\s*=", lowered) is None  # no inline event handlers
        assert "<link" not in lowered
        assert "<img" not in lowered
        assert "@import" not in lowered
        assert "url(" not in lowered
        for attribute, url in re.findall(r"\b(src|href|action)=\"([^\"]*)\"", page):
            if status == "superseded" and attribute == "href" and url == REPLACEMENT_URL:
                continue  # the replacement document, on this registry's own public host
            assert not url.startswith(("http://", "https://", "//")), (attribute, url)
        without_replacement = page.replace(REPLACEMENT_URL, "")
        assert "http://" not in without_replacement
        assert "https://" not in without_replacement


def test_html5_document_basics() -> None:
    page = render_verify_page(valid(), token=TOKEN)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="id">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert page.count("<style>") == 1
    assert page.rstrip().endswith("</html>")


def test_footer_links_the_json() -> None:
    page = render_verify_page(unknown(), token=TOKEN)
    assert "Verifikasi dokumen Satu Pintu" in page
    assert f'<a href="/api/v1/verify/{TOKEN}">Data teknis (JSON)</a>' in page


# --- NIP form ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(ALL))
def test_nip_form_only_when_a_document_exists(status: str) -> None:
    verification = ALL[status]()
    page = render_verify_page(verification, token=TOKEN)
    has_form = f'<form method="post" action="/v/{TOKEN}/nip">' in page
    assert has_form is (verification.document is not None)
    if has_form:
        assert 'name="nip"' in page
        assert 'inputmode="numeric"' in page
        assert 'autocomplete="off"' in page
        assert "Cocokkan NIP pada dokumen Anda" in page
        assert ">Cocokkan</button>" in page
        assert "UU 27/2022" in page
    else:
        assert 'name="nip"' not in page


@pytest.mark.parametrize(
    ("nip_result", "message"),
    [
        ("match", "NIP cocok dengan dokumen ini."),
        ("no_match", "NIP tidak cocok."),
        ("locked", "Terlalu banyak percobaan. Coba lagi dalam satu jam."),
    ],
)
def test_nip_result_messages(nip_result: str, message: str) -> None:
    page = render_verify_page(valid(), token=TOKEN, nip_result=nip_result)
    assert message in page
    assert page.count('role="status"') == 1


def test_nip_result_absent_or_not_applicable_is_neutral() -> None:
    plain = render_verify_page(valid(), token=TOKEN)
    assert 'role="status"' not in plain
    neutral = render_verify_page(valid(), token=TOKEN, nip_result="not_applicable")
    for message in ("NIP cocok", "NIP tidak cocok", "Terlalu banyak percobaan"):
        assert message not in neutral


# --- file check -------------------------------------------------------------------------------


def test_file_check_only_when_given() -> None:
    assert "Cek berkas" not in render_verify_page(valid(), token=TOKEN)
    page = render_verify_page(valid(), token=TOKEN, file_check_url="/v/abc/berkas")
    assert "Cek berkas" in page
    assert '<form method="post" action="/v/abc/berkas" enctype="multipart/form-data">' in page
    assert 'name="file" accept="application/pdf"' in page
    assert ">Cek berkas PDF</button>" in page


# --- size -------------------------------------------------------------------------------------


def test_full_valid_page_is_small() -> None:
    page = render_verify_page(
        valid(), token=TOKEN, nip_result="no_match", file_check_url=f"/v/{TOKEN}/file"
    )
    assert len(page.encode("utf-8")) < 12000
