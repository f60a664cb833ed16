"""Reference numbers: short, digits only, with a check digit that catches typing and reading slips."""

import re

from asb_domain.references import format_reference, is_valid, new_reference, parse_reference


def test_a_new_reference_is_nine_digits_shown_in_threes():
    ref = new_reference()
    assert re.fullmatch(r"\d{9}", ref)
    assert is_valid(ref)
    assert re.fullmatch(r"\d{3}-\d{3}-\d{3}", format_reference(ref))


def test_every_single_mistyped_digit_is_caught():
    for _ in range(50):
        ref = new_reference()
        for position in range(9):
            for digit in "0123456789":
                if digit != ref[position]:
                    assert not is_valid(ref[:position] + digit + ref[position + 1 :])


def test_every_swap_of_two_neighbouring_digits_is_caught():
    for _ in range(200):
        ref = new_reference()
        for i in range(8):
            if ref[i] != ref[i + 1]:
                swapped = ref[:i] + ref[i + 1] + ref[i] + ref[i + 2 :]
                assert not is_valid(swapped)


def test_references_are_read_back_however_they_are_typed():
    ref = new_reference()
    shown = format_reference(ref)
    assert parse_reference(shown) == ref
    assert parse_reference(f"  {ref[:3]} {ref[3:6]} {ref[6:]} ") == ref
    assert parse_reference(f"Ref: {shown}") == ref
    assert parse_reference(f"ASB {ref}") == ref
    with_letter_o = ref.replace("0", "O")
    assert parse_reference(with_letter_o) == ref


def test_nonsense_is_not_a_reference():
    assert parse_reference("hello") is None
    assert parse_reference("12345") is None
    assert parse_reference("") is None
