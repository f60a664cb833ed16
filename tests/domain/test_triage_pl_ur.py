"""The one triage function in Polish and Urdu, on the policy's rules alone.

Residents text the way they talk: Polish often without diacritics, Urdu in Urdu
script or in Latin letters (Roman Urdu). Each case is written the way a
resident would write it.
"""

import pytest

from asb_domain.triage import triage
from tests.domain.factories import shipped_policy

# --- Emergencies: the resident is told to call 999 first --------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sąsiad stoi pod moimi drzwiami z nożem",
        "on ma noz i mowi ze mnie zabije",
        "Ktoś właśnie próbuje się włamać do mojego mieszkania",
        "pali sie mieszkanie pod nami, pelno dymu na klatce",
        "Mąż mnie bije, ratunku",
        "ratunku sasiad wywaza mi drzwi",
        "dzgnal kolege nozem pod blokiem",
        "on mnie teraz dusi, szybko",
        "ktoś szarpie za klamkę moich drzwi",
        "dym wypelnia cale mieszkanie",
        "chłopak ma drgawki na chodniku",
        "ma cos blyszczacego w rece i idzie do mnie",
        "grozi ze zrobi krzywde dziecku",
        "zamknął mnie w łazience i zabrał telefon",
    ],
)
def test_danger_written_in_polish_is_an_emergency(text):
    assert triage(shipped_policy(), text, "pl").outcome == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "پڑوسی کے ہاتھ میں چاقو ہے اور وہ میرے دروازے کے باہر کھڑا ہے",
        "وہ کہہ رہا ہے کہ مجھے جان سے مار دے گا",
        "کوئی ابھی دروازہ توڑ کر اندر گھسنے کی کوشش کر رہا ہے",
        "نیچے والے فلیٹ میں آگ لگ گئی ہے",
        "میرا شوہر مجھے مار رہا ہے، جلدی مدد کریں",
        "bhai jaldi madad karo woh chaku le kar mere darwaze par khara hai",
        "padosi keh raha hai ke maar dunga",
        "شوہر نے مجھے کمرے میں بند کر دیا ہے",
        "کوئی دروازے کا ہینڈل گھما رہا ہے",
        "وہ اسے بالوں سے پکڑ کر گھسیٹ رہا ہے",
        "mera shohar abhi mujhe pit raha hai",
        "uske paas danda hai aur seedhiyon pe khara hai",
    ],
)
def test_danger_written_in_urdu_or_roman_urdu_is_an_emergency(text):
    assert triage(shipped_policy(), text, "ur").outcome == "emergency"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("administracja nie reaguje na moje skargi", "pl"),
        ("sąsiad pije z butelką piwa na ławce", "pl"),
        ("mam problem z rurą w łazience", "pl"),
        ("czekam na pomoc od spółdzielni", "pl"),
        ("رات کو کوئی کھڑکی توڑ کر اندر آیا اور سامان لے گیا", "ur"),
        ("سگریٹ کا دھواں اندر آتا ہے", "ur"),
        ("وہ میرا پیچھا چھوڑ نہیں رہا، ہر روز فون کرتا ہے", "ur"),
        ("پڑوسی ہتھوڑے سے دیوار میں کیل لگا رہا ہے دوپہر کو", "ur"),
    ],
)
def test_near_misses_of_the_new_polish_and_urdu_danger_wording_are_not_emergencies(text, lang):
    assert triage(shipped_policy(), text, lang).outcome != "emergency"


# --- Matters the policy does not treat as ASB --------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "matter"),
    [
        ("Słyszę kroki sąsiadów z góry", "pl", "footsteps"),
        ("slychac jak chodza po mieszkaniu nad nami", "pl", "footsteps"),
        ("Z mieszkania obok czuć zapach gotowania", "pl", "cooking_odours"),
        ("sasiedzi smaza rybe i czuc cebule na klatce", "pl", "cooking_odours"),
        ("Sąsiad z naprzeciwka zaparkował na moim miejscu", "pl", "parking"),
        ("ktos postawil auto na moim miejscu postojowym", "pl", "parking"),
        ("Dzieci sąsiadów grają w piłkę pod blokiem", "pl", "children_playing"),
        ("dzieciaki biegaja i krzycza na podworku po szkole", "pl", "children_playing"),
        ("W sobotę sąsiedzi mieli imprezę urodzinową i było trochę głośno", "pl", "one_off_party"),
        ("sasiedzi mieli domowke bo syn mial 18stke", "pl", "one_off_party"),
        ("اوپر والے فلیٹ سے قدموں کی آواز آتی ہے", "ur", "footsteps"),
        ("ساتھ والے گھر سے کھانا پکانے کی بو آتی ہے", "ur", "cooking_odours"),
        ("padosi ke ghar se khane ki bu aati hai", "ur", "cooking_odours"),
        ("پڑوسی نے اپنی گاڑی میری جگہ پر کھڑی کر دی", "ur", "parking"),
        ("padosi ne apni gari meri parking pe khari kar di", "ur", "parking"),
        ("پڑوسیوں کے بچے صحن میں کرکٹ کھیلتے ہیں", "ur", "children_playing"),
        ("پڑوسیوں نے ہفتے کو سالگرہ کی پارٹی کی تھی", "ur", "one_off_party"),
        ("kal padosiyon ke ghar mehndi ka function tha", "ur", "one_off_party"),
    ],
)
def test_everyday_matters_in_polish_and_urdu_are_screened_out(text, lang, matter):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "not_asb"
    assert result.matter == matter
    assert result.case_type == shipped_policy().not_asb[matter].case_type


