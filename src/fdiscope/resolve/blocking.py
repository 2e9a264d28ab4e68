"""Candidate pairs: only claims that share a block are ever scored.

Blocks are the investor-name keys (each distinctive token's skeleton, cut to four letters, so
Фуяо/Fuyao and Чанлин/Changlin share one) and, for claims that name no investor, the host
region with the project's main object.  Pairs further apart in time than the window are dropped.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from .claims import Claim

__all__ = ["candidate_pairs", "MAX_BLOCK"]

log = logging.getLogger(__name__)

#: Blocks larger than this are cut further by host region (a very common name token).
MAX_BLOCK = 2000


def _blocks(claims: Sequence[Claim]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        for key in c.blocks:
            blocks[f"n:{key}"].append(i)
        region = c.record.host_region or c.record.host_country
        if region and c.objects:
            # Nameless claims meet named ones here: same place, same kind of thing.
            blocks[f"o:{region}:{c.objects[0]}"].append(i)
    return blocks


def _split_by_region(claims: Sequence[Claim], members: list[int]) -> list[list[int]]:
    parts: dict[str, list[int]] = defaultdict(list)
    for i in members:
        parts[claims[i].record.host_region or claims[i].record.host_country or "?"].append(i)
    return list(parts.values())


def candidate_pairs(claims: Sequence[Claim], window_years: float = 15.0) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of claims sharing a block within the time window."""
    pairs: set[tuple[int, int]] = set()
    for key, members in _blocks(claims).items():
        groups = [members]
        if len(members) > MAX_BLOCK:
            log.info("block %s has %d claims; cutting it by region", key, len(members))
            groups = _split_by_region(claims, members)
        for group in groups:
            for x, i in enumerate(group):
                yi = claims[i].year
                for j in group[x + 1 :]:
                    yj = claims[j].year
                    if yi is not None and yj is not None and abs(yi - yj) > window_years:
                        continue
                    pairs.add((i, j) if i < j else (j, i))
    return pairs
