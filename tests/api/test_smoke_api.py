from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.support.drafts import body


def test_issue_then_verify_over_http(client: TestClient[Any], api_keys: Keys) -> None:
    response = client.post("/api/v1/documents", json=body(), headers=bearer(api_keys.issuer.secret))
    assert response.status_code == 201, response.text
    token = response.json()["verify_url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/verify/{token}").json()["status"] == "valid"
