"""A stand-in for Rasa in web-app tests of the SMS worker: it records what it hears and can be mid-report."""

from __future__ import annotations


class FakeBot:
    def __init__(self):
        self.heard: list[tuple[str, dict]] = []
        self.slots: dict = {}
        self.active_loop: dict = {}

    def mid_report(self) -> None:
        self.slots = {"description": "noise at night", "requested_slot": "when"}
        self.active_loop = {"name": "report_form"}

    def state(self, sender: str) -> dict:
        return {"slots": dict(self.slots), "active_loop": dict(self.active_loop)}

    def send(self, sender: str, text: str, metadata: dict, timeout: float | None = None) -> list[dict]:
        self.heard.append((text, dict(metadata)))
        return [{"text": f"bot reply {len(self.heard)}"}]

    def events(self, sender: str) -> list[dict]:
        return []

    def texts(self) -> list[str]:
        return [text for text, _ in self.heard]
