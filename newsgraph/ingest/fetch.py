"""Fetching pages and feeds over HTTP(S): bounded in time and size, retried when the failure is transient.

A failure is a FetchError whose message is the one-line reason shown to the user ("HTTP 404 Not
Found", "timed out after 20 s"); sources.py turns it into a Skipped and the run goes on.
"""

from __future__ import annotations

import codecs
import contextlib
import email.utils
import http
import re
import socket
import threading
import time
import weakref
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from newsgraph import __version__
from newsgraph.errors import InputError

USER_AGENT = f"newsgraph/{__version__} (+https://github.com/newsgraph)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_TRIES = 3
DEFAULT_MAX_BYTES = 5_000_000
MAX_REDIRECTS = 10
# Longest wait between tries, whatever a server's Retry-After asks for: a run must not stall on one site.
MAX_BACKOFF = 30.0
ACCEPT = (
    "text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.9,application/atom+xml;q=0.9,"
    "application/xml;q=0.8,text/plain;q=0.8,*/*;q=0.1"
)
# The content encodings newsgraph undoes itself (see _decoded); a server is asked for no other.
ACCEPT_ENCODING = "gzip, deflate"
# Most bytes one decoding step hands on at a time: a compressed bomb never inflates further than this
# before the size limit is checked.
_STEP = 1 << 16
# Media types that can hold an article, a feed or JSONL; anything else (images, PDF, video) is refused
# from its headers, before the body is downloaded.
_TEXTUAL = re.compile(r"text/.*|application/(?:.*\+xml|xml|json|x-ndjson|jsonl|x-jsonlines)", re.IGNORECASE)


class FetchError(InputError):
    """A URL that gave no usable response; the message is the reason, one line. `host_down` says the
    host itself failed (unreachable, timed out, server errors after every try), not just this page."""

    def __init__(self, reason: str, *, host_down: bool = False) -> None:
        super().__init__(reason)
        self.host_down = host_down


