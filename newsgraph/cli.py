"""The newsgraph command line: parse options, call the library, print, and map errors to exit codes.

Machine output (JSON, JSONL, CSV, RDF) goes to stdout; progress, summaries and errors to stderr.
Exit codes: 0 success, 1 failure (store, runtime), 2 bad usage or bad input.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from newsgraph import __version__
from newsgraph.errors import InputError, NewsgraphError, QueryError

PROGRESS_THRESHOLD = 3
STORE_HELP = (
    "Graph store URI: embedded:PATH (default, per-user) or bolt://, neo4j://, neo4j+s:// (env NEWSGRAPH_STORE)."
)


def _example(*lines: str) -> str:
    """The epilog that ends a command's --help: its example command lines, kept as written."""
    return "\b\nExample:\n" + "\n".join("  " + line for line in lines)


# ---- output helpers ---------------------------------------------------------------------------
def _stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


# In tables, an evidence sentence is cut to this many characters (json, jsonl and csv keep it whole).
EVIDENCE_IN_TABLES = 90
TEXT_COLUMNS = ("evidence", "sentence", "quote")


def _print_rows(
    rows: list[dict[str, Any]], fmt: str, title: str | None = None, header: list[str] | None = None
) -> None:
    """Rows as json, jsonl, csv (every value whole) or a table for reading: event ids as printed
    short (`explain` takes them), never wrapped; evidence cut; `header` columns (the same on every
    row) printed once above the table; a row or a column with no value at all left out."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        click.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table

        from newsgraph.model import short_event_id

        # Piped output keeps whole cells readable instead of folding them to 80 columns (COLUMNS rules).
        wide = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
        console = Console(highlight=False, markup=False, width=None if wide else 240)
        header = [c for c in header or [] if c in columns]
        if header and rows:
            for key in header:
                console.print(f"{key}: {_cell(rows[0].get(key)) or '-'}", soft_wrap=True)
        columns = [c for c in columns if c not in header]

        def shown(column: str, value: Any) -> str:
            text = _cell(value)
            if column == "id" and text.startswith("ev_"):
                return short_event_id(text)
            if column in TEXT_COLUMNS and len(text) > EVIDENCE_IN_TABLES:
                return text[: EVIDENCE_IN_TABLES - 1].rstrip() + "…"
            return text

        cells = [[shown(c, row.get(c)) for c in columns] for row in rows]
        cells = [line for line in cells if any(line)]
        kept = [i for i in range(len(columns)) if any(line[i] for line in cells)] if cells else range(len(columns))
        columns = [columns[i] for i in kept]  # a column empty in every row says nothing
        cells = [[line[i] for i in kept] for line in cells]
        table = Table(title=title, show_lines=False)
        for i, col in enumerate(columns):
            if col in ("id", "date") or col.endswith("_id"):  # whole, to paste: never wrapped nor cut
                width = max([len(col), *(len(line[i]) for line in cells)])
                table.add_column(col, no_wrap=True, min_width=width)
            else:
                table.add_column(col, overflow="fold")
        for line in cells:
            table.add_row(*line)
        console.print(table)
        if not cells:
            click.echo("(no rows)" if not header or not rows else "(no events)", err=True)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _say(message: str) -> None:
    """One line on stderr; above the progress display while one shows, never into its line."""
    if _Progress.console is not None:
        _Progress.console.print(message, markup=False, highlight=False, soft_wrap=True)
    else:
        click.echo(message, err=True)


class _SayHandler(logging.Handler):
    """Log records through _say, so that logs too print above the progress display."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            _say(self.format(record))
        except Exception:  # noqa: BLE001 (logging must never raise)
            self.handleError(record)


class _Progress:
    """Progress on stderr for long work: what it is starting (`starting`, e.g. loading the pipeline)
    until the first item is done, then a bar towards `total` (a running count when it is not known).
    Shown on a terminal (NEWSGRAPH_PROGRESS=1 forces it, 0 hides it) for more than PROGRESS_THRESHOLD items."""

    console: Any = None  # the console of the display showing now, for _say

    def __init__(self, label: str, total: int | None = None, starting: str | None = None):
        self.label, self.total, self.starting = label, total, starting
        self.done = 0
        self._first: float | None = None  # when the first item was done
        self._bar: Any = None
        self._task: Any = None

    @staticmethod
    def wanted(total: int | None) -> bool:
        wanted = os.environ.get("NEWSGRAPH_PROGRESS")
        if wanted == "0" or (not sys.stderr.isatty() and wanted != "1"):
            return False
        return total is None or total > PROGRESS_THRESHOLD

    def __enter__(self) -> _Progress:
        if not self.wanted(self.total):
            return self
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

        class WhenCounting(BarColumn):
            """The bar, only once counting has started and when the total is known."""

            def __init__(self, column) -> None:
                super().__init__()
                self.column = column

            def render(self, task):
                from rich.text import Text

                return self.column.render(task) if task.fields["counting"] and task.total else Text("")

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            WhenCounting(BarColumn()),
            TextColumn("{task.fields[count]}"),
            WhenCounting(TimeRemainingColumn()),
            console=_stderr(),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._bar.__enter__()
        _Progress.console = self._bar.console
        description, count = (self.starting, "") if self.starting else (self.label, self._count())
        self._task = self._bar.add_task(description, total=self.total, count=count, counting=not self.starting)
        return self

    def _count(self) -> str:
        """`12/40 articles, 3.1/s`: the rate over the items since the first was done (the pipeline's
        loading is not in it), once there are two."""
        count = f"{self.done}/{self.total} articles" if self.total else _plural(self.done, "article")
        elapsed = time.monotonic() - self._first if self._first is not None else 0.0
        if self.done > 1 and elapsed > 0:
            count += f", {(self.done - 1) / elapsed:.1f}/s"
        return count

    def advance(self, n: int = 1) -> None:
        if self._first is None:
            self._first = time.monotonic()
        self.done += n
        if self._bar is not None:
            self._bar.update(
                self._task, description=self.label, completed=self.done, count=self._count(), counting=True
            )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            _Progress.console = None
            self._bar.__exit__(*exc)
            self._bar = None


