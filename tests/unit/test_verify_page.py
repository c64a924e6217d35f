from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.verify_page import VerifyPage
from registry.domain.views import FileCheck, PublicDocument, Verification

AGENCY = "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA"
PAGE = VerifyPage(agency_name=AGENCY, zone=ZoneInfo("Asia/Jakarta"))


def render_verify_page(verification: Verification, **options: Any) -> str:
    return PAGE.render(verification, **options)


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
    assert "10 Maret 2026 pukul\u00a023.30\u00a0WIB" in page
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
        ("Tanggal", "2–3 Maret 2026"),
        ("JP", "8 JP"),
        ("Penyelenggara", "Dinas Kearsipan"),
        ("Diterbitkan oleh", "BPSDM Provinsi DKI Jakarta"),
        ("Tanggal terbit", "4 Maret 2026 pukul\u00a014.05\u00a0WIB"),
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
        ("locked", "Terlalu banyak percobaan. Coba lagi nanti (paling lama satu jam)."),
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


# --- the result of a file check leads the page --------------------------------------------------

OTHER_URL = "https://satupintu.example.go.id/v/b3RoZXI"
FILE_CHECKS = {
    "match": FileCheck(outcome="match"),
    "other_document": FileCheck(
        outcome="other_document",
        other_number="800.2.1/0099/BPSDM/III/2026",
        other_verify_url=OTHER_URL,
    ),
    "no_match": FileCheck(outcome="no_match"),
    "not_pdf": FileCheck(outcome="not_pdf"),
    "empty": FileCheck(outcome="empty"),
}


def checked(status: str, outcome: str) -> str:
    return render_verify_page(
        ALL[status](),
        token=TOKEN,
        file_check_url=f"/v/{TOKEN}/file",
        file_check=FILE_CHECKS[outcome],
    )


def banners(page: str) -> list[tuple[str, str]]:
    """(tone, heading text) of each banner, in page order."""
    return [
        (tone, re.sub(r"<[^>]+>", "", heading).strip())
        for tone, heading in re.findall(
            r'<section class="banner (\w+)[^"]*".*?<h[12][^>]*>(.*?)</h[12]>', page, re.S
        )
    ]


@pytest.mark.parametrize("outcome", sorted(FILE_CHECKS))
@pytest.mark.parametrize("status", sorted(ALL))
def test_file_result_comes_before_the_document_status(status: str, outcome: str) -> None:
    page = checked(status, outcome)
    found = banners(page)
    assert len(found) == 2, found
    assert found[1] == (
        {"valid": "ok", "revoked": "bad", "superseded": "warn", "invalid": "bad"}.get(
            status, "none"
        ),
        h1(render_verify_page(ALL[status](), token=TOKEN)),
    )
    # The file's verdict is the page's one h1 and its title; the status is an h2 below it.
    assert page.count("<h1") == 1
    assert h1(page) == found[0][1]
    assert f"<title>{found[0][1]} " in page
    assert page.index('id="hasil-berkas"') < page.index('id="status"') < page.index("</main>")
    first_section = re.search(r"<main>\s*<section[^>]*>", page)
    assert first_section is not None and 'aria-labelledby="hasil-berkas"' in first_section.group()
    assert page.index("Hasil cek berkas Anda") < page.index("Status dokumen di registri")


def test_altered_file_on_a_valid_document_is_red_first_and_sah_is_second() -> None:
    page = checked("valid", "no_match")
    assert banners(page) == [("bad", "BERKAS TIDAK COCOK"), ("ok", "SAH")]
    assert "isinya mungkin telah diubah" in page
    assert "Jangan anggap berkas ini asli" in page
    assert 'class="banner ok compact"' in page
    assert '<h1 id="status">' not in page


def test_genuine_file_of_a_valid_document() -> None:
    page = checked("valid", "match")
    assert banners(page)[0] == ("ok", "BERKAS COCOK")
    assert "sama persis dengan berkas yang diterbitkan untuk dokumen ini" in page


@pytest.mark.parametrize(
    ("status", "tone", "state"),
    [("revoked", "bad", "telah dicabut"), ("superseded", "warn", "telah diganti")],
)
def test_genuine_file_of_a_document_no_longer_in_force_is_not_green(
    status: str, tone: str, state: str
) -> None:
    page = checked(status, "match")
    assert banners(page)[0] == (tone, "BERKAS TIDAK BERLAKU")
    assert f"dokumennya {state}" in page
    assert "BERKAS COCOK" not in page


