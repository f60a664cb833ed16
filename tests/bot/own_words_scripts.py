"""What residents texted, whole reports in their own words, one script a language (see own_words.py).

Every reply is words, never a number, and worded as people text rather than as the policy's phrases. By
text the bot asks no case type (staff choose it), and never the number (it is the one they text from).
"""

from __future__ import annotations

from tests.bot.own_words import Step

S = Step

SCRIPTS: dict[str, tuple[str, list[Step]]] = {
    "en": (
        "the guy next door keeps screaming abuse at me through the wall and bangs on it at 3am",
        [
            S("incident_when", "most nights, worst after the pubs shut", None),
            S("location", "through the bedroom wall, flat 4", None),
            S("address", "12 Mill Lane, AB1 2CD", None),
            S("responsible", "the man at number 14, not sure of his name", None),
            S("q1_frequency", "it's like this pretty much every single night", ("daily",)),
            S("q2_linked", "yeah its the same bloke as before", ("yes",)),
            S("q3_worsening", "its got a lot worse lately", ("yes",)),
            S("q4_know_them", "only to nod to in the hallway", ("known",)),
            S("q5_history", "he is still harassing me now", ("harassing_now",)),
            S("q6_other_agencies", "nobody else knows", ("no",)),
            S("q7_targeted", "it's aimed at me", ("you",)),
            S("q8_identity", "nope nothing like that", ("no",)),
            S("q9_circumstances", "no not really", ("no",)),
            S("q10_affected", "honestly I'm a wreck", ("extremely",)),
            S("q11_health", "my anxiety is through the roof", ("mental",)),
            S("q12_professional_support", "no one like that", ("no",)),
            S("q13_support_network", "my sister and a couple of mates", ("a_few",)),
            S("q14_others_affected", "my kids hear all of it too", ("family",)),
            S("contact_ways", "text me, no calls please", ("text",)),
            S("contact_name", "Sam", None),
            S("safe_times", "weekday evenings after 6 when he goes out", (("evenings",), "weekdays")),
            S("update_frequency", "every couple of weeks is fine", ("fortnightly",)),
            S("consent_to_share", "yes that's ok", True),
            S("confirm_send", "yes send it", True),
        ],
    ),
}
