"""Looking into the service's file store from tests, through the interface every store has."""

from __future__ import annotations

from registry.adapters.files import FileStore


def is_stored(store: FileStore, sha256: str) -> bool:
    return store.exists(sha256)


def stored_hashes(store: FileStore) -> set[str]:
    """Every stored file's hash, whichever store holds them (a directory or the database)."""
    return store.hashes()
