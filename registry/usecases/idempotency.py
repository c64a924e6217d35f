"""Idempotency keys: a retried request is answered as its first run was, and takes no new number.

A key belongs to one caller. It remembers the operation, a fingerprint of the request and what the
first run made (a document, or a batch of them), all in the transaction that made it: either the
key and its result are both visible or neither is. The same key for a different request is refused.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import IdempotencyKey
from registry.domain.actors import Actor
from registry.domain.errors import Conflict, InvalidInput

MAX_IDEMPOTENCY_KEY = 200
#: The field errors about the key name; the API presents it as its ``Idempotency-Key`` header.
KEY_FIELD = "idempotency_key"

T = TypeVar("T")


@dataclass(frozen=True)
class Made:
    """What the first run of a keyed request made, and what a replay answers with."""

    document_id: uuid.UUID | None = None
    batch_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Answered(Generic[T]):
    value: T
    replayed: bool


def request_fingerprint(payload: object) -> str:
    # Stored with every key: changing this would make every earlier retry look like a new request.
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def check_key(key: str | None) -> None:
    if key is not None and not (0 < len(key) <= MAX_IDEMPOTENCY_KEY and key.isprintable()):
        raise InvalidInput(
            f"Kunci idempotensi harus 1..{MAX_IDEMPOTENCY_KEY} karakter cetak", field=KEY_FIELD
        )


class IdempotencyKeys:
    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self.db = db
        self._now = now

    def run(
        self,
        actor: Actor,
        key: str | None,
        operation: str,
        payload: object,
        work: Callable[[Session, datetime], Made],
        answer: Callable[[Session, Made], T],
        *,
        fresh: Callable[[Made], T | None] | None = None,
    ) -> Answered[T]:
        """Run ``work`` in one write transaction, or answer as the first request with ``key`` did.

        ``answer`` turns what was made into the caller's result, read after the commit: the
        transaction may hold a series' counter row, which every issuer of that series waits on,
        so nothing that can wait is done inside it (the answer's reads were a third of the time the
        counter stayed locked). ``fresh``, when it gives a result, answers a run that has just
        committed without that read (it knows what ``work`` wrote); a replay always reads.
        """
        check_key(key)
        # Only a key's record and its replay compare fingerprints.
        request_hash = request_fingerprint(payload) if key is not None else ""
        try:
            with self.db.writing() as session:
                if key is not None:
                    existing = session.get(IdempotencyKey, (actor.id, key))
                    if existing is not None:
                        return self._replay(session, existing, operation, request_hash, answer)
                now = self._now()
                made = work(session, now)
                if key is not None:
                    session.add(
                        IdempotencyKey(
                            actor_id=actor.id,
                            key=key,
                            operation=operation,
                            request_hash=request_hash,
                            document_id=made.document_id,
                            batch_id=made.batch_id,
                            created_at=now,
                        )
                    )
                    session.flush()
        except IntegrityError:
            # A concurrent request with the same key committed first; our transaction (and any
            # number it took) rolled back. Answer as that request did.
            if key is None:
                raise
            with self.db.reading() as session:
                existing = session.get(IdempotencyKey, (actor.id, key))
                if existing is None:
                    raise
                return self._replay(session, existing, operation, request_hash, answer)
        known = fresh(made) if fresh is not None else None
        if known is not None:
            return Answered(known, replayed=False)
        with self.db.reading() as session:
            return Answered(answer(session, made), replayed=False)

    @staticmethod
    def _replay(
        session: Session,
        existing: IdempotencyKey,
        operation: str,
        request_hash: str,
        answer: Callable[[Session, Made], T],
    ) -> Answered[T]:
        if existing.operation != operation or existing.request_hash != request_hash:
            raise Conflict(
                "Kunci idempotensi ini sudah dipakai untuk permintaan yang berbeda",
                field=KEY_FIELD,
            )
        made = Made(document_id=existing.document_id, batch_id=existing.batch_id)
        return Answered(answer(session, made), replayed=True)