def _progress(items: Iterable, total: int | None, label: str) -> Iterator:
    """Items as they come, with a _Progress on stderr (the demo's hook)."""
    with _Progress(label, total, starting="loading the spaCy pipeline") as progress:
        for item in items:
            progress.advance()
            yield item


# ---- shared option handling -------------------------------------------------------------------
def _settings(pipeline: str | None, gazetteer: str | None):
    """Extraction settings; the user's gazetteer is read here, so that a bad one is said before the
    pipeline loads."""
    from newsgraph.ingest.gazetteer import load_gazetteer
    from newsgraph.ingest.pipeline import Settings

    if gazetteer:
        load_gazetteer(gazetteer)
    return Settings(pipeline=pipeline, gazetteer=gazetteer)


class _Inputs:
    """The articles behind the paths, streamed; skipped inputs and metadata notes are reported on
    stderr and counted. Paths and the default date are checked here, before anything slow starts."""

    def __init__(self, paths: tuple[str, ...], date: str | None, *, strict: bool = False, seen=None, **options):
        from newsgraph.ingest.sources import check_sources

        if not paths:
            raise InputError("no input: give files, directories, URLs, feeds, .jsonl, or - for standard input")
        check_sources(list(paths), date)
        self.paths, self.date, self.strict, self.seen, self.options = paths, date, strict, seen, options
        self.read = 0
        self.skipped: dict[str, int] = {}
        self.progress = _Progress("extracting")  # replaced by the one showing, if any

    def __iter__(self):
        from newsgraph.ingest.sources import Skipped, read_sources

        items = read_sources(
            list(self.paths), default_date=self.date, seen=self.seen, on_note=self.note, **self.options
        )
        for item in items:
            if isinstance(item, Skipped):
                kind = item.reason.split(":")[0] if item.reason.startswith(("HTTP", "unreachable")) else item.reason
                self._skipped(item.source, item.reason, kind)
                continue
            self.read += 1
            yield item

    def _skipped(self, source: str, reason: str, kind: str, detail: str = "") -> None:
        """Say a skip (its `detail` under -v), count it under `kind` for the summary, advance the
        progress; --strict ends the run."""
        self.skipped[kind] = self.skipped.get(kind, 0) + 1
        _say(f"newsgraph: skipped {source}: {reason}")
        if detail:
            logging.getLogger("newsgraph").info("%s", detail.rstrip())
        self.progress.advance()
        if self.strict:
            raise InputError(f"{source}: {reason} (and --strict is set)")

    def total(self) -> int | None:
        """How many articles the paths hold, when that is known without reading them: files and
        directories of text and HTML only (a .jsonl file, a feed, a URL or stdin may hold any number)."""
        from newsgraph.ingest.sources import HTML_SUFFIXES, TEXT_SUFFIXES, directory_files

        count = 0
        for path in self.paths:
            files = directory_files(path) if os.path.isdir(path) else [path]
            if any(Path(f).suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES for f in files):
                return None
            count += len(files)
        return count

    def skip(self, source: str, reason: str, detail: str = "") -> None:
        """An article read but left out (as a Skipped from the sources is)."""
        self.read -= 1
        self._skipped(source, reason, reason.split(" (")[0], detail)

    def note(self, note) -> None:
        """A metadata value read differently or left out: said once; with --strict, the end of the run."""
        _say(f"newsgraph: note: {note.source}: {note.message}")
        if self.strict:
            raise InputError(f"{note.source}: {note.message} (and --strict is set)")

    def failed(self, failure) -> None:
        """An article read but not extracted: a skip like an unreadable input (traceback under -v)."""
        self.skip(failure.source, failure.reason, failure.detail)

    def check(self) -> None:
        """After the run: fail when nothing at all could be read (already-ingested inputs are fine)."""
        if self.read == 0 and set(self.skipped) - {"already ingested"}:
            raise InputError("nothing could be read from " + ", ".join(self.paths))
        if self.read == 0 and not self.skipped:
            raise InputError("no articles in " + ", ".join(self.paths))

    def summary(self) -> str:
        total = sum(self.skipped.values())
        if not total:
            return ""
        reasons = "; ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items(), key=lambda kv: -kv[1]))
        return f"{total} skipped ({reasons})"


class _Claims:
    """The urls and sources of the articles one run has read: a second article claiming one of them
    would replace the first in the store, and one of the two inputs must be wrong about it."""

    def __init__(self) -> None:
        self.owners: dict[str, tuple[str, str]] = {}  # url or source -> (article id, its source)

    def clash(self, article) -> str | None:
        """Why `article` cannot go in beside those read before it in this run (None when it can)."""
        from newsgraph.model import replacing_source

        keys = [("url", article.url), ("source", replacing_source(article.source))]
        for what, key in keys:
            owner = self.owners.get(key) if key else None
            if owner is not None and owner[0] != article.id:  # the same text twice is no clash
                return f"same {what} as {owner[1]}, read before it ({key}); it would replace that article"
        for _, key in keys:
            if key:
                self.owners.setdefault(key, (article.id, article.source))
        return None


