"""Near-duplicate detection: MinHash signatures of word 3-shingles with LSH banding.

The same story re-published under another headline, byline or footer shares most of its word
3-shingles with the original: their Jaccard similarity stays high (typically 0.7–0.9) while two
different stories share almost none.  A 64-bit simhash was tried first, but on news-sized texts
(100–500 words) a changed headline and footer moved it by 6–13 bits, overlapping the noise floor.

The signature is a one-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification
(Shrivastava & Li 2014): each shingle is hashed once and falls into one of ``num_bins`` bins,
each bin keeps its minimum, and empty bins borrow from the next filled one.  Signatures are cut
into bands of ``rows`` values; documents sharing a whole band are candidates, and candidates
whose estimated Jaccard similarity reaches the threshold are near-duplicates.  Lookup touches
only the candidates, not the whole index.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

__all__ = [
    "shingles",
    "minhash",
    "jaccard_estimate",
    "NearDuplicateIndex",
    "DEFAULT_THRESHOLD",
    "NUM_BINS",
]

#: Estimated Jaccard similarity of shingle sets from which two texts are near-duplicates.
DEFAULT_THRESHOLD = 0.6
#: Length of a signature.
NUM_BINS = 64
_WORD = re.compile(r"\w+")
_EMPTY = -1


def shingles(text: str, size: int = 3) -> set[str]:
    """The set of overlapping word n-grams of the lower-cased text (the whole text if shorter).

    >>> sorted(shingles("The plant opens today", 3))
    ['plant opens today', 'the plant opens']
    """
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def minhash(text: str, *, num_bins: int = NUM_BINS, shingle_size: int = 3) -> tuple[int, ...]:
    """The densified one-permutation MinHash signature of the text's word shingles.

    A text without words gets a signature of all -1 (which matches nothing).

    >>> minhash("Plant opens in Kaluga today") == minhash("plant opens, in Kaluga today!")
    True
    """
    bins = [_EMPTY] * num_bins
    for sh in shingles(text, shingle_size):
        h = int.from_bytes(hashlib.blake2b(sh.encode("utf-8"), digest_size=8).digest(), "big")
        b, v = h % num_bins, h // num_bins
        if bins[b] == _EMPTY or v < bins[b]:
            bins[b] = v
    if all(v == _EMPTY for v in bins):
        return tuple(bins)
    offset = (1 << 64) // num_bins + 1  # keeps borrowed values apart from genuine ones
    out = list(bins)
    for i in range(num_bins):
        step = 0
        while bins[(i + step) % num_bins] == _EMPTY:
            step += 1
        out[i] = bins[(i + step) % num_bins] + step * offset
    return tuple(out)


def jaccard_estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Share of signature positions that agree: an estimate of the Jaccard similarity.

    >>> jaccard_estimate((1, 2, 3, 4), (1, 2, 0, 4))
    0.75
    """
    if len(a) != len(b) or not a:
        raise ValueError("signatures must have the same, non-zero length")
    return sum(x == y and x != _EMPTY for x, y in zip(a, b, strict=True)) / len(a)


class NearDuplicateIndex:
    """In-memory index answering "has a near-duplicate of this text been seen?".

    Args:
        threshold: estimated Jaccard similarity from which texts are near-duplicates.
        rows: signature values per LSH band; fewer rows find more candidates (higher recall).
        num_bins: signature length (a multiple of ``rows``).
        shingle_size: words per shingle.

    >>> idx = NearDuplicateIndex()
    >>> idx.add("a", "one two three four five six seven eight nine ten") is None
    True
    >>> idx.add("b", "One two three four five six seven eight nine ten.")
    'a'
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        rows: int = 4,
        num_bins: int = NUM_BINS,
        shingle_size: int = 3,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if rows < 1 or num_bins % rows:
            raise ValueError("num_bins must be a positive multiple of rows")
        self.threshold = threshold
        self.rows = rows
        self.num_bins = num_bins
        self.shingle_size = shingle_size
        self._tables: list[defaultdict[tuple[int, ...], list[str]]] = [
            defaultdict(list) for _ in range(num_bins // rows)
        ]
        self._signatures: dict[str, tuple[int, ...]] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._signatures

    def signature(self, text: str) -> tuple[int, ...]:
        """The signature this index uses for ``text`` (store it to rebuild the index later)."""
        return minhash(text, num_bins=self.num_bins, shingle_size=self.shingle_size)

    def _bands(self, sig: tuple[int, ...]) -> list[tuple[int, ...]]:
        r = self.rows
        return [sig[i : i + r] for i in range(0, self.num_bins, r)]

    def find(self, sig: tuple[int, ...]) -> str | None:
        """The earliest added document similar to signature ``sig``, or None."""
        if all(v == _EMPTY for v in sig):
            return None
        seen: set[str] = set()
        best: str | None = None
        for band, table in zip(self._bands(sig), self._tables, strict=True):
            for cand in table.get(band, ()):
                if cand in seen:
                    continue
                seen.add(cand)
                if jaccard_estimate(sig, self._signatures[cand]) >= self.threshold:
                    if best is None or self._order[cand] < self._order[best]:
                        best = cand
        return best

    def query(self, text: str) -> str | None:
        """The earliest added near-duplicate of ``text``, without adding it."""
        return self.find(self.signature(text))

    def add_signature(self, doc_id: str, sig: tuple[int, ...]) -> str | None:
        """Add a precomputed signature (e.g. read back from a store); see :meth:`add`."""
        if len(sig) != self.num_bins:
            raise ValueError(f"signature has {len(sig)} values, the index uses {self.num_bins}")
        if doc_id in self._signatures:
            return None
        first = self.find(sig)
        self._signatures[doc_id] = sig
        self._order[doc_id] = len(self._order)
        if any(v != _EMPTY for v in sig):
            for band, table in zip(self._bands(sig), self._tables, strict=True):
                table[band].append(doc_id)
        return first

    def add(self, doc_id: str, text: str) -> str | None:
        """Index a document; returns the id of the first near-duplicate already indexed, or None.

        The document is indexed either way, so every copy in a chain of near-duplicates points
        at the first one added.  Adding an id that is already indexed changes nothing and
        returns None.
        """
        return self.add_signature(doc_id, self.signature(text))
