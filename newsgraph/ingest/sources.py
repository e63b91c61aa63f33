"""Sources -> Article: text files with an optional `key: value` header, HTML pages, and stdin.

Paths are read in a deterministic order; a file that cannot become an article is reported as
`Skipped` (with the reason) rather than stopping the run, and only bad usage raises InputError.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsgraph.errors import InputError
from newsgraph.model import Article

HEADER_KEYS: frozenset[str] = frozenset({"url", "title", "date", "outlet", "author", "language", "source", "publisher"})
TEXT_SUFFIXES: frozenset[str] = frozenset({".txt", ".md"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
SOURCE_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | HTML_SUFFIXES
STDIN = "-"
STDIN_SOURCE = "<stdin>"

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_LINE = re.compile(r"[ \t]*([A-Za-z]+)[ \t]*:[ \t]*(.*?)\s*")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ][0-9:.,]+(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?")
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_SENTENCE_END = (".", "!", "?", '"', "'", "\u201d", "\u2019", ")")


@dataclass
class Skipped:
    """A source that yielded no article, and why (shown to the user; the run goes on)."""

    source: str
    reason: str


def parse_date(value: str) -> str | None:
    """An ISO date or datetime as YYYY-MM-DD, or None when `value` is not one."""
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the line, the line without its terminator), with the same newlines as normalise_body."""
    for match in _LINE.finditer(text):
        if match.start() == len(text):
            return
        yield match.start(), match.group().rstrip("\r\n")


def parse_header(text: str, *, source: str = "<text>") -> tuple[dict[str, str], str]:
    """Split `text` into its header (lowercased keys) and body; without a header the whole text is the body.

    A header is a block of `key: value` lines, every key a known one (HEADER_KEYS), ended by a blank
    line; so prose that opens with "Warning: ..." stays body. The body is returned as the exact tail of
    `text` (the model normalises it). A `date:` that is not an ISO date raises InputError naming `source`.
    """
    start = 1 if text.startswith("\ufeff") else 0
    header: dict[str, str] = {}
    for offset, line in _lines(text[start:]):
        if not line.strip():
            if not header:  # blank line before any header line: no header
                break
            _check_date(header, source)
            return header, _tail_after(text, start + offset)
        match = _HEADER_LINE.fullmatch(line)
        if match is None or match[1].lower() not in HEADER_KEYS:
            break
        header.setdefault(match[1].lower(), match[2])
    return {}, text


def _tail_after(text: str, line_offset: int) -> str:
    """The text after the line that starts at `line_offset` (and its line terminator)."""
    match = _LINE.match(text, line_offset)
    assert match is not None  # _LINE matches the empty string
    return text[match.end() :]


def _check_date(header: dict[str, str], source: str) -> None:
    value = header.get("date")
    if value is None or not value.strip():
        header.pop("date", None)
        return
    parsed = parse_date(value)
    if parsed is None:
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise InputError(f"{source}: header date {shown!r} is not a date (expected YYYY-MM-DD)")
    header["date"] = parsed


def _default_date(default_date: str | None) -> str | None:
    if default_date is None:
        return None
    parsed = parse_date(default_date)
    if parsed is None:
        raise InputError(f"default date {default_date!r} is not a date (expected YYYY-MM-DD)")
    return parsed


def _article(header: dict[str, Any], body: str, source: str, default_date: str | None) -> Article:
    def field(*keys: str) -> str | None:
        for key in keys:
            value = header.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    return Article(
        body=body,
        source=source,
        url=field("url"),
        title=field("title"),
        date=field("date") or default_date,
        outlet=field("outlet", "publisher", "source"),
        author=field("author"),
        language=field("language"),
    )


def article_from_text(text: str, source: str, default_date: str | None = None) -> Article:
    """One Article from a text with an optional header; InputError when there is no body text."""
    header, body = parse_header(text, source=source)
    if not body.strip():
        raise InputError(f"{source}: no article text")
    return _article(header, body, source, _default_date(default_date))


