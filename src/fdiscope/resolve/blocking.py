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
    by_object: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        for key in c.blocks:
            blocks[f"n:{key}"].append(i)
        region = c.record.host_region or c.record.host_country
        if region and c.objects:
            by_object[f"o:{region}:{c.objects[0]}"].append(i)
    # Nameless claims meet named ones by place and object; named claims already met by name,
    # so an object block is kept only where it holds a claim that names no investor.
    for key, members in by_object.items():
        if any(not claims[i].blocks for i in members):
            blocks[key] = members
    return blocks


def _split_by_region(claims: Sequence[Claim], members: list[int]) -> list[list[int]]:
    parts: dict[str, list[int]] = defaultdict(list)
    for i in members:
        parts[claims[i].record.host_region or claims[i].record.host_country or "?"].append(i)
    return list(parts.values())


def candidate_pairs(claims: Sequence[Claim], window_years: float = 15.0) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of claims sharing a block within the time window."""
    pairs: set[tuple[int, int]] = set()
    year = [c.year for c in claims]
    region = [c.record.host_region for c in claims]
    for key, members in _blocks(claims).items():
        groups = [members]
        if len(members) > MAX_BLOCK:
            log.info("block %s has %d claims; cutting it by region", key, len(members))
            groups = _split_by_region(claims, members)
        for group in groups:
            for x, i in enumerate(group):
                yi, ri = year[i], region[i]
                for j in group[x + 1 :]:
                    yj, rj = year[j], region[j]
                    # Cheap hard conflicts are dropped here, before any scoring.
                    if ri and rj and ri != rj:
                        continue
                    if yi is not None and yj is not None and abs(yi - yj) > window_years:
                        continue
                    pairs.add((i, j) if i < j else (j, i))
    return pairs
