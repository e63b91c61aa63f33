"""Time expressions in news text: find them in a sentence and resolve them against the article date.

Our own rules come first because dateparser gets news usage wrong ("7 February" picks the past one,
"January next year", "earlier this month" and "the new year" fail); dateparser is the fallback for
odd absolute formats that carry a year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Granularity = Literal["day", "month", "year"]
Tense = Literal["past", "future"]

MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY_ABBREVIATIONS: dict[str, int] = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3}
_WEEKDAY_ABBREVIATIONS |= {"fri": 4, "sat": 5, "sun": 6}
NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "a couple of": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
# Fixed-date occasions that news names instead of dates: (month, day).
OCCASIONS: dict[str, tuple[int, int]] = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "boxing day": (12, 26),
}


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved time expression: `value` is YYYY-MM-DD, YYYY-MM or YYYY as `granularity` says."""

    value: str
    granularity: Granularity
    text: str


# --- resolve ---------------------------------------------------------------------------------------

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_ANY_WEEKDAY_RE = "|".join(sorted([*WEEKDAYS, *_WEEKDAY_ABBREVIATIONS], key=len, reverse=True))
_NUMBER_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|lunchtime))?"

_R_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t\s]\d.*)?")
_R_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_R_DMY_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_R_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_R_YEAR = re.compile(r"(\d{4})")
_R_DAY_MONTH = re.compile(rf"(?:the\s+)?(\d{{1,2}}){_ORD}(?:\s+of)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?")
_R_MONTH_DAY = re.compile(rf"({_MONTH_RE})\.?\s+(?:the\s+)?(\d{{1,2}}){_ORD}(?:,?\s+(\d{{4}}))?")
_R_MONTH_YEAR = re.compile(rf"({_MONTH_RE})\.?,?\s+(?:of\s+)?(\d{{4}})")
_R_MONTH_RELATIVE_YEAR = re.compile(rf"({_MONTH_RE})\.?\s+(next|last|this)\s+year")
_R_RELATIVE_MONTH = re.compile(rf"(next|last|this|past|coming)\s+({_MONTH_RE})")
_R_MONTH = re.compile(rf"({_MONTH_RE})")
_R_WEEKDAY = re.compile(rf"(?:(last|next|this|coming|past)\s+)?({_WEEKDAY_RE}){_PART_OF_DAY}(?:\s+(last|next))?")
_R_WEEKDAY_PREFIX = re.compile(rf"({_ANY_WEEKDAY_RE})\.?,?\s+(.+)")
_R_YESTERDAY = re.compile(rf"yesterday{_PART_OF_DAY}")
_R_TOMORROW = re.compile(rf"tomorrow{_PART_OF_DAY}")
_R_AGO = re.compile(rf"(\d+|{_NUMBER_RE})\s+(day|week|fortnight|month|year)s?\s+ago")
_R_FORTNIGHT_AGO = re.compile(r"(?:a\s+)?fortnight\s+ago")
_R_IN_TIME = re.compile(rf"in\s+(\d+|{_NUMBER_RE})\s+(day|week|month|year)s?(?:'?\s+time)?")
_R_FROM_NOW = re.compile(rf"(\d+|{_NUMBER_RE})\s+(day|week|month|year)s?\s+from\s+now")
_R_SEASON_YEAR = re.compile(r"(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})")

_LEADING_WORDS = re.compile(
    r"^(?:on|in|from|since|until|till|by|before|after|during|as\s+of|as\s+early\s+as|as\s+late\s+as|"
    r"starting|beginning|at|around|about|circa|sometime|some\s+time|of)\s+"
)
_QUALIFIERS = re.compile(
    r"^(?:(?:the\s+)?(?:end|start|beginning|middle|close|turn|first\s+half|second\s+half)\s+of\s+(?:the\s+)?"
    r"|early\s+|mid-?\s*|late\s+)"
)
_FALLBACK_MONTH = re.compile(rf"\b(?:{_MONTH_RE})\b")


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _normalise(text: str) -> str:
    s = " ".join(text.lower().replace("\u2019", "'").split())
    s = s.strip(" \t.,;:!?\"'()[]")
    if s.endswith("'s"):
        s = s[:-2]
    return s


