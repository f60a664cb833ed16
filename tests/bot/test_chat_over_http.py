"""Whole conversations with the real Rasa server and action server, through the web chat, ending in the queue."""

from __future__ import annotations

import re

from tests.bot.stack import Resident


def _reference(replies: list[str]) -> str:
    found = re.search(r"(\d{3}-\d{3}-\d{3})", "\n".join(replies))
    assert found, replies
    return found.group(1).replace("-", "")


def _finish_contact_and_send(resident: Resident) -> list[str]:
    assert "How can we contact you safely" in resident.says("1")[-1]  # q14: my family
    assert "phone number" in resident.says("text or call")[-1]
    assert "What name" in resident.says("07700 900123")[-1]
    assert "When is it safe" in resident.says("Sam")[-1]
    assert "How often would you like an update" in resident.says("weekday evenings")[-1]
    assert "share information" in resident.says("every 2 weeks")[-1]
    assert "Shall I send your report now?" in resident.says("yes")[-1]
    return resident.says("yes send it")


def test_a_whole_chat_report_reaches_the_queue_with_the_score_and_priority_of_its_free_text_answers(stack):
    resident = stack.resident()
    replies = resident.says("the bloke upstairs plays loud music every night till 3am")
    assert "999" in replies[0]
    assert "When does it happen" in replies[-1]
    assert "Where does it happen" in resident.says("every night from about 11")[-1]
    assert "address and postcode" in resident.says("the flat above mine")[-1]
    assert "who is doing it" in resident.says("Flat 4, 12 River Road, AB1 2CD")[-1]
    assert "Question 1 of 14" in resident.says("skip")[-1]
    assert "Question 2 of 14" in resident.says("pretty much every night")[-1]  # daily: 5
    assert "Question 3 of 14" in resident.says("same lads as last time")[-1]  # linked: 2
    assert "Question 4 of 14" in resident.says("yeah its getting worse")[-1]  # 2
    assert "Question 5 of 14" in resident.says("we know each other a bit")[-1]  # known: 1
    assert "Question 6 of 14" in resident.says("not that i know of")[-1]  # 0
    assert "Question 7 of 14" in resident.says("no")[-1]  # told no one: 1
    assert "Question 8 of 14" in resident.says("me")[-1]  # at me: 4
    assert "Question 9 of 14" in resident.says("no")[-1]  # 0
    assert "Question 10 of 14" in resident.says("2")[-1]  # 0
    assert "Question 11 of 14" in resident.says("a lot")[-1]  # 3
    assert "Question 12 of 14" in resident.says("cant sleep, anxiety")[-1]  # physical 3 + mental 3
    assert "Question 13 of 14" in resident.says("no")[-1]  # 0
    assert "Question 14 of 14" in resident.says("a few")[-1]  # 1
    sent = _finish_contact_and_send(resident)  # family: 1

    assert "Your report has been sent" in sent[-1]
    reference = _reference(sent)
    [report] = [r for r in stack.reports() if r.reference == reference]
    assert report.channel == "chat"
    assert report.case_type == "noise"
    assert report.category == "nuisance"
    assert report.ram_total == 5 + 2 + 2 + 1 + 0 + 1 + 4 + 0 + 0 + 3 + 6 + 0 + 1 + 1
    assert report.risk_level == "high"  # 26: high from 22 (the policy's bands)
    assert report.priority == "high"
    assert report.postcode == "AB1 2CD"
    assert report.text_safe and report.call_safe and not report.voicemail_safe
    # "weekday evenings": messages we start go only then; "every 2 weeks": the update schedule.
    assert report.contact_windows == {"periods": ["evenings"], "days": "weekdays"}
    assert report.update_frequency == "fortnightly"
    answers = {a.question_id: a for a in report.answers}
    assert answers["q1_frequency"].options == ["daily"]
    assert answers["q2_linked"].details == "same lads as last time"
    assert answers["q11_health"].options == ["physical", "mental"]


def test_danger_in_the_first_message_gets_999_before_any_question_and_the_report_can_carry_on(stack):
    resident = stack.resident()
    replies = resident.says("hes outside my door with a knife and says hes going to kill me")
    assert "call 999" in replies[0]
    assert "18000" in replies[0]
    assert not any("Question" in r or "?" in r for r in replies[:1])
    assert "carry on" in "\n".join(replies)
    assert "When does it happen" in replies[-1]


def test_danger_in_the_middle_of_the_report_gets_999_at_once_then_are_you_safe_then_the_same_question(stack):
    resident = stack.resident()
    resident.says("my neighbour keeps shouting abuse at me in the stairwell")
    resident.says("every day")
    resident.says("stairwell")
    resident.says("skip")
    question_1 = resident.says("skip")[-1]
    assert "Question 1 of 14" in question_1
    replies = resident.says("he's kicking my door in right now")
    assert "call 999" in replies[0]
    assert replies[-1] == "Are you safe now? Reply YES when you are safe, and we will carry on."
    replies = resident.says("yes")
    assert replies[-1] == question_1


def test_a_matter_the_policy_does_not_treat_as_asb_gets_the_reason_and_advice_and_no_report_when_it_is_only_that(stack):
    resident = stack.resident()
    replies = resident.says("i can hear the footsteps of the people upstairs in the day")
    text = "\n".join(replies)
    assert "Everyday footsteps are part of living close to others" in text
    assert "mediation" in text
    assert "Is it more than that" in replies[-1]
    before = len(stack.reports())
    replies = resident.says("no")
    assert "We will not make a report about this" in replies[-1]
    assert len(stack.reports()) == before


