"""Fetching an article by URL: http(s) only, a timeout, a size cap, few redirects."""

from __future__ import annotations

from typing import Any

from ..model.errors import InputError
from ..model.version import __version__

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5


def is_url(source: object) -> bool:
    """True for an http or https URL given as text."""
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def _opener() -> Any:
    """An opener following at most :data:`MAX_REDIRECTS` http(s) redirects.

    urllib is imported here, not with the module: every conversion asks :func:`is_url`,
    few fetch anything, and urllib brings http, ssl and email with it (~20 ms).
    """
    import urllib.request

    class LimitedRedirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            if not newurl.lower().startswith(("http://", "https://")):
                raise InputError(f"redirect to a non-http address refused: {newurl}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(LimitedRedirects())


def fetch(
    url: str, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES
) -> tuple[bytes, str]:
    """The body of ``url`` and the final URL after redirects, or a one-line InputError."""
    import urllib.request  # see _opener: ~35 ms of start-up, for the few runs that fetch

    opener = _opener()
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
        raise InputError(f"cannot fetch: {exc.reason} (offline or no such host?)") from None
    except TimeoutError:
        raise InputError(f"cannot fetch: no answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise InputError(f"cannot fetch: {exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"page too large (more than {max_bytes} bytes)")
    return data, final
