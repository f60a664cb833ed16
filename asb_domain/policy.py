"""Loading and checking the landlord's policy file.

The policy is data a landlord edits (policy/asb-policy.yaml). It is checked in
two passes: the JSON schema (shape and types), then the cross-references
between ids. Every problem is reported with where it is in the file
(`line 123: ram.questions[2].options[0].score: ...`), so a landlord can fix all
of them in one go.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from asb_domain.policy_schema import POLICY_SCHEMA

POLICY_ENV_VAR = "ASB_POLICY_FILE"
REPO_ROOT = Path(__file__).resolve().parent.parent


def default_policy_path() -> Path:
    """The file named by ASB_POLICY_FILE, or the policy shipped in the repo."""
    return Path(os.environ.get(POLICY_ENV_VAR) or REPO_ROOT / "policy" / "asb-policy.yaml")


@dataclass(frozen=True)
class Problem:
    where: str  # a dotted path into the document, e.g. ram.bands[1].min
    message: str
    line: int | None = None

    def __str__(self) -> str:
        at = f"line {self.line}: " if self.line else ""
        return f"{at}{self.where or '(top level)'}: {self.message}"


class PolicyError(Exception):
    """The policy file is missing, not YAML, or breaks the schema or its own ids."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        lines = [f"The policy file {self.path} has {len(problems)} problem(s):"]
        lines += [f"  {self.path}: {p}" for p in problems]
        super().__init__("\n".join(lines))


# --- the policy in force, as typed objects ------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    score: int
    flag: str | None = None
    sms_label: str | None = None  # shorter, for a text message

    @property
    def short_label(self) -> str:
        return self.sms_label or self.label


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    section: str
    text: str
    options: tuple[Option, ...]
    multiple: bool = False
    details: str | None = None
    consent: str | None = None
    sms_text: str | None = None  # shorter, for a text message

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True)
class Band:
    id: str
    label: str
    min: int
    max: int | None = None

    def contains(self, total: int) -> bool:
        return total >= self.min and (self.max is None or total <= self.max)


@dataclass(frozen=True)
class Override:
    id: str
    reason: str
    priority: str
    case_type_risk: str | None = None
    question: str | None = None
    option: str | None = None


@dataclass(frozen=True)
class CaseType:
    id: str
    label: str
    category: str
    risk: str
    handler: str
    advice: tuple[str, ...] = ()
    flag: str | None = None


@dataclass(frozen=True)
class NotAsbMatter:
    id: str
    label: str
    reason: str
    what_you_can_do: tuple[str, ...]
    asb_after_all: tuple[str, ...]
    case_type: str


@dataclass(frozen=True)
class Priority:
    id: str
    label: str
    urgent: bool


@dataclass(frozen=True)
class Policy:
    raw: dict = field(repr=False, compare=False)
    source: str = ""

    # Typed views over `raw`, built once in load_policy.
    questions: tuple[Question, ...] = ()
    bands: tuple[Band, ...] = ()
    overrides: tuple[Override, ...] = ()
    case_types: dict[str, CaseType] = field(default_factory=dict)
    not_asb: dict[str, NotAsbMatter] = field(default_factory=dict)
    priorities: dict[str, Priority] = field(default_factory=dict)

    @property
    def landlord_name(self) -> str:
        return self.raw["landlord"]["name"]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def ids(self, section: str) -> list[str]:
        return [item["id"] for item in self.raw[section]]

    def by_id(self, section: str, item_id: str) -> dict:
        for item in self.raw[section]:
            if item["id"] == item_id:
                return item
        raise KeyError(f"{section}: {item_id}")

    def contact(self, contact_id: str) -> dict:
        return self.by_id("contacts", contact_id)

    def role_for_risk(self, risk: str) -> list[str]:
        return [r["id"] for r in self.raw["roles"] if risk in r["risk_levels"]]

    @property
    def response_times(self) -> dict:
        return self.raw["response_times"]

    @property
    def repeat_window_months(self) -> int:
        return self.raw["repeat_victims"]["window_months"]

    @property
    def case_review(self) -> dict:
        return self.raw["case_review"]


# --- loading ---------------------------------------------------------------------


def load_policy(path: Path | str | None = None) -> Policy:
    """Read, check and return the policy. Raises PolicyError listing every problem."""
    path = Path(path) if path is not None else default_policy_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(path, [Problem("", f"cannot be read ({exc.strerror})")]) from None
    return parse_policy(text, source=str(path))


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    try:
        # libyaml's loader where it is built in: the policy holds thousands of phrases in seven languages.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(source, [Problem("", f"is not valid YAML: {problem}", line)]) from None

    lines = _line_index(node)
    problems = _schema_problems(data, lines)
    if not problems:
        problems = _reference_problems(data, lines)
    if problems:
        raise PolicyError(source, problems)
    return _build(data, source)


