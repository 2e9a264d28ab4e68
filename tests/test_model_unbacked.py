"""unbacked_fields reads the field values with one getter: the same answer as a getattr loop."""

import random

from fdiscope.model import (
    _BACKING,
    _FREE_TEXT,
    EventRecord,
    Evidence,
    ProjectRecord,
    TradeRecord,
    unbacked_fields,
)


def _plain(rec: ProjectRecord | TradeRecord | EventRecord) -> list[str]:
    missing: list[str] = []
    for name in rec.FIELDS:
        value = getattr(rec, name)
        if value is None or value == [] or name in _FREE_TEXT:
            continue
        if isinstance(value, list):
            missing += [f"{name}[{i}]" for i in range(len(value)) if f"{name}[{i}]" not in rec.provenance]
        elif _BACKING.get(name, name) not in rec.provenance:
            missing.append(name)
    return missing


def test_unbacked_fields_equals_a_getattr_loop() -> None:
    rng = random.Random(1)
    ev = Evidence("d", 0, 1, "x")
    values: list[object] = [None, "", 0, "a", [], ["a"], ["a", "b", "c"], {"value": 1.0}]
    for _ in range(5000):
        cls = rng.choice([ProjectRecord, TradeRecord, EventRecord])
        rec = cls()
        keys: list[str] = []
        for name in cls.FIELDS:
            setattr(rec, name, rng.choice(values))
            keys += [name, _BACKING.get(name, name)] + [f"{name}[{i}]" for i in range(3)]
        rec.provenance = {k: ev for k in keys if rng.random() < 0.4}
        assert unbacked_fields(rec) == _plain(rec)
