"""Approve one request and stall at a chosen point until killed (used by the request crash test).

Each point lies between the commit that numbers the letter (and links it to the request) and the
commit that marks the request approved:

* ``render``: the letter is numbered, linked and ``pending``; its files are not made yet.
* ``before_mark``: the letter is ``issued``; the request is not yet marked approved.
* ``in_mark``: inside the transaction that marks the request approved (its row locked, its
  changes and audit entry sent to the database), before that transaction commits.

"stalled" is printed (and flushed) once the point is reached; nothing after it ever runs.
"""

from __future__ import annotations

import sys
import threading
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from registry.adapters.db import audit
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.actors import Actor
from registry.settings import Settings
from registry.usecases.requests import Requests

STALL_POINTS = ("render", "before_mark", "in_mark")


def _stall(*_: Any, **__: Any) -> Any:
    print("stalled", flush=True)
    threading.Event().wait()  # the test's SIGKILL lands here


def main(database_url: str, keys_dir: str, request_id: str, stall_at: str) -> None:
    if stall_at not in STALL_POINTS:
        raise SystemExit(f"stall point must be one of {', '.join(STALL_POINTS)}")
    data_dir = Path(keys_dir).parent / "data"
    settings = replace(
        Settings.from_env({"SATUPINTU_KEYS_DIR": keys_dir, "SATUPINTU_DATA_DIR": str(data_dir)}),
        database_url=database_url,
    )
    # DOCX only: the test is about the letter and its number, not PDF conversion.
    registry = build_registry(
        settings, keyring=KeyRing(Path(keys_dir)), converter=UnavailableConverter()
    )
    requests = Requests(registry)

    if stall_at == "render":
        registry.production.render_docx = _stall  # type: ignore[method-assign]
    elif stall_at == "before_mark":
        requests._mark_approved = _stall  # type: ignore[method-assign]
    else:
        append = audit.append

        def append_then_stall(session: Any, **entry: Any) -> Any:
            appended = append(session, **entry)
            if entry.get("action") == "request.approve":
                session.flush()  # the row's update and the entry reach the database, uncommitted
                _stall()
            return appended

        audit.append = append_then_stall  # every caller looks it up on the module

    requests.approve(uuid.UUID(request_id), Actor(id="crash-test", role="issuer"))
    print("approved", flush=True)  # only if no stall point was reached: the test fails on it


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
