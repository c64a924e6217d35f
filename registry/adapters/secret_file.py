"""A secret kept in the data dir, made on first use and shared by every service process."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from registry.adapters.private_files import private_dir, private_file


def read_or_create_secret(path: Path) -> str:
    """The secret in ``path``; created (mode 0600) when missing. Processes starting together
    agree: only one creates the file (``O_EXCL``), the others read what it wrote."""
    if not path.exists():
        private_dir(path.parent)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(32))
    private_file(path)
    for _ in range(50):
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
        # Another process created the file a moment ago and is still writing it.
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty; delete it to have a new secret made")