@dataclass(frozen=True)
class Page:
    """A fetched response body and what is needed to read it."""

    url: str  # the final URL, after redirects
    data: bytes
    media_type: str = ""  # lowercased, without parameters; "" when the server gave none
    charset: str | None = None

    def text(self) -> str:
        """The body as text (see decoded)."""
        return self.decoded()[0]

    def decoded(self) -> tuple[str, str | None]:
        """(the body as text, why it is not read in the charset the server declared, or None).

        The declared charset when it decodes the body, except that a body of another declared
        charset that is valid UTF-8 (with some non-ASCII text) is read as UTF-8: servers declare
        latin-1 by default, and UTF-8 text read as latin-1 is mojibake ("CafÃ©"), while latin-1
        text is hardly ever valid UTF-8. Without a usable charset, sources.decode's guess."""
        if self.charset:
            try:
                declared = self.data.decode(self.charset)
                name = codecs.lookup(self.charset).name
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                if name in ("utf-8", "utf-8-sig") or self.data.isascii():
                    return declared, None
                try:
                    return self.data.decode("utf-8"), f"declared {self.charset} but is UTF-8; read as UTF-8"
                except UnicodeDecodeError:
                    return declared, None
        from newsgraph.ingest.sources import decode

        return decode(self.data), None


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _status_reason(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    if not phrase:
        try:
            phrase = http.HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = ""
    return _one_line(f"HTTP {response.status_code} {phrase}".rstrip())


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asks us to wait (Retry-After as seconds or as an HTTP date), or None."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Retry(Exception):
    """A transient failure of one try: the reason, and how long the server asked us to wait."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class Fetcher:
    """An HTTP client for pages and feeds; reuse one for many URLs (connections are kept alive), from
    one thread at a time.

    `timeout` is a deadline for each try as a whole (connecting, redirects, headers and body: a
    server that trickles bytes is cut off when it passes), `max_bytes` bounds the decoded body
    (checked while decoding, so a compressed bomb never inflates). Connection failures, 5xx and 429
    are tried `tries` times in all, waiting `backoff`, 2*`backoff`, ... seconds between tries (or
    what Retry-After asks, up to MAX_BACKOFF).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        tries: int = DEFAULT_TRIES,
        backoff: float = 0.5,
        max_bytes: int = DEFAULT_MAX_BYTES,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if timeout <= 0:
            raise InputError(f"timeout must be positive, not {timeout:g}")
        if tries < 1:
            raise InputError(f"tries must be at least 1, not {tries}")
        self.timeout = timeout
        self.tries = tries
        self.backoff = backoff
        self.max_bytes = max_bytes
        options: dict[str, Any] = {"transport": transport} if transport is not None else {}
        # Every socket the client opens (connections and their TLS layers), to cut at a deadline.
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            **options,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> Page:
        """The page at `url`; FetchError with the reason when there is none to be had."""
        for attempt in range(self.tries):
            try:
                return self._try(url)
            except _Retry as retry:
                if attempt + 1 == self.tries:
                    raise FetchError(retry.reason, host_down=True) from None
                wait = retry.wait if retry.wait is not None else self.backoff * 2**attempt
                time.sleep(min(wait, MAX_BACKOFF))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: note the socket of each connection (and TLS layer) it opens."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            with contextlib.suppress(Exception):  # a stream without a socket: nothing to cut
                sock = info["return_value"].get_extra_info("socket")
                if sock is not None:
                    self._sockets.add(sock)

    def _cut(self) -> None:
        """The deadline passed: shut every socket down, which ends a read blocked on a trickling
        server at once (only this try's connection is busy; idle ones are opened again when needed)."""
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, even under TLS

    def _try(self, url: str) -> Page:
        deadline = time.monotonic() + self.timeout
        timer = threading.Timer(self.timeout, self._cut)
        timer.daemon = True
        timer.start()
        try:
            return self._response(url, deadline)
        finally:
            timer.cancel()

    def _response(self, url: str, deadline: float) -> Page:
        timed_out = FetchError(f"timed out after {_seconds(self.timeout)}", host_down=True)
        try:
            with self._client.stream("GET", url, extensions={"trace": self._trace}) as response:
                status = response.status_code
                if status == 429 or status >= 500:
                    raise _Retry(_status_reason(response), _retry_after(response))
                if status >= 400:
                    raise FetchError(_status_reason(response))
                content_type = response.headers.get("content-type", "")
                media_type = content_type.split(";")[0].strip().lower()
                if media_type and not _TEXTUAL.fullmatch(media_type):
                    raise FetchError(f"not a page or feed ({media_type})")
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"page larger than {self.max_bytes} bytes")
                chunks: list[bytes] = []
                size = 0
                # Decoded here, a step at a time: httpx would inflate a whole chunk first.
                for chunk in _decoded(response.iter_raw(), response.headers.get("content-encoding", "")):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"page larger than {self.max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise timed_out
                    chunks.append(chunk)
                return Page(str(response.url), b"".join(chunks), media_type, response.charset_encoding)
        except httpx.TimeoutException:
            raise timed_out from None
        except httpx.ConnectError as error:
            if time.monotonic() > deadline:
                raise timed_out from None
            raise _Retry(f"unreachable: {_one_line(error) or type(error).__name__}") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise FetchError(f"bad URL: {_one_line(error)}") from None
        except (httpx.DecodingError, zlib.error) as error:
            raise FetchError(f"undecodable response: {_one_line(error)}") from None
        except httpx.TransportError as error:  # the connection broke mid-response, or the deadline cut it
            if time.monotonic() > deadline:
                raise timed_out from None
            raise FetchError(f"network error: {_one_line(error) or type(error).__name__}", host_down=True) from None


def _decoded(raw: Iterable[bytes], content_encoding: str) -> Iterator[bytes]:
    """The body with its Content-Encoding undone ("gzip, gzip" twice), each step handing on at most
    _STEP bytes at a time, so that what the caller has not yet accepted is never inflated."""
    stream: Iterator[bytes] = iter(raw)
    for name in reversed([e.strip().lower() for e in content_encoding.split(",") if e.strip()]):
        if name in ("gzip", "x-gzip"):
            stream = _inflate(stream, gzip=True)
        elif name == "deflate":
            stream = _inflate(stream, gzip=False)
        elif name != "identity":
            raise FetchError(f"undecodable response: content encoding {name!r} was not asked for")
    return stream


def _inflate(chunks: Iterator[bytes], *, gzip: bool) -> Iterator[bytes]:
    """One zlib layer undone in steps of at most _STEP bytes. gzip may hold several members; a
    "deflate" body without its zlib header (as some servers send it) is read as raw deflate."""
    wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    started = False
    for chunk in chunks:
        pending = chunk
        while pending or started:
            try:
                out = inflater.decompress(pending, _STEP)
            except zlib.error:
                if gzip or started:
                    raise
                wbits = -zlib.MAX_WBITS
                inflater = zlib.decompressobj(wbits)
                continue
            started = True
            if out:
                yield out
            if inflater.eof:
                pending = inflater.unused_data
                if not gzip or not pending:
                    break
                inflater = zlib.decompressobj(wbits)  # the next gzip member
                continue
            pending = inflater.unconsumed_tail
            if not pending and len(out) < _STEP:
                break  # this chunk is used up and nothing waits inside the inflater
        if inflater.eof and not gzip:
            return


def fetch(url: str, **options: Any) -> Page:
    """One page with a throwaway Fetcher (options as for Fetcher); FetchError when there is none."""
    with Fetcher(**options) as fetcher:
        return fetcher.get(url)
