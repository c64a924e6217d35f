"""The document commands: issue-batch, templates check, worker."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document as Docx
from pypdf import PdfReader
from sqlalchemy import select

from api.cli import main as cli_main
from registry.adapters.db.schema import Document
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


def test_templates_check_passes_for_the_shipped_set_and_fails_on_unknown_names(
    environment: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    assert cli_main(["templates", "check"]) == 0
    assert "9 of 9 templates render cleanly" in capsys.readouterr().out

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
