"""Issue documents until killed; print each number once it is committed (used by the crash test)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from registry.bootstrap import load_catalog
from registry.db.apikeys import Actor
from registry.db.engine import Database
from registry.keystore import KeyRing
from registry.service import Registry
from registry.settings import Settings
from tests.support.drafts import draft


def main(database_url: str, keys_dir: str) -> None:
    settings = replace(
        Settings.from_env({"SATUPINTU_KEYS_DIR": keys_dir}), database_url=database_url
    )
    registry = Registry(
        db=Database.from_url(database_url),
        keyring=KeyRing(Path(keys_dir)),
        catalog=load_catalog(settings),
        settings=settings,
    )
    actor = Actor(id="crash-test", role="issuer")
    while True:
        number = registry.issue(draft(), actor).document.number
        print(number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
