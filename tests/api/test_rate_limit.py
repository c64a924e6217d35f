"""SATUPINTU_VERIFY_RATE_LIMIT on the public verification endpoints: a 429 with Retry-After."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.views import DocumentView
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.support.drafts import draft

LIMIT = 3


def limited_app(settings: Settings, db: Database, keyring: KeyRing, limit: int) -> Litestar:
    registry = build_registry(
        replace(settings, verify_rate_limit=limit),
        db=db,
        keyring=keyring,
        converter=UnavailableConverter(),
    )
    return create_app(registry=registry)


@pytest.fixture
def app(settings: Settings, db: Database, keyring: KeyRing) -> Litestar:
    return limited_app(settings, db, keyring, LIMIT)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def token(registry: Registry, api_keys: Keys) -> str:
    issued: DocumentView = registry.issue(draft(), api_keys.issuer.actor).document
    return issued.verify_url.rsplit("/", 1)[1]


def assert_refused(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert response.headers["cache-control"] == "no-store"
    return retry_after


def test_past_the_limit_the_api_answers_a_429_problem_with_retry_after(
    client: TestClient[Any], token: str
) -> None:
    for _ in range(LIMIT):
        assert client.get(f"/api/v1/verify/{token}").json()["status"] == "valid"
    response = client.get(f"/api/v1/verify/{token}")
    retry_after = assert_refused(response)
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 429
    assert problem["title"] == "Terlalu banyak permintaan"
    assert f"Coba lagi dalam {retry_after} detik" in problem["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"  # security headers still


@pytest.mark.parametrize("path", ["/v/{token}", "/v/{token}/nip", "/v/{token}/file"])
def test_the_pages_answer_an_indonesian_page(
    client: TestClient[Any], token: str, path: str
) -> None:
    for _ in range(LIMIT):
        assert client.get(f"/v/{token}").status_code == 200
    url = path.format(token=token)
    response = (
        client.get(url)
        if path == "/v/{token}"
        else client.post(url, data={"nip": "1"}, files={"file": ("a.pdf", b"%PDF-1.4")})
        if path.endswith("/file")
        else client.post(url, data={"nip": "199001012015011001"})
    )
    assert_refused(response)
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="id">' in response.text
    assert "Terlalu banyak permintaan" in response.text
    assert "content-security-policy" in response.headers


def test_the_file_check_of_the_api_is_limited_too(client: TestClient[Any], token: str) -> None:
    for _ in range(LIMIT):
        client.get(f"/api/v1/verify/{token}")
    response = client.post("/api/v1/verify/file", files={"file": ("a.pdf", b"%PDF-1.4")})
    assert_refused(response)


def test_another_address_is_not_affected(
    app: Litestar, client: TestClient[Any], token: str
) -> None:
    for _ in range(LIMIT):
        client.get(f"/api/v1/verify/{token}")
    assert client.get(f"/api/v1/verify/{token}").status_code == 429

    async def from_elsewhere() -> int:
        transport = httpx.ASGITransport(app=app, client=("10.20.30.40", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as other:
            return (await other.get(f"/api/v1/verify/{token}")).status_code

    assert asyncio.run(from_elsewhere()) == 200


def test_the_public_keys_are_not_limited(client: TestClient[Any], token: str) -> None:
    for _ in range(LIMIT):
        client.get(f"/api/v1/verify/{token}")
    assert client.get("/.well-known/jwks.json").status_code == 200


def test_zero_turns_the_limit_off(
    settings: Settings, db: Database, keyring: KeyRing, token: str
) -> None:
    app = limited_app(settings, db, keyring, 0)
    assert app.state.rate_limiter is None
    with TestClient(app) as unlimited:
        for _ in range(LIMIT * 4):
            assert unlimited.get(f"/api/v1/verify/{token}").status_code == 200


def test_the_default_limit_is_600_a_minute() -> None:
    assert Settings.from_env({}).verify_rate_limit == 600
    assert Settings.from_env({"SATUPINTU_VERIFY_RATE_LIMIT": "0"}).verify_rate_limit == 0
