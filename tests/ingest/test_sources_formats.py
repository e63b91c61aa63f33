"""Sources -> Article for the formats beyond text and HTML: JSONL files and stdin, feed files, feed
detection, dates found by htmldate, and the one-line reasons for bad input (no network here)."""

from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.ingest.metadata import Note
from newsgraph.ingest.sources import MIN_FEED_WORDS, Skipped, article_from_html, is_feed, is_url, read_sources
from newsgraph.model import Article

BODY = "Dock workers at the port of Eastmere walked out on Monday after pay talks collapsed."
LONG = (
    "Ferry crews on the northern route accepted a new contract on Wednesday, ending a dispute that had "
    "cancelled sailings for a fortnight. The operator said the first boats would leave Carrick harbour "
    "at dawn and that passengers holding old tickets could use them until the end of the month."
)


def write(path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


# --- JSONL -----------------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path):
    path = write(
        tmp_path / "corpus.jsonl",
        jsonl(
            {"body": BODY, "title": "Strike", "url": "https://x.example/a", "date": "2024-03-05T09:00:00Z"},
            {"text": BODY + " Again.", "outlet": "Courier", "author": "Mira Quell", "language": "en"},
            "",
            "{not json",
            [1, 2],
            {"title": "No text"},
            {"body": "   ", "text": BODY + " From text."},
            {"body": BODY, "title": 7},
            {"body": BODY, "date": "last Tuesday"},
            {"body": 42},
            {"body": BODY + " Sourced.", "source": "wire/feed-123"},
        ),
    )
    notes: list[Note] = []
    items = list(read_sources([path], default_date="2024-01-01", on_note=notes.append))
    first, second = items[0], items[1]
    assert first.title == "Strike" and first.url == "https://x.example/a" and first.date == "2024-03-05"
    assert first.source == f"{path}:1"
    assert second.body == BODY + " Again." and second.outlet == "Courier" and second.author == "Mira Quell"
    assert second.date == "2024-01-01" and second.language == "en" and second.source == f"{path}:2"
    assert items[2:5] == [
        Skipped(f"{path}:4", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
        Skipped(f"{path}:5", "not a JSON object but list"),
        Skipped(f"{path}:6", "no article text ('body' or 'text')"),
    ]
    from_text = items[5]
    assert isinstance(from_text, Article) and from_text.body == BODY + " From text."
    # A metadata value that is not usable costs that value, not the article (as in a text header).
    untitled, undated = items[6:8]
    assert (untitled.source, untitled.title) == (f"{path}:8", None)
    assert (undated.source, undated.date) == (f"{path}:9", "2024-01-01")
    assert notes == [
        Note(f"{path}:8", "field title '7': not text but int; left out"),
        Note(f"{path}:9", "field date 'last Tuesday': not a date (expected YYYY-MM-DD); left out"),
    ]
    assert items[8] == Skipped(f"{path}:10", "'body' is not a string")
    sourced = items[9]
    assert sourced.source == "wire/feed-123" and sourced.outlet is None
    assert len(items) == 10


def test_article_json_round_trips_through_jsonl(tmp_path):
    article = Article(body=BODY, source="a.txt", url="https://x.example/a", title="Strike", date="2024-03-05")
    (back,) = read_sources([write(tmp_path / "a.jsonl", jsonl(article.to_dict()))])
    assert back == article


def test_jsonl_on_stdin():
    stdin = io.BytesIO(("\ufeff" + jsonl({"body": BODY}, "oops")).encode("utf-8"))
    article, bad = read_sources(["-"], stdin=stdin)
    assert article.body == BODY and article.source == "<stdin>:1"
    assert bad == Skipped("<stdin>:2", "invalid JSON: Expecting value at column 1")


def test_jsonl_on_stdin_may_be_larger_than_max_bytes():
    lines = jsonl(*({"body": f"{BODY} Number {i}."} for i in range(50)))
    items = list(read_sources(["-"], stdin=io.StringIO(lines), max_bytes=500))
    assert len(items) == 50 and all(isinstance(i, Article) for i in items)
    assert items[-1].body.endswith("Number 49.")


def test_jsonl_line_longer_than_max_bytes_is_skipped_and_the_rest_read(tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        jsonl({"body": BODY}, {"body": "word " * 200}, {"body": BODY + " Last."}),
    )
    items = list(read_sources([path], max_bytes=300))
    assert items[1] == Skipped(f"{path}:2", "line larger than 300 bytes")
    assert [i.body for i in (items[0], items[2])] == [BODY, BODY + " Last."]


def test_jsonl_crlf_and_no_final_newline(tmp_path):
    path = write(tmp_path / "a.jsonl", json.dumps({"body": BODY}) + "\r\n" + json.dumps({"text": BODY + " Two."}))
    assert [i.body for i in read_sources([path])] == [BODY, BODY + " Two."]


def test_empty_jsonl_file_gives_nothing(tmp_path):
    assert list(read_sources([write(tmp_path / "a.jsonl", "\n\n")])) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=80) | st.text(max_size=80).map(str.encode), max_size=6))
