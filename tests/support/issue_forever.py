"""Issue documents until killed; print each number once it is committed (used by the crash test)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.actors import Actor
from registry.settings import Settings
from tests.support.drafts import draft


def main(database_url: str, keys_dir: str) -> None:
    data_dir = Path(keys_dir).parent / "data"
    settings = replace(
        Settings.from_env({"SATUPINTU_KEYS_DIR": keys_dir, "SATUPINTU_DATA_DIR": str(data_dir)}),
        database_url=database_url,
    )
    # DOCX only: the crash test is about numbers, and a per-process LibreOffice would dominate it.
    registry = build_registry(
        settings, keyring=KeyRing(Path(keys_dir)), converter=UnavailableConverter()
    )
    actor = Actor(id="crash-test", role="issuer")
    while True:
        number = registry.issue(draft(), actor).document.number
        print(number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
