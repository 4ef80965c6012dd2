"""Fetching an article by URL: http(s) only, a timeout, a size cap, few redirects."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from ..model.errors import InputError
from ..model.version import __version__

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5


def is_url(source: object) -> bool:
    """True for an http or https URL given as text."""
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


class PrivateAddressError(InputError):
    """A URL led to an address on this machine or its private network."""


def public_address(host: str, port: int) -> tuple[str, int]:
    """The first address ``host`` resolves to, refused when any of its addresses is
    loopback, private, link-local (cloud metadata services), multicast, reserved or
    unspecified: a server fetching for a browser must not reach its own network."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"cannot fetch: no such host {host!r} ({exc.strerror})") from None
    addresses = [str(info[4][0]) for info in found]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        ):
            raise PrivateAddressError(
                f"refused: {host} is a private or local address ({ip}); only public "
                "addresses may be fetched (--allow-private-addresses allows it)"
            )
    return addresses[0], port


def _opener(allow_private: bool = True) -> Any:
    """An opener following at most :data:`MAX_REDIRECTS` http(s) redirects; without
    ``allow_private``, every connection (each redirect's too) goes only to a public address,
    checked on the address it connects to (so a name that resolves anew cannot slip by).

    urllib is imported here, not with the module: every conversion asks :func:`is_url`,
    few fetch anything, and urllib brings http, ssl and email with it (~20 ms).
    """
    import http.client
    import urllib.parse
    import urllib.request

    class LimitedRedirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
            # Checked before urllib's own scheme check, which would raise an HTTPError that
            # reads like any other failed redirect.
            location = headers.get("location") or headers.get("uri") or ""
            target = urllib.parse.urljoin(req.full_url, location.strip())
            if not is_url(target):
                fp.close()
                raise InputError(f"redirect to a non-http address refused: {target}")
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    if allow_private:
        return urllib.request.build_opener(LimitedRedirects())

    class PublicHTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            address = public_address(self.host, self.port)
            self.sock = socket.create_connection(address, self.timeout)

    class PublicHTTPSConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            address = public_address(self.host, self.port)
            sock = socket.create_connection(address, self.timeout)
            context = self._context  # type: ignore[attr-defined]  # the default context
            self.sock = context.wrap_socket(sock, server_hostname=self.host)

    class PublicHTTP(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(PublicHTTPConnection, req)

    class PublicHTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(PublicHTTPSConnection, req)

    # No proxy: a proxy would connect for us, to addresses this check never sees.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), PublicHTTP(), PublicHTTPS(), LimitedRedirects()
    )


def fetch(
    url: str,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    *,
    allow_private: bool = True,
) -> tuple[bytes, str]:
    """The body of ``url`` and the final URL after redirects, or a one-line InputError.

    ``allow_private=False`` refuses any address on this machine or a private network (see
    :func:`public_address`), also after redirects: what a server fetching for others needs.
    """
    import urllib.request  # see _opener: ~35 ms of start-up, for the few runs that fetch

    if not is_url(url):
        raise InputError(f"only http and https addresses can be fetched: {url!r}")
    opener = _opener(allow_private)
    request = urllib.request.Request(url, headers={"User-Agent": f"briefkit/{__version__}"})
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(f"page too large ({declared} bytes; the limit is {max_bytes})")
            data = response.read(max_bytes + 1)
            final = response.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code in (301, 302, 303, 307, 308):
            raise InputError(f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise InputError(f"cannot fetch: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, InputError):
            raise exc.reason from None
        raise InputError(f"cannot fetch: {exc.reason} (offline or no such host?)") from None
    except TimeoutError:
        raise InputError(f"cannot fetch: no answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise InputError(f"cannot fetch: {exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"page too large (more than {max_bytes} bytes)")
    return data, final
