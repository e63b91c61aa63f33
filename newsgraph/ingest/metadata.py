"""An article's metadata as a source gives it (a text header, a JSONL record): each value checked on
its own, read leniently where one reading is certain, else left out, with a one-line note either way.

A bad value costs that value, never the article: real metadata carries notes ("2024-01-08
(estimated)"), placeholders ("n/a") and formats of its own ("8 January 2024").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The fields newsgraph reads, and the other names sources give them (the first name is the field).
FIELDS: tuple[str, ...] = ("url", "title", "date", "outlet", "author", "language")
ALIASES: dict[str, str] = {
    "link": "url",
    "headline": "title",
    "published": "date",
    "publisher": "outlet",
    "source": "outlet",
    "byline": "author",
    "lang": "language",
}
# Values that stand for "not known" rather than being one.
PLACEHOLDERS = frozenset({"", "-", "--", "?", "n/a", "na", "none", "null", "nil", "unknown", "tbc", "tbd", "todo"})
LANGUAGE_NAMES: dict[str, str] = {
    "english": "en",
    "welsh": "cy",
    "irish": "ga",
    "scottish gaelic": "gd",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "dutch": "nl",
    "portuguese": "pt",
}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ][0-9:.,]+(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?")
# Dates inside a longer value. Year first is never ambiguous; day and month in words neither.
_DATES_IN_TEXT = (
    re.compile(r"(?<![\d-])" + _YEAR + r"[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\w)" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\w)" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", re.IGNORECASE),
)
# 08/01/2024 is 8 January in one country and 1 August in another: read only when one part exceeds 12.
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-])")
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+", re.IGNORECASE)
# A value that starts with a scheme of its own ("javascript:alert(1)"; not "see: https://...").
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?=\S)")
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})((?:[-_][A-Za-z0-9]{1,8})*)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Note:
    """A metadata value of a source that newsgraph read differently or left out; the article still goes in."""

    source: str
    message: str


def field_name(key: str) -> str | None:
    """The field a metadata key names (any case, aliases included), None for a key newsgraph does not read."""
    key = key.strip().lower().replace("-", "_")
    return key if key in FIELDS else ALIASES.get(key)


def parse_date(value: str) -> str | None:
    """An ISO date or datetime as YYYY-MM-DD, or None when `value` is not exactly one."""
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    return _real_date(int(match[1]), int(match[2]), int(match[3]))


def _real_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def read_date(value: str) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD, why it is not the value as written) or (None, why there is no date).

    An ISO date or datetime is taken as it is. Otherwise the one date the value names is taken
    ("2024-01-08 (estimated)", "8 January 2024", "Mon, 08 Jan 2024 09:00:00 GMT"); a value naming
    none, several, or a date whose day and month could be swapped gives no date.
    """
    exact = parse_date(value)
    if exact is not None:
        return exact, None
    found: set[str] = set()
    for pattern in _DATES_IN_TEXT:
        for m in pattern.finditer(value):
            month = m["month"]
            number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
            if date := _real_date(int(m["year"]), number, int(m["day"])):
                found.add(date)
    swappable: list[str] = []
    for m in _NUMERIC_DATE.finditer(value):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        readings = {d for d in (_real_date(year, second, first), _real_date(year, first, second)) if d}
        if len(readings) == 1:
            found |= readings
        elif readings:
            swappable.append(" or ".join(sorted(readings)))
    if not found and not swappable:
        with contextlib.suppress(TypeError, ValueError, IndexError):  # RFC 2822, as feeds and mail write it
            found.add(email.utils.parsedate_to_datetime(value).date().isoformat())
    if swappable:
        return None, f"day and month could be either way round ({swappable[0]})"
    if len(found) > 1:
        return None, f"it names {len(found)} dates ({', '.join(sorted(found))})"
    if found:
        (date,) = found
        return date, f"read as {date}"
    return None, "not a date (expected YYYY-MM-DD)"


def read_url(value: str) -> tuple[str | None, str | None]:
    """(an absolute http(s) URL, why it differs from the value) or (None, why there is none).

    A value of another scheme (javascript:, data:, file:) is none, even when an http(s) URL appears
    inside it: that is code or data, not where the article is."""
    text = value.strip()
    scheme = _SCHEME.match(text)
    if scheme is not None and scheme[1].lower() not in ("http", "https"):
        return None, f"a {scheme[1].lower()}: URL, not an http(s) one"
    whole = _URL.fullmatch(text)
    if whole is not None and _has_host(text):
        url, why = text, None
    else:
        urls = [u.rstrip(".,;:)>") for u in _URL.findall(text)]
        urls = list(dict.fromkeys(u for u in urls if _has_host(u)))
        if len(urls) != 1:
            return None, f"it holds {len(urls)} URLs" if urls else "not an absolute http(s) URL"
        url, why = urls[0], f"read as {urls[0]}"
    if _home_page(url):
        # Every article of a site would share it, and a stored url that reappears replaces its article.
        return None, "a site's home page, not an article's"
    return url, why


def web_url(value: str | None) -> bool:
    """Whether a value is an absolute http(s) URL with a host, and nothing else (what a stored url
    must be: never javascript:, data: or file:)."""
    return bool(value) and _URL.fullmatch(value) is not None and _has_host(value)


def _home_page(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _has_host(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # a malformed port or IPv6 address
        return False


def read_language(value: str) -> tuple[str | None, str | None]:
    """(a language tag such as en or en-GB, why it differs from the value) or (None, why there is none)."""
    text = " ".join(value.split())
    if (named := LANGUAGE_NAMES.get(text.lower())) is not None:
        return named, f"read as {named}"
    m = _LANGUAGE_TAG.fullmatch(text)
    if m is None:
        return None, "not a language tag such as en or en-GB"
    tag = text.replace("_", "-")  # en_GB, as locales write it
    return tag, (None if tag == text else f"read as {tag}")


def _text(value: str) -> str:
    """A one-line text value: control characters dropped, runs of white space made one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def read_metadata(
    pairs: Iterable[tuple[str, Any]], source: str, where: str = "header"
) -> tuple[dict[str, str], list[Note]]:
    """The fields the (key, value) pairs give, each checked, and a Note for every value read
    differently or left out ("header date '2024-01-08 (estimated)': read as 2024-01-08"; `where`
    starts it). The first value of a field counts; keys newsgraph does not read are ignored (the
    caller decides whether to say so)."""
    fields: dict[str, str] = {}
    given: dict[str, str] = {}
    notes: list[Note] = []

    def note(key: str, raw: Any, why: str) -> None:
        shown = _text(str(raw))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        notes.append(Note(source, f"{where} {key.strip().lower()} {shown!r}: {why}".strip()))

    for key, raw in pairs:
        name = field_name(key)
        if name is None or raw is None:
            continue
        if name in given:
            if _text(str(raw)) != given[name]:
                note(key, raw, f"{name} given twice; the first, {given[name]!r}, is used")
            continue
        if not isinstance(raw, str):
            given[name] = _text(str(raw))
            note(key, raw, f"not text but {type(raw).__name__}; left out")
            continue
        text = _text(raw)
        given[name] = text
        if text.lower() in PLACEHOLDERS:
            if text:
                note(key, raw, "a placeholder, not a value; left out")
            continue
        reader = {"date": read_date, "url": read_url, "language": read_language}.get(name)
        if reader is None:
            fields[name] = text
            continue
        value, why = reader(text)
        if value is not None:
            fields[name] = value
            if why is not None:
                note(key, raw, why)
        else:
            note(key, raw, f"{why}; left out")
    return fields, notes
