"""Fetching URLs and feeds: pages, HTTP errors, timeouts, size limits, retries, RSS and Atom items.

Everything is served by a local http.server on 127.0.0.1 in a daemon thread; each handler is bounded
in time and the server is shut down when the module's tests end.
"""

from __future__ import annotations

import gzip
import io
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsgraph.ingest.fetch import USER_AGENT, Fetcher, FetchError, fetch
from newsgraph.ingest.sources import MIN_FEED_WORDS, Skipped, read_sources
from newsgraph.model import Article
from tests.fixtures.loopback import loopback, respond


def page(title: str, paragraphs: list[str], *, date: str | None = "2024-03-05", site: str = "The Coastal Courier"):
    meta = f'<meta property="article:published_time" content="{date}T09:30:00Z">' if date else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">{meta}
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
{body}
</article><footer>Copyright {site}</footer></body></html>"""


HARBOUR = page(
    "Harbour workers strike over pay",
    [
        "Dock workers at the port of Eastmere walked out on Monday after talks with the harbour board "
        "collapsed over a proposed pay freeze for the coming year.",
        "The Eastmere Dockers Union said its members would stay out until the board returned to the table "
        "with an offer that matched inflation.",
    ],
)
BRIDGE = page(
    "Council votes to repair the old bridge",
    [
        "Councillors in Wendleby voted on Tuesday to spend two million pounds repairing the Marrow Street "
        "bridge, which has been closed to lorries since the winter floods.",
        "The council leader, Ada Finch, said the work would begin in the spring and take eight months.",
    ],
    date="2024-04-02",
)
NAV_ONLY = "<!doctype html><html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
LONG_SUMMARY = (
    "Ferry crews on the northern route accepted a new contract on Wednesday, ending a dispute that had "
    "cancelled sailings for a fortnight. The operator said the first boats would leave Carrick harbour "
    "at dawn and that passengers holding old tickets could use them until the end of the month."
)
assert len(LONG_SUMMARY.split()) >= MIN_FEED_WORDS


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- written for newsgraph's tests -->
<rss version="2.0"><channel><title>Coastal Courier: News</title><link>{base}/</link><language>en-gb</language>
<item><title>Harbour workers strike over pay</title><link>{base}/news/harbour</link>
  <pubDate>Tue, 05 Mar 2024 23:30:00 -0500</pubDate><description>Dock workers walk out.</description></item>
<item><title>Bridge repairs</title><link>/news/bridge</link><author>ada@wendleby.example (Desk)</author>
  <pubDate>Thu, 04 Apr 2024 08:00:00 +0000</pubDate></item>
<item><title>Ferry dispute ends</title><link>{base}/news/ferry-gone</link>
  <pubDate>Wed, 06 Mar 2024 10:00:00 +0000</pubDate>
  <description>&lt;p&gt;{LONG_SUMMARY}&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</description></item>
<item><title>Teaser</title><link>{base}/news/teaser-gone</link><description>Read more on our site.</description></item>
</channel></rss>
"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wendleby Gazette</title><id>urn:test:gazette</id>
<updated>2024-04-02T10:00:00Z</updated>
<entry><title>Council votes to repair the old bridge</title><id>urn:test:1</id>
  <link rel="alternate" href="{base}/news/bridge"/><published>2024-04-01T22:15:00-03:00</published>
  <updated>2024-04-02T10:00:00Z</updated><author><name>Oren Vale</name></author></entry>
<entry><title>Ferry dispute ends</title><id>urn:test:2</id><link href="{base}/news/ferry-gone"/>
  <updated>2024-03-06T10:00:00Z</updated><content type="html">&lt;p&gt;{LONG_SUMMARY}&lt;/p&gt;</content></entry>
</feed>
"""


