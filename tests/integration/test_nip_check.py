"""The NIP check of the verification page: what is compared, what is counted, and who is locked."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from registry.adapters.db.schema import NipCheckCounter
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput
from registry.domain.nip_checks import PER_ADDRESS, PER_HOLDER, PER_HOLDER_AND_ADDRESS
from registry.usecases.issuing import Registry
from tests.conftest import Clock, Keys
from tests.support.drafts import PNS_NIP, PPPK_NIP, draft

STRANGER = "203.0.113.7"
HOLDER_PHONE = "198.51.100.20"
PER_PAIR = PER_HOLDER_AND_ADDRESS.failures

MALFORMED = [
    "",
    "   ",
    "1",
    "abc",
    "1985031520100110129",
    "１９８５０３１５２０１００１１０１２",  # full-width digits
    "١٩٨٥٠٣١٥٢٠١٠٠١١٠١٢",  # Arabic-Indic digits
]


def token_of(registry: Registry, issuer: Actor, **changes: str) -> str:
    return registry.issue(draft(**changes), issuer).document.verify_url.rsplit("/", 1)[1]


def counted_failures(registry: Registry) -> int:
    with registry.db.reading() as session:
        return session.execute(
            select(func.coalesce(func.sum(NipCheckCounter.failures), 0))
        ).scalar_one()


@pytest.mark.parametrize("candidate", MALFORMED)
def test_a_malformed_nip_is_refused_and_neither_compared_nor_counted(
    registry: Registry, api_keys: Keys, candidate: str
) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    with pytest.raises(InvalidInput) as refused:
        registry.confirm_nip(token, candidate, client=HOLDER_PHONE)
    assert refused.value.field == "nip"
    assert "NIP" in refused.value.message
    assert counted_failures(registry) == 0


def test_empty_submissions_do_not_lock_the_holder_out(registry: Registry, api_keys: Keys) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    for _ in range(10):
        with pytest.raises(InvalidInput):
            registry.confirm_nip(token, "", client=STRANGER)
    assert registry.confirm_nip(token, PNS_NIP, client=STRANGER) == "match"


def wrong_nip(day: int) -> str:
    """A well-formed NIP that is not the holder's: another birth date, same rest."""
    return f"1985{1 + day // 28 % 12:02d}{1 + day % 28:02d}2010011012"


def test_a_strangers_failures_do_not_lock_the_holder_out(
    registry: Registry, api_keys: Keys
) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    for day in range(PER_PAIR):
        assert registry.confirm_nip(token, wrong_nip(day), client=STRANGER) == "no_match"
    assert registry.confirm_nip(token, PNS_NIP, client=STRANGER) == "locked"
    assert registry.confirm_nip(token, PNS_NIP, client=HOLDER_PHONE) == "match"


def test_an_address_is_free_again_after_its_short_window(
    registry: Registry, api_keys: Keys, clock: Clock
) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    clock.current = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for day in range(PER_PAIR):
        registry.confirm_nip(token, wrong_nip(day), client=STRANGER)
    clock.current += PER_HOLDER_AND_ADDRESS.window - timedelta(seconds=1)
    assert registry.confirm_nip(token, PNS_NIP, client=STRANGER) == "locked"
    clock.current += timedelta(seconds=1)
    assert registry.confirm_nip(token, PNS_NIP, client=STRANGER) == "match"


def test_guesses_across_one_holders_documents_share_one_budget(
    registry: Registry, api_keys: Keys
) -> None:
    issuer = api_keys.issuer.actor
    tokens = [token_of(registry, issuer, title=f"Pelatihan {index}") for index in range(3)]
    someone_else = token_of(registry, issuer, nip=PPPK_NIP, name="Budi")
    for day in range(PER_PAIR):
        assert registry.confirm_nip(tokens[day % 3], wrong_nip(day), client=STRANGER) == "no_match"
    for token in tokens:
        assert registry.confirm_nip(token, PNS_NIP, client=STRANGER) == "locked"
    assert registry.confirm_nip(someone_else, PPPK_NIP, client=STRANGER) == "match"


def test_the_holder_ceiling_holds_for_any_number_of_addresses(
    registry: Registry, api_keys: Keys
) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    for guess in range(PER_HOLDER.failures):
        address = f"10.0.{guess // (PER_PAIR - 1)}.1"  # each address stays under its own limit
        assert registry.confirm_nip(token, wrong_nip(guess), client=address) == "no_match"
    assert registry.confirm_nip(token, PNS_NIP, client="10.9.9.9") == "locked"
    assert PER_HOLDER.failures > PER_HOLDER_AND_ADDRESS.failures * 2  # one stranger cannot reach it


def test_one_address_has_a_ceiling_across_holders(registry: Registry, api_keys: Keys) -> None:
    issuer = api_keys.issuer.actor
    holders = [f"1985031520100110{index:02d}" for index in range(11, 11 + 6)]
    tokens = [token_of(registry, issuer, nip=nip, name=f"Pegawai {nip[-2:]}") for nip in holders]
    for guess in range(PER_ADDRESS.failures):
        token = tokens[guess // (PER_PAIR - 1)]
        assert registry.confirm_nip(token, "199001012015011001", client=STRANGER) == "no_match"
    last_token, last_nip = tokens[-1], holders[-1]
    assert registry.confirm_nip(last_token, last_nip, client=STRANGER) == "locked"
    assert registry.confirm_nip(last_token, last_nip, client=HOLDER_PHONE) == "match"


@pytest.mark.parametrize(
    ("addresses", "limit"),
    [(1, PER_PAIR), (PER_HOLDER.failures + 10, PER_HOLDER.failures)],
    ids=["one-address", "many-addresses"],
)
def test_parallel_guesses_get_at_most_the_limit_of_answers(
    registry: Registry, api_keys: Keys, addresses: int, limit: int
) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    guesses = max(30, addresses)
    start = threading.Barrier(guesses)

    def guess(index: int) -> str:
        start.wait()
        return registry.confirm_nip(token, wrong_nip(index), client=f"10.1.{index % addresses}.1")

    with ThreadPoolExecutor(max_workers=guesses) as pool:
        answers = Counter(pool.map(guess, range(guesses)))
    assert answers == {"no_match": limit, "locked": guesses - limit}
    with registry.db.reading() as session:
        holder_failures = session.execute(
            select(NipCheckCounter.failures).where(NipCheckCounter.scope == "holder")
        ).scalar_one()
    assert holder_failures == limit