def test_footsteps_on_purpose_at_3am_go_on_as_a_noise_report(stack):
    resident = stack.resident()
    replies = resident.says("upstairs stamps about on purpose at 3am ever since i complained")
    assert "When does it happen" in replies[-1]  # no screening: it is ASB after all


def test_going_on_past_screening_carries_on_with_the_report(stack):
    resident = stack.resident()
    assert "Is it more than that" in resident.says("my neighbours are always cooking curry and it smells")[-1]
    assert "When does it happen" in resident.says("yes they do it on purpose to wind me up")[-1]


def test_an_unclear_answer_gets_numbered_options_then_an_explanation_then_moves_on_never_looping(stack):
    resident = stack.resident()
    resident.says("people dealing drugs from the flat next door")
    for answer in ("nights", "flat 3", "skip", "skip"):
        resident.says(answer)
    first = resident.says("banana")[-1]
    assert first.startswith("Sorry, I did not understand.") and "1. Every day" in first
    assert "Every day" in resident.choices()
    second = resident.says("purple")
    assert "We ask everyone these questions" in second[0]
    assert "SKIP" in second[0]
    third = resident.says("elephant")
    assert "skip that one" in third[0]
    assert "Question 2 of 14" in third[-1]


def test_skip_dont_know_help_and_button_labels_work_at_every_step(stack):
    resident = stack.resident()
    resident.says("someone has sprayed graffiti all over the bin store")
    resident.says("dont know")
    resident.says("bin store")
    resident.says("skip")
    assert "Question 1 of 14" in resident.says("no idea")[-1]
    help_replies = resident.says("why are you asking")
    assert "We ask everyone these questions" in help_replies[0]
    assert "Question 1 of 14" in help_replies[-1]
    assert "Question 2 of 14" in resident.says("Most weeks")[-1]  # a button's label


def test_correcting_an_earlier_answer_changes_it_and_the_score_follows(stack):
    resident = stack.resident()
    resident.says("a gang of lads keep hanging round the stairwell smoking weed")
    for answer in ("every evening", "stairwell", "skip", "skip", "daily", "no", "no", "2", "1", "no", "no"):
        resident.says(answer)
    question_8 = resident.says("me")[-1]  # q7: at me (4)
    assert "Question 8 of 14" in question_8
    replies = resident.says("actually it's my whole family, not just me")
    assert 'changed your answer to "Do you think it is aimed at someone on purpose?" to: At my family' in replies[0]
    assert replies[-1] == question_8
    for answer in ("no", "no", "1", "skip", "no", "3"):
        resident.says(answer)
    resident.says("2")  # q14: the community
    resident.says("5")  # do not contact me
    resident.says("no")  # do not share
    sent = resident.says("yes")
    reference = _reference(sent)
    [report] = [r for r in stack.reports() if r.reference == reference]
    q7 = next(a for a in report.answers if a.question_id == "q7_targeted")
    assert q7.options == ["family"] and q7.score == 3
    assert report.no_contact
    assert "We will look into it by" in sent[-1]


def test_stop_keeps_the_answers_and_the_next_message_carries_on_where_it_stopped(stack):
    resident = stack.resident()
    resident.says("my neighbours dog barks all day when they are out")
    replies = resident.says("stop")
    assert "I have stopped" in replies[-1]
    replies = resident.says("hi im back")
    assert "Welcome back" in replies[0]
    assert "When does it happen" in replies[-1]


def test_start_again_clears_the_report_and_asks_what_is_happening(stack):
    resident = stack.resident()
    resident.says("kids on motorbikes racing round the estate")
    resident.says("every night")
    replies = resident.says("start again")
    assert "start again" in replies[0]
    assert "what is happening" in replies[-1]
    assert "When does it happen" in resident.says("someone is dealing drugs from the flat below")[-1]


def test_the_bot_speaks_polish_from_the_same_catalogs_and_understands_polish_answers(stack):
    resident = stack.resident("pl")
    replies = resident.says("sasiad z gory puszcza glosna muzyke co noc do 3 nad ranem")
    assert "999" in replies[0]
    assert replies[-1].startswith("Kiedy")  # When does it happen?
    for answer in ("co noc", "mieszkanie nad nami", "pomin"):
        resident.says(answer)
    question_1 = resident.says("nie wiem")[-1]
    assert question_1.startswith("Pytanie 1 z 14")
    assert resident.says("prawie każdej nocy")[-1].startswith("Pytanie 2 z 14")
    assert resident.says("tak")[-1].startswith("Pytanie 3 z 14")


def test_the_triage_command_meets_the_teams_targets_with_the_running_bot(stack):
    from click.testing import CliRunner

    from webapp.triage_cli import triage_eval_cli

    runner = CliRunner()
    with stack.app.app_context():
        stack.app.config["RASA_URL"], stack.app.config["RASA_TOKEN"] = stack.rasa_url, stack.rasa.token
        result = runner.invoke(triage_eval_cli, ["tests/data/triage"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "BELOW TARGET" not in result.output
    for lang in ("en", "pl", "ur"):
        assert re.search(rf"^{lang}\s+\d+\s+\d+\.\d%\s+100\.0%", result.output, re.M), result.output


def test_the_triage_command_uses_the_running_bots_nlu(stack):
    import json

    from webapp.triage_cli import triage_cli

    stack.app.config["RASA_URL"], stack.app.config["RASA_TOKEN"] = stack.rasa_url, stack.rasa.token
    result = stack.app.test_cli_runner().invoke(
        triage_cli, ["--lang", "en", "they had a party every weekend till 5am"], catch_exceptions=False
    )
    assert json.loads(result.output)["outcome"] == "asb"
