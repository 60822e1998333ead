"""The language a resident wrote in (issue G, item 4): detected offline in the seven content languages; a text too
short or too mixed to tell gets the interface language the resident used."""

import pytest

from kiezwerk.core.intake.language import written_language

SENTENCES = [
    ("de", "Sperrmüll vor dem Haus. Seit einer Woche liegen Matratzen und alte Möbel auf dem Gehweg."),
    ("de", "Die Straßenlaterne an der Ecke ist seit Tagen kaputt, abends ist es hier sehr dunkel."),
    ("de", "Der Spielplatz ist voller Glasscherben, die Kinder können dort nicht mehr spielen."),
    ("en", "The street light at the corner has been broken for days and it is very dark in the evening."),
    ("en", "Someone dumped old mattresses on the pavement in front of our building last week."),
    ("tr", "Bir haftadır evin önündeki kaldırımda eski yataklar ve mobilyalar duruyor."),
    ("tr", "Köşedeki sokak lambası günlerdir yanmıyor, akşamları burası çok karanlık."),
    ("tr", "Oyun parkı cam kırıklarıyla dolu, çocuklar artık orada oynayamıyor."),
    ("ar", "منذ أسبوع توجد مراتب وأثاث قديم على الرصيف أمام المبنى."),
    ("ar", "مصباح الشارع عند الزاوية معطل منذ أيام والمكان مظلم جدا في المساء."),
    ("ru", "Уже неделю на тротуаре перед домом лежат старые матрасы и мебель."),
    ("ru", "Фонарь на углу не работает уже несколько дней, вечером здесь очень темно."),
    ("uk", "Вже тиждень на тротуарі перед будинком лежать старі матраци та меблі."),
    ("uk", "Ліхтар на розі не працює вже кілька днів, увечері тут дуже темно."),
    ("pl", "Od tygodnia na chodniku przed domem leżą stare materace i meble."),
    ("pl", "Latarnia na rogu nie działa od kilku dni, wieczorem jest tu bardzo ciemno."),
    # A whole Turkish sentence keeps its language beside a German street name.
    ("tr", "Weserstraße'deki çöp kutuları bir haftadır boşaltılmadı, her yer koku içinde."),
]


@pytest.mark.parametrize(("code", "text"), SENTENCES)
def test_a_concern_text_is_detected_in_its_language(code, text):
    # The fallback is never the answer: a language no sentence is written in.
    fallback = "en" if code != "en" else "de"
    assert written_language(text, fallback=fallback) == code


@pytest.mark.parametrize(
    "text",
    [
        "Müll!",  # too short to tell (German-looking, but four letters)
        "Hilfe",
        "   ",
        "12 / 3",
        "Hermannstraße 12 önünde çöp",  # a Turkish sentence around a German street name
        "Çöp konteyneri taştı. Seit einer Woche liegen Matratzen auf dem Gehweg.",  # half Turkish, half German
        "Лавка зламана",  # Ukrainian or Russian: too close to tell in two words
    ],
)
@pytest.mark.parametrize("interface", ["tr", "pl"])
def test_a_short_or_mixed_text_gets_the_interface_language(text, interface):
    assert written_language(text, fallback=interface) == interface