def _source_options(f):
    f = click.option(
        "--timeout",
        default=20.0,
        show_default=True,
        type=click.FloatRange(0.1),
        help="Seconds to wait for a URL or feed item.",
    )(f)
    f = click.option(
        "--max-bytes",
        default=5_000_000,
        show_default=True,
        type=click.IntRange(1),
        help="Skip files and pages larger than this.",
    )(f)
    f = click.option("--no-follow", is_flag=True, help="Use a feed item's own text; do not fetch its page.")(f)
    f = click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Extraction processes.")(f)
    return f


def _extract_all(articles, settings, inputs: _Inputs, workers: int = 1) -> Iterator:
    """The extractions of `articles`, with progress on stderr: the pipeline loading, then the
    articles done (extracted, skipped or already stored) out of the inputs' total when it is known."""
    from newsgraph.ingest.pipeline import extract_parallel

    starting = "loading the spaCy pipeline" if workers == 1 else f"starting {workers} extraction workers"
    with _Progress("extracting", inputs.total() if _Progress.wanted(None) else None, starting) as progress:
        inputs.progress = progress
        for ex in extract_parallel(articles, settings, workers=workers, on_error=inputs.failed):
            progress.advance()
            yield ex


def _store_options(f):
    f = click.option("--store", "store_uri", envvar="NEWSGRAPH_STORE", help=STORE_HELP)(f)
    f = click.option("--username", envvar="NEO4J_USERNAME", help="Neo4j user (env NEO4J_USERNAME).")(f)
    f = click.option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password (env NEO4J_PASSWORD).")(f)
    f = click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE).")(f)
    return f


def _read_options(f):
    """Store options for commands that only read, plus a time limit per query."""
    f = _store_options(f)
    return click.option("--query-timeout", type=click.FloatRange(0.001), help="Stop a query after this many seconds.")(
        f
    )


class _EmptyStore:
    """Stands in for an embedded store that does not exist yet, so `ingest --dry-run` creates nothing."""

    def __init__(self, uri: str):
        self.uri = uri

    def query(self, cypher, params=None):
        return []

    def counts(self):
        return {"articles": 0, "actors": 0, "events": 0}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _open_for_ingest(store_uri, username, password, database, dry_run: bool):
    from newsgraph.graph.store import default_store_uri

    uri = store_uri or os.environ.get("NEO4J_URI") or default_store_uri()
    if dry_run and uri.startswith("embedded:") and not Path(uri.removeprefix("embedded:")).exists():
        return _EmptyStore(uri)
    return _open(uri, username, password, database, read_only=dry_run, create=True)


def _open(
    store_uri: str | None, username=None, password=None, database=None, read_only=False, timeout=None, create=False
):
    """The store the options name. Only ingest and load (`create`) make an embedded store that is not there."""
    from newsgraph.graph.store import open_store

    uri = store_uri or os.environ.get("NEO4J_URI") or None
    options = {k: v for k, v in (("username", username), ("password", password), ("database", database)) if v}
    if uri and uri.startswith("embedded:"):
        options = {}
    if timeout:
        options["timeout"] = timeout
    return open_store(uri, read_only=read_only, create=create, **options)


def _nlp_options(f):
    f = click.option(
        "--pipeline",
        envvar="NEWSGRAPH_PIPELINE",
        help="spaCy pipeline to load (package or path); default: the best installed English one.",
    )(f)
    f = click.option(
        "--gazetteer",
        envvar="NEWSGRAPH_GAZETTEER",
        type=click.Path(dir_okay=False),
        help="Your actor gazetteer YAML, added on top of the packaged one.",
    )(f)
    f = click.option(
        "--date", "date", callback=_day_option, help="Article date YYYY-MM-DD where a file's header has none."
    )(f)
    return f


def _day_option(ctx, param, value: str | None) -> str | None:
    """An option that takes one day (YYYY-MM-DD), checked as it is parsed, before any slow work."""
    from newsgraph.ingest.metadata import parse_date

    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise InputError(f"--{param.name} {value!r}: not a date (expected YYYY-MM-DD)")
    return day


