"""The Twilio webhook against a hostile caller and Twilio's own quirks, on SQLite and PostgreSQL.

Signatures missing, wrong, replayed, for another host, over tampered or repeated parameters, and from
behind a real proxy; the same MessageSid at once from two threads and five times in a row; bodies at the
segment boundaries, with emoji and the euro sign, stored exactly and costed as Twilio bills them; and
hypothesis posting arbitrary (correctly signed) parameters: never a 500, the body stored as sent.
"""

from __future__ import annotations

import threading
import uuid

import pytest
import requests
from hypothesis import given, note
from hypothesis import strategies as st
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from asb_domain.sms import cost
from tests.webapp.browser import LiveServer
from tests.webapp.hostile.hostile import FUZZ, SPICE, hostile_text
from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage

TOKEN = "test-twilio-auth-token"
LOCAL = "http://localhost/sms/inbound"
PUBLIC = "https://asb.example.org"


def sign(url: str, params) -> str:
    return RequestValidator(TOKEN).compute_signature(url, params)


def post(client, params, url=LOCAL, signature=None, path="/sms/inbound", **kwargs):
    headers = {"X-Twilio-Signature": sign(url, params) if signature is None else signature}
    return client.post(path, data=params, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)


def sms(body="hello", sid=None, number="+447700900001"):
    return {"MessageSid": sid or f"SM{uuid.uuid4().hex}", "From": number, "To": "+447700900000", "Body": body}


def stored(sid=None):
    query = select(InboundMessage)
    if sid is not None:
        query = query.where(InboundMessage.provider_sid == sid)
    return db.session.scalars(query.order_by(InboundMessage.id)).all()


def replies_to(number: str) -> list[OutboundMessage]:
    return db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_number == number)).all()


@pytest.fixture
def twilio(app):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    return app


# --- signatures ------------------------------------------------------------------------------


def test_a_request_without_a_signature_is_refused_and_stored_nowhere(twilio, client):
    response = client.post("/sms/inbound", data=sms())
    assert response.status_code == 403
    assert client.post("/sms/inbound", data=sms(), headers={"X-Twilio-Signature": ""}).status_code == 403
    assert stored() == []


def test_a_wrong_signature_is_refused_and_stored_nowhere(twilio, client):
    params = sms()
    for signature in ("x", RequestValidator("another-account-token").compute_signature(LOCAL, params), "\x00" * 28):
        assert post(client, params, signature=signature).status_code == 403
    assert stored() == []


def test_without_an_auth_token_configured_every_request_is_refused(app, client):
    app.config.update(TWILIO_AUTH_TOKEN=None, PUBLIC_BASE_URL=None)
    assert post(client, sms()).status_code == 403
    assert stored() == []


def test_a_replayed_request_is_stored_once_and_a_replay_with_a_new_message_sid_is_refused(twilio, client):
    params = sms("HELP", number="+447700900011")
    signature = sign(LOCAL, params)
    for _ in range(3):
        assert post(client, params, signature=signature).status_code == 200
    assert len(stored(params["MessageSid"])) == 1
    assert len(replies_to("+447700900011")) == 1
    fresh = {**params, "MessageSid": "SM" + uuid.uuid4().hex}  # to get past the dedupe, the sid must change...
    assert post(client, fresh, signature=signature).status_code == 403  # ...and the signature covers it
    assert len(stored()) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"Body": "something else"},
        {"From": "+447700900999"},
        {"Body": "hello", "FromCity": "LONDON"},  # a parameter added
        {"To": None},  # a parameter taken away
    ],
    ids=["body", "from", "added", "removed"],
)
def test_tampered_parameters_break_the_signature(twilio, client, change):
    params = sms()
    signature = sign(LOCAL, params)
    tampered = {k: v for k, v in {**params, **change}.items() if v is not None}
    assert post(client, tampered, signature=signature).status_code == 403
    assert stored() == []


