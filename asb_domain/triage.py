"""The one triage function: is it an emergency, a matter the policy does not treat as ASB, or ASB?

Every channel (web form, chatbot, SMS, the `flask triage` command) calls
`triage`. The policy's phrase rules always run; the bot's NLU, when it is
running, is passed in as `nlu` and adds what it understood. Rules win on
danger: an emergency phrase is an emergency whatever the NLU says. A second
danger signal, the same in every language (asb_domain.danger_signal), can call
danger where the words and the NLU do not, on the same terms as the NLU.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from asb_domain import danger_signal
from asb_domain.policy import Policy

EMERGENCY, NOT_ASB, ASB = "emergency", "not_asb", "asb"


@dataclass(frozen=True)
class NluResult:
    """What the bot's NLU made of a message, in the policy's ids."""

    emergency: bool = False
    case_type: str | None = None
    matter: str | None = None
    signs: tuple[str, ...] = ()
    # The model is sure this is something the landlord acts on: it learnt the exceptions
    # ("a party every weekend", "threats over parking") as ASB, so a matter is not screened out.
    asb_after_all: bool = False
    # Below the usual confidence: used only where the rules found no case type or matter at all.
    weak: bool = False


@dataclass(frozen=True)
class Triage:
    outcome: str  # emergency, not_asb or asb
    category: str | None
    case_type: str | None
    matter: str | None  # the not-ASB matter it looks like, if any
    signs: tuple[str, ...] = ()  # ASB signs seen in the text
    flags: tuple[str, ...] = ()  # hate, domestic_abuse
    source: str = "rules"  # "rules" or "rules+nlu", and "+signal" when the second danger signal called danger
    advice: tuple[str, ...] = field(default=())  # contact ids to give (helpline, True Vision)

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "category": self.category,
            "case_type": self.case_type,
            "matter": self.matter,
            "flags": list(self.flags),
        }


# Urdu typed on an Arabic keyboard uses Arabic yeh, kaf and heh: read them as the Urdu letters.
_URDU_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1"})

# Arabic is written with and without its optional marks: "أمس"/"امس", "ى"/"ي", "ة"/"ه", "سكّين"/"سكين".
# Alef with hamza or madda and alef wasla read as bare alef, taa marbuta as heh (so, with the Urdu letters
# above, as Urdu heh goal), and tashkeel (harakat, tanween, shadda, sukun, superscript alef, and hamza or
# madda left over as separate marks) and tatweel are dropped. Alef maksura is already read as yeh, above.
# Letters that carry hamza (ئ ؤ ۂ ۓ) are kept: Urdu spells with them. Arabic-Indic and Eastern Arabic-Indic
# digits read as ASCII digits, and the Arabic question mark, comma and semicolon as their ASCII forms.
# Romanian ş and ţ typed with a cedilla (older keyboards) read as ș and ț with a comma below.
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0622": "\u0627",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0671": "\u0627",
        "\u0629": "\u0647",
        "\u0640": None,
        "\u0670": None,
        **dict.fromkeys(map(chr, range(0x064B, 0x0660)), None),
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "\u061f": "?",
        "\u060c": ",",
        "\u061b": ";",
        "\u015f": "\u0219",
        "\u0163": "\u021b",
    }
)


def normalise(text: str) -> str:
    """Lower case, single spaces, curly quotes made straight, Arabic letter variants and marks folded,
    Arabic-keyboard Urdu letters made Urdu."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_ARABIC_LETTERS).translate(_URDU_LETTERS)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=32768)
def _pattern(phrase: str) -> re.Pattern:
    # A phrase matches at the start of a word and may be a stem: "threaten" matches "threatened".
    return re.compile(r"(?<!\w)" + re.escape(normalise(phrase)))


