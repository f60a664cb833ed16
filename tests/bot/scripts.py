"""Whole reports by text, one script a language: what a resident texts, one text a turn, to a sent report.

Used by the scale-out test and by `make bench` (segments a report costs in each language). The English,
Polish and Spanish ones are those the SMS tests walk through answer by answer.
"""

from __future__ import annotations

_RAM = ["1", "{yes}", "{yes}", "2", "1", "{no}", "1", "{no}", "{no}", "3", "2", "1", "3", "1"]

_WORDS = {
    "en": {
        "first": "the lads upstairs play loud music every night till 3am",
        "yes": "yes",
        "no": "no",
        "before_ram": ["every night", "flat above", "skip", "skip"],
        "after_ram": ["1 and 2", "{name}", "evenings", "2", "yes"],
    },
    "pl": {
        "first": "sąsiad z góry puszcza bardzo głośną muzykę co noc i wali w ściany",
        "yes": "tak",
        "no": "nie",
        "before_ram": ["co noc", "mieszkanie nad nami", "pomiń", "nie wiem"],
        "after_ram": ["1", "{name}", "4", "2", "tak"],
    },
    "es": {
        "first": "los vecinos de arriba ponen musica muy alta todas las noches hasta las 4 de la mañana",
        "yes": "sí",
        "no": "no",
        "before_ram": ["todas las noches", "el piso de arriba", "saltar", "no sé"],
        "after_ram": ["1", "{name}", "4", "2", "sí"],
    },
    "ro": {
        "first": "vecinii de sus fac petrecere in fiecare noapte pana la 4 dimineata cu muzica la maxim",
        "yes": "da",
        "no": "nu",
        "before_ram": ["în fiecare noapte", "apartamentul de sus", "sari", "nu știu"],
        "after_ram": ["1", "{name}", "4", "2", "da"],
    },
    "pt": {
        "first": "os vizinhos de cima fazem festa todas as noites até as 5 da manhã, música altíssima",
        "yes": "sim",
        "no": "não",
        "before_ram": ["todas as noites", "o apartamento de cima", "pular", "não sei"],
        "after_ram": ["1", "{name}", "4", "2", "sim"],
    },
    "ar": {
        "first": "الجيران اللي فوق عاملين حفلة كل ليلة لحد الساعة 5 الصبح، مش عارفين ننام خالص",
        "yes": "نعم",
        "no": "لا",
        "before_ram": ["كل ليلة", "الشقة اللي فوق", "تخطي", "مش عارف"],
        "after_ram": ["1", "{name}", "4", "2", "نعم"],
    },
    "ur": {
        "first": "اوپر والے ہر رات تین بجے تک بہت اونچی آواز میں گانے بجاتے ہیں",
        "yes": "ہاں",
        "no": "نہیں",
        "before_ram": ["ہر رات", "اوپر والا فلیٹ", "چھوڑ دیں", "پتہ نہیں"],
        "after_ram": ["1", "{name}", "4", "2", "ہاں"],
    },
}

LANGUAGES = tuple(_WORDS)


def report_by_text(lang: str = "en", name: str = "Sam") -> list[str]:
    """Every text of a whole report in `lang`, the last one the "yes" that sends it."""
    words = _WORDS[lang]
    fill = {"yes": words["yes"], "no": words["no"], "name": name}
    ram = [step.format(**fill) for step in _RAM]
    after = [step.format(**fill) for step in words["after_ram"]]
    return [words["first"], *words["before_ram"], *ram, *after, words["yes"]]
