"""Home countries of well-known companies (``data/gazetteer/hand_companies.tsv``).

Used only when the text says nothing of a company's home: a name matches when its first words are
one of a company's listed spellings ("Haval" ~ "Haval Motor Manufacturing Rus"; "Bank of China"
is not "Bank of China Construction ..." unless listed so), compared case-insensitively.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["known_company_country"]

_WORD = re.compile(r"[^\W_]+(?:[.-][^\W_]+)*")


def _words(name: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _WORD.findall(name))


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, ...], str]:
    path = resources.files("fdiscope").joinpath("data", "gazetteer", "hand_companies.tsv")
    out: dict[tuple[str, ...], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, _, country = line.partition("\t")
        for name in names.split("|"):
            words = _words(name)
            if words and country.strip():
                out[words] = country.strip().upper()
    return out


def known_company_country(name: str) -> str | None:
    """The home country of a well-known company named ``name`` (its first words), else None.

    >>> known_company_country("Haval Motor Manufacturing Rus"), known_company_country("Росатом")
    ('CN', 'RU')
    >>> known_company_country("Havana Trading") is None
    True
    """
    words = _words(name)
    table = _table()
    for n in range(len(words), 0, -1):
        country = table.get(words[:n])
        if country is not None:
            return country
    return None
