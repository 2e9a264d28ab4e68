"""Equivalence tests for the speed paths of the place finder (round 5)."""

from __future__ import annotations

import random

from fdiscope.normalise import places


def _reference_match_at(scan: places._Scan, i: int, kinds: frozenset[str] | None = None):  # type: ignore[no-untyped-def]
    """The trie walk as it was before the one-token fast path."""
    node = scan.gaz.trie.get(scan.keys[i])
    if node is None:
        return None
    keys = scan.keys
    last_token = len(keys) - 1
    found = []
    k = i
    while True:
        entries, children = node
        if entries:
            found.append((k, entries))
        if not children or k == last_token:
            break
        node = children.get(keys[k + 1])
        if node is None or not scan.gap_ok(k):
            break
        k += 1
    for last, entries in reversed(found):
        for entry in entries:
            if kinds is not None and entry.kind not in kinds:
                continue
            if scan._accept(entry, i, last):
                return last, entry
    return None


def test_match_at_equals_the_plain_trie_walk() -> None:
    gaz = places._gazetteer()
    rng = random.Random(31)
    names = sorted(" ".join(e.tokens) for entries in gaz.index.values() for e in entries)
    filler = ["the", "in", "of", "Vladimir", "Putin", "US$", "new", "and", "-", "Sino", "Russian"]
    gaps = [" ", " ", "-", ", ", ". ", " (", "\u00a0", "'s "]
    kinds = [None, frozenset({"demonym"}), frozenset({"city", "region"})]
    for _ in range(3000):
        words = [
            rng.choice(names) if rng.random() < 0.6 else rng.choice(filler) for _ in range(rng.randint(1, 6))
        ]
        words = [w.upper() if rng.random() < 0.1 else w.lower() if rng.random() < 0.2 else w for w in words]
        text = "".join(w + rng.choice(gaps) for w in words)
        scan = places._Scan(text, gaz)
        for i in range(len(scan.keys)):
            kind = rng.choice(kinds)
            assert scan.match_at(i, kind) == _reference_match_at(scan, i, kind), (text, i)
            node = gaz.trie.get(scan.keys[i])
            if node is not None:
                assert scan.match_at(i, kind, node) == _reference_match_at(scan, i, kind), (text, i)
