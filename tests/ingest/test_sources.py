"""Sources -> Article: header parsing, file kinds and encodings, directories, stdin, HTML pages."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.ingest.metadata import Note
from newsgraph.ingest.sources import Skipped, article_from_text, decode, headline, parse_header, read_sources
from newsgraph.model import Article, normalise_body

ROOT = Path(__file__).resolve().parents[2]

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
    header, body, notes = parse_header(
        f"Title: Strike at Eastmere\nURL: https://x.example/a\nDate: 2024-03-05\n\n{BODY}"
    )
    assert header == {"title": "Strike at Eastmere", "url": "https://x.example/a", "date": "2024-03-05"}
    assert body == BODY and notes == []


def test_header_datetime_keeps_the_date():
    header, _, notes = parse_header(f"date: 2024-03-05T09:30:00+01:00\n\n{BODY}")
    assert header["date"] == "2024-03-05" and notes == []


def test_text_without_header_is_all_body():
    assert parse_header(BODY) == ({}, BODY, [])


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
    assert parse_header(text) == ({}, text, [])


def test_header_lines_must_end_with_a_blank_line():
    text = "title: Strike at Eastmere\nDock workers walked out on Monday."
    assert parse_header(text) == ({}, text, [])


def test_bad_header_date_costs_the_date_not_the_article_with_a_one_line_note():
    header, body, notes = parse_header(f"title: x\ndate: next Tuesday\n\n{BODY}", source="articles/strike.txt")
    assert header == {"title": "x"} and body == BODY
    assert notes == [
        Note("articles/strike.txt", "header date 'next Tuesday': not a date (expected YYYY-MM-DD); left out")
    ]


def test_header_date_with_a_remark_is_read_and_said():
    header, _, notes = parse_header(f"date: 2024-01-08 (estimated)\n\n{BODY}", source="a.txt")
    assert header == {"date": "2024-01-08"}
    assert notes == [Note("a.txt", "header date '2024-01-08 (estimated)': read as 2024-01-08")]


def test_impossible_header_date_is_left_out():
    header, _, notes = parse_header(f"date: 2024-02-30\n\n{BODY}")
    assert "date" not in header and len(notes) == 1 and "2024-02-30" in notes[0].message


def test_header_keys_newsgraph_does_not_read_are_ignored_and_said():
    header, body, notes = parse_header(f"title: Strike\ntags: harbour, pay\nDate: 2024-03-05\n\n{BODY}", source="a.txt")
    assert header == {"title": "Strike", "date": "2024-03-05"} and body == BODY
    assert len(notes) == 1 and "'tags'" in notes[0].message and "ignored" in notes[0].message


def test_header_of_unknown_keys_only_is_body():
    text = f"tags: harbour\n\n{BODY}"
    assert parse_header(text) == ({}, text, [])


def test_header_aliases_name_the_fields():
    header, _, notes = parse_header(f"Headline: Strike\nLink: https://x.example/a\nPublished: 2024-03-05\n\n{BODY}")
    assert header == {"title": "Strike", "url": "https://x.example/a", "date": "2024-03-05"} and notes == []


def test_markdown_front_matter_is_a_header():
    text = f'---\ntitle: "Strike at Eastmere"\ndate: 2024-03-05\ntags:\n  - harbour\n  - pay\n---\n\n{BODY}'
    header, body, notes = parse_header(text, source="a.md")
    assert header == {"title": "Strike at Eastmere", "date": "2024-03-05"} and body == f"\n{BODY}"
    assert [n.message for n in notes] == [
        "header key 'tags' is not read by newsgraph (url, title, date, outlet, author, language); ignored"
    ]


@pytest.mark.parametrize(
    "text",
    [
        f"---\nDock workers walked out.\n---\n{BODY}",  # horizontal rules round prose
        f"---\ntitle: Strike\n\n{BODY}",  # never closed
        f"---\ntags: pay\n---\n{BODY}",  # nothing newsgraph reads
    ],
)
def test_markdown_rules_are_not_front_matter(text):
    assert parse_header(text) == ({}, text, [])


def test_quotes_round_a_whole_value_are_not_part_of_it():
    header, _, _ = parse_header(f'title: "Strike"\nauthor: \'Mira Quell\'\noutlet: "The" Courier\n\n{BODY}')
    assert header == {"title": "Strike", "author": "Mira Quell", "outlet": '"The" Courier'}


def test_bom_and_crlf_are_handled():
    header, body, _ = parse_header("\ufeffoutlet: Courier\r\ndate: 2024-03-05\r\n\r\nFirst line.\r\nSecond.")
    assert header == {"outlet": "Courier", "date": "2024-03-05"}
    assert body == "First line.\r\nSecond."


@given(st.text())
def test_parse_header_never_raises_and_notes_are_one_line(text):
    _, _, notes = parse_header(text, source="a.txt")
    assert all(n.source == "a.txt" and n.message and "\n" not in n.message for n in notes)


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
    header, body, _ = parse_header(text)
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


LIST_SOURCES = """
import sys
from newsgraph.ingest.sources import read_sources
for item in read_sources([sys.argv[1]]):
    print(getattr(item, "reason", "article"), item.source, sep="\t")
"""


def _list_sources(directory, *, unprivileged: bool = False) -> list[list[str]]:
    """read_sources over a directory in a process of its own (a hang is a timeout, not a stuck test
    run); `unprivileged` drops root's power to read any directory."""
    command = [sys.executable, "-c", LIST_SOURCES, str(directory)]
    if unprivileged and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: an unreadable directory cannot be made")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return [line.split("\t") for line in done.stdout.splitlines()]


