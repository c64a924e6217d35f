"""Stopping the app leaves no thread of it behind to use the database after it is disposed.

A thread still inside a query when the engine is disposed keeps its connection; the connection is
then closed by nobody (CI saw psycopg's "deleted while still open" warning land on a later test).
"""

from __future__ import annotations

import threading

import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.usecases.batches import Batches
from registry.usecases.issuing import Registry


def test_stopping_the_app_waits_for_its_start_up_resume_to_finish(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    resuming = threading.Event()
    slow_resume_done = threading.Event()
    real_resume = Batches.resume

    def slow_resume(self: Batches, **kwargs: object) -> int:
        resuming.set()
        slow_resume_done.wait(timeout=0.5)  # still at work when the app is told to stop
        return real_resume(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Batches, "resume", slow_resume)
    with TestClient(create_app(registry=registry)):
        assert resuming.wait(timeout=10)

    alive = [t.name for t in threading.enumerate() if t.name.startswith("satupintu-")]
    assert "satupintu-resume" not in alive
