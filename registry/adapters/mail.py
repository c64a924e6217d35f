"""Notification e-mail out through an SMTP server (stdlib ``smtplib``), with timeouts.

Errors are raised as they come (connection refused, timeout, a refused recipient): the job queue
retries the send and records its last failure.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from registry.domain.notifications import Mail, clean_recipients, header_text
from registry.settings import SmtpSettings


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """A plain-text UTF-8 message; the recipients go in the envelope and one To header."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(clean_recipients(mail.to))
    message["Subject"] = header_text(mail.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body, charset="utf-8")
    return message


class SmtpMailer:
    def __init__(self, smtp: SmtpSettings) -> None:
        self._smtp = smtp

    def send(self, mail: Mail) -> None:
        recipients = clean_recipients(mail.to)
        if not recipients:
            return
        message = build_message(mail, self._smtp.sender)
        settings = self._smtp
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.username and settings.password:
                server.login(settings.username, settings.password)
            server.send_message(message, from_addr=settings.sender, to_addrs=list(recipients))
