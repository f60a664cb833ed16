"""The report store and the case queue, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.domain.factories import quiet_answers
from tests.webapp.factories import draft_report
from webapp import reports
from webapp.extensions import db
from webapp.models import CaseEvent, RamAnswer, Report


def test_a_submitted_report_lands_in_the_queue_with_score_breakdown_priority_and_date(app, policy):
    answers = quiet_answers() | {"q1_frequency": "daily", "q5_history": "harassing_now"}
    report = reports.submit(policy, draft_report(), answers, details={"q2_linked": "same people as before"})

    stored = db.session.scalars(select(Report)).one()
    assert stored.reference == report.reference and len(stored.reference) == 9
    assert stored.status == "submitted"
    assert stored.ram_total == 13  # daily 5 + harassing now 6 + told no one 1 + a little 1
    assert stored.risk_level == "low"
    assert stored.priority == "high"
    assert stored.priority_reasons == ["The resident says they are being harassed now."]
    assert stored.category == "nuisance"
    assert stored.handling_role == "community_housing_manager"
    assert isinstance(stored.acknowledge_by, date)
    scores = {a.question_id: a.score for a in db.session.scalars(select(RamAnswer))}
    assert scores["q1_frequency"] == 5 and scores["q5_history"] == 6 and len(scores) == 14
    assert db.session.scalars(select(RamAnswer).where(RamAnswer.question_id == "q2_linked")).one().details == (
        "same people as before"
    )
    assert [e.kind for e in db.session.scalars(select(CaseEvent))] == ["submitted"]


def test_the_queue_puts_high_priority_first_then_the_earliest_acknowledge_by_date(app, policy):
    low = reports.submit(policy, draft_report(contact_phone="07700 900001", address="1 A St"), quiet_answers())
    high = reports.submit(
        policy, draft_report(contact_phone="07700 900002", address="2 B St", case_type="harassment"), quiet_answers()
    )
    medium_answers = quiet_answers() | {
        "q1_frequency": "daily",
        "q2_linked": "yes",
        "q3_worsening": "yes",
        "q7_targeted": "you",
        "q10_affected": "a_lot",
    }
    medium = reports.submit(policy, draft_report(contact_phone="07700 900003", address="3 C St"), medium_answers)
    assert [r.priority for r in (low, high, medium)] == ["low", "high", "medium"]
    assert [r.id for r in reports.queue()] == [high.id, medium.id, low.id]
    assert [r.id for r in reports.queue(role="tenancy_enforcement_manager")] == [high.id]


def test_two_reports_from_one_address_are_flagged_as_a_repeat_and_linked(app, policy):
    first = reports.submit(policy, draft_report(contact_phone="07700 900001"), quiet_answers())
    second = reports.submit(
        policy,
        draft_report(contact_phone="07700 900999", address="12 High St, flat 3", postcode="ab12cd"),
        quiet_answers(),
    )
    assert not first.repeat_victim
    assert second.repeat_victim
    assert second.linked_references == [first.reference]


def test_a_reference_clash_draws_a_new_reference(app, policy, monkeypatch):
    first = reports.submit(policy, draft_report(), quiet_answers())
    drawn = iter([first.reference, "123456784"])
    monkeypatch.setattr(reports, "new_reference", lambda: next(drawn))
    second = reports.submit(policy, draft_report(contact_phone="07700 900777", address="9 Z St"), quiet_answers())
    assert second.reference == "123456784"
    assert db.session.scalar(select(db.func.count()).select_from(Report)) == 2


def test_only_a_draft_can_be_submitted(app, policy):
    report = reports.submit(policy, draft_report(), quiet_answers())
    with pytest.raises(ValueError, match="only a draft"):
        reports.submit(policy, report, quiet_answers())


def test_a_half_finished_report_is_kept_as_a_draft_without_a_reference(app):
    db.session.add(draft_report(case_type=None))
    db.session.commit()
    stored = db.session.scalars(select(Report)).one()
    assert stored.status == "draft"
    assert stored.reference is None
    assert reports.queue() == []
