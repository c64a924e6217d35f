"""How many wrong NIPs the public verification page answers, and to whom.

The page compares a typed NIP with a document's signed commitment. The masked NIP on the page shows
all but the 8 birth-date digits, so an unlimited check would let anyone walk the ~20,000
plausible birth dates; a limit that only counts per document let a stranger lock the holder out
with a few guesses, and let a holder's several documents multiply the budget. So failures are
counted in three allowances at once, each in fixed windows:

* per holder and client address: the one that stops a person; it is short, so a holder who
  mistyped five times waits at most a quarter of an hour;
* per client address across every holder: one address cannot sweep many holders;
* per holder across every address: the ceiling on how fast anyone, with any number of
  addresses, walks one holder's birth dates. It is well above what one address can spend on
  the holder in its window, so a single stranger cannot lock the holder out from another
  address.

A holder is keyed by the NIP the server already holds for each document (every document of the
person shares it), stored only as a digest so the counter table is no second copy of the NIPs.
Pure: the caller gives the time and the address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum


class Scope(StrEnum):
    HOLDER = "holder"
    HOLDER_CLIENT = "holder_client"
    CLIENT = "client"


@dataclass(frozen=True)
class Allowance:
    scope: Scope
    failures: int  # failed comparisons answered in one window; the next check is "locked"
    window: timedelta


PER_HOLDER_AND_ADDRESS = Allowance(Scope.HOLDER_CLIENT, 5, timedelta(minutes=15))
PER_ADDRESS = Allowance(Scope.CLIENT, 20, timedelta(hours=1))
PER_HOLDER = Allowance(Scope.HOLDER, 30, timedelta(hours=1))

#: In the order their counters are locked: every check of one holder meets at the holder's
#: counter first, so two checks can only ever wait on each other in one direction.
ALLOWANCES = (PER_HOLDER, PER_HOLDER_AND_ADDRESS, PER_ADDRESS)

#: Counters older than this are of no use to any allowance.
KEPT_FOR = max(allowance.window for allowance in ALLOWANCES)

_DOMAIN = b"satupintu/nip-check/v1\x00"


@dataclass(frozen=True)
class CounterKey:
    scope: Scope
    subject: str  # hex SHA-256 of what is counted: never the NIP or the address itself
    window_start: datetime


def window_start(moment: datetime, window: timedelta) -> datetime:
    """The start of the fixed window holding ``moment`` (UTC, aligned to the epoch)."""
    seconds = int(window.total_seconds())
    stamp = int(moment.astimezone(UTC).timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, UTC)


def counter_keys(holder_nip: str, client: str, now: datetime) -> list[CounterKey]:
    """The counters one check of ``holder_nip``'s documents from ``client`` is judged by."""
    parts = {
        Scope.HOLDER: (holder_nip,),
        Scope.HOLDER_CLIENT: (holder_nip, client),
        Scope.CLIENT: (client,),
    }
    return [
        CounterKey(
            allowance.scope,
            _digest(allowance.scope, *parts[allowance.scope]),
            window_start(now, allowance.window),
        )
        for allowance in ALLOWANCES
    ]


def limit_of(scope: Scope) -> int:
    return next(allowance.failures for allowance in ALLOWANCES if allowance.scope is scope)


def _digest(scope: Scope, *parts: str) -> str:
    data = _DOMAIN + scope.value.encode() + b"".join(b"\x00" + part.encode() for part in parts)
    return hashlib.sha256(data).hexdigest()
