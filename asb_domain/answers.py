"""Understanding a resident's free-text reply in a conversation (chatbot and SMS).

One place decides what a reply means: an option of a RAM question ("pretty much
every night" is daily), a yes or a no, or a command that works at every step
(skip, don't know, help, stop, start again), or a correction of an earlier
answer ("actually it's my whole family, not just me"). The words live in the
policy file under `triage.answers` and `triage.commands`, per language; a
resident may always answer with an option's number or its label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from asb_domain import meanings
from asb_domain.policy import Policy, Question
from asb_domain.triage import _either, _pattern, _phrases, normalise

SKIP, DONT_KNOW, HELP, STOP, RESTART = "skip", "dont_know", "help", "stop", "restart"
# A command counts only in a short reply that is mostly the command ("I asked him to stop" is no stop).
COMMAND_MAX_WORDS = 5
YES_NO_MAX_WORDS = 4


@dataclass(frozen=True)
class Reply:
    """What a reply means for the question asked."""

    options: tuple[str, ...] = ()  # the options it chose, if it answered
    command: str | None = None  # skip, dont_know, help, stop, restart
    details: str | None = None  # the resident's own words, kept when they said more than a choice
    # False: the words point to these options, but not clearly (a long reply, or options that pull two ways).
    # The conversation says what it understood and asks; it never stores such a reply as it is.
    sure: bool = True

    @property
    def answered(self) -> bool:
        return bool(self.options)

    @property
    def unclear(self) -> bool:
        return not self.options and self.command is None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'?]+", text)


def _commands(policy: Policy) -> dict:
    return policy.raw["triage"].get("commands", {})


def command(policy: Policy, text: str, lang: str) -> str | None:
    """skip, dont_know, help, stop or restart, when the whole short reply is that command."""
    said = normalise(text)
    if len(_words(said)) > COMMAND_MAX_WORDS:
        return None
    commands = _commands(policy)
    # Most specific first: "start again" before "stop"-like words, "don't know" before "no".
    for name in (RESTART, DONT_KNOW, SKIP, HELP, STOP):
        if _matches_whole_word(said, _phrases(commands.get(name, {}), lang)):
            return name
    return None


def _matches_whole_word(said: str, phrases: Sequence[str]) -> bool:
    # Commands match whole words ("end" is not "weekend"), unlike triage's stems.
    for phrase in phrases:
        p = normalise(phrase)
        if p in ("?",):
            if said.strip() in ("?", "??", "???"):
                return True
            continue
        if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", said):
            return True
    return False


def is_yes(policy: Policy, text: str, lang: str) -> bool | None:
    """True for a yes, False for a no, None when the reply is neither (or both)."""
    said = normalise(text)
    commands = _commands(policy)
    if len(_words(said)) > YES_NO_MAX_WORDS:
        # A longer reply counts when it starts with its answer: "yes they do it on purpose".
        said = " ".join(_words(said)[:2])
    # The resident's own language first; English words as well only when their own say neither.
    for languages in ([lang], [lang, "en"]) if lang != "en" else (["en"],):
        yes = any(_matches_whole_word(said, commands.get("yes", {}).get(code, [])) for code in languages)
        no = any(_matches_whole_word(said, commands.get("no", {}).get(code, [])) for code in languages)
        if yes != no:
            return yes
    return None


def numbers_in(text: str) -> list[int] | None:
    """The numbers of a reply made of numbers only ("2", "1 and 3", "1,2", "٣"), else None."""
    said = normalise(text)
    rest = re.sub(r"\d+", " ", said)
    rest = re.sub(r"\b(and|&|or|i|y|oraz|lub|اور|و|și|si|sau|e|ou|o|او)\b|[,.;+/&\-\s]", " ", rest)
    if rest.strip():
        return None
    found = [int(n) for n in re.findall(r"\d+", said)]
    return found or None


def understand(
    policy: Policy,
    question: Question,
    text: str,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
) -> Reply:
    """What `text` answers to `question`: its options, a command, or nothing clear.

    `labels` are the options' labels as the resident saw them (in their language).
    A number or a label is sure; words are sure only when they are few and point one way.
    """
    said = normalise(text)
    if not said:
        return Reply()
    options = [o.id for o in question.options]

    numbers = numbers_in(said)
    if numbers is not None:
        chosen = list(dict.fromkeys(numbers))
        if all(1 <= n <= len(options) for n in chosen) and (question.multiple or len(chosen) == 1):
            return Reply(tuple(options[n - 1] for n in chosen))
        return Reply()

    for option_id, label in (labels or {}).items():
        if normalise(label) == said and option_id in options:
            return Reply((option_id,))
    for option in question.options:
        if normalise(option.label) == said:
            return Reply((option.id,))

    found, sure, hits = _read_question(policy, question, said, lang)
    details = text.strip() if len(_words(said)) > 2 else None
    if found:
        return Reply(found, details=details, sure=sure)

    cmd = command(policy, said, lang)
    if cmd is not None:
        return Reply(command=cmd)

    if set(options) == {"yes", "no"}:
        yes = is_yes(policy, said, lang)
        if yes is not None:
            return Reply(("yes" if yes else "no",), details=details, sure=len(_words(said)) <= SURE_MAX_WORDS)
    # Worded unlike any phrase: the nearest phrases' meaning, in any language, as a guess to read back.
    negated = [o for o, hs in hits.items() if all(h.negated for h in hs)]
    guessed = meanings.guess(policy.raw, question.id, text, labels, exclude=negated)
    if guessed:
        return Reply(guessed, details=details, sure=False)
    return Reply()


# A reply in words is taken as it is only when it is this short; a longer one is read back to the resident.
SURE_MAX_WORDS = 6

# Words right before an option that negate it: "not just me", "no calls", "nu doar eu", "não só eu",
# "no solo a mí", "مش بس انا", "ما بيضايقني", "don't ring". A negation is scoped to the option it stands
# on: "text me, no calls please" is a text and not a call, never "no contact".
_NEGATORS = (
    ["not", "not just", "not only", "isn't", "isnt", "never", "no", "don't", "dont", "do not", "please don't"]
    + ["please dont", "rather not", "nie", "nie tylko", "bez", "nigdy", "نہیں", "نہ", "مت", "nahi", "nahin", "mat"]
    + ["nu", "nu doar", "nu numai", "fără", "fara", "niciodată", "niciodata", "não", "nao", "não só", "nao so"]
    + ["não apenas", "nao apenas", "nunca", "sem", "no solo", "no sólo", "no solamente", "sin", "ni"]
    + ["mesh", "mish", "msh", "لا", "ما", "مش", "مو", "ليس", "بدون", "بلاش", "مش بس", "مو بس", "مش فقط", "ليس فقط"]
)
# A little word may stand between a negation and what it negates: "no me llamen", "nu mă sunați",
# "não me liguem", "don't ever call".
_CLITICS = ["me", "mă", "ma", "mi", "ne", "nos", "te", "le", "les", "lo", "la", "us", "ever", "mnie", "do mnie"]
_NEGATED = re.compile(r"(?<!\w)(" + _either(_NEGATORS) + r")\s+(?:(?:" + _either(_CLITICS) + r")\s+)?$")
_NEGATED_NEXT_TO = re.compile(r"(?<!\w)(" + _either(_NEGATORS) + r")\s*$")
# Romanian joins "nu" to the verb: "n-am zis" (I did not say), "n-o sunați".
_NEGATED_JOINED = re.compile(r"(?<!\w)n-$")
# Urdu puts the negation after the verb: "کال نہ کریں", "call mat karo", "فون مت کرنا".
_NEGATED_AFTER = re.compile(r"^\s+(?:\w+\s+)?(?:نہ|نہیں|مت|mat|na|nah|nahi|nahin)(?!\w)")
# In every language a "no" standing alone right after the words negates them: "llamadas no, solo mensajes",
# "ligação não", "telefon nie", "apeluri nu", "مكالمات لا".
_NO_AFTER = ["no", "não", "nao", "nie", "nu", "not", "never", "nunca", "لا", "مش", "نہیں", "nahi"]
_NEGATED_RIGHT_AFTER = re.compile(
    r"^\s*(?:"
    + _either(_NO_AFTER)
    + r")(?:\s+(?:por favor|please|proszę|prosze|vă rog|va rog|من فضلك))?\s*(?:[,.;!?]|$)"
)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    negated: bool

    @property
    def length(self) -> int:
        return self.end - self.start


def phrase_hits(phrases: Mapping[str, Mapping], said: str, lang: str) -> dict[str, list[Hit]]:
    """Where each option's phrases (option id -> {lang: [phrases]}) occur in the normalised reply `said`."""
    hits: dict[str, list[Hit]] = {}
    for option_id, by_lang in phrases.items():
        for phrase in _phrases(by_lang or {}, lang):
            p = normalise(phrase)
            if not p:
                continue
            # Short words ("me", "us", "no") must be whole words; longer phrases may be stems.
            pattern = re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)") if len(p) <= 3 else _pattern(phrase)
            for match in pattern.finditer(said):
                before, after = said[: match.start()], said[match.end() :]
                # Scoped: a negation right before (or, in Urdu, right after) this phrase, not anywhere.
                rest = re.sub(r"^\w*", "", after)  # from the end of the word the phrase starts
                negated = bool(
                    (_NEGATED.search(before) if len(p) > 3 else _NEGATED_NEXT_TO.search(before))
                    or _NEGATED_JOINED.search(before)
                    or (lang == "ur" and _NEGATED_AFTER.match(rest))
                    or _NEGATED_RIGHT_AFTER.match(rest)
                )
                hits.setdefault(option_id, []).append(Hit(match.start(), match.end(), negated))
    return hits


