"""What documents credited to their holders: the plain records the yearly JP is summed from.

A document's credits are fixed when it is numbered (``jp_sessions.credit_log`` with the holder's
earlier credits): one per counted session of a session log, or one spanning the activity. Reports
read them back as :class:`CreditedDocument`; nothing here touches storage.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from registry.domain.jp_sessions import PriorCredit

__all__ = ["CreditedDocument", "PriorCredit"]


@dataclass(frozen=True)
class CreditedDocument:
    """A valid (issued) document and what it credited to its holder."""

    id: uuid.UUID
    number: str
    type: str
    nip: str
    employment: str
    holder_name: str
    holder_position: str | None
    holder_unit: str | None
    unit_code: str | None
    title: str
    path: str
    scope: str
    start_date: date
    end_date: date
    #: The JP the document prints (what the activity is worth).
    jp: Decimal
    #: What it counts towards the holder's yearly JP, after the caps that span documents.
    credited_jp: Decimal
    jp_rules: str
    organizer: str | None
    issuer: str
    verify_url: str
    pdf_url: str | None
    credits: tuple[PriorCredit, ...]

    def credited_in(self, year: int) -> Decimal:
        """The JP this document counts in ``year``: its credits whose entry ended that year."""
        return sum((c.jp for c in self.credits if c.last_date.year == year), Decimal(0))
