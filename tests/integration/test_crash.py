from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select

from registry.adapters.db.schema import Document
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.support.invariants import assert_numbering_invariant

REPO = Path(__file__).resolve().parents[2]


def test_kill_9_mid_issuance_leaves_no_gap_and_loses_no_answered_number(
    registry: Registry, settings: Settings
) -> None:
    """Two processes issue concurrently; one is killed with SIGKILL in the middle of its work."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "tests.support.issue_forever",
        settings.database_url,
        str(settings.keys_dir),
    ]
    answered: list[str] = []
    survivor_answered: list[str] = []
    with (
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO) as victim,
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO) as survivor,
    ):
        assert victim.stdout is not None and survivor.stdout is not None
        survivor_out = survivor.stdout
        reader = threading.Thread(
            target=lambda: survivor_answered.extend(line.strip() for line in survivor_out),
            daemon=True,
        )
        reader.start()
        try:
            for line in victim.stdout:
                answered.append(line.strip())
                if len(answered) == 25:
                    victim.send_signal(signal.SIGKILL)
                    break
            victim.wait(timeout=30)
            assert victim.returncode == -signal.SIGKILL
        finally:
            victim.kill()
            survivor.kill()
            survivor.wait(timeout=30)
            reader.join(timeout=30)

    with registry.db.reading() as session:
        counts = assert_numbering_invariant(session)
        stored = set(session.execute(select(Document.number)).scalars())
    assert sum(counts.values()) == len(stored) >= 25
    # Every number a client was told about is durable.
    assert set(answered) <= stored
    assert set(survivor_answered) <= stored
