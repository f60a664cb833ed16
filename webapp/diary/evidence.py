"""Photos, videos and sound recordings sent with a diary entry: checked by their bytes, stored by their hash.

The type is read from the file's first bytes, never from its name or the
browser's word for it; the name is not kept at all (no paths from a client
reach the disk). Files live outside the database, under EVIDENCE_DIR, named
by their SHA-256, which the diary entry's hash covers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
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


@dataclass(frozen=True)
class Checked:
    """An uploaded file that passed the checks, not yet written anywhere."""

    stream: object
    kind: Kind
    size: int
    sha256: str


def check(stream) -> Checked:
    """Read an uploaded file (at most MAX_BYTES), check what it is and hash it. Writes nothing."""
    digest, size = hashlib.sha256(), 0
    head = stream.read(16)
    kind = sniff(head)
    if kind is None:
        raise EvidenceRefused("wrong_type")
    chunk = head
    while chunk:
        digest.update(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise EvidenceRefused("too_big")
        chunk = stream.read(1024 * 1024)
    return Checked(stream, kind, size, digest.hexdigest())


def save(checked: Checked) -> DiaryEvidence:
    """Write a checked file under its hash, whole or not at all (a temporary name, then renamed)."""
    name = f"{checked.sha256}.{checked.kind.extension}"
    folder = evidence_dir()
    path = folder / name
    if not path.exists():
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".incoming-", delete=False) as out:
            checked.stream.seek(0)
            shutil.copyfileobj(checked.stream, out)
        os.replace(out.name, path)
    return DiaryEvidence(
        kind=checked.kind.kind,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        stored_as=name,
    )


def store(stream) -> DiaryEvidence:
    """Check one file and store it under its hash (a diary entry checks all its files first: see routes)."""
    return save(check(stream))
