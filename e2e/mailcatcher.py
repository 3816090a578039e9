"""A real SMTP server in the test process (aiosmtpd) and helpers to read what userhub sent."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    message: EmailMessage


class Collector:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(Received(tuple(r.lower() for r in envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None


class Mail:
    """The mail userhub sent to the suite's SMTP server."""

    def __init__(self, collector: Collector) -> None:
        self._collector = collector

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 20) -> EmailMessage:
        """The first message to `to` whose subject contains `subject_contains`, waiting for the
        server's outbox worker to send it (it runs in another process, so we poll)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._collector.lock:
                received = list(self._collector.received)
            for item in received:
                if to.lower() in item.recipients and subject_contains in str(item.message["Subject"]):
                    return item.message
            if time.monotonic() > deadline:
                seen = [(r.recipients, str(r.message["Subject"])) for r in received] or "nothing"
                raise AssertionError(f"no email to {to} with {subject_contains!r} in its subject within "
                                     f"{timeout} s; received: {seen}")
            time.sleep(0.1)

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    @staticmethod
    def html(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]

    @classmethod
    def links(cls, message: EmailMessage) -> list[tuple[str, str]]:
        """(text, address) of each link of the HTML part, in order."""
        parser = _Links()
        parser.feed(cls.html(message))
        return parser.links

    @classmethod
    def link(cls, message: EmailMessage, text: str) -> str:
        """The address of the HTML link (button) that reads exactly `text`."""
        found = [href for label, href in cls.links(message) if label == text]
        assert len(found) == 1, f"expected one link {text!r} in the email, found {cls.links(message)}"
        return found[0]



def start_smtp_server(host: str, port: int) -> tuple[Controller, Collector]:
    collector = Collector()
    controller = Controller(collector, hostname=host, port=port)
    controller.start()
    return controller, collector
