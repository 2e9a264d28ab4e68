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

Two indexes answer the same question: :class:`NearDuplicateIndex` holds everything in memory
(small batches, tests, resolution), :class:`StoredNearDuplicateIndex` asks the store, where each
document's band keys (:func:`band_keys`) sit in an indexed table, and keeps in memory only the
documents of the batch being written: its memory does not grow with the corpus.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

__all__ = [
    "shingles",
    "minhash",
    "signature_text",
    "parse_signature",
    "jaccard_estimate",
    "band_keys",
    "NearDuplicateIndex",
    "StoredNearDuplicateIndex",
    "SignatureStore",
    "DEFAULT_THRESHOLD",
    "NUM_BINS",
    "ROWS",
]

#: Estimated Jaccard similarity of shingle sets from which two texts are near-duplicates.
DEFAULT_THRESHOLD = 0.6
#: Length of a signature.
NUM_BINS = 64
#: Signature values per LSH band (16 bands of 4).
ROWS = 4
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


def signature_text(sig: Sequence[int]) -> str:
    """A signature as stored (``documents.minhash``): hex numbers separated by spaces."""
    return " ".join(format(v, "x") for v in sig)


def parse_signature(text: str) -> tuple[int, ...]:
    """The signature stored as :func:`signature_text` wrote it."""
    return tuple(int(v, 16) for v in text.split())