@dataclass
class Site:
    """The local server: its base URL, the requests it saw, and per-path counters for retry tests."""

    base: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    flaky_left = {"/flaky": 2}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

        def send(self, status: int, body: str | bytes, ctype: str = "text/html; charset=utf-8", **headers) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            site.requests.append((path, self.headers.get("User-Agent", "")))
            routes: dict[str, Callable[[], None]] = {
                "/news/harbour": lambda: self.send(200, HARBOUR),
                "/news/bridge": lambda: self.send(200, BRIDGE),
                "/old/harbour": lambda: self.send(301, "", Location="/news/harbour"),
                "/nav": lambda: self.send(200, NAV_ONLY),
                "/plain": lambda: self.send(200, "title: A plain page\n\n" + LONG_SUMMARY, "text/plain"),
                "/feed.rss": lambda: self.send(200, rss(site.base), "application/rss+xml"),
                "/feed.atom": lambda: self.send(200, atom(site.base), "application/atom+xml"),
                "/feed-as-text": lambda: self.send(200, atom(site.base), "text/plain"),
                "/big": lambda: self.send(200, "<p>" + "word " * 5000 + "</p>"),
                "/big-chunked": self.big_chunked,
                "/image": lambda: self.send(200, b"\x89PNG\r\n\x1a\n", "image/png"),
                "/slow": self.slow,
                "/trickle": self.trickle,
                "/flaky": self.flaky,
                "/down": lambda: self.send(503, "down for maintenance", "text/plain"),
                "/busy": lambda: self.send(429, "slow down", "text/plain", Retry_After="0"),
                "/articles.jsonl": lambda: self.send(
                    200, f'{{"body": "{LONG_SUMMARY}"}}\nnot json\n', "application/x-ndjson"
                ),
            }
            route = routes.get(path)
            if route is None:
                self.send(404, "<h1>Not here</h1>")
            else:
                route()

        def slow(self) -> None:
            if not site.stop.wait(3):  # longer than the tests' timeout, bounded so that the thread ends
                self.send(200, HARBOUR)

        def trickle(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):  # each byte well within the read timeout, the whole well beyond it
                if site.stop.wait(0.05):
                    return
                self.wfile.write(b"x")
                self.wfile.flush()

        def big_chunked(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"word " * 200 + b"</p>"
            for _ in range(50):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")

        def flaky(self) -> None:
            if flaky_left["/flaky"] > 0:
                flaky_left["/flaky"] -= 1
                self.send(502, "bad gateway", "text/plain")
            else:
                self.send(200, HARBOUR)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping must not hold up the end of the tests

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout, size limit) breaks the pipe: that is the point of the test


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), lambda *args: None)  # handler set below, once the Site exists
    site = Site(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """A proxy in the environment must not take the local server's requests."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/news"


def read(urls: list[str], **options) -> list[Article | Skipped]:
    return list(read_sources(urls, **options))


# --- Fetcher ---------------------------------------------------------------------------------------


def test_fetch_follows_redirects_and_sends_our_user_agent(site):
    page_ = fetch(site.url("/old/harbour"))
    assert page_.url == site.url("/news/harbour")
    assert page_.media_type == "text/html" and page_.charset == "utf-8"
    assert "Harbour workers strike" in page_.text()
    assert site.requests[-1] == ("/news/harbour", USER_AGENT)
    assert USER_AGENT.startswith("newsgraph/") and USER_AGENT.endswith("(+https://github.com/newsgraph)")


def test_transient_errors_are_retried_then_succeed(site):
    with Fetcher(backoff=0.01) as fetcher:
        assert fetcher.get(site.url("/flaky")).url == site.url("/flaky")
    assert site.hits("/flaky") == 3


@pytest.mark.parametrize(
    ("path", "reason"), [("/down", "HTTP 503 Service Unavailable"), ("/busy", "HTTP 429 Too Many Requests")]
)
def test_server_errors_are_tried_three_times(site, path, reason):
    before = site.hits(path)
    with Fetcher(backoff=0.01) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(site.url(path))
    assert str(caught.value) == reason
    assert site.hits(path) - before == 3


def test_client_errors_are_not_retried(site):
    before = site.hits("/missing")
    with pytest.raises(FetchError, match="^HTTP 404 Not Found$"):
        fetch(site.url("/missing"), backoff=0.01)
    assert site.hits("/missing") - before == 1


def test_backoff_doubles_between_tries():
    started = time.monotonic()
    with pytest.raises(FetchError, match="^unreachable: "):
        fetch(closed_port_url(), backoff=0.1, tries=3)
    assert time.monotonic() - started >= 0.3  # 0.1 + 0.2


def test_bad_settings_are_input_errors():
    from newsgraph.errors import InputError

    with pytest.raises(InputError, match="timeout"):
        Fetcher(timeout=0)
    with pytest.raises(InputError, match="tries"):
        Fetcher(tries=0)


# --- URLs through read_sources ---------------------------------------------------------------------


def test_url_gives_an_article_with_the_url_as_source_and_the_final_url(site):
    (article,) = read([site.url("/old/harbour")])
    assert isinstance(article, Article)
    assert article.source == site.url("/old/harbour")
    assert article.url == site.url("/news/harbour")
    assert article.title == "Harbour workers strike over pay"
    assert article.date == "2024-03-05" and article.outlet == "The Coastal Courier"
    assert article.body.startswith("Dock workers at the port of Eastmere") and "Home" not in article.body


def test_plain_text_page_is_read_with_its_header(site):
    (article,) = read([site.url("/plain")], default_date="2024-01-01")
    assert article.title == "A plain page" and article.url == site.url("/plain") and article.date == "2024-01-01"


def test_bad_urls_are_skipped_with_one_line_reasons_and_the_run_goes_on(site):
    urls = [site.url(p) for p in ("/missing", "/nav", "/image", "/news/harbour")]
    items = read(urls)
    assert items[:3] == [
        Skipped(urls[0], "HTTP 404 Not Found"),
        Skipped(urls[1], "no article text in HTML"),
        Skipped(urls[2], "not a page or feed (image/png)"),
    ]
    assert isinstance(items[3], Article)


def test_slow_page_times_out(site):
    started = time.monotonic()
    assert read([site.url("/slow")], timeout=0.3) == [Skipped(site.url("/slow"), "timed out after 0.3 s")]
    assert time.monotonic() - started < 2


def test_trickling_page_times_out_as_a_whole(site):
    started = time.monotonic()
    assert read([site.url("/trickle")], timeout=0.5) == [Skipped(site.url("/trickle"), "timed out after 0.5 s")]
    assert time.monotonic() - started < 1.9


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_oversized_page_is_skipped_while_streaming(site, path):
    assert read([site.url(path)], max_bytes=10_000) == [Skipped(site.url(path), "page larger than 10000 bytes")]


def test_unreachable_host_is_skipped():
    url = closed_port_url()
    with Fetcher(backoff=0.01) as fetcher:
        (item,) = read([url], fetcher=fetcher)
    assert item.source == url and item.reason.startswith("unreachable: ") and "\n" not in item.reason


def test_seen_url_is_not_fetched(site):
    before = site.hits("/news/bridge")
    assert read([site.url("/news/bridge")], seen=lambda url: url.endswith("/bridge")) == [
        Skipped(site.url("/news/bridge"), "already ingested")
    ]
    assert site.hits("/news/bridge") == before


def test_seen_final_url_after_a_redirect_is_skipped(site):
    final = site.url("/news/harbour")
    assert read([site.url("/old/harbour")], seen=lambda url: url == final) == [
        Skipped(site.url("/old/harbour"), "already ingested")
    ]


def test_jsonl_from_a_url(site):
    good, bad = read([site.url("/articles.jsonl")])
    assert isinstance(good, Article) and good.source == site.url("/articles.jsonl") + ":1"
    assert bad == Skipped(site.url("/articles.jsonl") + ":2", "invalid JSON: Expecting value at column 1")


# --- feeds -----------------------------------------------------------------------------------------


def test_rss_items_are_fetched_with_fallbacks_to_the_feed_text(site):
    harbour, bridge, ferry, teaser = read([site.url("/feed.rss")], default_date="2024-01-01")
    # The item page, with the feed's date as written (not shifted to UTC) winning over the page's.
    assert isinstance(harbour, Article)
    assert harbour.source == harbour.url == site.url("/news/harbour")
    assert harbour.title == "Harbour workers strike over pay" and harbour.date == "2024-03-05"
    assert harbour.body.startswith("Dock workers at the port of Eastmere")
    # A relative link is resolved against the feed's URL.
    assert isinstance(bridge, Article) and bridge.url == site.url("/news/bridge") and bridge.date == "2024-04-04"
    # A page that is gone: the item's own text, HTML stripped, is long enough to stand in for it.
    assert isinstance(ferry, Article)
    assert ferry.source == site.url("/news/ferry-gone") and ferry.body == LONG_SUMMARY
    assert ferry.title == "Ferry dispute ends" and ferry.outlet == "Coastal Courier: News"
    assert ferry.date == "2024-03-06" and ferry.language == "en-gb"
    # Gone, and only a teaser in the feed.
    assert teaser == Skipped(
        site.url("/news/teaser-gone"), "HTTP 404 Not Found, and the feed's own text is too short (5 words)"
    )


def test_atom_entries(site):
    bridge, ferry = read([site.url("/feed.atom")])
    assert isinstance(bridge, Article) and bridge.url == site.url("/news/bridge")
    assert bridge.date == "2024-04-01"  # the published date in its own offset
    assert bridge.title == "Council votes to repair the old bridge"
    assert isinstance(ferry, Article) and ferry.body == LONG_SUMMARY and ferry.outlet == "Wendleby Gazette"


def test_feed_is_recognised_by_content_not_type(site):
    items = read([site.url("/feed-as-text")])
    assert [i.url for i in items] == [site.url("/news/bridge"), site.url("/news/ferry-gone")]


def test_only_items_not_seen_before(site):
    seen = {site.url("/news/harbour"), site.url("/news/ferry-gone")}
    before = site.hits("/news/harbour")
    items = read([site.url("/feed.rss")], seen=seen.__contains__)
    assert items[0] == Skipped(site.url("/news/harbour"), "already ingested")
    assert items[2] == Skipped(site.url("/news/ferry-gone"), "already ingested")
    assert isinstance(items[1], Article)
    assert site.hits("/news/harbour") == before


def test_feed_file_links_back_to_the_server(site, tmp_path):
    path = tmp_path / "saved.xml"
    path.write_text(atom(site.base), encoding="utf-8")
    bridge, ferry = read([str(path)])
    assert bridge.source == site.url("/news/bridge") and bridge.body.startswith("Councillors in Wendleby")
    assert ferry.body == LONG_SUMMARY


def test_feed_items_without_fetching_pages(site):
    before = len(site.requests)
    items = read([site.url("/feed.rss")], follow_links=False)
    assert len(site.requests) == before + 1  # the feed only
    assert isinstance(items[2], Article) and items[2].body == LONG_SUMMARY
    assert items[0] == Skipped(
        site.url("/news/harbour"), "item pages are not fetched, and the feed's own text is too short (4 words)"
    )


# --- hostile servers (raw sockets on 127.0.0.1) ------------------------------------------------------


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """128 MiB of zeros, gzipped twice: under 10 KB on the wire."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    inner = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(128)) + compressor.flush()
    outer = _gzip(inner)
    assert len(outer) < 10_000
    return outer


def test_a_compressed_bomb_is_stopped_while_it_inflates(bomb):
    # Content-Encoding "gzip, gzip": httpx inflated a whole chunk (here all 128 MiB) before any check.
    def serve(conn, head, server):
        respond(conn, bomb, Content_Encoding="gzip, gzip")

    with loopback(serve) as server:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match=r"^page larger than 1000000 bytes$"):
                fetch(server.url("/bomb"), max_bytes=1_000_000)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 << 20  # the limit and a step of each layer, not the 128 MiB


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", _gzip),
        ("x-gzip", lambda data: _gzip(data[:500]) + _gzip(data[500:])),  # two gzip members
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
        ("gzip, deflate", lambda data: zlib.compress(_gzip(data))),
        ("identity", lambda data: data),
    ],
)
def test_encoded_pages_are_decoded(encoding, encode):
    body = HARBOUR.encode("utf-8") * 40  # more than one decoding step
    with loopback(lambda conn, head, server: respond(conn, encode(body), Content_Encoding=encoding)) as server:
        assert fetch(server.url("/page")).data == body
        assert server.requests == ["GET /page HTTP/1.1"] and "\r\naccept-encoding: gzip, deflate\r\n" in server.heads[0]


