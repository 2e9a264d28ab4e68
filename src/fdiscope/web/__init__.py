"""HTTP API and server-rendered dashboard over the store (``fdiscope serve``).

>>> from fdiscope.web import create_app
"""

from __future__ import annotations

from .app import TOKEN_ENV, WebSettings, WebState, create_app

__all__ = ["TOKEN_ENV", "WebSettings", "WebState", "create_app"]