def test_a_signature_for_another_host_is_refused(twilio, client):
    twilio.config["PUBLIC_BASE_URL"] = PUBLIC
    params = sms()
    for url in ("https://evil.example/sms/inbound", "http://asb.example.org/sms/inbound", LOCAL):
        assert post(client, params, url=url).status_code == 403
    # Nor does a Host header help, with the public base URL set: the URL checked is the configured one.
    assert (
        post(client, params, url="https://evil.example/sms/inbound", headers={"Host": "evil.example"}).status_code
        == 403
    )
    assert post(client, params, url=f"{PUBLIC}/sms/inbound").status_code == 200
    assert len(stored()) == 1


def test_a_repeated_parameter_is_covered_by_the_signature_as_twilio_signs_it(twilio, client):
    """Two Body values: RequestValidator signs both (sorted) when given request.form, so both must be signed."""
    both = MultiDict([*sms(sid="SMtwobodies").items(), ("Body", "a second body")])
    signed_for_one = sign(LOCAL, {**both.to_dict(), "Body": "hello"})
    assert post(client, both, signature=signed_for_one).status_code == 403  # a second value slipped in: refused
    assert stored() == []
    assert post(client, both, signature=sign(LOCAL, both)).status_code == 200
    [message] = stored()
    assert message.body == "hello"  # the first, as request.form.get reads it


def test_behind_a_real_proxy_the_public_url_is_checked_whatever_the_forwarded_headers_say(twilio, client):
    """The app sees http://10.0.0.5:8000 with X-Forwarded-*; Twilio signed https://asb.example.org/..."""
    twilio.config["PUBLIC_BASE_URL"] = PUBLIC
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "asb.example.org", "X-Forwarded-For": "54.1.2.3"}
    params = sms(sid="SMproxied")
    inside = {"base_url": "http://10.0.0.5:8000", "headers": forwarded}
    assert post(client, params, url="http://10.0.0.5:8000/sms/inbound", **inside).status_code == 403
    assert post(client, params, url=f"{PUBLIC}/sms/inbound", **inside).status_code == 200
    # Twilio signs the query string too (a webhook configured with one).
    query = sms(sid="SMquery")
    response = client.post(
        "/sms/inbound?channel=main",
        data=query,
        headers={**forwarded, "X-Twilio-Signature": sign(f"{PUBLIC}/sms/inbound?channel=main", query)},
        base_url="http://10.0.0.5:8000",
    )
    assert response.status_code == 200
    # Forwarded headers naming another host change nothing: the signature is checked against PUBLIC_BASE_URL.
    spoofed = {**forwarded, "X-Forwarded-Host": "evil.example"}
    evil = sms(sid="SMspoofed")
    assert post(client, evil, url="https://evil.example/sms/inbound", base_url="http://10.0.0.5:8000",
                headers=spoofed).status_code == 403  # fmt: skip
    assert [m.provider_sid for m in stored()] == ["SMproxied", "SMquery"]


def test_status_callbacks_need_a_signature_too(twilio, client):
    params = {"MessageSid": "SMstatus", "MessageStatus": "delivered"}
    assert client.post("/sms/status", data=params).status_code == 403
    url = "http://localhost/sms/status"
    assert post(client, params, url=url, path="/sms/status", signature="wrong").status_code == 403
    assert post(client, params, url=url, path="/sms/status").status_code == 204


# --- the same message twice ------------------------------------------------------------------


def post_together(url: str, params: dict, times: int = 2) -> list:
    """The same signed request from `times` threads, released at the same instant."""
    headers = {"X-Twilio-Signature": sign(url, params)}
    start, answers = threading.Barrier(times), []

    def send():
        start.wait()
        answers.append(requests.post(url, data=params, headers=headers, timeout=30))

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_the_same_message_sid_posted_twice_at_once_is_stored_and_answered_once(twilio):
    number = "+447700900021"
    with LiveServer(twilio) as server:
        for attempt in range(5):  # five races, each with its own sid
            answers = post_together(f"{server.url}/sms/inbound", sms("HELP", sid=f"SMrace{attempt}", number=number))
            assert [a.status_code for a in answers] == [200, 200], [a.text[:500] for a in answers]
            assert all("<Response></Response>" in a.text for a in answers)
    db.session.expire_all()
    assert sorted(m.provider_sid for m in stored()) == [f"SMrace{n}" for n in range(5)]
    assert sorted(m.dedupe_key for m in replies_to(number)) == [f"help:SMrace{n}" for n in range(5)]