def test_an_encoding_that_was_not_asked_for_is_refused():
    refused = pytest.raises(FetchError, match="^undecodable response: content encoding 'br' was not asked for$")
    with loopback(lambda conn, head, server: respond(conn, b"\x0b\x02\x80", Content_Encoding="br")) as server, refused:
        fetch(server.url("/br"))


def _trickle(data: bytes, pause: float):
    def serve(conn, head, server):
        for byte in data:
            if server.stop.wait(pause):
                return
            conn.sendall(bytes([byte]))

    return serve


@pytest.mark.parametrize(
    "what",
    ["headers", "status line", "body"],
)
def test_a_trickling_server_is_cut_at_the_deadline(what):
    # Headers trickled a byte every 0.5 s took 132 s against --timeout 2: the timeout bounded each read.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 400 + b"\r\n"
    data = {
        "headers": head + b"Content-Length: 10\r\n\r\n0123456789",
        "status line": b"HTTP/1.1 200 " + b"O" * 400 + b"\r\n\r\n",
        "body": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 400\r\n\r\n" + b"x" * 400,
    }[what]
    serve = _trickle(data, 0.02)
    if what == "body":  # the head at once, then the body a byte at a time

        def serve(conn, head_, server):
            conn.sendall(data[:-400])
            _trickle(data[-400:], 0.02)(conn, head_, server)

    with loopback(serve) as server, Fetcher(timeout=0.5, tries=1) as fetcher:
        for _ in range(2):  # each try has a deadline of its own
            started = time.monotonic()
            with pytest.raises(FetchError, match=r"^timed out after 0.5 s$"):
                fetcher.get(server.url("/slowly"))
            assert 0.45 < time.monotonic() - started < 1.5  # each byte came within the timeout; all would take 8 s


