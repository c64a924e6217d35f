"""Issue one batch and render it until killed (used by the batch crash test)."""

from __future__ import annotations

import itertools
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from registry.adapters.jobs import InProcessQueue
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.adapters.spreadsheets import read_recipients
from registry.bootstrap import build_registry
from registry.domain.actors import Actor
from registry.domain.batch_rows import draft_for, validate_batch
from registry.settings import Settings
from registry.usecases.batches import Batches
from tests.integration.test_batches import activity, participants_csv


def main(database_url: str, keys_dir: str, count: int, stall_after: int) -> None:
    data_dir = Path(keys_dir).parent / "data"
    settings = replace(
        Settings.from_env({"SATUPINTU_KEYS_DIR": keys_dir, "SATUPINTU_DATA_DIR": str(data_dir)}),
        database_url=database_url,
    )
    registry = build_registry(
        settings, keyring=KeyRing(Path(keys_dir)), converter=UnavailableConverter()
    )
    production = registry.production
    render = production.render_docx
    rendered = itertools.count(1)
    never = threading.Event()

    def render_then_stall(plan: object) -> bytes:
        if next(rendered) > stall_after:
            never.wait()  # the test's kill lands here, with the rest of the batch pending
        return render(plan)  # type: ignore[arg-type]

    production.render_docx = render_then_stall  # type: ignore[method-assign]
    recipients = read_recipients(participants_csv(count), filename="p.csv", media_type=None)
    shared = activity()

    def build(recipient: object) -> object:
        return draft_for(
            recipient,  # type: ignore[arg-type]
            type="sttp",
            activity=shared,
            unit_code="DPUPR",
            series=None,
            details=None,
        )

    valid = validate_batch(recipients, build, registry.validate)  # type: ignore[arg-type]
    batches = Batches(registry)
    batches.queue = InProcessQueue(batches.handlers, workers=1)
    batches.issue([build(r) for r in recipients], valid, Actor(id="crash", role="issuer"))  # type: ignore[misc]
    time.sleep(600)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
