"""Free-text replies residents send to "How can we contact you safely?", "When is it safe to contact you?" and
"How often would you like an update?", per language, with what each means.

Worded unlike the policy's phrases (triage.answers.contact_ways, safe_times, update_frequency): whole sentences
with reasons, other spellings and dialect, so a test can check the service either understands them or reads back
what it understood and asks the resident to confirm, and never stores a wrong meaning unasked.

Each meaning names one question:
- {"ways": [...]}: contact ways, ids from asb_domain.informing.CONTACT_WAYS ("none" is no contact at all);
- {"periods": [...], "days": ...}: safe times, periods from keeping_informed.periods (none means any time of day),
  days one of "any_day", "weekdays", "weekends";
- {"frequency": ...}: an id from keeping_informed.update_frequencies.
"""

FREE_TEXT_REPLIES: dict[str, dict[str, dict]] = {
    "en": {
        "text me, no calls please": {"ways": ["text"]},
        "just SMS is fine, never ring me": {"ways": ["text"]},
        "you can email me but don't phone, he checks who rings": {"ways": ["email"]},
        "try ringing and if i dont pick up leave a voicemail": {"ways": ["call", "voicemail"]},
        "please don't get hold of me at all, it isn't safe": {"ways": ["none"]},
        "weekday evenings after 6 when he goes out": {"periods": ["evenings"], "days": "weekdays"},
        "only mornings when the kids are at school": {"periods": ["mornings"], "days": "any_day"},
        "saturdays and sundays after lunch are best": {"periods": ["afternoons"], "days": "weekends"},
        "honestly whenever suits you": {"periods": [], "days": "any_day"},
        "every couple of weeks is fine": {"frequency": "fortnightly"},
        "a quick update each friday would be good": {"frequency": "weekly"},
        "monthly-ish is fine, i dont want loads of messages": {"frequency": "monthly"},
    },
    "pl": {
        "najlepiej esemesem, nie dzwonić bo mąż słyszy": {"ways": ["text"]},
        "proszę tylko na maila, telefonu nie odbieram": {"ways": ["email"]},
        "dzwońcie śmiało, a jak nie odbiorę to nagrajcie się": {"ways": ["call", "voicemail"]},
        "w ogóle się ze mną nie kontaktujcie, to niebezpieczne": {"ways": ["none"]},
        "w dni robocze wieczorkiem jak go nie ma w domu": {"periods": ["evenings"], "days": "weekdays"},
        "tylko przed południem kiedy dzieci są w szkole": {"periods": ["mornings"], "days": "any_day"},
        "soboty po obiedzie": {"periods": ["afternoons"], "days": "weekends"},
        "kiedy wam pasuje, mnie to bez roznicy": {"periods": [], "days": "any_day"},
        "odzywajcie się mniej więcej co dwa tygodnie": {"frequency": "fortnightly"},
        "wystarczy jak raz na miesiąc dacie znać": {"frequency": "monthly"},
        "chcę wiedzieć co się dzieje w każdym tygodniu": {"frequency": "weekly"},
    },
    "ur": {
        "sirf msg karna, call bilkul nahi": {"ways": ["text"]},
        "مجھے ای میل کر دیں فون پر بات نہیں ہو سکتی": {"ways": ["email"]},
        "call kar lena, agar na uthaun to voice message chhor dena": {"ways": ["call", "voicemail"]},
        "mujh se kisi tarah ka rabta na karen please": {"ways": ["none"]},
        "ہفتے کے دنوں میں شام کو جب وہ کام پر ہوتا ہے": {"periods": ["evenings"], "days": "weekdays"},
        "subah subah jab bachay school gaye hon": {"periods": ["mornings"], "days": "any_day"},
        "اتوار کو دوپہر میں": {"periods": ["afternoons"], "days": "weekends"},
        "jab aap ko theek lage": {"periods": [], "days": "any_day"},
        "har pandrah din baad update de dein": {"frequency": "fortnightly"},
        "mahine mein aik dafa kaafi hai": {"frequency": "monthly"},
        "ہر ہفتے کوئی خبر دے دیا کریں": {"frequency": "weekly"},
    },
    "ro": {
        "mai bine pe sms, să nu mă sunați că aude el": {"ways": ["text"]},
        "scrieți-mi pe e-mail, telefonul mi-l verifică el": {"ways": ["email"]},
        "sunați-mă și dacă nu răspund lăsați mesaj vocal": {"ways": ["call", "voicemail"]},
        "vă rog să nu luați deloc legătura cu mine": {"ways": ["none"]},
        "în zilele lucrătoare după ora 6 seara": {"periods": ["evenings"], "days": "weekdays"},
        "doar dimineața cât copiii sunt la școală": {"periods": ["mornings"], "days": "any_day"},
        "sâmbăta după-amiaza": {"periods": ["afternoons"], "days": "weekends"},
        "când vă convine, mie mi-e totuna": {"periods": [], "days": "any_day"},
        "o dată la vreo două săptămâni": {"frequency": "fortnightly"},
        "ajunge o dată pe lună": {"frequency": "monthly"},
        "aș vrea să aflu ceva în fiecare săptămână": {"frequency": "weekly"},
    },
    "pt": {
        "manda sms, ligação não por favor": {"ways": ["text"]},
        "podem mandar e-mail mas não liguem": {"ways": ["email"]},
        "liguem e se eu não atender deixem mensagem de voz": {"ways": ["call", "voicemail"]},
        "prefiro que não entrem em contacto comigo de forma nenhuma": {"ways": ["none"]},
        "nos dias de semana ao fim da tarde quando ele sai": {"periods": ["evenings"], "days": "weekdays"},
        "só de manhã enquanto os miúdos estão na escola": {"periods": ["mornings"], "days": "any_day"},
        "aos sábados à tarde": {"periods": ["afternoons"], "days": "weekends"},
        "quando der jeito, pra mim tanto faz": {"periods": [], "days": "any_day"},
        "de duas em duas semanas tá ótimo": {"frequency": "fortnightly"},
        "me avisem uma vez por semana": {"frequency": "weekly"},
        "uma vez por mês chega": {"frequency": "monthly"},
    },
    "es": {
        "mejor por sms, llamadas no": {"ways": ["text"]},
        "escríbanme al correo, el móvil lo revisa él": {"ways": ["email"]},
        "llámenme y si no contesto dejen un mensaje de voz": {"ways": ["call", "voicemail"]},
        "por favor no se comuniquen conmigo para nada": {"ways": ["none"]},
        "entre semana a partir de las seis de la tarde": {"periods": ["evenings"], "days": "weekdays"},
        "solo por las mañanas cuando los niños están en el cole": {"periods": ["mornings"], "days": "any_day"},
        "los domingos por la tarde": {"periods": ["afternoons"], "days": "weekends"},
        "a la hora que os venga bien": {"periods": [], "days": "any_day"},
        "cada dos semanas más o menos": {"frequency": "fortnightly"},
        "con una vez al mes me basta": {"frequency": "monthly"},
        "avísenme todas las semanas porfa": {"frequency": "weekly"},
    },
    "ar": {
        "ابعتولي مسج بس، ما تتصلوش": {"ways": ["text"]},
        "الافضل على الايميل، التلفون مع جوزي": {"ways": ["email"]},
        "اتصلوا واذا ما رديت سيبوا فويس": {"ways": ["call", "voicemail"]},
        "ارجوكم ما حدا يتواصل معي ابدا": {"ways": ["none"]},
        "ايام الاسبوع بعد الساعة ستة لما يطلع من البيت": {"periods": ["evenings"], "days": "weekdays"},
        "الصبح بس وقت الولاد بالمدرسة": {"periods": ["mornings"], "days": "any_day"},
        "يوم الجمعة العصر": {"periods": ["afternoons"], "days": "weekdays"},
        "اي وقت يناسبكم": {"periods": [], "days": "any_day"},
        "مرة كل اسبوعين تمام": {"frequency": "fortnightly"},
        "خبروني كل شهر مرة": {"frequency": "monthly"},
        "ba3atoli sms bas": {"ways": ["text"]},
        "كل أسبوع لو سمحتوا": {"frequency": "weekly"},
    },
}
