"""Valid sample requests that tests vary one field at a time."""

from __future__ import annotations

import copy
import io
from datetime import date
from decimal import Decimal
from typing import Any

from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.jp_sessions import LogEntry

PNS_NIP = "198503152010011012"
PPPK_NIP = "199009132025242014"

SAMPLE_BODY: dict[str, Any] = {
    "type": "sertifikat",
    "recipient": {
        "nip": PNS_NIP,
        "name": "Dra. Siti Aminah, M.Si.",
        "position": "Analis Kepegawaian Ahli Muda",
        "unit": "Dinas Pekerjaan Umum",
    },
    "activity": {
        "title": "Seminar Nasional Manajemen ASN",
        "path": "seminar",
        "scope": "nasional",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "jp": None,
        "organizer": "BPSDM",
    },
}


def body(**changes: Any) -> dict[str, Any]:
    """A deep copy of SAMPLE_BODY with dotted-path changes, e.g. body(**{"activity.jp": "5"})."""
    result = copy.deepcopy(SAMPLE_BODY)
    for dotted, value in changes.items():
        target = result
        *parents, last = dotted.split(".")
        for part in parents:
            target = target[part]
        target[last] = value
    return result


def draft(
    *,
    type: str = "sertifikat",
    nip: str = PNS_NIP,
    name: str = "Dra. Siti Aminah, M.Si.",
    unit_code: str | None = "DPUPR",
    path: str = "seminar",
    scope: str = "nasional",
    start: date = date(2026, 3, 2),
    end: date = date(2026, 3, 3),
    jp: Decimal | None = None,
    title: str = "Seminar Nasional Manajemen ASN",
) -> DocumentDraft:
    """A valid request; an SK gets the minimal body a Keputusan needs."""
    return DocumentDraft(
        type=type,
        recipient=RecipientDraft(nip=nip, name=name, position="Analis", unit="Dinas PU"),
        activity=ActivityDraft(
            title=title,
            path=path,
            scope=scope,
            start_date=start,
            end_date=end,
            jp=jp,
            organizer="BPSDM",
        ),
        unit_code=unit_code,
        details=MINIMAL_SK if type == "sk" else None,
    )


MINIMAL_SK: dict[str, Any] = {
    "about": "Peserta Seminar Nasional Manajemen ASN",
    "considering": ["bahwa perlu menetapkan peserta seminar"],
    "legal_basis": ["Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara"],
    "decisions": ["Menetapkan peserta sebagaimana tercantum dalam Lampiran."],
}

SK_DETAILS: dict[str, Any] = {
    "about": "Peserta Pelatihan Teknis Pengadaan Barang/Jasa Tahun 2026",
    "considering": [
        "bahwa untuk meningkatkan kompetensi aparatur perlu diselenggarakan pelatihan teknis",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
        "Keputusan Kepala Badan",
    ],
    "legal_basis": [
        "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
        "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil",
    ],
    "decisions": [
        "Menetapkan peserta pelatihan sebagaimana tercantum dalam Lampiran Keputusan ini.",
        "Biaya pelaksanaan dibebankan pada anggaran Badan Tahun 2026.",
    ],
    "appendix": [
        {"name": f"Peserta {i:03d} & Rekan <Uji>", "nip": f"19850315201001{2000 + i}"}
        for i in range(1, 61)
    ],
}

# One valid draft per template: every type, and each surat keterangan variant.
TEMPLATE_CASES: dict[str, dict[str, Any]] = {
    "sttp": {"type": "sttp", "path": "pelatihan_teknis", "jp": Decimal("24")},
    "sertifikat": {"type": "sertifikat", "path": "seminar"},
    "transkrip": {
        "type": "transkrip",
        "path": "pelatihan_teknis",
        "jp": Decimal("24"),
        "details": {
            "subjects": [
                {"name": "Etika & Integritas ASN", "jp": "6", "score": "88.5"},
                {"name": "Manajemen Risiko", "jp": "8", "score": "91"},
                {"name": "Studi Kasus <Pengadaan>", "jp": "10", "score": "79"},
            ]
        },
    },
    "piagam": {
        "type": "piagam",
        "path": "pelatihan_teknis",
        "jp": Decimal("24"),
        "details": {"achievement": "Peserta Terbaik I"},
    },
    "sk": {"type": "sk", "path": "pelatihan_teknis", "jp": Decimal("24"), "details": SK_DETAILS},
    "surat_keterangan_coaching": {
        "type": "surat_keterangan",
        "path": "coaching",
        "sessions": (
            LogEntry(date=date(2026, 3, 2), topic="Rencana kerja"),
            LogEntry(date=date(2026, 3, 16), topic="Evaluasi capaian"),
        ),
        "start": date(2026, 3, 2),
        "end": date(2026, 3, 16),
        "details": {
            "coach": {"name": "Ir. Bambang Susilo, M.T.", "nip": "197001011995031003"},
        },
    },
    "surat_keterangan_mentoring": {
        "type": "surat_keterangan",
        "path": "mentoring",
        "sessions": (LogEntry(date=date(2026, 3, 2)), LogEntry(date=date(2026, 3, 16))),
        "start": date(2026, 3, 2),
        "end": date(2026, 3, 16),
        "details": {"mentor": {"name": "Dr. Rina Kartika, S.E., M.M."}},
    },
    "surat_keterangan_belajar_mandiri": {
        "type": "surat_keterangan",
        "path": "belajar_mandiri",
        "jp": Decimal("4"),
        "details": {"description": "Mempelajari modul manajemen risiko & menulis ringkasan."},
    },
    "surat_keterangan_komunitas_belajar": {
        "type": "surat_keterangan",
        "path": "komunitas_belajar",
        "jp": Decimal("2"),
        "details": {"description": "Berbagi praktik baik pengadaan & pengelolaan kontrak."},
    },
    # (surat_keterangan_bimbingan_tempat_kerja: only kubar-2024 has the path, and these cases
    # are issued under the default tangsel-2022; tests/integration/test_requests.py issues it.)
    "surat_keterangan": {
        "type": "surat_keterangan",
        "path": "e_learning",
        "jp": Decimal("3"),
    },
}


