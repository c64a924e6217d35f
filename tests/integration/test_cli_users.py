"""``satupintu user create|list|disable`` on both backends."""

from __future__ import annotations

import pytest

from api.cli import main as cli_main
from registry.adapters.db.engine import Database
from registry.adapters.password_list import common_passwords
from registry.domain.passwords import password_problem
from registry.settings import Settings
from registry.usecases.accounts import Accounts
from registry.usecases.issuing import utc_now


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    return settings


def test_the_first_admin_gets_a_one_time_password_on_the_last_line(
    environment: Settings, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["user", "create", "Admin", "--role", "admin", "--name", "Admin BPSDM"]) == 0
    out = capsys.readouterr().out.splitlines()
    password = out[-1]
    assert "admin" in out[0]
    assert password_problem(password, username="admin", common=common_passwords()) is None
    signed_in = Accounts(db, now=utc_now).sign_in("admin", password)
    assert signed_in.user.role == "admin"
    assert signed_in.user.display_name == "Admin BPSDM"
    assert cli_main(["user", "list"]) == 0
    assert "Admin BPSDM" in capsys.readouterr().out
    assert cli_main(["user", "disable", "admin"]) == 0
    assert "disabled admin" in capsys.readouterr().out


def test_a_requester_needs_a_registered_unit(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["user", "create", "siti", "--role", "requester"]) == 2
    assert "harus terikat pada satu unit" in capsys.readouterr().err
    assert cli_main(["user", "create", "siti", "--role", "requester", "--unit", "DPUPR"]) == 2
    assert "belum terdaftar" in capsys.readouterr().err
    assert cli_main(["unit", "add", "DPUPR", "--name", "Dinas PUPR"]) == 0
    capsys.readouterr()
    assert cli_main(["user", "create", "siti", "--role", "requester", "--unit", "DPUPR"]) == 0
    assert "unit: DPUPR" in capsys.readouterr().out
