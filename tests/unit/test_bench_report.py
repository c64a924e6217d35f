"""The pure parts of the benchmarks: ratios, goals, the numbering invariant and the tables."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from bench.report import Goal, check_sequence, ratio, rss_growth, table, verdict
from bench.run import _sizes
from registry.domain.nip import parse_employee_number
from tests.support.drafts import distinct_nips


def test_ratio_divides_by_the_baseline_and_refuses_a_failed_one() -> None:
    assert ratio(3.0, 4.0) == 0.75
    with pytest.raises(ValueError, match="baseline"):
        ratio(1.0, 0.0)


def test_goals_for_throughput_and_latency_point_opposite_ways() -> None:
    throughput, latency = Goal(0.75, at_least=True), Goal(1.25, at_least=False)
    assert throughput.met(0.75) and not throughput.met(0.74)
    assert latency.met(1.25) and not latency.met(1.26)
    assert verdict(0.7, throughput) == "0.70 x (goal >= 0.75: MISSED)"
    assert verdict(1.1, latency) == "1.10 x (goal <= 1.25: met)"


def test_numbers_one_to_n_in_any_order_hold() -> None:
    check = check_sequence([3, 1, 2, 5, 4])
    assert check.holds
    assert check.describe() == "1..5, no duplicate, no gap"


def test_a_duplicate_and_the_gap_it_hides_are_both_reported() -> None:
    check = check_sequence([1, 2, 2, 4])
    assert not check.holds
    assert check.duplicates == (2,)
    assert check.missing == (3,)
    assert check.describe() == "BROKEN: duplicates (1): 2; missing (1): 3"


def test_numbers_taken_but_never_recorded_break_the_invariant() -> None:
    check = check_sequence([1, 2, 3], expected=5)
    assert check.missing == (4, 5)
    assert not check.holds


def test_a_number_past_the_count_is_out_of_range() -> None:
    check = check_sequence([1, 2, 7])
    assert check.out_of_range == (7,)
    assert check.missing == (3,)


def test_peak_rss_within_the_tolerance_is_flat() -> None:
    assert rss_growth([(2000, 170.0), (500, 160.0)], 25) == (
        "flat (within 25 MB of the batch of 500)"
    )


def test_peak_rss_that_grows_with_the_batch_is_named() -> None:
    assert rss_growth([(500, 160.0), (2000, 420.0)], 25) == (
        "GROWS: +260 MB from the batch of 500 to 2000"
    )


def test_a_table_aligns_its_columns() -> None:
    text = table(("side", "rate"), [("bare SQL", 81.7), ("service", "24.3")])
    assert text.splitlines() == [
        "side       rate",
        "--------  -----",
        "bare SQL  81.70",
        "service    24.3",
    ]


def test_a_row_with_a_missing_cell_is_refused() -> None:
    with pytest.raises(ValueError, match="one cell per header"):
        table(("a", "b"), [("only one",)])


def test_batch_sizes_are_read_from_a_comma_list() -> None:
    assert _sizes("500,2000") == (500, 2000)
    for bad in ("", "0,5", "five"):
        with pytest.raises(argparse.ArgumentTypeError):
            _sizes(bad)


def test_a_batch_of_two_thousand_gets_distinct_valid_nips() -> None:
    # The benchmark's batch of 2,000 was refused: from the 1,999th the sex digit became 3.
    nips = distinct_nips(2000)
    assert len(set(nips)) == 2000
    for nip in nips:
        parse_employee_number(nip, today=date(2026, 12, 1))