def test_file_of_another_document_names_and_links_it() -> None:
    page = checked("valid", "other_document")
    assert banners(page)[0] == ("warn", "BERKAS DOKUMEN LAIN")
    assert "Berkas ini adalah dokumen lain: nomor 800.2.1/0099/BPSDM/III/2026." in page
    assert (
        f'<a class="onbox" href="{OTHER_URL}">Lihat dokumen nomor 800.2.1/0099/BPSDM/III/2026</a>'
        in page
    )
    assert "tidak sama" not in page


def test_link_to_another_document_refuses_non_http_urls() -> None:
    check = replace(FILE_CHECKS["other_document"], other_verify_url="javascript:alert(1)")
    page = render_verify_page(valid(), token=TOKEN, file_check=check)
    assert "javascript:" not in page
    assert "800.2.1/0099/BPSDM/III/2026" in page


def test_a_file_that_is_no_pdf_is_told_so_not_that_it_does_not_match() -> None:
    page = checked("valid", "not_pdf")
    assert banners(page)[0] == ("none", "BUKAN PDF")
    assert "bukan berkas PDF" in page
    assert "tidak sama" not in page
    assert "diubah" not in page


def test_empty_or_oversized_upload_names_the_configured_limit() -> None:
    page = VerifyPage(AGENCY, ZoneInfo("Asia/Jakarta"), max_upload_bytes=5_000_000).render(
        valid(), token=TOKEN, file_check=FILE_CHECKS["empty"]
    )
    assert banners(page)[0] == ("none", "BERKAS TIDAK DAPAT DIPERIKSA")
    assert "maks. 5 MB" in page


@pytest.mark.parametrize("outcome", ["other_document", "no_match", "not_pdf", "empty"])
def test_after_a_foreign_file_the_status_says_it_is_not_the_files(outcome: str) -> None:
    page = checked("valid", outcome)
    assert "Status dokumen di registri Satu Pintu, bukan status berkas Anda" in page


def test_after_its_own_file_the_status_is_plain() -> None:
    page = checked("valid", "match")
    assert "Status dokumen di registri Satu Pintu</p>" in page
    assert "bukan status berkas Anda" not in page


@pytest.mark.parametrize("status", sorted(ALL))
def test_file_check_form_only_where_there_is_a_document(status: str) -> None:
    verification = ALL[status]()
    page = render_verify_page(verification, token=TOKEN, file_check_url=f"/v/{TOKEN}/file")
    assert ('action="/v/' + TOKEN + '/file"' in page) is (verification.document is not None)


def test_without_a_file_check_the_status_is_the_headline() -> None:
    page = render_verify_page(valid(), token=TOKEN, file_check_url=f"/v/{TOKEN}/file")
    assert banners(page) == [("ok", "SAH")]
    assert "hasil-berkas" not in page
    assert "Punya berkas PDF dokumen ini?" in page


# --- contrast: every result box passes WCAG AA ---------------------------------------------------

TEMPLATE = Path(__file__).resolve().parents[2] / "api" / "templates" / "verify.html"
AA_NORMAL_TEXT = 4.5


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #rgb or #rrggbb."""
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def css_rules() -> dict[str, dict[str, str]]:
    style = re.search(r"<style>(.*?)</style>", TEMPLATE.read_text(encoding="utf-8"), re.S)
    assert style is not None
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style.group(1)):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (part.partition(":") for part in body.split(";") if part.strip())
        )
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