def test_children_playing_football_in_polish_is_not_mistaken_for_a_knife():
    # "piłka nożna" (football) shares its first letters with "nóż" (knife).
    result = triage(shipped_policy(), "dzieci graja w pilke nozna pod oknem", "pl")
    assert result.outcome == "not_asb"
    assert result.matter == "children_playing"


def test_saying_i_want_to_complain_in_polish_is_not_read_as_a_reprisal():
    # "poskarżyć się" (to complain) is how many reports start; only "since I complained" is a sign.
    result = triage(shipped_policy(), "Chcę się poskarżyć na kroki sąsiada z góry", "pl")
    assert result.outcome == "not_asb"
    assert result.matter == "footsteps"
    assert "deliberate" not in result.signs


# --- The tricky exceptions: ASB after all -----------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Odkąd się poskarżyłam, sąsiad z góry specjalnie tupie o 3 w nocy", "pl"),
        ("tupie celowo w nocy odkad sie poskarzylam", "pl"),
        ("جب سے میں نے شکایت کی ہے وہ جان بوجھ کر رات تین بجے زور زور سے پاؤں پٹختا ہے", "ur"),
        ("jab se maine shikayat ki hai woh jaan boojh kar raat 3 baje pair patakhta hai", "ur"),
    ],
)
def test_stamping_on_purpose_at_night_after_a_complaint_is_asb(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.matter == "footsteps"
    assert {"deliberate", "unreasonable_hours"} <= set(result.signs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Co weekend mają imprezę do 4 rano", "pl"),
        ("imprezy co weekend do bialego rana", "pl"),
        ("ہر ویک اینڈ پر ان کے گھر پارٹی ہوتی ہے رات دیر تک", "ur"),
        ("har weekend party hoti hai raat 3 baje tak", "ur"),
    ],
)
def test_a_party_every_weekend_is_asb(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.matter == "one_off_party"
    assert result.case_type == "communal_misuse"
    assert "repeated" in result.signs


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sąsiad pali marihuanę i dym wchodzi do mojego mieszkania", "pl"),
        ("na klatce caly czas smierdzi trawka od sasiada", "pl"),
        ("ساتھ والے چرس پیتے ہیں اور اس کا دھواں ہمارے گھر میں آتا ہے", "ur"),
        ("padosi charas peete hain aur sari boo hamare ghar mein aati hai", "ur"),
    ],
)
def test_cannabis_smoke_is_drug_nuisance_not_cooking_smells(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.case_type == "drug_alcohol_nuisance"
    assert result.category == "nuisance"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sąsiad groził mi przez miejsce parkingowe", "pl"),
        ("typ z parteru grozi mi bo zaparkowalam na jego miejscu", "pl"),
        ("پارکنگ کی جگہ پر جھگڑے کے بعد پڑوسی نے مجھے دھمکی دی", "ur"),
        ("parking ki jagah pe padosi ne mujhe dhamki di", "ur"),
    ],
)
def test_threats_over_a_parking_space_are_asb_and_high_risk(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.matter == "parking"
    assert result.case_type == "violence_threats"


# --- Hate, domestic abuse and noise ------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sąsiadka wyśmiewa się ze mnie, bo jeżdżę na wózku inwalidzkim", "pl"),
        ("wyzywa mnie od kalek bo jezdze na wozku", "pl"),
        ("پڑوسی میری وہیل چیئر کا مذاق اڑاتا ہے اور مجھے لنگڑا کہتا ہے", "ur"),
        ("padosi meri wheelchair ka mazaq udata hai aur langra kehta hai", "ur"),
    ],
)
def test_abuse_about_a_wheelchair_is_a_hate_incident_with_true_vision_advice(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.case_type == "hate_crime"
    assert "hate" in result.flags
    assert "true_vision" in result.advice


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mój były ciągle przychodzi pod drzwi i nie daje mi spokoju", "pl"),
        ("moj ex wydzwania do mnie po nocach i nie daje mi spokoju", "pl"),
        ("میرا سابقہ شوہر بار بار گھر آتا ہے اور میرا پیچھا نہیں چھوڑتا", "ur"),
        ("mera ex shohar roz ghar ke bahar khara hota hai, peecha nahi chhorta", "ur"),
    ],
)
def test_an_ex_partner_who_will_not_leave_them_alone_is_domestic_abuse_with_the_helpline(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.case_type == "domestic_abuse"
    assert "domestic_abuse" in result.flags
    assert "domestic_abuse_helpline" in result.advice


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Codziennie puszczają głośno muzykę do 3 w nocy", "pl"),
        ("glosna muza co noc do 3 rano nie da sie spac", "pl"),
        ("وہ ہر رات تین بجے تک اونچی آواز میں میوزک چلاتے ہیں", "ur"),
        ("har raat 3 baje tak full volume mein gaane chalate hain", "ur"),
    ],
)
def test_loud_music_every_night_till_3am_is_noise_asb(text, lang):
    result = triage(shipped_policy(), text, lang)
    assert result.outcome == "asb"
    assert result.case_type == "noise"
    assert {"repeated", "unreasonable_hours"} <= set(result.signs)


def test_urdu_typed_on_an_arabic_keyboard_is_understood_the_same():
    from asb_domain.triage import normalise

    urdu = "ہر رات"
    arabic_keyboard = urdu.replace("\u06c1", "\u0647")
    assert normalise(arabic_keyboard) == normalise(urdu)