def test_jsonl_reader_never_raises_and_reasons_are_one_line(chunks):
    data = b"\n".join(chunks)
    for item in read_sources(["-"], stdin=io.BytesIO(b"{" + data), max_bytes=64):
        if isinstance(item, Skipped):
            assert "\n" not in item.reason and item.reason


# --- feeds from files (no fetching) ----------------------------------------------------------------

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://gazette.example/"><title>Old Gazette</title><link>https://gazette.example/</link>
<description>x</description></channel>
<item rdf:about="https://gazette.example/ferry"><title>Ferry dispute ends</title>
<link>https://gazette.example/ferry</link><dc:date>2024-03-06</dc:date><description>{LONG}</description></item>
</rdf:RDF>
"""


def test_rdf_feed_file_without_following_links(tmp_path):
    (article,) = read_sources([write(tmp_path / "feed.txt", RDF)], follow_links=False)
    assert article.body == LONG and article.source == article.url == "https://gazette.example/ferry"
    assert article.date == "2024-03-06" and article.outlet == "Old Gazette"


def test_feed_item_without_link_or_long_text(tmp_path):
    feed = f"""<rss version="2.0"><channel><title>T</title>
<item><title>Only a title</title><description>Short.</description></item>
<item><title>Long</title><description>{LONG}</description></item>
</channel></rss>"""
    path = write(tmp_path / "feed.rss", feed)
    short, long = read_sources([path])
    assert short == Skipped(f"{path}#1", "the item has no link, and the feed's own text is too short (1 words)")
    assert long.body == LONG and long.source == f"{path}#2" and long.url is None
    assert len(LONG.split()) >= MIN_FEED_WORDS


def test_broken_and_empty_feeds_are_skipped(tmp_path):
    broken = write(tmp_path / "broken.rss", '<rss version="2.0">\n<channel><title>T</title></chan')
    empty = write(tmp_path / "empty.xml", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    not_feed = write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url>x</url></urlset>')
    items = list(read_sources([broken, empty, not_feed]))
    assert items[0].source == broken and items[0].reason.startswith("feed could not be parsed: unclosed token at line")
    assert items[1:] == [Skipped(empty, "feed has no items"), Skipped(not_feed, "not an RSS or Atom feed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', True),
        ("<!-- saved --><?xml-stylesheet href='x.xsl'?><feed xmlns='http://www.w3.org/2005/Atom'/>", True),
        ('<!DOCTYPE rss PUBLIC "x" "y"><rss version="0.91"></rss>', True),
        (RDF, True),
        ("<!doctype html><html><body><feed></feed></body></html>", False),
        ("<feedback>Great paper</feedback>", False),
        ("The <rss> tag opens a feed.", False),
    ],
)
def test_is_feed_looks_at_the_first_element(text, expected):
    assert is_feed(text) is expected


def test_is_url():
    assert is_url("https://x.example/a") and is_url("HTTP://x.example")
    assert not is_url("http.txt") and not is_url("ftp://x.example/a") and not is_url("-")


def test_directory_includes_jsonl_and_feeds(tmp_path):
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "b.jsonl", jsonl({"body": BODY + " B."}))
    write(
        tmp_path / "c.rss",
        f"<rss><channel><title>T</title><item><description>{LONG}</description></item></channel></rss>",
    )
    write(tmp_path / "d.json", "{}")
    items = list(read_sources([str(tmp_path)]))
    assert [os.path.basename(i.source) for i in items] == ["a.txt", "b.jsonl:1", "c.rss#1"]


# --- HTML dates ------------------------------------------------------------------------------------


def test_html_date_from_the_page_when_metadata_has_none():
    html = f"""<!doctype html><html><head><title>Bridge</title></head><body><article>
<h1>Bridge</h1><p class="byline">Published <time datetime="2024-04-02">2 April 2024</time></p>
<p>{LONG}</p></article></body></html>"""
    article = article_from_html(html, "page.html", url="https://gazette.example/news/bridge")
    assert article is not None and article.date == "2024-04-02"
    assert article.url == "https://gazette.example/news/bridge"


def test_html_date_falls_back_to_the_default():
    html = f"<html><body><article><p>{LONG}</p></article></body></html>"
    article = article_from_html(html, "page.html", default_date="2024-01-01")
    assert article is not None and article.date == "2024-01-01"
