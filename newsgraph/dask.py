"""Extraction on Dask distributed: inputs cut into partitions of references (paths, URLs, JSONL line
ranges), read and extracted on the workers, each of which loads the pipeline and the model once.

    import newsgraph.dask
    bag = newsgraph.dask.extract(["corpus/", "feed.jsonl"], newsgraph.dask.Settings())  # a dask.bag.Bag

`dask worker tcp://HOST:8786 --preload newsgraph.dask` loads the default pipeline as a worker starts;
the CLI's runs register an ExtractorPlugin with their own settings. The `nlp` object never leaves a
worker: only settings (names and paths) and references travel.
"""

from __future__ import annotations

import ast
import asyncio
import logging
import os
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsgraph.errors import ConfigError, InputError, NewsgraphError
from newsgraph.ingest.metadata import Note
from newsgraph.ingest.settings import ExtractionFailure, Settings
from newsgraph.model import Article, Extraction
from newsgraph.outputs import write_part

INSTALL_HINT = "pip install 'newsgraph[dask]'"
try:
    import dask.bag
    from dask import delayed
    from dask.base import tokenize
    from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin
except ImportError as exc:  # the base install has no Dask: say how to get it
    raise ConfigError(f"Dask distributed is not installed ({exc.name} is missing): {INSTALL_HINT}") from None

__all__ = ["ExtractorPlugin", "Ref", "Settings", "dask_setup", "extract", "partitions"]

log = logging.getLogger("newsgraph")

# The local cluster's workers run no sampling profiler: it takes the GIL every 10 ms from the
# extraction (pure Python), for a dashboard the local cluster does not serve.
LOCAL_WORKERS = {"distributed.worker.profile.enabled": False}
# Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, so that glibc hands freed memory
# back at once; spaCy allocates and frees small arrays all the time, and the extraction ran about
# 10% slower per article under it (bench/scale.py). The local workers keep glibc's default.
GLIBC_TRIM = "MALLOC_TRIM_THRESHOLD_"


def local_workers() -> dict[str, Any]:
    """Dask config for the LocalCluster's workers: LOCAL_WORKERS, and the nanny's environment
    without GLIBC_TRIM (its other settings, one BLAS thread per worker, stay)."""
    import dask.config

    environ = dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {}
    kept = {name: value for name, value in environ.items() if name != GLIBC_TRIM}
    return {**LOCAL_WORKERS, "distributed.nanny.pre-spawn-environ": kept}


PARTITION_SIZE = 32  # articles (files, URLs or JSONL lines) per task: a few seconds of work with md


@dataclass(frozen=True)
class Ref:
    """One input for a worker to read: a file or URL, or `lines` lines of a JSONL file from line
    `first`, which starts at byte `offset`."""

    path: str  # as given: the articles' sources name it so
    offset: int = 0
    first: int = 1
    lines: int | None = None  # None: the whole input
    at: str | None = None  # where a worker reads a relative path: absolute, from the client's directory

    @classmethod
    def local(cls, path: str, offset: int = 0, first: int = 1, lines: int | None = None) -> Ref:
        """A file of this machine's, to be read by workers that do not share its working directory."""
        absolute = os.path.abspath(path)
        return cls(path, offset, first, lines, absolute if absolute != path else None)

    def as_given(self, item):
        """`item` (an Article, a Skipped or a Note) with its source named as the user named it."""
        if self.at is None or not item.source.startswith(self.at):
            return item
        source = self.path + item.source[len(self.at) :]
        if isinstance(item, Article):
            item.source = source
            return item
        return replace(item, source=source)

    def __str__(self) -> str:
        return self.path if self.lines is None else f"{self.path}:{self.first}-{self.first + self.lines - 1}"


@dataclass(frozen=True)
class ReadOptions:
    """How workers read their references (as read_sources does)."""

    default_date: str | None = None
    max_bytes: int = 5_000_000
    timeout: float = 20.0
    follow_links: bool = True


