"""Metadata values one by one: read where one reading is certain, else left out, a note either way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.ingest.metadata import Note, parse_date, read_date, read_language, read_metadata, read_url


@pytest.mark.parametrize(
    "value, date",
    [
        ("2024-01-08", "2024-01-08"),
        ("2024-01-08T09:30:00+01:00", "2024-01-08"),
        ("2024-01-08 (estimated)", "2024-01-08"),
        ("c. 2024-01-08?", "2024-01-08"),
        ("8 January 2024", "2024-01-08"),
        ("8th of Jan. 2024", "2024-01-08"),
        ("January 8, 2024", "2024-01-08"),
        ("Monday 8 January 2024, 09:00", "2024-01-08"),
        ("Mon, 08 Jan 2024 09:00:00 GMT", "2024-01-08"),
        ("2024/01/08", "2024-01-08"),
        ("25/12/2023", "2023-12-25"),  # 25 can only be the day
        ("12/25/2023", "2023-12-25"),
        ("08/08/2024", "2024-08-08"),  # either way round, the same day
        ("2024-01-08, updated 8 January 2024", "2024-01-08"),  # one date, written twice
    ],
)
def test_a_date_that_can_be_read_one_way_is_read(value, date):
    assert read_date(value)[0] == date


@pytest.mark.parametrize(
    "value, why",
    [
        ("next Tuesday", "not a date"),
        ("2024-02-30", "not a date"),
        ("January 2024", "not a date"),
        ("08/01/2024", "either way round (2024-01-08 or 2024-08-01)"),
        ("2024-01-08 or 2024-01-09", "it names 2 dates (2024-01-08, 2024-01-09)"),
        ("20240108", "not a date"),
    ],
)
def test_a_date_that_cannot_be_read_one_way_is_none_with_the_reason(value, why):
    date, reason = read_date(value)
    assert date is None and why in reason


def test_an_exact_date_needs_no_note():
    assert read_date("2024-01-08") == ("2024-01-08", None)
    assert parse_date("2024-01-08 (estimated)") is None


@pytest.mark.parametrize(
    "value, url, why",
    [
        ("https://example.org/news/1", "https://example.org/news/1", None),
        ("https://example.org/news/1 (paywalled)", "https://example.org/news/1", "read as https://example.org/news/1"),
        ("<https://example.org/news/1>.", "https://example.org/news/1", "read as https://example.org/news/1"),
        ("example.org/news/1", None, "not an absolute http(s) URL"),
        ("see the print edition", None, "not an absolute http(s) URL"),
        ("https:///news/1", None, "not an absolute http(s) URL"),
        ("https://a.example/1 https://b.example/2", None, "it holds 2 URLs"),
        # Every article of the site would share it, and each would replace the one before.
        ("https://example.org/", None, "a site's home page, not an article's"),
        ("https://example.org", None, "a site's home page, not an article's"),
        ("https://example.org/?p=123", "https://example.org/?p=123", None),
        ("see: https://example.org/news/1", "https://example.org/news/1", "read as https://example.org/news/1"),
        # Code or data, not where the article is, even with an http(s) URL inside.
        ("javascript:alert(1)", None, "a javascript: URL, not an http(s) one"),
        ("JavaScript:fetch('https://evil.example/x')", None, "a javascript: URL, not an http(s) one"),
        ("javascript:alert(1)//https://example.org/news/1", None, "a javascript: URL, not an http(s) one"),
        ("data:text/html,<a href=https://example.org/news/1>", None, "a data: URL, not an http(s) one"),
        ("file:///etc/passwd", None, "a file: URL, not an http(s) one"),
    ],
)
def test_urls(value, url, why):
    assert read_url(value) == (url, why)


@pytest.mark.parametrize(
    "value, tag, why",
    [
        ("en", "en", None),
        ("en-GB", "en-GB", None),
        ("en_GB", "en-GB", "read as en-GB"),
        ("English", "en", "read as en"),
        ("Klingon, mostly", None, "not a language tag such as en or en-GB"),
    ],
)
def test_languages(value, tag, why):
    assert read_language(value) == (tag, why)


def test_metadata_notes_say_the_field_the_value_and_what_became_of_it():
    fields, notes = read_metadata(
        [
            ("Date", "2024-01-08 (estimated)"),
            ("url", "n/a"),
            ("title", "  Strike\tat   Eastmere "),
            ("author", ""),
            ("outlet", 7),
            ("date", "2024-01-09"),
            ("lang", "en"),
            ("tags", "ignored here"),
        ],
        "a.txt",
    )
    assert fields == {"date": "2024-01-08", "title": "Strike at Eastmere", "language": "en"}
    assert notes == [
        Note("a.txt", "header date '2024-01-08 (estimated)': read as 2024-01-08"),
        Note("a.txt", "header url 'n/a': a placeholder, not a value; left out"),
        Note("a.txt", "header outlet '7': not text but int; left out"),
        Note("a.txt", "header date '2024-01-09': date given twice; the first, '2024-01-08 (estimated)', is used"),
    ]


@given(st.lists(st.tuples(st.sampled_from(["url", "title", "date", "outlet", "author", "language"]), st.text())))
def test_read_metadata_never_raises_and_what_it_keeps_reads_back_unchanged(pairs):
    fields, notes = read_metadata(pairs, "a.txt")
    assert all("\n" not in n.message for n in notes)
    again, more = read_metadata(list(fields.items()), "a.txt")
    assert again == fields and more == []
