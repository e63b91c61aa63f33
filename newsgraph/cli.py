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


# ---- output helpers ---------------------------------------------------------------------------
def _stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _print_rows(rows: list[dict[str, Any]], fmt: str, title: str | None = None) -> None:
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

        table = Table(title=title, show_lines=False)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        # Piped output keeps whole cells readable instead of folding them to 80 columns.
        width = None if sys.stdout.isatty() else 240
        Console(highlight=False, markup=False, width=width).print(table)
        if not rows:
            click.echo("(no rows)", err=True)


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
        return f"{self.done}/{self.total} articles" if self.total else _plural(self.done, "article")

    def advance(self, n: int = 1) -> None:
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
def _settings(pipeline: str | None, gazetteer: str | None, model: str | None = None):
    """Extraction settings; the user's gazetteer is read here, so that a bad one is said before the
    pipeline loads."""
    from newsgraph.ingest.gazetteer import load_gazetteer
    from newsgraph.ingest.pipeline import Settings

    if gazetteer:
        load_gazetteer(gazetteer)
    return Settings(pipeline=pipeline, gazetteer=gazetteer, model=model)


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
    # The store reads NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE itself, after the URI's user:password@.
    f = click.option("--username", help="Neo4j user (else the URI's, else env NEO4J_USERNAME).")(f)
    f = click.option("--password", help="Neo4j password (else the URI's, else env NEO4J_PASSWORD).")(f)
    f = click.option("--database", help="Neo4j database (else env NEO4J_DATABASE).")(f)
    return f


def _read_options(f):
    """Store options for commands that only read, plus a time limit per query."""
    f = _store_options(f)
    return click.option("--query-timeout", type=click.FloatRange(0.001), help="Stop a query after this many seconds.")(
        f
    )


def _writers_option(f):
    return click.option(
        "--writers",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help="Articles written at once (Neo4j; the embedded store takes one).",
    )(f)


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
    f = _model_option(f)
    return f


def _model_option(f):
    return click.option(
        "--model",
        envvar="NEWSGRAPH_MODEL",
        callback=_model_check,
        help="Trained event model (from `newsgraph train`); default: the one newsgraph ships; 'rules': none.",
    )(f)