def _day(value: dt.date, text: str) -> ResolvedDate:
    return ResolvedDate(value.isoformat(), "day", text)


def _month(year: int, month: int, text: str) -> ResolvedDate | None:
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        return None
    return ResolvedDate(f"{year:04d}-{month:02d}", "month", text)


def _year(year: int, text: str) -> ResolvedDate | None:
    return ResolvedDate(f"{year:04d}", "year", text) if 1 <= year <= 9999 else None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _add_months(base: dt.date, months: int) -> tuple[int, int]:
    index = base.year * 12 + base.month - 1 + months
    return index // 12, index % 12 + 1


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_day(
    month: int, day: int, base: dt.date, tense: Tense | None, weekday: int | None = None
) -> dt.date | None:
    """The date with this month and day nearest `base` (tense: the next one on/after, or the last on/before).

    A weekday given alongside ("Tuesday 20 December") picks the year in which that date falls on it.
    """
    candidates = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _date_or_none(y, month, day))]
    matching = [d for d in candidates if d.weekday() == weekday and abs((d - base).days) <= 183]
    if matching:
        candidates = matching
    if tense == "future":
        candidates = [d for d in candidates if d >= base] or candidates
    elif tense == "past":
        candidates = [d for d in candidates if d <= base] or candidates
    if not candidates:
        return None
    # Ties go to the future: an article mentions a coming date at least as often as a past one.
    return min(candidates, key=lambda d: (abs((d - base).days), d < base))


def _nearest_month(month: int, base: dt.date, tense: Tense | None) -> tuple[int, int]:
    deltas = [delta for delta in range(-11, 12) if (base.month - 1 + delta) % 12 == month - 1]
    if tense == "future":
        delta = min(d for d in deltas if d >= 0)
    elif tense == "past":
        delta = max(d for d in deltas if d <= 0)
    else:
        delta = min(deltas, key=lambda d: (abs(d), d < 0))
    return _add_months(base, delta)


def _weekday(name: str, modifier: str | None, base: dt.date, tense: Tense | None) -> dt.date:
    """A weekday relative to the article date.

    "last X" is the latest X before the article date and "next X" the first after it; "this X" the one
    in the coming seven days (on or before the article date in a past-tense sentence). A bare "(on) X"
    in news is the latest X on or before the article date (agencies name even the same day so), unless
    the sentence is in the future tense.
    """
    target = WEEKDAYS[name]
    back = (base.weekday() - target) % 7  # days since the latest such weekday, 0 on the day itself
    ahead = (target - base.weekday()) % 7
    if modifier in ("last", "past"):
        return base - dt.timedelta(days=back or 7)
    if modifier in ("next", "coming"):
        return base + dt.timedelta(days=ahead or 7)
    if modifier == "this":
        return base - dt.timedelta(days=back) if tense == "past" else base + dt.timedelta(days=ahead)
    if tense == "future":
        return base + dt.timedelta(days=ahead or 7)
    return base - dt.timedelta(days=back)


def _same_month(start: dt.date, end: dt.date, text: str) -> ResolvedDate | None:
    return _month(start.year, start.month, text) if (start.year, start.month) == (end.year, end.month) else None


