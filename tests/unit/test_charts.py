"""The SVG charts of JP compliance and JP per month, and the data that feeds them (pure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest

from registry.domain.charts import (
    EMPTY_TEXT,
    MONTHS,
    SMALLEST_FONT,
    WIDTH,
    MonthlyJp,
    UnitCompliance,
    compliance_chart,
    monthly_chart,
    monthly_jp,
    monthly_jp_of_report,
    percent_text,
    unit_compliance,
)
from registry.domain.jp import DevelopmentPath
from registry.domain.jp_reports import EmployeeIdentity, UnitReport, unit_report, yearly_jp
from tests.support.credited import credit, document
from tests.support.drafts import PNS_NIP

P = DevelopmentPath
NS = {"svg": "http://www.w3.org/2000/svg"}
TANGSEL = "tangsel-2022"


def person(nip: str, unit: str | None, name: str = "Siti") -> EmployeeIdentity:
    return EmployeeIdentity(
        nip=nip, name=name, employment="pns", jabatan_type="fungsional", unit_code=unit
    )


def nip(index: int) -> str:
    """Distinct NIP-shaped strings (the charts never check them)."""
    return f"{PNS_NIP[:-4]}{index:04d}"


def report(code: str | None, name: str | None, jp_by_person: list[str]) -> UnitReport:
    """A unit report whose employees each have one seminar of the given JP in March 2026."""
    rows = []
    for index, jp in enumerate(jp_by_person):
        holder = nip(index)
        docs = [document(P.SEMINAR, credit(P.SEMINAR, "2026-03-02", jp), nip=holder)]
        rows.append(yearly_jp(person(holder, code), docs, 2026, rule_set=TANGSEL))
    return unit_report(2026, TANGSEL, code, name, rows)


def parse(svg: str) -> ET.Element:
    # Our own output, not untrusted input; parsing it fails on anything not well-formed XML.
    root = ET.fromstring(svg)  # noqa: S314
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def summary(root: ET.Element) -> tuple[str, str]:
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and desc is not None
    return title.text or "", desc.text or ""


# -- data ------------------------------------------------------------------------------------------


def test_unit_compliance_counts_employees_at_20_jp_and_puts_the_lowest_share_first() -> None:
    reports = [
        report("DINKES", "Dinas Kesehatan", ["20", "24", "8"]),  # 2 of 3
        report("DPUPR", "Dinas Pekerjaan Umum", ["19.5", "4"]),  # 0 of 2
        report("BPBD", "Badan Penanggulangan Bencana", ["20"]),  # 1 of 1
    ]
    units = unit_compliance(reports)
    assert [(u.unit_code, u.met, u.employees) for u in units] == [
        ("DPUPR", 0, 2),
        ("DINKES", 2, 3),
        ("BPBD", 1, 1),
    ]
    assert units[1].share == Fraction(2, 3)
    assert units[1].unit_name == "Dinas Kesehatan"


def test_equal_shares_are_ordered_by_name_and_an_empty_roster_comes_last() -> None:
    units = unit_compliance(
        [
            report("SETDA", None, []),
            report("B", "Zeta", ["20", "1"]),
            report("A", "alfa", ["1", "20"]),
        ]
    )
    assert [u.unit_code for u in units] == ["A", "B", "SETDA"]
    assert units[-1].share is None
    assert units[-1].unit_name == "SETDA"  # no name known: the code


def test_a_report_over_every_unit_is_split_by_each_employees_unit() -> None:
    rows = [
        yearly_jp(person(nip(1), "DPUPR"), [], 2026, rule_set=TANGSEL),
        yearly_jp(
            person(nip(2), "DINKES"),
            [document(P.SEMINAR, credit(P.SEMINAR, "2026-05-04", "20"), nip=nip(2))],
            2026,
            rule_set=TANGSEL,
        ),
    ]
    everyone = unit_report(2026, TANGSEL, None, None, rows)
    units = unit_compliance([everyone], {"DINKES": "Dinas Kesehatan"})
    assert [(u.unit_name, u.met, u.employees) for u in units] == [
        ("DPUPR", 0, 1),
        ("Dinas Kesehatan", 1, 1),
    ]


def test_a_credit_counts_in_the_month_its_entry_ended() -> None:
    letter = document(
        P.COACHING,
        credit(P.COACHING, "2026-01-31", "2", end="2026-02-01"),  # ends in February
        credit(P.COACHING, "2026-03-10", "2"),
        credit(P.COACHING, "2025-12-30", "2"),  # another year
    )
    training = document(
        P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, "2026-03-02", "12.5", end="2026-03-05")
    )
    months = monthly_jp([letter, training], 2026, subject="Siti")
    assert months.values == (
        Decimal(0),
        Decimal(2),
        Decimal("14.5"),
        *(Decimal(0),) * 9,
    )
    assert months.total == letter.credited_in(2026) + training.credited_in(2026)


def test_a_units_months_sum_every_employee_and_its_reference_is_their_20_jp() -> None:
    unit = report("DINKES", "Dinas Kesehatan", ["20", "4", "6"])
    months = monthly_jp_of_report(unit)
    assert months.values[2] == Decimal(30)
    assert months.subject == "Dinas Kesehatan"
    assert months.employees == 3
    assert months.reference == Decimal(5)  # 3 x 20 JP / 12 months


@pytest.mark.parametrize(
    ("met", "of", "text"),
    [
        (0, 5, "0%"),
        (5, 5, "100%"),
        (2, 3, "66,7%"),
        (1, 8, "12,5%"),
        (1999, 2000, "99,9%"),  # 99,95 would round to 100: it is not everyone
        (1, 2001, "0,1%"),  # 0,05 would round to 0: it is not nobody
    ],
)
def test_percent_text(met: int, of: int, text: str) -> None:
    assert percent_text(Fraction(met, of)) == text


# -- compliance chart ------------------------------------------------------------------------------


def test_compliance_chart_has_a_bar_per_unit_sized_by_its_share_with_its_numbers() -> None:
    units = [
        UnitCompliance("DPUPR", "Dinas Pekerjaan Umum", 0, 4),
        UnitCompliance("DINKES", "Dinas Kesehatan", 1, 4),
        UnitCompliance("BPBD", "BPBD", 3, 3),
    ]
    root = parse(compliance_chart(units, 2026))
    printed = texts(root)
    assert "0% · 0 dari 4 pegawai" in printed
    assert "25% · 1 dari 4 pegawai" in printed
    assert "100% · 3 dari 3 pegawai" in printed
    # Names in the given order (lowest first), each above its bar.
    names = [t for t in printed if t in ("Dinas Pekerjaan Umum", "Dinas Kesehatan", "BPBD")]
    assert names == ["Dinas Pekerjaan Umum", "Dinas Kesehatan", "BPBD"]
    # One track per unit, and filled bars only where someone met the minimum, in proportion.
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")][1:]  # after background
    tracks = [float(r.get("width", "0")) for r in rects if r.get("stroke")]
    bars = [float(r.get("width", "0")) for r in rects if not r.get("stroke")]
    assert len(tracks) == 3
    assert bars == [pytest.approx(tracks[0] / 4, abs=0.01), pytest.approx(tracks[0], abs=0.01)]
    title, desc = summary(root)
    assert "2026" in title
    assert "Dinas Pekerjaan Umum: 0% (0 dari 4 pegawai)" in desc
    assert "BPBD: 100% (3 dari 3 pegawai)" in desc


def test_a_unit_without_employees_says_so_instead_of_a_percentage() -> None:
    root = parse(compliance_chart([UnitCompliance("SETDA", "Sekretariat Daerah", 0, 0)], 2026))
    assert "belum ada pegawai" in texts(root)
    assert not any("%" in t for t in texts(root))


def test_no_units_is_a_chart_that_says_there_is_no_data() -> None:
    root = parse(compliance_chart([], 2026))
    assert EMPTY_TEXT in texts(root)
    assert summary(root)[1].startswith(EMPTY_TEXT)


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "Dinas A & B", 'Unit "Q" <b>', "Bad\x01char"]
)
def test_names_are_escaped_and_shown_as_typed(name: str) -> None:
    svg = compliance_chart([UnitCompliance("X", name, 1, 2)], 2026)
    root = parse(svg)
    shown = name.replace("\x01", "")  # XML cannot carry it at all
    assert shown in texts(root)
    assert shown in summary(root)[1]
    assert "<script>" not in svg
    assert not list(root.iter("script")) and not list(root.iter("{*}script"))


def test_a_long_name_wraps_to_at_most_two_lines() -> None:
    name = " ".join(["Dinas Pekerjaan Umum dan Penataan Ruang"] * 4)
    root = parse(compliance_chart([UnitCompliance("X", name, 1, 2)], 2026))
    lines = [t for t in texts(root) if t.startswith(("Dinas", "Penataan", "Umum", "Ruang"))]
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert name in summary(root)[1]  # the whole name for a screen reader


# -- monthly chart ---------------------------------------------------------------------------------


def months_of(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


def test_monthly_chart_has_twelve_indonesian_months_and_each_value_above_its_column() -> None:
    values = months_of("2", "0", "4", "6.5", "0", "0", "12", "0", "0", "0", "0", "0")
    root = parse(monthly_chart(MonthlyJp(2026, "Siti Aminah", values)))
    printed = texts(root)
    assert MONTHS == (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Mei",
        "Jun",
        "Jul",
        "Agu",
        "Sep",
        "Okt",
        "Nov",
        "Des",
    )
    assert [t for t in printed if t in MONTHS] == list(MONTHS)
    assert "6,5" in printed and "12" in printed
    columns = [
        r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == "#1d4ed8"
    ]
    heights = [float(r.get("height", "0")) for r in columns]
    assert len(heights) == 4  # months with JP only
    assert heights[3] == max(heights)  # July's 12 JP is the tallest
    assert heights[0] == pytest.approx(heights[3] * 2 / 12, abs=0.01)
    title, desc = summary(root)
    assert title == "JP per bulan, Siti Aminah, tahun 2026"
    assert "total 24,5 JP" in desc
    assert "April 6,5" in desc and "Desember 0" in desc
    assert "1,67 JP per bulan" in desc


def test_a_year_without_jp_is_a_chart_that_says_there_is_no_data() -> None:
    root = parse(monthly_chart(MonthlyJp(2026, "Siti", (Decimal(0),) * 12)))
    assert EMPTY_TEXT in texts(root)
    assert not any(t in MONTHS for t in texts(root))


def test_a_month_needs_twelve_values() -> None:
    with pytest.raises(ValueError, match="12"):
        MonthlyJp(2026, "Siti", (Decimal(1),) * 11)


# -- accessibility and size ------------------------------------------------------------------------


def _charts() -> list[str]:
    values = months_of("2", "0", "4", "0", "0", "0", "0", "0", "0", "0", "0", "3")
    return [
        compliance_chart([UnitCompliance("A", "A", 1, 3)], 2026),
        compliance_chart([], 2026),
        monthly_chart(MonthlyJp(2026, "Siti", values)),
        monthly_chart(MonthlyJp(2026, "Siti", (Decimal(0),) * 12)),
    ]


@pytest.mark.parametrize("svg", _charts())
def test_every_chart_is_an_image_labelled_by_its_title_and_description(svg: str) -> None:
    root = parse(svg)
    assert root.get("role") == "img"
    labelled_by = (root.get("aria-labelledby") or "").split()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert len(labelled_by) == 2 and set(labelled_by) <= ids
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
    sizes = [float(t.get("font-size", "0")) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert min(sizes) >= SMALLEST_FONT
    # 12 px or more even when the chart is drawn 360 px wide.
    assert SMALLEST_FONT * 360 / WIDTH >= 12


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("svg", _charts())
def test_text_and_marks_contrast_with_white_as_wcag_aa_asks(svg: str) -> None:
    root = parse(svg)
    white = _luminance("#ffffff")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        colour = element.get("fill") if tag == "text" else element.get("stroke")
        if tag == "rect" and element.get("fill") not in ("#ffffff", "#e5e7eb"):
            colour = element.get("fill")  # a bar: non-text contrast, 3:1
        if not colour or not re.fullmatch(r"#[0-9a-f]{6}", colour):
            continue
        ratio = (white + 0.05) / (_luminance(colour) + 0.05)
        assert ratio >= (4.5 if tag == "text" else 3), (tag, colour, ratio)


def test_two_charts_on_one_page_can_have_distinct_ids() -> None:
    first = parse(compliance_chart([], 2026, id_prefix="a"))
    second = parse(monthly_chart(MonthlyJp(2026, "S", (Decimal(0),) * 12), id_prefix="b"))
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 4


def test_the_monthly_legend_stays_inside_the_drawing_for_a_large_unit() -> None:
    """Found on the console's unit report: "... untuk 20 JP setahun untuk 1234 pegawai" ran past
    the right edge and was cut off. Every start-anchored text must fit (estimated as the chart
    estimates names: DejaVu Sans's average character width)."""
    values = months_of("2", "0", "4", "0", "0", "0", "0", "0", "0", "0", "0", "3")
    for employees in (1, 3, 1234):
        root = parse(monthly_chart(MonthlyJp(2026, "Dinas Uji", values, employees=employees)))
        printed = " ".join(texts(root))
        assert f"20 JP setahun{' untuk' if employees > 1 else ''}" in printed
        if employees > 1:
            assert f"{employees} pegawai" in printed
        for element in root.iter("{http://www.w3.org/2000/svg}text"):
            if element.get("text-anchor") != "start":
                continue
            size = float(element.get("font-size", "0"))
            per_char = 0.7 if element.get("font-weight") == "bold" else 0.62
            right = float(element.get("x", "0")) + len(element.text or "") * size * per_char
            assert right <= WIDTH, element.text
