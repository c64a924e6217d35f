"""docs/activity-paths.md is generated from jp.py's tables, so it cannot drift from them.

The tables between the ``<!-- generated ... -->`` markers are rendered here from
``registry.domain.jp.RULE_SETS`` (the rule text) and from :func:`credited_jp` itself (the example
columns); the test fails when the file differs. After changing a table in jp.py, rewrite them with

    .venv/bin/python -m tests.unit.test_activity_paths_doc

and review the diff. The prose around the markers is written by hand.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from registry.domain.content import PATH_LABELS
from registry.domain.errors import InvalidInput
from registry.domain.jp import (
    RULE_SET_NAMES,
    RULE_SETS,
    UPLIFT,
    Activity,
    Conversion,
    DevelopmentPath,
    RuleKind,
    Scope,
    credited_jp,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "activity-paths.md"
BEGIN = "<!-- generated from registry/domain/jp.py by tests/unit/test_activity_paths_doc.py: {} -->"
END = "<!-- end of generated table: {} -->"

# The example columns: a 2-day activity inside one month, 2 sessions, 2 semesters.
EXAMPLE_START, EXAMPLE_END = date(2026, 3, 2), date(2026, 3, 3)
EXAMPLE_JP = Decimal(20)

HEADER = (
    "| path id | name | nasional | internasional | `activity.jp` | also needed "
    "| example nasional | example internasional |\n"
    "|---|---|---|---|---|---|---|---|"
)


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _rule_text(conv: Conversion | None, regulated: bool) -> str:
    if conv is None:
        return "refused: path not regulated" if not regulated else "refused: not stated"
    figure = conv.jp
    kind = conv.kind
    if kind is RuleKind.PROGRAM:
        text = "program JP × 1.2" if conv.uplift else "program JP"
        if conv.unstated_program_jp is not None:
            fallback = conv.unstated_program_jp * (UPLIFT if conv.uplift else 1)
            text += f"; without one {_n(conv.unstated_program_jp)} × 1.2 = {_n(fallback)}"
        if conv.evidence_jp_wins:
            return f"JP on the evidence, as printed; if none: {text} (see note 2)"
        return text
    assert figure is not None
    if kind is RuleKind.PER_DAY:
        text = f"{_n(figure)} JP per day"
    elif kind is RuleKind.PER_ACTIVITY:
        if conv.uplift:
            text = f"{_n(figure)} × 1.2 = {_n(figure * UPLIFT)} JP per activity"
        else:
            text = f"{_n(figure)} JP per activity"
        if conv.activities_per_year is not None:
            text += f" (at most {conv.activities_per_year} a year: see note 3)"
    elif kind is RuleKind.PER_SESSION:
        text = f"{_n(figure)} JP per session"
        if conv.sessions_per_month is not None:
            text += (
                f", at most {conv.sessions_per_month} sessions counted a calendar month "
                "(see note 3)"
            )
    elif kind is RuleKind.PER_SEMESTER:
        text = f"{_n(figure)} JP per semester"
    elif kind is RuleKind.CAPPED_PER_DAY:
        text = f"JP given, at most {_n(figure)} per day"
        if conv.uplift:
            text = f"({text}) × 1.2"
    elif kind is RuleKind.CAPPED_PER_ACTIVITY:
        text = f"JP given (by duration), at most {_n(figure)} per activity"
    else:  # pragma: no cover
        raise AssertionError(kind)
    if conv.evidence_jp_wins:
        return f"JP on the evidence, as printed; if none: {text}"
    return text


def _jp_role(conv: Conversion) -> str:
    kind = conv.kind
    optional = conv.unstated_program_jp is not None or kind in (
        RuleKind.PER_DAY,
        RuleKind.PER_ACTIVITY,
    )
    if conv.evidence_jp_wins:
        return "wins, optional" if optional else "wins, required"
    if kind is RuleKind.PROGRAM:
        return "input, optional" if optional else "input, required"
    if kind in (RuleKind.CAPPED_PER_DAY, RuleKind.CAPPED_PER_ACTIVITY):
        return "input (capped), required"
    return "ignored"


def _needs(conv: Conversion) -> str:
    if conv.kind is RuleKind.PER_SESSION:
        return "`sessions`"
    if conv.kind is RuleKind.PER_SEMESTER:
        return "`semesters`"
    return "–"


def _per_row(cells: list[Conversion | None], describe: Callable[[Conversion], str]) -> str:
    """One text for the row when both stated scopes agree, else "nas.: …; int.: …"."""
    texts = [None if c is None else describe(c) for c in cells]
    stated = [t for t in texts if t is not None]
    if not stated:
        return "–"
    if len(set(stated)) == 1:
        return str(stated[0])
    return "; ".join(
        f"{label}: {t}" for label, t in zip(("nas.", "int."), texts, strict=True) if t is not None
    )


def _example(rule_set: str, path: DevelopmentPath, scope: Scope) -> str:
    results = []
    for stated in (None, EXAMPLE_JP):
        activity = Activity(
            path, scope, EXAMPLE_START, EXAMPLE_END, stated_jp=stated, sessions=2, semesters=2
        )
        try:
            results.append(_n(credited_jp(rule_set, activity)))
        except InvalidInput as refusal:
            field = (refusal.field or "?").removeprefix("activity.")
            results.append(f"refused ({field})")
    if results[0] == results[1] and results[0].startswith("refused"):
        return results[0]  # refused whether or not a JP is given
    return " / ".join(results)


def render_table(rule_set: str) -> str:
    table = RULE_SETS[rule_set]
    lines = [HEADER]
    for path in DevelopmentPath:
        rule = table.get(path)
        cells: list[Conversion | None] = (
            [None, None] if rule is None else [rule.nasional, rule.internasional]
        )
        regulated = rule is not None
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{path.value}`",
                    PATH_LABELS[path],
                    _rule_text(cells[0], regulated),
                    _rule_text(cells[1], regulated),
                    _per_row(cells, _jp_role),
                    _per_row(cells, _needs),
                    _example(rule_set, path, Scope.NASIONAL),
                    _example(rule_set, path, Scope.INTERNASIONAL),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def _block(rule_set: str, text: str) -> tuple[int, int]:
    begin, end = BEGIN.format(rule_set), END.format(rule_set)
    assert text.count(begin) == 1, f"marker missing or repeated: {begin}"
    assert text.count(end) == 1, f"marker missing or repeated: {end}"
    start = text.index(begin) + len(begin)
    return start, text.index(end)


def rewrite(text: str) -> str:
    for rule_set in RULE_SET_NAMES:
        start, stop = _block(rule_set, text)
        text = text[:start] + "\n" + render_table(rule_set) + "\n" + text[stop:]
    return text


# --- tests ------------------------------------------------------------------------------------


def test_the_generated_tables_match_jp_py() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert rewrite(text) == text, (
        "docs/activity-paths.md is out of date with registry/domain/jp.py: run "
        "`.venv/bin/python -m tests.unit.test_activity_paths_doc` and review the diff"
    )


def _rows(rule_set: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    start, stop = _block(rule_set, text)
    lines = [line for line in text[start:stop].strip().splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


def test_each_table_lists_the_25_path_ids_in_domain_order() -> None:
    for rule_set in RULE_SET_NAMES:
        rows = _rows(rule_set)
        assert [row[0] for row in rows] == [f"`{p.value}`" for p in DevelopmentPath]
        assert all(len(row) == len(HEADER.splitlines()[0].strip("|").split(" | ")) for row in rows)


def test_the_figures_in_the_doc_are_those_of_the_tables() -> None:
    """Independent of the renderer: every figure of a cell appears in that cell's text."""
    for rule_set in RULE_SET_NAMES:
        for path, row in zip(DevelopmentPath, _rows(rule_set), strict=True):
            rule = RULE_SETS[rule_set].get(path)
            for column, scope in ((2, Scope.NASIONAL), (3, Scope.INTERNASIONAL)):
                conv = None if rule is None else rule.for_scope(scope)
                text = row[column]
                if conv is None:
                    assert text.startswith("refused"), (rule_set, path, scope)
                    continue
                numbers = set(re.findall(r"\d+(?:\.\d+)?", text))
                if conv.jp is not None:
                    assert _n(conv.jp) in numbers, (rule_set, path, scope, text)
                if conv.uplift:
                    assert "× 1.2" in text, (rule_set, path, scope, text)
                assert ("JP on the evidence" in text) is conv.evidence_jp_wins


