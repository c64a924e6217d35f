"""Every verification answer forbids caching: a shared cache must never replay `valid` after a
revocation, nor keep an error (a 422 today may be a 200 once the document exists)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from registry.domain.views import DocumentView
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.support.drafts import draft

FORGED_TOKEN = "A" * 108


@pytest.fixture
def issued(registry: Registry, api_keys: Keys) -> DocumentView:
    return registry.issue(draft(), api_keys.issuer.actor).document


def token_of(document: DocumentView) -> str:
    return document.verify_url.rsplit("/", 1)[1]


def short_code_of(document: DocumentView) -> str:
    assert document.short_url is not None
    return document.short_url.rsplit("/", 1)[1]


def assert_not_cacheable(response: httpx.Response) -> None:
    assert response.headers.get("cache-control") == "no-store", (
        response.request.method,
        response.request.url,
        response.status_code,
        response.headers.get("cache-control"),
    )


def test_the_verify_json_of_a_document_is_never_cached_before_or_after_revocation(
    client: TestClient[Any], registry: Registry, api_keys: Keys, issued: DocumentView
) -> None:
    for typed in (token_of(issued), short_code_of(issued)):
        response = client.get(f"/api/v1/verify/{typed}")
        assert response.json()["status"] == "valid"
        assert_not_cacheable(response)
    registry.revoke(issued.id, "Salah peserta", api_keys.issuer.actor)
    for typed in (token_of(issued), short_code_of(issued)):
        response = client.get(f"/api/v1/verify/{typed}")
        assert response.json()["status"] == "revoked"
        assert_not_cacheable(response)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(FORGED_TOKEN, id="forged-token"),
        pytest.param("zzzz-zzzz-zzzz", id="code-of-no-document"),
        pytest.param("abc", id="not-a-code"),
    ],
)
def test_verify_json_and_page_of_what_is_no_document_are_never_cached(
    client: TestClient[Any], issued: DocumentView, typed: str
) -> None:
    for path in (f"/api/v1/verify/{typed}", f"/v/{typed}"):
        response = client.get(path)
        assert response.status_code == 200
        assert_not_cacheable(response)


def test_the_code_box_and_its_redirect_are_never_cached(
    client: TestClient[Any], issued: DocumentView
) -> None:
    assert_not_cacheable(client.get("/v"))
    redirect = client.get(f"/v?kode={short_code_of(issued).upper()}", follow_redirects=False)
    assert redirect.status_code == 303
    assert_not_cacheable(redirect)


def test_file_verification_answers_and_refusals_are_never_cached(
    client: TestClient[Any], issued: DocumentView
) -> None:
    answered = client.post("/api/v1/verify/file", files={"file": ("x.pdf", b"%PDF-1.7 none")})
    assert answered.status_code == 200
    assert answered.json()["status"] == "no_match"
    assert_not_cacheable(answered)
    refused = client.post("/api/v1/verify/file", files={"other": ("x.pdf", b"%PDF-1.7")})
    assert refused.status_code in (400, 422)
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert_not_cacheable(refused)


def test_page_forms_answers_and_refusals_are_never_cached(
    client: TestClient[Any], issued: DocumentView
) -> None:
    token = token_of(issued)
    assert_not_cacheable(client.post(f"/v/{token}/nip", data={"nip": "198503152010011012"}))
    assert_not_cacheable(
        client.post(f"/v/{token}/file", files={"file": ("x.pdf", b"%PDF-1.7 none")})
    )
    refused = client.post(
        f"/v/{token}/file", content=b"{}", headers={"content-type": "application/json"}
    )
    assert refused.status_code >= 400
    assert_not_cacheable(refused)


def test_the_published_keys_stay_cacheable(client: TestClient[Any]) -> None:
    # Public keys change only on rotation, and an old key stays published: caching is safe.
    assert client.get("/.well-known/jwks.json").headers["cache-control"] == "public, max-age=300"