@lru_cache(maxsize=4096)
def _any_of(phrases: tuple[str, ...]) -> re.Pattern:
    # One pattern for a whole list: with about 2,000 Arabic danger phrases, searching them one by one took 4 ms
    # a message. Longest first, though any match will do.
    alternatives = sorted({re.escape(normalise(p)) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")


def _matches(text: str, phrases: list[str]) -> bool:
    return bool(phrases) and _any_of(tuple(phrases)).search(text) is not None


# "not very loud", "nie bardzo głośno", "zyada shor nahi", "nu foarte tare", "não muito alto", "مش عالي كتير":
# a negated sign is no sign. Most negations may stand a word before the sign; Arabic "لا" and "ما" also
# mean "no" and "what" and negate the verb they stand on ("ما بنام بالليل", I don't sleep at night), so
# they count only right before the sign ("ما كل يوم", not every day).
_NEGATIONS = ["not", "isn't", "isnt", "never", "no", "nie", "nahi", "nahin", "نہیں"] + (
    ["nu", "não", "nao", "ليس", "مش", "مو", "mesh", "mish", "msh"]
)
_NEGATIONS_NEXT_TO = ["لا", "ما"]


def _either(words) -> str:
    return "|".join(re.escape(normalise(w)) for w in sorted(words, key=len, reverse=True))


_NEGATION = re.compile(
    r"(?<!\w)(?:(?:" + _either(_NEGATIONS) + r")\s+(\w+\s+)?|(?:" + _either(_NEGATIONS_NEXT_TO) + r")\s+)$"
)


def _sign_matches(text: str, phrases: list[str]) -> bool:
    for phrase in phrases:
        for match in _pattern(phrase).finditer(text):
            if not _NEGATION.search(text[max(0, match.start() - 30) : match.start()]):
                return True
    return False


def _blank_out(text: str, phrases: list[str]) -> str:
    """The text with every match of `phrases` blanked: the words that name a matter do not also count as a sign
    ("works nights" is a lifestyle difference, not "at night"; "stares at me" is a look, not "aimed at me")."""
    for phrase in phrases:
        text = _pattern(phrase).sub(lambda m: " " * len(m.group(0)), text)
    return text


def _now_starts(rules: dict, said: str, lang: str) -> list[int]:
    """Where words saying "now" start, leaving out any inside words that tell of the past: Romanian "acum"
    is "now", but "acum o lună" is "a month ago". Only the resident's own language's past words: English
    "ago" would blank the start of Portuguese "agora" (now)."""
    context = rules.get("emergency_context") or {}
    unpast = _blank_out(said, list(context.get("past", {}).get(lang, ())))
    return sorted(m.start() for p in _phrases(context.get("now", {}), lang) for m in _pattern(p).finditer(unpast))


def _says_now(rules: dict, said: str, lang: str) -> bool:
    return bool(_now_starts(rules, said, lang))


def _told_afterwards(rules: dict, said: str, lang: str) -> bool:
    """Danger words told as past events ("set fire to the bins last night") with nothing saying it is happening now."""
    return _said_before(rules, said, lang) and not _says_now(rules, said, lang)


def _abuse_in_the_past(rules: dict, said: str, lang: str, signs: list[str]) -> bool:
    """Danger words each told in a part of the message that speaks of the past, while what goes on now keeps
    happening: "my ex used to hit me, and now he keeps ringing 20 times a day" is harassment after abuse, a
    high-risk report, not a 999 call. A part is split off at punctuation and where a word saying "now" starts,
    so "he used to hit me, now he's hitting me again" stays an emergency."""
    if "repeated" not in signs:
        return False
    now = _now_starts(rules, said, lang)
    cuts = sorted({0, len(said), *now, *(m.end() for m in re.finditer(r"[,.;:!?]", said))})
    danger = [m.start() for p in _phrases(rules["emergency"], lang) for m in _pattern(p).finditer(said)]
    for start in danger:
        begin = max(c for c in cuts if c <= start)
        end = min(c for c in cuts if c > start) if any(c > start for c in cuts) else len(said)
        part = said[begin:end]
        if not _said_before(rules, part, lang) or _says_now(rules, part, lang):
            return False
    return bool(danger)


def _said_before(rules: dict, said: str, lang: str) -> bool:
    """Words that tell of the past ("last night", "used to", "when we were together")."""
    past = (rules.get("emergency_context") or {}).get("past", {})
    # English past words in another language's text count only as whole words: "ago" is no past in
    # "agotada" (exhausted) or "agosto" (August), and a danger word must not be missed for it.
    return _matches(said, list(past.get(lang, ()))) or (
        lang != "en" and any(re.search(_pattern(p).pattern + r"(?!\w)", said) for p in past.get("en", ()))
    )


def _phrases(by_lang: dict, lang: str) -> list[str]:
    # A resident may mix languages (English words in a Polish text): check theirs and English.
    return list(by_lang.get(lang, ())) + ([] if lang == "en" else list(by_lang.get("en", ())))


def _second_signal(signal, text: str, rules: dict, said: str, lang: str, signs: list[str]) -> bool:
    """The second danger signal alone calls danger on the same terms as the NLU: not when the words tell of the
    past, nor of something that keeps happening unless they say it is happening now. Nor does it overrule the
    policy's words where they name an everyday matter the landlord screens out (a fridge's hum, a neighbour's
    night shifts): the signal is a guess from the message's meaning as a whole, and on such messages, told in
    a dialect the NLU examples have little of, it was at times sure and wrong."""
    second = danger_signal.default() if signal is True else (signal or None)
    if second is None or _said_before(rules, said, lang):
        return False
    if "repeated" in signs and not _says_now(rules, said, lang):
        return False
    return second.says_danger(text)


def triage(
    policy: Policy,
    text: str,
    lang: str = "en",
    nlu: Callable[[str, str], NluResult | None] | None = None,
    signal: danger_signal.DangerSignal | bool = True,
) -> Triage:
    """`signal`: True for the process's second danger signal (if built), False for none (the SMS webhook,
    which must answer at once), or a signal of one's own."""
    rules = policy.raw["triage"]
    said = normalise(text)

    emergency = _matches(said, _phrases(rules["emergency"], lang)) and not _told_afterwards(rules, said, lang)
    matters = [m for m, by_lang in rules["matters"].items() if _matches(said, _phrases(by_lang, lang))]
    unmatched = _blank_out(said, [p for m in matters for p in _phrases(rules["matters"][m], lang)])
    signs = [s for s, by_lang in rules["signs"].items() if _sign_matches(unmatched, _phrases(by_lang, lang))]
    emergency = emergency and not _abuse_in_the_past(rules, said, lang, signs)
    # Case types in the policy's order: high-risk ones are listed first.
    case_types = [c for c in policy.case_types if _matches(said, _phrases(rules["case_types"].get(c, {}), lang))]

    source = "rules"
    nlu_says_asb = False
    understood = nlu(text, lang) if nlu else None
    if understood is not None and understood.weak and (case_types or matters):
        understood = NluResult(emergency=understood.emergency)  # only a guess, and the rules found something
    if understood is not None:
        source = "rules+nlu"
        # The model alone (no danger words) calls danger only when nothing in the words tells of the past:
        # "he used to hit me, and now he keeps ringing" is harassment after abuse, not a 999 call.
        # So is something that keeps happening, unless the words say it is happening now.
        ongoing = "repeated" in signs and not _says_now(rules, said, lang)
        emergency = emergency or (understood.emergency and not _said_before(rules, said, lang) and not ongoing)
        signs += [s for s in understood.signs if s not in signs]
        if understood.matter and understood.matter not in matters:
            matters.insert(0, understood.matter)
        if understood.case_type and understood.case_type not in case_types:
            case_types.insert(0, understood.case_type)
        nlu_says_asb = understood.asb_after_all

    high_risk = [c for c in case_types if policy.case_types[c].risk == "high"]
    case_type = high_risk[0] if high_risk else (case_types[0] if case_types else None)
    matter = matters[0] if matters else None
    # Words naming a high-risk case type, or a medium-risk one other than the matter's own ("keyed my car" after a row
    # about parking, "selling weed by the playground") are ASB in their own right, whatever matter is also seen.
    serious = high_risk + [
        c
        for c in case_types
        if policy.case_types[c].risk == "medium" and (not matter or c != policy.not_asb[matter].case_type)
    ]

    screened = (
        matter and not serious and not nlu_says_asb and not set(signs) & set(policy.not_asb[matter].asb_after_all)
    )
    if not emergency and not screened and _second_signal(signal, text, rules, said, lang, signs):
        emergency = True
        source += "+signal"
    if emergency:
        outcome = EMERGENCY
    elif screened:
        outcome = NOT_ASB
    else:
        outcome = ASB
    if matter and (outcome == NOT_ASB or case_type is None):
        # Going on past a screened matter ("it's more than footsteps") files it as the matter's case type.
        case_type = policy.not_asb[matter].case_type

    flags, advice = [], []
    for c in high_risk or ([case_type] if case_type else []):
        ct = policy.case_types[c]
        if ct.flag and ct.flag not in flags:
            flags.append(ct.flag)
        advice += [a for a in ct.advice if a not in advice]
    return Triage(
        outcome=outcome,
        category=policy.case_types[case_type].category if case_type else None,
        case_type=case_type,
        matter=matter,
        signs=tuple(signs),
        flags=tuple(flags),
        source=source,
        advice=tuple(advice),
    )
