"""Splitting the scale-out load and reporting it against one process."""

from __future__ import annotations

import pytest

from bench.report import check_sequence
from bench.scale_out import Step, scale_out_report, split


def test_the_load_splits_into_near_equal_batches() -> None:
    assert split(200, 1) == [200]
    assert split(10, 4) == [3, 3, 2, 2]
    assert sum(split(2001, 4)) == 2001


def test_a_split_with_an_empty_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        split(3, 4)


def test_each_step_is_compared_with_one_process() -> None:
    steps = [
        Step(1, 100, 50.0, check_sequence(range(1, 105))),
        Step(2, 100, 40.0, check_sequence([*range(1, 100), 100, 100])),
    ]
    report = scale_out_report(steps).splitlines()
    assert report[2].split()[-9:-5] == ["50.0", "2.00", "1.00", "x"]
    assert "2.50  1.25 x" in report[3]
    assert "BROKEN: duplicates (1): 100" in report[3]