def _relative(s: str, base: dt.date, tense: Tense | None, text: str) -> ResolvedDate | None:
    """Expressions that mean nothing without the article date; None when `s` is none of them."""
    one_day = dt.timedelta(days=1)
    if s in ("today", "tonight", "this morning", "this afternoon", "this evening", "this lunchtime", "now"):
        return _day(base, text)
    if _R_YESTERDAY.fullmatch(s) or s == "last night":
        return _day(base - one_day, text)
    if _R_TOMORROW.fullmatch(s):
        return _day(base + one_day, text)
    if s == "the day before yesterday":
        return _day(base - 2 * one_day, text)
    if s == "the day after tomorrow":
        return _day(base + 2 * one_day, text)
    if s in OCCASIONS:
        found = _nearest_day(*OCCASIONS[s], base, tense)
        return _day(found, text) if found else None
    if s in ("the new year", "new year"):
        return _month(base.year + 1, 1, text) if base.month >= 11 else None
    if m := _R_WEEKDAY.fullmatch(s):
        modifier = m[1] or m[3]
        return _day(_weekday(m[2], modifier, base, tense), text)
    if m := _R_AGO.fullmatch(s):
        n, unit = _number(m[1]), m[2]
        if unit in ("day", "week", "fortnight"):
            days = n * {"day": 1, "week": 7, "fortnight": 14}[unit]
            return _day(base - dt.timedelta(days=days), text)
        if unit == "month":
            return _month(*_add_months(base, -n), text)
        return _year(base.year - n, text)
    if _R_FORTNIGHT_AGO.fullmatch(s):
        return _day(base - dt.timedelta(days=14), text)
    if m := _R_IN_TIME.fullmatch(s) or _R_FROM_NOW.fullmatch(s):
        n, unit = _number(m[1]), m[2]
        if unit in ("day", "week"):
            return _day(base + dt.timedelta(days=n * (7 if unit == "week" else 1)), text)
        if unit == "month":
            return _month(*_add_months(base, n), text)
        return _year(base.year + n, text)
    return _relative_period(s, base, text)


def _relative_period(s: str, base: dt.date, text: str) -> ResolvedDate | None:
    """Weeks, months and years named relative to the article date ("last week", "earlier this month")."""
    week = dt.timedelta(days=7)
    monday = base - dt.timedelta(days=base.weekday())
    if s in ("last week", "the past week", "the previous week"):
        shifted = base - week
        return _month(shifted.year, shifted.month, text)
    if s == "next week":
        shifted = base + week
        return _month(shifted.year, shifted.month, text)
    if s == "this week":
        return _same_month(monday, monday + dt.timedelta(days=6), text)
    if s == "earlier this week":
        return _same_month(monday, base, text)
    if s == "later this week":
        return _same_month(base, monday + dt.timedelta(days=6), text)
    if s in ("this month", "earlier this month", "later this month", "the end of the month", "the end of this month"):
        return _month(base.year, base.month, text)
    if s in ("last month", "the previous month", "earlier last month"):
        return _month(*_add_months(base, -1), text)
    if s in ("next month", "the end of next month"):
        return _month(*_add_months(base, 1), text)
    if s in ("this year", "earlier this year", "later this year", "the end of the year", "the end of this year"):
        return _year(base.year, text)
    if s in ("last year", "the previous year"):
        return _year(base.year - 1, text)
    if s == "next year":
        return _year(base.year + 1, text)
    return None


def _absolute(s: str, base: dt.date | None, tense: Tense | None, text: str) -> ResolvedDate | None:
    """Expressions that name a day, month or year; those without a year need the article date."""
    if m := _R_ISO.fullmatch(s) or _R_YMD_SLASH.fullmatch(s):
        found = _date_or_none(int(m[1]), int(m[2]), int(m[3]))
        return _day(found, text) if found else None
    if m := _R_DMY_NUMERIC.fullmatch(s):  # day first, as British and most non-US news write it
        year = int(m[4]) + (2000 if len(m[4]) == 2 else 0)
        found = _date_or_none(year, int(m[3]), int(m[1]))
        return _day(found, text) if found else None
    if m := _R_ISO_MONTH.fullmatch(s):
        return _month(int(m[1]), int(m[2]), text)
    if m := _R_YEAR.fullmatch(s):
        return _year(int(m[1]), text)
    weekday = None
    if (m := _R_WEEKDAY_PREFIX.fullmatch(s)) and (_R_DAY_MONTH.fullmatch(m[2]) or _R_MONTH_DAY.fullmatch(m[2])):
        weekday = WEEKDAYS.get(m[1], _WEEKDAY_ABBREVIATIONS.get(m[1]))
        s = m[2]
    if m := _R_DAY_MONTH.fullmatch(s):
        return _day_month(int(m[1]), MONTHS[m[2]], m[3], base, tense, weekday, text)
    if m := _R_MONTH_DAY.fullmatch(s):
        return _day_month(int(m[2]), MONTHS[m[1]], m[3], base, tense, weekday, text)
    if m := _R_MONTH_YEAR.fullmatch(s):
        return _month(int(m[2]), MONTHS[m[1]], text)
    if m := _R_SEASON_YEAR.fullmatch(s):
        return _year(int(m[1]), text)
    if base is None:
        return None
    if m := _R_MONTH_RELATIVE_YEAR.fullmatch(s):
        return _month(base.year + {"next": 1, "last": -1, "this": 0}[m[2]], MONTHS[m[1]], text)
    if m := _R_RELATIVE_MONTH.fullmatch(s):
        month, modifier = MONTHS[m[2]], m[1]
        if modifier == "this":
            return _month(base.year, month, text)
        if modifier in ("next", "coming"):
            return _month(base.year + (month <= base.month), month, text)
        return _month(base.year - (month >= base.month), month, text)
    if m := _R_MONTH.fullmatch(s):
        return _month(*_nearest_month(MONTHS[m[1]], base, tense), text)
    return None