@dataclass(frozen=True)
class Written:
    """An article extracted and written to a part file by the worker (not sent back)."""

    source: str


@dataclass(frozen=True)
class OtherShard:
    """An article read but left to another shard (--shard I/K)."""

    source: str


# What a worker tells of a partition, in reading order: a skip, a note, an extraction (or, with part
# files, that it was written), an article that could not be extracted, or one of another shard.
Outcome = Any  # Skipped | Note | Extraction | Written | ExtractionFailure | OtherShard


# ---- partitions (on the client) -------------------------------------------------------------------


def partitions(paths: Iterable[str], size: int = PARTITION_SIZE, seen=None) -> list[list[Any]]:
    """The inputs as partitions of about `size` references each, in read_sources' order: directories
    listed, JSONL files cut into runs of `size` lines, one reference per other file or URL. What cannot
    be read at all (an unlistable directory, standard input, a URL `seen` says is stored) stays in its
    place as a Skipped, so the counts match a single-process run. Each item is a Ref or a Skipped."""
    from newsgraph.ingest.sources import (
        JSONL_SUFFIXES,
        STDIN,
        Skipped,
        check_sources,
        directory_entries,
        is_url,
        jsonl_line_starts,
    )

    if size < 1:
        raise InputError(f"partition size must be at least 1, not {size}")
    paths = list(paths)
    check_sources(paths)
    refs: list[Ref | Skipped] = []
    for path in paths:
        if path == STDIN:
            raise InputError("- (standard input) cannot be read by Dask workers: save it to a file and give its path")
        if is_url(path):
            refs.append(Skipped(path, "already ingested") if seen is not None and seen(path) else Ref(path))
            continue
        files = directory_entries(path) if os.path.isdir(path) else [path]
        for entry in files:
            if isinstance(entry, Skipped) or Path(entry).suffix.lower() not in JSONL_SUFFIXES:
                refs.append(entry if isinstance(entry, Skipped) else Ref.local(entry))
                continue
            try:
                runs = jsonl_line_starts(entry, size)
            except OSError:
                refs.append(Ref.local(entry))  # the worker says why it cannot be read
                continue
            refs.extend(Ref.local(entry, offset, first, lines) for offset, first, lines in runs)
    return group(refs, size)


def group(refs: list[Any], size: int) -> list[list[Any]]:
    """References in runs of about `size` articles (a JSONL run weighs its lines, anything else one)."""
    out: list[list[Any]] = []
    weight = 0
    for ref in refs:
        # a JSONL run weighs its lines, a file or URL one (a feed's items are not known here)
        w = ref.lines if isinstance(ref, Ref) and ref.lines is not None else 1
        if not out or weight + w > size:
            out.append([])
            weight = 0
        out[-1].append(ref)
        weight += w
    return out


# ---- extraction (on a worker) ---------------------------------------------------------------------


class _Loaded:
    """Each worker process's Extractor per settings, loaded once; a lock per Extractor, because a
    worker with several threads would otherwise run one spaCy pipeline in two threads at once."""

    lock = threading.Lock()
    extractors: dict[Settings, tuple[Any, threading.Lock]] = {}


def extractor(settings: Settings):
    """The Extractor for `settings` in this process (loaded on first use: the fallback when no
    plugin or preload loaded it) and its lock."""
    with _Loaded.lock:
        if settings not in _Loaded.extractors:
            from newsgraph.ingest.pipeline import Extractor

            _Loaded.extractors[settings] = (Extractor(settings), threading.Lock())
        return _Loaded.extractors[settings]


