"""Looking into a FileStore from tests: which files it holds."""

from __future__ import annotations

from registry.adapters.files import FileStore


def is_stored(store: FileStore, sha256: str) -> bool:
    return store.path(sha256).is_file()


def stored_hashes(store: FileStore) -> set[str]:
    """Every file's hash, read from the directory layout ``<root>/<sha[:2]>/<sha>``."""
    if not store.root.exists():
        return set()
    return {
        entry.name
        for directory in store.root.iterdir()
        if directory.is_dir() and len(directory.name) == 2
        for entry in directory.iterdir()
        if len(entry.name) == 64
    }
