"""Bodies of ``POST /api/v1/jp/calculate`` (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec

from api.schemas import SessionIn
from registry.domain.decimals import plain_decimal
from registry.domain.errors import InvalidInput
from registry.domain.jp_sessions import LogEntry
from registry.usecases.jp_calculation import JpCalculation, JpQuestion


class JpCalculate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A session log (``sessions``) or one activity (``start_date``/``end_date``/``jp``)."""

    scope: str
    path: str | None = None
    kind: str | None = None  # the request's name for the path
    sessions: list[SessionIn] | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    jp: Decimal | None = None
    semesters: int | None = None
    employment: str | None = None
    nip: Annotated[str, msgspec.Meta(max_length=30)] | None = None

    def to_question(self) -> JpQuestion:
        path = self._path()
        single = any(v is not None for v in (self.start_date, self.end_date, self.jp))
        if self.sessions is not None and single:
            raise InvalidInput(
                "Isi salah satu: sessions (daftar sesi) atau start_date/end_date/jp (satu "
                "kegiatan), bukan keduanya.",
                field="sessions",
            )
        if self.sessions is not None:
            entries = [s.to_entry() for s in self.sessions]
        elif self.start_date is not None:
            entries = [
                LogEntry(
                    date=self.start_date,
                    end_date=self.end_date,
                    jp=self.jp,
                    semesters=self.semesters,
                )
            ]
        else:
            raise InvalidInput(
                "Isi sessions (daftar sesi dengan tanggal) atau start_date (dan end_date, jp) "
                "untuk satu kegiatan.",
                field="sessions" if not single else "start_date",
            )
        return JpQuestion(
            path=path,
            scope=self.scope,
            entries=entries,
            employment=self.employment,
            nip=self.nip,
            single_activity=self.sessions is None,
        )

    def _path(self) -> str:
        if self.path is not None and self.kind is not None and self.path != self.kind:
            raise InvalidInput(
                f"path ({self.path!r}) dan kind ({self.kind!r}) berbeda: isi salah satu saja.",
                field="path",
            )
        path = self.path if self.path is not None else self.kind
        if path is None:
            raise InvalidInput("Isi path (jalur pengembangan kompetensi).", field="path")
        return path


class SessionVerdict(msgspec.Struct):
    date: dt.date
    end_date: dt.date
    jp: str
    counted: bool
    reason: str | None


class JpCalculated(msgspec.Struct):
    jp: str
    jp_rules: str
    path: str
    scope: str
    #: As given or read from the NIP; null when neither said (credited as PNS).
    employment: str | None
    #: The NIP's valid documents were counted against the caps.
    history_counted: bool
    sessions: list[SessionVerdict]

    @classmethod
    def from_calculation(cls, calculation: JpCalculation) -> JpCalculated:
        credit = calculation.credit
        return cls(
            jp=_text(credit.jp),
            jp_rules=calculation.rule_set,
            path=calculation.path.value,
            scope=calculation.scope.value,
            employment=None if calculation.employment is None else calculation.employment.value,
            history_counted=calculation.history_counted,
            sessions=[
                SessionVerdict(
                    date=v.date,
                    end_date=v.end_date,
                    jp=_text(v.jp),
                    counted=v.counted,
                    reason=v.reason,
                )
                for v in credit.entries
            ],
        )


def _text(value: Decimal) -> str:
    return plain_decimal(value)