def test_the_examples_follow_the_worked_examples_of_domain_md() -> None:
    tangsel = dict(zip(DevelopmentPath, _rows("tangsel-2022"), strict=True))
    kubar = dict(zip(DevelopmentPath, _rows("kubar-2024"), strict=True))
    e_learning = DevelopmentPath.E_LEARNING
    # 2 days: tangsel caps a 20-JP certificate at 3 a day; kubar credits it, and 3 a day without.
    assert tangsel[e_learning][6] == "refused (jp) / 6"
    assert kubar[e_learning][6] == "6 / 20"
    # a seminar certificate printing 20 JP for 2 days: 8 (tangsel, by day) and 20 (kubar)
    assert tangsel[DevelopmentPath.SEMINAR][6] == "8 / 8"
    assert kubar[DevelopmentPath.SEMINAR][6] == "8 / 20"


if __name__ == "__main__":
    current = DOC.read_text(encoding="utf-8")
    updated = rewrite(current)
    DOC.write_text(updated, encoding="utf-8")
    sys.stdout.write("unchanged\n" if updated == current else f"rewrote {DOC}\n")


def test_the_readme_lists_every_path_id_with_its_printed_name() -> None:
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|$", readme, flags=re.M)
    assert listed == [(p.value, PATH_LABELS[p.value]) for p in DevelopmentPath]
