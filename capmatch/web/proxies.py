"""The client's real address behind a reverse proxy, believed only from the proxies the settings name.

uvicorn's ProxyHeadersMiddleware rewrites the request's client (and scheme) from X-Forwarded-For
(and X-Forwarded-Proto) when the peer is trusted, reading the chain from the right and stopping
at the first address that is not a trusted proxy. It is installed here, in the app, rather than by
`uvicorn --proxy-headers` (whose default trusts 127.0.0.1), so the one setting,
CAPMATCH_TRUSTED_PROXIES, decides under every server and in the tests; `capmatch serve` turns
uvicorn's own off.
"""

from __future__ import annotations

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from capmatch.config import get_settings


def install_trusted_proxies(app: FastAPI) -> None:
    """Call last of the middleware: it must run first, before anything reads the client's address."""
    trusted = get_settings().trusted_proxies
    if trusted:  # none trusted (the default): the peer is the client, and no middleware is needed
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted))