def _model_check(ctx, param, value: str | None) -> str | None:
    """A model file is read and checked as the option is parsed, before the pipeline loads."""
    from newsgraph.ingest.events.classifier import RULES_ONLY, load_event_model

    if value is not None and value != RULES_ONLY:
        load_event_model(value)
    return value


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
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-v", "--verbose", is_flag=True, help="Log what newsgraph does (to stderr).")
def cli(verbose: bool) -> None:
    """newsgraph: news articles to a knowledge graph of actors and events."""
    handler = _SayHandler()
    handler.setFormatter(logging.Formatter("newsgraph: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    # The Neo4j driver logs each retry and broken connection, and then raises what the store turns
    # into one line of ours: its own lines show only with -v.
    logging.getLogger("neo4j").setLevel(logging.WARNING if verbose else logging.CRITICAL)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl", show_default=True)
@_nlp_options
@_source_options
@click.option("--shard", metavar="I/K", help="Only the articles whose content hash falls in shard I of K (0-based).")
def extract(paths, fmt, pipeline, gazetteer, date, model, timeout, max_bytes, no_follow, workers, shard):
    """Extract actors and events from articles and print them.

    PATHS are files, directories (.txt .md .html .jsonl, feeds), URLs, RSS/Atom feeds, or - for stdin.
    """
    inputs = _Inputs(paths, date, timeout=timeout, max_bytes=max_bytes, follow_links=not no_follow)
    articles = iter(inputs)
    if shard:
        index, count = _parse_shard(shard)
        articles = (a for a in articles if int(a.content_hash[:12], 16) % count == index)
    results = _extract_all(articles, _settings(pipeline, gazetteer, model), inputs, workers)
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


@cli.command()
@click.argument("files", nargs=-1, required=True)
@_store_options
@click.option(
    "--gazetteer",
    envvar="NEWSGRAPH_GAZETTEER",
    type=click.Path(dir_okay=False),
    help="Your actor gazetteer YAML (its not_same entries keep actors apart).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 2) at the first line that is not an extraction.")
@_writers_option
def load(files, store_uri, username, password, database, gazetteer, strict, writers):
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
    _check_writers(store_uri, writers)
    statuses: dict[str, int] = {}
    skipped = 0
    claimed = _Claims()

    def extractions():
        nonlocal skipped
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
                    yield extraction

    with _open(store_uri, username, password, database, create=True) as store:
        for result in _write_all(store, gazetteer, extractions(), writers):
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


def _write_all(store, gazetteer: str | None, extractions, writers: int = 1):
    """Write extractions, resolved in order against the store's actors and each other, with up to
    `writers` at once; each WriteResult in input order, each merge reported on stderr."""
    from newsgraph.graph.resolve import ResolvingWriter
    from newsgraph.ingest.gazetteer import load_gazetteer

    writer = ResolvingWriter(store, load_gazetteer(gazetteer))
    for result, merges in writer.write_many(extractions, writers=writers):
        for merge in merges:
            _say(f"newsgraph: merged '{merge.incoming_name}' into {merge.into_name} ({merge.reason})")
        yield result


def _check_writers(store_uri: str | None, writers: int) -> None:
    """More than one writer is for Neo4j: said before anything is read or a store made."""
    from newsgraph.store import default_store_uri

    uri = store_uri or os.environ.get("NEO4J_URI") or default_store_uri()
    if writers > 1 and uri.startswith("embedded:"):
        raise InputError(f"--writers {writers}: the embedded store takes one writer (more are for Neo4j)")


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


@cli.command()
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
@_writers_option
def ingest(
    paths,
    store_uri,
    username,
    password,
    database,
    pipeline,
    gazetteer,
    date,
    model,
    timeout,
    max_bytes,
    no_follow,
    workers,
    strict,
    dry_run,
    only_new,
    writers,
):
    """Extract articles and load them into the graph store, one transaction per article.

    An article already stored with the same content is not extracted again; one whose url or source
    is stored with other content replaces it. PATHS are as for `extract`.
    """
    from newsgraph.graph.store import article_status

    _check_writers(store_uri, writers)
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
    settings = _settings(pipeline, gazetteer, model)
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

        extracted = _extract_all(changed(), settings, inputs, workers)
        # A dry run hands no article to extraction (changed() says each), so nothing goes to the store.
        for result in extracted if dry_run else _write_all(store, gazetteer, extracted, writers):
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


@cli.command()
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


@cli.command()
@_store_options
def upgrade(store_uri, username, password, database):
    """Add the event sort keys and co-mention counts the catalogue reads to a store an older newsgraph
    made (any write adds them too)."""
    with _open(store_uri, username, password, database) as store:
        store.upgrade()
    click.echo(f"newsgraph: {store.uri} is up to date", err=True)


class _QueryGroup(click.Group):
    """`newsgraph query NAME …` runs a catalogue query; `newsgraph query list` lists them."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "run", self.commands["run"], args
        return super().resolve_command(ctx, args)


@cli.group(cls=_QueryGroup)
def query():
    """Run a named query of the catalogue: `newsgraph query NAME --param key=value`."""


@query.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
def query_list(fmt):
    """List the catalogue: names, descriptions and parameters."""
    from newsgraph.queries import catalogue

    rows = [
        {
            "name": q.name,
            "description": q.description,
            "parameters": [p.spec() for p in q.params],
        }
        for q in catalogue().values()
    ]
    _print_rows(rows, fmt)


@query.command("run", hidden=True)
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, help="key=value, repeatable.")
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
    check(get(name), raw)  # a mistyped name or value is said before the store is opened
    with _open(store_uri, username, password, database, read_only=True, timeout=query_timeout) as store:
        rows = run(store, name, raw)
    _print_rows(rows, fmt, name)


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--actor", help="Centre on this actor (name, alias or id).")
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
    """Write an offline, self-contained HTML network of actors and events."""
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
    result = viz_mod.render(snap, output, events_as=events_as, max_nodes=max_nodes, title=title)
    layout = "physics layout" if result.physics else "layout computed in Python"
    hidden = (
        f"; {result.hidden_events} events lacking an agent or a patient are not drawn as edges"
        if result.hidden_events
        else ""
    )
    click.echo(f"newsgraph: wrote {output} ({result.nodes} nodes, {result.edges} edges, {layout}{hidden})", err=True)


def _resolve_actor(store, text: str) -> str:
    from newsgraph.queries import resolve_actor

    return resolve_actor(store, text)


@cli.command()
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


@cli.command()
@click.argument("event_id")
@_store_options
def explain(event_id, store_uri, username, password, database):
    """Print an event's sentence with its trigger, agents and patients marked, and where it comes from."""
    from newsgraph.queries import run

    with _open(store_uri, username, password, database, read_only=True) as store:
        rows = run(store, "provenance", {"event": event_id})
    if not rows:
        raise InputError(f"{event_id}: no such event in the store")
    _print_explanation(rows[0])


def _print_explanation(row: dict[str, Any]) -> None:
    """The provenance query's row: the sentence with the trigger, agents and patients marked, then
    what the event is and where it comes from."""
    from rich.text import Text

    sentence = row["sentence"]  # a KeyError, not a silent blank, if the query stops returning it
    text = Text(sentence)
    marks = [(row.get("trigger"), "bold reverse")]
    marks += [(name, "bold green") for name in _as_list(row.get("agents"))]
    marks += [(name, "bold magenta") for name in _as_list(row.get("patients"))]
    for needle, style in marks:
        if needle:
            start = sentence.find(needle)
            if start >= 0:
                text.stylize(style, start, start + len(needle))
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=True)  # lines whole, as the article has them
    out.print(text)
    out.print(
        f"category: {row.get('category')}  date: {row.get('date') or '-'}  modality: {row.get('modality')}",
        markup=False,
    )
    out.print(
        f"agents: {', '.join(_as_list(row.get('agents'))) or '-'}   "
        f"patients: {', '.join(_as_list(row.get('patients'))) or '-'}",
        markup=False,
    )
    out.print(
        f"article: {row.get('title') or ''} {row.get('url') or row.get('source') or ''} "
        f"[{row.get('start')}:{row.get('end')}]",
        markup=False,
    )


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


@cli.command()
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


# ---- training and evaluation ------------------------------------------------------------------
def _gold_options(f):
    f = click.argument("articles_dir", type=click.Path(exists=True, file_okay=False))(f)
    f = click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))(f)
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
    return f