def test_items_of_a_host_that_keeps_failing_are_skipped_with_one_reason(site):
    # 5,000 items linking to dead pages cost ~2 s each; after a few failures the host is given up.
    hits: list[str] = []

    def down(conn, head, server):
        hits.append(head.split(b" ")[1].decode())
        conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    with loopback(down) as dead:
        items = "".join(
            f"<item><title>Item {i}</title><link>{dead.url(f'/item/{i}')}</link>"
            f"<description>{LONG_SUMMARY if i == 8 else 'Short.'}</description></item>"
            for i in range(10)
        )
        items += f"<item><title>Elsewhere</title><link>{site.url('/news/bridge')}</link></item>"
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Dead links</title>{items}</channel></rss>'
        with Fetcher(backoff=0.01, tries=2) as fetcher:
            from newsgraph.ingest.sources import HOST_FAILURES

            read_items = list(read_sources(["-"], stdin=io.BytesIO(feed.encode()), fetcher=fetcher))
    assert len(hits) == HOST_FAILURES * 2  # every try of the first items, none after
    skipped = [i for i in read_items if isinstance(i, Skipped)]
    assert [s.reason for s in skipped[:HOST_FAILURES]] == [
        "HTTP 503 Service Unavailable, and the feed's own text is too short (1 words)"
    ] * HOST_FAILURES
    (given_up,) = skipped[HOST_FAILURES:]
    assert given_up.items == 10 - HOST_FAILURES - 1  # item 8 is read from the feed's own text
    assert given_up.source == "<stdin> (6 items)"
    assert given_up.reason == (
        f"not fetched: {dead.base.removeprefix('http://')} failed {HOST_FAILURES} times in a row"
        " (last: HTTP 503 Service Unavailable),"
        " and the feed's own text is too short"
    )
    articles = [i for i in read_items if isinstance(i, Article)]
    assert [a.title for a in articles] == ["Item 8", "Council votes to repair the old bridge"]


@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1"])
def test_a_page_declaring_latin_1_that_is_utf_8_is_read_as_utf_8(encoding):
    # It was stored as mojibake ("CafÃ© owners"), since latin-1 decodes any bytes.
    page_ = page(
        "Café owners protest", ["Café owners in Saint-Étienne closed their doors on Monday in protest at rents."]
    )
    with loopback(
        lambda conn, head, server: respond(conn, page_.encode(encoding), "text/html; charset=ISO-8859-1")
    ) as server:
        notes = []
        (article,) = read_sources([server.url("/cafe")], on_note=notes.append)
    assert article.title == "Café owners protest" and "Saint-Étienne" in article.body
    expected = ["declared iso-8859-1 but is UTF-8; read as UTF-8"] if encoding == "utf-8" else []
    assert [n.message for n in notes] == expected
