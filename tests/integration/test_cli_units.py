"""``satupintu unit add|list`` and ``satupintu roster import`` on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main as cli_main
from registry.settings import Settings
from tests.support.drafts import PNS_NIP, distinct_nips


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    return settings


def test_units_are_added_listed_and_their_rosters_imported(
    environment: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = [
        "--head-name",
        "Ir. Bambang Sutrisno, M.T.",
        "--head-nip",
        "19780512 200312 1 002",
        "--head-rank",
        "Pembina Utama Muda (IV/c)",
        "--head-position",
        "Kepala Dinas",
    ]
    assert cli_main(["unit", "add", "DPUPR", "--name", "Dinas PU", *head]) == 0
    assert "added DPUPR" in capsys.readouterr().out
    assert cli_main(["unit", "add", "DPUPR", "--name", "Dinas PUPR", *head]) == 0
    assert "updated DPUPR" in capsys.readouterr().out
    a, b = distinct_nips(2)
    roster = tmp_path / "pegawai.csv"
    roster.write_text(f"NIP,Nama,Status\n{a},Andi,PNS\n{b},Budi,PNS\n", encoding="utf-8")
    assert cli_main(["roster", "import", str(roster), "--unit", "DPUPR"]) == 0
    assert "2 new" in capsys.readouterr().out
    assert cli_main(["unit", "list"]) == 0
    listed = capsys.readouterr().out
    assert "DPUPR" in listed and "2 employees" in listed and "Bambang" in listed


def test_bad_roster_rows_print_the_row_column_table_and_exit_2(
    environment: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["unit", "add", "DPUPR", "--name", "Dinas PU"]) == 0
    roster = tmp_path / "pegawai.csv"
    roster.write_text(
        f"NIP,Nama,Jenis Jabatan\n{PNS_NIP},Andi,struktural\n123,Budi,pelaksana\n"
        f"{distinct_nips(2)[1]},Citra,tenaga ahli\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert cli_main(["roster", "import", str(roster), "--unit", "DPUPR"]) == 2
    errors = capsys.readouterr().err
    assert "tidak ada pegawai yang diimpor" in errors
    lines = [line.split() for line in errors.splitlines()[1:]]
    assert [line[:2] for line in lines] == [["Baris", "Kolom"], ["3", "nip"], ["4", "jabatan_type"]]
    assert cli_main(["roster", "import", str(roster), "--unit", "NOPE"]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err