def test_the_same_message_sid_five_times_in_a_row_is_stored_and_answered_once(twilio, client):
    params = sms("HELP", sid="SMfive", number="+447700900022")
    answers = [post(client, params) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert len(stored("SMfive")) == 1
    assert [m.dedupe_key for m in replies_to("+447700900022")] == ["help:SMfive"]


# --- bodies and what they cost ---------------------------------------------------------------

# Worked out by hand, as Twilio bills (https://www.twilio.com/docs/glossary/what-sms-character-limit and
# Twilio's segment calculator): GSM-7 is 160 septets in one segment or 153 a segment when split, with
# ^{}[]~\|€ taking two (an escape and the character, never split between segments); one character outside
# GSM-7 makes the whole message UCS-2, 70 UTF-16 units in one segment or 67 a segment when split, and an emoji
# is two units (a surrogate pair, never split between segments either).
BODIES = [
    ("", "GSM-7", 0, 0),  # nothing to send (an empty body is refused by Twilio's API, error 21619)
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),  # 153 + 8
    ("a" * 1600, "GSM-7", 1600, 11),  # Twilio's longest: 10 full parts of 153 is 1530, and 70 more
    ("€", "GSM-7", 2, 1),
    ("€" * 80, "GSM-7", 160, 1),
    ("a" * 159 + "€", "GSM-7", 161, 2),  # the euro sign's second septet is the 161st
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),  # 306 = 2 x 153, but the € cannot straddle: 152 | 2+151 | 1
    ("😀", "UCS-2", 2, 1),
    ("😀" * 35, "UCS-2", 70, 1),
    ("😀" * 36, "UCS-2", 72, 2),  # 36 + 36 units
    ("a" * 69 + "😀", "UCS-2", 71, 2),
    ("a" * 66 + "😀" + "a" * 66, "UCS-2", 134, 3),  # 134 = 2 x 67, but the emoji cannot straddle: 66 | 2+65 | 1
    ("Zażółć gęślą jaźń €", "UCS-2", 19, 1),  # Polish letters: UCS-2, where € is one unit
    ("👩\u200d👩\u200d👧", "UCS-2", 8, 1),  # three emoji joined: 2 + 1 + 2 + 1 + 2
]


@pytest.mark.parametrize(("body", "encoding", "units", "segments"), BODIES, ids=[f"{len(b)}-chars" for b, *_ in BODIES])
def test_bodies_at_the_segment_boundaries_are_stored_exactly_and_costed_as_twilio_bills(
    twilio, client, body, encoding, units, segments
):
    params = sms(body)
    assert post(client, params).status_code == 200
    [message] = stored(params["MessageSid"])
    assert message.body == body
    assert cost(body) == type(cost(body))(encoding, units, segments)


@pytest.mark.parametrize("num_media", [":", "-1", "1e9", "99999999999", "٣"])
def test_a_nonsense_num_media_is_stored_with_the_media_actually_sent_not_a_500_or_a_hang(twilio, client, num_media):
    # Found by the fuzzing below: int(":") was a 500, and range(99999999999) never ended.
    params = {**sms(), "NumMedia": num_media, "MediaUrl0": "https://api.twilio.com/media/ME1"}
    assert post(client, params).status_code == 200
    [message] = stored()
    assert message.media == ["https://api.twilio.com/media/ME1"]


