"""Check a session log's JP before anything is filed: the calculation behind /api/v1/jp/calculate.

Stores nothing. The employee's earlier credits are an argument (``prior``): documents do not yet
record what each of their sessions credited, so the HTTP endpoint passes none and caps count within
the log only. When they do, the caller reads the employee's valid letters and passes them here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from registry.domain import jp as rules
from registry.domain.errors import InvalidInput
from registry.domain.jp_sessions import LogCredit, LogEntry, PriorCredit, credit_log
from registry.domain.nip import Employment, parse_employee_number

__all__ = ["JpCalculation", "JpQuestion", "calculate_jp"]


@dataclass(frozen=True)
class JpQuestion:
    path: str
    scope: str
    entries: Sequence[LogEntry]
    employment: str | None = None
    nip: str | None = None
    #: The log is one activity given as ``start_date``/``end_date``/``jp``: errors name those
    #: fields rather than ``sessions[0]``.
    single_activity: bool = False


@dataclass(frozen=True)
class JpCalculation:
    credit: LogCredit
    rule_set: str
    path: rules.DevelopmentPath
    scope: rules.Scope
    #: As given, or read from the NIP; None when neither says (credited as PNS).
    employment: Employment | None


def calculate_jp(
    question: JpQuestion,
    *,
    rule_set: str,
    today: date,
    prior: Sequence[PriorCredit] = (),
) -> JpCalculation:
    path = rules.parse_path(question.path, field="path")
    scope = rules.parse_scope(question.scope, field="scope")
    employment = _employment(question.employment)
    if question.nip is not None:
        # A NIP given is checked by its own structure; with no employment it says which it is.
        number = parse_employee_number(question.nip, employment, today=today, field="nip")
        employment = number.employment
    try:
        credit = credit_log(
            rule_set, path, scope, question.entries, employment=employment, prior=prior
        )
    except InvalidInput as exc:
        if question.single_activity and exc.field and exc.field.startswith("sessions[0]."):
            leaf = exc.field.removeprefix("sessions[0].")
            exc.field = "start_date" if leaf == "date" else leaf
        raise
    return JpCalculation(
        credit=credit, rule_set=rule_set, path=path, scope=scope, employment=employment
    )


def _employment(value: str | None) -> Employment | None:
    if value is None:
        return None
    try:
        return Employment(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            "Status kepegawaian harus 'pns' atau 'pppk'.",
            field="employment",
            allowed=["pns", "pppk"],
        ) from None
