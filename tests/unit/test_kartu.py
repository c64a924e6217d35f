"""The Kartu Data's rows, total and printed context, and the year it is asked for (pure)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from registry.domain.agency import DEFAULT_AGENCY_TOML, Signer, parse_agency_toml
from registry.domain.credits import CreditedDocument, PriorCredit
from registry.domain.errors import InvalidInput
from registry.domain.jp import DevelopmentPath, Scope
from registry.domain.kartu import (
    DECLARATION,
    CardHolder,
    IssueFacts,
    card_context,
    card_rows,
    card_total,
    parse_year,
)

IDENTITY = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
TODAY = date(2026, 6, 1)
HOLDER = CardHolder(
    nip="198503152010011012",
    employment="pns",
    name="Andi Wijaya, S.Kom.",
    rank="Penata Muda (III/a)",
    position="Pranata Komputer Ahli Pertama",
    unit="Dinas Pekerjaan Umum dan Penataan Ruang",
    birth_place="Sendawar",
)
HEAD = Signer(
    name="Ir. Bambang Sutrisno, M.T.",
    nip="197805122003121002",
    rank="Pembina Utama Muda (IV/c)",
    position="Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
)


def credited(
    *,
    number: str = "00001/SERT/BPSDM/2026",
    path: str = "seminar",
    scope: str = "nasional",
    start: date = date(2026, 3, 2),
    end: date = date(2026, 3, 3),
    jp: str = "8",
    credits: tuple[tuple[date, str], ...] | None = None,
    organizer: str | None = "Universitas Contoh",
) -> CreditedDocument:
    """A valid document; by default one credit spanning the activity, of its whole JP."""
    entries = credits if credits is not None else ((end, jp),)
    return CreditedDocument(
        id=uuid.uuid4(),
        number=number,
        type="sertifikat",
        nip=HOLDER.nip,
        employment="pns",
        holder_name=HOLDER.name,
        holder_position=None,
        holder_unit=None,
        unit_code="DPUPR",
        title="Seminar Nasional Manajemen ASN",
        path=path,
        scope=scope,
        start_date=start,
        end_date=end,
        jp=Decimal(jp),
        credited_jp=sum((Decimal(j) for _, j in entries), Decimal(0)),
        jp_rules="tangsel-2022",
        organizer=organizer,
        issuer="BPSDM",
        verify_url="https://verifikasi.example/v/x",
        pdf_url=None,
        credits=tuple(
            PriorCredit(DevelopmentPath(path), Scope(scope), day, Decimal(j)) for day, j in entries
        ),
    )


def facts(*documents: CreditedDocument) -> dict[uuid.UUID, IssueFacts]:
    return {d.id: IssueFacts(issued_on=date(2026, 3, 10), city="Sendawar") for d in documents}


@pytest.mark.parametrize(("given", "year"), [(None, 2026), ("", 2026), (" 2024 ", 2024)])
def test_the_year_defaults_to_today_and_is_read_as_four_digits(
    given: str | None, year: int
) -> None:
    assert parse_year(given, today=TODAY) == year


def test_the_year_runs_from_2000_to_this_one() -> None:
    assert parse_year("2000", today=TODAY) == 2000
    assert parse_year("2026", today=TODAY) == 2026
    for bad in ("1999", "2027", "26", "20266", "2O26", "２０２６", "-202"):
        with pytest.raises(InvalidInput) as info:
            parse_year(bad, today=TODAY)
        assert info.value.field == "year"


def test_a_row_counts_what_its_document_credits_in_the_cards_year() -> None:
    across = credited(
        number="800.2.3/0001/DPUPR/I/2026",
        path="coaching",
        start=date(2025, 12, 15),
        end=date(2026, 1, 12),
        jp="4",
        credits=((date(2025, 12, 15), "2"), (date(2026, 1, 12), "2")),
    )
    seminar = credited()
    rows = card_rows([across, seminar], 2026, facts(across, seminar))
    assert [(row.number, row.jp, row.printed_jp) for row in rows] == [
        ("800.2.3/0001/DPUPR/I/2026", Decimal(2), Decimal(4)),
        ("00001/SERT/BPSDM/2026", Decimal(8), Decimal(8)),
    ]
    assert card_total(rows) == Decimal(10)
    assert [row.jp for row in card_rows([across], 2025, facts(across))] == [Decimal(2)]


def test_the_context_prints_identity_rows_total_and_signers() -> None:
    capped = credited(number="00002/SERT/BPSDM/2026", jp="10", credits=((date(2026, 4, 1), "0"),))
    lone = credited(
        number="00003/SERT/BPSDM/2026",
        path="e_learning",
        scope="internasional",
        start=date(2026, 5, 1),
        end=date(2026, 5, 1),
        jp="2.4",
        organizer=None,
    )
    documents = [credited(), capped, lone]
    rows = card_rows(documents, 2026, facts(*documents))
    context = card_context(
        HOLDER, rows, year=2026, identity=IDENTITY, signer=HEAD, printed_on=date(2026, 6, 1)
    )
    holder = context["holder"]
    assert (holder["nip_label"], holder["nip_text"]) == ("NIP", "19850315 201001 1 012")
    assert holder["rank_label"] == "Pangkat dan Golongan Ruang"
    assert holder["birth_text"] == "Sendawar, 15 Maret 1985"
    assert holder["gender"] == "Laki-laki"
    first, second, third = context["rows"]
    assert first["dates_text"] == "02/03/2026 s.d. 03/03/2026"
    assert (first["jp_text"], first["printed_jp_text"]) == ("8", "")
    assert (first["path_label"], first["path_group"]) == (
        "Seminar/Konferensi/Sarasehan",
        "Klasikal",
    )
    assert (second["jp_text"], second["printed_jp_text"]) == ("0", "(10)")
    assert third["dates_text"] == "01/05/2026"
    assert third["path_group"] == "Nonklasikal, internasional"
    assert (third["organizer"], third["jp_text"]) == ("BPSDM", "2,4")
    assert (third["number"], third["issued_text"], third["city"]) == (
        "00003/SERT/BPSDM/2026",
        "10 Maret 2026",
        "Sendawar",
    )
    assert context["any_printed_jp"] is True
    assert context["total_text"] == "10,4 (sepuluh koma empat) JP"
    assert context["total_jp_text"] == "10,4"
    assert context["declaration"] == DECLARATION
    assert context["place_and_date"] == f"{IDENTITY.city}, 1 Juni 2026"
    assert context["signer"]["name"] == HEAD.name
    assert context["signer"]["nip_text"] == "19780512 200312 1 002"


def test_an_empty_year_totals_zero_and_the_agency_signs_without_a_unit_head() -> None:
    pppk = replace(HOLDER, nip="199009132025242014", employment="pppk", birth_place=None, rank=None)
    context = card_context(
        pppk, [], year=2024, identity=IDENTITY, signer=None, printed_on=date(2026, 6, 1)
    )
    assert context["rows"] == [] and context["any_printed_jp"] is False
    assert context["total_text"] == "0 (nol) JP"
    assert context["year"] == "2024"
    holder = context["holder"]
    assert (holder["nip_label"], holder["nip_text"]) == ("NI PPPK", "19900913 2025 24 2 014")
    assert (holder["rank_label"], holder["rank"]) == ("Golongan", "-")
    assert (holder["birth_text"], holder["gender"]) == ("13 September 1990", "Perempuan")
    assert context["signer"]["name"] == IDENTITY.signer.name
