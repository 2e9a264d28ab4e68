"""HTTP fetching with limits: timeouts, a maximum body size, few redirects, http(s) only.

The transport is injectable (``httpx.MockTransport`` or any ``httpx.BaseTransport``) so tests
never touch the network.  Bodies are streamed and the download stops as soon as it passes the
size limit; a ``Content-Length`` over the limit is refused before any body is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .errors import FetchError, TooLarge

__all__ = ["Fetched", "make_client", "fetch", "USER_AGENT", "DEFAULT_TIMEOUT", "MAX_REDIRECTS"]

log = logging.getLogger(__name__)

USER_AGENT = "fdiscope/0.1 (+https://github.com/fdiscope)"
#: Seconds for connecting and for each read.
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched HTTP response body.

    Attributes:
        url: the final URL, after redirects.
        status: the HTTP status code.
        content_type: the Content-Type header, or None.
        data: the body bytes.
    """

    url: str
    status: int
    content_type: str | None
    data: bytes


def make_client(
    *, timeout: float = DEFAULT_TIMEOUT, transport: Any = None, max_redirects: int = MAX_REDIRECTS
) -> Any:
    """An ``httpx.Client`` with the project's user agent, timeouts and redirect limit.

    Args:
        timeout: seconds allowed for connecting, each read and each write.
        transport: an ``httpx.BaseTransport`` (e.g. ``httpx.MockTransport``) replacing the network.
        max_redirects: redirects followed before giving up.
    """
    import httpx  # lazy: keeps `import fdiscope` fast

    return httpx.Client(
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xhtml+xml, application/rss+xml,"
            " application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5",
        },
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=max_redirects,
        transport=transport,
    )


def fetch(url: str, client: Any = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    """GET ``url`` and return its body, within the size limit.

    Args:
        url: an http or https URL.
        client: an ``httpx.Client`` (see :func:`make_client`); a default one is made and closed
            when None.
        max_bytes: the largest body accepted.

    Raises:
        FetchError: a bad URL, a network error, a timeout, too many redirects or an HTTP status
            of 400 or more (``status`` is set then).
        TooLarge: the body (announced or received) is larger than ``max_bytes``.
    """
    import httpx

    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'a bare path'!r}", source=url)
    own = client is None
    client = client or make_client()
    try:
        with client.stream("GET", url) as resp:
            final = str(resp.url)
            if resp.status_code >= 400:
                raise FetchError(
                    f"HTTP {resp.status_code} {resp.reason_phrase}".strip(),
                    source=url,
                    status=resp.status_code,
                )
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise TooLarge(
                    f"response of {int(declared):,} bytes is over the limit of {max_bytes:,}", source=url
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(
                        f"response is over the limit of {max_bytes:,} bytes; download stopped", source=url
                    )
                chunks.append(chunk)
            return Fetched(final, resp.status_code, resp.headers.get("content-type"), b"".join(chunks))
    except httpx.TimeoutException as exc:
        raise FetchError(
            f"timed out ({type(exc).__name__}); the server is slow or unreachable", source=url
        ) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"too many redirects (more than {client.max_redirects})", source=url) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"request failed ({type(exc).__name__}: {exc})", source=url) from exc
    finally:
        if own:
            client.close()
