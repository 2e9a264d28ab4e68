"""The project frame's shortcuts give exactly the answers of the plain rules they replace."""

from __future__ import annotations

import random
import re

import pytest

from fdiscope.frames import projects as P

# every tail the candidate checks match backwards
TAILS = {
    "seller": P._SELLER_BEFORE,
    "parent": P._PARENT_TAIL,
    "role": P._ROLE_BEFORE,
    "last_word": P._LAST_WORD,
    "word_of": P._WORD_OF,
}

# the words of the tails' rules, near misses of them, and what may stand between words
_WORDS = [
    "from",
    "From",
    "FROM",
    "у",
    "У",
    "with",
    "by",
    "of",
    "Of",
    "the",
    "The",
    "between",
    "между",
    "с",
    "С",
    "компании",
    "компаниями",
    "Компания",
    "компани",
    "корпорацией",
    "корпораци",
    "founded",
    "founded by",
    "Founded By",
    "subsidiary",
    "branch",
    "owned by",
    "дочерней",
    "дочерняя",
    "дочка",
    "дочки",
    "дочк",
    "предприятие",
    "предприятия",
    "обществом",
    "структуры",
    "структурой",
    "учредителем",
    "учредител",
    "которой",
    "является",
    "China's",
    "group",
    "plant",
    "park",
    "Mechel",
    "x",
    "of-the",
    "ofof",
    "subsidiary of",
    "a unit of",
    "Division Of",
    "owned by",
    "OWNED BY",
    "withthe",
    "bythe",
    "1",
    "2024",
    "_",
    "ß",
    "İ",
    "ﬁ",
    # whole phrases of the rules, so that random texts reach each of their branches
    "дочерней компании",
    "дочернего предприятия",
    "дочерней структурой",
    "дочернее общество",
    "учредителем которой является",
    "founded by",
    "plant of",
    "port of",
    "park of ",
    "with the",
]
_GAPS = [" ", "  ", "\n", " \n", "\t", "\u00a0", "-", " - ", ", ", ".", "«", '"', "“", "'", "(", ""]


def _compose(rng: random.Random, words: list[str], gaps: list[str], most: int, tails: list[str]) -> str:
    """Up to ``most`` random words, each followed by a random gap, and now and then a tail."""
    parts: list[str] = []
    for _ in range(rng.randint(0, most)):
        parts.append(rng.choice(words))
        parts.append(rng.choice(gaps))
    if rng.random() < 0.3:
        parts.append(rng.choice(tails))
    return "".join(parts)


def _random_text(rng: random.Random) -> str:
    return _compose(rng, _WORDS, _GAPS, 9, ["\n", " \n", "«\n", '"\n', "\n\n", " "])


@pytest.mark.parametrize("name", sorted(TAILS))
def test_tail_backwards_equals_forward_search(name: str) -> None:
    tail = TAILS[name]
    rng = random.Random(name)
    texts = [_random_text(rng) for _ in range(20000)]
    texts += [
        "",
        " ",
        "\n",
        "with ",
        "with the ",
        "with the\n",
        "founded by China's ",
        "plant «",
        "plant «\n",
    ]
    hits = 0
    for text in texts:
        fwd = tail.forward.search(text)
        bwd = tail.match(text[::-1])
        assert (fwd is None) == (bwd is None), (name, text)
        if fwd is not None and bwd is not None:
            hits += 1
            if tail.forward.groups:
                assert fwd.group(1) == bwd.group(1)[::-1], (name, text)
    assert hits > 100  # the inputs do reach the rules


def test_parent_is_its_two_parts() -> None:
    """The full parent rule (read after a name too) is the one searched anywhere or at the end."""
    rng = random.Random(7)
    for _ in range(20000):
        text = _random_text(rng)
        whole = P._PARENT.search(text) is not None
        parts = P._PARENT_BEFORE.search(text) is not None or P._PARENT_TAIL.match(text[::-1]) is not None
        assert whole == parts, text


def test_parent_gate() -> None:
    """The quick word tests never hide a parent named in the text."""
    rng = random.Random(11)
    texts = [_random_text(rng) for _ in range(20000)]
    texts += ["a SUBSIDIARY OF ", "Owned By", "unit\nof", "дочка\u00a0of", "division ofthe", "OwNeD bY"]
    texts += ["ДОЧЕРНЕЕ ПРЕДПРИЯТИЕ китайской ", "\u1c81очка ", "Founded By X ", "УЧРЕДИТЕЛЕМ которой "]
    for text in texts:
        assert P._names_parent(text, text[::-1]) == (P._PARENT.search(text) is not None), text


def test_gate_letters_fold() -> None:
    """Every character a gate word's letter matches, ignoring case, case-folds to that letter."""
    letters = set("".join(P._PARENT_TAIL_WORDS) + "ofownedby") - {" "}
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for letter in letters:
        for char in set(re.findall(re.escape(letter), every, re.I)):
            assert char.casefold() == letter.casefold(), (letter, hex(ord(char)))


# the end-anchored cues of the candidate checks, matched backwards on the reversed text before a name
END_CUES = {
    "source": P._SOURCE_END,
    "customer": P._CUSTOMER_END,
    "listed": P._LISTED_END,
    "determiner": P._DETERMINER_ENDS,
}
_END_WORDS = [
    "according to",
    "According To",
    "according",
    "to",
    "по данным",
    "по словам",
    "По информации",
    "данным",
    "the",
    "The",
    "a",
    "an",
    "its",
    "their",
    "new",
    "anew",
    "the new",
    "supply",
    "supplies",
    "supplied",
    "supplying",
    "Supplier",
    "delivers",
    "delivered",
    "delivering",
    "deliver",
    "customers",
    "customer",
    "clients",
    "buyers",
    "поставляет",
    "поставки",
    "клиентам",
    "покупателей",
    "including",
    "Including",
    "such as",
    "like",
    "among them",
    "в том числе",
    "включая",
    "такие как",
    "такими как",
    "среди них",
    "company",
    "companies",
    "firm",
    "firms",
    "residents",
    "investors",
    "manufacturers",
    "producers",
    "компании",
    "резиденты",
    "инвесторов",
    "производители",
    "BMW",
    "and",
    "и",
    "x-including",
    "carmakers",
    "1",
    "_",
    "ß",
    "İ",
]
_END_GAPS = [" ", "  ", "\n", " \n", "\t", "\u00a0", "-", ", ", ".", ";", ":", "«", ""]


def _end_text(rng: random.Random) -> str:
    return _compose(rng, _END_WORDS, _END_GAPS, 14, ["\n", " \n", "\n\n", " ", "  "])


@pytest.mark.parametrize("name", sorted(END_CUES))
def test_end_cue_backwards_equals_forward_search(name: str) -> None:
    """Each end cue matched backwards, on the whole reversed text or on a window of its first
    characters (the last ones of the text), answers as the rule searched forwards."""
    cue = END_CUES[name]
    rng = random.Random(name)
    hits = 0
    for _ in range(20000):
        text = _end_text(rng)
        forward = cue.pattern.search(text) is not None
        assert cue.search(text) == forward, (name, text)
        hits += forward
        reach = text[::-1]
        for length in (0, 1, 7, 30, 60, 100, 120):
            window = text[max(0, len(text) - length) :]
            assert cue.ends(reach, length) == (cue.pattern.search(window) is not None), (name, length, text)
    assert hits > 100  # the inputs do reach the rules
