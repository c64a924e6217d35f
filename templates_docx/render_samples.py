"""Render every template with its sample data to ``docs/samples/<template>.png`` (first page).

The documents' samples come from ``registry.domain.samples``, the reports' (the Kartu Data) from
their entry in ``REPORT_TEMPLATES``.

    python templates_docx/render_samples.py

Uses the same path as the service: sample content, the sandboxed renderer, a warm LibreOffice
pool, then ``pdftoppm`` for the picture. Run it after changing a template and commit the PNGs, so a
reviewer sees the layout change beside the code change.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from registry.adapters.agency_files import load_logo  # noqa: E402
from registry.adapters.docx_templates import REPORT_TEMPLATES, TemplateSet, render_docx  # noqa: E402
from registry.adapters.libreoffice import LibreOfficePool  # noqa: E402
from registry.adapters.qr import qr_png  # noqa: E402
from registry.domain.agency import DEFAULT_AGENCY_TOML, parse_agency_toml  # noqa: E402
from registry.domain.content import build_context, template_name_for  # noqa: E402
from registry.domain.samples import sample  # noqa: E402
from registry.settings import Settings  # noqa: E402

CASES = [
    ("sttp", None),
    ("sertifikat", None),
    ("transkrip", None),
    ("piagam", None),
    ("sk", None),
    ("surat_keterangan", "coaching"),
    ("surat_keterangan", "mentoring"),
    ("surat_keterangan", "belajar_mandiri"),
    ("surat_keterangan", "komunitas_belajar"),
    ("surat_keterangan", "bimbingan_tempat_kerja"),
    ("surat_keterangan", "e_learning"),
]


def main() -> None:
    target = HERE.parent / "docs" / "samples"
    target.mkdir(parents=True, exist_ok=True)
    identity = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=HERE)
    templates = TemplateSet(HERE)
    logo = load_logo(identity)
    uno_python = Settings.from_env().uno_python
    with (
        LibreOfficePool(size=2, timeout=180, uno_python=uno_python) as pool,
        tempfile.TemporaryDirectory() as scratch,
    ):
        documents: list[tuple[str, dict[str, Any], bytes | None]] = []
        for type_, path in CASES:
            content = sample(type_, path)
            name = template_name_for(content.type, content.path)
            context = build_context(content, identity)
            documents.append((name, context, qr_png(content.verify_url)))
        # Reports (the Kartu Data) are not numbered documents: no QR.
        reports = [
            (name, report.sample(identity), None) for name, report in REPORT_TEMPLATES.items()
        ]
        for name, context, qr in [*documents, *reports]:
            docx = render_docx(templates.get(name).data, context, qr_png=qr, logo_png=logo)
            pdf = Path(scratch) / f"{name}.pdf"
            pdf.write_bytes(pool.convert(docx))
            stem = target / name.removesuffix(".docx")
            # pdftoppm is poppler-utils from the system; the arguments are our own paths.
            command = ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"]
            subprocess.run([*command, str(pdf), str(stem)], check=True)  # noqa: S603
            print(f"{stem}.png")


if __name__ == "__main__":
    main()
