"""The venue gate of the event frame (a sentence holding none of the texts venue matches begin
with is not scanned) answers what the scan answers."""

from __future__ import annotations

import random

import pytest

from fdiscope.frames.events import _any_venue, _literal_heads, _names_venue, _venue_heads

_SENTENCES = {
    "en": [
        "The deal was signed at SPIEF in June.",
        "Talks at the St. Petersburg International Economic Forum went on.",
        "He spoke at the St Petersburg International Economic Forum.",
        "The Eastern Economic Forum opened; the EEF is held each year.",
        "At INNOPROM and Innoprom-2024 the firms met.",
        "The Russia - Islamic World summit (KazanForum) ended.",
        "Visitors of the Canton Fair and the China Import and Export Fair.",
        "The CIIE, or China International Import Expo, closed.",
        "The Harbin International Economic and Trade Fair and China-Eurasia Expo.",
        "Summer Davos took place.",
        "The company said it would build a plant in the region.",
        "SPIEFS and XEEF are no venues, nor is Stpetersburg.",
    ],
    "ru": [
        "Соглашение подписано на ПМЭФ.",
        "На полях СПбМЭФ-2023 прошли переговоры.",
        "Петербургского международного экономического форума участники.",
        "На ВЭФ и Восточном экономическом форуме.",
        "Выставка ИННОПРОМ и Иннопромом.",
        "Саммит Россия — Исламский мир и KazanForum.",
        "Кантонской ярмарки, Китайской международной импортной выставки.",
        "Харбинской международной торгово-экономической ярмарки.",
        "Компания построит завод в регионе.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_venue_gate_answers_what_the_scan_answers(lang: str) -> None:
    assert _venue_heads(lang) is not None  # the data keeps its patterns gateable
    rng = random.Random(7)
    sentences = list(_SENTENCES[lang])
    for _ in range(300):  # pieces cut anywhere, glued anyhow
        a, b = rng.sample(_SENTENCES[lang], 2)
        text = a + " " + b
        i, j = sorted(rng.sample(range(len(text) + 1), 2))
        sentences.append(text[i:j])
    for sentence in sentences:
        source = "Header. " + sentence + " Tail."
        s, e = 8, 8 + len(sentence)
        scanned = _any_venue(lang).search(source, s, e) is not None
        assert _names_venue(lang, source, s, e) == scanned, sentence


def test_literal_heads() -> None:
    assert _literal_heads(r"\bSt\.? ?Petersburg") == ["St"]
    assert _literal_heads(r"\bRussia ?[-–]") == ["Russia"]
    assert _literal_heads(r"\b(?:Иннопром|ИННОПРОМ)\w*") == ["Иннопром", "ИННОПРОМ"]
    assert _literal_heads(r"(?:A|B)?C") is None
    assert _literal_heads(r"[A-Z]+ Forum") is None
    assert _literal_heads(r"(?i)forum") is None