def _category_option(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """Event categories of the taxonomy (any case); a mistyped one is an error naming the closest."""
    from newsgraph.queries import Param, coerce

    try:
        return tuple(coerce(Param(f"--{param.name}", "category"), v) for v in values)
    except QueryError as exc:
        raise InputError(str(exc)) from None


# ---- commands ---------------------------------------------------------------------------------
@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_example("newsgraph demo", "newsgraph ingest articles/ && newsgraph viz -o story.html"),
)
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-v", "--verbose", is_flag=True, help="Log what newsgraph does (to stderr).")
def cli(verbose: bool) -> None:
    """newsgraph: news articles to a knowledge graph of actors and events."""
    handler = _SayHandler()
    handler.setFormatter(logging.Formatter("newsgraph: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


@cli.command(
    epilog=_example(
        "newsgraph extract articles/ --format jsonl > extraction.jsonl",
        "newsgraph extract https://example.org/news/1 --format table",
    )
)
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl", show_default=True)
@_nlp_options
@_source_options
@click.option("--shard", metavar="I/K", help="Only the articles whose content hash falls in shard I of K (0-based).")
def extract(paths, fmt, pipeline, gazetteer, date, timeout, max_bytes, no_follow, workers, shard):
    """Extract actors and events from articles and print them.

    PATHS are files, directories (.txt .md .html .jsonl, feeds), URLs, RSS/Atom feeds, or - for stdin.
    """
    inputs = _Inputs(paths, date, timeout=timeout, max_bytes=max_bytes, follow_links=not no_follow)
    articles = iter(inputs)
    if shard:
        index, count = _parse_shard(shard)
        articles = (a for a in articles if int(a.content_hash[:12], 16) % count == index)
    results = _extract_all(articles, _settings(pipeline, gazetteer), inputs, workers)
    if fmt == "jsonl":
        for ex in results:
            click.echo(json.dumps(ex.to_dict(), ensure_ascii=False))
    elif fmt == "json":
        click.echo(json.dumps([ex.to_dict() for ex in results], ensure_ascii=False, indent=2))
    else:
        for ex in results:
            _print_extraction_table(ex)
    inputs.check()
    if inputs.summary():
        click.echo(f"newsgraph: {inputs.read} extracted, {inputs.summary()}", err=True)


def _parse_shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise InputError(f"--shard {text!r}: expected I/K, e.g. 0/4") from None
    if not 0 <= index < count:
        raise InputError(f"--shard {text!r}: I must be between 0 and K-1")
    return index, count


@cli.command(epilog=_example("newsgraph load shard-*.jsonl --store neo4j+s://<instance>.databases.neo4j.io"))
@click.argument("files", nargs=-1, required=True)
@_store_options
@click.option(
    "--gazetteer",
    envvar="NEWSGRAPH_GAZETTEER",
    type=click.Path(dir_okay=False),
    help="Your actor gazetteer YAML (its not_same entries keep actors apart).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 2) at the first line that is not an extraction.")
def load(files, store_uri, username, password, database, gazetteer, strict):
    """Load extractions made by `newsgraph extract --format jsonl` (e.g. on other machines) into the store.

    Nothing is extracted again; writes are per article and idempotent, as for `ingest`. A line that
    is not an extraction is skipped with a one-line reason and the others are loaded.
    """
    for path in files:
        if path != "-" and not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
    if gazetteer:
        from newsgraph.ingest.gazetteer import load_gazetteer

        load_gazetteer(gazetteer)  # a bad one is said before a store is made
    statuses: dict[str, int] = {}
    skipped = 0
    claimed = _Claims()
    with _open(store_uri, username, password, database, create=True) as store:
        writer = _writer(store, gazetteer)
        for path in files:
            handle = sys.stdin if path == "-" else _open_text(path)
            with handle:
                for where, extraction in _extraction_lines(handle, path):
                    if not isinstance(extraction, str):
                        extraction = claimed.clash(extraction.article) or extraction
                    if isinstance(extraction, str):
                        skipped += 1
                        _say(f"newsgraph: skipped {where}: {extraction}")
                        if strict:
                            raise InputError(f"{where}: {extraction} (and --strict is set)")
                        continue
                    result = writer(extraction)
                    statuses[result.status] = statuses.get(result.status, 0) + 1
        counts = store.counts()
    parts = [f"{n} {status}" for status, n in sorted(statuses.items())] + ([f"{skipped} skipped"] if skipped else [])
    click.echo(
        f"newsgraph: {', '.join(parts) or 'nothing loaded'}; store holds {counts['articles']} articles, "
        f"{counts['actors']} actors, {counts['events']} events ({store.uri})",
        err=True,
    )
    if skipped and not statuses:
        raise InputError("no extraction could be read from " + ", ".join(files))


def _extraction_lines(handle, path: str) -> Iterator[tuple[str, Any]]:
    """(FILE:LINE, the Extraction on it, or why it is not one) for each non-blank line."""
    from newsgraph.model import Extraction

    try:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("article"), dict):
                    raise ValueError("no 'article' object")
                yield f"{path}:{lineno}", Extraction.from_dict(record)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                yield f"{path}:{lineno}", f"not an extraction record ({_one_line(str(exc))[:80]})"
    except UnicodeDecodeError as exc:
        yield f"{path}", f"not UTF-8 text ({exc.reason} at byte {exc.start}); lines after it were not read"


def _writer(store, gazetteer: str | None):
    """Write one extraction, resolved against the store's actors; report each merge on stderr."""
    from newsgraph.graph.resolve import ResolvingWriter
    from newsgraph.ingest.gazetteer import load_gazetteer

    writer = ResolvingWriter(store, load_gazetteer(gazetteer))

    def write(extraction):
        result, merges = writer.write(extraction)
        for merge in merges:
            _say(f"newsgraph: merged '{merge.incoming_name}' into {merge.into_name} ({merge.reason})")
        return result

    return write


def _open_text(path: str):
    try:
        return open(path, encoding="utf-8")  # noqa: SIM115 (closed by the caller's with)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc


def _print_extraction_table(ex) -> None:
    names = {e.id: e.name for e in ex.entities}
    title = ex.article.title or ex.article.source
    _print_rows(
        [{"name": e.name, "type": e.type, "aliases": e.aliases, "mentions": len(e.mentions)} for e in ex.entities],
        "table",
        f"{title}: actors",
    )
    _print_rows(
        [
            {
                "category": v.category,
                "trigger": v.trigger,
                "agents": [names.get(a, a) for a in v.agents],
                "patients": [names.get(p, p) for p in v.patients],
                "date": v.date,
                "modality": v.modality,
                "sentence": v.evidence,
            }
            for v in ex.events
        ],
        "table",
        f"{title}: events",
    )


@cli.command(
    epilog=_example(
        "newsgraph ingest articles/ https://example.org/news/1 feed.xml", "newsgraph ingest --dry-run articles/"
    )
)
@click.argument("paths", nargs=-1)
@_store_options
@_nlp_options
@_source_options
@click.option("--strict", is_flag=True, help="Fail (exit 2) at the first input that cannot be read.")
@click.option("--dry-run", is_flag=True, help="Say what would be added, replaced or left unchanged; write nothing.")
@click.option(
    "--only-new",
    is_flag=True,
    help="Also skip URLs given here whose url is already stored (feed items already stored are always skipped).",
)
def ingest(
    paths,
    store_uri,
    username,
    password,
    database,
    pipeline,
    gazetteer,
    date,
    timeout,
    max_bytes,
    no_follow,
    workers,
    strict,
    dry_run,
    only_new,
):
    """Extract articles and load them into the graph store, one transaction per article.

    An article already stored with the same content is not extracted again; one whose url or source
    is stored with other content replaces it. PATHS are as for `extract`.
    """
    from newsgraph.graph.store import article_status

    statuses: dict[str, int] = {}
    # Feed items already stored are never fetched again; URLs named on the command line are,
    # so that a changed page replaces its old version, unless --only-new says otherwise.
    named = set(paths)

    def seen(url: str) -> bool:
        return (only_new or url not in named) and article_status(store, url=url) != "added"

    # Inputs and settings are checked before the store is opened: a typo creates no store.
    inputs = _Inputs(
        paths, date, strict=strict, seen=seen, timeout=timeout, max_bytes=max_bytes, follow_links=not no_follow
    )
    settings = _settings(pipeline, gazetteer)
    with _open_for_ingest(store_uri, username, password, database, dry_run) as store:
        claimed = _Claims()

        def changed():
            for article in inputs:
                if clash := claimed.clash(article):
                    inputs.skip(article.source, clash)
                    continue
                status = article_status(store, article)
                if status == "unchanged" or dry_run:
                    inputs.progress.advance()
                    statuses[status] = statuses.get(status, 0) + 1
                    if dry_run:
                        click.echo(f"{status}\t{article.id}\t{article.url or article.source}")
                    continue
                yield article

        writer = _writer(store, gazetteer)
        for ex in _extract_all(changed(), settings, inputs, workers):
            result = writer(ex)
            statuses[result.status] = statuses.get(result.status, 0) + 1
        inputs.check()
        counts = store.counts()
    parts = [f"{n} {status}" for status, n in sorted(statuses.items())]
    if inputs.summary():
        parts.append(inputs.summary())
    verb = "would be" if dry_run else "store holds"
    tail = (
        "nothing written"
        if dry_run
        else (f"{verb} {counts['articles']} articles, {counts['actors']} actors, {counts['events']} events")
    )
    click.echo(f"newsgraph: {', '.join(parts) or 'nothing to do'}; {tail} ({store.uri})", err=True)


@cli.command(epilog=_example("newsgraph remove https://example.org/news/1"))
@click.argument("article")
@_store_options
def remove(article, store_uri, username, password, database):
    """Remove an article (by id, url or source) and the actors and events left without any article."""
    with _open(store_uri, username, password, database) as store:
        before = store.counts()
        if not store.remove(article):
            raise InputError(f"{article}: no such article in the store")
        after = store.counts()
    gone = {key: before[key] - after[key] for key in ("articles", "events", "actors")}
    click.echo(
        f"newsgraph: removed {_plural(gone['articles'], 'article')} ({article}), its "
        f"{_plural(gone['events'], 'event')}, and {_plural(gone['actors'], 'actor')} no other article mentions;"
        f" store holds {after['articles']} articles, {after['actors']} actors, {after['events']} events",
        err=True,
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@cli.command(epilog=_example("newsgraph upgrade --store embedded:graph.lbug"))
@_store_options
def upgrade(store_uri, username, password, database):
    """Add the event sort keys and co-mention counts the catalogue reads to a store an older newsgraph
    made (any write adds them too)."""
    with _open(store_uri, username, password, database) as store:
        store.upgrade()
    click.echo(f"newsgraph: {store.uri} is up to date", err=True)


class _QueryGroup(click.Group):
    """`newsgraph query NAME …` runs a catalogue query, each with its own --help; `newsgraph query
    list` lists them."""

    def list_commands(self, ctx):
        from newsgraph.queries import catalogue

        return ["list", *catalogue()]

    def get_command(self, ctx, name):
        from newsgraph.queries import catalogue

        if name in catalogue():
            return _catalogue_command(name)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
        if args and self.get_command(ctx, args[0]) is None and not args[0].startswith("-"):
            return "run", self.commands["run"], args  # an unknown name: `run` says which are close
        return super().resolve_command(ctx, args)


@cli.group(
    cls=_QueryGroup,
    epilog=_example('newsgraph query timeline --param actor="Ruth Perry"', "newsgraph query timeline --help"),
)
def query():
    """Run a named query of the catalogue: `newsgraph query NAME --param key=value`.

    `newsgraph query list` shows the catalogue; `newsgraph query NAME --help` one query, its
    parameters and an example.
    """


@query.command("list", epilog=_example("newsgraph query list", "newsgraph query list --format json"))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
def query_list(fmt):
    """List the catalogue: what each query answers, its parameters and an example."""
    from newsgraph.queries import catalogue

    queries = list(catalogue().values())
    if fmt != "table":
        rows = [
            {
                "name": q.name,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "takes": p.describe(), "description": p.description}
                    for p in q.params
                ],
                "example": q.example,
            }
            for q in queries
        ]
        _print_rows(rows, fmt)
        return
    for q in queries:
        click.echo(f"{q.name}: {q.description}")
        click.echo(_parameter_lines(q.params, indent=2))
        if q.example:
            click.echo(f"  e.g. {q.example}")
        click.echo()
    click.echo("One query in full: newsgraph query NAME --help")