class ExtractorPlugin(WorkerPlugin):
    """A Dask WorkerPlugin loading the pipeline and the model for `settings` on every worker, the
    ones that join or restart later included. Only the settings are sent, never the `nlp` object."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = f"newsgraph-extractor-{_settings_key(settings)}"

    async def setup(self, worker) -> None:
        # loaded in a thread: the worker's event loop keeps answering the scheduler meanwhile
        await asyncio.get_running_loop().run_in_executor(None, extractor, self.settings)


def _settings_key(settings: Settings) -> str:
    return tokenize(settings.pipeline, settings.gazetteer, settings.triggers, settings.model)


def dask_setup(worker) -> None:
    """`dask worker … --preload newsgraph.dask`: load the default pipeline (NEWSGRAPH_PIPELINE,
    NEWSGRAPH_GAZETTEER, NEWSGRAPH_MODEL) when the worker starts."""
    settings = Settings(
        pipeline=os.environ.get("NEWSGRAPH_PIPELINE") or None,
        gazetteer=os.environ.get("NEWSGRAPH_GAZETTEER") or None,
        model=os.environ.get("NEWSGRAPH_MODEL") or None,
    )
    extractor(settings)
    log.info("newsgraph: pipeline loaded for %s", settings)


def extract_partition(
    refs: Sequence[Any],
    settings: Settings,
    options: ReadOptions = ReadOptions(),
    *,
    shard: tuple[int, int] | None = None,
    out: str | None = None,
    index: int = 0,
    seen: Callable[[str], bool] | None = None,
) -> list[Outcome]:
    """Read and extract one partition; what it holds, in order. With `out` (a directory), the
    extractions go to `out/part-INDEX.jsonl`, written whole or not at all, so a task that runs again
    (its worker died) rewrites the same file: nothing lost, nothing twice. `seen(url)` true skips a
    URL or feed item as already ingested before it is fetched (as read_sources does)."""
    from newsgraph.ingest.pipeline import extract_many
    from newsgraph.ingest.sources import Skipped, read_jsonl_lines, read_sources

    outcomes: list[Outcome] = []
    slots: dict[int, int] = {}  # id(article) -> its place in outcomes

    def articles() -> Iterator[Article]:
        for ref in refs:
            if isinstance(ref, Skipped):
                outcomes.append(ref)
                continue

            def noted(note: Note, ref: Ref = ref) -> None:
                outcomes.append(ref.as_given(note))

            if ref.lines is None:
                items = read_sources(
                    [ref.at or ref.path],
                    default_date=options.default_date,
                    max_bytes=options.max_bytes,
                    timeout=options.timeout,
                    follow_links=options.follow_links,
                    seen=seen,
                    on_note=noted,
                )
            else:
                items = read_jsonl_lines(
                    ref.at or ref.path,
                    ref.offset,
                    ref.first,
                    ref.lines,
                    default_date=options.default_date,
                    max_bytes=options.max_bytes,
                    on_note=noted,
                )
            for item in map(ref.as_given, items):
                if isinstance(item, Skipped):
                    outcomes.append(item)
                elif shard is not None and int(item.content_hash[:12], 16) % shard[1] != shard[0]:
                    outcomes.append(OtherShard(item.source))
                else:
                    slots[id(item)] = len(outcomes)
                    outcomes.append(item)  # replaced by its extraction or failure below
                    yield item

    loaded, lock = extractor(settings)
    failures: dict[str, list[ExtractionFailure]] = {}

    def failed(failure: ExtractionFailure) -> None:
        failures.setdefault(failure.source, []).append(failure)

    with lock:
        done = list(extract_many(articles(), settings, extractor=loaded, on_error=failed))
    for ex in done:
        outcomes[slots.pop(id(ex.article))] = ex
    for slot in slots.values():  # the articles left out get their failures, by source, in order
        source = outcomes[slot].source
        told = failures.get(source)
        outcomes[slot] = told.pop(0) if told else ExtractionFailure(source, "extraction failed")
    if out is not None:
        write_part(out, index, [o for o in outcomes if isinstance(o, Extraction)])
        outcomes = [Written(o.article.source) if isinstance(o, Extraction) else o for o in outcomes]
    return outcomes


# ---- running (on the client) ----------------------------------------------------------------------


def scheduler_address(scheduler: str | None) -> str | None:
    """--scheduler, else Dask's own `scheduler-address` config (DASK_SCHEDULER_ADDRESS, dask YAML)."""
    if scheduler:
        return scheduler
    import importlib.util

    if importlib.util.find_spec("dask") is None:
        return None
    import dask.config

    return dask.config.get("scheduler-address", None) or None


