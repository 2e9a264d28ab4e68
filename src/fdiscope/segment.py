"""Sentence segmentation by rule: fast, language-aware through a small abbreviation lexicon.

Sentences are character spans ``(start, end)`` into the document text, trimmed of surrounding
white space, so evidence quotes taken from them reproduce the text exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import load_lexicon

__all__ = ["split_sentences"]

# A boundary candidate: terminal punctuation (optionally closing quotes/brackets), then space;
# or a stop glued to the next sentence ("plant.It"), where the boundary is right after the stop
# (group "glued").  Both start with the stop, so the pattern starts with a character class and
# the regex engine skips from one stop to the next in C instead of trying every position.
_BOUNDARY = re.compile(
    r"[.!?…](?:[.!?…]*[\"'»”’)\]]*(?=\s+|$)|(?<=[a-zа-яё]{3}[.!?])(?=[A-ZА-ЯЁ][a-zа-яё])(?P<glued>))"
)
_NEWLINES = re.compile(r"\n\s*\n|\n(?=\s*[-•*–—]\s)|\n")
_NEXT_START = re.compile(r"\s*[\"'«“„(\[]?\s*([A-ZА-ЯЁ0-9])")


@lru_cache(maxsize=16)
def _abbreviations(lang: str) -> frozenset[str]:
    data = load_lexicon(lang, "segment")
    return frozenset(str(a).lower() for a in data.get("abbreviations", []))


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans.

    Lines are always boundaries (news text puts headlines, datelines and list items on lines
    of their own); inside a line a stop ends a sentence unless it closes a known abbreviation,
    an initial, or a number, or the next word starts in lower case.

    >>> t = "Lifan opened a plant. It cost $300 mln.\\nNext line"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Lifan opened a plant.', 'It cost $300 mln.', 'Next line']
    """
    abbrevs = _abbreviations(lang)
    spans: list[tuple[int, int]] = []
    pos = 0
    for line_match in _iter_lines(text):
        ls, le = line_match
        start = ls
        for m in _BOUNDARY.finditer(text, ls, le):
            end = m.end()
            if end <= start:
                continue
            punct = end if m.group("glued") is not None else m.start()
            if not _is_boundary(text, start, punct, end, le, abbrevs):
                continue
            _append(spans, text, start, end)
            start = end
        _append(spans, text, start, le)
        pos = le
    del pos
    return spans


def _iter_lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _NEWLINES.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _is_boundary(
    text: str, sent_start: int, punct_start: int, end: int, line_end: int, abbrevs: frozenset[str]
) -> bool:
    """Decide whether the stop at ``punct_start`` really ends a sentence."""
    nxt = _NEXT_START.match(text, end, line_end)
    if end < line_end and nxt is None:
        return False  # next word is lower case or punctuation: not a sentence start
    if text[punct_start] != ".":
        return True
    word = _word_before(text, sent_start, punct_start)
    if not word:
        return True
    word = word.lstrip("(\"'«“")
    low = word.lower()
    if low in abbrevs or low + "." in abbrevs:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: "A. Laptev"
    if "." in word and len(word) <= 6 and word.replace(".", "").isalpha():
        return False  # "U.S", "e.g"
    if nxt is not None and nxt.group(1).isdigit() and word[-1:].isdigit():
        return False  # "1.5" split by a stray space is rare; keep numbers together
    return True


def _word_before(text: str, start: int, end: int) -> str:
    """The run of non-space characters ending at ``end`` (not before ``start``): what
    ``(\\S+)$`` finds in ``text[start:end]``, read backwards instead of scanning the sentence.

    The last 32 characters are split once in C (a word is seldom longer); only a window without
    white space is continued character by character.
    """
    if end <= start or text[end - 1].isspace():
        return ""
    lo = max(start, end - 32)
    window = text[lo:end]
    word = window.rsplit(None, 1)[-1]  # the window ends in a non-space: its last run reaches the end
    if lo == start or len(word) < len(window):
        return word
    i = lo
    while i > start and not text[i - 1].isspace():
        i -= 1
    return text[i:end]


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