def _line_index(node: yaml.Node | None) -> dict[str, int]:
    """Map every dotted path in the YAML document to its 1-based line."""
    index: dict[str, int] = {}

    def walk(n: yaml.Node, path: str) -> None:
        index[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                child = f"{path}.{key.value}" if path else str(key.value)
                index[child] = key.start_mark.line + 1
                walk(value, child)
                index[child] = key.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, f"{path}[{i}]")

    if node is not None:
        walk(node, "")
    return index


def _dotted(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(lines: dict[str, int], where: str, message: str) -> Problem:
    """A problem at `where`, on the line of the nearest enclosing path the file has."""
    probe = where
    while probe and probe not in lines:
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return Problem(where, message, lines.get(probe))


def _schema_problems(data: Any, lines: dict[str, int]) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("", "must be a YAML mapping of sections (landlord, categories, ram, ...)", 1)]
    validator = jsonschema.Draft7Validator(POLICY_SCHEMA)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where = _dotted(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties":
            message = f"has a field the policy does not know: {message}"
        elif error.validator == "required":
            message = f"is missing a field: {message}"
        problems.append(_problem(lines, where, message))
    return problems


def _reference_problems(data: dict, lines: dict[str, int]) -> list[Problem]:
    """Cross-checks between sections that a schema cannot express."""
    problems: list[Problem] = []

    def add(where: str, message: str) -> None:
        problems.append(_problem(lines, where, message))

    def ids_of(section_items: list, where: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(section_items):
            if item["id"] in seen:
                add(f"{where}[{i}].id", f"'{item['id']}' is used twice")
            seen.add(item["id"])
        return seen

    categories = ids_of(data["categories"], "categories")
    roles = ids_of(data["roles"], "roles")
    case_types = ids_of(data["case_types"], "case_types")
    signs = ids_of(data["asb_signs"], "asb_signs")
    ids_of(data["not_asb"], "not_asb")
    self_help = ids_of(data["self_help"], "self_help")
    contacts = ids_of(data["contacts"], "contacts")
    priorities = ids_of(data["priorities"], "priorities")
    questions = ids_of(data["ram"]["questions"], "ram.questions")
    ids_of(data["ram"]["overrides"], "ram.overrides")

    def must_be(value: str, known: set[str], where: str, what: str) -> None:
        if value not in known:
            add(where, f"'{value}' is not one of the {what}: {', '.join(sorted(known))}")

    for missing in {"emergency", "emergency_text_relay", "domestic_abuse_helpline"} - contacts:
        add("contacts", f"must include the '{missing}' contact: every channel gives it")

    for i, ct in enumerate(data["case_types"]):
        where = f"case_types[{i}]"
        must_be(ct["category"], categories, f"{where}.category", "categories")
        must_be(ct["handler"], roles, f"{where}.handler", "roles")
        role = next((r for r in data["roles"] if r["id"] == ct["handler"]), None)
        if role and ct["risk"] not in role["risk_levels"]:
            add(f"{where}.risk", f"'{ct['risk']}' case types are not seen by the role '{role['id']}'")
        for j, advice in enumerate(ct.get("advice", [])):
            must_be(advice, contacts, f"{where}.advice[{j}]", "contacts")

    for i, matter in enumerate(data["not_asb"]):
        where = f"not_asb[{i}]"
        for j, item in enumerate(matter["what_you_can_do"]):
            must_be(item, self_help, f"{where}.what_you_can_do[{j}]", "self_help ids")
        for j, sign in enumerate(matter["asb_after_all"]):
            must_be(sign, signs, f"{where}.asb_after_all[{j}]", "asb_signs")
        must_be(matter["case_type"], case_types, f"{where}.case_type", "case types")

    numbers = set()
    for i, q in enumerate(data["ram"]["questions"]):
        where = f"ram.questions[{i}]"
        if q["number"] in numbers:
            add(f"{where}.number", f"question number {q['number']} is used twice")
        numbers.add(q["number"])
        option_ids = [o["id"] for o in q["options"]]
        for j, option_id in enumerate(option_ids):
            if option_ids.index(option_id) != j:
                add(f"{where}.options[{j}].id", f"'{option_id}' is used twice in this question")

    bands = sorted(data["ram"]["bands"], key=lambda b: b["min"])
    if bands[0]["min"] != 0:
        add("ram.bands", "the lowest band must start at 0")
    for lower, upper in zip(bands, bands[1:], strict=False):
        if lower.get("max") is None or lower["max"] + 1 != upper["min"]:
            add("ram.bands", f"band '{lower['id']}' must end one below where '{upper['id']}' starts ({upper['min']})")
    if bands[-1].get("max") is not None:
        add("ram.bands", f"the highest band '{bands[-1]['id']}' must have no max")
    for band in bands:
        must_be(band["id"], priorities, "ram.bands", "priorities (each band sets the priority of the same id)")

    for i, override in enumerate(data["ram"]["overrides"]):
        where = f"ram.overrides[{i}]"
        must_be(override["priority"], priorities, f"{where}.priority", "priorities")
        answer = override["when"].get("answer")
        if answer:
            if answer["question"] not in questions:
                must_be(answer["question"], questions, f"{where}.when.answer.question", "RAM questions")
            else:
                q = next(q for q in data["ram"]["questions"] if q["id"] == answer["question"])
                must_be(answer["option"], {o["id"] for o in q["options"]}, f"{where}.when.answer.option", "options")

    known = {"signs": signs, "matters": {m["id"] for m in data["not_asb"]}, "case_types": case_types}
    for section, ids in known.items():
        for item_id in data["triage"][section]:
            must_be(item_id, ids, f"triage.{section}.{item_id}", section.replace("_", " "))
    informed = data["keeping_informed"]
    # Besides the RAM questions, the answers to how, when and how often to keep the resident informed.
    contact_answers = {
        "contact_ways": {"text", "call", "voicemail", "email", "none"},
        "safe_times": {"any_time"} | {p["id"] for p in informed["periods"]} | {d["id"] for d in informed["days"]},
        "update_frequency": {f["id"] for f in informed["update_frequencies"]},
    }
    for question_id, by_option in data["triage"].get("answers", {}).items():
        q = next((q for q in data["ram"]["questions"] if q["id"] == question_id), None)
        if question_id in contact_answers:
            for option_id in by_option:
                where = f"triage.answers.{question_id}.{option_id}"
                must_be(option_id, contact_answers[question_id], where, "choices")
            continue
        if q is None:
            must_be(question_id, questions, f"triage.answers.{question_id}", "RAM questions")
            continue
        for option_id in by_option:
            must_be(option_id, {o["id"] for o in q["options"]}, f"triage.answers.{question_id}.{option_id}", "options")
    if "en" not in data["triage"]["emergency"]:
        add("triage.emergency", "must have English ('en') phrases: English is the fallback language")

    if not any(p["urgent"] for p in data["priorities"]):
        add("priorities", "at least one priority must be urgent")

    informed = data["keeping_informed"]
    frequencies = ids_of(informed["update_frequencies"], "keeping_informed.update_frequencies")
    must_be(
        informed["default_update_frequency"],
        frequencies,
        "keeping_informed.default_update_frequency",
        "update frequencies",
    )
    ids_of(informed["periods"], "keeping_informed.periods")
    ids_of(informed["days"], "keeping_informed.days")
    ids_of(informed["closure_reasons"], "keeping_informed.closure_reasons")
    ids_of(informed["survey"], "keeping_informed.survey")
    if informed["hours"]["start"] >= informed["hours"]["end"]:
        add("keeping_informed.hours", "start must be before end")
    for i, period in enumerate(informed["periods"]):
        if period["start"] >= period["end"]:
            add(f"keeping_informed.periods[{i}]", "start must be before end")
    return problems


def _build(data: dict, source: str) -> Policy:
    questions = tuple(
        Question(
            id=q["id"],
            number=q["number"],
            section=q["section"],
            text=q["text"],
            options=tuple(Option(**o) for o in q["options"]),
            multiple=q.get("multiple", False),
            details=q.get("details"),
            consent=q.get("consent"),
            sms_text=q.get("sms_text"),
        )
        for q in sorted(data["ram"]["questions"], key=lambda q: q["number"])
    )
    overrides = tuple(
        Override(
            id=o["id"],
            reason=o["reason"],
            priority=o["priority"],
            case_type_risk=o["when"].get("case_type_risk"),
            question=o["when"].get("answer", {}).get("question"),
            option=o["when"].get("answer", {}).get("option"),
        )
        for o in data["ram"]["overrides"]
    )
    return Policy(
        raw=data,
        source=source,
        questions=questions,
        bands=tuple(Band(**b) for b in sorted(data["ram"]["bands"], key=lambda b: b["min"])),
        overrides=overrides,
        case_types={c["id"]: CaseType(**{**c, "advice": tuple(c.get("advice", ()))}) for c in data["case_types"]},
        not_asb={
            m["id"]: NotAsbMatter(
                **{**m, "what_you_can_do": tuple(m["what_you_can_do"]), "asb_after_all": tuple(m["asb_after_all"])}
            )
            for m in data["not_asb"]
        },
        priorities={p["id"]: Priority(**p) for p in data["priorities"]},
    )