@contextmanager
def connect(scheduler: str | None = None, workers: int = 1, settings: Settings | None = None):
    """A Client on the scheduler at `scheduler`, else on a LocalCluster of `workers` processes with
    one thread each; with `settings`, the ExtractorPlugin registered on it. Closed on exit."""
    if log.getEffectiveLevel() > logging.INFO:  # Dask's own INFO lines are not for a user without -v
        logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"Dask scheduler {scheduler}: cannot reach it ({exc})") from None
    else:
        check_main_guard()
        import dask.config

        with dask.config.set(local_workers()):
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                silence_logs=logging.ERROR,
                scheduler_kwargs={"dashboard": False},
            )
        client = Client(cluster)
    try:
        if settings is not None:
            plugin = ExtractorPlugin(settings)
            client.register_plugin(plugin, name=plugin.name)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class Session:
    """One run's Dask client, connected (see connect) when first asked for, so that the time it takes
    shows under the progress of the work that needs it, and closed on exit: an ingest or load keeps
    it from its first extraction to its last write."""

    def __init__(self, scheduler: str | None = None, workers: int = 1, settings: Settings | None = None):
        self._connect = lambda: connect(scheduler, workers, settings)
        self._stack = ExitStack()
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = self._stack.enter_context(self._connect())
        return self._client

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()


# ---- writing from the workers ---------------------------------------------------------------------


class _Stores:
    """Each worker process's open stores, by WriterSpec: a driver opened once, shared by its threads."""

    lock = threading.Lock()
    opened: dict[Any, Any] = {}


WRITE_BATCH = 8  # articles per write task: each its own transaction, one Dask round trip for all


def write_articles(spec, items: list[tuple[Extraction, Any]]) -> list[Any]:
    """On a worker: articles written to the store `spec` opens (Neo4jStore.write_article), each in
    its own transaction, one after the other, their cross-article state left pending for the
    client's refresh. A task run again after its worker died finds each article stored, or writes
    it: never twice."""
    with _Stores.lock:
        store = _Stores.opened.get(spec)
        if store is None:
            store = _Stores.opened[spec] = spec.open()
    return [store.write_article(extraction, merges) for extraction, merges in items]


class ArticleWriter:
    """A `submit` for Neo4jStore.write_many that writes on the workers of a session: articles go in
    tasks of up to `batch` (write_articles), so Dask's round trip is paid once per batch; a batch
    goes when full, or when the result of one of its articles is asked for. `batch` tells write_many
    how many articles to keep in flight per writer, so that a writer is a task at a time."""

    def __init__(self, session: Session, spec, batch: int = WRITE_BATCH):
        self.session, self.spec, self.batch = session, spec, batch
        self._run = uuid.uuid4().hex  # keys unique on a scheduler that other clients share
        self._tasks = 0
        self._filling: _Batch | None = None

    def __call__(self, extraction: Extraction, merges) -> _Written:
        if self._filling is None:
            self._filling = _Batch(self)
        filling = self._filling
        written = _Written(filling, len(filling.items))
        filling.items.append((extraction, merges))
        if len(filling.items) >= self.batch:
            filling.send()
        return written

    def _send(self, batch: _Batch) -> Any:
        if self._filling is batch:
            self._filling = None
        self._tasks += 1
        key = f"newsgraph-write-{self._run}-{self._tasks}"
        return self.session.client.submit(write_articles, self.spec, batch.items, key=key, pure=False)


