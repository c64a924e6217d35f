"""Reading a list's or a report's filters from the query: what was typed, and what it means.

A filter is typed by a person (or edited in the URL), so every value is trimmed and capped before
it is used or shown back, and a value that cannot mean anything is refused with ``InvalidInput``
naming the field, which the page shows beside it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from registry.domain.kartu import parse_year
from registry.usecases.issuing import Registry


def typed(value: object, limit: int) -> str:
    """A query or form value as typed: trimmed, at most ``limit`` characters (a file is none)."""
    return value.strip()[:limit] if isinstance(value, str) else ""


def typed_filters(query: Mapping[str, object], limits: Mapping[str, int]) -> dict[str, str]:
    """Every filter of ``limits`` (name -> longest value kept) as typed, ``""`` when absent."""
    return {name: typed(query.get(name), limit) for name, limit in limits.items()}


@dataclasses.dataclass(frozen=True)
class ReportFilter:
    """A JP report's year (this year when none is asked) and unit (``None``: the reader's own
    unit for a requester, every unit for the others, as the use case decides)."""

    year: int
    unit: str | None = None


def report_filter(registry: Registry, year: str | None, unit: str | None = None) -> ReportFilter:
    # The unit is not capped here: the use case refuses a code that is too long, by name.
    return ReportFilter(
        parse_year(year, today=registry.local_today()), (unit or "").strip() or None
    )
