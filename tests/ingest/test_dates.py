"""Time expressions: resolution against the article date, and finding them in sentences."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.ingest.dates import ResolvedDate, find_time_expressions, resolve

# 2023-12-20 is a Wednesday.
WED = "2023-12-20"

CASES = [
    # relative days
    ("today", WED, "2023-12-20"),
    ("this morning", WED, "2023-12-20"),
    ("tonight", WED, "2023-12-20"),
    ("yesterday", WED, "2023-12-19"),
    ("Yesterday afternoon", WED, "2023-12-19"),
    ("last night", WED, "2023-12-19"),
    ("tomorrow", WED, "2023-12-21"),
    ("tomorrow", "2023-12-31", "2024-01-01"),
    ("two weeks ago", WED, "2023-12-06"),
    ("3 days ago", WED, "2023-12-17"),
    ("a fortnight ago", WED, "2023-12-06"),
    ("in three weeks' time", WED, "2024-01-10"),
    ("six months ago", WED, "2023-06"),
    # weekdays
    ("on Monday", WED, "2023-12-18"),
    ("on Wednesday", WED, "2023-12-20"),
    ("on Thursday", WED, "2023-12-14"),
    ("last Monday", WED, "2023-12-18"),
    ("last Wednesday", WED, "2023-12-13"),
    ("next Friday", WED, "2023-12-22"),
    ("next Wednesday", WED, "2023-12-27"),
    ("this Friday", WED, "2023-12-22"),
    ("this Monday", WED, "2023-12-25"),
    ("Sunday morning", WED, "2023-12-17"),
    ("on Wednesday afternoon", WED, "2023-12-20"),
    ("Monday's", WED, "2023-12-18"),
    # weeks, months, years relative to the article
    ("last week", WED, "2023-12"),
    ("last week", "2023-12-05", "2023-11"),
    ("next week", "2023-12-28", "2024-01"),
    ("last month", "2024-01-10", "2023-12"),
    ("next month", WED, "2024-01"),
    ("earlier this month", WED, "2023-12"),
    ("later this month", WED, "2023-12"),
    ("later this year", WED, "2023"),
    ("last year", WED, "2022"),
    ("early next year", WED, "2024"),
    # day and month
    ("7 February", WED, "2024-02-07"),
    ("7 February", "2024-03-01", "2024-02-07"),
    ("7 February", "2024-09-01", "2025-02-07"),
    ("the 7th of February", WED, "2024-02-07"),
    ("7 February 2024", WED, "2024-02-07"),
    ("February 7", WED, "2024-02-07"),
    ("February 7th, 2025", WED, "2025-02-07"),
    ("16th July 2024", WED, "2024-07-16"),
    ("on 1 December", WED, "2023-12-01"),
    ("Tuesday 19 December", WED, "2023-12-19"),
    ("29 February", "2023-12-20", "2024-02-29"),
    ("30 February", WED, None),
    # months
    ("January next year", WED, "2024-01"),
    ("January last year", WED, "2022-01"),
    ("in January", WED, "2024-01"),
    ("in January", "2023-05-20", "2023-01"),
    ("in March", "2023-12-20", "2024-03"),
    ("mid-January", WED, "2024-01"),
    ("the end of March", WED, "2024-03"),
    ("next March", "2023-03-10", "2024-03"),
    ("last March", "2023-03-10", "2022-03"),
    ("the new year", WED, "2024-01"),
    ("in the new year", "2023-11-02", "2024-01"),
    ("the new year", "2023-06-01", None),
    ("from September 2026", WED, "2026-09"),
    ("December 2023", WED, "2023-12"),
    ("Dec. 2023", WED, "2023-12"),
    ("since early March 2020", WED, "2020-03"),
    # numeric
    ("2023-12-20", WED, "2023-12-20"),
    ("2023-12-20T08:15:00Z", None, "2023-12-20"),
    ("20/12/2023", WED, "2023-12-20"),
    ("05/03/2024", WED, "2024-03-05"),
    ("20.12.2023", WED, "2023-12-20"),
    ("2023-02-30", WED, None),
    # years and vague periods
    ("in 2011", WED, "2011"),
    ("2011", None, "2011"),
    ("in the summer", WED, None),
    ("summer 2024", WED, "2024"),
    ("the 1990s", WED, None),
    # occasions
    ("Christmas Day", "2024-01-03", "2023-12-25"),
    ("New Year's Day", WED, "2024-01-01"),
    # absolute formats left to dateparser
    ("2023 December 20", None, "2023-12-20"),
    ("20-Dec-2023", None, "2023-12-20"),
    # not dates
    ("", WED, None),
    ("the minister", WED, None),
    ("may", WED, "2024-05"),
]


@pytest.mark.parametrize(("expression", "article_date", "expected"), CASES)
def test_resolve(expression, article_date, expected):
    found = resolve(expression, article_date)
    assert (found.value if found else None) == expected
    if found:
        assert found.text == expression
        assert found.granularity == {10: "day", 7: "month", 4: "year"}[len(found.value)]


@pytest.mark.parametrize(
    ("expression", "article_date", "tense", "expected"),
    [
        ("on Friday", WED, "future", "2023-12-22"),
        ("on Friday", WED, "past", "2023-12-15"),
        ("on Wednesday", WED, "future", "2023-12-27"),
        ("this Monday", WED, "past", "2023-12-18"),
        ("in January", "2023-05-20", "future", "2024-01"),
        ("in January", "2023-12-20", "past", "2023-01"),
        ("in May", "2023-05-20", "future", "2023-05"),
        ("7 February", WED, "past", "2023-02-07"),
        ("7 February", "2024-03-01", "future", "2025-02-07"),
    ],
)
def test_resolve_with_tense(expression, article_date, tense, expected):
    assert resolve(expression, article_date, tense=tense).value == expected


def test_article_date_may_be_a_date_or_datetime():
    assert resolve("yesterday", dt.date(2023, 12, 20)).value == "2023-12-19"
    assert resolve("yesterday", dt.datetime(2023, 12, 20, 23, 0)).value == "2023-12-19"


@pytest.mark.parametrize("expression", ["yesterday", "last week", "7 February", "in January", "on Monday"])
def test_relative_expressions_need_an_article_date(expression):
    assert resolve(expression, None) is None
    assert resolve(expression, "not a date") is None


def test_absolute_expressions_need_no_article_date():
    assert resolve("7 February 2024", None) == ResolvedDate("2024-02-07", "day", "7 February 2024")


def test_edges_of_the_calendar_give_none_not_an_error():
    assert resolve("tomorrow", dt.date(9999, 12, 31)) is None
    assert resolve("last week", dt.date(1, 1, 1)) is None


_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@given(st.text(max_size=60), st.one_of(st.none(), st.dates()), st.sampled_from([None, "past", "future"]))
def test_resolve_never_raises_and_returns_well_formed_values(text, article_date, tense):
    found = resolve(text, article_date, tense=tense)
    if found is not None:
        assert _VALUE.match(found.value)
        assert found.granularity in ("day", "month", "year")


_PIECES = st.sampled_from(
    ["today", "on Monday", "7 February 2024", "in May", "may", "last week", "20/12/2023", "in 2011", "the", "said"]
)


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=8).map(" ".join))
def test_found_offsets_point_at_their_text(text):
    previous_end = 0
    for start, end, found in find_time_expressions(text):
        assert text[start:end] == found and found
        assert start >= previous_end  # ordered, not overlapping
        previous_end = end


def _found(text: str) -> list[str]:
    return [found for _, _, found in find_time_expressions(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Unions said today that the strike would go ahead.", ["today"]),
        ("Yesterday the council met.", ["Yesterday"]),
        ("The strike began on Monday morning and ends next Friday.", ["on Monday morning", "next Friday"]),
        ("It was published on Wednesday afternoon.", ["on Wednesday afternoon"]),
        ("Talks collapsed last week and resume next month.", ["last week", "next month"]),
        ("The inquest concluded earlier this month.", ["earlier this month"]),
        ("A plan is due by 7 February.", ["7 February"]),
        ("A plan is due by 7 February 2024, the coroner said.", ["7 February 2024"]),
        ("On February 7, 2024, the plan was due.", ["On February 7, 2024"]),
        ("The rules apply from September 2026.", ["September 2026"]),
        ("Talks resume in January next year.", ["in January next year"]),
        ("Talks resume in January.", ["in January"]),
        ("Ministers may meet in May.", ["in May"]),
        ("Theresa May said the party may win.", []),
        ("Prices have risen since May, the board said.", ["May"]),
        ("The rate was set on 20/12/2023.", ["20/12/2023"]),
        ("The rate was set on 2023-12-20.", ["2023-12-20"]),
        ("The firm was founded in 2011.", ["in 2011"]),
        ("He left two weeks ago.", ["two weeks ago"]),
        ("A vote is expected in the new year.", ["the new year"]),
        ("Protests on Tuesday 19 December drew crowds.", ["on Tuesday 19 December"]),
        ("It rose 2.5% in a week of trading.", []),
        ("The claims ran in the Sunday Mirror and the Mail on Sunday.", []),
        ("Shops open on Good Friday.", []),
        ("Councillors were told on Tuesday (18 October) of the report.", ["on Tuesday", "18 October"]),
        ("Version 1.2.2024.5 was released.", []),
    ],
)
def test_find_time_expressions(sentence, expected):
    assert _found(sentence) == expected


def test_a_sentence_with_no_word_of_time_skips_the_finders_and_one_with_one_does_not():
    from newsgraph.ingest import dates

    assert dates.find_time_expressions("The union said the offer was unacceptable.") == ()
    assert dates._MAY_HOLD_TIME.search("The union said the offer was unacceptable.") is None
    # each kind of word the finders need still reaches them
    for text, expected in [
        ("Talks resume on Monday.", "on Monday"),
        ("It was filed in March 2024.", "in March 2024"),
        ("Members voted three weeks ago.", "three weeks ago"),
        ("The strike ends tomorrow morning.", "tomorrow morning"),
        ("Staff return after Christmas Day.", "Christmas Day"),
        ("The deadline is 2025-01-31.", "2025-01-31"),
    ]:
        assert [found for _, _, found in dates.find_time_expressions(text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The union said the offer was unacceptable.",
        "“We will appeal,” she said – the board’s view.",
        "Talks resume on MONDAY.",
        "The Mayor spoke.",
        "in 2011",
        "WEE\u212a",  # the kelvin sign, which ignoring case reads as k
        "Chri\u017ftmas",  # the long s, read as s
        "n\u0130ght",  # the dotted capital I, read as i
        "three \u0663 things",  # an Arabic-Indic digit
        "\uff17 items",  # a full-width digit
        "",
    ],
)
def test_the_quick_test_for_a_word_of_time_agrees_with_the_search(text):
    from newsgraph.ingest import dates

    assert dates._may_hold_time(text) == (dates._MAY_HOLD_TIME.search(text) is not None)


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=8).map(" ".join))
def test_the_quick_test_for_a_word_of_time_agrees_with_the_search_on_any_text(text):
    from newsgraph.ingest import dates

    assert dates._may_hold_time(text) == (dates._MAY_HOLD_TIME.search(text) is not None)


_CASED_PIECES = st.sampled_from(
    [
        "7 February 2024",
        "7 february 2024",
        "FEBRUARY 7",
        "Sept. 5",
        "sept 5",
        "in May",
        "in may",
        "since May",
        "early March 2023",
        "on Monday",
        "on monday",
        "MONDAY morning",
        "last Friday",
        "Good Friday",
        "2024",
        "the",
    ]
)


@given(st.lists(st.one_of(_CASED_PIECES, _PIECES, st.text(max_size=8)), max_size=8).map(" ".join))
def test_a_finder_skipped_for_want_of_its_words_finds_nothing_there(text):
    from newsgraph.ingest import dates

    for pattern, needs in dates._FINDERS:
        if needs and not any(word in text for word in needs):
            assert not [m for m in pattern.finditer(text) if m.end("x") > m.start("x")], pattern.pattern[:60]
