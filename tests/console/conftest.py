"""Fixtures of the console page tests: a unit or two, one account per role, an https client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.domain.actors import CLI_ACTOR
from registry.domain.units import UnitDraft
from registry.usecases.accounts import Accounts, UserDraft
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.console.support import PASSWORD, USERS


@pytest.fixture
def accounts(registry: Registry) -> Accounts:
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"), CLI_ACTOR)
    units.save(UnitDraft("BAPPEDA", "Badan Perencanaan Pembangunan Daerah"), CLI_ACTOR)
    accounts = Accounts(registry.db, now=registry.now)
    for username, (role, unit) in USERS.items():
        draft = UserDraft(username, role, unit, display_name=f"Nama {username.title()}")
        accounts.create_user(draft, CLI_ACTOR, password=PASSWORD)
    return accounts


@pytest.fixture
def console(registry: Registry, accounts: Accounts) -> Iterator[TestClient[Any]]:
    # The settings' public URL is https, so cookies are Secure: the client must speak https.
    app = create_app(registry=registry)
    with TestClient(app, base_url="https://konsol.test") as client:
        yield client
