"""Which language of a text a reader is shown, and how pages name languages."""

from django.utils import translation

from core.languages import Shown, in_language, language_names, pick

TEXTS = {"en": "Cash transfers", "es": "Transferencias monetarias", "fr": ""}


def test_the_readers_language_comes_first():
    shown = pick(TEXTS, "es")
    assert (shown.text, shown.language, shown.is_fallback) == (
        "Transferencias monetarias",
        "es",
        False,
    )


def test_without_text_in_the_readers_language_the_fallback_order_decides_and_says_so():
    shown = pick(TEXTS, "fr")
    assert (shown.text, shown.language, shown.is_fallback) == ("Cash transfers", "en", True)
    assert pick({"es": "Pensiones", "fr": "Pensions"}, "en").language == "es"
    assert pick({"fr": "Seulement en français"}, "es").language == "fr"


def test_blank_text_counts_as_missing_and_nothing_is_not_a_fallback():
    assert pick({"en": "   ", "es": None, "fr": "Titre"}, "en").language == "fr"
    nothing = pick({"en": "", "es": None}, "es")
    assert (nothing.text, nothing.is_fallback, nothing.marker) == ("", False, "")


def test_an_unknown_or_regional_reader_language_is_one_of_ours():
    assert pick(TEXTS, "es-MX").reader == "es"
    assert pick(TEXTS, "de").reader == "en"


def test_the_marker_is_in_the_readers_language_and_names_the_language_shown():
    english = Shown(text="Cash transfers", language="en", reader="es")
    french = Shown(text="Transferts", language="fr", reader="en")
    with translation.override("es"):
        assert english.marker == "(en inglés)"
    with translation.override("fr"):
        assert Shown(text="x", language="en", reader="fr").marker == "(en anglais)"
        assert Shown(text="x", language="es", reader="fr").marker == "(en espagnol)"
    with translation.override("en"):
        assert french.marker == "(in French)"


def test_language_names_inside_a_sentence_are_lower_case_in_french_and_spanish():
    with translation.override("fr"):
        assert in_language("fr") == "en français"
        assert language_names(["en", "es", "pt"]) == "anglais, espagnol, portugais"
    with translation.override("es"):
        assert in_language("es") == "en español"
        assert language_names(["en", "fr", "ar"]) == "inglés, francés, árabe"
    with translation.override("en"):
        assert in_language("es") == "in Spanish"
        assert language_names(["es", "fr"]) == "Spanish, French"
