"""`flask triage`: one JSON object a message, for landlords checking a policy or model against past messages."""

from __future__ import annotations

import json

from webapp.triage_cli import triage_cli


def run(app, *args):
    return app.test_cli_runner().invoke(triage_cli, list(args), catch_exceptions=False)


def test_one_message_prints_the_documented_fields(app):
    result = run(app, "--rules-only", "--lang", "en", "he has a knife and is outside my door")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "outcome": "emergency",
        "category": "personal",
        "case_type": "violence_threats",
        "matter": None,
        "flags": [],
    }


def test_a_jsonl_file_prints_one_line_a_message_in_order(app, tmp_path):
    messages = tmp_path / "past.jsonl"
    messages.write_text(
        "\n".join(
            json.dumps(m)
            for m in [
                {"lang": "en", "text": "i can hear footsteps from upstairs"},
                {"lang": "pl", "text": "sąsiad z góry specjalnie tupie o 3 w nocy odkąd się poskarżyłam"},
                {"lang": "en", "text": "they keep calling me racist names"},
            ]
        ),
        encoding="utf-8",
    )
    result = run(app, "--rules-only", "--jsonl", str(messages))
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["outcome"] for line in lines] == ["not_asb", "asb", "asb"]
    assert lines[0]["matter"] == "footsteps"
    assert lines[2]["flags"] == ["hate"]


def test_a_broken_line_is_named_with_its_number(app, tmp_path):
    messages = tmp_path / "past.jsonl"
    messages.write_text('{"lang": "en", "text": "ok"}\nnot json\n', encoding="utf-8")
    result = app.test_cli_runner().invoke(triage_cli, ["--rules-only", "--jsonl", str(messages)])
    assert result.exit_code != 0
    assert "past.jsonl:2" in result.output


def test_text_or_a_file_is_needed(app):
    result = app.test_cli_runner().invoke(triage_cli, ["--rules-only"])
    assert result.exit_code == 2