def _inside(hit: Hit, others: Sequence[Hit]) -> bool:
    return any(o.start <= hit.start and hit.end <= o.end and o.length > hit.length for o in others)


def choose(
    hits: Mapping[str, list[Hit]], options: Sequence[str], multiple: bool, said: str, max_words: int | None = None
) -> tuple[tuple, bool]:
    """The options a reply names, and whether it names them clearly.

    An option counts where a phrase names it and no negation stands on it; a phrase inside a longer phrase
    of another option does not count ("most nights" is not "nights"). Clear means: a short reply (at most
    `max_words`, SURE_MAX_WORDS by default; 0: any length), and for a question with one answer, one option only.
    """
    positive = {o: [h for h in hs if not h.negated] for o, hs in hits.items() if o in options}
    positive = {o: hs for o, hs in positive.items() if hs}
    every = [h for hs in positive.values() for h in hs]
    counted = {o: hs for o, hs in positive.items() if any(not _inside(h, every) for h in hs)}
    if not counted:
        return (), False
    short = len(_words(said)) <= (max_words or SURE_MAX_WORDS) or max_words == 0
    if multiple:
        return tuple(o for o in options if o in counted), short
    # One answer: the option named by the longest phrase ("most nights" over "night"), sure only when alone.
    longest = {o: max(h.length for h in hs) for o, hs in counted.items()}
    best = max(longest.values())
    top = [o for o in options if longest.get(o) == best]
    return (top[0],), short and len(counted) == 1