def _step(message: str) -> None:
    """A step of a long training or evaluation run, on stderr."""
    _say(f"newsgraph: {message}")


@cli.command()
@_gold_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Model file to write (JSON).")
def train(gold_dir, articles_dir, pipeline, gazetteer, output):
    """Train the event layer on your annotations: GOLD_DIR holds one JSON file per article in the
    shared gold format, ARTICLES_DIR the articles they annotate (matched by file name).

    The model holds weights and feature names only, no article text; the same gold gives the same
    bytes. Use it with `--model FILE` (or NEWSGRAPH_MODEL) on extract and ingest.

    Example: newsgraph train gold/ articles/ -o my-model.json
    """
    from newsgraph.evaluate import train as train_model

    model = train_model(gold_dir, articles_dir, _settings(pipeline, gazetteer, "rules"), progress=_step)
    try:
        _write_atomically(Path(output), model.to_json())
    except OSError as exc:
        raise NewsgraphError(f"{output}: cannot write the model ({exc.strerror or exc})") from exc
    meta = model.meta
    _step(
        f"trained on {meta['articles']} articles ({meta['events']} events among {meta['candidates']} candidate "
        f"triggers, {meta['role_pairs']} actor pairs, {meta['dating_events']} undated-or-news events): {output}"
    )


@cli.command()
@_gold_options
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="k of the k-fold cross-validation.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--rules", "rules_only", is_flag=True, help="Score the hand rules alone, without the trained layer.")
def evaluate(gold_dir, articles_dir, pipeline, gazetteer, folds, fmt, rules_only):
    """Score extraction on annotated articles by k-fold cross-validation by article: train on k-1
    folds, score the held-back fold as eval/score.py does, never on an article the model was fit on.
    Prints each measure pooled over the folds, its mean and range over folds, and the in-sample score
    (fit and scored on everything) beside it: a large gap means over-fitting.

    Example: newsgraph evaluate gold/ articles/ --folds 5
    """
    from newsgraph.evaluate import evaluate as run_evaluation
    from newsgraph.evaluate.scoring import MEASURES, headline

    report = run_evaluation(
        gold_dir, articles_dir, folds, _settings(pipeline, gazetteer, "rules"), rules_only=rules_only, progress=_step
    )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    cv, whole = headline(report.cv), headline(report.in_sample or report.cv)
    rows = []
    for m in MEASURES:
        mean, lo, hi = report.fold_range(m)
        detail = report.cv[m]
        counts = (
            f"P {detail['precision']:.3f} R {detail['recall']:.3f}" if "f1" in detail else f"over {detail['n']} events"
        )
        rows.append(
            {
                "measure": m,
                f"{report.k}-fold CV": f"{cv[m]:.3f}",
                "fold mean": f"{mean:.3f}",
                "fold range": f"{lo:.3f}-{hi:.3f}",
                "in-sample": f"{whole[m]:.3f}",
                "gap": f"{whole[m] - cv[m]:+.3f}",
                "CV detail": counts,
            }
        )
    kind = "hand rules alone" if rules_only else "trained layer"
    _print_rows(rows, "table", f"{report.articles} articles, {report.k} folds by article ({kind})")
    for note in report.notes:
        _step(note)


def _write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as fh:
        fh.write(text)
        tmp = Path(fh.name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # as an ordinary new file would be, not the temporary file's 0600
    try:
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


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