def test_the_contrast_formula() -> None:
    assert contrast_ratio("#000", "#fff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1)


def box_tones() -> set[str]:
    """The tone class of every banner and result box any page can show."""
    pages = [page for _, page in all_pages()]
    pages += [checked(status, outcome) for status in ALL for outcome in FILE_CHECKS]
    tones = set()
    for page in pages:
        tones |= set(re.findall(r'class="(?:banner|result) (\w+)', page))
    return tones


def test_every_result_box_passes_wcag_aa_contrast() -> None:
    rules = css_rules()
    tones = box_tones()
    assert tones == {"ok", "bad", "warn", "none"}
    for tone in tones:
        rule = rules[f".{tone}"]
        # Both set by the tone itself: text inherited from the page was the 2.4:1 bug.
        assert "color" in rule and "background" in rule, (tone, rule)
        ratio = contrast_ratio(rule["color"], rule["background"])
        assert ratio >= AA_NORMAL_TEXT, (tone, round(ratio, 2))
    for box in (".banner", ".result"):
        assert "opacity" not in "".join(rules.get(f"{box} p", {}))
        assert "color" not in rules[box]  # the tone decides
        assert rules[f"{box} a"]["color"] == "inherit"  # links are as legible as the text


def test_every_rule_that_sets_both_colours_passes_wcag_aa_contrast() -> None:
    pairs = {
        selector: (rule["color"], rule["background"])
        for selector, rule in css_rules().items()
        if "color" in rule and "background" in rule
    }
    assert {".ok", ".bad", ".warn", ".none", ".btn", ".banner a.onbox"} <= set(pairs)
    for selector, (colour, background) in pairs.items():
        ratio = contrast_ratio(colour, background)
        assert ratio >= AA_NORMAL_TEXT, (selector, round(ratio, 2))


def test_page_text_outside_the_boxes_passes_wcag_aa_contrast() -> None:
    rules = css_rules()
    page_background = rules["body"]["background"]
    card = rules[".card"]["background"]
    for selector, background in [
        ("body", page_background),
        ("dt", card),
        (".note", card),
        ("a", card),
        ("footer", page_background),
        (".site span", rules[".site"]["background"]),
        (".btn", rules[".btn"]["background"]),
    ]:
        ratio = contrast_ratio(rules[selector]["color"], background)
        assert ratio >= AA_NORMAL_TEXT, (selector, round(ratio, 2))


# --- short codes ----------------------------------------------------------------------------------


def code_not_found() -> Verification:
    return Verification(status="unknown", reason="code_not_found")


def test_a_mistyped_code_is_not_found_not_forged() -> None:
    page = render_verify_page(code_not_found(), token="abcd-efgh-jkmu")
    assert h1(page) == "TIDAK DITEMUKAN"
    assert "Kode <strong>abcd-efgh-jkmu</strong> tidak ditemukan." in page
    assert "Periksa kembali kode" in page
    assert "tidak asli" not in page
    assert "Tanda tangan pada kode ini tampak asli" not in page
    # The box to type it again comes right after the explanation, holding what was typed.
    assert page.index("Ketik ulang kode") < page.index("</main>")
    assert 'name="kode" value="abcd-efgh-jkmu"' in page
    assert "Periksa dokumen lain" not in page


@pytest.mark.parametrize("reason", [None, "", "code_unknown", "NOT_FOUND"])
def test_only_a_checked_token_of_no_document_is_said_to_look_genuine(reason: str | None) -> None:
    # Short codes carry no signature: "tampak asli" is for a token whose signature was checked
    # (reason not_found), never for any other unknown answer a future change might produce.
    page = render_verify_page(Verification(status="unknown", reason=reason), token="zzzzzzzzzzzz")
    assert h1(page) == "TIDAK DITEMUKAN"
    assert "tidak ditemukan" in page
    assert "Tanda tangan" not in page and "tampak asli" not in page
    checked = render_verify_page(Verification(status="unknown", reason="not_found"), token="t")
    assert "Tanda tangan pada kode ini tampak asli" in checked


def test_the_typed_code_is_escaped_and_cut_short() -> None:
    page = render_verify_page(code_not_found(), token='"><script>x</script>' + "a" * 300)
    assert "<script" not in page
    shown = re.search(r"Kode <strong>(.*?)</strong>", page)
    kept = re.search(r'name="kode" value="([^"]*)"', page)
    assert shown is not None and kept is not None
    assert unescape(shown.group(1)) == '"><script>x</script>' + "a" * 17 + "..."
    assert unescape(kept.group(1)) == '"><script>x</script>' + "a" * 100


def test_a_forged_token_is_still_not_genuine() -> None:
    page = render_verify_page(invalid(), token=TOKEN)
    assert "tidak asli atau telah diubah" in page
    assert "Periksa kembali kode" not in page


@pytest.mark.parametrize("status", ["valid", "revoked", "superseded", "invalid"])
def test_every_page_has_a_box_to_type_another_code(status: str) -> None:
    page = render_verify_page(ALL[status](), token=TOKEN)
    assert '<form method="get" action="/v">' in page
    assert 'name="kode" value=""' in page
    assert "Periksa dokumen lain" in page
    assert 'autocomplete="off"' in page and 'spellcheck="false"' in page


def test_the_code_entry_page() -> None:
    page = PAGE.render_code_entry()
    assert h1(page) == "Periksa dokumen"
    assert "<title>Periksa dokumen " in page
    assert '<form method="get" action="/v">' in page
    assert ">Periksa kode</button>" in page
    assert "12 karakter" in page
    assert 'class="banner' not in page
    assert "Data teknis (JSON)" not in page
    assert "<script" not in page.lower()
    assert AGENCY in page
    assert " autofocus>" in page  # the page is for typing; a document's page does not grab focus
    assert " autofocus" not in render_verify_page(valid(), token=TOKEN)


# --- corrections ---------------------------------------------------------------------------------


def test_superseded_shows_the_reason_of_the_correction() -> None:
    page = render_verify_page(
        replace(superseded(), supersede_reason="Gelar peserta salah"), token=TOKEN
    )
    assert "Alasan penggantian: <strong>Gelar peserta salah</strong>" in page


def test_replacement_says_which_number_it_replaces() -> None:
    old_url = "https://satupintu.example.go.id/v/b2xk"
    page = render_verify_page(
        replace(
            valid(),
            replaces_number="800.2.1/0042/BPSDM/III/2026",
            replaces_url=old_url,
            replaces_reason="Gelar peserta salah",
        ),
        token=TOKEN,
    )
    assert h1(page) == "SAH"
    assert (
        f'Dokumen ini menggantikan dokumen nomor <a href="{old_url}">800.2.1/0042/BPSDM/III/2026'
        "</a> (alasan penggantian: Gelar peserta salah)." in page
    )


def test_a_document_that_replaces_none_says_nothing_of_it() -> None:
    assert "menggantikan" not in render_verify_page(valid(), token=TOKEN)


# --- agency and time zone -------------------------------------------------------------------------


def test_agency_name_comes_from_the_renderer_not_the_record() -> None:
    page = VerifyPage(agency_name="BPSDM PROVINSI KALIMANTAN TIMUR", zone=ZoneInfo("UTC")).render(
        valid(), token=TOKEN
    )
    header = re.search(r'<header class="site">(.*?)</header>', page, re.S)
    assert header is not None
    assert "<strong>BPSDM PROVINSI KALIMANTAN TIMUR</strong>" in header.group(1)
    # What the signed record says stays what it says.
    assert "<dt>Diterbitkan oleh</dt><dd>BPSDM Provinsi DKI Jakarta</dd>" in page


@pytest.mark.parametrize(
    ("zone", "issued", "revoked_on"),
    [
        (
            "Asia/Jakarta",
            "4 Maret 2026 pukul\u00a014.05\u00a0WIB",
            "10 Maret 2026 pukul\u00a023.30\u00a0WIB",
        ),
        (
            "Asia/Pontianak",
            "4 Maret 2026 pukul\u00a014.05\u00a0WIB",
            "10 Maret 2026 pukul\u00a023.30\u00a0WIB",
        ),
        # Kutai Barat keeps Central Indonesian time: the revocation is already on 11 Maret.
        (
            "Asia/Makassar",
            "4 Maret 2026 pukul\u00a015.05\u00a0WITA",
            "11 Maret 2026 pukul\u00a000.30\u00a0WITA",
        ),
        (
            "Asia/Jayapura",
            "4 Maret 2026 pukul\u00a016.05\u00a0WIT",
            "11 Maret 2026 pukul\u00a001.30\u00a0WIT",
        ),
    ],
)
def test_times_in_the_configured_zone_with_its_abbreviation(
    zone: str, issued: str, revoked_on: str
) -> None:
    page = VerifyPage(agency_name=AGENCY, zone=ZoneInfo(zone)).render(revoked(), token=TOKEN)
    assert f"<dt>Tanggal terbit</dt><dd>{issued}</dd>" in page
    assert f"pada {revoked_on}" in page


def test_superseded_date_in_the_configured_zone() -> None:
    late = replace(superseded(), superseded_at=datetime(2026, 3, 11, 16, 30, tzinfo=UTC))
    jakarta = render_verify_page(late, token=TOKEN)
    jayapura = VerifyPage(agency_name=AGENCY, zone=ZoneInfo("Asia/Jayapura")).render(
        late, token=TOKEN
    )
    assert "diganti</strong> pada 11 Maret 2026 " in jakarta
    assert "diganti</strong> pada 12 Maret 2026 " in jayapura