def template_draft(
    case: str, *, name: str = "Dr. Siti Rahmawati & Putri <Uji>, S.Kom., M.T."
) -> DocumentDraft:
    spec = TEMPLATE_CASES[case]
    start = spec.get("start", date(2026, 3, 2))
    return DocumentDraft(
        type=spec["type"],
        recipient=RecipientDraft(
            nip=PNS_NIP, name=name, position="Analis Kepegawaian", unit="Dinas PU"
        ),
        activity=ActivityDraft(
            title="Pelatihan Teknis Pengadaan Barang/Jasa",
            path=spec["path"],
            scope="nasional",
            start_date=start,
            end_date=spec.get("end", start),
            jp=spec.get("jp"),
            organizer="BPSDM",
            sessions=spec.get("sessions"),
        ),
        unit_code="DPUPR",
        details=spec.get("details"),
    )


def distinct_nips(count: int) -> list[str]:
    """Valid PNS NIPs that differ in their 3-digit sequence, then their sex digit (1 or 2), then
    their birth day: 27,972 of them (the sex digit alone ran out at 1,998)."""
    nips = []
    for n in range(count):
        day, rest = divmod(n, 1998)
        sex, seq = divmod(rest, 999)
        nips.append(f"198503{15 + day:02d}201001{1 + sex}{seq + 1:03d}")
    return nips


def batch_body(count: int, **changes: Any) -> dict[str, Any]:
    """A JSON batch of ``count`` participants of one STTP training."""
    result: dict[str, Any] = {
        "type": "sttp",
        "unit_code": "DPUPR",
        "activity": {
            "title": "Pelatihan Teknis Pengadaan Barang/Jasa",
            "path": "pelatihan_teknis",
            "scope": "nasional",
            "start_date": "2026-03-02",
            "end_date": "2026-03-04",
            "jp": "24",
            "organizer": "BPSDM",
        },
        "recipients": [
            {"nip": nip, "name": f"Peserta {n + 1:03d}, S.Kom.", "unit": "Dinas PU"}
            for n, nip in enumerate(distinct_nips(count))
        ],
    }
    result.update(changes)
    return result


def outside_pdf(pages: int = 1) -> bytes:
    """A PDF as a training provider would send it, made without the registry."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        drawing.drawString(72, 760, f"Sertifikat dari penyelenggara, halaman {page + 1}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def issue_batch_now(registry: Any, actor: Any, count: int) -> Any:
    """Issue a ``batch_body(count)`` batch and render it in the calling thread; returns its view."""
    from registry.domain.batch_rows import recipients_from_json
    from registry.usecases.batches import Batches, BatchRequest

    spec = batch_body(count)
    raw = spec["activity"]
    activity = ActivityDraft(
        title=raw["title"],
        path=raw["path"],
        scope=raw["scope"],
        start_date=date.fromisoformat(raw["start_date"]),
        end_date=date.fromisoformat(raw["end_date"]),
        jp=Decimal(raw["jp"]),
        organizer=raw["organizer"],
    )
    request = BatchRequest(
        type=spec["type"],
        activity=activity,
        recipients=recipients_from_json(spec["recipients"]),
        unit_code=spec["unit_code"],
    )
    batches = Batches(registry)  # no queue: chunks and the merge run right here
    return batches.view(batches.submit(request, actor).batch.id)


def failed_batch_now(registry: Any, actor: Any, count: int) -> Any:
    """A batch whose documents exist but whose merge failed for good, as the job queue records it
    after its last attempt; returns its id."""
    from registry.adapters.db.schema import Batch

    view = issue_batch_now(registry, actor, count)
    with registry.db.writing() as session:
        batch = session.get_one(Batch, view.id)
        batch.status = "failed"
        batch.error = "PDF gabungan dan arsip ZIP tidak dapat dibuat (OSError: disk full)"
        batch.merged_sha256 = batch.zip_sha256 = None
    return view.id
