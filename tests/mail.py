"""Read email the way a person does: the .eml files that arrive."""

from __future__ import annotations

import email
import re
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

LINK = re.compile(r"https?://[^\s<>\"']+")


def read_mailbox(directory: Path) -> list[EmailMessage]:
    if not directory.exists():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(directory.glob("*.eml"))
    ]


def wait_for_email(directory: Path, *, to: str, timeout: float = 30) -> EmailMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in read_mailbox(directory):
            if to.lower() in str(message["To"]).lower():
                return message
        time.sleep(0.2)
    raise TimeoutError(f"no email to {to} in {directory} after {timeout}s")


def text_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def links(message: EmailMessage) -> list[str]:
    return LINK.findall(text_body(message))
