"""The NIP check of the verification page: what is compared, what is counted, and who is locked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.adapters.db.schema import NipCheckWindow
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.support.drafts import PNS_NIP, draft

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
            select(func.coalesce(func.sum(NipCheckWindow.failures), 0))
        ).scalar_one()


@pytest.mark.parametrize("candidate", MALFORMED)
def test_a_malformed_nip_is_refused_and_neither_compared_nor_counted(
    registry: Registry, api_keys: Keys, candidate: str
) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    with pytest.raises(InvalidInput) as refused:
        registry.confirm_nip(token, candidate)
    assert refused.value.field == "nip"
    assert "NIP" in refused.value.message
    assert counted_failures(registry) == 0


def test_empty_submissions_do_not_lock_the_holder_out(registry: Registry, api_keys: Keys) -> None:
    token = token_of(registry, api_keys.issuer.actor)
    for _ in range(10):
        with pytest.raises(InvalidInput):
            registry.confirm_nip(token, "")
    assert registry.confirm_nip(token, PNS_NIP) == "match"
