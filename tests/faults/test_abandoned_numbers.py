"""A number left pending by an outage is finished by the running service, not only at restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import api.app
from api.app import Background
from registry.adapters.db.schema import Document
from registry.domain.actors import Actor
from registry.usecases.batches import STALE_PENDING
from registry.usecases.issuing import Registry
from tests.conftest import Clock
from tests.faults.server import wait_for
from tests.support.drafts import draft
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="issuer-test", role="issuer")


def test_the_running_service_finishes_a_number_an_outage_left_pending(
    registry: Registry, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_gone(*_: Any, **__: Any) -> None:
        raise OperationalError(
            "UPDATE documents ...", {}, Exception("server closed the connection")
        )

    # The outage begins after the numbering transaction: neither the files nor the void get in.
    with monkeypatch.context() as outage:
        outage.setattr(registry, "record_files", database_gone)
        outage.setattr(registry, "void", database_gone)
        with pytest.raises(OperationalError):
            registry.issue(draft(unit_code=None), ISSUER)
    with registry.db.reading() as session:
        [left] = session.execute(select(Document)).scalars()
    assert left.status == "pending"

    monkeypatch.setattr(api.app, "ABANDONED_SWEEP_SECONDS", 0.05)
    background = Background(registry, registry.settings, embedded_worker=False)
    background.start()
    try:
        clock.current = datetime.now(UTC) + STALE_PENDING - timedelta(minutes=1)
        with registry.db.reading() as session:
            assert session.get_one(Document, left.id).status == "pending"  # not abandoned yet
        clock.current = datetime.now(UTC) + STALE_PENDING + timedelta(minutes=1)
        wait_for(
            lambda: registry.get(left.id, ISSUER).status == "issued",
            "the sweep to finish the abandoned number",
            timeout=30,
        )
    finally:
        background.stop()
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 1