def test_a_named_pipe_in_a_directory_is_skipped_not_waited_on(tmp_path):
    # The run hung forever opening it.
    write(tmp_path / "a.txt", BODY)
    os.mkfifo(tmp_path / "b.txt")
    write(tmp_path / "c.txt", BODY + " Another.")
    assert _list_sources(tmp_path) == [
        ["article", str(tmp_path / "a.txt")],
        ["not a regular file but a named pipe", str(tmp_path / "b.txt")],
        ["article", str(tmp_path / "c.txt")],
    ]


def test_a_subdirectory_that_cannot_be_read_is_said(tmp_path):
    # It was left out without a word.
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "locked" / "b.txt", BODY + " Locked away.")
    (tmp_path / "locked").chmod(0)
    try:
        listed = _list_sources(tmp_path, unprivileged=True)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert listed == [
        ["article", str(tmp_path / "a.txt")],
        [
            "directory cannot be read (Permission denied); its files are left out",
            str(tmp_path / "locked"),
        ],
    ]


def test_deeply_nested_html_leaves_no_stray_library_line(tmp_path, caplog):
    # trafilatura logged "discarding data: None" as a warning, printed between newsgraph's own lines.
    page = "<html><body>" + "<div>" * 3000 + f"<p>{BODY}</p>" + "</div>" * 3000 + "</body></html>"
    path = write(tmp_path / "deep.html", page)
    with caplog.at_level("WARNING"):
        assert list(read_sources([path])) == [Skipped(path, "no article text in HTML")]
    assert caplog.records == []


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


def test_a_bad_header_value_never_stops_the_others(tmp_path):
    noted = write(tmp_path / "a.txt", f"title: Strike\ndate: 2024-01-08 (estimated)\n\n{BODY}")
    swapped = write(tmp_path / "b.txt", f"date: 05/03/2024\nurl: n/a\n\n{BODY} Second.")
    good = write(tmp_path / "c.txt", f"date: 2024-03-07\n\n{BODY} Third.")
    notes: list[Note] = []
    items = list(read_sources([str(tmp_path)], default_date="2024-01-01", on_note=notes.append))
    assert [(a.source, a.date, a.url) for a in items] == [
        (noted, "2024-01-08", None),
        (swapped, "2024-01-01", None),
        (good, "2024-03-07", None),
    ]
    assert notes == [
        Note(noted, "header date '2024-01-08 (estimated)': read as 2024-01-08"),
        Note(
            swapped,
            "header date '05/03/2024': day and month could be either way round (2024-03-05 or 2024-05-03); left out",
        ),
        Note(swapped, "header url 'n/a': a placeholder, not a value; left out"),
    ]


def test_notes_go_to_the_log_when_no_one_listens(tmp_path, caplog):
    path = write(tmp_path / "a.txt", f"date: soon\n\n{BODY}")
    (article,) = read_sources([path])
    assert article.date is None
    assert f"note: {path}: header date 'soon': not a date" in caplog.text


def test_a_placeholder_url_does_not_make_two_articles_one(tmp_path):
    # Both would share the url "unknown", and a stored url that reappears replaces its article.
    first = write(tmp_path / "a.txt", f"url: unknown\n\n{BODY}")
    second = write(tmp_path / "b.txt", f"url: Unknown\n\n{BODY} Other.")
    assert [a.url for a in read_sources([first, second], on_note=lambda n: None)] == [None, None]


def test_a_url_of_another_scheme_is_never_the_articles_url(tmp_path):
    notes: list = []
    header = write(tmp_path / "a.txt", f"url: javascript:alert(1)//https://example.org/news/1\n\n{BODY}")
    record = {"body": BODY + " Two.", "url": "javascript:alert(document.cookie)"}
    jsonl = write(tmp_path / "b.jsonl", json.dumps(record) + "\n")
    long_text = " ".join([BODY] * 3)
    feed = write(
        tmp_path / "c.rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
        f"<item><title>One</title><link>javascript:alert(1)</link><description>{long_text}</description></item>"
        "</channel></rss>",
    )
    articles = list(read_sources([header, jsonl, feed], on_note=notes.append))
    assert [a.url for a in articles] == [None, None, None]
    assert articles[2].source == f"{feed}#1"  # not the javascript: link
    assert [n.message for n in notes] == [
        "header url 'javascript:alert(1)//https://example.org/news/1': a javascript: URL, not an http(s) one; left out",
        "field url 'javascript:alert(document.cookie)': a javascript: URL, not an http(s) one; left out",
    ]


# --- headline of an article without a title -----------------------------------------------------


def test_first_line_that_is_a_headline_becomes_the_title(tmp_path):
    path = write(tmp_path / "a.txt", f"Dockers walk out at Eastmere\n\n{BODY}")
    (article,) = read_sources([path])
    assert article.title == "Dockers walk out at Eastmere"
    assert article.body.startswith("Dockers walk out at Eastmere\n")  # the body keeps it


@pytest.mark.parametrize(
    "first",
    [
        "Dock workers at the port of Eastmere walked out on Monday.",  # a sentence
        "By Mira Quell",  # a byline
        "Monday 8 January 2024",  # a date
        "EASTMERE",  # a label
        "BREAKING NEWS TODAY",  # no lower case: a label
        # 22 words without a full stop: a paragraph that lost it, too long for a headline
        "Unions warn that inspections will go on harming the health of staff in schools and colleges unless"
        " ministers act now and pause them",
    ],
)
def test_first_line_that_is_not_a_headline_is_no_title(first):
    assert headline(f"{first}\n{BODY}") is None


def test_a_single_line_is_no_headline():
    assert headline("Dockers walk out at Eastmere") is None


def test_a_given_title_wins_over_the_first_line(tmp_path):
    path = write(tmp_path / "a.txt", f"title: Strike\n\nDockers walk out at Eastmere\n{BODY}")
    (article,) = read_sources([path])
    assert article.title == "Strike"


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