def _read_question(
    policy: Policy, question: Question, said: str, lang: str, max_words: int | None = None
) -> tuple[tuple[str, ...], bool, dict[str, list[Hit]]]:
    """The options the policy's words for `question` find in `said`, whether clearly, and where they stand."""
    phrases = policy.raw["triage"].get("answers", {}).get(question.id, {})
    hits = phrase_hits(phrases, said, lang)
    found, sure = choose(hits, [o.id for o in question.options], question.multiple, said, max_words)
    return found, sure, hits


def _option_matches(policy: Policy, question: Question, said: str, lang: str) -> tuple[str, ...]:
    return _read_question(policy, question, said, lang)[0]


# The shortest words that may change an earlier answer by themselves.
MIN_CORRECTION_LENGTH = 4


def is_correction(policy: Policy, text: str, lang: str) -> bool:
    """The reply says it changes something ("actually", "I meant"), and not negated ("n-am zis", I did not say)."""
    hits = phrase_hits({"correction": _commands(policy).get("correction", {})}, normalise(text), lang)
    return any(not h.negated for h in hits.get("correction", []))


def find_correction(
    policy: Policy,
    text: str,
    lang: str,
    answered: Mapping[str, Sequence[str]],
    current: str | None = None,
) -> tuple[str, tuple[str, ...]] | None:
    """An earlier answer the resident is changing, and its new options.

    Only for a reply that says it corrects something ("actually", "I meant"...).
    Among the questions already answered, the one whose new answer differs from
    the old; where several could be meant, the one whose old answer the reply
    also mentions ("... not just me"), then the latest asked.
    """
    if not is_correction(policy, text, lang):
        return None
    said = normalise(text)
    candidates = []
    order = [q.id for q in policy.questions]
    if current in order:
        # A reply that clearly answers the question asked is that answer, whatever else it says.
        found, sure, _ = _read_question(policy, policy.question(current), said, lang)
        if found and sure:
            return None
    for question_id, old in answered.items():
        if question_id == current or question_id not in order:
            continue
        new, sure, hits = _read_question(policy, policy.question(question_id), said, lang, max_words=0)
        # Only a change said clearly, in words that are more than a "me" or a "no": a two-way reply, or a
        # little word that could belong to anything ("actually don't contact me"), changes nothing.
        named_by = max((h.length for o in new for h in hits.get(o, []) if not h.negated), default=0)
        if not new or not sure or named_by < MIN_CORRECTION_LENGTH or set(new) == set(old):
            continue
        mentions_old = any(o in hits for o in old if o not in new)
        candidates.append((mentions_old, order.index(question_id), question_id, new))
    if not candidates:
        return None
    candidates.sort(reverse=True)
    _, _, question_id, new = candidates[0]
    return question_id, new