def _parameter_lines(params, indent: int) -> str:
    """Each parameter: its name and what it is for, then what it takes (type, allowed values, default)."""
    import textwrap

    if not params:
        return " " * indent + "(no parameters)"
    width = max(len(p.name) for p in params) + 2
    lines = []
    for p in params:
        pad = " " * (indent + width)
        lines.append(" " * indent + p.name.ljust(width) + (p.description or ""))
        lines += textwrap.wrap("takes: " + p.describe(), 96, initial_indent=pad, subsequent_indent=pad + "  ")
    return "\n".join(lines)


def _catalogue_command(name: str) -> click.Command:
    """`newsgraph query NAME`: the `run` command for one query, with that query's own help."""
    from newsgraph.queries import get

    q = get(name)
    help_text = f"{q.description}\n\n\b\nParameters (--param NAME=VALUE, repeatable):\n{_parameter_lines(q.params, 2)}"
    if q.header:
        help_text += f"\n\nA table prints {', '.join(q.header)} once, above the rows."
    return click.Command(
        name,
        callback=lambda **options: query_run.callback(name=name, **options),
        params=[p for p in query_run.params if p.name != "name"],
        help=help_text,
        short_help=q.description,
        epilog=_example(q.example) if q.example else None,
    )


@query.command("run", hidden=True)
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter, repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
@_read_options
def query_run(name, params, fmt, store_uri, username, password, database, query_timeout):
    from newsgraph.queries import check, get, run

    raw = {}
    for item in params:
        if "=" not in item:
            raise InputError(f"--param {item!r}: expected key=value")
        key, value = item.split("=", 1)
        raw[key.strip()] = value
    query = get(name)
    checked = check(query, raw)  # a mistyped name or value is said before the store is opened
    with _open(store_uri, username, password, database, read_only=True, timeout=query_timeout) as store:
        rows = run(store, name, raw)
    title = name + (": with the events of their speakers (via)" if checked.get("speakers") else "")
    _print_rows(rows, fmt, title, query.header)