class _Batch:
    """Articles of one write task: filling, then sent (its future)."""

    def __init__(self, writer: ArticleWriter):
        self.writer = writer
        self.items: list[tuple[Extraction, Any]] = []
        self.future = None
        self.results: list[Any] | None = None

    def send(self) -> None:
        if self.future is None:
            self.future = self.writer._send(self)

    def result(self, index: int) -> Any:
        self.send()
        if self.results is None:
            try:
                self.results = self.future.result()
            except KilledWorker as exc:
                first = self.items[0][0].article.source
                more = f" and {len(self.items) - 1} more" if len(self.items) > 1 else ""
                raise NewsgraphError(f"Dask workers kept dying while writing {first}{more} ({exc})") from None
            self.future.release()
        return self.results[index]

    def cancel(self) -> None:
        if self.future is not None:
            self.future.cancel()


@dataclass
class _Written:
    """One article's write in a batch: its WriteResult when asked for (sending the batch if need be)."""

    batch: _Batch
    index: int

    def result(self) -> Any:
        return self.batch.result(self.index)

    def cancel(self) -> None:
        self.batch.cancel()


def article_writer(session: Session, store) -> ArticleWriter | None:
    """For a store that takes writes from other processes (Neo4j: `writer_spec`), a `submit` for its
    write_many that runs the writes on the workers of the session; None for one that does not (the
    embedded store has one writer: this process)."""
    spec_of = getattr(store, "writer_spec", None)
    return ArticleWriter(session, spec_of()) if spec_of is not None else None