def jaccard_estimate(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Share of signature positions that agree: an estimate of the Jaccard similarity.

    >>> jaccard_estimate((1, 2, 3, 4), (1, 2, 0, 4))
    0.75
    """
    if len(a) != len(b) or not a:
        raise ValueError("signatures must have the same, non-zero length")
    return sum(x == y and x != _EMPTY for x, y in zip(a, b, strict=True)) / len(a)


def band_keys(sig: Sequence[int], rows: int = ROWS) -> list[int]:
    """One signed 64-bit key per LSH band (band number and values hashed): what the store indexes.

    Two signatures share a key when they agree on a whole band (collisions of unequal bands
    only add candidates, which the similarity check then drops).  A signature without words
    has no keys.

    >>> len(band_keys(minhash("Plant opens in Kaluga today"))), band_keys((-1,) * NUM_BINS)
    (16, [])
    """
    return list(_band_keys(tuple(sig), rows))


@lru_cache(maxsize=128)  # the same signature is keyed by the lookup, the batch and the store
def _band_keys(sig: tuple[int, ...], rows: int) -> tuple[int, ...]:
    if all(v == _EMPTY for v in sig):
        return ()
    pattern = "%d:" + ",".join(["%x"] * rows)
    blake2b = hashlib.blake2b
    return tuple(
        int.from_bytes(
            blake2b((pattern % (b, *sig[i : i + rows])).encode("ascii"), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for b, i in enumerate(range(0, len(sig), rows))
    )


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
        rows: int = ROWS,
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

    def add_signature(
        self, doc_id: str, sig: tuple[int, ...], keys: Sequence[int] | None = None
    ) -> str | None:
        """Add a precomputed signature (e.g. read back from a store); see :meth:`add`.

        ``keys`` is accepted for the same call as :class:`StoredNearDuplicateIndex` (unused here).
        """
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

    def commit(self) -> None:
        """Nothing to do: everything added stays in memory (see :class:`StoredNearDuplicateIndex`)."""


class SignatureStore(Protocol):
    """What :class:`StoredNearDuplicateIndex` needs from a store (:class:`fdiscope.store.Store`)."""

    def minhash_candidates(self, keys: Iterable[int]) -> list[tuple[str, tuple[int, ...]]]:
        """Stored (doc id, signature) sharing a band key with ``keys``, oldest first."""
        ...

    def minhash_keyed_candidates(self, keys: Iterable[int]) -> list[tuple[int, int, str, tuple[int, ...]]]:
        """(band key, storage order, doc id, signature) of every stored document with one of ``keys``."""
        ...


class StoredNearDuplicateIndex:
    """Near-duplicate lookup over the band keys a store keeps for every stored document.

    The store writes a document's signature and band keys with the document (same
    transaction); this index queries them per lookup (one indexed query of 16 keys) and holds
    in memory only the documents added since the last :meth:`commit` — the batch not yet
    written — so its memory is bounded by the batch, not the corpus.  Answers are those of a
    :class:`NearDuplicateIndex` holding every stored document followed by the pending ones.

    Args:
        store: the store (see :class:`SignatureStore`).
        threshold: estimated Jaccard similarity from which texts are near-duplicates.
    """

    def __init__(self, store: SignatureStore, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.store = store
        self.threshold = threshold
        self.num_bins = NUM_BINS
        self._pending: dict[str, tuple[int, ...]] = {}  # insertion order = add order
        self._pending_keys: defaultdict[int, list[str]] = defaultdict(list)
        # stored candidates read ahead by prefetch(), valid until commit(): key -> (order, doc id)
        self._fetched: dict[int, list[tuple[int, str]]] | None = None
        self._fetched_sigs: dict[str, tuple[int, ...]] = {}

    @property
    def pending(self) -> int:
        """Documents added since the last :meth:`commit` (the only ones held in memory)."""
        return len(self._pending)

    def signature(self, text: str) -> tuple[int, ...]:
        """The signature the store keeps for ``text``."""
        return minhash(text)

    def find(self, sig: tuple[int, ...], keys: Sequence[int] | None = None) -> str | None:
        """The earliest stored (else earliest pending) document similar to ``sig``, or None.

        ``keys`` are ``band_keys(sig)`` when the caller has them already (e.g. from a worker).
        """
        keys = band_keys(sig) if keys is None else keys
        if not keys:
            return None
        fetched = self._fetched
        if fetched is not None and all(k in fetched for k in keys):
            stored = sorted({c for k in keys for c in fetched[k]})
            candidates = [(doc_id, self._fetched_sigs[doc_id]) for _order, doc_id in stored]
        else:
            candidates = self.store.minhash_candidates(keys)
        for doc_id, other in candidates:
            if jaccard_estimate(sig, other) >= self.threshold:
                return doc_id
        if not self._pending:
            return None
        cands = {d for k in keys for d in self._pending_keys.get(k, ())}
        if not cands:
            return None
        for doc_id, other in self._pending.items():
            if doc_id in cands and jaccard_estimate(sig, other) >= self.threshold:
                return doc_id
        return None

    def query(self, text: str) -> str | None:
        """The earliest near-duplicate of ``text``, without adding it."""
        return self.find(self.signature(text))

    def add_signature(
        self, doc_id: str, sig: tuple[int, ...], keys: Sequence[int] | None = None
    ) -> str | None:
        """Hold a document about to be written; returns its first near-duplicate, or None.

        The caller writes the document (with this signature) to the store, then calls
        :meth:`commit`.  Adding an id already pending changes nothing and returns None.
        ``keys`` are ``band_keys(sig)`` when the caller has them already.
        """
        if len(sig) != self.num_bins:
            raise ValueError(f"signature has {len(sig)} values, the index uses {self.num_bins}")
        if doc_id in self._pending:
            return None
        keys = band_keys(sig) if keys is None else keys
        first = self.find(sig, keys)
        self._pending[doc_id] = sig
        for key in keys:
            self._pending_keys[key].append(doc_id)
        return first

    def add(self, doc_id: str, text: str) -> str | None:
        """:meth:`add_signature` of the text's signature."""
        return self.add_signature(doc_id, self.signature(text))

    def prefetch(self, keys: Iterable[int]) -> None:
        """Read the stored candidates of many band keys in one go (e.g. those of a whole batch).

        Lookups whose keys are all covered use them instead of a query each; they stay valid
        until :meth:`commit` (the store is not written in between).  A store without
        ``minhash_keyed_candidates`` is simply queried per lookup.
        """
        keys = set(keys)
        fetch = getattr(self.store, "minhash_keyed_candidates", None)
        if not keys or fetch is None:
            return
        fetched: dict[int, list[tuple[int, str]]] = {k: [] for k in keys}
        for key, order, doc_id, sig in fetch(keys):
            fetched[key].append((order, doc_id))
            self._fetched_sigs[doc_id] = sig
        self._fetched = fetched

    def commit(self) -> None:
        """Forget the pending documents: they are in the store now (or were not written)."""
        self._pending.clear()
        self._pending_keys.clear()
        self._fetched = None
        self._fetched_sigs.clear()
