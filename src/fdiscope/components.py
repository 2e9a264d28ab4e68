"""The default component list per language (the order is checked by :class:`Pipeline`)."""

from __future__ import annotations

from .pipeline import Component

__all__ = ["default_components"]


def default_components(lang: str) -> list[Component]:
    return []
