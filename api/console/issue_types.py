"""The document types the issue form offers, and what each one's form asks for (the fields its
template prints: ``templates_docx/`` and ``registry.domain.details``)."""

from __future__ import annotations

from dataclasses import dataclass

from registry.domain.content import PATH_LABELS
from registry.domain.details import NONKLASIKAL_PATHS
from registry.domain.errors import NotFound


@dataclass(frozen=True)
class TypeSpec:
    type: str
    label: str
    summary: str
    #: "optional" or "required" list of subjects (mata pelatihan), or none.
    subjects: str | None = None
    final_score: bool = False
    predikat: bool = False
    achievement: bool = False
    decree: bool = False  # an SK: Menimbang, Mengingat, diktum, lampiran
    letter: bool = False  # a surat keterangan: a session log, the guide, a description

    @property
    def paths(self) -> list[tuple[str, str]]:
        """The paths the form offers, by label: a letter certifies nonklasikal paths only."""
        paths = [
            (str(path), label)
            for path, label in PATH_LABELS.items()
            if not self.letter or path in NONKLASIKAL_PATHS
        ]
        return sorted(paths, key=lambda item: item[1])


TYPE_SPECS: dict[str, TypeSpec] = {
    spec.type: spec
    for spec in (
        TypeSpec(
            "sttp",
            "STTP",
            "Surat Tanda Tamat Pelatihan bagi peserta yang menyelesaikan pelatihan; dapat memuat "
            "daftar mata pelatihan dan nilai.",
            subjects="optional",
            final_score=True,
            predikat=True,
        ),
        TypeSpec(
            "sertifikat",
            "Sertifikat",
            "Sertifikat seminar, workshop, kursus, bimbingan teknis, atau kegiatan lain.",
            predikat=True,
        ),
        TypeSpec(
            "transkrip",
            "Transkrip nilai",
            "Daftar mata pelatihan dengan JP dan nilai; menyertai STTP, tidak menambah JP.",
            subjects="required",
            final_score=True,
            predikat=True,
        ),
        TypeSpec(
            "piagam",
            "Piagam",
            "Piagam penghargaan, misalnya peserta terbaik; tidak menambah JP.",
            achievement=True,
        ),
        TypeSpec(
            "sk",
            "SK (Keputusan)",
            "Keputusan dengan Menimbang, Mengingat, diktum, dan lampiran daftar nama; tidak "
            "menambah JP.",
            decree=True,
        ),
        TypeSpec(
            "surat_keterangan",
            "Surat keterangan",
            "Surat keterangan coaching, mentoring, belajar mandiri, komunitas belajar, atau "
            "jalur nonklasikal lain; JP dihitung dari daftar sesi.",
            letter=True,
        ),
    )
}

SCOPE_LABELS = {"nasional": "Nasional (dalam negeri)", "internasional": "Internasional"}
EMPLOYMENT_LABELS = {"": "Baca dari NIP", "pns": "PNS", "pppk": "PPPK"}


def spec_for(document_type: str) -> TypeSpec:
    spec = TYPE_SPECS.get(document_type)
    if spec is None:
        raise NotFound("Jenis dokumen ini tidak ada. Pilih jenis dokumen dari daftar.")
    return spec
