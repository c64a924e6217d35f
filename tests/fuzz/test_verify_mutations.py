"""The service answers ``invalid`` to every mutation of a real document's token (SQLite and
PostgreSQL): a changed token never finds the document, nor any other status."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.domain.tokens import TOKEN_LENGTH
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.support.drafts import draft


def test_every_mutated_token_of_an_issued_document_is_invalid(
    registry: Registry, api_keys: Keys
) -> None:
    token = registry.issue(draft(), api_keys.issuer.actor, None).document.token
    assert registry.verify(token).status == "valid"
    checked = 0

    @given(
        position=st.integers(0, TOKEN_LENGTH - 1),
        char=st.one_of(st.sampled_from("AQgw-_+/=0"), st.characters()),
    )
    @settings(max_examples=60, derandomize=True, database=None, deadline=None)
    def mutate(position: int, char: str) -> None:
        nonlocal checked
        if char == token[position]:
            return
        checked += 1
        mutated = token[:position] + char + token[position + 1 :]
        assert registry.verify(mutated).status == "invalid", mutated

    mutate()
    assert checked >= 50
