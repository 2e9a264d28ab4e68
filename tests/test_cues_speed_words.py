"""The word index of a text lists, split at spaces, the word starts the regex scan lists."""

from __future__ import annotations

import random

from fdiscope.frames.cues import _word_starts, _word_starts_scanned

_ALPHABET = list("abcxyz019_-  ,.;:)(!?\"'»«”“’\n\t\u00a0é²٣жё$%") + ["ab", "said,", "  "]


def test_word_starts_match_the_scan_on_tricky_texts() -> None:
    texts = [
        "",
        " ",
        "a",
        "said, he (xinhua) 2019) u.s. e-commerce well- ab_ -x --y x-- ²³ ٣٤ жёлтый, «форум»",
        "  two  spaces\tand\ttabs\nand\u00a0nbsp end.",
        "ab, a, ,a ,, a,b a_, a-, 1.5 $4.5 12% x'",
    ]
    rng = random.Random(11)
    for _ in range(2000):
        texts.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40))))
    for text in texts:
        low = text.lower()
        assert _word_starts(low) == _word_starts_scanned(low), text
