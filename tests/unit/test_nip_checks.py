from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from registry.domain.nip_checks import (
    ALLOWANCES,
    PER_ADDRESS,
    PER_HOLDER,
    PER_HOLDER_AND_ADDRESS,
    Scope,
    counter_keys,
    window_start,
)

NIP = "198503152010011012"
WITA = timezone(timedelta(hours=8))


def test_windows_are_fixed_and_aligned_in_utc() -> None:
    quarter = timedelta(minutes=15)
    assert window_start(datetime(2026, 12, 1, 9, 14, 59, tzinfo=UTC), quarter) == datetime(
        2026, 12, 1, 9, 0, tzinfo=UTC
    )
    assert window_start(datetime(2026, 12, 1, 17, 15, tzinfo=WITA), quarter) == datetime(
        2026, 12, 1, 9, 15, tzinfo=UTC
    )


def test_keys_name_neither_the_nip_nor_the_address() -> None:
    keys = counter_keys(NIP, "203.0.113.7", datetime(2026, 12, 1, 9, 20, tzinfo=UTC))
    assert [key.scope for key in keys] == [Scope.HOLDER, Scope.HOLDER_CLIENT, Scope.CLIENT]
    for key in keys:
        assert NIP not in key.subject and "203.0.113" not in key.subject
        assert len(key.subject) == 64
    assert len({key.subject for key in keys}) == 3


def test_the_holder_key_is_shared_and_the_pair_key_is_not() -> None:
    now = datetime(2026, 12, 1, 9, 20, tzinfo=UTC)
    stranger = counter_keys(NIP, "203.0.113.7", now)
    holder = counter_keys(NIP, "198.51.100.20", now)
    assert stranger[0] == holder[0]
    assert stranger[1] != holder[1]


def test_one_address_cannot_spend_the_holders_ceiling() -> None:
    """Within the holder's window, one address is stopped well before the holder's ceiling."""
    assert PER_HOLDER.window == PER_ADDRESS.window
    assert PER_ADDRESS.failures < PER_HOLDER.failures
    windows_per_ceiling = PER_HOLDER.window // PER_HOLDER_AND_ADDRESS.window
    assert PER_HOLDER_AND_ADDRESS.failures * windows_per_ceiling < PER_HOLDER.failures
    assert ALLOWANCES[0] is PER_HOLDER  # locked first: see the adapter's lock order
