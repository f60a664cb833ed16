"""The incident diary on the web: a code to the safe number, entries kept exactly, a chain that shows tampering."""

from __future__ import annotations

import io
import re
import struct
import zlib

from sqlalchemy import text

from tests.webapp.factories import staff, submitted
from tests.webapp.journey import answer
from webapp.diary.cli import verify
from webapp.extensions import db


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def open_diary(client, app, report):
    answer(client, "/diary", {"reference": report.reference})
    sent = app.extensions["outbound_sender"].sent[-1]
    code = re.search(r"\b(\d{6})\b", sent.body).group(1)
    response = answer(client, "/diary/code", {"code": code})
    assert response.headers["Location"].endswith("/diary/entry")
    return sent


def entry(client, what="music again at 2am", files=None, **more):
    page = client.get("/diary/entry").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": token,
        "occurred_at": "Saturday 21 November, 2am",
        "what_happened": what,
        "who_involved": "the man at number 4",
        "effect": "could not sleep",
        "police_told": "yes",
        "police_reference": "CAD 1234",
        **more,
    }
    if files:
        data["evidence"] = files
    return client.post("/diary/entry", data=data, content_type="multipart/form-data")


def test_a_resident_opens_their_diary_with_a_code_texted_to_their_safe_number_and_adds_an_entry(app, client, policy):
    report = submitted(policy)
    sent = open_diary(client, app, report)
    assert sent.to == "+447700900123"
    assert "music" not in sent.body  # the code text says nothing about the case
    response = entry(client, files=[(io.BytesIO(png_bytes()), "../../etc/photo.png")])
    assert response.headers["Location"].endswith("/diary/added")
    page = client.get("/diary/added").get_data(as_text=True)
    assert "Entry number 1" in page
    db.session.refresh(report)
    [added] = report.diary
    assert (added.what_happened, added.police_reference, added.channel) == ("music again at 2am", "CAD 1234", "web")
    [photo] = added.evidence
    assert photo.kind == "image" and photo.content_type == "image/png" and photo.stored_as.endswith(".png")
    assert ".." not in photo.stored_as


def test_an_unknown_reference_gets_the_same_page_and_no_text(app, client):
    before = len(app.extensions["outbound_sender"].sent)
    response = answer(client, "/diary", {"reference": "123-456-789"})
    assert response.headers["Location"].endswith("/diary/code")
    assert len(app.extensions["outbound_sender"].sent) == before
    page = answer(client, "/diary/code", {"code": "000000"}).get_data(as_text=True)
    assert "That code is not right" in page


def test_a_file_that_is_not_a_photo_video_or_sound_is_refused_with_a_clear_message(app, client, policy):
    report = submitted(policy)
    open_diary(client, app, report)
    zip_as_image = io.BytesIO(b"PK\x03\x04" + b"\x00" * 100)
    page = entry(client, files=[(zip_as_image, "photo.jpg")]).get_data(as_text=True)
    assert "Each file must be a photo" in page
    big = io.BytesIO(b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024))
    page = entry(client, files=[(big, "big.jpg")]).get_data(as_text=True)
    assert "smaller than 10 MB" in page
    db.session.refresh(report)
    assert report.diary == []  # nothing half-stored


def test_a_diary_entry_in_danger_puts_999_first_and_one_getting_worse_is_flagged_to_the_officer(app, client, policy):
    report = submitted(policy)
    open_diary(client, app, report)
    entry(client, what="hes outside my door with a knife")
    main = client.get("/diary/added").get_data(as_text=True).split("<main", 1)[1]
    assert main.index("999") < main.index("govuk-panel__title")
    entry(client, what="its getting worse, every night now")
    db.session.refresh(report)
    assert "diary_worsening" in report.flags
    staff(policy, "chm", role="admin")
    from tests.webapp.factories import sign_in

    sign_in(client, "chm")
    page = client.get(f"/staff/reports/{report.reference}").get_data(as_text=True)
    assert "Diary says it is getting worse" in page
    assert page.index("Entry 1") < page.index("Entry 2")


def test_an_entry_changed_in_the_database_makes_diary_verify_fail(app, client, policy):
    report = submitted(policy)
    open_diary(client, app, report)
    entry(client, what="first")
    entry(client, what="second")
    runner = app.test_cli_runner()
    ok = runner.invoke(verify, [report.reference])
    assert ok.exit_code == 0 and "2 diary entries, chain intact" in ok.output
    db.session.execute(text("UPDATE diary_entries SET what_happened = 'nothing at all' WHERE seq = 1"))
    db.session.commit()
    broken = runner.invoke(verify, [report.reference])
    assert broken.exit_code == 1
    assert "entry 1 was changed after it was written" in broken.output
