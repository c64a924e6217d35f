"""Check a session log's JP before anything is filed: the calculation behind /api/v1/jp/calculate.

Stores nothing. With a NIP, the caps count what the employee's valid documents already credit
(:func:`calculate_with_history`), exactly as the numbering transaction will; a requester sees that
history only for employees rostered in its own unit, so the endpoint is no window on other units'
employees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from registry.adapters.db import credits
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Employee
from registry.domain import jp as rules
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput
from registry.domain.jp_sessions import LogCredit, LogEntry, PriorCredit, credit_log
from registry.domain.nip import Employment, parse_employee_number

__all__ = ["JpCalculation", "JpQuestion", "calculate_jp", "calculate_with_history"]


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
    #: The employee's earlier credits were counted (a NIP was given and may be read).
    history_counted: bool = False


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


def calculate_with_history(
    db: Database, question: JpQuestion, actor: Actor, *, rule_set: str, today: date
) -> JpCalculation:
    """As :func:`calculate_jp`, with the NIP's earlier credits when the caller may read them."""
    if question.nip is None:
        return calculate_jp(question, rule_set=rule_set, today=today)
    nip = parse_employee_number(question.nip, None, today=today, field="nip").digits
    with db.reading() as session:
        employee = session.get(Employee, nip)
        readable = actor.sees_every_unit or (
            employee is not None and employee.unit_code == actor.unit_code
        )
        prior = credits.prior_credits(session, [nip]).get(nip, []) if readable else []
    calculation = calculate_jp(question, rule_set=rule_set, today=today, prior=prior)
    return dataclasses.replace(calculation, history_counted=readable)
