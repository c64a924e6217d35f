"""Verification answers kept in memory for a few seconds, so a busy verifier rarely reads.

An answer has two parts. What the signatures say (the token's, the record's, the file
attestation's) and the public view of the document are a pure function of the token, the signed
bytes and the public keys: kept for as long as the keys do not change (``keys_generation``). The
status (issued, revoked, superseded and why) can change on any process at any moment: it is
trusted for ``ttl`` seconds after it was read, then read again with one narrow query; an unchanged
status renews the answer, a changed one rebuilds it. A revocation made by another process is
therefore seen within ``ttl`` seconds; one made by this process empties the cache at once
(:meth:`RecentAnswers.forget_all`).

A bounded LRU: tokens nobody asks for again drop out, and a flood of forged tokens (which are
never stored, they have no document) cannot grow it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from registry.domain.views import Verification

#: The status columns as read; equal tuples mean nothing a verifier shows has changed.
DocumentState = tuple[Any, ...]


@dataclass(frozen=True)
class Answer:
    verification: Verification
    document_id: uuid.UUID
    state: DocumentState
    keys_generation: int
    checked_at: float


class RecentAnswers:
    """Thread-safe: the event loop reads it, worker threads fill it."""

    def __init__(
        self,
        ttl: float,
        *,
        size: int = 10_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._size = size
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._epoch = 0

    @property
    def epoch(self) -> int:
        """Read before reading the database; :meth:`store` refuses answers of an older epoch."""
        return self._epoch

    def now(self) -> float:
        return self._monotonic()

    def lookup(self, token: str, keys_generation: int) -> Answer | None:
        """The answer kept for ``token`` with these keys, fresh or not."""
        if self.ttl <= 0:
            return None
        with self._lock:
            answer = self._answers.get(token)
            if answer is None:
                return None
            if answer.keys_generation != keys_generation:
                del self._answers[token]
                return None
            self._answers.move_to_end(token)
            return answer

    def fresh(self, token: str, keys_generation: int) -> Verification | None:
        """The answer for ``token`` if its status was read less than ``ttl`` seconds ago."""
        answer = self.lookup(token, keys_generation)
        if answer is None or self._monotonic() - answer.checked_at >= self.ttl:
            return None
        return answer.verification

    def is_fresh(self, answer: Answer) -> bool:
        return self._monotonic() - answer.checked_at < self.ttl

    def store(self, token: str, answer: Answer, epoch: int) -> None:
        """Keep ``answer`` unless this process changed a document since ``epoch`` was read.

        A read that began before a local revocation committed may carry the old status; storing
        it would undo :meth:`forget_all` for up to ``ttl`` seconds.
        """
        if self.ttl <= 0:
            return
        with self._lock:
            if epoch != self._epoch:
                return
            self._answers[token] = answer
            self._answers.move_to_end(token)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)

    def renew(self, token: str, answer: Answer, epoch: int, checked_at: float) -> None:
        self.store(token, replace(answer, checked_at=checked_at), epoch)

    def kept(self) -> list[tuple[str, Answer]]:
        with self._lock:
            return list(self._answers.items())

    def renew_if_kept(self, token: str, answer: Answer, epoch: int, checked_at: float) -> None:
        """:meth:`renew`, unless ``token``'s answer was replaced or dropped meanwhile."""
        with self._lock:
            if epoch == self._epoch and self._answers.get(token) is answer:
                self._answers[token] = replace(answer, checked_at=checked_at)

    def drop(self, token: str, answer: Answer) -> None:
        with self._lock:
            if self._answers.get(token) is answer:
                del self._answers[token]

    def forget_all(self) -> None:
        """After this process changed a document's status: nothing kept may be answered again."""
        with self._lock:
            self._epoch += 1
            self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
