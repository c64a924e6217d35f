"""Notifications through the running service: its queue (in-process on SQLite, Procrastinate and
the embedded worker on PostgreSQL) sends the mail of actions taken over the API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Clock, Keys
from tests.integration.test_notifications import (
    HANG_GUARD,
    ISSUERS,
    body_of,
    notification_entries,
    notifying_registry,
    subject_of,
)
from tests.integration.test_requests import ISSUE_BODY, PNG
from tests.support.drafts import outside_pdf
from tests.support.smtp import Mailbox

FILER_EMAIL = "operator@dpupr.example"


class KeyBook:
    """Addresses for the issuers and for the DPUPR requester's key."""

    def __init__(self, requester_label: str) -> None:
        self.requester_label = requester_label

    def emails_for_role(self, role: str, unit_code: str | None = None) -> list[str]:
        return list(ISSUERS) if role == "issuer" else []

    def email_of(self, actor_label: str) -> str | None:
        return FILER_EMAIL if actor_label == self.requester_label else None


@pytest.fixture
def service(
    settings: Settings,
    db: Database,
    keyring: KeyRing,
    clock: Clock,
    mailbox: tuple[Mailbox, int],
    api_keys: Keys,
) -> Iterator[tuple[TestClient[Any], Registry]]:
    book = KeyBook(api_keys.requester.actor.label)
    registry = notifying_registry(settings, db, keyring, clock, mailbox[1], book)
    with TestClient(create_app(registry=registry)) as client:
        yield client, registry


def wait_for_mail(box: Mailbox, count: int) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while len(box.messages) < count:
        assert time.monotonic() < deadline, f"{count} message(s) expected, {len(box.messages)} came"
        time.sleep(0.05)


def test_submitting_and_rejecting_over_the_api_sends_both_mails(
    service: tuple[TestClient[Any], Registry],
    mailbox: tuple[Mailbox, int],
    api_keys: Keys,
) -> None:
    client, registry = service
    box, _ = mailbox
    unit, issuer = bearer(api_keys.requester.secret), bearer(api_keys.issuer.secret)
    request_id = client.post("/api/v1/requests", json=ISSUE_BODY, headers=unit).json()["id"]
    for kind, file in (
        ("surat_perintah", ("sp.pdf", outside_pdf(), "application/pdf")),
        ("formulir", ("f.png", PNG, "image/png")),
    ):
        added = client.post(
            f"/api/v1/requests/{request_id}/evidence",
            files={"file": file},
            data={"kind": kind},
            headers=unit,
        )
        assert added.status_code == 201, added.text
    submitted = client.post(f"/api/v1/requests/{request_id}/submit", headers=unit)
    assert submitted.status_code == 200, submitted.text
    wait_for_mail(box, 1)
    [(to_issuers, first)] = box.messages
    assert sorted(to_issuers) == sorted(ISSUERS)
    assert f"/konsol/permohonan/{request_id}" in body_of(first)

    rejected = client.post(
        f"/api/v1/requests/{request_id}/reject",
        json={"reason": "Formulir belum ditandatangani atasan."},
        headers=issuer,
    )
    assert rejected.status_code == 200, rejected.text
    wait_for_mail(box, 2)
    to_filer, second = box.messages[1]
    assert to_filer == [FILER_EMAIL]
    assert subject_of(second).startswith("Permohonan ditolak")
    assert "Formulir belum ditandatangani atasan." in body_of(second)
    deadline = time.monotonic() + HANG_GUARD
    while len(entries := notification_entries(registry)) < 2:  # recorded just after the send
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert sorted((action, details["event"]) for action, _, details in entries) == [
        ("notification.sent", "request.rejected"),
        ("notification.sent", "request.submitted"),
    ]
    # The subject and the count are kept, the body (with the reason) is not.
    assert all("Formulir" not in json.dumps(details) for _, _, details in entries)
