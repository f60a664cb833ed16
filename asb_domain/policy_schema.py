"""JSON Schema (draft 7) for the policy file.

Draft 7 so that both jsonschema 3.2 (pinned by Rasa) and 4.x validate it.
Cross-references between ids (a case type's handler must be a role, and so on)
are checked in policy.py after the schema passes.
"""

ID = {"type": "string", "pattern": "^[a-z0-9_]+$"}
TEXT = {"type": "string", "minLength": 1}
ID_LIST = {"type": "array", "items": ID, "uniqueItems": True}
RISK = {"type": "string", "enum": ["low", "medium", "high"]}
WHOLE = {"type": "integer", "minimum": 0}
POSITIVE = {"type": "integer", "minimum": 1}
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}  # 24-hour HH:MM


def _record(required: dict, optional: dict | None = None) -> dict:
    properties = dict(required)
    properties.update(optional or {})
    return {
        "type": "object",
        "required": sorted(required),
        "properties": properties,
        "additionalProperties": False,
    }


def _list_of(item: dict, min_items: int = 1) -> dict:
    return {"type": "array", "items": item, "minItems": min_items}


LANG_PHRASES = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": "^[a-z]{2}$"},
    "additionalProperties": {"type": "array", "items": TEXT, "minItems": 1},
}
PHRASES_BY_ID = {"type": "object", "propertyNames": ID, "additionalProperties": LANG_PHRASES}

# Words that steer a conversation at any step (asb_domain.answers).
COMMANDS = ("skip", "dont_know", "help", "stop", "restart", "yes", "no", "correction")

OPTION = _record({"id": ID, "label": TEXT, "score": WHOLE}, {"flag": ID, "sms_label": TEXT})

QUESTION = _record(
    {
        "id": ID,
        "number": POSITIVE,
        "section": {"type": "string", "enum": ["history", "vulnerability", "support"]},
        "text": TEXT,
        "options": _list_of(OPTION, 2),
    },
    {"multiple": {"type": "boolean"}, "details": TEXT, "consent": TEXT, "sms_text": TEXT},
)

BAND = _record({"id": RISK, "label": TEXT, "min": WHOLE}, {"max": WHOLE})

OVERRIDE_WHEN = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
    "properties": {
        "case_type_risk": RISK,
        "answer": _record({"question": ID, "option": ID}),
    },
}

OVERRIDE = _record({"id": ID, "reason": TEXT, "when": OVERRIDE_WHEN, "priority": ID})

CONTACT = {
    "type": "object",
    "required": ["id", "label"],
    "properties": {
        "id": ID,
        "label": TEXT,
        "number": {"type": "string", "pattern": "^[0-9 ]+$"},
        "url": {"type": "string", "pattern": "^https://"},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["number"]}, {"required": ["url"]}],
}

POLICY_SCHEMA = _record(
    {
        "schema_version": {"const": 1},
        "landlord": _record(
            {"name": TEXT},
            {
                "phone": {"type": "string", "pattern": "^[0-9 +]+$"},
                "brand_colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
            },
        ),
        "definition": TEXT,
        "categories": _list_of(_record({"id": ID, "label": TEXT, "description": TEXT})),
        "roles": _list_of(
            _record(
                {
                    "id": ID,
                    "label": TEXT,
                    "risk_levels": {"type": "array", "items": RISK, "minItems": 1, "uniqueItems": True},
                }
            )
        ),
        "case_types": _list_of(
            _record(
                {"id": ID, "label": TEXT, "category": ID, "risk": RISK, "handler": ID},
                {"advice": ID_LIST, "flag": ID},
            )
        ),
        "asb_signs": _list_of(_record({"id": ID, "label": TEXT})),
        "not_asb": _list_of(
            _record(
                {
                    "id": ID,
                    "label": TEXT,
                    "reason": TEXT,
                    "what_you_can_do": {**ID_LIST, "minItems": 1},
                    "asb_after_all": {**ID_LIST, "minItems": 1},
                    "case_type": ID,
                }
            )
        ),
        "self_help": _list_of(_record({"id": ID, "label": TEXT, "text": TEXT})),
        "contacts": _list_of(CONTACT),
        "ram": _record(
            {
                "questions": _list_of(QUESTION),
                "bands": _list_of(BAND),
                "overrides": _list_of(OVERRIDE, 0),
                "consent_to_share": TEXT,
            },
            {"consent_to_share_sms": TEXT},
        ),
        "priorities": _list_of(_record({"id": ID, "label": TEXT, "urgent": {"type": "boolean"}})),
        "response_times": _record(
            {
                "urgent_working_days": POSITIVE,
                "standard_working_days": POSITIVE,
                "bank_holidays": _record(
                    {"country": {"type": "string", "pattern": "^[A-Z]{2}$"}},
                    {"subdivision": {"type": "string"}},
                ),
                "timezone": TEXT,
            }
        ),
        "repeat_victims": _record({"window_months": POSITIVE}),
        "case_review": _record({"reports": {"type": "integer", "minimum": 2}, "window_months": POSITIVE}),
        # Local settings (asb-policy.yaml says why): webapp/retention.py acts on them.
        "retention": _record(
            {"unsubmitted_report_days": POSITIVE, "closed_report_years": POSITIVE, "message_days": POSITIVE}
        ),
        "keeping_informed": _record(
            {
                "hours": _record({"start": CLOCK, "end": CLOCK}),
                "periods": _list_of(_record({"id": ID, "label": TEXT, "start": CLOCK, "end": CLOCK})),
                "days": _list_of(
                    _record(
                        {
                            "id": ID,
                            "label": TEXT,
                            "weekdays": {
                                "type": "array",
                                "items": {"type": "integer", "minimum": 0, "maximum": 6},
                                "minItems": 1,
                                "uniqueItems": True,
                            },
                        }
                    )
                ),
                "update_frequencies": _list_of(_record({"id": ID, "label": TEXT, "days": POSITIVE})),
                "default_update_frequency": ID,
                "closure_reasons": _list_of(
                    _record({"id": ID, "label": TEXT, "resolved": {"type": "boolean"}, "text": TEXT})
                ),
                "survey": _list_of(
                    _record(
                        {
                            "id": ID,
                            "text": TEXT,
                            # phrases: the words for an option, per language (asb_domain.informing.survey_answer)
                            "options": _list_of(
                                _record({"id": ID, "label": TEXT, "score": WHOLE}, {"phrases": LANG_PHRASES}), 2
                            ),
                        }
                    )
                ),
            }
        ),
        "triage": _record(
            {
                "emergency": LANG_PHRASES,
                "signs": PHRASES_BY_ID,
                "matters": PHRASES_BY_ID,
                "case_types": PHRASES_BY_ID,
            },
            {
                # Danger words told as past events, and words that say it is happening now.
                "emergency_context": _record({}, {"past": LANG_PHRASES, "now": LANG_PHRASES}),
                # question id -> option id -> language -> phrases (asb_domain.answers)
                "answers": {"type": "object", "propertyNames": ID, "additionalProperties": PHRASES_BY_ID},
                "commands": _record(
                    {},
                    dict.fromkeys(COMMANDS, LANG_PHRASES),
                ),
            },
        ),
    }
)