def partition_size(client, paths: Sequence[str], seen=None) -> int:
    """PARTITION_SIZE, or less for a small input: four partitions per worker thread at least, so
    that every worker gets work and none waits long for the last one."""
    threads = max(1, sum(client.nthreads().values()))
    refs = [ref for part in partitions(paths, PARTITION_SIZE, seen) for ref in part]
    total = sum(ref.lines if isinstance(ref, Ref) and ref.lines is not None else 1 for ref in refs)
    return max(1, min(PARTITION_SIZE, -(-total // (4 * threads))))


def run_partitions(
    client,
    parts: list[list[Any]],
    settings: Settings,
    options: ReadOptions = ReadOptions(),
    *,
    shard: tuple[int, int] | None = None,
    out: str | None = None,
    seen: Callable[[str], bool] | None = None,
) -> Iterator[list[Outcome]]:
    """Each partition's outcomes, in partition order, with a bounded number of tasks in flight (two
    per worker thread, at least four), so memory stays flat however large the corpus. `seen` (a
    picklable callable: it is sent to every worker once) is asked before a URL or feed item is fetched."""
    if seen is not None:
        [seen] = client.scatter([seen], broadcast=True, hash=False)
    window = max(4, 2 * sum(client.nthreads().values()))
    run = uuid.uuid4().hex  # keys unique on a scheduler that other clients share
    todo = iter(enumerate(parts))
    in_flight: deque = deque()
    try:
        while True:
            while len(in_flight) < window and (item := next(todo, None)) is not None:
                index, refs = item
                future = client.submit(
                    extract_partition,
                    refs,
                    settings,
                    options,
                    shard=shard,
                    out=out,
                    index=index,
                    seen=seen,
                    key=f"newsgraph-extract-{run}-{index}",
                )
                in_flight.append((refs, future))
            if not in_flight:
                return
            refs, future = in_flight.popleft()
            try:
                yield future.result()
            except KilledWorker as exc:
                where = ", ".join(str(r) for r in refs[:3]) + (" …" if len(refs) > 3 else "")
                raise NewsgraphError(f"Dask workers kept dying while extracting {where} ({exc})") from None
            future.release()
    finally:
        for _, future in in_flight:
            future.cancel()


def read_extractions(client, files: Sequence[str], size: int = 4 * PARTITION_SIZE) -> Iterator[tuple[str, Any]]:
    """`newsgraph load` on Dask: (FILE:LINE, the Extraction on it or why not) of every line of the
    files, read and checked by the workers in runs of `size` lines, in file and line order."""
    from newsgraph.ingest.sources import jsonl_line_starts

    refs: list[Ref] = []
    for path in files:
        if path == "-":
            raise InputError("- (standard input) cannot be read by Dask workers: save it to a file and give its path")
        try:
            runs = jsonl_line_starts(path, size)
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
        refs.extend(Ref.local(path, offset, first, lines) for offset, first, lines in runs)
    window = max(4, 2 * sum(client.nthreads().values()))
    futures: deque = deque()
    run = uuid.uuid4().hex
    todo = iter(enumerate(refs))
    while True:
        while len(futures) < window and (item := next(todo, None)) is not None:
            futures.append(client.submit(_extraction_run, item[1], key=f"newsgraph-load-{run}-{item[0]}"))
        if not futures:
            return
        future = futures.popleft()
        yield from future.result()
        future.release()


def _extraction_run(ref: Ref) -> list[tuple[str, Any]]:
    """One run of lines of an extractions file, parsed (on a worker)."""
    import io
    from itertools import islice

    from newsgraph.jobs import extraction_lines

    with open(ref.at or ref.path, "rb") as raw:
        raw.seek(ref.offset)
        lines = islice(io.TextIOWrapper(raw, encoding="utf-8"), ref.lines)
        return list(extraction_lines(lines, ref.path, ref.first))


def check_main_guard() -> None:
    """Raise ConfigError when a script starts a local cluster from its top level outside
    `if __name__ == "__main__":`. The worker processes re-import that script, start a cluster of
    their own, and Dask would only say "Nanny failed to start"."""
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False) or multiprocessing.parent_process():
        raise ConfigError(_GUARD_MESSAGE.format(where="a worker process"))
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if not path or not os.path.exists(path):
        return  # an interactive session or `python -c`: nothing is re-imported
    frame = sys._getframe()
    top = None
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__main__":
            top = frame
        frame = frame.f_back
    if top is None:
        return
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return
    line = top.f_lineno
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _tests_main(node.test) and node.lineno <= line <= (node.end_lineno or 0):
            return
    raise ConfigError(_GUARD_MESSAGE.format(where=f"{path}, line {line}"))


_GUARD_MESSAGE = (
    "a local Dask cluster is started at the top level of a script ({where}): Dask starts its workers"
    ' by re-importing the script, so put that code under `if __name__ == "__main__":`'
)


def _tests_main(test: ast.expr) -> bool:
    """Whether an `if` tests `__name__ == "__main__"` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and consts)


# ---- the Python API -------------------------------------------------------------------------------


def extract(
    refs: Iterable[str] | str,
    settings: Settings | None = None,
    *,
    partition_size: int = PARTITION_SIZE,
    date: str | None = None,
    max_bytes: int = 5_000_000,
    timeout: float = 20.0,
    follow_links: bool = True,
):
    """A dask.bag.Bag of the Extractions of the articles behind `refs` (files, directories, URLs,
    feeds, JSONL), one bag partition per partition of references, for an existing Dask pipeline:

        bag = newsgraph.dask.extract(["corpus/"], Settings(pipeline="en_core_web_md"))
        bag.map(lambda ex: len(ex.events)).sum().compute()

    Inputs that cannot be read, and articles that cannot be extracted, are left out and logged on
    the worker (as `newsgraph extract` skips them). Each worker loads the pipeline on first use;
    `client.register_plugin(newsgraph.dask.ExtractorPlugin(settings))` loads it as workers start.
    """
    settings = settings or Settings()
    options = ReadOptions(date, max_bytes, timeout, follow_links)
    parts = partitions([refs] if isinstance(refs, str) else refs, partition_size)
    task = delayed(_extractions, pure=True)
    return dask.bag.from_delayed([task(part, settings, options) for part in parts])


def _extractions(refs: Sequence[Any], settings: Settings, options: ReadOptions) -> list[Extraction]:
    kept = []
    for outcome in extract_partition(refs, settings, options):
        if isinstance(outcome, Extraction):
            kept.append(outcome)
        elif isinstance(outcome, Note):
            log.warning("note: %s: %s", outcome.source, outcome.message)
        elif hasattr(outcome, "reason"):
            log.warning("skipped %s: %s", outcome.source, outcome.reason)
    return kept