def _day_month(
    day: int,
    month: int,
    year: str | None,
    base: dt.date | None,
    tense: Tense | None,
    weekday: int | None,
    text: str,
) -> ResolvedDate | None:
    if year is not None:
        found = _date_or_none(int(year), month, day)
    elif base is not None:
        found = _nearest_day(month, day, base, tense, weekday)
    else:
        found = None
    return _day(found, text) if found else None


def _dateparser_fallback(s: str, base: dt.date | None, text: str) -> ResolvedDate | None:
    """dateparser for absolute formats our rules do not know; only for short texts with a month and a year."""
    if len(s) > 40 or not re.search(r"\b\d{4}\b", s) or not _FALLBACK_MONTH.search(s):
        return None
    try:
        from dateparser.date import DateDataParser

        settings = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["month", "year"]}
        if base is not None:
            settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(s)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is the right answer
        return None
    if data is None or data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "month":
        return _month(found.year, found.month, text)
    if data.period == "year":
        return _year(found.year, text)
    return _day(found, text)


def resolve(text: str, article_date: dt.date | str | None, tense: Tense | None = None) -> ResolvedDate | None:
    """The date a time expression refers to, read against the article's date; None when unknown.

    `tense` ("past" or "future", from the sentence) settles "on Friday", "in January" and "7 February";
    without it the nearest such date is taken (for weekdays, the latest on or before the article date).
    Never raises on arbitrary text.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 200:
        return None
    base = _as_date(article_date)
    s = _normalise(text)
    try:
        return _resolve(s, base, tense, text)
    except (ValueError, OverflowError):  # dates beyond year 1..9999 near the edges of the calendar
        return None


def _resolve(s: str, base: dt.date | None, tense: Tense | None, text: str) -> ResolvedDate | None:
    for _ in range(4):  # "from early September 2026": strip one leading word or qualifier at a time
        if not s:
            return None
        if base is not None and (found := _relative(s, base, tense, text)):
            return found
        if found := _absolute(s, base, tense, text):
            return found
        stripped = _LEADING_WORDS.sub("", s, count=1)
        if stripped == s:
            stripped = _QUALIFIERS.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return _dateparser_fallback(s, base, text)


# --- find_time_expressions -------------------------------------------------------------------------


def _ci(word: str) -> str:
    """A word that may open a sentence: its first letter in either case."""
    return f"[{word[0].upper()}{word[0].lower()}]{word[1:]}"


_F_MONTH_FULL = "|".join(calendar.month_name[1:])
_F_MONTH_ANY = rf"(?:{_F_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_F_WEEKDAY = "|".join(calendar.day_name)
_F_WEEKDAY_ANY = rf"(?:{_F_WEEKDAY}|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?)"
_F_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_F_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
_F_ON_IN = rf"(?:(?:{_ci('on')}|{_ci('in')})\s+)?"
_F_TIME_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|lunchtime))?"
_F_COUNT = r"(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_F_NUMBER = rf"(?:{_F_COUNT}|one|an?|a\s+couple\s+of)"
_F_QUALIFIER = (
    rf"(?:(?:{_ci('early')}|{_ci('late')})\s+|{_ci('mid')}-?\s*"
    r"|(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+)"
)
_F_NOT_A_DAY = "".join(
    f"(?<!{word} )"
    for word in ("Good", "Black", "Super", "Ash", "Bloody", "Maundy", "Cyber", "Easter", "Palm", "Mail on")
)
_F_CONTEXT = "|".join(_ci(w) for w in ("in", "on", "since", "until", "by", "from", "during", "before", "after", "till"))

# Words a finder cannot match without, exactly as written: every month, full or abbreviated, starts
# with one of its first three letters, and every weekday ends in "day". A sentence without them
# skips the finders that need them (most sentences name no month).
_MONTH = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY = ("day",)

# Each finder's span is its group "x" (leading prepositions other than on/in are context, not part of it);
# each comes with the words it needs (none: it is always tried).
_FINDERS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(p), needs)
    for p, needs in (
        # ISO and numeric dates (numeric: day first)
        (r"(?<![\w/.-])(?P<x>\d{4}-\d{2}-\d{2})(?!(?!T\d)[\w/-]|[.:]\d)", ()),
        (r"(?<![\w/.-])(?P<x>\d{1,2}([/.])\d{1,2}\2\d{4})(?![\w/-]|[.:]\d)", ()),
        # 7 February (2024), Tuesday 7 February, the 7th of February
        (
            rf"\b(?P<x>{_F_ON_IN}(?:{_F_WEEKDAY_ANY},?\s+)?(?:the\s+)?{_F_DAY}(?:\s+of)?\s+{_F_MONTH_ANY}"
            rf"(?:,?\s+{_F_YEAR})?)(?![\w-])",
            _MONTH,
        ),
        # February 7(th)(, 2024); not "May 5 people" style counts, which are rare enough to accept
        (
            rf"\b(?P<x>{_F_ON_IN}(?:{_F_WEEKDAY_ANY},?\s+)?{_F_MONTH_ANY}\s+{_F_DAY}(?:,?\s+{_F_YEAR})?)(?![\w%-])",
            _MONTH,
        ),
        # December 2023, early December 2023
        (rf"\b(?P<x>{_F_ON_IN}{_F_QUALIFIER}?{_F_MONTH_ANY},?\s+(?:of\s+)?{_F_YEAR})(?![\w%-])", _MONTH),
        # a month on its own needs a preposition, a qualifier or a relative word, so "May" the verb stays out
        (rf"\b(?:(?:{_F_CONTEXT})\s+)(?P<x>{_F_QUALIFIER}?(?!May\b)(?:{_F_MONTH_FULL}))\b(?!\s+\d)", _MONTH),
        (rf"\b(?:{_ci('since')}\s+)(?P<x>May)\b(?!\s+\d)", _MONTH),
        (rf"\b(?P<x>{_ci('in')}\s+{_F_QUALIFIER}?(?:{_F_MONTH_FULL}))\b(?!\s+\d)", _MONTH),
        (rf"\b(?P<x>{_F_QUALIFIER}(?:{_F_MONTH_FULL}))\b(?!\s+\d)", _MONTH),
        (rf"\b(?P<x>(?:{_ci('last')}|{_ci('next')}|{_ci('this')})\s+(?:{_F_MONTH_FULL}))\b(?!\s+\d)", _MONTH),
        (rf"\b(?P<x>{_F_ON_IN}(?:{_F_MONTH_FULL})\s+(?:next|last|this)\s+year)\b", _MONTH),
        # in 2011
        (rf"\b(?:(?:{_F_CONTEXT})\s+)(?P<x>{_F_YEAR})(?![\w%-]|[.,]\d)", ()),
        (rf"\b(?P<x>{_ci('in')}\s+{_F_YEAR})(?![\w%-]|[.,]\d)", ()),
        # weekdays: on Monday, last Friday, next Friday, this Friday, Sunday morning; not the names that
        # contain one (Good Friday, the Sunday Mirror, the Mail on Sunday)
        (
            rf"\b{_F_NOT_A_DAY}(?P<x>(?:(?:{_ci('on')}|{_ci('last')}|{_ci('next')}|{_ci('this')}|{_ci('coming')})\s+)?"
            rf"{_F_NOT_A_DAY}(?:{_F_WEEKDAY})(?:{_F_TIME_OF_DAY.removesuffix('?')}\b|\b(?!\s+[A-Z])))",
            _WEEKDAY,
        ),
        # today, tonight, yesterday (morning), tomorrow, this morning, last night
        (
            rf"(?i:\b(?P<x>today|tonight|(?:yesterday|tomorrow){_F_TIME_OF_DAY}|this\s+(?:morning|afternoon|evening)"
            r"|last\s+night|the\s+day\s+(?:before\s+yesterday|after\s+tomorrow))\b)",
            (),
        ),
        # last week, next month, earlier this month, later this year
        (
            r"(?i:\b(?P<x>(?:(?:earlier|later)\s+)?this\s+(?:week|month|year)|(?:last|next)\s+(?:week|month|year))\b)",
            (),
        ),
        # two weeks ago, in three days
        (
            rf"(?i:\b(?P<x>{_F_NUMBER}\s+(?:day|week|month|year)s?\s+ago|(?:a\s+)?fortnight\s+ago"
            rf"|in\s+{_F_COUNT}\s+(?:day|week|month|year)s?(?:'?\s+time)?)\b(?!\s+of\b))",
            (),
        ),
        # the new year, Christmas Day
        (r"\b(?P<x>(?i:the\s+new\s+year)|New\s+Year's\s+(?:Day|Eve)|Christmas\s+(?:Day|Eve)|Boxing\s+Day)\b", ()),
    )
)


# A word one of which every finder needs (a digit, a month, a weekday, a word of time): most
# sentences have none, and one search of this spares them the finders above.
_TIME_WORDS = (
    *calendar.month_name[1:],
    *calendar.day_name,
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "morning",
    "afternoon",
    "evening",
    "night",
    "day",
    "week",
    "month",
    "year",
    "fortnight",
    "christmas",
)
_MAY_HOLD_TIME = re.compile(r"\d|" + "|".join(_TIME_WORDS), re.IGNORECASE)
_LOWER_TIME_WORDS = tuple(w.lower() for w in _TIME_WORDS)
_ASCII_DIGIT = re.compile("[0-9]")


def _may_hold_time(text: str) -> bool:
    """Whether `_MAY_HOLD_TIME` finds a word in `text`, by substring tests of its lower case first:
    the search of that many words ignoring case cost about 30 us a sentence, more than the finders
    that it spares. A word found so is one the search finds too; text of other characters than
    ASCII, which may fold to the words' letters in other ways ("K", the kelvin sign) or hold other
    digits, is searched when the tests find none."""
    if _ASCII_DIGIT.search(text) is not None:
        return True
    low = text.lower()
    if any(w in low for w in _LOWER_TIME_WORDS):
        return True
    return not text.isascii() and _MAY_HOLD_TIME.search(text) is not None


def find_time_expressions(text: str) -> tuple[tuple[int, int, str], ...]:
    """Time expressions in `text` as (start, end, text), in order and not overlapping (longest wins).

    Precision first: a month name alone counts only after a preposition or qualifier, so "may" the
    verb and "May" the surname are left out; spaCy's DATE entities add recall.
    """
    if not _may_hold_time(text):
        return ()
    found: list[tuple[int, int]] = []
    present: dict[tuple[str, ...], bool] = {}
    for pattern, needs in _FINDERS:
        if needs:
            if needs not in present:
                present[needs] = any(word in text for word in needs)
            if not present[needs]:
                continue
        for match in pattern.finditer(text):
            start, end = match.span("x")
            if end > start:
                found.append((start, end))
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(found), key=lambda span: (span[0] - span[1], span[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return tuple((start, end, text[start:end]) for start, end in sorted(chosen))
