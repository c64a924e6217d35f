"""Idempotency-Key over HTTP: a retry returns the same document and takes no new number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from registry.adapters.db import apikeys
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.support.drafts import body

DOCUMENTS = "/api/v1/documents"


def _issue(
    client: TestClient[Any], secret: str, key: str | None, payload: dict[str, Any] | None = None
) -> httpx.Response:
    headers = bearer(secret) | ({"Idempotency-Key": key} if key is not None else {})
    return client.post(DOCUMENTS, json=payload or body(), headers=headers)


def _assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    return problem


def test_same_key_same_body_replays_the_first_answer(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    start = written_state(registry)
    first = _issue(client, api_keys.issuer.secret, "pelatihan-2026-001")
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    after_first = written_state(registry)
    assert after_first[:2] == (start[0] + 1, start[1] + 1)

    second = _issue(client, api_keys.issuer.secret, "pelatihan-2026-001")
    assert second.status_code == 201, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["number"] == first.json()["number"]
    assert second.json() == first.json()
    # Exactly one number taken, one document, and the replay writes no audit entry either.
    assert written_state(registry) == after_first

    listed = client.get(DOCUMENTS, headers=bearer(api_keys.auditor.secret)).json()["items"]
    assert [item["id"] for item in listed] == [first.json()["id"]]


def test_same_key_different_body_is_409(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    first = _issue(client, api_keys.issuer.secret, "k-1")
    assert first.status_code == 201, first.text
    before = written_state(registry)
    changed = body(**{"recipient.name": "Budi Santoso, S.T."})
    problem = _assert_problem(_issue(client, api_keys.issuer.secret, "k-1", changed), 409)
    assert problem.get("field") == "Idempotency-Key"
    assert written_state(registry) == before
    # The original is still what the key replays.
    again = _issue(client, api_keys.issuer.secret, "k-1")
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["recipient"]["name"] == body()["recipient"]["name"]


def test_different_keys_take_different_numbers(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    start = written_state(registry)
    first = _issue(client, api_keys.issuer.secret, "k-1")
    second = _issue(client, api_keys.issuer.secret, "k-2")
    assert (first.status_code, second.status_code) == (201, 201)
    assert "idempotent-replayed" not in second.headers
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["number"] != second.json()["number"]
    assert written_state(registry)[:2] == (start[0] + 2, start[1] + 2)


def test_no_key_means_no_deduplication(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    first = _issue(client, api_keys.issuer.secret, None)
    second = _issue(client, api_keys.issuer.secret, None)
    assert first.json()["number"] != second.json()["number"]
    assert "idempotent-replayed" not in second.headers


def test_each_issuer_key_has_its_own_namespace(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    with registry.db.writing() as session:
        second_issuer = apikeys.create_key(
            session, role="issuer", unit_code=None, name="UPT Diklat", now=datetime.now(UTC)
        )
    mine = _issue(client, api_keys.issuer.secret, "shared-key")
    theirs = _issue(client, second_issuer.secret, "shared-key")
    assert (mine.status_code, theirs.status_code) == (201, 201), theirs.text
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert theirs.json()["number"] != mine.json()["number"]
    # A different body under the same key is no conflict across namespaces either.
    other = body(**{"recipient.name": "Budi"})
    with registry.db.writing() as session:
        third_issuer = apikeys.create_key(
            session, role="issuer", unit_code=None, name="Biro", now=datetime.now(UTC)
        )
    assert _issue(client, third_issuer.secret, "shared-key", other).status_code == 201
    # And each key still replays its own document.
    before = written_state(registry)
    assert _issue(client, api_keys.issuer.secret, "shared-key").json()["id"] == mine.json()["id"]
    assert _issue(client, second_issuer.secret, "shared-key").json()["id"] == theirs.json()["id"]
    assert written_state(registry) == before


def test_key_used_for_issue_cannot_be_reused_for_revoke(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    issued = _issue(client, api_keys.issuer.secret, "k-1")
    before = written_state(registry)
    response = client.post(
        f"{DOCUMENTS}/{issued.json()['id']}/revoke",
        json={"reason": "salah"},
        headers=bearer(api_keys.issuer.secret) | {"Idempotency-Key": "k-1"},
    )
    _assert_problem(response, 409)
    assert written_state(registry) == before
    assert (
        client.get(
            f"{DOCUMENTS}/{issued.json()['id']}", headers=bearer(api_keys.issuer.secret)
        ).json()["status"]
        == "issued"
    )


def test_retried_revoke_is_answered_not_refused(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    issued = _issue(client, api_keys.issuer.secret, None).json()
    headers = bearer(api_keys.issuer.secret) | {"Idempotency-Key": "cabut-1"}
    url = f"{DOCUMENTS}/{issued['id']}/revoke"
    first = client.post(url, json={"reason": "salah nama"}, headers=headers)
    assert first.status_code == 200, first.text
    before = written_state(registry)
    second = client.post(url, json={"reason": "salah nama"}, headers=headers)
    assert second.status_code == 200, second.text
    assert second.json()["status"] == "revoked"
    assert second.json()["revoked_at"] == first.json()["revoked_at"]
    assert written_state(registry) == before


def test_retried_supersede_replays_the_replacement(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    issued = _issue(client, api_keys.issuer.secret, None).json()
    headers = bearer(api_keys.issuer.secret) | {"Idempotency-Key": "ganti-1"}
    url = f"{DOCUMENTS}/{issued['id']}/supersede"
    payload = {**body(**{"recipient.name": "Dra. Siti Aminah, M.Si., M.M."}), "reason": "gelar"}
    first = client.post(url, json=payload, headers=headers)
    assert first.status_code == 201, first.text
    before = written_state(registry)
    second = client.post(url, json=payload, headers=headers)
    assert second.status_code == 201, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["number"] == first.json()["number"]
    assert written_state(registry) == before


@pytest.mark.parametrize(
    "key",
    [pytest.param("x" * 201, id="too-long"), pytest.param("tab\there", id="not-printable")],
)
def test_unusable_idempotency_key_is_refused(
    client: TestClient[Any], registry: Registry, api_keys: Keys, key: str
) -> None:
    before = written_state(registry)
    problem = _assert_problem(_issue(client, api_keys.issuer.secret, key), 422)
    assert problem.get("field") == "Idempotency-Key"
    assert written_state(registry) == before