@cli.command(epilog=_example('newsgraph cypher "MATCH (a:Actor) RETURN a.name, a.kind LIMIT 5"'))
@click.argument("statement", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False), help="Read the statement from a file.")
@click.option("--param", "-p", "params", multiple=True, help="key=value (values are strings), repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
@_read_options
def cypher(statement, file, params, fmt, store_uri, username, password, database, query_timeout):
    """Run an ad-hoc read-only Cypher statement (writes are refused)."""
    if file:
        statement = Path(file).read_text(encoding="utf-8")
    if not statement:
        raise InputError("give a Cypher statement or --file")
    raw = {}
    for item in params:
        if "=" not in item:
            raise InputError(f"--param {item!r}: expected key=value")
        key, value = item.split("=", 1)
        raw[key.strip()] = value
    with _open(store_uri, username, password, database, read_only=True, timeout=query_timeout) as store:
        try:
            rows = store.query(statement, raw)
        except QueryError as exc:  # the engine's own words, and what newsgraph was doing when it said them
            raise QueryError(f"running your Cypher statement on {store.uri}: {exc}") from exc
    _print_rows(rows, fmt)


def _selection(article, since, until, category):
    from newsgraph.graph.store import Selection

    return Selection(articles=list(article) or None, categories=list(category) or None, since=since, until=until)


@cli.command(
    epilog=_example(
        "newsgraph export --format ttl -o graph.ttl --validate",
        "newsgraph export --actor Ofsted --since 2023-01-01 --format jsonld",
    )
)
@click.option("--format", "fmt", default="ttl", show_default=True, help="ttl | nt | jsonld | xml | trig")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--base", default=None, help="Base IRI for actors, events and articles.")
@click.option("--article", multiple=True, help="Only these articles (id, url or source), repeatable.")
@click.option("--category", multiple=True, callback=_category_option, help="Only events of these categories.")
@click.option("--since", callback=_day_option, help="Only events on or after YYYY-MM-DD.")
@click.option("--until", callback=_day_option, help="Only events on or before YYYY-MM-DD.")
@click.option("--actor", multiple=True, help="Only events involving these actors (name, alias or id), repeatable.")
@click.option("--validate", is_flag=True, help="Validate the export against newsgraph's SHACL shapes.")
@_store_options
def export(
    fmt, output, base, article, category, since, until, actor, validate, store_uri, username, password, database
):
    """Export the graph (or a selection) as RDF: SEM events, schema.org actors, PROV-O, Web Annotations."""
    from newsgraph.graph import rdf
    from newsgraph.queries import resolve_article

    with _open(store_uri, username, password, database, read_only=True) as store:
        # Each --article must name a stored one: a typo would export no article and say nothing.
        selection = _selection([resolve_article(store, a) for a in article], since, until, category)
        selection.actors = [_resolve_actor(store, a) for a in actor] or None
        snap = store.snapshot(selection)
    kwargs = {"format": fmt}
    if base:
        kwargs["base"] = base
    if output:
        n = rdf.export(snap, output, **kwargs)
        click.echo(f"newsgraph: wrote {n} triples to {output}", err=True)
    else:
        rdf.export(snap, sys.stdout.buffer, **kwargs)
    if validate:
        if not output:
            raise InputError("--validate needs -o FILE")
        ok, report = rdf.validate(output)
        if not ok:
            click.echo(report, err=True)
            raise NewsgraphError(f"{output}: the export does not conform to the SHACL shapes")
        click.echo("newsgraph: SHACL validation passed", err=True)


@cli.command(
    epilog=_example('newsgraph sparql "SELECT ?n WHERE { ?a a schema:Person ; schema:name ?n }" --data graph.ttl')
)
@click.argument("statement", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False), help="Read the query from a .rq file.")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False),
    help="An RDF file to query (default: the current store, exported in memory).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
