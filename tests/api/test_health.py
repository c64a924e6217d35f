"""/healthz: a 503 problem naming the database when it does not answer; one probe a second."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from api.health import HealthCheck
from registry.adapters.db.engine import Database
from registry.usecases.issuing import Registry


def unreachable_database(registry: Registry, tmp_path: Path) -> Database:
    """The same backend where nothing answers: no server on the port, no directory for the file."""
    if registry.db.is_sqlite:
        return Database.from_url(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'satupintu.db'}")
    return Database.from_url(
        "postgresql+psycopg://postgres@127.0.0.1:9/satupintu?connect_timeout=2"
    )


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(registry: Registry) -> Litestar:
    return create_app(registry=registry)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(app) as test_client:
        yield test_client


def test_a_healthy_service_says_so(client: TestClient[Any]) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_an_unreachable_database_is_a_503_problem_naming_it(
    app: Litestar, client: TestClient[Any], registry: Registry, tmp_path: Path
) -> None:
    down = unreachable_database(registry, tmp_path)
    app.state.health = HealthCheck(down)
    try:
        response = client.get("/healthz")
    finally:
        down.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 503
    assert problem["failed"] == "database"
    assert problem["database"] == "unavailable"
    assert "Basis data tidak dapat dihubungi" in problem["detail"]


def test_the_service_reports_the_database_back_once_it_answers(
    app: Litestar, client: TestClient[Any], registry: Registry, tmp_path: Path
) -> None:
    ticks = Ticks()
    down = unreachable_database(registry, tmp_path)
    checks = HealthCheck(down, monotonic=ticks)
    app.state.health = checks
    try:
        assert client.get("/healthz").status_code == 503
    finally:
        down.dispose()
    checks.db = registry.db  # the database is back
    assert client.get("/healthz").status_code == 503  # the answer of this second
    ticks.now += 1.0
    assert client.get("/healthz").status_code == 200


def test_polling_asks_the_database_once_a_second_however_many_poll(
    app: Litestar, client: TestClient[Any], registry: Registry
) -> None:
    ticks = Ticks()
    checks = HealthCheck(registry.db, monotonic=ticks)
    app.state.health = checks
    for _ in range(20):
        assert client.get("/healthz").status_code == 200
    assert checks.probes == 1
    ticks.now += 1.0
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert checks.probes == 2


def test_concurrent_callers_share_the_one_probe_in_flight(registry: Registry) -> None:
    checks = HealthCheck(registry.db)

    async def many() -> list[str | None]:
        return await asyncio.gather(*(checks.database_failure() for _ in range(50)))

    assert asyncio.run(many()) == [None] * 50
    assert checks.probes == 1
