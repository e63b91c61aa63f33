"""The use cases the CLI, the demo and the benchmarks share: extract, ingest, load, unmerge, demo.

A job reads its inputs, runs the library and the store, and tells a Watcher what it does as it goes
(a skip, a note, a merge, progress); the CLI shows that on stderr, other callers may ignore it. A job
raises NewsgraphError subclasses and returns what it did, with the summary line the CLI prints.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from newsgraph.errors import InputError, OutputError
from newsgraph.model import Article, Extraction
from newsgraph.store import default_store_uri, open_store

log = logging.getLogger("newsgraph")


# ---- what a job tells as it goes ----------------------------------------------------------------


class Ticker:
    """Counts work done for a progress display; this one shows nothing."""

    def advance(self, n: int = 1) -> None:
        pass


class Watcher:
    """What a job tells as it goes; this one tells nobody. The CLI's shows each line on stderr and
    the progress as a bar (see newsgraph/commands/output.py)."""

    def say(self, line: str) -> None:
        """A skip, a note or a merge, as one line ("skipped a.txt: empty file")."""

    def progress(
        self, label: str, total: Callable[[], int | None], starting: str | None
    ) -> contextlib.AbstractContextManager:
        """A context whose Ticker counts the articles done; `total` says how many there will be,
        when that is known (called only by a watcher that shows it); `starting` is what runs first."""
        return contextlib.nullcontext(Ticker())

    def listed(self, status: str, article: Article) -> None:
        """What a dry run would do to one article (added, replaced or unchanged)."""


# ---- reading inputs -------------------------------------------------------------------------------


class Inputs:
    """The articles behind the paths, streamed; skipped inputs and metadata notes are told to the
    watcher and counted. Paths and the default date are checked here, before anything slow starts."""

    def __init__(
        self,
        paths: Iterable[str],
        date: str | None = None,
        *,
        strict: bool = False,
        seen: Callable[[str], bool] | None = None,
        watcher: Watcher | None = None,
        **options: Any,
    ):
        from newsgraph.ingest.sources import check_sources

        self.paths = tuple(paths)
        if not self.paths:
            raise InputError("no input: give files, directories, URLs, feeds, .jsonl, or - for standard input")
        check_sources(list(self.paths), date)
        self.date, self.strict, self.seen, self.options = date, strict, seen, options
        self.watcher = watcher or Watcher()
        self.read = 0
        self.skipped: dict[str, int] = {}
        self.ticker = Ticker()  # replaced by the progress showing, if any

    def __iter__(self) -> Iterator[Article]:
        from newsgraph.ingest.sources import Skipped, read_sources

        items = read_sources(
            list(self.paths), default_date=self.date, seen=self.seen, on_note=self.note, **self.options
        )
        for item in items:
            if not isinstance(item, Skipped):
                self.read += 1
                yield item
                continue
            self.skipped_input(item)

    def skipped_input(self, item) -> None:
        """A Skipped from the sources (read here or by a Dask worker): told and counted."""
        kind = item.reason.split(":")[0] if item.reason.startswith(("HTTP", "unreachable")) else item.reason
        self._skipped(item.source, item.reason, kind, count=item.items)

    def _skipped(self, source: str, reason: str, kind: str, detail: str = "", count: int = 1) -> None:
        """Tell a skip (its `detail` in the log), count it (`count` inputs: a feed's items skipped
        together) under `kind` for the summary, advance the progress; strict ends the run."""
        self.skipped[kind] = self.skipped.get(kind, 0) + count
        self.watcher.say(f"skipped {source}: {reason}")
        if detail:
            log.info("%s", detail.rstrip())
        self.ticker.advance(count)
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
        """A metadata value read differently or left out: told once; with strict, the end of the run."""
        self.watcher.say(f"note: {note.source}: {note.message}")
        if self.strict:
            raise InputError(f"{note.source}: {note.message} (and --strict is set)")

    def failed(self, failure) -> None:
        """An article read but not extracted: a skip like an unreadable input (traceback in the log)."""
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


class Claims:
    """The urls and sources of the articles one run has read: a second article claiming one of them
    would replace the first in the store, and one of the two inputs must be wrong about it."""

    def __init__(self) -> None:
        self.owners: dict[str, tuple[str, str]] = {}  # url or source -> (article id, its source)

    def clash(self, article: Article) -> str | None:
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


def settings(pipeline: str | None = None, gazetteer: str | None = None, model: str | None = None):
    """Extraction settings; the user's gazetteer is read here, so that a bad one is said before the
    pipeline loads. `model`: a trained model file, 'rules' for none, None for the one shipped."""
    from newsgraph.ingest.gazetteer import load_gazetteer
    from newsgraph.ingest.settings import Settings

    if gazetteer:
        load_gazetteer(gazetteer)
    return Settings(pipeline=pipeline, gazetteer=gazetteer, model=model)


# ---- extract --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    """Where extraction runs: in this process (workers=1), on a Dask scheduler (`scheduler`), or on a
    local Dask cluster of `workers` processes; a plain process pool when Dask is not installed."""

    workers: int = 1
    scheduler: str | None = None

    @property
    def on_dask(self) -> bool:
        return bool(self.scheduler) or (self.workers > 1 and _dask_installed())

    def session(self, settings_=None):
        """A newsgraph.dask.Session on this engine's scheduler or local cluster (connected when first
        used); with extraction `settings_`, its workers load that pipeline."""
        from newsgraph import dask as on_dask

        return on_dask.Session(self.scheduler, self.workers, settings_)

    def starting(self) -> str:
        if self.scheduler:
            return f"connecting to the Dask scheduler at {self.scheduler}"
        if self.on_dask:
            return f"starting {self.workers} Dask workers (each loads the spaCy pipeline)"
        return "loading the spaCy pipeline" if self.workers == 1 else f"starting {self.workers} extraction workers"


def engine(workers: int = 1, scheduler: str | None = None, watcher: Watcher | None = None) -> Engine:
    """The engine the options name: --scheduler, else Dask's `scheduler-address` config, else a local
    Dask cluster for --workers N > 1 (a process pool, with a note, when Dask is not installed)."""
    if workers < 1:
        raise InputError(f"--workers {workers}: must be at least 1")
    if scheduler is None and _dask_installed():
        from newsgraph.dask import scheduler_address

        scheduler = scheduler_address(None)
    if scheduler:
        if not _dask_installed():
            raise InputError("--scheduler needs Dask distributed: pip install 'newsgraph[dask]'")
        return Engine(workers, scheduler)
    if workers > 1 and not _dask_installed() and watcher is not None:
        watcher.say(f"note: Dask is not installed (pip install 'newsgraph[dask]'): {workers} plain processes")
    return Engine(workers)


def _dask_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


def extract(
    inputs: Inputs,
    settings_,
    *,
    workers: int = 1,
    shard: tuple[int, int] | None = None,
    engine_: Engine | None = None,
    out: str | None = None,
) -> Iterator[Any]:
    """The extractions of the inputs' articles (those of shard I of K by content hash, when given),
    with progress: the pipeline loading, then the articles done out of the inputs' total.

    With `out` (a directory) the extractions go to part files there (`part-00000.jsonl`, one per
    Dask partition, written by the workers) and what is yielded only stands for them."""
    engine_ = engine_ or Engine(workers)
    if out is not None and any(Path(out).glob("part-*.jsonl")):
        raise OutputError(f"{out}: already holds part files (part-*.jsonl); give an empty or new directory")
    if engine_.on_dask:
        return _extracted_on_dask(inputs, settings_, engine_, shard=shard, out=out)
    articles: Iterable[Article] = iter(inputs)
    if shard is not None:
        index, count = shard
        articles = (a for a in articles if int(a.content_hash[:12], 16) % count == index)
    found = _extracted(articles, settings_, inputs, engine_.workers)
    return _written(found, Path(out)) if out is not None else found


def _written(extractions: Iterable[Extraction], directory: Path) -> Iterator[Extraction]:
    """Extractions of one process streamed to DIR/part-00000.jsonl, which appears once complete."""
    from newsgraph.outputs import part_file

    with part_file(directory, 0) as write:
        for ex in extractions:
            write(ex)
            yield ex


def _extracted_on_dask(
    inputs: Inputs,
    settings_,
    engine_: Engine,
    *,
    shard: tuple[int, int] | None = None,
    out: str | None = None,
    seen: Callable[[str], bool] | None = None,
    session: Any = None,
) -> Iterator[Any]:
    """extract() on Dask: partitions of references go to the workers; their outcomes come back in
    order and are told and counted here as a single process would (skips, notes, failures). On the
    client of `session` (a newsgraph.dask.Session the caller keeps open), else on one of its own."""
    from newsgraph import dask as on_dask
    from newsgraph.ingest.metadata import Note
    from newsgraph.ingest.settings import ExtractionFailure

    options = on_dask.ReadOptions(inputs.date, **inputs.options)
    with inputs.watcher.progress("extracting", inputs.total, engine_.starting()) as ticker:
        inputs.ticker = ticker
        with engine_.session(settings_) if session is None else contextlib.nullcontext(session) as running:
            client = running.client
            size = on_dask.partition_size(client, inputs.paths, seen)
            parts = on_dask.partitions(inputs.paths, size, seen)
            found = on_dask.run_partitions(client, parts, settings_, options, shard=shard, out=out, seen=seen)
            for outcomes in found:
                for outcome in outcomes:
                    if isinstance(outcome, Note):
                        inputs.note(outcome)
                    elif isinstance(outcome, ExtractionFailure):
                        inputs.read += 1
                        inputs.failed(outcome)
                    elif isinstance(outcome, on_dask.OtherShard):
                        inputs.read += 1
                    elif isinstance(outcome, (Extraction, on_dask.Written)):
                        inputs.read += 1
                        ticker.advance()
                        yield outcome
                    else:
                        inputs.skipped_input(outcome)


def _extracted(articles: Iterable[Article], settings_, inputs: Inputs, workers: int) -> Iterator[Extraction]:
    from newsgraph.ingest.pipeline import extract_parallel

    starting = "loading the spaCy pipeline" if workers == 1 else f"starting {workers} extraction workers"
    with inputs.watcher.progress("extracting", inputs.total, starting) as ticker:
        inputs.ticker = ticker
        for ex in extract_parallel(articles, settings_, workers=workers, on_error=inputs.failed):
            ticker.advance()
            yield ex


def parse_shard(text: str) -> tuple[int, int]:
    """`I/K` as (I, K), 0 <= I < K."""
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise InputError(f"--shard {text!r}: expected I/K, e.g. 0/4") from None
    if not 0 <= index < count:
        raise InputError(f"--shard {text!r}: I must be between 0 and K-1")
    return index, count


# ---- ingest and load ------------------------------------------------------------------------------


@dataclass
class StoreRun:
    """What an ingest or a load did to a store, and the line that says it."""

    uri: str
    statuses: dict[str, int] = field(default_factory=dict)  # added | replaced | unchanged -> articles
    skipped: str = ""  # the inputs' summary of skips ("2 skipped (1 binary file; 1 HTTP 404)")
    counts: dict[str, int] = field(default_factory=dict)  # what the store holds afterwards
    dry_run: bool = False

    def count(self, status: str) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def summary(self) -> str:
        parts = [f"{n} {status}" for status, n in sorted(self.statuses.items())]
        if self.skipped:
            parts.append(self.skipped)
        if self.dry_run:
            tail = "nothing written"
        else:
            c = self.counts
            tail = f"store holds {c['articles']} articles, {c['actors']} actors, {c['events']} events"
        return f"{', '.join(parts) or 'nothing to do'}; {tail} ({self.uri})"


class _EmptyStore:
    """Stands in for an embedded store that does not exist yet, so that a dry run creates nothing."""

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


def _write_all(
    store,
    gazetteer: str | None,
    extractions: Iterable[Extraction],
    watcher: Watcher,
    writers: int = 1,
    session: Any = None,
):
    """Write extractions, resolved in order against the store's actors and each other, with up to
    `writers` at once; each WriteResult in input order; tell each merge. With a Dask `session`, a
    store that takes writes from other processes (Neo4j) is written by the session's workers; this
    process resolves, and refreshes what spans articles once at the end."""
    from newsgraph.graph.resolve import ResolvingWriter
    from newsgraph.ingest.gazetteer import load_gazetteer

    submit = None
    if session is not None:
        from newsgraph import dask as on_dask

        submit = on_dask.article_writer(session, store)
    writer = ResolvingWriter(store, load_gazetteer(gazetteer))
    for result, merges in writer.write_many(extractions, writers=writers, submit=submit):
        for merge in merges:
            watcher.say(f"merged '{merge.incoming_name}' into {merge.into_name} ({merge.reason})")
        yield result


def check_writers(uri: str, writers: int) -> None:
    """More than one writer is for Neo4j: said before anything is read or a store made."""
    if writers < 1:
        raise InputError(f"writers must be 1 or more, not {writers}")
    if writers > 1 and uri.lower().startswith("embedded:"):
        raise InputError(f"--writers {writers}: the embedded store takes one writer (more are for Neo4j)")


def ingest(
    paths: Iterable[str],
    *,
    store: str | None = None,
    store_options: dict[str, Any] | None = None,
    pipeline: str | None = None,
    gazetteer: str | None = None,
    model: str | None = None,
    date: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    only_new: bool = False,
    workers: int = 1,
    engine_: Engine | None = None,
    writers: int = 1,
    watcher: Watcher | None = None,
    **source_options: Any,
) -> StoreRun:
    """Extract the articles behind the paths and write them to the store (made when missing), one
    transaction per article, each resolved against the actors stored before it.

    An article stored with the same content is not extracted again; one whose url or source is
    stored with other content replaces it; of two inputs of this run claiming one url or source the
    second is skipped. Feed items already stored are never fetched again, nor, with `only_new`, URLs
    given here. `dry_run` tells what each article would do and writes nothing. `model`: as for
    settings(). `writers`: articles written at once (Neo4j; the graph is the one a single writer
    gives). `source_options`: timeout, max_bytes, follow_links.

    On Dask (`engine_`), the workers read and extract; this process checks and writes each
    extraction as it comes back, in input order, so the store ends as a single-process run leaves it.
    """
    from newsgraph.store import article_status

    watcher = watcher or Watcher()
    paths = tuple(paths)
    named = set(paths)
    uri = store or default_store_uri()
    check_writers(uri, writers)

    def seen(url: str) -> bool:  # asked while reading, once the store below is open
        return (only_new or url not in named) and article_status(handle, url=url) != "added"

    # Inputs and settings are checked before the store is opened: a typo creates no store.
    inputs = Inputs(paths, date, strict=strict, seen=seen, watcher=watcher, **source_options)
    settings_ = settings(pipeline, gazetteer, model)
    run = StoreRun(uri, dry_run=dry_run)
    with _open_for_ingest(uri, store_options or {}, dry_run) as handle:
        run.uri = handle.uri
        claimed = Claims()

        def changed() -> Iterator[Article]:
            for article in inputs:
                if clash := claimed.clash(article):
                    inputs.skip(article.source, clash)
                    continue
                status = article_status(handle, article)
                if status == "unchanged" or dry_run:
                    inputs.ticker.advance()
                    run.count(status)
                    if dry_run:
                        watcher.listed(status, article)
                    continue
                yield article

        engine_ = engine_ or Engine(workers)
        if engine_.on_dask and not dry_run:  # a dry run only reads: it stays here
            stored = StoredUrls.of(handle, named, only_new)
            with engine_.session(settings_) as session:

                def extracted() -> Iterator[Extraction]:
                    for ex in _extracted_on_dask(inputs, settings_, engine_, seen=stored, session=session):
                        if clash := claimed.clash(ex.article):
                            inputs.skip(ex.article.source, clash)
                        elif (status := article_status(handle, ex.article)) == "unchanged":
                            run.count(status)
                        else:
                            yield ex

                for result in _write_all(handle, gazetteer, extracted(), watcher, writers, session):
                    run.count(result.status)
        else:
            extracted = _extracted(changed(), settings_, inputs, engine_.workers)
            if dry_run:  # changed() hands no article on, so nothing is extracted or written
                for _ in extracted:
                    pass
            else:
                for result in _write_all(handle, gazetteer, extracted, watcher, writers):
                    run.count(result.status)
        inputs.check()
        run.counts = handle.counts()
    run.skipped = inputs.summary()
    return run


@dataclass(frozen=True)
class StoredUrls:
    """ingest's `seen` for Dask workers, which cannot ask the store: the urls and sources stored when
    the run began. A URL named on the command line is fetched again unless `only_new`."""

    stored: frozenset[str]
    named: frozenset[str]
    only_new: bool

    def __call__(self, url: str) -> bool:
        return (self.only_new or url not in self.named) and url in self.stored

    @classmethod
    def of(cls, store, named: set[str], only_new: bool) -> StoredUrls:
        rows = store.query("MATCH (a:Article) RETURN a.url AS url, a.source AS source")
        keys = {value for row in rows for value in (row["url"], row["source"]) if value}
        return cls(frozenset(keys), frozenset(named), only_new)


def _open_for_ingest(uri: str, options: dict[str, Any], dry_run: bool):
    if dry_run and uri.startswith("embedded:") and not Path(uri.removeprefix("embedded:")).exists():
        return _EmptyStore(uri)
    return open_store(uri, read_only=dry_run, create=True, **options)


def load(
    files: Iterable[str],
    *,
    store: str | None = None,
    store_options: dict[str, Any] | None = None,
    gazetteer: str | None = None,
    strict: bool = False,
    writers: int = 1,
    watcher: Watcher | None = None,
    stdin: TextIO | None = None,
    engine_: Engine | None = None,
) -> StoreRun:
    """Write extractions made by `extract` (JSONL, e.g. on other machines; `-` for stdin) to the store,
    resolved as ingest does, without extracting again, with up to `writers` at once (Neo4j). A line
    that is not an extraction is skipped and told (strict: an InputError); an InputError too when no
    line was one. On Dask (`engine_`) the workers read and check runs of lines; this process writes
    them, in file and line order."""
    watcher = watcher or Watcher()
    files = tuple(files)
    uri = store or default_store_uri()
    check_writers(uri, writers)
    for path in files:
        if path != "-" and not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
    if gazetteer:
        from newsgraph.ingest.gazetteer import load_gazetteer

        load_gazetteer(gazetteer)  # a bad one is said before a store is made
    skipped = 0
    claimed = Claims()

    def extractions() -> Iterator[Extraction]:
        nonlocal skipped
        for where, extraction in _extraction_records(files, stdin, session):
            if not isinstance(extraction, str):
                extraction = claimed.clash(extraction.article) or extraction
            if isinstance(extraction, str):
                skipped += 1
                watcher.say(f"skipped {where}: {extraction}")
                if strict:
                    raise InputError(f"{where}: {extraction} (and --strict is set)")
                continue
            yield extraction

    session = None  # a Dask session: its workers read the lines (and write, to Neo4j)
    with open_store(uri, create=True, **(store_options or {})) as handle, contextlib.ExitStack() as stack:
        run = StoreRun(handle.uri)
        if engine_ is not None and engine_.on_dask:
            session = stack.enter_context(engine_.session())
        for result in _write_all(handle, gazetteer, extractions(), watcher, writers, session):
            run.count(result.status)
        run.counts = handle.counts()
    run.skipped = f"{skipped} skipped" if skipped else ""
    if skipped and not run.statuses:
        raise InputError("no extraction could be read from " + ", ".join(files))
    return run


# ---- unmerge -----------------------------------------------------------------------------------


@dataclass
class Unmerged:
    """What `unmerge` did: the actor, the name kept apart from it, the articles written again."""

    actor: str  # id
    name: str
    form: str
    articles: list[str] = field(default_factory=list)  # ids
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        n = len(self.articles)
        c = self.counts
        return (
            f"kept '{self.form}' apart from {self.name} ({self.actor}); extracted and wrote"
            f" {n} article{'s' if n != 1 else ''} again; store holds {c['articles']} articles,"
            f" {c['actors']} actors, {c['events']} events"
        )


_ARTICLE = (
    "MATCH (a:Article {id: $id}) RETURN a.body AS body, a.source AS source, a.url AS url, a.title AS title,"
    " a.date AS date, a.outlet AS outlet, a.author AS author, a.pipeline AS pipeline"
)


def unmerge(
    actor: str,
    form: str,
    *,
    store: str | None = None,
    store_options: dict[str, Any] | None = None,
    pipeline: str | None = None,
    gazetteer: str | None = None,
    model: str | None = None,
    watcher: Watcher | None = None,
) -> Unmerged:
    """Undo the merges of the name `form` into `actor` (its id or name) that cross-article resolution
    recorded (`newsgraph query merges`), with no file to edit: the store keeps the two apart from now
    on (Actor.not_same: no later article merges them either), and each article that made such a merge
    is extracted again from the text the store holds and written again in its place, resolved as
    ingest resolves it. The articles are extracted before anything changes; each is then removed and
    written again in turn."""
    from newsgraph.graph.resolve import recorded_merges
    from newsgraph.ingest.pipeline import extract_parallel
    from newsgraph.store.rows import pipeline_label

    watcher = watcher or Watcher()
    settings_ = settings(pipeline, gazetteer, model)
    with open_store(store or default_store_uri(), create=False, **(store_options or {})) as handle:
        made: dict[str, tuple[str, set[str]]] = {}  # actor id -> (name, articles)
        for row in recorded_merges(handle):
            if actor not in (row["id"], row["name"]) and actor.casefold() != (row["name"] or "").casefold():
                continue
            if any(record.split(": ", 1)[0].casefold() == form.casefold() for record in row["merged_from"]):
                made.setdefault(row["id"], (row["name"], set()))[1].add(row["article"])
        if not made:
            raise InputError(f"no merge of '{form}' into {actor} is recorded (newsgraph query merges lists them)")
        if len(made) > 1:
            raise InputError(f"{actor} names {len(made)} actors ({', '.join(sorted(made))}): give the id of one")
        [(actor_id, (name, articles))] = made.items()
        stored = {a: handle.query(_ARTICLE, {"id": a})[0] for a in sorted(articles)}
        texts = [Article(**{k: v for k, v in row.items() if k != "pipeline"}) for row in stored.values()]
        failed: list[str] = []
        extractions = list(extract_parallel(texts, settings_, on_error=lambda f: failed.append(str(f))))
        if failed or len(extractions) != len(texts):
            raise InputError(f"could not extract again: {'; '.join(failed) or 'an article'}; nothing changed")
        done = Unmerged(actor_id, name, form)
        handle.keep_apart(actor_id, [form])
        for article_id, ex in zip(stored, extractions, strict=True):
            before, now = stored[article_id]["pipeline"], pipeline_label(ex.pipeline)
            if before and before != now:
                watcher.say(f"{ex.article.source}: extracted by {before} before, by {now} now")
            handle.remove(article_id)
            # Resolved against the store as it now stands (an index per article: the removals change it).
            for _ in _write_all(handle, gazetteer, [ex], watcher):
                pass
            done.articles.append(ex.article.id)
        done.counts = handle.counts()
    return done


def _extraction_records(files: tuple[str, ...], stdin: TextIO | None, session: Any = None):
    """(FILE:LINE, Extraction or why not) of every line of the files, read here or, with a Dask
    `session`, by its workers."""
    if session is not None:
        from newsgraph import dask as on_dask

        yield from on_dask.read_extractions(session.client, files)
        return
    for path in files:
        with (stdin or sys.stdin) if path == "-" else _open_text(path) as lines:
            yield from extraction_lines(lines, path)


def extraction_lines(handle: Iterable[str], path: str, first: int = 1) -> Iterator[tuple[str, Extraction | str]]:
    """(FILE:LINE, the Extraction on it, or why it is not one) for each non-blank line (the first
    numbered `first`)."""
    try:
        for lineno, line in enumerate(handle, first):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("article"), dict):
                    raise ValueError("no 'article' object")
                yield f"{path}:{lineno}", Extraction.from_dict(record)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                yield f"{path}:{lineno}", f"not an extraction record ({' '.join(str(exc).split())[:80]})"
    except UnicodeDecodeError as exc:
        yield f"{path}", f"not UTF-8 text ({exc.reason} at byte {exc.start}); lines after it were not read"


def _open_text(path: str) -> TextIO:
    try:
        return open(path, encoding="utf-8")  # noqa: SIM115 (closed by the caller's with)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc


# ---- demo -----------------------------------------------------------------------------------------


def example_dir() -> Path:
    return Path(str(resources.files("newsgraph").joinpath("examples")))


def default_demo_dir() -> Path:
    uri = default_store_uri()
    base = Path(uri.removeprefix("embedded:")).parent if uri.startswith("embedded:") else Path.home()
    return base / "demo"


def demo(out_dir: Path | None = None, watcher: Watcher | None = None) -> str:
    """The whole job on the example articles shipped with the package: ingest them into a fresh
    embedded store under out_dir (as `ingest` does), query it, write the HTML story map and Turtle;
    the summary to print."""
    from newsgraph.graph import rdf, viz
    from newsgraph.queries import run as run_query

    out_dir = out_dir or default_demo_dir()
    store_path = out_dir / "demo.lbug"
    for old in out_dir.glob("demo.lbug*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    uri = f"embedded:{store_path}"
    ingested = ingest([str(example_dir())], store=uri, watcher=watcher)
    with open_store(uri, read_only=True) as store:
        busiest = run_query(store, "top-actors", {"limit": "5"})
        snap = store.snapshot()
    html = out_dir / "demo.html"
    ttl = out_dir / "demo.ttl"
    drawn = viz.render(snap, html, title="newsgraph demo: example articles")
    triples = rdf.export(snap, ttl, format="ttl")
    counts = ingested.counts
    lines = [
        f"newsgraph demo: {counts['articles']} example articles -> {counts['actors']} actors,"
        f" {counts['events']} events",
        "most active actors:",
    ]
    for row in busiest:
        lines.append("  " + ", ".join(f"{k}={v}" for k, v in row.items() if not isinstance(v, list)))
    relations = _busiest_relationships(snap)
    if relations:
        lines.append("busiest relationships:")
        lines.extend(f"  {a} -[{cat}]-> {b}: {n} event(s)" for (a, cat, b), n in relations)
    lines.append(f"store:  {uri}")
    lines.append(f"HTML:   {html} ({drawn.summary()})")
    lines.append(f"Turtle: {ttl} ({triples} triples)")
    lines.append(f"try:    newsgraph query timeline --store {uri}")
    return "\n".join(lines)


def _busiest_relationships(snap, limit: int = 5):
    names = {a.id: a.name for a in snap.actors}
    counter: dict[tuple[str, str, str], int] = {}
    for ev in snap.events:
        for a in ev.agents:
            for p in ev.patients:
                key = (names.get(a, a), ev.category, names.get(p, p))
                counter[key] = counter.get(key, 0) + 1
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
