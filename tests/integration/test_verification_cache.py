"""Verification answers kept in memory: a revocation shows on every process within the TTL.

Two registries on one database stand for two service processes. Each keeps its own answers; the
one that revokes forgets its own at once, the other reads the status again once its TTL passes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import event

from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.views import DocumentView
from registry.settings import Settings
from registry.usecases.issuing import Registry
from registry.usecases.recent_answers import RecentAnswers
from tests.conftest import Keys
from tests.support.drafts import draft


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def other_process(settings: Settings, registry: Registry) -> Iterator[Registry]:
    """A second service process: its own engine, key ring and answers, the same database."""
    database = Database.from_url(settings.database_url)
    other = build_registry(
        settings,
        db=database,
        keyring=KeyRing(settings.keys_dir),
        converter=UnavailableConverter(),
    )
    yield other
    database.dispose()


def token_of(document: DocumentView) -> str:
    return document.verify_url.rsplit("/", 1)[1]


class Statements:
    """Counts the SQL statements a database runs."""

    def __init__(self, database: Database) -> None:
        self.count = 0
        event.listen(database.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


def test_a_revocation_on_another_process_shows_once_the_ttl_has_passed(
    registry: Registry, other_process: Registry, api_keys: Keys
) -> None:
    issued = registry.issue(draft(), api_keys.issuer.actor).document
    token = token_of(issued)
    ticks = Ticks()
    other_process.verifier.answers = RecentAnswers(ttl=2.0, monotonic=ticks)
    assert other_process.verify(token).status == "valid"

    registry.revoke(issued.id, "Salah peserta", api_keys.issuer.actor)

    ticks.now += 1.9
    assert other_process.verify(token).status == "valid"  # within the promised window
    ticks.now += 0.1
    answer = other_process.verify(token)
    assert answer.status == "revoked"
    assert answer.revocation_reason == "Salah peserta"


def test_a_revocation_on_this_process_shows_at_once(registry: Registry, api_keys: Keys) -> None:
    issued = registry.issue(draft(), api_keys.issuer.actor).document
    registry.verifier.answers = RecentAnswers(ttl=60.0)
    assert registry.verify(token_of(issued)).status == "valid"
    assert registry.verifier.recent(token_of(issued)) is not None

    registry.revoke(issued.id, "Salah peserta", api_keys.issuer.actor)

    assert registry.verifier.recent(token_of(issued)) is None
    assert registry.verify(token_of(issued)).status == "revoked"


def test_a_supersede_on_another_process_shows_once_the_ttl_has_passed(
    registry: Registry, other_process: Registry, api_keys: Keys
) -> None:
    issued = registry.issue(draft(), api_keys.issuer.actor).document
    ticks = Ticks()
    other_process.verifier.answers = RecentAnswers(ttl=2.0, monotonic=ticks)
    assert other_process.verify(token_of(issued)).status == "valid"

    replacement = registry.supersede(
        issued.id, draft(name="Budi Santoso"), "Nama salah", api_keys.issuer.actor
    ).document

    ticks.now += 2.0
    answer = other_process.verify(token_of(issued))
    assert answer.status == "superseded"
    assert answer.superseded_by_number == replacement.number


def test_a_kept_answer_is_rechecked_with_one_narrow_read_and_not_rebuilt(
    registry: Registry, api_keys: Keys
) -> None:
    issued = registry.issue(draft(), api_keys.issuer.actor).document
    ticks = Ticks()
    registry.verifier.answers = RecentAnswers(ttl=2.0, monotonic=ticks)
    first = registry.verify(token_of(issued))
    statements = Statements(registry.db)

    assert registry.verify(token_of(issued)) is first
    assert statements.count == 0  # fresh: from memory
    ticks.now += 2.0
    assert registry.verifier.recent(token_of(issued)) is None  # stale: the handler must read
    assert registry.verify(token_of(issued)) is first
    reads = statements.count
    assert reads >= 1
    assert registry.verify(token_of(issued)) is first
    assert statements.count == reads  # renewed for another TTL


def test_the_background_refresh_keeps_answers_fresh_and_drops_a_revoked_one(
    registry: Registry, other_process: Registry, api_keys: Keys
) -> None:
    kept, revoked = (registry.issue(draft(), api_keys.issuer.actor).document for _ in range(2))
    ticks = Ticks()
    other_process.verifier.answers = RecentAnswers(ttl=2.0, monotonic=ticks)
    for document in (kept, revoked):
        assert other_process.verify(token_of(document)).status == "valid"
    registry.revoke(revoked.id, "Salah peserta", api_keys.issuer.actor)

    ticks.now += 1.0
    other_process.verifier.refresh_kept()
    ticks.now += 1.5  # past the TTL of the first read, within that of the refresh

    assert other_process.verifier.recent(token_of(kept)) is not None
    assert other_process.verifier.recent(token_of(revoked)) is None
    assert other_process.verify(token_of(revoked)).status == "revoked"


def test_forged_tokens_are_never_kept(registry: Registry) -> None:
    registry.verifier.answers = RecentAnswers(ttl=60.0)
    for forged in ("A" * 108, "B" * 108, "tidak-ada"):
        assert registry.verify(forged).status in ("invalid", "unknown")
    assert len(registry.verifier.answers) == 0


def test_a_cache_of_zero_seconds_reads_every_time(
    settings: Settings, registry: Registry, other_process: Registry, api_keys: Keys
) -> None:
    issued = registry.issue(draft(), api_keys.issuer.actor).document
    other_process.verifier.answers = RecentAnswers(ttl=0)
    assert other_process.verify(token_of(issued)).status == "valid"
    registry.revoke(issued.id, "Salah peserta", api_keys.issuer.actor)
    assert other_process.verify(token_of(issued)).status == "revoked"


def test_the_configured_ttl_holds_in_real_time(
    settings: Settings, registry: Registry, api_keys: Keys
) -> None:
    """The same with the real clock, configured down to 0.2 s the way an operator would."""
    database = Database.from_url(settings.database_url)
    fast = build_registry(
        replace(settings, verify_cache_seconds=0.2),
        db=database,
        keyring=KeyRing(settings.keys_dir),
        converter=UnavailableConverter(),
    )
    try:
        issued = registry.issue(draft(), api_keys.issuer.actor).document
        assert fast.verify(token_of(issued)).status == "valid"
        registry.revoke(issued.id, "Salah peserta", api_keys.issuer.actor)
        deadline = time.monotonic() + 5
        while fast.verify(token_of(issued)).status != "revoked":
            assert time.monotonic() < deadline, "the revocation never showed"
            time.sleep(0.05)
    finally:
        database.dispose()
