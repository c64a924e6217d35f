"""The document commands: issue-batch, batch retry, templates check, worker."""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import zipfile
from functools import partial
from pathlib import Path

import pytest
from docx import Document as Docx
from pypdf import PdfReader
from sqlalchemy import select

from api import cli_documents
from api.cli import main as cli_main
from registry.adapters import pdf
from registry.adapters.db.schema import Batch, Document
from registry.adapters.jobs import MAX_ATTEMPTS, InProcessQueue
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.support.drafts import batch_body, distinct_nips
from tests.support.invariants import assert_numbering_invariant


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    return settings


def test_issue_batch_from_a_spreadsheet(
    environment: Settings,
    registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = ["NIP,Nama,Jabatan"] + [
        f"{nip},Peserta {n},Analis" for n, nip in enumerate(distinct_nips(6), start=1)
    ]
    participants = tmp_path / "peserta.csv"
    participants.write_text("\n".join(rows) + "\n", encoding="utf-8")
    activity = tmp_path / "activity.json"
    activity.write_text(json.dumps(batch_body(0)["activity"]), encoding="utf-8")
    out = tmp_path / "hasil"

    code = cli_main(
        [
            "issue-batch",
            str(participants),
            "--type",
            "sttp",
            "--activity",
            str(activity),
            "--unit-code",
            "DPUPR",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert "terbit 6, batal 0, dari 6" in captured.out
    assert "6/6" in captured.err  # the progress bar reached the end
    pdfs = sorted(p.name for p in out.glob("0*.pdf"))
    assert len(pdfs) == 6
    assert len(PdfReader(out / "gabungan.pdf").pages) == 6
    with zipfile.ZipFile(out / "dokumen.zip") as archive:
        assert len(archive.namelist()) == 6
    with registry.db.reading() as session:
        assert assert_numbering_invariant(session)
        statuses = set(session.execute(select(Document.status)).scalars())
    assert statuses == {"issued"}


def test_issue_batch_refuses_a_bad_list_and_issues_nothing(
    environment: Settings,
    registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    participants = tmp_path / "peserta.csv"
    participants.write_text("NIP,Nama\n123,Peserta\n", encoding="utf-8")
    activity = tmp_path / "activity.json"
    activity.write_text(json.dumps(batch_body(0)["activity"]), encoding="utf-8")
    code = cli_main(
        ["issue-batch", str(participants), "--type", "sttp", "--activity", str(activity)]
    )
    assert code == 2
    assert "baris" in capsys.readouterr().err
    with registry.db.reading() as session:
        assert session.execute(select(Document.id)).first() is None


def _activity_file(tmp_path: Path) -> Path:
    activity = tmp_path / "activity.json"
    activity.write_text(json.dumps(batch_body(0)["activity"]), encoding="utf-8")
    return activity


def test_issue_batch_prints_each_refused_row_with_its_column_and_message(
    environment: Settings,
    registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good, bad_birth_date, other = distinct_nips(3)
    bad_birth_date = bad_birth_date[:4] + "13" + bad_birth_date[6:]  # month 13
    participants = tmp_path / "peserta.csv"
    participants.write_text(
        "NIP,Nama,Jabatan\n"
        f"{good},Peserta Satu,Analis\n"
        f"{bad_birth_date},Peserta Dua,Analis\n"
        f"{other},,Analis\n",
        encoding="utf-8",
    )
    code = cli_main(
        [
            "issue-batch",
            str(participants),
            "--type",
            "sttp",
            "--activity",
            str(_activity_file(tmp_path)),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert "2 baris daftar peserta tidak valid" in err
    lines = err.splitlines()
    assert re.fullmatch(r"\s*Baris\s+Kolom\s+Keterangan", lines[1]), err
    # Spreadsheet rows: the header is row 1. Each row's column and message, as the API lists them.
    rows = [re.fullmatch(r"\s*(\d+)\s+(\w+)\s+(.+)", line) for line in lines[2:4]]
    assert [(m.group(1), m.group(2)) for m in rows if m] == [("3", "nip"), ("4", "name")], err
    assert all(m and m.group(3).strip() for m in rows)
    with registry.db.reading() as session:
        assert session.execute(select(Document.id)).first() is None


def test_issue_batch_stops_when_the_batch_fails_and_batch_retry_finishes_it(
    environment: Settings,
    registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    merge_files = pdf.merge_files
    attempts: list[int] = []

    def full_disk(paths: list[Path], target: Path) -> None:
        attempts.append(len(paths))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "merge_files", full_disk)
    # Retries follow at once: the test counts attempts, it does not time them.
    monkeypatch.setattr(
        cli_documents, "InProcessQueue", partial(InProcessQueue, retry_base_delay=0.01)
    )
    rows = ["NIP,Nama"] + [f"{nip},Peserta {n}" for n, nip in enumerate(distinct_nips(2))]
    participants = tmp_path / "peserta.csv"
    participants.write_text("\n".join(rows) + "\n", encoding="utf-8")
    activity = _activity_file(tmp_path)

    code = cli_main(
        ["issue-batch", str(participants), "--type", "sttp", "--activity", str(activity)]
    )
    captured = capsys.readouterr()
    assert code == 1, captured.out + captured.err
    assert attempts == [2] * MAX_ATTEMPTS
    with registry.db.reading() as session:
        batch = session.execute(select(Batch)).scalar_one()
    assert batch.status == "failed"
    assert f"batch {batch.id} gagal" in captured.err
    assert "No space left on device" in captured.err
    assert f"satupintu batch retry {batch.id}" in captured.err

    monkeypatch.setattr(pdf, "merge_files", merge_files)  # the disk has room again
    out = tmp_path / "hasil"
    code = cli_main(["batch", "retry", str(batch.id), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert f"batch {batch.id}: done" in captured.out
    assert "terbit 2, batal 0, dari 2" in captured.out
    assert len(PdfReader(out / "gabungan.pdf").pages) == 2

    assert cli_main(["batch", "retry", str(batch.id)]) == 2
    assert "hanya batch yang gagal dapat diulang" in capsys.readouterr().err


def test_templates_check_passes_for_the_shipped_set_and_fails_on_unknown_names(
    environment: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    shipped = sum(
        1 for f in importlib.resources.files("templates_docx").iterdir() if f.name.endswith(".docx")
    )
    assert shipped >= 12  # 11 document templates and the Kartu Data
    assert cli_main(["templates", "check"]) == 0
    assert f"{shipped} of {shipped} templates render cleanly" in capsys.readouterr().out

    broken = tmp_path / "templates"
    shutil.copytree(environment.templates_dir, broken)
    document = Docx(str(broken / "piagam.docx"))
    document.add_paragraph("{{ nama_yang_tidak_ada }}")
    document.save(str(broken / "piagam.docx"))
    monkeypatch.setenv("SATUPINTU_TEMPLATES_DIR", str(broken))
    assert cli_main(["templates", "check"]) == 1
    output = capsys.readouterr().out
    assert "FAIL piagam.docx" in output and "nama_yang_tidak_ada" in output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_worker_needs_postgresql(environment: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["worker"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
