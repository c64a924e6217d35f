"""What the Schemathesis run found, each as the plain request that showed it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.domain.units import UnitDraft
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.conftest import Keys


@pytest.fixture
def client(registry: Registry) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(registry=registry)) as test_client:
        yield test_client


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, f"{value!r} names no offset: not an RFC 3339 date-time"
    return moment


def test_unit_timestamps_are_rfc3339_date_times(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    # SQLite hands timestamps back without their offset; the schema promises a date-time.
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft(code="DPUPR", name="Dinas PU"), api_keys.issuer.actor)
    headers = {"Authorization": f"Bearer {api_keys.issuer.secret}"}

    listed = client.get("/api/v1/units", headers=headers)
    one = client.get("/api/v1/units/DPUPR", headers=headers)

    assert listed.status_code == 200
    assert one.status_code == 200
    for unit in (listed.json()["units"][0], one.json()):
        _aware(unit["created_at"])
        _aware(unit["updated_at"])
