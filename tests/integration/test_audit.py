from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from api.cli import main as cli_main
from registry.adapters.db import audit
from registry.domain.actors import Actor
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.support.drafts import draft
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="issuer-test", role="issuer")


def _issue_revoke_supersede(registry: Registry) -> None:
    first = registry.issue(draft(), ISSUER).document
    second = registry.issue(draft(), ISSUER).document
    registry.revoke(first.id, "Peserta tidak hadir", ISSUER)
    registry.supersede(second.id, draft(name="Dra. Siti Aminah, M.Si"), "Salah ketik", ISSUER)


def test_every_state_change_is_chained(registry: Registry) -> None:
    _issue_revoke_supersede(registry)
    with registry.db.reading() as session:
        report = audit.verify_chain(session)
        actions = list(session.execute(text("SELECT action, actor FROM audit_log ORDER BY seq")))
    assert report.ok and report.entries == 8
    assert [action for action, _ in actions] == [
        "document.issue",
        "document.files",
        "document.issue",
        "document.files",
        "document.revoke",
        "document.issue",
        "document.files",
        "document.supersede",
    ]
    # Numbers, revocations and replacements are the caller's acts; files are made by the system.
    assert {actor for action, actor in actions if action != "document.files"} == {
        "apikey:issuer-test"
    }
    assert {actor for action, actor in actions if action == "document.files"} == {"system"}


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_log SET details = replace(details, 'Peserta', 'Pemateri') WHERE seq = 5",
        "UPDATE audit_log SET actor = 'apikey:someone-else' WHERE seq = 5",
        "DELETE FROM audit_log WHERE seq = 5",
    ],
    ids=["edited-details", "edited-actor", "deleted-row"],
)
def test_verify_reports_first_broken_link(registry: Registry, tamper: str) -> None:
    _issue_revoke_supersede(registry)
    with registry.db.writing() as session:
        session.execute(text(tamper))
    with registry.db.reading() as session:
        report = audit.verify_chain(session)
    assert not report.ok
    assert report.first_broken_seq == 5


def test_cutting_the_tail_is_detected(registry: Registry) -> None:
    _issue_revoke_supersede(registry)
    with registry.db.writing() as session:
        session.execute(text("DELETE FROM audit_log WHERE seq = 8"))
    with registry.db.reading() as session:
        assert not audit.verify_chain(session).ok


def test_cli_audit_verify_exit_codes(
    registry: Registry,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _issue_revoke_supersede(registry)
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    assert cli_main(["audit", "verify"]) == 0
    assert "intact: 8 entries" in capsys.readouterr().out

    with registry.db.writing() as session:
        session.execute(text("UPDATE audit_log SET action = 'document.void' WHERE seq = 2"))
    assert cli_main(["audit", "verify"]) == 1
    assert "BROKEN at entry 2" in capsys.readouterr().out


def test_the_chain_holds_when_issuers_of_two_series_and_other_appends_run_at_once(
    registry: Registry,
) -> None:
    """Each number's allocation locks the chain's head in the same statement (PostgreSQL), and
    other appends lock it on their own: every entry must still follow the one before it."""
    workers, rounds = 6, 5
    barrier = threading.Barrier(workers)

    def work(index: int) -> None:
        actor = Actor(id=f"issuer-{index}", role="issuer")
        barrier.wait()
        for _ in range(rounds):
            if index % 3 == 2:
                with registry.db.writing() as session:
                    audit.append(session, at=registry.now(), actor=actor.label, action="test.other")
            else:
                registry.take_number(draft(type="sk" if index % 3 else "sertifikat"), actor)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work, index) for index in range(workers)]:
            future.result()
    with registry.db.reading() as session:
        report = audit.verify_chain(session)
        assert_numbering_invariant(session)
    assert report.ok, report
    assert report.entries == workers * rounds
