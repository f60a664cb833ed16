"""Phone numbers never reach a log whole, whatever logs them."""

import logging

from webapp.log_privacy import mask


def test_a_phone_number_in_any_log_line_is_masked_to_its_last_three_digits(app, caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").warning("could not send to %s", "+44 7700 900123")
        logging.getLogger("webapp.sms").error("failed for 07700900123 and 07700-900-456")
    text = caplog.text
    assert "900123" not in text and "07700" not in text
    assert "[phone ending 123]" in text and "[phone ending 456]" in text


def test_a_case_reference_and_ordinary_numbers_are_left_alone():
    assert mask("report 482-739-156 has 14 answers, total 26") == "report 482-739-156 has 14 answers, total 26"