def test_a_nul_in_a_signed_message_is_left_out_and_the_rest_stored_not_a_500(twilio, client):
    # Found by the fuzzing below: a NUL anywhere was a 500 on PostgreSQL, so Twilio's retry failed too.
    params = sms("call me\x00 back", number="+44770090\x000051")
    assert post(client, params).status_code == 200
    [message] = stored()
    assert (message.body, message.from_number) == ("call me back", "+447700900051")


# --- hypothesis: anything, signed ------------------------------------------------------------

NAMES = ["MessageSid", "SmsSid", "From", "To", "Body", "NumMedia", "MediaUrl0", "MediaUrl1", "NumSegments"]
NAMES += ["FromCity", "FromZip", "AccountSid", "ApiVersion", "MessagingServiceSid", "SmsStatus", "OptOutType"]

param_value = st.one_of(hostile_text, st.sampled_from(["0", "1", "3", "10", "-1", "1e9", "99999999999", "", "x"]))
# Twilio's own: a sid per message (unique, so each example is stored anew), a phone number, a body.
params = st.fixed_dictionaries(
    {
        "MessageSid": st.just("SM"),  # made unique in each example (hypothesis repeats what it draws)
        "From": st.one_of(
            st.just("+447700900031"), st.sampled_from(["", "07700 900031", "+1", "\x00", "٠٧٧٠٠"]), hostile_text
        ),  # fmt: skip
        "Body": st.one_of(hostile_text, st.lists(st.sampled_from(SPICE), max_size=30).map("".join)),
    },
    optional={name: param_value for name in NAMES if name not in ("MessageSid", "From", "Body")}
    | {"Extra": param_value, "body": param_value, "": param_value},
)


def test_any_signed_parameters_never_make_a_500_and_the_body_is_stored_as_sent(twilio, client):
    @FUZZ
    @given(params=params, drop=st.sets(st.sampled_from(["MessageSid", "From", "Body"]), max_size=1))
    def fuzz(params, drop):
        params = {k: v for k, v in params.items() if k not in drop}
        if "MessageSid" in params:
            params["MessageSid"] = f"SM{uuid.uuid4().hex}"
        note(repr({k: v[:80] for k, v in params.items()}))
        before = db.session.scalar(select(func.count()).select_from(InboundMessage))
        response = post(client, params)
        assert response.status_code in (200, 400), response.get_data(as_text=True)[:1000]
        db.session.expire_all()
        if response.status_code == 400:
            given = {k: (v or "").replace("\x00", "") for k, v in params.items()}
            assert not (given.get("MessageSid") or given.get("SmsSid")) or not given.get("From")
            assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == before
            return
        if "MessageSid" not in params:
            return
        [message] = stored(params["MessageSid"])
        # Exactly as sent: only NUL, which a PostgreSQL text column cannot hold (and Twilio never sends: GSM's
        # 0x00 is '@', which arrives as '@'), is left out.
        assert message.body == params.get("Body", "").replace("\x00", "")

    fuzz()


def test_any_signed_status_callback_never_makes_a_500_and_never_moves_a_message_back(twilio, client):
    from webapp.outbound import send_message

    message = send_message("+447700900041", "hello", dedupe_key="hostile-status")
    url = "http://localhost/sms/status"

    @FUZZ
    @given(
        status=st.one_of(st.sampled_from(["sent", "delivered", "failed", "undelivered", "DELIVERED"]), hostile_text),
        error=st.one_of(st.none(), st.sampled_from(["30003", "21610"]), hostile_text),
        sid=st.one_of(st.just(message.provider_sid), hostile_text),
    )
    def fuzz(status, error, sid):
        params = {"MessageSid": sid, "MessageStatus": status} | ({"ErrorCode": error} if error is not None else {})
        response = post(client, params, url=url, path="/sms/status")
        assert response.status_code == 204
        db.session.refresh(message)
        assert message.status in ("sent", "delivered", "failed", "undelivered")
        assert message.last_error_code is None or len(message.last_error_code) <= 32

    fuzz()
