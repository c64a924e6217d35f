"""Every response carries the security headers: JSON, schema, docs, pages, errors, files."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.security_headers import (
    NOTHING_POLICY,
    PAGE_POLICY,
    PDF_POLICY,
    content_security_policy,
    missing_headers,
)
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Keys

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
HSTS = "strict-transport-security"


def assert_secured(response: Any, policy: str | None) -> None:
    for name, value in COMMON.items():
        assert response.headers.get_list(name) == [value], (name, response.headers)
    policies = response.headers.get_list("content-security-policy")
    assert len(policies) == 1, policies
    assert "frame-ancestors 'none'" in policies[0]
    if policy is not None:
        assert policies[0] == policy


@pytest.mark.parametrize(
    ("path", "status", "policy"),
    [
        ("/healthz", 200, NOTHING_POLICY),
        ("/schema/openapi.json", 200, NOTHING_POLICY),
        ("/schema/openapi.yaml", 200, NOTHING_POLICY),
        ("/.well-known/jwks.json", 200, NOTHING_POLICY),
        ("/api/v1/tidak-ada", 404, NOTHING_POLICY),
        ("/api/v1/documents", 401, NOTHING_POLICY),
        ("/konsol/masuk", 200, PAGE_POLICY),
        ("/konsol/tidak-ada", 404, NOTHING_POLICY),
        ("/konsol/static/console.css", 200, NOTHING_POLICY),
        # The verification pages keep their own, stricter policy (no script at all).
        ("/v", 200, None),
        ("/v/bukan-token", 200, None),
    ],
)
def test_every_kind_of_response_is_secured(
    client: TestClient[Any], path: str, status: int, policy: str | None
) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == status, response.text
    assert_secured(response, policy)
    # The settings fixture serves https: browsers are told to stay on it.
    assert response.headers.get_list(HSTS) == ["max-age=63072000"]


def test_a_refused_body_is_secured_too(client: TestClient[Any], api_keys: Keys) -> None:
    response = client.post(
        "/api/v1/jp/calculate",
        json={"path": "coaching", "scope": "nasional", "sessions": []},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert_secured(response, NOTHING_POLICY)


def test_the_verification_page_keeps_its_own_policy(client: TestClient[Any]) -> None:
    policy = client.get("/v").headers["content-security-policy"]
    # Stricter than the console's: no script, not even the service's own.
    assert "script-src" not in policy
    assert policy.startswith("default-src 'none'")


def test_the_console_page_loads_only_its_own_stylesheets(client: TestClient[Any]) -> None:
    page = client.get("/konsol/masuk")
    stylesheets = [
        line.split('href="', 1)[1].split('"', 1)[0]
        for line in page.text.splitlines()
        if 'rel="stylesheet"' in line
    ]
    assert stylesheets, page.text
    for href in stylesheets:
        assert href.startswith("/konsol/static/"), href
        assert client.get(href).status_code == 200
    assert "<script" not in page.text and " style=" not in page.text


def test_no_hsts_over_plain_http(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        registry, "settings", replace(registry.settings, public_url="http://10.0.0.5:8000")
    )
    with TestClient(create_app(registry=registry)) as plain:
        response = plain.get("/healthz")
    assert_secured(response, NOTHING_POLICY)
    assert HSTS not in response.headers


@pytest.mark.parametrize(
    ("content_type", "policy"),
    [
        ("application/json", NOTHING_POLICY),
        ("application/problem+json", NOTHING_POLICY),
        ("text/css; charset=utf-8", NOTHING_POLICY),
        ("image/png", NOTHING_POLICY),
        ("", NOTHING_POLICY),
        ("text/html; charset=utf-8", PAGE_POLICY),
        # Chrome draws a PDF in a page of its own that a default-src would leave blank.
        ("application/pdf", PDF_POLICY),
    ],
)
def test_the_policy_fits_the_media_type(content_type: str, policy: str) -> None:
    assert content_security_policy(content_type) == policy


def test_headers_a_response_has_are_not_added_again() -> None:
    added = missing_headers(
        "text/html", ["Content-Security-Policy", "referrer-policy"], https=False
    )
    assert dict(added) == {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
    assert "Strict-Transport-Security" in dict(missing_headers("text/html", [], https=True))
