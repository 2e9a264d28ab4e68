"""SpanIndex keeps its mentions in (start, end) order, stably, as a sort on the tuple would."""

import random

from fdiscope.model import Mention
from fdiscope.pipeline import SpanIndex


def _random_mentions(rng: random.Random) -> list[Mention]:
    """Up to 12 short mentions with starts 0..8, ties and nesting included; values number them."""
    mentions = []
    for k in range(rng.randint(0, 12)):
        start = rng.randint(0, 8)
        mentions.append(Mention(start, start + rng.randint(1, 4), "X", k))
    return mentions


def test_span_index_order_equals_a_tuple_sort() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        mentions = _random_mentions(rng)
        index = SpanIndex(iter(mentions))
        assert index.mentions == sorted(mentions, key=lambda m: (m.start, m.end))
        assert [m.value for m in index.mentions] == [
            m.value for m in sorted(mentions, key=lambda m: (m.start, m.end))
        ]
        for start in range(0, 12):
            for end in range(start + 1, 14):
                assert index.overlapping(start, end) == [
                    m for m in index.mentions if m.start < end and start < m.end
                ]


def test_ending_at_equals_the_overlap_filter() -> None:
    rng = random.Random(4)
    for _ in range(2000):
        mentions = _random_mentions(rng)
        index = SpanIndex(mentions)
        for end in range(0, 14):
            assert index.ending_at(end) == [m for m in index.overlapping(end - 1, end) if m.end == end]
            assert index.ending_at(end) == [m for m in index.mentions if m.end == end]


def test_doc_text_is_the_document_text() -> None:
    from fdiscope.model import Document
    from fdiscope.pipeline import Doc

    doc = Doc(Document(text="Rosatom builds a plant."))
    assert doc.text == "Rosatom builds a plant." and doc.doc_id == doc.document.id
    assert "text" not in repr(doc) or "Rosatom" in repr(doc.document)
