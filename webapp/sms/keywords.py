"""The conventions of SMS, handled before the bot sees a message, whatever it is in the middle of.

Twilio blocks a long code number that texts one of Twilio's opt-out words
(STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) until it texts START, YES or
UNSTOP; we keep our own record too, so nothing is even tried. The same one-word
replies in the languages the service speaks count as well. PAUSE is ours: it
stops the report for now, as "stop" does in the web chat, and never opts out.
"""

from __future__ import annotations

import re
import unicodedata

STOP, START, HELP, DIARY, STATUS, PAUSE = "stop", "start", "help", "diary", "status", "pause"

ONE_WORD = {
    STOP: {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "koniec", "rezygnuje", "rezygnuję", "بند", "بس"}
    | {"dezabonare", "parar", "cancelar", "baja", "توقف", "الغاء", "إلغاء", "ايقاف", "إيقاف"},
    START: {"start", "unstop", "yes", "wznow", "wznów", "شروع", "iniciar", "começar", "comecar", "alta", "ابدأ"},
    HELP: {"help", "info", "pomoc", "مدد", "ajutor", "ajuda", "ayuda", "مساعدة", "مساعده"},
    DIARY: {"diary", "dziennik", "ڈائری", "jurnal", "diario", "diário", "يوميات", "مذكرات"},
    STATUS: {"status", "stan", "حالت", "estado", "stare", "starea", "الحالة", "حالة"},
    # PAUSE stops the report for now (the bot's own stop, which keeps the answers); it never opts out.
    PAUSE: {"pause", "pauza", "pauză", "pausa", "توقف مؤقت", "توقف مؤقتا", "وقف", "روکیں", "رکیں"},
}

# "UPDATES 1" or "UPDATES WEEKLY": how often the resident hears from their officer (an English keyword
# in every language, like STOP).
UPDATES = re.compile(r"^\s*updates?(?:\s+(.+?))?\s*$", re.IGNORECASE)
# A message that is only a case reference (123-456-789): the resident asking about that case.
REFERENCE_ONLY = re.compile(r"^\s*(?:ref(?:erence)?\s*:?\s*)?\d{3}[\s-]?\d{3}[\s-]?\d{3}\s*$", re.IGNORECASE)

# "please stop texting me": a request to confirm, never a stop by itself (and never "I asked him to stop").
STOP_REQUESTS = re.compile(
    r"\b(stop|don'?t|do not|no more)\s+(texting|messaging|sending|text|texts|messages)\b"
    r"|\bunsubscribe me\b|\bprzestańcie pisać|\bprzestancie pisac|\bnie piszcie\b|\bمیسج (نہ|مت) (کریں|بھیجیں)"
    r"|\bnu[- ]mi mai (trimite|scrie)|\bnu mai (trimiteti|trimiteți|scrieti|scrieți)"
    r"|\bparem de (me )?(enviar|mandar)|\bnão me (enviem|mandem)|\bnao me (enviem|mandem)"
    r"|\bdejen de (enviarme|mandarme|escribirme)|\bno me (manden|envíen|envien|escriban) más"
    r"|\bno me (manden|envien) mas"
    r"|توقفوا عن (إرسال|ارسال)|لا (ترسلوا|ترسل) لي",
    re.IGNORECASE,
)


def _word(body: str) -> str:
    text = unicodedata.normalize("NFKC", body).strip().lower()
    return re.sub(r"[\s.!]+$", "", text)


def keyword(body: str) -> str | None:
    """STOP, START, HELP, DIARY, STATUS or PAUSE when the whole message is one of their words."""
    word = _word(body)
    for name, words in ONE_WORD.items():
        if word in words:
            return name
    return None


def asks_to_stop(body: str) -> bool:
    return bool(STOP_REQUESTS.search(body))
