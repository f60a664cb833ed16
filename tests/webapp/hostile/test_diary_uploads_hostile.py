"""Hostile files sent with a diary entry: refused with a clear message in the resident's language, and nothing
stored, or stored safely: under the evidence folder, named by its SHA-256, never by the name the browser gave,
never anywhere else, and served to staff as the type its bytes say it is."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from sqlalchemy import select

from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.hostile.hostile import CSRF, assert_refused_in
from tests.webapp.journey import answer
from webapp.extensions import db
from webapp.models import AuditEvent, DiaryEntry, DiaryEvidence

LANG = "pl"
MB = 1024 * 1024


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width=1, height=1, pixels=b"\x00\xff\x00\x00") -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
    )


def zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


ZIP_BOMB = zip_of("bomb.bin", b"\x00" * (64 * MB))  # 64 MB of zeros in about 64 kB
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>fetch('/staff/queue.csv')</script></body></html>"
REFUSED = [
    ("a PDF renamed .jpg", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "photo.jpg", "image/jpeg"),
    ("a Windows program renamed .jpg", b"MZ\x90\x00" + b"\x00" * 200, "holiday.jpg", "image/jpeg"),
    ("an HTML page named photo.png", HTML, "photo.png", "image/png"),
    ("an SVG with a script", SVG, "photo.svg", "image/svg+xml"),
    ("an SVG with a script named .png", SVG, "photo.png", "image/png"),
    ("a zip bomb named .jpg", ZIP_BOMB, "photo.jpg", "image/jpeg"),
    ("an empty file", b"", "photo.jpg", "image/jpeg"),
    ("a JPEG's first two bytes only", b"\xff\xd8", "photo.jpg", "image/jpeg"),
]
WRONG_TYPE_PL = "Każdy plik musi być zdjęciem"  # the start of "Each file must be a photo (JPG...)..." in Polish


@pytest.fixture
def evidence_dir(app, tmp_path):
    folder = tmp_path / "evidence"
    app.config["EVIDENCE_DIR"] = str(folder)
    return folder


@pytest.fixture
def diary(app, client, policy, evidence_dir):
    """A resident with their diary open, reading it in Polish."""
    report = submitted(policy, language=LANG)
    client.get(f"/diary?lang={LANG}")
    answer(client, "/diary", {"reference": report.reference})
    code = re.search(r"\b(\d{6})\b", app.extensions["outbound_sender"].sent[-1].body).group(1)
    answer(client, "/diary/code", {"code": code})
    return report


def send_entry(client, files, what="glass smashed on the landing"):
    token = CSRF.search(client.get("/diary/entry").get_data(as_text=True)).group(1)
    data = {
        "csrf_token": token,
        "occurred_at": "last night, 2am",
        "what_happened": what,
        "police_told": "no",
        "evidence": [(io.BytesIO(content), name, content_type) for content, name, content_type in files],
    }
    return client.post("/diary/entry", data=data, content_type="multipart/form-data")


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def everything_under(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def assert_nothing_stored(report, evidence_dir):
    db.session.expire_all()
    assert db.session.scalars(select(DiaryEntry).where(DiaryEntry.report_id == report.id)).all() == []
    assert db.session.scalars(select(DiaryEvidence)).all() == []
    assert files_under(evidence_dir) == []


@pytest.mark.parametrize(("what", "content", "name", "content_type"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_file_that_is_not_a_photo_video_or_recording_is_refused_in_the_residents_language_and_nothing_is_kept(
    client, diary, evidence_dir, what, content, name, content_type
):
    response = send_entry(client, [(content, name, content_type)])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert_refused_in(page, LANG)
    assert WRONG_TYPE_PL in page
    assert_nothing_stored(diary, evidence_dir)


def test_an_oversize_file_is_refused_in_the_residents_language_and_nothing_is_kept(client, diary, evidence_dir):
    response = send_entry(client, [(b"\xff\xd8\xff\xe0" + b"\x00" * (10 * MB), "big.jpg", "image/jpeg")])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_refused_in(page, LANG)
    assert "Każdy plik musi mieć mniej niż 10 MB" in page
    assert_nothing_stored(diary, evidence_dir)


def test_one_good_file_and_one_refused_keeps_neither(client, diary, evidence_dir):
    # The good one was written to the evidence folder before the second was refused: a file with no entry.
    response = send_entry(client, [(png(), "photo.png", "image/png"), (HTML, "photo2.png", "image/png")])
    assert WRONG_TYPE_PL in response.get_data(as_text=True)
    assert_nothing_stored(diary, evidence_dir)


def test_more_than_a_post_can_carry_gets_a_page_in_the_residents_language_and_nothing_is_kept(
    client, diary, evidence_dir
):
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (10 * MB - 100)
    response = send_entry(client, [(video, f"clip{n}.mp4", "video/mp4") for n in range(6)])  # 60 MB
    assert response.status_code == 413
    assert_refused_in(response.get_data(as_text=True), LANG)
    assert_nothing_stored(diary, evidence_dir)


def test_five_files_of_almost_10_mb_each_as_the_page_promises_are_taken(client, diary, evidence_dir):
    # The page says "up to 5 files, each smaller than 10 MB"; the app's 16 MB limit on a post refused two.
    videos = [b"\x00\x00\x00\x18ftypmp42" + bytes([n]) * (10 * MB - 100) for n in range(5)]
    response = send_entry(client, [(v, f"clip{n}.mp4", "video/mp4") for n, v in enumerate(videos)])
    assert response.headers["Location"].endswith("/diary/added")
    [entry] = diary.diary
    assert sorted(e.sha256 for e in entry.evidence) == sorted(hashlib.sha256(v).hexdigest() for v in videos)


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/cron.d/evil.png",
        "..\\..\\windows\\system32\\evil.png",
        "/etc/passwd",
        "photo.png\x00.html",
        "\x00",
        "../" * 50 + "x.png",
        "%2e%2e%2fphoto.png",
        "photo.png;rm -rf ~",
        "\u202egnp.exe",
    ],
)
def test_a_file_name_with_path_parts_or_nul_never_names_the_stored_file(client, diary, evidence_dir, tmp_path, name):
    before = everything_under(tmp_path)
    content = png()
    response = send_entry(client, [(content, name, "image/png")])
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    db.session.expire_all()
    [item] = db.session.scalars(select(DiaryEvidence)).all()
    digest = hashlib.sha256(content).hexdigest()
    assert item.stored_as == f"{digest}.png" and item.sha256 == digest
    assert files_under(evidence_dir) == [evidence_dir / f"{digest}.png"]
    assert (evidence_dir / item.stored_as).read_bytes() == content
    # Nothing else anywhere: only the evidence file is new under the test's folder.
    assert set(everything_under(tmp_path)) - set(before) == {(evidence_dir / item.stored_as).relative_to(tmp_path)}


def test_a_png_with_a_zip_after_it_is_stored_safely_as_a_png_and_served_as_one(
    client, app, policy, diary, evidence_dir
):
    """A polyglot: the first bytes are a PNG (so it is one, to a browser), a zip follows. Stored by its hash
    as .png and served as image/png with nosniff, a browser never opens the zip; staff see the bytes as sent."""
    polyglot = png() + zip_of("payload.html", HTML)
    assert send_entry(client, [(polyglot, "archive.zip", "application/zip")]).status_code == 302
    [item] = db.session.scalars(select(DiaryEvidence)).all()
    assert item.content_type == "image/png" and item.stored_as == hashlib.sha256(polyglot).hexdigest() + ".png"
    staff(policy, "admin", role="admin")
    officer = app.test_client()
    sign_in(officer, "admin")
    served = officer.get(f"/staff/reports/{diary.reference}/evidence/{item.id}")
    assert served.status_code == 200 and served.data == polyglot
    assert served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "archive.zip" not in str(served.headers)


def test_a_decompression_bomb_png_is_stored_as_sent_and_never_decoded(client, diary, evidence_dir):
    # 50,000 x 50,000 pixels in a few kilobytes: the app reads only its first bytes, never its pixels.
    bomb = png(50_000, 50_000, b"\x00" * (20 * MB))
    assert len(bomb) < 100_000
    assert send_entry(client, [(bomb, "bomb.png", "image/png")]).status_code == 302
    [item] = db.session.scalars(select(DiaryEvidence)).all()
    assert item.size == len(bomb) and (evidence_dir / item.stored_as).stat().st_size == len(bomb)


def test_evidence_of_another_case_cannot_be_opened_through_a_case_one_can_see(client, app, policy, diary, evidence_dir):
    send_entry(client, [(png(), "photo.png", "image/png")])
    [item] = db.session.scalars(select(DiaryEvidence)).all()
    other = submitted(policy, contact_phone="07700 900777", address="9 Z St")
    staff(policy, "admin", role="admin")
    officer = app.test_client()
    sign_in(officer, "admin")
    assert officer.get(f"/staff/reports/{other.reference}/evidence/{item.id}").status_code == 404
    assert officer.get(f"/staff/reports/{diary.reference}/evidence/{item.id + 1}").status_code == 404
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "view_evidence")).all()
    assert views == []