@_store_options
def sparql(statement, file, data, fmt, store_uri, username, password, database):
    """Run a SPARQL query over an RDF export or over the current store."""
    from newsgraph.graph import rdf

    if file:
        statement = Path(file).read_text(encoding="utf-8")
    if not statement:
        raise InputError("give a SPARQL query or --file")
    if data:
        source = data
    else:
        with _open(store_uri, username, password, database, read_only=True) as store:
            source = rdf.build_graph(store.snapshot())
    columns, rows = rdf.sparql(statement, source)
    _print_rows([{c: r.get(c) for c in columns} for r in rows], fmt)


@cli.command(
    epilog=_example(
        "newsgraph viz -o story.html", "newsgraph viz -o ofsted.html --actor Ofsted --hops 2 --since 2023-01-01"
    )
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--actor", help="Centre on this actor (name, alias or id) and draw its network within --hops.")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 6))
@click.option("--category", multiple=True, callback=_category_option, help="Only events of these categories.")
@click.option("--since", callback=_day_option, help="Only events on or after YYYY-MM-DD.")
@click.option("--until", callback=_day_option, help="Only events on or before YYYY-MM-DD.")
@click.option("--article", help="Only this article (id, url or source path).")
@click.option("--max-nodes", default=5000, show_default=True, type=click.IntRange(1))
@click.option("--events-as", type=click.Choice(["edges", "nodes"]), default="edges", show_default=True)
@_store_options
def viz(
    output, actor, hops, category, since, until, article, max_nodes, events_as, store_uri, username, password, database
):
    """Write an offline, self-contained HTML story map of actors and events.

    One arrow per pair of actors and direction, as wide as its events; events with one side only (a
    death, a statement) as rings on their actor; actors without events hidden (a toggle shows them).
    In the page: a time range, category filters, search, and a panel listing the events of the actor
    or pair clicked, with the sentence, the outlet and a link to the article. --actor centres and
    marks that actor. --events-as nodes draws every event as a node instead.
    """
    from newsgraph.graph import viz as viz_mod

    with _open(store_uri, username, password, database, read_only=True) as store:
        full = store.snapshot()
        actor_id = _resolve_actor(store, actor) if actor else None
    selection = {
        "actor": actor_id,
        "hops": hops,
        "categories": list(category) or None,
        "since": since,
        "until": until,
        "article": article,
    }
    snap = viz_mod.select(full, **selection)
    title = viz_mod.selection_title(full, **selection)
    result = viz_mod.render(snap, output, events_as=events_as, max_nodes=max_nodes, title=title, focus=actor_id)
    layout = "physics layout" if result.physics else "layout computed in Python"
    click.echo(f"newsgraph: wrote {output}: {result.summary()} ({layout})", err=True)


def _resolve_actor(store, text: str) -> str:
    from newsgraph.queries import resolve_actor

    return resolve_actor(store, text)


@cli.command(epilog=_example('newsgraph analyze --path ASCL "Amanda Spielman" --ego Ofsted'))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the metrics (json or csv) to a file.")
@click.option("--category", multiple=True, callback=_category_option, help="Only events of these categories.")
@click.option("--since", callback=_day_option, help="Only events on or after YYYY-MM-DD.")
@click.option("--until", callback=_day_option, help="Only events on or before YYYY-MM-DD.")
@click.option("--limit", default=25, show_default=True, type=click.IntRange(1), help="Rows to print as a table.")
@click.option("--path", "path", nargs=2, metavar="A B", help="Also print the shortest path between two actors.")
@click.option("--ego", help="Also print the ego network of this actor.")
@click.option("--radius", default=1, show_default=True, type=click.IntRange(1, 6))
@click.option("--write", "write_back", is_flag=True, help="Store the metrics as actor properties.")
@_store_options
def analyze(
    fmt, output, category, since, until, limit, path, ego, radius, write_back, store_uri, username, password, database
):
    """Network analytics on the actor network projected from events: degree, PageRank, betweenness,
    Louvain communities, shortest paths and ego networks."""
    from newsgraph.graph import analytics

    with _open(store_uri, username, password, database, read_only=not write_back) as store:
        snap = store.snapshot(_selection((), since, until, category))
        graph = analytics.actor_network(snap, categories=list(category) or None)
        rows = analytics.metrics(graph)
        if write_back:
            n = analytics.write_metrics(store, rows)
            click.echo(f"newsgraph: wrote metrics of {n} actors to the store", err=True)
        path_ids, no_path = None, None
        if path:
            try:
                path_ids = analytics.shortest_path(graph, *[_resolve_actor(store, p) for p in path])
            except InputError as exc:
                no_path = str(exc)
        ego_graph = analytics.ego(graph, _resolve_actor(store, ego), radius=radius) if ego else None
    if output:
        analytics.export_metrics(rows, output, "csv" if output.endswith(".csv") else "json")
        click.echo(f"newsgraph: wrote {len(rows)} actors' metrics to {output}", err=True)
    if fmt == "table":
        _print_rows([r.__dict__ for r in rows[:limit]], "table", "actors by PageRank")
    else:
        analytics.export_metrics(rows, sys.stdout, fmt)
    names = {n: d.get("name", n) for n, d in graph.nodes(data=True)}
    if no_path:
        click.echo(f"newsgraph: {no_path}", err=True)
    if path_ids:
        click.echo("shortest path: " + " -> ".join(names.get(i, i) for i in path_ids), err=fmt != "table")
    if ego_graph is not None:
        _print_rows(analytics.edge_rows(ego_graph), "table" if fmt == "table" else "jsonl", "ego network")


@cli.command(
    epilog=_example(
        'newsgraph query timeline --param actor="Ruth Perry"   # the id column', "newsgraph explain ev_1a2b3c4d"
    )
)
@click.argument("event_id")
@_store_options
def explain(event_id, store_uri, username, password, database):
    """Print an event's sentence with its trigger, agents and patients marked, its article and outlet,
    and why it was kept. EVENT_ID is the id column of timeline, events, between or actor, whole or as
    the tables print it (ev_1a2b3c4d)."""
    from newsgraph.explain import explain_event

    with _open(store_uri, username, password, database, read_only=True) as store:
        explanation = explain_event(store, event_id)
    _print_explanation(explanation)


MARK_STYLES = {"trigger": "bold reverse", "agent": "bold green", "patient": "bold magenta"}
MARK_SIGNS = {"trigger": "[]", "agent": "{}", "patient": "<>"}  # without colour: [trigger] {agent} <patient>


def _print_explanation(ex) -> None:
    """The sentence whole on the first line, its marks in colour (or, without colour, a second line
    with the marks as brackets), then the event, the article and why it was kept, one per line."""
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False, soft_wrap=True)  # lines whole, as the article has them
    text = Text(ex.sentence)
    for mark in ex.marks:
        text.stylize(MARK_STYLES[mark.kind], mark.start, mark.end)
    out.print(text)
    if out.color_system is None and ex.marks:
        marked, at = [], 0
        for mark in ex.marks:
            left, right = MARK_SIGNS[mark.kind]
            marked += [ex.sentence[at : mark.start], left, ex.sentence[mark.start : mark.end], right]
            at = mark.end
        marked.append(ex.sentence[at:])
        out.print("marked:   " + "".join(marked) + "   ([trigger] {agent} <patient>)", markup=False)
    art = ex.article
    date = ex.date or f"{art.get('published') or '-'} (the article's; the text gives none)"
    if ex.date and ex.date_text:
        date += f" (“{ex.date_text}”)"
    lines = [
        ("event", f"{ex.label} ({ex.category}), {ex.modality}"),
        ("date", date),
        ("agents", ", ".join(ex.agents) or "-"),
        ("patients", ", ".join(ex.patients) or "-"),
        (
            "article",
            " · ".join(
                str(v) for v in (art.get("title") or art.get("source"), art.get("outlet"), art.get("published")) if v
            ),
        ),
        ("", f"{art.get('url') or art.get('source')} · sentence {ex.sentence_index}, characters {ex.start}–{ex.end}"),
        ("kept", "; ".join(ex.reasons())),
    ]
    if ex.features:
        lines.append(("features", ", ".join(f"{name} {weight:+.2f}" for name, weight in ex.features)))
    lines.append(("id", f"{ex.id} (short: {ex.short_id})"))
    for key, value in lines:
        out.print(f"{key:<9} {value}", markup=False)


@cli.command(epilog=_example("newsgraph demo", "newsgraph demo --dir /tmp/newsgraph-demo"))
@click.option(
    "--dir",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Where to put the demo store, HTML and Turtle (default: a per-user demo directory).",
)
def demo(out_dir):
    """Run the whole job on the example articles newsgraph ships: extract, store, query, RDF, HTML."""
    from newsgraph.demo import run_demo

    summary = run_demo(Path(out_dir) if out_dir else None, progress=_progress)
    click.echo(summary)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except NewsgraphError as exc:
        click.echo(f"newsgraph: error: {_one_line(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("newsgraph: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"newsgraph: error: {_one_line(exc.format_message())}{_help_hint(exc)}", err=True)
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


def _help_hint(exc: click.ClickException) -> str:
    """Where a usage error's command documents its options: ' (see newsgraph query --help)'."""
    ctx = getattr(exc, "ctx", None)
    while ctx is not None and ctx.command.hidden and ctx.parent is not None:  # `query run` is `query NAME`
        ctx = ctx.parent
    return f" (see {ctx.command_path} --help)" if ctx is not None else ""


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    main()
