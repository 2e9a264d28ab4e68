"""Language identification: English and Russian, anything else marked as other.

Three cheap steps, so the common case costs microseconds and no large model is loaded:

1. the dominant script: no Latin or Cyrillic letters means not en/ru — CJK, Arabic, Greek...
   map to their ISO 639-1 code by script, anything else to "und";
2. Cyrillic text is "ru" unless letters that Russian lacks (і, ї, є, ґ, ў, ә, ...) show up,
   Latin text is "en" when English function words are frequent;
3. only the doubtful cases go to lingua, built once with a dozen European languages, whose
   answer is returned when confident (e.g. "de", "uk"), else "und".

A detector restricted to English and Russian alone would call any German text English, which
is why step 3 knows more languages than the two we extract from.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from typing import Any

__all__ = ["detect_language", "UNDETERMINED", "TARGET_LANGUAGES", "SUPPORTED_LANGUAGES"]

log = logging.getLogger(__name__)

#: Returned when the language cannot be told.
UNDETERMINED = "und"
#: The languages the extractor reads.
TARGET_LANGUAGES: tuple[str, ...] = ("en", "ru")
#: Documents in these languages are extracted; others are stored and marked, not extracted.
SUPPORTED_LANGUAGES = frozenset(TARGET_LANGUAGES)
#: Minimum lingua confidence for an answer other than "und".
MIN_CONFIDENCE = 0.5
#: Letters needed before anything but "und" is returned.
MIN_LETTERS = 3

_EN_FUNCTION_WORDS = frozenset(
    "the of and to in a is for on that with as by at from it be was are will has have its an or"
    " this which said not but were been their they he she we new would also than after over"
    " into more about up million billion percent per year".split()
)
# Cyrillic letters not in the Russian alphabet (Ukrainian, Belarusian, Kazakh, Serbian, ...).
_NON_RU_CYRILLIC = frozenset("іїєґўәғқңөұүһђјљњћџѓќѕІЇЄҐЎӘҒҚҢӨҰҮҺЂЈЉЊЋЏЃЌЅ")
_WORD = re.compile(r"[^\W\d_]+")
_SCRIPT_CODES = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "ARABIC": "ar",
    "HEBREW": "he",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "THAI": "th",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
}
_LINGUA_LANGUAGES = (
    "ENGLISH RUSSIAN GERMAN FRENCH SPANISH ITALIAN PORTUGUESE DUTCH POLISH TURKISH"
    " UKRAINIAN BELARUSIAN BULGARIAN SERBIAN KAZAKH"
).split()

_detector: Any = None
_lock = threading.Lock()


def _lingua() -> Any:
    """The lingua detector, built on first use (its models load lazily too)."""
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name) for name in _LINGUA_LANGUAGES]
            _detector = LanguageDetectorBuilder.from_languages(*langs).build()
    return _detector


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        if ch.isascii():
            script = "LATIN"
        else:
            name = unicodedata.name(ch, "")
            script = name.split(" ", 1)[0] if name else "UNKNOWN"
            if script.startswith("CJK"):
                script = "CJK"
        counts[script] = counts.get(script, 0) + 1
    return counts


def _ask_lingua(text: str) -> str:
    values = _lingua().compute_language_confidence_values(text[:2000])
    if not values or values[0].value < MIN_CONFIDENCE:
        return UNDETERMINED
    return str(values[0].language.iso_code_639_1.name).lower()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language: "en", "ru", another code, or "und".

    Args:
        text: any text; the first ~5,000 characters are looked at.

    Returns:
        "en" or "ru" for the languages the extractor reads; another code ("de", "uk", "zh")
        when the text is confidently in some other language; "und" when it cannot be told.

    >>> detect_language("The company will build a plant in the region.")
    'en'
    >>> detect_language("Компания построит завод в регионе.")
    'ru'
    >>> detect_language("工厂将于明年开业。")
    'zh'
    """
    sample = text[:5000]
    counts = _script_counts(sample)
    total = sum(counts.values())
    if total < MIN_LETTERS:
        return UNDETERMINED
    script = max(counts.items(), key=lambda kv: kv[1])[0]
    if counts.get("CYRILLIC", 0) >= 0.3 * total:
        script = "CYRILLIC"  # Russian news spells many company names in Latin letters
    if script not in ("LATIN", "CYRILLIC"):
        if script == "CJK" and (counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0)) > 0:
            return "ja"
        return _SCRIPT_CODES.get(script, UNDETERMINED)
    if script == "CYRILLIC":
        foreign = sum(ch in _NON_RU_CYRILLIC for ch in sample)
        if foreign <= 0.002 * counts["CYRILLIC"]:
            return "ru"
        return _ask_lingua(sample)
    words = [w.lower() for w in _WORD.findall(sample)]
    non_ascii = sum(not ch.isascii() and ch.isalpha() for ch in sample)
    function_share = sum(w in _EN_FUNCTION_WORDS for w in words) / len(words) if words else 0.0
    if non_ascii <= 0.01 * total and function_share >= 0.15:
        return "en"
    return _ask_lingua(sample)
