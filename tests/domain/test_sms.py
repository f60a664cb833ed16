"""Segments as Twilio bills them (asb_domain.sms)."""

import pytest

from asb_domain.sms import cost


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # the euro sign counts twice
        ("€" * 81, "GSM-7", 2),
        ("it\u2019s" + "a" * 60, "UCS-2", 1),  # one curly quote makes it UCS-2
        ("ą" * 70, "UCS-2", 1),
        ("ą" * 71, "UCS-2", 2),
        ("\U0001f600" * 35, "UCS-2", 1),  # an emoji is two UTF-16 units
        ("\U0001f600" * 36, "UCS-2", 2),
        ("a" * 1600, "GSM-7", 11),
    ],
)
def test_segments_are_counted_as_twilio_bills_them(text, encoding, segments):
    result = cost(text)
    assert (result.encoding, result.segments) == (encoding, segments)
