"""Sources -> Article: header parsing, file kinds and encodings, directories, stdin, HTML pages."""

from __future__ import annotations

import contextlib
import io
import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.ingest.sources import Skipped, article_from_text, decode, parse_header, read_sources
from newsgraph.model import Article, normalise_body

BODY = (
    "Dock workers at the port of Eastmere walked out on Monday after pay talks collapsed.\n"
    "The Eastmere Dockers Union said its members would stay out until a new offer was made.\n"
)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour workers strike over pay | The Coastal Courier</title>
<meta property="og:title" content="Harbour workers strike over pay">
<meta property="og:site_name" content="The Coastal Courier">
<meta property="og:url" content="https://courier.example/news/harbour-strike">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<meta name="author" content="Mira Quell">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Harbour workers strike over pay</h1>
<p>Dock workers at the port of Eastmere walked out on Monday after talks with the harbour board
collapsed over a proposed pay freeze for the coming year.</p>
<p>The Eastmere Dockers Union said its members would stay out until the board returned to the table
with an offer that matched inflation, which has run above five per cent.</p>
<p>A spokesperson for the harbour board said it regretted the action and urged the union to accept
independent arbitration before the busy spring shipping season begins.</p>
</article>
<footer>Copyright The Coastal Courier</footer>
</body></html>
"""

NAV_ONLY_PAGE = """<!doctype html><html><head><title>The Coastal Courier</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/c">Contact us</a></li></ul></nav>
<footer><p>Copyright 2024 The Coastal Courier</p></footer></body></html>
"""


def write(path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


# --- parse_header ----------------------------------------------------------------------------------


def test_header_keys_are_lowercased_and_body_follows_the_blank_line():
    header, body = parse_header(f"Title: Strike at Eastmere\nURL: https://x.example/a\nDate: 2024-03-05\n\n{BODY}")
    assert header == {"title": "Strike at Eastmere", "url": "https://x.example/a", "date": "2024-03-05"}
    assert body == BODY


def test_header_datetime_keeps_the_date():
    header, _ = parse_header(f"date: 2024-03-05T09:30:00+01:00\n\n{BODY}")
    assert header["date"] == "2024-03-05"


def test_text_without_header_is_all_body():
    assert parse_header(BODY) == ({}, BODY)


@pytest.mark.parametrize(
    "text",
    [
        "Warning: this report contains details some readers may find distressing.\n"
        "The inquest heard evidence over three days.\n\nMore text.",
        "Note: figures are provisional.\n\nThe council said on Monday that it would publish them.",
        "Warning: graphic content\n\nThe inquest heard evidence over three days.",
    ],
)
def test_prose_opening_with_a_colon_is_not_a_header(text):
    assert parse_header(text) == ({}, text)


def test_header_lines_must_end_with_a_blank_line():
    text = "title: Strike at Eastmere\nDock workers walked out on Monday."
    assert parse_header(text) == ({}, text)


def test_bad_header_date_is_a_one_line_input_error_naming_the_file():
    with pytest.raises(InputError) as caught:
        parse_header(f"title: x\ndate: next Tuesday\n\n{BODY}", source="articles/strike.txt")
    message = str(caught.value)
    assert "articles/strike.txt" in message and "next Tuesday" in message and "\n" not in message


def test_impossible_header_date_is_rejected():
    with pytest.raises(InputError):
        parse_header(f"date: 2024-02-30\n\n{BODY}")


def test_bom_and_crlf_are_handled():
    header, body = parse_header("\ufeffoutlet: Courier\r\ndate: 2024-03-05\r\n\r\nFirst line.\r\nSecond.")
    assert header == {"outlet": "Courier", "date": "2024-03-05"}
    assert body == "First line.\r\nSecond."


@given(st.text())
def test_parse_header_raises_nothing_but_input_error(text):
    with contextlib.suppress(InputError):
        parse_header(text)


_HEADERISH = st.lists(
    st.tuples(
        st.sampled_from(["title", "URL", "Author", "date", "warning", "Note", "outlet"]),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
    ),
    max_size=4,
).map(lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))


@given(_HEADERISH, st.sampled_from(["", "\n", "\r\n", "  \n"]), st.text())
def test_body_is_a_tail_of_the_input(head, blank, rest):
    text = head + blank + rest
    try:
        header, body = parse_header(text)
    except InputError:
        return
    assert text.endswith(body)
    if not head:
        assert (header, body) == ({}, text)
    assert normalise_body(text).endswith(normalise_body(body))


# --- article_from_text -----------------------------------------------------------------------------


def test_article_from_text_fills_fields_and_default_date():
    article = article_from_text(f"title: Strike\npublisher: Courier\n\n{BODY}", "a.txt", default_date="2024-01-01")
    assert article.title == "Strike" and article.outlet == "Courier" and article.date == "2024-01-01"
    assert article.source == "a.txt" and article.body == normalise_body(BODY)
    dated = article_from_text(f"date: 2024-03-05\n\n{BODY}", "a.txt", default_date="2024-01-01")
    assert dated.date == "2024-03-05"


def test_article_from_text_without_body_is_an_input_error():
    with pytest.raises(InputError, match="a.txt"):
        article_from_text("title: Strike\n\n\n", "a.txt")


# --- read_sources ----------------------------------------------------------------------------------


def test_directory_is_read_recursively_sorted_and_filtered(tmp_path):
    write(tmp_path / "b.txt", "Second article about the strike at the harbour.")
    write(tmp_path / "a.md", "First article about the strike at the harbour.")
    write(tmp_path / "sub" / "c.txt", "Third article, in a folder.")
    write(tmp_path / "notes.json", '{"not": "an article"}')
    write(tmp_path / ".hidden" / "d.txt", "Hidden folders are left out.")
    items = list(read_sources([str(tmp_path)]))
    assert [os.path.relpath(i.source, tmp_path) for i in items] == ["a.md", "b.txt", os.path.join("sub", "c.txt")]
    assert all(isinstance(i, Article) for i in items)


def test_missing_path_raises_before_reading(tmp_path):
    good = write(tmp_path / "a.txt", BODY)
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'nope.txt'}: no such file or directory")):
        next(read_sources([good, str(tmp_path / "nope.txt")]))


def test_stdin_text_and_bytes():
    (article,) = read_sources(["-"], stdin=io.StringIO(f"title: From a pipe\n\n{BODY}"))
    assert article.source == "<stdin>" and article.title == "From a pipe"
    (article,) = read_sources(["-"], stdin=io.BytesIO(BODY.encode("utf-8")))
    assert article.body == normalise_body(BODY)


def test_default_date_applies_where_header_has_none(tmp_path):
    undated = write(tmp_path / "a.txt", BODY)
    dated = write(tmp_path / "b.txt", f"date: 2024-03-05\n\n{BODY}")
    dates = [a.date for a in read_sources([undated, dated], default_date="2024-01-01")]
    assert dates == ["2024-01-01", "2024-03-05"]


def test_bad_default_date_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="default date"):
        list(read_sources([write(tmp_path / "a.txt", BODY)], default_date="yesterday"))


def test_bad_header_date_in_a_file_raises_naming_it(tmp_path):
    path = write(tmp_path / "bad.txt", f"date: 05/03/2024\n\n{BODY}")
    with pytest.raises(InputError, match="bad.txt"):
        list(read_sources([path]))


def test_binary_empty_and_oversize_files_are_skipped(tmp_path):
    binary = write(tmp_path / "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = write(tmp_path / "b.txt", "  \n\t\n")
    big = write(tmp_path / "c.txt", "word " * 100)
    header_only = write(tmp_path / "d.txt", "title: Nothing follows\n\n")
    assert list(read_sources([binary, empty, big, header_only], max_bytes=200)) == [
        Skipped(binary, "binary file"),
        Skipped(empty, "empty file"),
        Skipped(big, "file larger than 200 bytes"),
        Skipped(header_only, "no article text after the header"),
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that bind the user")
def test_unreadable_file_is_skipped_with_the_os_reason(tmp_path):
    path = write(tmp_path / "locked.txt", BODY)
    os.chmod(path, 0)
    try:
        (item,) = read_sources([path])
    finally:
        os.chmod(path, 0o644)
    assert item == Skipped(path, "Permission denied")


def test_read_error_is_skipped_with_the_os_reason(tmp_path, monkeypatch):
    from newsgraph.ingest import sources

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path / "a.txt", BODY)
    monkeypatch.setattr(sources, "open", refuse, raising=False)
    assert list(read_sources([path])) == [Skipped(path, "Permission denied")]


def test_dangling_link_is_skipped_not_fatal(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    assert list(read_sources([str(link)])) == [Skipped(str(link), "No such file or directory")]


def test_latin1_and_cp1252_files_are_decoded(tmp_path):
    latin1 = write(tmp_path / "a.txt", "Café owners in München paid £5 more, señor.".encode("latin-1"))
    cp1252 = write(tmp_path / "b.txt", "The café \u2014 \u201cclosed\u201d \u2014 owes \u20ac5.".encode("cp1252"))
    a, b = read_sources([latin1, cp1252])
    assert a.body == "Café owners in München paid £5 more, señor."
    assert b.body == "The café \u2014 \u201cclosed\u201d \u2014 owes \u20ac5."


def test_utf8_bom_and_utf16_are_decoded():
    assert decode("\ufeffStrike over pay.".encode()) == "Strike over pay."
    assert decode("Strike over pay.".encode("utf-16")) == "Strike over pay."


def test_html_page_gives_title_date_and_paragraphs(tmp_path):
    (article,) = read_sources([write(tmp_path / "page.html", PAGE)])
    assert article.title == "Harbour workers strike over pay"
    assert article.date == "2024-03-05"
    assert article.author == "Mira Quell"
    assert article.outlet == "The Coastal Courier"
    assert article.url == "https://courier.example/news/harbour-strike"
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Dock workers at the port of Eastmere walked out on Monday")
    assert "Home" not in article.body and "Copyright" not in article.body


def test_html_without_article_text_is_skipped(tmp_path):
    path = write(tmp_path / "nav.htm", NAV_ONLY_PAGE)
    assert list(read_sources([path])) == [Skipped(path, "no article text in HTML")]


def test_html_on_stdin_is_recognised():
    (article,) = read_sources(["-"], stdin=io.StringIO(PAGE))
    assert article.title == "Harbour workers strike over pay" and article.source == "<stdin>"
