"""Raw DOCX-to-PDF conversion baselines, without the rest of the pipeline.

Three numbers the end-to-end benchmark compares itself against:

* ``cold_per_document``: one ``soffice --headless --convert-to pdf`` process per document, what a
  naive script does; every document pays LibreOffice's start-up.
* ``warm_single``: sequential conversions through a warm pool (use a pool of size 1), seconds per
  document.
* ``warm_parallel``: documents per second through a warm pool with as many threads as servers.

Run ``python -m bench.baselines`` (from the repository root) to print them for a generated
one-page letter, or ``python -m bench.baselines some.docx other.docx`` for your own files.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx

from registry.adapters.libreoffice import Converter, LibreOfficePool
from registry.settings import Settings

LETTER = (
    "Yang bertanda tangan di bawah ini, Kepala Badan Pengembangan Sumber Daya Manusia, "
    "menerangkan bahwa pegawai yang namanya tersebut di bawah ini telah mengikuti dan "
    "menyelesaikan Pelatihan Teknis Penyusunan Laporan Kinerja Instansi Pemerintah "
    "selama 40 (empat puluh) jam pelajaran."
)


def sample_docx(path: Path) -> Path:
    """Write a one-page Indonesian letter (python-docx) to ``path`` and return it."""
    document = docx.Document()
    document.add_heading("SURAT KETERANGAN", level=1)
    document.add_paragraph("Nomor: 800.2.1/0042/BPSDM/XI/2026")
    document.add_paragraph(LETTER)
    table = document.add_table(rows=4, cols=2)
    for row, (label, value) in zip(
        table.rows,
        [
            ("Nama", "Siti Rahmawati, S.E."),
            ("NIP", "19850315 201001 2 012"),
            ("Pangkat/Golongan", "Penata (III/c)"),
            ("Unit Kerja", "Dinas Pekerjaan Umum dan Penataan Ruang"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_paragraph(
        "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."
    )
    document.add_paragraph("Kepala Badan,\n\n\n\nDr. Ahmad Fauzi, M.Si.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def cold_per_document(docx_paths: Sequence[Path], *, soffice: str | None = None) -> list[float]:
    """Seconds per document when each one gets its own ``soffice --convert-to pdf`` process.

    One untimed run first creates the LibreOffice profile, as a naive script's user would already
    have one; each timed run still starts and stops LibreOffice.
    """
    executable = soffice or shutil.which("soffice")
    if executable is None:
        raise RuntimeError("soffice not found")
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as scratch:
        profile = Path(scratch, "profile").as_uri()
        out = Path(scratch, "out")

        def run(path: Path) -> float:
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - the soffice found above, fixed arguments
                [
                    executable, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path),
                ],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
            elapsed = time.perf_counter() - started
            if not (out / f"{path.stem}.pdf").is_file():
                raise RuntimeError(f"soffice produced no PDF for {path}")
            return elapsed

        run(docx_paths[0])
        return [run(path) for path in docx_paths]


def warm_single(pool: Converter, docx_paths: Sequence[Path]) -> list[float]:
    """Seconds per document, converted one after another through ``pool`` (size 1 intended).

    A :class:`LibreOfficePool` is waited for first, and one untimed conversion loads Writer
    (LibreOffice's first document costs ~0.4 s more), so only steady-state work is counted.
    """
    _warm_up(pool, docx_paths[0], 1)
    timings = []
    for path in docx_paths:
        data = path.read_bytes()
        started = time.perf_counter()
        pool.convert(data)
        timings.append(time.perf_counter() - started)
    return timings


def warm_parallel(pool: Converter, docx_paths: Sequence[Path], workers: int) -> float:
    """Documents per second converting ``docx_paths`` with ``workers`` threads through ``pool``.

    Every server is started and has converted one document before the clock starts.
    """
    _warm_up(pool, docx_paths[0], workers)
    documents = [path.read_bytes() for path in docx_paths]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as executor:
        for pdf in executor.map(pool.convert, documents):
            if not pdf.startswith(b"%PDF-"):
                raise RuntimeError("conversion returned something that is not a PDF")
    return len(documents) / (time.perf_counter() - started)


def _warm_up(pool: Converter, path: Path, workers: int) -> None:
    if isinstance(pool, LibreOfficePool):
        pool.wait_ready()
    data = path.read_bytes()
    with ThreadPoolExecutor(max_workers=workers) as executor:
        list(executor.map(pool.convert, [data] * workers))


def _summary(name: str, timings: list[float]) -> str:
    return (
        f"{name}: n={len(timings)} mean={statistics.mean(timings):.3f}s "
        f"median={statistics.median(timings):.3f}s min={min(timings):.3f}s "
        f"max={max(timings):.3f}s"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("docx", nargs="*", type=Path, help="DOCX files (default: a sample)")
    parser.add_argument("--cold", type=int, default=5, help="documents for the cold baseline")
    parser.add_argument("--warm", type=int, default=30, help="documents for the warm baselines")
    parser.add_argument("--workers", type=int, default=2, help="pool size and threads")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        paths = list(args.docx) or [sample_docx(Path(scratch, "surat.docx"))]
        warm = [paths[i % len(paths)] for i in range(args.warm)]
        cold_paths = [paths[i % len(paths)] for i in range(args.cold)]
        print(_summary("cold soffice per document", cold_per_document(cold_paths)))
        uno_python = Settings.from_env().uno_python
        with LibreOfficePool(1, 120, uno_python=uno_python) as single:
            started = time.perf_counter()
            single.wait_ready()
            print(f"warm pool start-up (1 server): {time.perf_counter() - started:.2f}s")
            print(_summary("warm pool of 1, per document", warm_single(single, warm)))
        with LibreOfficePool(args.workers, 120, uno_python=uno_python) as pool:
            rate = warm_parallel(pool, warm, args.workers)
            print(f"warm pool of {args.workers}, {args.workers} threads: {rate:.2f} documents/s")


if __name__ == "__main__":
    main()
