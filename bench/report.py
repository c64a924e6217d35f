"""The pure parts every benchmark shares: ratios against a baseline, the numbering invariant, and
the plain-text tables they print. No I/O here, so they are tested without a server."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """A target ratio: ``at_least`` for throughput, ``at_most`` for latency."""

    limit: float
    at_least: bool

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.at_least else ratio <= self.limit

    def describe(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:g}"


def ratio(measured: float, baseline: float) -> float:
    """``measured / baseline``; a baseline of zero or less means the baseline run failed."""
    if baseline <= 0:
        raise ValueError(f"the baseline must be positive, got {baseline!r}")
    return measured / baseline


def verdict(value: float, goal: Goal) -> str:
    return f"{value:.2f} x (goal {goal.describe()}: {'met' if goal.met(value) else 'MISSED'})"


def median_ms(seconds: Sequence[float]) -> float:
    return statistics.median(seconds) * 1000


@dataclass(frozen=True)
class SequenceCheck:
    """Whether the sequence numbers taken in one series and year are exactly 1..N."""

    count: int
    duplicates: tuple[int, ...]
    missing: tuple[int, ...]
    out_of_range: tuple[int, ...]

    @property
    def holds(self) -> bool:
        return not (self.duplicates or self.missing or self.out_of_range)

    def describe(self) -> str:
        if self.holds:
            return f"1..{self.count}, no duplicate, no gap"
        problems = []
        for label, values in (
            ("duplicates", self.duplicates),
            ("missing", self.missing),
            ("out of range", self.out_of_range),
        ):
            if values:
                shown = ", ".join(map(str, values[:10])) + (" ..." if len(values) > 10 else "")
                problems.append(f"{label} ({len(values)}): {shown}")
        return "BROKEN: " + "; ".join(problems)


def check_sequence(seqs: Iterable[int], expected: int | None = None) -> SequenceCheck:
    """Check numbers against 1..N, where N is ``expected`` (how many were taken) or the count.

    Passing ``expected`` also catches numbers lost wholesale (N taken, fewer recorded).
    """
    counts = Counter(seqs)
    total = expected if expected is not None else sum(counts.values())
    return SequenceCheck(
        count=total,
        duplicates=tuple(sorted(seq for seq, seen in counts.items() if seen > 1)),
        missing=tuple(seq for seq in range(1, total + 1) if seq not in counts),
        out_of_range=tuple(sorted(seq for seq in counts if not 1 <= seq <= total)),
    )


def rss_growth(peaks_mb: Sequence[tuple[int, float]], tolerance_mb: float) -> str:
    """Describe peak RSS over batch sizes: ``flat`` unless a larger batch raised the peak more
    than ``tolerance_mb`` (allocator noise) above the smallest batch's peak."""
    if not peaks_mb:
        raise ValueError("no batch measured")
    ordered = sorted(peaks_mb)
    smallest_size, smallest_peak = ordered[0]
    grown = [(size, peak) for size, peak in ordered[1:] if peak - smallest_peak > tolerance_mb]
    if not grown:
        return f"flat (within {tolerance_mb:g} MB of the batch of {smallest_size})"
    size, peak = grown[-1]
    return f"GROWS: {peak - smallest_peak:+.0f} MB from the batch of {smallest_size} to {size}"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    cells = [[str(cell) for cell in headers]] + [[_cell(cell) for cell in row] for row in rows]
    width = len(headers)
    if any(len(row) != width for row in cells):
        raise ValueError("every row needs one cell per header")
    widths = [max(len(row[column]) for row in cells) for column in range(width)]

    def line(row: list[str]) -> str:
        first, *rest = row
        parts = [first.ljust(widths[0])] + [
            cell.rjust(widths[n + 1]) for n, cell in enumerate(rest)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
