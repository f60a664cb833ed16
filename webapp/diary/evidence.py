"""Photos, videos and sound recordings sent with a diary entry: checked by their bytes, stored by their hash.

The type is read from the file's first bytes, never from its name or the
browser's word for it; the name is not kept at all (no paths from a client
reach the disk). Files live outside the database, under EVIDENCE_DIR, named
by their SHA-256, which the diary entry's hash covers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from webapp.models import DiaryEvidence

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


class EvidenceRefused(ValueError):
    """A file that is not a photo, video or sound recording we take, or too big."""


@dataclass(frozen=True)
class Kind:
    kind: str
    content_type: str
    extension: str


def sniff(head: bytes) -> Kind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("image", "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("image", "image/png", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Kind("image", "image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind("image", "image/webp", "webp")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Kind("audio", "audio/wav", "wav")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return Kind("audio", "audio/mp4", "m4a")
        return Kind("video", "video/mp4", "mp4")
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return Kind("audio", "audio/mpeg", "mp3")
    return None


def evidence_dir() -> Path:
    folder = Path(current_app.config.get("EVIDENCE_DIR") or Path(current_app.instance_path) / "evidence")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(stream) -> DiaryEvidence:
    """Read an uploaded file (at most MAX_BYTES), check what it is, store it under its hash."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise EvidenceRefused("too_big")
    kind = sniff(data[:16])
    if kind is None:
        raise EvidenceRefused("wrong_type")
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest}.{kind.extension}"
    path = evidence_dir() / name
    if not path.exists():
        path.write_bytes(data)
    return DiaryEvidence(kind=kind.kind, content_type=kind.content_type, size=len(data), sha256=digest, stored_as=name)
