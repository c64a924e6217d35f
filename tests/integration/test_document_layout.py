"""What a reader sees on the page: read from PDFs that the real templates and LibreOffice make.

A date range must never break as "tanggal 23–" / "27 November 2026", a signer's position must not
leave one word alone on its last line, and a participant's score (the ``Nilai`` column) must be
printed on the STTP and the transkrip. These look at the lines ``pdftotext`` finds on the page.
"""

from __future__ import annotations

import html
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from registry.adapters.agency_files import load_logo
from registry.adapters.docx_templates import TemplateSet, render_docx
from registry.adapters.libreoffice import LibreOfficePool
from registry.adapters.qr import qr_png
from registry.domain.agency import DEFAULT_AGENCY_TOML, AgencyIdentity, parse_agency_toml
from registry.domain.batch_rows import draft_for, recipients_from_rows
from registry.domain.content import DocumentContent, build_context, sample_content
from registry.domain.details import validate_details
from registry.domain.drafts import ActivityDraft
from registry.settings import BUNDLED_TEMPLATES_DIR

IDENTITY = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
TEMPLATES = TemplateSet(BUNDLED_TEMPLATES_DIR)
LOGO = load_logo(IDENTITY)
SPAN = "23–27 November 2026"


def docx_of(content: DocumentContent, identity: AgencyIdentity) -> bytes:
    return render_docx(
        TEMPLATES.get(f"{content.type}.docx").data,
        build_context(content, identity),
        qr_png=qr_png(content.verify_url),
        logo_png=LOGO,
    )


def pdf_lines(
    converter: LibreOfficePool, content: DocumentContent, identity: AgencyIdentity = IDENTITY
) -> list[str]:
    """The page's lines as ``pdftotext -layout`` sees them, each with single spaces."""
    pdf = converter.convert(docx_of(content, identity))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    # No-break spaces come out as spaces; runs of layout spaces are one space to a reader.
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def pdf_words(converter: LibreOfficePool, content: DocumentContent) -> list[tuple[float, str]]:
    """(baseline, word) of every word on the first page, in reading order."""
    pdf = converter.convert(docx_of(content, IDENTITY))
    page = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    words = re.findall(r'<word [^>]*yMax="([\d.]+)">([^<]*)</word>', page.decode("utf-8"))
    return [(float(baseline), html.unescape(text)) for baseline, text in words]


def test_a_date_range_is_never_split_across_lines(converter: LibreOfficePool) -> None:
    """The place grows three letters at a time, moving the range across the end of a line."""
    content = replace(
        sample_content("sttp"), start_date=date(2026, 11, 23), end_date=date(2026, 11, 27)
    )
    variants = [
        replace(content, details={**content.details, "place": "Kampus" + " xi" * n})
        for n in range(19, 29)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pages = list(pool.map(lambda variant: pdf_words(converter, variant), variants))
    moved_whole = 0
    for words in pages:
        # "23–27" is one word, or two ("23–", "27") where LibreOffice leaves a hairline at the
        # joiner in a justified line; either way every part must sit on one baseline.
        start = next(i for i, (_, text) in enumerate(words) if text.startswith("23–"))
        parts = words[start : start + (3 if words[start][1] == "23–27" else 4)]
        assert "".join(text for _, text in parts) == "23–27November2026,", parts
        assert len({baseline for baseline, _ in parts}) == 1, parts
        # The range opens a line: without the joiner this is where it broke ("23–" / "27 ...").
        moved_whole += words[start - 1][0] != words[start][0]
    assert moved_whole > 0


def test_the_signers_position_leaves_no_word_alone(converter: LibreOfficePool) -> None:
    position = "KEPALA BADAN PENGEMBANGAN SUMBER DAYA MANUSIA DAERAH PROVINSI JAWA BARAT"
    identity = replace(IDENTITY, signer=replace(IDENTITY.signer, position=position))
    for kind in ("sertifikat", "sttp"):
        lines = pdf_lines(converter, sample_content(kind), identity)
        # The signature block's lines: its position ends with the comma of "{{ position }},".
        last = next(line for line in lines if line.endswith("BARAT,"))
        assert last.split()[-2:] == ["JAWA", "BARAT,"], (kind, last)


def test_the_score_of_a_participant_list_is_printed(converter: LibreOfficePool) -> None:
    """The ``Nilai`` column of an uploaded list reaches the STTP's sentence and the transkrip."""
    (row,) = recipients_from_rows(
        [{"row": "2", "nip": "198503152010012012", "name": "Dr. Siti Rahmawati", "score": "85,5"}]
    )
    activity = ActivityDraft(
        title="Pelatihan Teknis",
        path="pelatihan_teknis",
        scope="nasional",
        start_date=date(2024, 4, 22),
        end_date=date(2024, 4, 26),
        jp=Decimal(40),
    )
    for kind, expected in (
        ("sttp", "dengan nilai akhir 85,50 dan predikat Memuaskan"),
        ("transkrip", "Nilai Akhir 85,50 Memuaskan"),
    ):
        sample = sample_content(kind)
        shared = {"subjects": sample.details["subjects"]}
        draft = draft_for(
            row, type=kind, activity=activity, unit_code=None, series=None, details=shared
        )
        details = validate_details(kind, activity.path, draft.details)
        text = " ".join(pdf_lines(converter, replace(sample, details=details)))
        assert expected in text, kind
