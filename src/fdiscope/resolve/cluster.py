"""Clustering claims into projects: greedy, best pair first, never across a conflict.

Human must-links are joined first.  Then scored pairs are taken from the highest score down;
two clusters are joined only if no pair of their members has a hard conflict
(:func:`~fdiscope.resolve.scoring.conflict`) or a human cannot-link.  This keeps a vague claim
("Haier invests in Tatarstan") from chaining a refrigerator plant and a washing-machine plant
into one project: it joins the cluster it matches best, and the two plants never meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .blocking import candidate_pairs
from .claims import Claim
from .scoring import PairScore, Settings, conflict, score

__all__ = ["cluster_claims", "Clustering"]


class Clustering:
    """Clusters as lists of claim indexes, with the best score that joined each member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.link_score: dict[int, float] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra

    def clusters(self) -> list[list[int]]:
        return [sorted(m) for m in sorted(self.members.values(), key=min)]


def cluster_claims(
    claims: Sequence[Claim],
    settings: Settings,
    must: Iterable[tuple[int, int]] = (),
    cannot: Iterable[tuple[int, int]] = (),
) -> tuple[list[list[int]], dict[int, float], int]:
    """Group claims into projects.

    Args:
        claims: the current claims.
        settings: thresholds.
        must: index pairs a human said are one project (joined whatever the machine thinks).
        cannot: index pairs a human said are different projects (never joined).

    Returns:
        (clusters as sorted index lists, best link score per claim index, number of pairs scored)
    """
    cl = Clustering(len(claims))
    forbidden = {frozenset(p) for p in cannot}
    for a, b in must:
        if frozenset((a, b)) not in forbidden:
            cl.union(a, b)
            cl.link_score[a] = cl.link_score[b] = 1.0
    scored: list[tuple[float, int, int]] = []
    pairs = candidate_pairs(claims, settings.window_years)
    for i, j in pairs:
        s: PairScore = score(claims[i], claims[j], settings)
        if s.score >= settings.threshold:
            scored.append((s.score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    conflicts: dict[frozenset[int], bool] = {}

    def clash(x: int, y: int) -> bool:
        key = frozenset((x, y))
        if key in forbidden:
            return True
        if key not in conflicts:
            conflicts[key] = conflict(claims[x], claims[y], settings) is not None
        return conflicts[key]

    for s_ij, i, j in scored:
        ri, rj = cl.find(i), cl.find(j)
        if ri == rj:
            continue
        if any(clash(x, y) for x in cl.members[ri] for y in cl.members[rj]):
            continue
        cl.union(ri, rj)
        cl.link_score[i] = max(cl.link_score.get(i, 0.0), s_ij)
        cl.link_score[j] = max(cl.link_score.get(j, 0.0), s_ij)
    return cl.clusters(), cl.link_score, len(pairs)