def article_from_html(html: str, source: str, default_date: str | None = None) -> Article | None:
    """One Article from an HTML page's main text and metadata (trafilatura); None when it has no article text."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    text = trafilatura.extract(html, include_comments=False, output_format="txt", with_metadata=False)
    meta = trafilatura.extract_metadata(html)
    paragraphs = [line.strip() for line in (text or "").splitlines() if line.strip()]
    title = (meta.title or "").strip() if meta is not None else ""
    if paragraphs and title and " ".join(paragraphs[0].split()) == " ".join(title.split()):
        paragraphs = paragraphs[1:]  # the headline repeated at the top of the article
    if not any(len(p.split()) >= 5 and p.endswith(_SENTENCE_END) for p in paragraphs):
        return None  # menus and link lists, not prose
    header: dict[str, Any] = {}
    if meta is not None:
        header = {
            "title": meta.title,
            "date": parse_date(meta.date) if meta.date else None,
            "author": meta.author,
            "outlet": meta.sitename or meta.hostname,
            "url": meta.url,
            "language": meta.language,
        }
    return _article(header, "\n\n".join(paragraphs), source, _default_date(default_date))


_WESTERN_PUNCTUATION = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac\u00a3\u00a0\u00b0\u00a9\u00ae\u2022")


def _plausible_western(text: str) -> bool:
    """Whether a cp1252 reading looks like Western-European prose rather than another 8-bit charset."""
    letters = sum(ch.isalpha() for ch in text)
    foreign = 0
    for ch in text:
        if ch < "\x80" or ch in _WESTERN_PUNCTUATION:
            continue
        if not ch.isalpha():
            return False
        foreign += 1
    return foreign <= 0.3 * max(letters, 1)


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (BOM dropped), UTF-16 with a BOM, cp1252 when it reads as Western prose,
    else charset_normalizer's guess, else latin-1 (which never fails)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        if _plausible_western(text):
            return text
    except UnicodeDecodeError:
        pass
    try:
        import charset_normalizer  # a dependency of trafilatura
    except ImportError:  # pragma: no cover - trafilatura always brings it
        charset_normalizer = None
    if charset_normalizer is not None:
        best = charset_normalizer.from_bytes(data).best()
        if best is not None:
            return str(best)
    return data.decode("latin-1")


def _is_binary(data: bytes) -> bool:
    return not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data


def _from_bytes(data: bytes, source: str, is_html: bool | None, default_date: str | None) -> Article | Skipped:
    if _is_binary(data):
        return Skipped(source, "binary file")
    text = decode(data)
    if not text.strip():
        return Skipped(source, "empty file")
    if is_html is None:
        is_html = _HTML_START.match(text) is not None
    if is_html:
        article = article_from_html(text, source, default_date)
        return article if article is not None else Skipped(source, "no article text in HTML")
    header, body = parse_header(text, source=source)
    if not body.strip():
        return Skipped(source, "no article text after the header")
    return _article(header, body, source, _default_date(default_date))


def _read_stdin(stdin: IO[Any] | None, max_bytes: int) -> bytes | str:
    stream = stdin if stdin is not None else sys.stdin
    stream = getattr(stream, "buffer", stream)  # bytes where the stream has them, so decoding is ours
    return stream.read(max_bytes + 1)


def _directory_files(directory: str) -> list[str]:
    """Files under `directory` with a source suffix, recursively, hidden ones left out, in a stable order."""
    found: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(root).relative_to(directory).parts
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SOURCE_SUFFIXES:
                found.append(((*rel, name), os.path.join(root, name)))
    return [path for _, path in sorted(found)]


def read_sources(
    paths: list[str],
    *,
    default_date: str | None = None,
    max_bytes: int = 5_000_000,
    stdin: IO[Any] | None = None,
) -> Iterator[Article | Skipped]:
    """Articles from files, directories (recursive: .txt .md .html .htm) and `-` (stdin), in order.

    A path that does not exist raises InputError before anything is read; a file that is unreadable,
    binary, empty, too large or HTML without article text is yielded as Skipped. `default_date` is the
    article date where the source gives none.
    """
    default = _default_date(default_date)
    for path in paths:
        if path != STDIN and not os.path.lexists(path):
            raise InputError(f"{path}: no such file or directory")
    for path in paths:
        if path == STDIN:
            data = _read_stdin(stdin, max_bytes)
            if isinstance(data, str):
                data = data.encode("utf-8")
            if len(data) > max_bytes:
                yield Skipped(STDIN_SOURCE, f"file larger than {max_bytes} bytes")
            else:
                yield _from_bytes(data, STDIN_SOURCE, None, default)
        elif os.path.isdir(path):
            for file in _directory_files(path):
                yield _read_file(file, default, max_bytes)
        else:
            yield _read_file(path, default, max_bytes)


def _read_file(path: str, default_date: str | None, max_bytes: int) -> Article | Skipped:
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                return Skipped(path, f"file larger than {max_bytes} bytes")
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return Skipped(path, error.strerror or str(error))
    if len(data) > max_bytes:  # a file that grew, or a device without a size
        return Skipped(path, f"file larger than {max_bytes} bytes")
    suffix = Path(path).suffix.lower()
    is_html = True if suffix in HTML_SUFFIXES else False if suffix in TEXT_SUFFIXES else None
    return _from_bytes(data, path, is_html, default_date)
