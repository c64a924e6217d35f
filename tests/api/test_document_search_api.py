"""``GET /api/v1/documents?name=``: part of the holder's name, any case, as far as the key sees."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.support.drafts import distinct_nips, draft


def test_a_name_finds_part_of_the_holders_name_and_a_requester_stays_in_its_unit(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    nips = distinct_nips(3)
    issuer = api_keys.issuer.actor
    own = registry.issue(draft(nip=nips[0], name="Dra. Siti Aminah", unit_code="DPUPR"), issuer)
    other = registry.issue(draft(nip=nips[1], name="Siti Aminah", unit_code="DINKES"), issuer)
    registry.issue(draft(nip=nips[2], name="Budi Santoso", unit_code="DPUPR"), issuer)

    def listed(secret: str, query: str) -> set[str]:
        answer = client.get(f"/api/v1/documents{query}", headers=bearer(secret))
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()["items"]}

    both = {str(own.document.id), str(other.document.id)}
    assert listed(api_keys.auditor.secret, "?name=AMINAH") == both
    assert listed(api_keys.requester.secret, "?name=aminah") == {str(own.document.id)}
    assert listed(api_keys.issuer.secret, "?name=aminah&unit_code=DINKES") == {
        str(other.document.id)
    }
