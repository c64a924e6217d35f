"""Units and rosters on both backends: roles, audited changes, re-imports, who signs letters."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from registry.adapters.db import audit
from registry.adapters.db.schema import AuditEntry, Document, Employee
from registry.domain.actors import CLI_ACTOR, Actor
from registry.domain.errors import NotFound, PermissionDenied
from registry.domain.roster_rows import RosterInvalid
from registry.domain.units import HeadDraft, UnitDraft
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.support.drafts import PNS_NIP, PPPK_NIP, distinct_nips, template_draft
from tests.support.pdf import extract_text

ISSUER = Actor(id="test-issuer", role="issuer")
AUDITOR = Actor(id="test-auditor", role="auditor")
DPUPR = Actor(id="req-dpupr", role="requester", unit_code="DPUPR")
DINKES = Actor(id="req-dinkes", role="requester", unit_code="DINKES")
HEAD = HeadDraft(
    name="Ir. Bambang Sutrisno, M.T.",
    nip="197805122003121002",
    rank="Pembina Utama Muda (IV/c)",
    position="Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
)


def units_of(registry: Registry) -> Units:
    return Units(registry.db, now=registry.now, today=registry.local_today)


def csv(*lines: str) -> bytes:
    return ("\n".join(["NIP,Nama,Status,Jenis Jabatan,Jabatan,Pangkat", *lines]) + "\n").encode()


def audit_actions(registry: Registry) -> list[tuple[str, str, str | None]]:
    with registry.db.reading() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
        return [(entry.actor, entry.action, entry.subject) for entry in entries]


def employees(registry: Registry) -> dict[str, dict[str, Any]]:
    with registry.db.reading() as session:
        return {
            e.nip: {"unit": e.unit_code, "name": e.name, "rank": e.rank, "type": e.jabatan_type}
            for e in session.execute(select(Employee)).scalars()
        }


def test_units_are_added_updated_and_listed_by_role(registry: Registry) -> None:
    units = units_of(registry)
    added = units.save(UnitDraft("DPUPR", "Dinas PU", HEAD), ISSUER)
    assert added.created and added.unit.head is not None
    renamed = units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum", HEAD), CLI_ACTOR)
    assert not renamed.created and renamed.unit.name == "Dinas Pekerjaan Umum"
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum", HEAD), ISSUER)  # no change, no entry
    units.save(UnitDraft("DINKES", "Dinas Kesehatan"), ISSUER)
    assert [u.code for u in units.list_units(AUDITOR)] == ["DINKES", "DPUPR"]
    assert [u.code for u in units.list_units(DPUPR)] == ["DPUPR"]
    with pytest.raises(PermissionDenied):
        units.save(UnitDraft("DPUPR", "Dinas PU diubah"), DPUPR)
    with pytest.raises(PermissionDenied):
        units.save(UnitDraft("X", "X"), AUDITOR)
    assert audit_actions(registry) == [
        ("apikey:test-issuer", "unit.create", "DPUPR"),
        ("cli", "unit.update", "DPUPR"),
        ("apikey:test-issuer", "unit.create", "DINKES"),
    ]
    with registry.db.reading() as session:
        assert audit.verify_chain(session).ok


def test_a_roster_reimport_updates_by_nip_and_keeps_employees_no_longer_listed(
    registry: Registry,
) -> None:
    units = units_of(registry)
    units.save(UnitDraft("DPUPR", "Dinas PU"), ISSUER)
    a, b, c = distinct_nips(3)
    first = units.import_roster(
        "DPUPR",
        csv(f"{a},Andi,PNS,fungsional,Pranata Komputer,Penata Muda (III/a)", f"{b},Budi,PNS,,,"),
        DPUPR,
    )
    assert (first.created, first.updated, first.not_in_file) == (2, 0, 0)
    second = units.import_roster(
        "DPUPR", csv(f"{a},Andi Wijaya,PNS,,,Penata (III/c)", f"{c},Citra,PNS,pelaksana,,"), ISSUER
    )
    assert (second.created, second.updated, second.unchanged, second.not_in_file) == (1, 1, 0, 1)
    stored = employees(registry)
    # Updated by NIP; an empty cell keeps what an earlier export gave; Budi is still rostered.
    assert stored[a] == {
        "unit": "DPUPR",
        "name": "Andi Wijaya",
        "rank": "Penata (III/c)",
        "type": "fungsional",
    }
    assert set(stored) == {a, b, c}
    assert [e.nip for e in units.employees("DPUPR", DPUPR)] == [a, b, c]
    imports = [entry for entry in audit_actions(registry) if entry[1] == "roster.import"]
    assert imports == [
        ("apikey:req-dpupr", "roster.import", "DPUPR"),
        ("apikey:test-issuer", "roster.import", "DPUPR"),
    ]


def test_one_bad_row_imports_nothing_and_other_units_are_out_of_reach(registry: Registry) -> None:
    units = units_of(registry)
    units.save(UnitDraft("DPUPR", "Dinas PU"), ISSUER)
    units.save(UnitDraft("DINKES", "Dinas Kesehatan"), ISSUER)
    before = audit_actions(registry)
    with pytest.raises(RosterInvalid) as refused:
        units.import_roster("DPUPR", csv(f"{PNS_NIP},Andi,PNS,,,", "123,Budi,PNS,,,"), DPUPR)
    assert refused.value.extra["errors"] == [
        {"row": 3, "column": "nip", "detail": refused.value.extra["errors"][0]["detail"]}
    ]
    assert employees(registry) == {}
    assert audit_actions(registry) == before
    with pytest.raises(PermissionDenied):
        units.import_roster("DINKES", csv(f"{PNS_NIP},Andi,PNS,,,"), DPUPR)
    with pytest.raises(PermissionDenied):
        units.employees("DINKES", DPUPR)
    with pytest.raises(NotFound):
        units.import_roster("DISDIK", csv(f"{PNS_NIP},Andi,PNS,,,"), ISSUER)


def test_a_requester_cannot_take_another_units_employee_but_bpsdm_records_a_transfer(
    registry: Registry,
) -> None:
    units = units_of(registry)
    units.save(UnitDraft("DPUPR", "Dinas PU"), ISSUER)
    units.save(UnitDraft("DINKES", "Dinas Kesehatan"), ISSUER)
    units.import_roster("DINKES", csv(f"{PPPK_NIP},Siti,PPPK,,,"), DINKES)
    with pytest.raises(RosterInvalid, match="tidak ada pegawai yang diimpor") as refused:
        units.import_roster(
            "DPUPR", csv(f"{PNS_NIP},Andi,PNS,,,", f"{PPPK_NIP},Siti,PPPK,,,"), DPUPR
        )
    assert [(e["row"], e["column"]) for e in refused.value.extra["errors"]] == [(3, "nip")]
    assert employees(registry)[PPPK_NIP]["unit"] == "DINKES"
    units.import_roster("DPUPR", csv(f"{PPPK_NIP},Siti,PPPK,,,"), ISSUER)
    assert employees(registry)[PPPK_NIP]["unit"] == "DPUPR"


def test_a_surat_keterangan_is_printed_in_the_name_of_its_units_head(
    pdf_registry: Registry,
) -> None:
    units = units_of(pdf_registry)
    units.save(UnitDraft("DPUPR", "Dinas PU", HEAD), ISSUER)
    letter = pdf_registry.issue(template_draft("surat_keterangan_coaching"), ISSUER).document
    certificate = pdf_registry.issue(template_draft("sertifikat"), ISSUER).document
    letter_text = " ".join(_pdf_text(pdf_registry, letter.id).split())
    certificate_text = " ".join(_pdf_text(pdf_registry, certificate.id).split())
    agency_signer = pdf_registry.production.identity.signer.name
    assert "Ir. Bambang Sutrisno, M.T." in letter_text
    assert "19780512 200312 1 002" in letter_text
    assert agency_signer not in letter_text
    # Other documents and the signed record stay BPSDM's.
    assert agency_signer in certificate_text
    with pdf_registry.db.reading() as session:
        record = session.get_one(Document, letter.id).record
    assert b"Bambang" not in record
    assert pdf_registry.verify(letter.token).status == "valid"


def test_without_a_head_the_agency_signer_signs_the_surat_keterangan(registry: Registry) -> None:
    units_of(registry).save(UnitDraft("DPUPR", "Dinas PU"), ISSUER)
    letter = registry.issue(template_draft("surat_keterangan_coaching"), ISSUER).document
    with registry.db.reading() as session:
        context = session.get_one(Document, letter.id).render_context
    assert context is not None
    assert context["signer"]["name"] == registry.production.identity.signer.name


def _pdf_text(registry: Registry, document_id: Any) -> str:
    view = registry.get(document_id, ISSUER)
    pdf = next(f for f in view.files if f.kind == "pdf")
    return extract_text(registry.production.store.read(pdf.sha256))
