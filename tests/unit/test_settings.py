"""Settings.from_env, always from an explicit mapping (never the real environment)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from registry.domain.content import DEFAULT_LEGAL_BASIS
from registry.domain.errors import ConfigurationError
from registry.domain.jp import DEFAULT_RULE_SET, RULE_SETS
from registry.settings import Settings, default_public_url


def test_defaults() -> None:
    settings = Settings.from_env({})
    data_dir = Path("./data").resolve()
    assert settings.data_dir == data_dir
    assert settings.data_dir.is_absolute()
    assert settings.database_url == f"sqlite:///{data_dir / 'satupintu.db'}"
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.timezone == "Asia/Jakarta"
    assert settings.zone == ZoneInfo("Asia/Jakarta")
    assert settings.jp_rules == "tangsel-2022"
    assert settings.keys_dir == Path("./keys").resolve()
    assert settings.key_passphrase is None
    assert settings.series_file == data_dir / "series.toml"


def test_empty_mapping_does_not_read_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SATUPINTU_TIMEZONE", "Asia/Makassar")
    assert Settings.from_env({}).timezone == "Asia/Jakarta"


def test_sqlite_url_follows_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"SATUPINTU_DATA_DIR": str(tmp_path / "data")})
    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'satupintu.db'}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////srv/satupintu.db", "sqlite:////srv/satupintu.db"),
    ],
)
def test_database_url_normalised(url: str, expected: str) -> None:
    assert Settings.from_env({"SATUPINTU_DATABASE_URL": url}).database_url == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://verifikasi.bpsdm.go.id/", "https://verifikasi.bpsdm.go.id"),
        ("https://verifikasi.bpsdm.go.id///", "https://verifikasi.bpsdm.go.id"),
        ("https://pemda.go.id/satupintu/", "https://pemda.go.id/satupintu"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_public_url_trailing_slash_stripped(url: str, expected: str) -> None:
    assert Settings.from_env({"SATUPINTU_PUBLIC_URL": url}).public_url == expected


@pytest.mark.parametrize(
    "url", ["verifikasi.bpsdm.go.id", "//verifikasi.bpsdm.go.id", "ftp://h", "javascript:alert(1)"]
)
def test_public_url_without_http_scheme_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        Settings.from_env({"SATUPINTU_PUBLIC_URL": url})


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_indonesian_timezones_accepted(zone: str) -> None:
    assert Settings.from_env({"SATUPINTU_TIMEZONE": zone}).zone == ZoneInfo(zone)


@pytest.mark.parametrize("zone", ["Asia/Bandung", "WIB", "", "../etc/passwd", "/etc/localtime"])
def test_unknown_timezone_refused(zone: str) -> None:
    with pytest.raises(ConfigurationError):
        Settings.from_env({"SATUPINTU_TIMEZONE": zone})


@pytest.mark.parametrize("name", list(RULE_SETS))
def test_every_rule_set_is_a_setting_choice_with_a_legal_basis(name: str) -> None:
    # One definition (registry.domain.jp.RULE_SETS); everything else follows it.
    assert Settings.from_env({"SATUPINTU_JP_RULES": name}).jp_rules == name
    assert DEFAULT_LEGAL_BASIS[name]


def test_legal_bases_cover_exactly_the_rule_sets() -> None:
    assert set(DEFAULT_LEGAL_BASIS) == set(RULE_SETS)
    assert Settings.from_env({}).jp_rules == DEFAULT_RULE_SET


def test_rule_sets() -> None:
    assert Settings.from_env({"SATUPINTU_JP_RULES": "kubar-2024"}).jp_rules == "kubar-2024"
    with pytest.raises(ConfigurationError, match="tangsel-2022"):
        Settings.from_env({"SATUPINTU_JP_RULES": "jakarta-2020"})


def test_passphrase() -> None:
    assert Settings.from_env({"SATUPINTU_KEY_PASSPHRASE": "rahasia"}).key_passphrase == b"rahasia"
    assert Settings.from_env({"SATUPINTU_KEY_PASSPHRASE": ""}).key_passphrase is None


@pytest.mark.parametrize("value", ["BPSDM Kaltim", ""])
def test_the_removed_issuer_setting_is_refused_not_ignored(value: str) -> None:
    # The issuer comes from agency.toml; an ignored variable would change signed records unseen.
    with pytest.raises(ConfigurationError, match=r"SATUPINTU_ISSUER_NAME.*short_name"):
        Settings.from_env({"SATUPINTU_ISSUER_NAME": value})


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("10.0.0.5", 8080, "http://10.0.0.5:8080"),
        ("satupintu.bpsdm.go.id", 80, "http://satupintu.bpsdm.go.id:80"),
        ("::1", 9000, "http://[::1]:9000"),
        # A wildcard bind is no address a phone can open: loopback, which is then warned about.
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),  # noqa: S104 - a value, not a bind
        ("::", 9000, "http://127.0.0.1:9000"),
    ],
)
def test_default_public_url_follows_the_listener(host: str, port: int, expected: str) -> None:
    assert default_public_url(host, port) == expected


def test_unset_public_url_is_the_default_listener() -> None:
    assert Settings.from_env({}).public_url == default_public_url("127.0.0.1", 8000)


def test_upload_request_cap_follows_the_upload_limit() -> None:
    settings = Settings.from_env({"SATUPINTU_MAX_UPLOAD_BYTES": "5000000"})
    one = settings.upload_request_bytes()
    assert 5_000_000 + settings.max_body_bytes < one < 5_000_000 + settings.max_body_bytes + 100_000
    # A form with several file inputs may fill each of them.
    assert settings.upload_request_bytes(files=5) == one + 4 * 5_000_000
    assert Settings.from_env({}).upload_request_bytes() < 22_000_000
