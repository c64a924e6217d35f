from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from api.app import create_app
from registry.adapters.db.schema import AuditEntry, Document, NumberCounter
from registry.usecases.issuing import Registry


@pytest.fixture
def client(registry: Registry) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(registry=registry)) as test_client:
        yield test_client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def written_state(registry: Registry) -> tuple[int, int, int]:
    """(documents, highest sequence handed out, audit entries): unchanged means nothing written."""
    with registry.db.reading() as session:
        documents = session.execute(select(func.count()).select_from(Document)).scalar_one()
        last_seq = session.execute(
            select(func.coalesce(func.max(NumberCounter.last_seq), 0))
        ).scalar_one()
        entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return documents, last_seq, entries
