from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.cli import main as cli_main
from registry.adapters.db.apikeys import authenticate, list_keys
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import Actor
from registry.domain.errors import ConfigurationError
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.support.drafts import draft


def test_init_is_idempotent_and_creates_one_key(settings: Settings) -> None:
    first = initialize(settings)
    assert any(item.startswith("signing key") for item in first.created)
    assert initialize(settings).created == []
    assert len(KeyRing(settings.keys_dir).list()) == 1


def test_init_refuses_to_replace_lost_keys_over_signed_documents(settings: Settings) -> None:
    initialize(settings)
    database = Database.from_url(settings.database_url)
    try:
        registry = build_registry(settings, db=database, converter=UnavailableConverter())
        registry.issue(draft(), Actor(id="t", role="issuer"))
    finally:
        database.dispose()
    shutil.rmtree(settings.keys_dir)
    with pytest.raises(ConfigurationError, match="tidak berisi kunci"):
        initialize(settings)
    assert not settings.keys_dir.exists() or not any(settings.keys_dir.iterdir())


def test_rotation_keeps_old_documents_valid(registry: Registry) -> None:
    issuer = Actor(id="t", role="issuer")
    before = registry.issue(draft(), issuer).document
    new_kid = registry.keyring.generate()
    after = registry.issue(draft(), issuer).document
    assert before.kid != new_kid == after.kid
    assert registry.verify(before.token).status == "valid"
    assert registry.verify(after.token).status == "valid"
    assert {key["kid"] for key in registry.keyring.jwks()["keys"]} == {before.kid, new_kid}


def test_cli_apikey_create_prints_key_last_and_it_authenticates(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    assert cli_main(["unit", "add", "DPUPR", "--name", "Dinas PU"]) == 0
    assert cli_main(["apikey", "create", "--role", "requester", "--unit", "DPUPR"]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    database = Database.from_url(settings.database_url)
    try:
        with database.reading() as session:
            actor = authenticate(session, secret)
        assert actor is not None and actor.role == "requester" and actor.unit_code == "DPUPR"
        assert cli_main(["apikey", "revoke", actor.id]) == 0
        with database.reading() as session:
            assert authenticate(session, secret) is None
    finally:
        database.dispose()
    assert cli_main(["apikey", "create", "--role", "requester"]) == 2  # a requester needs a unit
    assert "unit" in capsys.readouterr().err


def test_cli_refuses_a_requester_key_for_a_unit_that_is_not_registered(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A requester key belongs to one unit: a typo in --unit must not make a key that can file
    for no unit at all (its requests would be refused) or for a unit registered later by chance."""
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    assert cli_main(["unit", "add", "DPUPR", "--name", "Dinas PU"]) == 0
    capsys.readouterr()
    assert cli_main(["apikey", "create", "--role", "requester", "--unit", "DPUPRR"]) == 2
    captured = capsys.readouterr()
    assert "Unit 'DPUPRR' belum terdaftar" in captured.err
    assert "satupintu unit add DPUPRR" in captured.err
    assert "sp_" not in captured.out  # no key was printed
    database = Database.from_url(settings.database_url)
    try:
        with database.reading() as session:
            assert [key.unit_code for key in list_keys(session)] == []
    finally:
        database.dispose()
    # Issuers and auditors belong to no unit: a --unit does not bind them, and is not checked.
    assert cli_main(["apikey", "create", "--role", "auditor"]) == 0
    assert cli_main(["apikey", "create", "--role", "requester", "--unit", "DPUPR"]) == 0


def test_cli_keys_rotate_and_list(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    assert cli_main(["init"]) == 0
    assert cli_main(["keys", "rotate"]) == 0
    capsys.readouterr()
    assert cli_main(["keys", "list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[-1].endswith("active")
    assert cli_main(["audit", "verify"]) == 0


def test_issuer_comes_from_agency_toml_and_earlier_records_keep_verifying(
    settings: Settings, db: Database, keyring: KeyRing
) -> None:
    issuer = Actor(id="t", role="issuer")
    initialize(settings, db)
    before = build_registry(settings, db=db, keyring=keyring, converter=UnavailableConverter())
    earlier = before.issue(draft(), issuer).document
    assert earlier.issuer == "BPSDM"  # short_name of the shipped agency.toml
    text = settings.agency_file.read_text(encoding="utf-8")
    settings.agency_file.write_text(
        text.replace('short_name = "BPSDM"', 'short_name = "BPSDM Kaltim"'), encoding="utf-8"
    )
    after = build_registry(settings, db=db, keyring=keyring, converter=UnavailableConverter())
    later = after.issue(draft(), issuer).document
    assert later.issuer == "BPSDM Kaltim"
    new = after.verify(later.token)
    assert new.signed is not None and json.loads(new.signed)["issuer"] == "BPSDM Kaltim"
    # The earlier record was signed naming "BPSDM": it still says so and still verifies.
    old = after.verify(earlier.token)
    assert old.status == "valid"
    assert old.signed is not None and json.loads(old.signed)["issuer"] == "BPSDM"
    assert old.document is not None and old.document.issuer == "BPSDM"


def _serve_and_issue(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[dict[str, Any], str]:
    """``satupintu serve ARGS`` with uvicorn replaced by an app factory that issues one document.

    Returns uvicorn's arguments and the verify URL of the document the factory's settings made.
    """
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    served: dict[str, Any] = {}

    def run(app: str, **options: Any) -> None:
        served.update(options, app=app)
        # What uvicorn's worker does: the factory builds its settings from the environment.
        registry = build_registry(Settings.from_env(), converter=UnavailableConverter())
        try:
            issued = registry.issue(draft(), Actor(id="t", role="issuer")).document
            served["verify_url"] = issued.verify_url
        finally:
            registry.db.dispose()

    monkeypatch.setattr(uvicorn, "run", run)
    assert cli_main(["serve", *args]) == 0
    verify_url: str = served.pop("verify_url")
    return served, verify_url


def test_serve_port_puts_that_port_into_the_qr(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Recorded first, so the environment is restored after the command sets the default.
    monkeypatch.setenv("SATUPINTU_PUBLIC_URL", "")
    monkeypatch.delenv("SATUPINTU_PUBLIC_URL")
    served, verify_url = _serve_and_issue(settings, monkeypatch, "--port", "9000")
    assert served["port"] == 9000
    assert verify_url.startswith("http://127.0.0.1:9000/v/")


def test_serve_keeps_a_configured_public_url(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUPINTU_PUBLIC_URL", "https://verifikasi.bpsdm.go.id")
    _, verify_url = _serve_and_issue(settings, monkeypatch, "--host", "10.0.0.5", "--port", "9000")
    assert verify_url.startswith("https://verifikasi.bpsdm.go.id/v/")


@pytest.mark.parametrize("command", ["init", "serve"])
def test_a_corrupt_key_file_stops_start_up_with_its_name(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SATUPINTU_PUBLIC_URL", "https://verifikasi.bpsdm.go.id")
    assert cli_main(["init"]) == 0
    (key_file,) = settings.keys_dir.glob("*.key")
    key_file.write_bytes(key_file.read_bytes()[:40])
    capsys.readouterr()

    def run(*_: Any, **__: Any) -> None:
        raise AssertionError("the server must not start with a corrupt key")

    monkeypatch.setattr(uvicorn, "run", run)
    assert cli_main([command]) != 0
    err = capsys.readouterr().err
    assert err.startswith("satupintu: Berkas kunci rusak") and str(key_file) in err, err
