"""Sources -> Article: text files with an optional `key: value` header, HTML pages, JSONL, RSS and
Atom feeds, http(s) URLs (fetched with fetch.py) and stdin.

Sources are read in a deterministic order; one that cannot become an article is reported as
`Skipped` (with a one-line reason) rather than stopping the run, a metadata value read differently
or left out as a `Note` (metadata.py), and only bad usage raises InputError.
"""

from __future__ import annotations

import email.utils
import html.parser
import itertools
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from newsgraph.errors import InputError
from newsgraph.ingest.metadata import ALIASES, FIELDS, Note, field_name, parse_date, read_date, read_metadata
from newsgraph.model import STDIN_SOURCE, Article

if TYPE_CHECKING:
    from newsgraph.ingest.fetch import Fetcher, Page

# The keys a text header may use; a header needs one of them (so prose opening "Warning: ..." stays body).
HEADER_KEYS: frozenset[str] = frozenset(FIELDS) | frozenset(ALIASES)
TEXT_SUFFIXES: frozenset[str] = frozenset({".txt", ".md"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
JSONL_SUFFIXES: frozenset[str] = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES: frozenset[str] = frozenset({".rss", ".atom", ".xml"})
SOURCE_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES
# Fields a JSONL record may give besides its text (`body`, else `text`); `source` is where it came from.
JSONL_FIELDS: tuple[str, ...] = ("url", "title", "date", "outlet", "author", "language", "source")
URL_SCHEMES: tuple[str, ...] = ("http://", "https://")
STDIN = "-"
# A feed item whose page cannot be had becomes an article from its own text only when it is this long:
# shorter summaries are teasers ("Read more...") that would give a graph of headlines.
MIN_FEED_WORDS = 30
# After this many failures in a row of one host (unreachable, timed out, server errors after every
# try), feed items linking to it are no longer fetched: a feed of dead links would cost seconds each.
HOST_FAILURES = 3

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_LINE = re.compile(r"[ \t]*([A-Za-z][A-Za-z_-]*)[ \t]*:[ \t]*(.*?)\s*")
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_SENTENCE_END = (".", "!", "?", '"', "'", "\u201d", "\u2019", ")")
_FEED_START = re.compile(
    r"\s*(?:<\?xml[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?xml-stylesheet[^>]*\?>\s*)*"
    r"<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_XML_START = re.compile(r"\s*<\?xml\b", re.IGNORECASE)
# A first line taken as the headline of an article that names none: a line of its own, of 3 to 20
# words, without the closing punctuation of a sentence (what extraction already reads as a heading,
# newsgraph/ingest/nlp.py is_heading), and not a byline.
HEADLINE_WORDS = (3, 20)
_NOT_HEADLINE_END = tuple(".!?:;\"\u201d\u2019'\u2026),")
_BYLINE = re.compile(r"(?i)by\s|written by\s|updated\b|published\b")

# Characters no XML 1.0 document can hold, even escaped (form feeds in old text files, lone
# surrogates from JSON escapes): an article with one could be stored but not exported as RDF/XML.
_UNFIT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

OnNote = Callable[[Note], None]


@dataclass
class Skipped:
    """A source that yielded no article, and why (shown to the user; the run goes on). `items` is how
    many inputs it stands for (the items of a feed skipped together)."""

    source: str
    reason: str
    items: int = 1


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the line, the line without its terminator), with the same newlines as normalise_body."""
    for match in _LINE.finditer(text):
        if match.start() == len(text):
            return
        yield match.start(), match.group().rstrip("\r\n")


def parse_header(text: str, *, source: str = "<text>") -> tuple[dict[str, str], str, list[Note]]:
    """Split `text` into its header fields, its body, and a Note for each header value read
    differently or left out; without a header the whole text is the body.

    A header is a block of `key: value` lines ended by a blank line, or a Markdown front matter
    (`key: value` lines between two `---` lines; indented and list lines in it are ignored), with
    at least one key a known one (HEADER_KEYS, any case), so prose that opens with "Warning: ..."
    stays body. Values are checked one by one (metadata.read_metadata): a bad value costs that
    value, never the article. The body is returned as the exact tail of `text` (the model
    normalises it).
    """
    start = 1 if text.startswith("\ufeff") else 0
    lines: list[tuple[str, str]] = []
    front_matter = False
    for number, (offset, line) in enumerate(_lines(text[start:])):
        if number == 0 and line.rstrip() == "---":
            front_matter = True
            continue
        ends = line.rstrip() in ("---", "...") if front_matter else not line.strip()
        if ends:
            if not any(field_name(key) for key, _ in lines):  # no header line, or none newsgraph reads
                break
            fields, notes = _header(lines, source)
            return fields, _tail_after(text, start + offset), notes
        if front_matter and (not line.strip() or line[:1].isspace() or line.lstrip().startswith("- ")):
            continue  # a YAML list or nested value: nothing newsgraph reads
        match = _HEADER_LINE.fullmatch(line)
        if match is None:
            break
        lines.append((match[1], _unquoted(match[2])))
    return {}, text, []


def _header(lines: list[tuple[str, str]], source: str) -> tuple[dict[str, str], list[Note]]:
    fields, notes = read_metadata(lines, source)
    unread = list(dict.fromkeys(key.lower() for key, _ in lines if field_name(key) is None))
    if unread:
        what = f"key {unread[0]!r} is" if len(unread) == 1 else f"keys {', '.join(map(repr, unread))} are"
        notes.append(Note(source, f"header {what} not read by newsgraph ({', '.join(FIELDS)}); ignored"))
    return fields, notes


def _unquoted(value: str) -> str:
    """A value without the quotes YAML habit puts round it ('"Strike at Eastmere"'), and only those."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" and value[0] not in value[1:-1]:
        return value[1:-1]
    return value


def _tail_after(text: str, line_offset: int) -> str:
    """The text after the line that starts at `line_offset` (and its line terminator)."""
    match = _LINE.match(text, line_offset)
    assert match is not None  # _LINE matches the empty string
    return text[match.end() :]


def _default_date(default_date: str | None) -> str | None:
    if default_date is None:
        return None
    parsed = parse_date(default_date)
    if parsed is None:
        raise InputError(f"default date {default_date!r} is not a date (expected YYYY-MM-DD)")
    return parsed


def headline(body: str) -> str | None:
    """The body's first line when it reads as a headline (HEADLINE_WORDS words, no closing punctuation,
    not a byline or a date) and more text follows it; else None."""
    text = body.strip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    words = len(first.split())
    if not rest.strip() or not HEADLINE_WORDS[0] <= words <= HEADLINE_WORDS[1] or first.endswith(_NOT_HEADLINE_END):
        return None
    if _BYLINE.match(first) or read_date(first)[0] is not None or not any(ch.islower() for ch in first):
        return None
    return " ".join(first.split())


def _article(
    fields: dict[str, Any], body: str, source: str, default_date: str | None, *, plain: bool = False
) -> Article:
    """An Article from checked metadata fields (read_metadata). A `plain` text (a text file, a JSONL
    record: no page or feed metadata) without a title takes a first line that is a headline as one."""

    def field(key: str) -> str | None:
        value = fields.get(key)
        return _fit(value).strip() if isinstance(value, str) and value.strip() else None

    body = _fit(body)
    return Article(
        body=body,
        source=_fit(source),  # a file name that is not UTF-8 reaches Python as lone surrogates
        url=field("url"),
        title=field("title") or (headline(body) if plain else None),
        date=field("date") or default_date,
        outlet=field("outlet"),
        author=field("author"),
        language=field("language"),
    )


def _fit(text: str) -> str:
    """`text` with every character XML cannot hold replaced: a control character by a space, any
    other by U+FFFD, so that every article read exports in every RDF format."""
    return _UNFIT.sub(lambda m: " " if m[0] < " " else "\ufffd", text)


def _checked(meta: dict[str, Any]) -> dict[str, str]:
    """Metadata a page or feed gives (not the user's own), checked; what is unusable is left out quietly."""
    return read_metadata(meta.items(), "", where="")[0]


def article_from_text(
    text: str, source: str, default_date: str | None = None, on_note: OnNote | None = None
) -> Article:
    """One Article from a text with an optional header; InputError when there is no body text.
    Header values read differently or left out go to `on_note` (default: a warning on the log)."""
    header, body, notes = parse_header(text, source=source)
    if not body.strip():
        raise InputError(f"{source}: no article text")
    for note in notes:
        (on_note or log_note)(note)
    return _article(header, body, source, _default_date(default_date), plain=True)


def log_note(note: Note) -> None:
    """Where a Note goes when the caller gives no `on_note`: a warning on the "newsgraph" log."""
    logging.getLogger("newsgraph").warning("note: %s: %s", note.source, note.message)


def article_from_html(
    html: str, source: str, default_date: str | None = None, *, url: str | None = None
) -> Article | None:
    """One Article from an HTML page's main text and metadata (trafilatura); None when it has no article text.

    `url` is where the page was fetched from: it helps find the outlet and date, and becomes the
    article's url. Without a date in the metadata, htmldate (when installed) looks for one.
    """
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    _quiet_html_libraries()

    text = trafilatura.extract(html, include_comments=False, output_format="txt", with_metadata=False)
    meta = trafilatura.extract_metadata(html, default_url=url)
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
            "author": meta.author,
            "outlet": meta.sitename or meta.hostname,
            "url": meta.url,
            "language": meta.language,
        }
    header["date"] = _page_date(html, meta, url)
    if url:
        header["url"] = url
    return _article(_checked(header), "\n\n".join(paragraphs), source, _default_date(default_date))


_HTML_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext")


class _AsInformation(logging.Filter):
    """A warning of an HTML library about one page ("discarding data: None") becomes information,
    shown under -v only: what it means is said as a skip ("no article text in HTML")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, "INFO"
        return logging.getLogger().isEnabledFor(logging.INFO)


_AS_INFORMATION = _AsInformation()


def _quiet_html_libraries() -> None:
    """Put _AsInformation on the loggers of the HTML libraries (each module's: a logger's filters
    do not apply to its children's records)."""
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in _HTML_LIBRARIES:
            library = logging.getLogger(name)
            if _AS_INFORMATION not in library.filters:
                library.addFilter(_AS_INFORMATION)


def _page_date(html: str, meta: Any, url: str | None) -> str | None:
    if meta is not None and meta.date and (parsed := parse_date(meta.date)):
        return parsed
    try:
        from htmldate import find_date  # comes with trafilatura, but is not ours to require
    except ImportError:  # pragma: no cover - trafilatura always brings it
        return None
    try:
        # Not the extensive search: dates in free text ("since 2019") are not the publication date.
        found = find_date(html, url=url, extensive_search=False, original_date=True)
    except Exception:  # a heuristic that fails gives no date; it must not lose the article
        return None
    return parse_date(found) if found else None


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


def is_url(path: str) -> bool:
    """Whether a source argument is an http(s) URL to fetch rather than a path."""
    return path[:8].lower().startswith(URL_SCHEMES)


def is_feed(text: str) -> bool:
    """Whether `text` is an RSS (0.9x, 1.0/RDF, 2.0) or Atom feed, judged by its first element."""
    return _FEED_START.match(text, 0, 100_000) is not None


def _one_line(text: object, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _xml_error(error: object) -> str:
    if hasattr(error, "getMessage") and hasattr(error, "getLineNumber"):  # expat's SAXParseException
        return _one_line(f"{error.getMessage()} at line {error.getLineNumber()}, column {error.getColumnNumber()}")
    return _one_line(error) or type(error).__name__


def _from_text(
    text: str, source: str, is_html: bool | None, default_date: str | None, on_note: OnNote, url: str | None = None
) -> Article | Skipped:
    if is_html is None:
        is_html = _HTML_START.match(text) is not None
    if is_html:
        article = article_from_html(text, source, default_date, url=url)
        return article if article is not None else Skipped(source, "no article text in HTML")
    header, body, notes = parse_header(text, source=source)
    if not body.strip():
        return Skipped(source, "no article text after the header")
    for note in notes:
        on_note(note)
    return _article(header, body, source, _default_date(default_date), plain=True)


def _record_article(record: Any, where: str, default_date: str | None, on_note: OnNote) -> Article | Skipped:
    """One JSONL record as an Article; Skipped(where, reason) when it is not one. A metadata value
    that is not usable is left out with a Note to `on_note`, as in a text header."""
    if not isinstance(record, dict):
        return Skipped(where, f"not a JSON object but {type(record).__name__}")
    body = None
    for key in ("body", "text"):
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return Skipped(where, f"{key!r} is not a string")
        if value.strip():
            body = value
            break
    if body is None:
        return Skipped(where, "no article text ('body' or 'text')")
    source = record.get("source")
    source = " ".join(source.split()) if isinstance(source, str) and source.strip() else where
    meta = [(key, record.get(key)) for key in JSONL_FIELDS if key != "source"]
    fields, notes = read_metadata(meta, source, where="field")
    for note in notes:
        on_note(note)
    return _article(fields, body, source, default_date, plain=True)


def _byte_lines(chunks: Iterable[bytes], limit: int) -> Iterator[bytes | None]:
    """The lines of a byte stream, each with at most `limit` bytes; None stands for a longer line,
    whose bytes are dropped as they arrive so that memory stays bounded."""
    pending = b""
    too_long = False
    for chunk in chunks:
        pending += chunk
        start = 0
        while (end := pending.find(b"\n", start)) >= 0:
            yield None if too_long or end + 1 - start > limit else pending[start : end + 1]
            too_long = False
            start = end + 1
        pending = pending[start:]
        if len(pending) > limit:
            pending, too_long = b"", True
    if too_long:
        yield None
    elif pending:
        yield pending


def _read_chunks(stream: IO[Any], size: int = 1 << 16) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


class _HTMLText(html.parser.HTMLParser):
    """The text of an HTML fragment (a feed item's content), block elements as paragraph breaks."""

    BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"}
        | {"tr", "table", "section", "article"}
    )
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_text(fragment: str) -> str:
    parser = _HTMLText()
    parser.feed(fragment)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _entry_text(entry: Any) -> str:
    """A feed item's own text: its longest content, else its summary, as plain text."""
    details = list(entry.get("content") or [])
    if entry.get("summary"):
        details.append(entry.get("summary_detail") or {"type": "text/html", "value": entry["summary"]})
    best = ""
    for detail in details:
        value = detail.get("value") or ""
        text = " ".join(value.split()) if detail.get("type") == "text/plain" else _html_text(value)
        if len(text) > len(best):
            best = text
    return best


def _entry_date(entry: Any) -> str | None:
    """The item's publication date as written (its own offset, not converted to UTC), YYYY-MM-DD."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        date = parse_date(raw)
        if date is not None:
            return date
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def directory_files(directory: str) -> list[str]:
    """Files under `directory` with a source suffix, recursively, hidden ones left out, in a stable order."""
    return [entry for entry in directory_entries(directory) if isinstance(entry, str)]


def directory_entries(directory: str) -> list[str | Skipped]:
    """What directory_files lists, and in its place a Skipped for what cannot be read as a file: a
    subdirectory that cannot be listed, and an entry with a source suffix that is not a regular file
    (a named pipe would block the run until something writes to it, a device might never end)."""
    found: list[tuple[tuple[str, ...], str | Skipped]] = []

    def unlistable(error: OSError) -> None:
        where = error.filename or directory
        rel = Path(where).relative_to(directory).parts if where != directory else ()
        why = f"directory cannot be read ({error.strerror or error}); its files are left out"
        found.append((rel, Skipped(where, why)))

    for root, dirs, files in os.walk(directory, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(root).relative_to(directory).parts
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in SOURCE_SUFFIXES:
                continue
            path = os.path.join(root, name)
            kind = _not_regular(path)
            found.append(((*rel, name), Skipped(path, f"not a regular file but {kind}") if kind else path))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


def _not_regular(path: str) -> str | None:
    """What a path is when it is not a regular file (after symbolic links), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"unreadable ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a character device"}
    kinds |= {stat.S_ISBLK: "a block device", stat.S_ISDIR: "a directory"}
    return next((kind for test, kind in kinds.items() if test(mode)), "a special file")


def read_sources(
    paths: list[str],
    *,
    default_date: str | None = None,
    max_bytes: int = 5_000_000,
    stdin: IO[Any] | None = None,
    timeout: float = 20.0,
    seen: Callable[[str], bool] | None = None,
    follow_links: bool = True,
    fetcher: Fetcher | None = None,
    on_note: OnNote | None = None,
) -> Iterator[Article | Skipped]:
    """Articles from files, directories, http(s) URLs and `-` (stdin), in order, streamed.

    Directories are read recursively (.txt .md .html .htm .jsonl .ndjson .rss .atom .xml). A file,
    page or stdin whose content is an RSS or Atom feed gives one article per item: the page its link
    points to, else the item's own text when it has MIN_FEED_WORDS words. `.jsonl` files and stdin
    that starts with `{` hold one JSON article per line (`body` or `text`, and JSONL_FIELDS).

    A path that does not exist raises InputError before anything is read. Whatever else cannot
    become an article (unreadable, binary, empty, larger than `max_bytes`, HTML without article
    text, an HTTP error, a bad JSONL line) is yielded as Skipped with a one-line reason.
    A metadata value (text header, JSONL field) that is read differently or left out goes to
    `on_note` as a Note (default: a warning on the log); its article is still read.
    `default_date` is the article date where the source gives none. URLs are fetched with
    `timeout` seconds per try; `seen(url)` true skips a URL or feed item as "already ingested"
    before it is fetched; `follow_links=False` reads feed items from the feed alone.
    """
    check_sources(paths, default_date)
    reader = _Reader(_default_date(default_date), max_bytes, timeout, seen, follow_links, fetcher, on_note or log_note)
    try:
        for path in paths:
            if path == STDIN:
                yield from reader.stdin(stdin if stdin is not None else sys.stdin)
            elif is_url(path):
                yield from reader.url(path)
            elif os.path.isdir(path):
                for entry in directory_entries(path):
                    if isinstance(entry, Skipped):
                        yield entry
                    else:
                        yield from reader.file(entry)
            else:
                yield from reader.file(path)
    finally:
        reader.close()


def check_sources(paths: list[str], default_date: str | None = None) -> None:
    """Raise InputError for what would stop read_sources before it reads anything: a path that does
    not exist, a default date that is not one. Cheap, so callers run it before slow set-up."""
    for path in paths:
        if path != STDIN and not is_url(path) and not os.path.lexists(path):
            raise InputError(f"{path}: no such file or directory")
    _default_date(default_date)


def _read_bytes(path: str, max_bytes: int) -> bytes | Skipped:
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                return Skipped(path, f"file larger than {max_bytes} bytes")
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return Skipped(path, error.strerror or str(error))
    if len(data) > max_bytes:  # a file that grew, or a device without a size
        return Skipped(path, f"file larger than {max_bytes} bytes")
    return data


@dataclass(frozen=True)
class _GivenUp:
    """A feed item not fetched because its host kept failing (said once per feed and host)."""

    host: str


def _host(url: str) -> str | None:
    """The host (and port, when the URL gives one) a URL is fetched from."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    except ValueError:  # a malformed port or IPv6 address
        return None


class _Reader:
    """What reading one list of sources shares: its options, and a Fetcher opened on first need."""

    def __init__(
        self,
        default_date: str | None,
        max_bytes: int,
        timeout: float,
        seen: Callable[[str], bool] | None,
        follow_links: bool,
        fetcher: Fetcher | None,
        on_note: OnNote,
    ) -> None:
        self.default_date = default_date
        self.on_note = on_note
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.seen = seen
        self.follow_links = follow_links
        self._fetcher = fetcher
        self._owns_fetcher = fetcher is None
        self._failing: dict[str, tuple[int, str]] = {}  # host -> (failures in a row, the last reason)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from newsgraph.ingest.fetch import Fetcher  # httpx only when something is fetched

            self._fetcher = Fetcher(timeout=self.timeout, max_bytes=self.max_bytes)
        return self._fetcher

    def close(self) -> None:
        if self._owns_fetcher and self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def _fetch(self, url: str) -> Page | Skipped:
        """The page at `url`, or why not (including "already ingested", before and after redirects)."""
        from newsgraph.ingest.fetch import FetchError

        if self.seen is not None and self.seen(url):
            return Skipped(url, "already ingested")
        host = _host(url)
        try:
            page = self.fetcher.get(url)
        except FetchError as error:
            if error.host_down and host:
                self._failing[host] = (self._failing.get(host, (0, ""))[0] + 1, _one_line(error))
            return Skipped(url, _one_line(error))
        self._failing.pop(host, None)
        if self.seen is not None and page.url != url and self.seen(page.url):
            return Skipped(url, "already ingested")
        return page

    # -- files and stdin ----------------------------------------------------------------------------

    def file(self, path: str) -> Iterator[Article | Skipped]:
        suffix = Path(path).suffix.lower()
        if suffix in JSONL_SUFFIXES:  # streamed line by line: a corpus file may be larger than max_bytes
            try:
                with open(path, "rb") as handle:
                    yield from self.jsonl(_read_chunks(handle), path)
            except OSError as error:
                yield Skipped(path, error.strerror or str(error))
            return
        data = _read_bytes(path, self.max_bytes)
        if isinstance(data, Skipped):
            yield data
            return
        yield from self.local(data, path, suffix)

    def stdin(self, stream: IO[Any]) -> Iterator[Article | Skipped]:
        stream = getattr(stream, "buffer", stream)  # bytes where the stream has them, so decoding is ours
        head = stream.read(self.max_bytes + 1)
        if isinstance(head, str):
            head = head.encode("utf-8")
        if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
            yield from self.jsonl(itertools.chain([head], _read_chunks(stream)), STDIN_SOURCE)
        elif len(head) > self.max_bytes:
            yield Skipped(STDIN_SOURCE, f"file larger than {self.max_bytes} bytes")
        else:
            yield from self.local(head, STDIN_SOURCE, "")

    def local(self, data: bytes, source: str, suffix: str) -> Iterator[Article | Skipped]:
        if _is_binary(data):
            yield Skipped(source, "binary file")
            return
        text = decode(data)
        if not text.strip():
            yield Skipped(source, "empty file")
        elif is_feed(text):
            yield from self.feed(data, source, None)
        elif suffix in FEED_SUFFIXES:
            yield Skipped(source, "not an RSS or Atom feed")
        else:
            is_html = True if suffix in HTML_SUFFIXES else False if suffix in TEXT_SUFFIXES else None
            yield _from_text(text, source, is_html, self.default_date, self.on_note)

    def jsonl(self, chunks: Iterable[bytes], source: str) -> Iterator[Article | Skipped]:
        for lineno, line in enumerate(_byte_lines(chunks, self.max_bytes), 1):
            where = f"{source}:{lineno}"
            if line is None:
                yield Skipped(where, f"line larger than {self.max_bytes} bytes")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(decode(line))
            except json.JSONDecodeError as error:
                yield Skipped(where, f"invalid JSON: {error.msg} at column {error.colno}")
                continue
            except (ValueError, RecursionError) as error:
                yield Skipped(where, f"invalid JSON: {_one_line(error) or type(error).__name__}")
                continue
            yield _record_article(record, where, self.default_date, self.on_note)

    # -- the web ------------------------------------------------------------------------------------

    def url(self, url: str) -> Iterator[Article | Skipped]:
        page = self._fetch(url)
        if isinstance(page, Skipped):
            yield page
            return
        path = urlsplit(page.url).path.lower()
        if "json" in page.media_type or path.endswith(tuple(JSONL_SUFFIXES)):
            yield from self.jsonl([page.data], url)
            return
        if not _is_binary(page.data) and is_feed(page.text()):
            yield from self.feed(page.data, url, page.url)
            return
        yield self.page_article(page, url, self.default_date)

    def page_article(self, page: Page, source: str, default_date: str | None) -> Article | Skipped:
        """The article on a fetched page (HTML or text; not a feed), with url = the final URL."""
        if _is_binary(page.data):
            return Skipped(source, "binary content")
        text, charset_note = page.decoded()
        if charset_note:
            self.on_note(Note(source, charset_note))
        if not text.strip():
            return Skipped(source, "empty page")
        if is_feed(text):
            return Skipped(source, "a feed, not an article page")
        is_html = page.media_type in ("text/html", "application/xhtml+xml") or _HTML_START.match(text) is not None
        if not is_html and ("xml" in page.media_type or _XML_START.match(text)):
            return Skipped(source, "XML that is not an RSS or Atom feed")
        item = _from_text(text, source, is_html, default_date, self.on_note, url=page.url)
        if isinstance(item, Article) and item.url is None:
            item.url = page.url
        return item

    def feed(self, data: bytes, source: str, base: str | None) -> Iterator[Article | Skipped]:
        import io

        import feedparser  # imported here: only feeds need it

        parsed = feedparser.parse(io.BytesIO(data))  # a stream, never a string: feedparser would fetch URLs
        if not parsed.entries:
            if parsed.get("bozo"):
                yield Skipped(source, f"feed could not be parsed: {_xml_error(parsed.get('bozo_exception'))}")
            else:
                yield Skipped(source, "feed has no items")
            return
        channel = parsed.feed
        base = base or channel.get("link")
        shared = {"outlet": channel.get("title"), "language": channel.get("language")}
        given_up: dict[str, int] = {}  # host -> items not fetched because it kept failing
        for index, entry in enumerate(parsed.entries, 1):
            item = self.feed_item(entry, f"{source}#{index}", base, shared)
            if isinstance(item, _GivenUp):
                given_up[item.host] = given_up.get(item.host, 0) + 1
            else:
                yield item
        for host, n in given_up.items():
            failures, last = self._failing[host]
            yield Skipped(
                f"{source} ({n} item{'s' if n != 1 else ''})",
                f"not fetched: {host} failed {failures} times in a row (last: {last}), and the feed's own text"
                " is too short",
                items=n,
            )

    def feed_item(
        self, entry: Any, label: str, base: str | None, shared: dict[str, Any]
    ) -> Article | Skipped | _GivenUp:
        link = (entry.get("link") or "").strip()
        if link and base:
            link = urljoin(base, link)
        source = link if is_url(link) else label  # a javascript: or mailto: link names no place to read it
        title = entry.get("title")
        if title and (entry.get("title_detail") or {}).get("type") == "text/html":
            title = _html_text(title)
        meta = {**shared, "title": title, "author": entry.get("author"), "date": _entry_date(entry), "url": link}
        if not link:
            reason = "the item has no link"
        elif not is_url(link):
            reason = "the item link is not an http(s) URL"
        elif not self.follow_links:
            reason = "item pages are not fetched"
        elif self._failing.get(host := _host(link) or "", (0, ""))[0] >= HOST_FAILURES:
            reason = ""  # said once for all of the host's items (see feed)
        else:
            page = self._fetch(link)
            if isinstance(page, Skipped) and page.reason == "already ingested":
                return page
            item = page if isinstance(page, Skipped) else self.page_article(page, link, None)
            if isinstance(item, Article):
                return self._fill(item, meta)
            reason = item.reason
        text = _entry_text(entry)
        words = len(text.split())
        if words >= MIN_FEED_WORDS:
            return _article(_checked(meta), text, source, self.default_date)
        if not reason:
            return _GivenUp(host)
        return Skipped(source, f"{reason}, and the feed's own text is too short ({words} words)")

    def _fill(self, article: Article, meta: dict[str, Any]) -> Article:
        """The item page's article completed from the feed: the feed's date wins (it is structured data)."""
        meta = _checked(meta)
        article.date = meta.get("date") or article.date or self.default_date
        for key in ("title", "author", "outlet", "language"):
            if not getattr(article, key) and meta.get(key):
                setattr(article, key, meta[key])
        return article
