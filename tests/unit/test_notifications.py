"""Notification messages (pure) and the SMTP settings: content, links, no header injection."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from registry.adapters.mail import build_message
from registry.domain.errors import ConfigurationError
from registry.domain.notifications import (
    BatchFacts,
    Mail,
    RequestFacts,
    batch_ended,
    clean_recipients,
    header_text,
    request_approved,
    request_rejected,
    request_submitted,
)
from registry.settings import Settings, SmtpSettings

PUBLIC = "https://verifikasi.bpsdm.example"
FACTS = RequestFacts(
    id="7d7f1c2e-0000-4000-8000-000000000001",
    unit_code="DPUPR",
    unit_name="Dinas Pekerjaan Umum dan Penataan Ruang",
    kind="coaching",
    employee_name="Andi Wijaya, S.Kom.",
    employee_nip="199001012015031001",
)


def test_issuers_are_told_of_a_submitted_request_with_the_console_and_api_links() -> None:
    mail = request_submitted(FACTS, PUBLIC, ["a@bpsdm.example", "b@bpsdm.example"])
    assert mail.to == ("a@bpsdm.example", "b@bpsdm.example")
    assert mail.subject == ("Permohonan Coaching menunggu keputusan: Andi Wijaya, S.Kom. (DPUPR)")
    assert f"{PUBLIC}/konsol/permohonan/{FACTS.id}" in mail.body.splitlines()
    assert f"{PUBLIC}/api/v1/requests/{FACTS.id}" in mail.body.splitlines()
    assert "Dinas Pekerjaan Umum dan Penataan Ruang (DPUPR)" in mail.body
    assert "NIP 199001012015031001" in mail.body
    assert "setujui atau tolak" in mail.body


def test_the_requester_gets_the_letter_number_and_its_verification_link() -> None:
    verify = f"{PUBLIC}/v/abc123"
    mail = request_approved(
        FACTS, PUBLIC, ["skpd@dpupr.example"], number="800/1/BPSDM/2026", verify_url=verify
    )
    assert mail.event == "request.approved"
    assert "800/1/BPSDM/2026" in mail.subject
    assert verify in mail.body.splitlines()
    assert "Nomor surat: 800/1/BPSDM/2026" in mail.body


def test_a_rejection_carries_the_reason_line_by_line() -> None:
    mail = request_rejected(
        FACTS, PUBLIC, ["skpd@dpupr.example"], reason="Bukti dukung tidak terbaca.\nUnggah ulang."
    )
    assert mail.subject.startswith("Permohonan ditolak")
    lines = mail.body.splitlines()
    assert "  Bukti dukung tidak terbaca." in lines
    assert "  Unggah ulang." in lines
    assert "ajukan permohonan baru" in mail.body


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        ("done", None, "Penerbitan massal selesai: 29 dari 30 dokumen terbit"),
        ("failed", "Disk penuh", "Penerbitan massal gagal: 800/1/2026 s.d. 800/30/2026"),
    ],
)
def test_the_issuer_who_started_a_batch_hears_how_it_ended(
    status: str, error: str | None, expected: str
) -> None:
    facts = BatchFacts(
        id="b1",
        status=status,
        type="sttp",
        total=30,
        issued=29,
        void=1,
        first_number="800/1/2026",
        last_number="800/30/2026",
        error=error,
    )
    mail = batch_ended(facts, PUBLIC, ["issuer@bpsdm.example"])
    assert mail.subject == expected
    assert f"{PUBLIC}/api/v1/jobs/b1" in mail.body.splitlines()
    assert ("Disk penuh" in mail.body) == (status == "failed")


def test_user_text_cannot_add_a_header() -> None:
    hostile = RequestFacts(
        id="r1",
        unit_code="X",
        unit_name="X",
        kind="coaching",
        employee_name="Andi\r\nBcc: victim@evil.example\r\n\r\nbody",
        employee_nip="1",
    )
    mail = request_submitted(hostile, PUBLIC, ["a@bpsdm.example"])
    assert "\r" not in mail.subject and "\n" not in mail.subject
    sent = build_message(mail, "satupintu@bpsdm.example").as_bytes()
    parsed = message_from_bytes(sent, policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["To"] == "a@bpsdm.example"
    assert "Bcc: victim@evil.example" in parsed["Subject"]  # kept as text, on the one line


@pytest.mark.parametrize(
    "address",
    ["a@b.example\r\nBcc: c@d.example", "A <a@b.example>", "a@b.example, c@d.example", "nope", ""],
)
def test_an_address_that_is_not_plain_is_dropped(address: str) -> None:
    assert clean_recipients([address]) == ()


def test_recipients_are_deduplicated_ignoring_case() -> None:
    assert clean_recipients(["A@b.example", None, "a@B.example", "c@d.example"]) == (
        "A@b.example",
        "c@d.example",
    )


def test_a_long_subject_is_cut_to_one_short_line() -> None:
    assert len(header_text("x" * 500)) == 150


def test_a_queued_message_reads_back_cleaned() -> None:
    stored = Mail("e", "s", ("a@b.example",), "ok", "body").as_json()
    stored["subject"] = "one\ntwo"
    stored["to"] = ["a@b.example", "x@y.example\nBcc: z@z.example"]
    mail = Mail.from_json(stored)
    assert (mail.subject, mail.to, mail.body) == ("one two", ("a@b.example",), "body")


def test_notifications_are_off_without_an_smtp_host() -> None:
    assert Settings.from_env({}).smtp is None
    assert Settings.from_env({"SATUPINTU_SMTP_FROM": "x@y.example"}).smtp is None


def test_smtp_settings_are_read_and_the_password_is_not_shown() -> None:
    settings = Settings.from_env(
        {
            "SATUPINTU_SMTP_HOST": "mail.bpsdm.example",
            "SATUPINTU_SMTP_PORT": "2525",
            "SATUPINTU_SMTP_USERNAME": "satupintu",
            "SATUPINTU_SMTP_PASSWORD": "rahasia-sekali",
            "SATUPINTU_SMTP_FROM": "satupintu@bpsdm.example",
            "SATUPINTU_SMTP_STARTTLS": "0",
        }
    )
    assert settings.smtp == SmtpSettings(
        host="mail.bpsdm.example",
        port=2525,
        sender="satupintu@bpsdm.example",
        username="satupintu",
        password="rahasia-sekali",
        starttls=False,
    )
    assert "rahasia-sekali" not in repr(settings)
    assert "rahasia-sekali" not in repr(settings.smtp)


def test_smtp_defaults_to_submission_port_with_starttls() -> None:
    smtp = SmtpSettings.from_env(
        {"SATUPINTU_SMTP_HOST": "mail.example", "SATUPINTU_SMTP_FROM": "s@mail.example"}
    )
    assert smtp is not None and (smtp.port, smtp.starttls, smtp.username) == (587, True, None)


@pytest.mark.parametrize(
    "env",
    [
        {"SATUPINTU_SMTP_HOST": "mail.example"},  # no sender
        {"SATUPINTU_SMTP_HOST": "mail.example", "SATUPINTU_SMTP_FROM": "a@b\nBcc: c@d"},
        {
            "SATUPINTU_SMTP_HOST": "mail.example",
            "SATUPINTU_SMTP_FROM": "s@mail.example",
            "SATUPINTU_SMTP_USERNAME": "only-a-name",
        },
        {
            "SATUPINTU_SMTP_HOST": "mail.example",
            "SATUPINTU_SMTP_FROM": "s@mail.example",
            "SATUPINTU_SMTP_STARTTLS": "maybe",
        },
    ],
)
def test_incomplete_smtp_settings_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError):
        Settings.from_env(env)
