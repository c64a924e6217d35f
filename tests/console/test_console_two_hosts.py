"""The console behind a load balancer: two hosts with their own data dirs share only PostgreSQL.

A form one host rendered must submit on the other (its CSRF token signed with the secret both
share), and a session opened on one is a session on the other.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.console.routing import CSRF_COOKIE
from registry.adapters.db.engine import Database
from registry.adapters.db.secrets import shared_secret
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import CONSOLE_SECRET_NAME, build_registry, console_secret
from registry.settings import Settings
from registry.usecases.accounts import Accounts
from registry.usecases.issuing import Registry
from tests.conftest import BACKENDS
from tests.console.support import PASSWORD, csrf_token

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected"),
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


@pytest.fixture
def other_host(settings: Settings, tmp_path: Path) -> Iterator[Registry]:
    database = Database.from_url(settings.database_url)
    try:
        yield build_registry(
            replace(settings, data_dir=tmp_path / "host-b"),
            db=database,
            converter=UnavailableConverter(),
        )
    finally:
        database.dispose()


def _client(registry: Registry) -> TestClient[Any]:
    return TestClient(create_app(registry=registry), base_url="https://konsol.test")


def test_a_form_from_one_host_submits_on_the_other_and_the_session_holds_on_both(
    registry: Registry, accounts: Accounts, other_host: Registry
) -> None:
    with _client(registry) as host_a, _client(other_host) as host_b:
        token = csrf_token(host_a)
        host_b.cookies.set(CSRF_COOKIE, host_a.cookies[CSRF_COOKIE], domain="konsol.test")
        signed_in = host_b.post(
            "/konsol/masuk",
            data={"username": "andi", "password": PASSWORD, "_csrf_token": token},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303, signed_in.text
        for name, value in host_b.cookies.items():
            host_a.cookies.set(name, value, domain="konsol.test")
        home = host_a.get("/konsol")
        assert home.status_code == 200 and "Nama Andi" in home.text


def test_every_host_reads_the_one_console_secret(
    settings: Settings, db: Database, other_host: Registry
) -> None:
    settings.console_secret_file.unlink(missing_ok=True)
    first = console_secret(settings, db)
    assert console_secret(other_host.settings, other_host.db) == first
    assert len(first) == 64 and not settings.console_secret_file.exists()


def test_an_upgraded_host_keeps_its_data_dir_secret_for_the_deployment(
    settings: Settings, db: Database, other_host: Registry
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.console_secret_file.write_text("a" * 64, encoding="ascii")
    assert console_secret(settings, db) == "a" * 64
    assert console_secret(other_host.settings, other_host.db) == "a" * 64


def test_hosts_starting_at_once_agree_on_the_console_secret(settings: Settings) -> None:
    hosts = [Database.from_url(settings.database_url) for _ in range(6)]
    start = threading.Barrier(len(hosts))

    def start_up(database: Database) -> str:
        start.wait(timeout=30)
        return shared_secret(database, CONSOLE_SECRET_NAME)

    try:
        with ThreadPoolExecutor(len(hosts)) as pool:
            secrets = set(pool.map(start_up, hosts, timeout=60))
    finally:
        for database in hosts:
            database.dispose()
    assert len(secrets) == 1
