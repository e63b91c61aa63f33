"""The embedded store: the graph in one LadybugDB file, no server (`embedded:PATH`).

The schema is schema.py's (created on first open, idempotent). `Article.pipeline` came later: stores
made before it gain the column when next opened for writing; read-only, their articles have none.

`Event.sort_key`, CO_MENTIONED and `Actor.co_mention_max` are kept up to date by every write and
removal for the catalogue's unfiltered queries (protocol.KEPT_UP): LadybugDB has no secondary
index, so without them those queries read every event or pair every actor with every other. A
store made before them gains and fills them when next opened for writing (upgrade()); opened
read-only, a query that reads them says how to add them.

Each article becomes the rows of rows.py (the mapping every backend shares). One process writes at
a time (LadybugDB locks the file), so write_many writes one article after another.

Events: an article's reports join the events other articles reported in the same transaction
(store/consolidate.py): the events of the keys its reports have (and those of an article it
replaces or removes) are regrouped, reading only those its reports can change
(consolidate.touched). LadybugDB indexes no event key, so the store keeps in memory, from its first
write, every event's key and dates, which it alone changes while it holds the file.

Roles: every title an article gives an actor is kept on that article's MENTIONED_IN (`roles`), so
it leaves with the article; `Actor.roles` is the union over the actor's articles, as
`Actor.aliases` is the union of the MENTIONED_IN `forms` minus the name. A title tied to an
organisation the same article names is also a HOLDS_ROLE edge carrying the article id; any other
title is only in those lists (no self-loops, so paths between actors stay meaningful).

An actor's name and type are those most of its articles give it (store/naming.py), recomputed from
its mentions when an article naming it otherwise comes, or one naming it goes.

`merged_from` records how cross-article resolution (graph/resolve.py) merged a differently named
actor of the article into this one ("Heidi Conner: same first name, ..."); it leaves with the article.

Each write is one transaction: an article is stored whole or not at all, also across a crash
(LadybugDB replays its write-ahead log and drops an unfinished transaction).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import logging
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import ladybug

from newsgraph.errors import ConfigError, QueryError, StoreError
from newsgraph.model import Extraction, replacing_source
from newsgraph.store import schema
from newsgraph.store.consolidate import (
    EVENT_PROPERTIES,
    Report,
    changes,
    context_date,
    reports_of_unkeyed,
    soft_date,
    stored_events,
    touched,
)
from newsgraph.store.naming import actor_naming, may_rename
from newsgraph.store.protocol import KEPT_UP, Merges, outdated_store
from newsgraph.store.read_only import check_read
from newsgraph.store.records import (
    ActorRecord,
    ArticleRecord,
    EventRecord,
    GraphSnapshot,
    ReportRecord,
    RoleRecord,
    WriteResult,
    WriteStats,
)
from newsgraph.store.rows import Row, actor_lists, extraction_rows, reports
from newsgraph.store.selection import Selection, order, select

log = logging.getLogger(__name__)

SCHEMA = schema.ladybug_ddl()

# The pairs of actors an article mentions, each once (smaller id first).
_ARTICLE_PAIRS = (
    "MATCH (x:Actor)-[:MENTIONED_IN]->(:Article {id: $article})<-[:MENTIONED_IN]-(y:Actor) WHERE x.id < y.id"
)

COUNTS = {
    "articles": "MATCH (n:Article) RETURN count(n)",
    "actors": "MATCH (n:Actor) RETURN count(n)",
    "events": "MATCH (n:Event) RETURN count(n)",
    "agent": "MATCH ()-[r:AGENT]->() RETURN count(r)",
    "patient": "MATCH ()-[r:PATIENT]->() RETURN count(r)",
    "reported_in": "MATCH ()-[r:REPORTED_IN]->() RETURN count(r)",
    "mentioned_in": "MATCH ()-[r:MENTIONED_IN]->() RETURN count(r)",
    "holds_role": "MATCH ()-[r:HOLDS_ROLE]->() RETURN count(r)",
}

# The write-ahead log, and the log a checkpoint works from (until it is done).
_LOG_SUFFIXES = (".wal", ".wal.checkpoint")
_CHECKPOINT_PENDING = "checkpoint recovery is pending"
# Less free space than this, when the engine fails to write, is a full disk.
_FULL = 1 << 20

# Handles of databases that must never be closed (see EmbeddedStore.close).
_ABANDONED: list[Any] = []

# What the ladybug package raises: RuntimeError from the engine, TypeError or ValueError for a
# parameter value it cannot convert.
ENGINE_ERRORS = (RuntimeError, TypeError, ValueError)

# String literals, quoted identifiers and comments: what the scans for parameters and kept-up names
# must not look into.
_LITERAL_RE = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/",
    re.DOTALL,
)
_PARAM_RE = re.compile(r"\$(\w+)")

# The columns _regroup reads for each stored report (consolidate.stored_events).
_REPORT_COLUMNS = (
    "event", "article", "article_date", "report", "trigger", "date", "date_text", "modality", "confidence", "quote",
    "evidence", "start", "end", "sentence", "position",
)  # fmt: skip


# An event as the embedded store's index of event keys holds it: its date, the dates its reports give.
Dated = tuple[str | None, frozenset[str | None], bool]  # an event's date, its reports', soft (consolidate)


def cypher_code(cypher: str) -> str:
    """The statement with string literals, quoted names and comments blanked out."""
    return _LITERAL_RE.sub(lambda m: " " * len(m.group(0)), cypher)


def _one_line(exc: BaseException) -> str:
    """Ladybug's message on one line; a parser error quotes the statement, keep only its tail."""
    text = (str(exc).strip() or type(exc).__name__).splitlines()[0]
    return re.sub(r"Invalid input <(.{40,}?)>:", lambda m: f"Invalid input <...{m.group(1)[-40:]}>:", text)


def _io_failure(exc: BaseException) -> bool:
    """Whether the engine failed to read or write a file it holds (a full disk, an I/O error)."""
    text = str(exc)
    return "IO exception" in text and ("Cannot write" in text or "Cannot read from file" in text)


def _abandon(*handles: Any) -> None:
    """Keep LadybugDB handles alive until the process ends, so that they are never closed: a
    reference of our own that nothing releases (not even the interpreter's shutdown, which clears
    module lists); the process's end releases the file lock."""
    for handle in handles:
        if handle is not None:
            _ABANDONED.append(handle)
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(handle))


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """Ladybug values as plain Python: nodes and relationships as property dicts, paths as dicts of lists."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        if "_NODES" in value:
            strip = lambda d: {k: v for k, v in _plain(d).items() if v is not None}  # noqa: E731
            return {"nodes": [strip(n) for n in value["_NODES"]], "rels": [strip(r) for r in value["_RELS"]]}
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


class EmbeddedStore:
    """A Store over one LadybugDB file; see the module docstring for the schema."""

    backend = "embedded"

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True, buffer_pool_size: int = 0):
        """Open the store file, creating it (and its directory) only to write with `create`;
        `buffer_pool_size` 0 is LadybugDB's default (most of the memory, reserved as it is used)."""
        self.path = Path(path).expanduser()
        self.uri = f"embedded:{self.path}"
        self.read_only = read_only
        self._db: Any = None
        self._conn: Any = None
        self._outdated = False  # made before KEPT_UP was kept, and opened read-only
        self._write_stats = WriteStats()
        self._query_timeout: float | None = None
        self._broken = False  # a write to its log failed: see close()
        self._event_keys: dict[str, dict[str, Dated]] | None = None  # key -> {event: dates}; _events_of
        if read_only or not create:
            if not self.path.exists():
                raise StoreError(
                    f"store {self.path}: no store there (nothing has been written yet; newsgraph ingest makes one)"
                )
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"store {self.path}: cannot create directory {self.path.parent} ({exc.strerror or exc})"
                ) from exc
        if self.path.is_dir():
            raise StoreError(f"store {self.path}: is a directory; give a file path such as {self.path / 'graph.lbug'}")
        try:
            self._db = self._database(read_only, buffer_pool_size)
            self._conn = ladybug.Connection(self._db)
            if read_only:
                tables = {name for [name] in self._run("CALL SHOW_TABLES() RETURN name")}
                self._outdated = "Event" in tables and (
                    "CO_MENTIONED" not in tables
                    or "key" not in {name for [name] in self._run("CALL TABLE_INFO('Event') RETURN name")}
                )
            else:
                for statement in SCHEMA:
                    self._conn.execute(statement)
        except ENGINE_ERRORS as exc:
            self._broken = _io_failure(exc)
            self.close(checkpoint=False)
            if self._broken:
                raise StoreError(f"store {self.path}: cannot open ({self._io_reason(exc)})") from exc
            raise StoreError(self._open_error(exc)) from exc
        if not read_only:
            try:
                self.upgrade()
            except StoreError:
                self.close(checkpoint=False)
                raise

    @classmethod
    def open(cls, uri: str, *, read_only: bool = False, create: bool = True, **options: Any) -> EmbeddedStore:
        """The store `embedded:PATH` names (newsgraph.store.open_store); of the options only `timeout`
        applies (credentials and the like are for servers)."""
        store = cls(uri.removeprefix("embedded:"), read_only=read_only, create=create)
        if options.get("timeout"):
            store.set_query_timeout(float(options["timeout"]))
        return store

    def _database(self, read_only: bool, buffer_pool_size: int) -> Any:
        """The LadybugDB database. A checkpoint that a crash interrupted is finished first (LadybugDB
        does that only for a writable open, and refuses a read-only one until then)."""
        try:
            return self._replayed(read_only, buffer_pool_size)
        except ENGINE_ERRORS as exc:
            if not (read_only and _CHECKPOINT_PENDING in str(exc)):
                raise
        try:
            self._finish_checkpoint(buffer_pool_size)
        except StoreError as unfinished:
            try:  # a failed attempt gives the log back (a full disk): reading goes on from it
                database = self._replayed(read_only, buffer_pool_size)
            except ENGINE_ERRORS:
                raise unfinished from None
            log.warning("%s", unfinished)
            return database
        return self._replayed(read_only, buffer_pool_size)

    def _replayed(self, read_only: bool, buffer_pool_size: int) -> Any:
        """The database with its write-ahead log replayed, recovering from a log whose end a crash or
        a power loss cut off, zeroed or garbled: each commit syncs its whole record to the log first,
        so what fails to replay is the end of the log, after the last whole write. LadybugDB refuses
        such a log by default (with one of many messages); it is opened again replaying what precedes
        the damage, and the loss of what follows said."""
        options = {"read_only": read_only, "buffer_pool_size": buffer_pool_size}
        try:
            return ladybug.Database(str(self.path), **options)
        except ENGINE_ERRORS as exc:
            if _io_failure(exc) or not any(Path(f"{self.path}{suffix}").exists() for suffix in _LOG_SUFFIXES):
                raise  # a disk that cannot be written is no damaged log
            failure = exc
        try:
            database = ladybug.Database(str(self.path), **options, throw_on_wal_replay_failure=False)
        except ENGINE_ERRORS:
            raise failure from None  # not the log's fault
        log.warning(
            "store %s: discarding a write a crash cut off: the end of its log is incomplete or damaged (%s);"
            " every write before it is kept",
            self.path,
            _one_line(failure)[:120],
        )
        return database

    def _finish_checkpoint(self, buffer_pool_size: int) -> None:
        """Open the store writable once, which finishes a checkpoint that was interrupted."""
        try:
            self._replayed(False, buffer_pool_size).close()
        except ENGINE_ERRORS as exc:
            if "Could not set lock" in str(exc):  # a writer holds it, and finishes the checkpoint itself
                raise StoreError(
                    f"store {self.path}: another process is writing it and has a checkpoint to finish;"
                    " retry when it has ended"
                ) from exc
            if _io_failure(exc) and self._disk_full():
                why, then = self._io_reason(exc), "free some space, then"
            else:
                why, then = self._open_error(exc).removeprefix(f"store {self.path}: "), "when it can be written,"
            raise StoreError(
                f"store {self.path}: a checkpoint was interrupted (by a crash or a full disk) and only a write"
                f" can finish it; finishing it failed ({why}); {then} run: newsgraph upgrade --store {self.uri}"
            ) from exc
        log.warning("store %s: finished a checkpoint that had been interrupted", self.path)

    def _open_error(self, exc: BaseException) -> str:
        text = _one_line(exc)
        where = f"store {self.path}"
        if "Could not set lock" in text:
            pid = re.search(r"held by PID (\d+)", str(exc))
            by = f"process {pid.group(1)}" if pid else "another process"
            return f"{where}: locked by {by}; close it, or open the store read-only"
        if "not a valid" in text and "database file" in text:
            return f"{where}: not a newsgraph store or corrupt (not a valid LadybugDB file)"
        if "Cannot open file" in text:
            return f"{where}: cannot open ({text.rsplit(': ', 1)[-1]})"
        return f"{where}: cannot open ({text})"

    # -- plumbing ------------------------------------------------------------------------------

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            self.close()
        except StoreError as failure:
            if exc_type is None:
                raise
            log.warning("%s", failure)  # the error that ended the block is the one to report

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r}, read_only={self.read_only})"

    def set_query_timeout(self, seconds: float) -> None:
        """Interrupt any later statement that runs longer than this (a one-line QueryError)."""
        self._conn.set_query_timeout(max(1, int(seconds * 1000)))
        self._query_timeout = seconds

    def close(self, *, checkpoint: bool = True) -> None:
        """Close the store. A writable one is checkpointed first (its log folded into the store
        file), so that a failure there is a StoreError: closing alone would only drop it.

        A store whose log could not be written (a full disk) is abandoned instead: LadybugDB retries
        the write when it closes such a database and aborts the process when that fails. Its commits
        are in the log already; the next open discards the cut-off record (see _replayed)."""
        conn, db = self._conn, self._db
        self._conn = self._db = None
        if self._broken:
            _abandon(conn, db)
            return
        failure = None
        if checkpoint and conn is not None and not self.read_only:
            try:
                conn.execute("CHECKPOINT").close()
            except ENGINE_ERRORS as exc:
                failure = exc
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()
        if failure is not None:
            raise StoreError(
                f"store {self.path}: every write is safe in its log, but folding the log into the store file"
                f" failed ({self._io_reason(failure)}); "
                + ("free some space, then" if self._disk_full() else "when that is fixed,")
                + f" run: newsgraph upgrade --store {self.uri}"
            ) from failure

    def _connection(self) -> Any:
        if self._conn is None:
            raise StoreError(f"store {self.path}: closed")
        return self._conn

    def _run(self, cypher: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        result = self._connection().execute(cypher, params or {})
        try:
            return result.get_all()
        finally:
            result.close()

    def _ids(self, cypher: str, params: dict[str, Any] | None = None) -> list[str]:
        return [row[0] for row in self._run(cypher, params)]

    @contextlib.contextmanager
    def _write_transaction(self, what: str):
        """One write transaction: committed when the block ends, rolled back (and the engine's error
        turned into a one-line StoreError naming `what`) when anything in it fails."""
        try:
            self._run("BEGIN TRANSACTION")
            try:
                yield
                self._run("COMMIT")
            except BaseException:
                self._rollback()
                self._event_keys = None  # it may hold what was rolled back: read again when next needed
                raise
        except ENGINE_ERRORS as exc:
            if _io_failure(exc):
                self._broken = True
                raise StoreError(
                    f"store {self.path}: {what} failed ({self._io_reason(exc)}); it was not stored"
                ) from exc
            raise StoreError(f"store {self.path}: {what} failed ({_one_line(exc)})") from exc

    def _disk_full(self) -> bool:
        try:
            return shutil.disk_usage(self.path.parent).free < _FULL
        except OSError:
            return False

    def _io_reason(self, exc: BaseException) -> str:
        """What an engine I/O failure means. Its errno is not to be trusted ("Error: Success" for a
        full disk), so a disk with (almost) no space left is said to be full."""
        if self._disk_full():
            free = shutil.disk_usage(self.path.parent).free
            return f"no space left on the disk: {free} bytes free in {self.path.parent}"
        return _one_line(exc)

    def _rollback(self) -> None:
        # Ladybug ends a transaction itself when a statement in it fails; ROLLBACK then has nothing to do.
        with contextlib.suppress(RuntimeError):
            self._run("ROLLBACK")

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path}: opened read-only, cannot {what}")
        self._connection()

    # -- writes --------------------------------------------------------------------------------

    @property
    def write_stats(self) -> WriteStats:
        return self._write_stats

    def write(self, extraction: Extraction, merges: Merges | None = None) -> WriteResult:
        """Store one article; `merges` (actor id -> records, from graph/resolve.py) go on its mentions."""
        art = extraction.article
        self._writable(f"write article {art.id}")
        with self._write_transaction(f"writing article {art.id}"):
            return self._write(extraction, merges or {})

    def write_many(self, items: Iterable[tuple[Extraction, Merges]], *, writers: int = 1) -> Iterator[WriteResult]:
        """Store articles one after another, each in its own transaction: LadybugDB takes one writer."""
        if writers != 1:
            raise ConfigError(f"store {self.path}: the embedded store takes one writer, not {writers}")
        self._write_stats = WriteStats(peak_writers=1)
        for extraction, merges in items:
            self._write_stats.transactions += 1
            yield self.write(extraction, merges)

    def _write(self, ex: Extraction, merges: Merges) -> WriteResult:
        art = ex.article
        # Re-ingesting an unchanged article is the common case, and its id (from the content) is the
        # primary key: one index lookup settles it, where the match on hash, source or url below
        # scans every article (Ladybug indexes only primary keys).
        if self._run("MATCH (a:Article {id: $id}) RETURN a.id", {"id": art.id}):
            return WriteResult(art.id, "unchanged")
        stored = self._run(
            "MATCH (a:Article) WHERE a.id = $id OR a.content_hash = $hash OR a.source = $source OR a.url = $url"
            " RETURN a.id, a.content_hash",
            {"id": art.id, "hash": art.content_hash, "source": replacing_source(art.source), "url": art.url},
        )
        same = [a for a, h in stored if a == art.id or h == art.content_hash]
        if same:
            return WriteResult(same[0], "unchanged")
        touched: set[str] = set()
        keys: set[str] = set()
        for old_id, _ in stored:
            actors, events = self._delete_article(old_id)
            touched |= actors
            keys |= events
        told = reports(ex)
        rows = extraction_rows(ex, merges, told)
        [article] = rows["articles"]
        self._run(
            "CREATE (:Article {id: $id, source: $source, url: $url, title: $title, date: $date, outlet: $outlet,"
            " author: $author, content_hash: $content_hash, body: $body, pipeline: $pipeline})",
            article,
        )
        co_mention_max: dict[str, int] = {}
        renamed: set[str] = set()
        if rows["actors"]:
            co_mention_max, renamed = self._write_actors(art.id, rows, touched)
        self._regroup(keys | {r.key for r in told}, told, whole=keys)
        self._count_co_mentions(art.id, co_mention_max)
        self._refresh_actors(touched | renamed)
        self._refresh_co_mention_max(touched)
        status = "replaced" if stored else "added"
        return WriteResult(art.id, status, events=len(rows["events"]), actors=len(rows["actors"]))

    def _write_actors(
        self, article_id: str, rows: dict[str, list[Row]], touched: set[str]
    ) -> tuple[dict[str, int], set[str]]:
        """Create missing actors, link every actor to the article, and grow aliases and roles; the
        co_mention_max of each actor as it now stands (a new actor's counts this article only), and
        the stored actors this article names otherwise than they are named (to name again from all
        their mentions: naming.py; an article that names one as it is named cannot change its name)."""
        known, names, co_mention_max = {}, {}, {}
        for actor, name, kind, aliases, roles, most in self._run(
            "UNWIND $ids AS i MATCH (x:Actor {id: i})"
            " RETURN x.id, x.name, x.kind, x.aliases, x.roles, x.co_mention_max",
            {"ids": [r["id"] for r in rows["actors"]]},
        ):
            known[actor], names[actor], co_mention_max[actor] = (aliases or [], roles or []), (name, kind), most or 0
        new, grown = [], []
        renamed = {
            m["actor"]
            for m in rows["mentions"]
            if m["actor"] in names and may_rename(*names[m["actor"]], m["name"], m["kind"])
        }
        for actor, mention in zip(rows["actors"], rows["mentions"], strict=True):
            if actor["id"] in touched | renamed:  # recomputed from scratch after the write; nothing to grow
                continue
            aliases, roles = known.get(actor["id"], ([], []))
            name = names[actor["id"]][0] if actor["id"] in names else actor["name"]
            grown_aliases, grown_roles = actor_lists(name, [aliases, mention["forms"]], [roles, mention["roles"]])
            row = {"id": actor["id"], "aliases": grown_aliases, "roles": grown_roles}
            if actor["id"] not in known:
                # Every pair a new actor is in is new, shared by this one article.
                co_mention_max[actor["id"]] = 1 if len(rows["actors"]) > 1 else 0
                new.append({**row, "name": actor["name"], "kind": actor["kind"], "most": co_mention_max[actor["id"]]})
            elif (row["aliases"], row["roles"]) != (aliases, roles):
                grown.append(row)
        if new:
            self._run(
                "UNWIND $rows AS r CREATE (:Actor {id: r.id, name: r.name, kind: r.kind, aliases: r.aliases,"
                " roles: r.roles, co_mention_max: r.most})",
                {"rows": new},
            )
        if grown:
            self._run(
                "UNWIND $rows AS r MATCH (x:Actor {id: r.id}) SET x.aliases = r.aliases, x.roles = r.roles",
                {"rows": grown},
            )
        self._run(
            "MATCH (a:Article {id: $article}) UNWIND $rows AS r MATCH (x:Actor {id: r.actor})"
            " CREATE (x)-[:MENTIONED_IN {mentions: r.mentions, forms: r.forms, roles: r.roles,"
            " merged_from: CAST(r.merged_from AS STRING[]), name: r.name, kind: r.kind}]->(a)",  # all null:
            {"article": article_id, "rows": rows["mentions"]},  # Ladybug would type merged_from STRING
        )
        if rows["roles"]:
            self._run(
                "UNWIND $rows AS r MATCH (h:Actor {id: r.holder}) MATCH (o:Actor {id: r.organisation})"
                " CREATE (h)-[:HOLDS_ROLE {title: r.title, article: r.article}]->(o)",
                {"rows": rows["roles"]},
            )
        return co_mention_max, renamed

    def _events_of(self, keys: set[str]) -> dict[str, dict[str, Dated]]:
        """The stored events of these keys: key -> {event id: (its date, the dates its reports give)}.
        LadybugDB indexes no key, and reading every event's key in each write would make a load
        quadratic; the process that writes a store is its only writer (LadybugDB locks the file), so
        the store reads them all once, on the first write, and keeps them up to date with its own
        changes (_regroup). A transaction that fails drops them, to be read again."""
        if self._event_keys is None:
            told: dict[str, set[str | None]] = {}
            hard: dict[str, set[str]] = {}  # the dates reports give by a time phrase (not soft)
            for event, date, date_text, article_date in self._run(
                "MATCH (e:Event)-[r:REPORTED_IN]->(a:Article) RETURN e.id, r.date, r.date_text, a.date"
            ):
                told.setdefault(event, set()).add(date)
                if date is not None and not soft_date(date, date_text, article_date):
                    hard.setdefault(event, set()).add(date)
            self._event_keys = {}
            for key, event, date in self._run("MATCH (e:Event) RETURN e.key, e.id, e.date"):
                soft = date is not None and date not in hard.get(event, ())
                self._event_keys.setdefault(key, {})[event] = (date, frozenset(told.get(event, ())), soft)
        return {key: dict(self._event_keys.get(key, {})) for key in keys}

    def _regroup(
        self,
        keys: set[str],
        new: list[Report] | tuple[Report, ...] = (),
        whole: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        """Make the events of these keys those their stored reports and the `new` ones (of the article
        being written) give (store/consolidate.py), changing only what differs. Of a key whose
        reports only `new` adds to, only the events the new reports can change are read
        (consolidate.touched); of the others (`whole`: an article's reports went), every event.
        Every event of a key has the same parties: they are read for one event of each key the new
        reports do not give them for."""
        known = self._events_of(keys)
        dates: dict[str, list[str | None]] = {}
        for r in new:
            dates.setdefault(r.key, []).append(r.date)
        held: dict[str, str] = {}  # the events read: id -> key
        context: dict[str, list[str | None]] = {}
        for key, events in known.items():
            chosen = set(events) if key in whole or key not in dates else touched(events, dates[key])
            held.update((event, key) for event in chosen)
            if len(chosen) < len(events):
                context[key] = [context_date(date, soft) for e, (date, _, soft) in events.items() if e not in chosen]
        if not held and not new:
            return
        # One read per event: LadybugDB joins an UNWIND of ids to the edges by reading whole tables.
        rows = [
            row
            for event in sorted(held)
            for row in self._run(
                "MATCH (e:Event {id: $id})-[r:REPORTED_IN]->(a:Article)"
                " RETURN e.id, e.key, e.category, e.trigger, e.date, e.date_text, e.modality, e.confidence,"
                " e.quote, e.plover, e.sort_key, e.reports, e.id, a.id, a.date, r.report, r.trigger, r.date,"
                " r.date_text, r.modality, r.confidence, r.quote, r.evidence, r.start, r.`end`, r.sentence,"
                " r.position",
                {"id": event},
            )
        ]
        width = len(EVENT_PROPERTIES)
        found = {row[0]: row[:width] for row in rows}
        told = [dict(zip(_REPORT_COLUMNS, row[width:], strict=True)) for row in rows]
        orphans = sorted(set(held) - set(found))  # their last report went with its article
        if orphans:
            self._run("UNWIND $ids AS i MATCH (e:Event {id: i}) DETACH DELETE e", {"ids": orphans})
        parties = {r.key: (list(r.agents), list(r.patients)) for r in new}
        unknown = {key: event for event, key, *_ in found.values() if key not in parties}
        for key in unknown:
            parties[key] = ([], [])
        if unknown:
            for key, rel, actor in self._run(
                "UNWIND $ids AS i MATCH (e:Event {id: i})-[r:AGENT|PATIENT]->(x:Actor) RETURN e.key, label(r), x.id",
                {"ids": sorted(unknown.values())},
            ):
                parties[key][rel == "PATIENT"].append(actor)
        events = [
            dict(zip((*EVENT_PROPERTIES, "agents", "patients"), [*row, *parties[row[1]]], strict=True))
            for row in found.values()
        ]
        todo = changes(stored_events(events, told), new, context)
        if self._event_keys is not None:
            for event, key in held.items():
                self._event_keys[key].pop(event, None)
            for event in todo.events:
                self._event_keys.setdefault(event.key, {})[event.id] = (
                    event.date,
                    frozenset(r.date for r in event.reports),
                    event.soft,
                )
        if todo.delete:
            self._run("UNWIND $ids AS i MATCH (e:Event {id: i}) DETACH DELETE e", {"ids": todo.delete})
        if todo.unlink:
            self._run(
                "UNWIND $rows AS r MATCH (:Event {id: r.event})-[x:REPORTED_IN]->(:Article)"
                " WHERE x.report = r.report DELETE x",
                {"rows": todo.unlink},
            )
        if todo.update:
            self._run(
                "UNWIND $rows AS r MATCH (e:Event {id: r.id}) SET e.trigger = r.trigger, e.date = r.date,"
                " e.date_text = r.date_text, e.modality = r.modality, e.confidence = r.confidence,"
                " e.quote = r.quote, e.sort_key = r.sort_key, e.reports = r.reports",
                {"rows": todo.update},
            )
        if todo.create:
            # A new event with its lead report's edge in one statement (its id is that report's), the
            # article matched once for all the new events it leads.
            leads = {r["event"]: r for r in todo.link if r["report"] == r["event"]}
            by_article: dict[str, list[Row]] = {}
            for event in todo.create:
                lead = leads[event["id"]]
                by_article.setdefault(lead["article"], []).append(
                    {**event, **{f"told_{k}": v for k, v in lead.items()}}
                )
            for article, rows in sorted(by_article.items()):
                self._run(
                    "MATCH (a:Article {id: $article}) UNWIND $rows AS r"
                    " CREATE (:Event {id: r.id, key: r.key, category: r.category, trigger: r.trigger,"
                    " date: r.date, date_text: r.date_text, modality: r.modality, confidence: r.confidence,"
                    " quote: r.quote, plover: r.plover, sort_key: r.sort_key, reports: r.reports})"
                    "-[:REPORTED_IN {report: r.told_report, evidence: r.told_evidence, start: r.told_start,"
                    " `end`: r.told_end, sentence: r.told_sentence, trigger: r.told_trigger, date: r.told_date,"
                    " date_text: r.told_date_text, modality: r.told_modality, confidence: r.told_confidence,"
                    " quote: r.told_quote, position: r.told_position}]->(a)",
                    {"article": article, "rows": rows},
                )
            todo.link = [r for r in todo.link if r["event"] not in leads or r["report"] != r["event"]]
        if todo.link:
            self._run(
                "UNWIND $rows AS r MATCH (e:Event {id: r.event}) MATCH (a:Article {id: r.article})"
                " CREATE (e)-[:REPORTED_IN {report: r.report, evidence: r.evidence, start: r.start, `end`: r.`end`,"
                " sentence: r.sentence, trigger: r.trigger, date: r.date, date_text: r.date_text,"
                " modality: r.modality, confidence: r.confidence, quote: r.quote, position: r.position}]->(a)",
                {"rows": todo.link},
            )
        for rel, kind in (("AGENT", todo.agents), ("PATIENT", todo.patients)):
            if kind:
                self._run(
                    "UNWIND $rows AS r MATCH (e:Event {id: r.event}) MATCH (x:Actor {id: r.actor})"
                    f" CREATE (e)-[:{rel}]->(x)",
                    {"rows": kind},
                )

    def _delete_article(self, article_id: str) -> tuple[set[str], set[str]]:
        """Delete an article, its reports and its roles; return the actors it mentioned and the keys of
        the events it reported (to refresh and regroup)."""
        params = {"id": article_id}
        touched = set(self._ids("MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article {id: $id}) RETURN x.id", params))
        keys = set(self._ids("MATCH (e:Event)-[:REPORTED_IN]->(a:Article {id: $id}) RETURN DISTINCT e.key", params))
        self._run(
            _ARTICLE_PAIRS + " MATCH (x)-[c:CO_MENTIONED]->(y)"
            " SET c.articles = c.articles - 1 WITH c WHERE c.articles < 1 DELETE c",
            {"article": article_id},
        )
        if touched:
            self._run(
                "UNWIND $ids AS i MATCH (h:Actor {id: i})-[r:HOLDS_ROLE]->(:Actor) WHERE r.article = $id DELETE r",
                {"ids": sorted(touched), "id": article_id},
            )
        self._run("MATCH (a:Article {id: $id}) DETACH DELETE a", params)
        return touched, keys  # regrouping deletes the events left without a report

    def _refresh_actors(self, ids: set[str]) -> None:
        """Recompute name, type, aliases and roles of these actors from their mentions; delete those
        left with none."""
        if not ids:
            return
        rows = self._run(
            "UNWIND $ids AS i MATCH (x:Actor {id: i}) OPTIONAL MATCH (x)-[m:MENTIONED_IN]->(:Article)"
            " RETURN x.id, x.name, x.kind, collect(m.forms), collect(m.roles),"
            " collect([m.name, m.kind, CAST(m.mentions AS STRING)]), count(m)",
            {"ids": sorted(ids)},
        )
        orphans, updates = [], []
        for actor, name, kind, forms, roles, votes, mentioned in rows:
            if not mentioned:
                orphans.append(actor)
                continue
            name, kind = actor_naming(actor, name, kind, [(n, k, int(m or 0)) for n, k, m in votes])
            aliases, titles = actor_lists(name, forms, roles)
            updates.append({"id": actor, "name": name, "kind": kind, "aliases": aliases, "roles": titles})
        if orphans:
            self._run("UNWIND $ids AS i MATCH (x:Actor {id: i}) DETACH DELETE x", {"ids": orphans})
        if updates:
            self._run(
                "UNWIND $rows AS r MATCH (x:Actor {id: r.id})"
                " SET x.name = r.name, x.kind = r.kind, x.aliases = r.aliases, x.roles = r.roles",
                {"rows": updates},
            )

    def _count_co_mentions(self, article_id: str, co_mention_max: dict[str, int]) -> None:
        """Count the article for every pair of its actors (the keys of `co_mention_max`, their
        maxima as they stand) and raise the maxima the new counts pass. Pairs already counted are
        raised and the others created, one statement each: Ladybug's MERGE of a relationship takes
        ten times as long."""
        if len(co_mention_max) < 2:
            return
        counts = {
            (x, y): n
            for x, y, n in self._run(
                _ARTICLE_PAIRS + " MATCH (x)-[c:CO_MENTIONED]->(y)"
                " SET c.articles = c.articles + 1 RETURN x.id, y.id, c.articles",
                {"article": article_id},
            )
        }
        actors = sorted(co_mention_max)
        new = [{"x": x, "y": y} for i, x in enumerate(actors) for y in actors[i + 1 :] if (x, y) not in counts]
        if new:
            self._run(
                "UNWIND $rows AS r MATCH (x:Actor {id: r.x}) MATCH (y:Actor {id: r.y})"
                " CREATE (x)-[:CO_MENTIONED {articles: 1}]->(y)",
                {"rows": new},
            )
            counts.update({(r["x"], r["y"]): 1 for r in new})
        most = dict(co_mention_max)
        for pair, n in counts.items():
            for actor in pair:
                most[actor] = max(most[actor], n)
        raised = [{"id": a, "most": n} for a, n in sorted(most.items()) if n > co_mention_max[a]]
        if raised:
            self._run("UNWIND $rows AS r MATCH (x:Actor {id: r.id}) SET x.co_mention_max = r.most", {"rows": raised})

    def _refresh_co_mention_max(self, ids: set[str]) -> None:
        """Recompute the co_mention_max of these actors, after an article that mentioned them went."""
        if not ids:
            return
        rows = self._run(
            "UNWIND $ids AS i MATCH (x:Actor {id: i}) OPTIONAL MATCH (x)-[c:CO_MENTIONED]-(:Actor)"
            " RETURN x.id, max(c.articles)",
            {"ids": sorted(ids)},
        )
        if rows:  # the actors left with none of their articles are gone
            self._run(
                "UNWIND $rows AS r MATCH (x:Actor {id: r.id}) SET x.co_mention_max = r.most",
                {"rows": [{"id": actor, "most": most or 0} for actor, most in rows]},
            )

    def upgrade(self) -> dict[str, int]:
        """Fill the event keys, sort keys and co-mention counts a store made before them lacks (SCHEMA
        added the columns and table), making the events of a store made before events were
        consolidated one per real event. Opening for writing does it; how many events and pairs it
        filled."""
        self._writable("upgrade")
        filled = {"events": 0, "pairs": 0}
        with self._write_transaction("adding event sort keys and co-mention counts"):
            if self._run("MATCH (e:Event) WHERE e.key IS NULL RETURN e.id LIMIT 1"):
                filled["events"] = self._regroup_unkeyed()
            # Regrouping the reports of an event gives it its sort key (consolidate.py).
            keys = self._run("MATCH (e:Event) WHERE e.sort_key IS NULL RETURN e.key, count(e)")
            if keys:
                self._regroup({key for key, _ in keys}, whole={key for key, _ in keys})
                filled["events"] += sum(n for _, n in keys)
            if self._run("MATCH (x:Actor) WHERE x.co_mention_max IS NULL RETURN x.id LIMIT 1"):
                self._run("MATCH (:Actor)-[c:CO_MENTIONED]->(:Actor) DELETE c")
                [[filled["pairs"]]] = self._run(
                    "MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor) WHERE x.id < y.id"
                    " WITH x, y, count(a) AS shared CREATE (x)-[c:CO_MENTIONED {articles: shared}]->(y)"
                    " RETURN count(c)"
                )
                self._run(
                    "MATCH (x:Actor) OPTIONAL MATCH (x)-[c:CO_MENTIONED]-(:Actor)"
                    " WITH x, max(c.articles) AS most SET x.co_mention_max = coalesce(most, 0)"
                )
        return filled

    def _regroup_unkeyed(self) -> int:
        """Make one event of the reports of each real event in a store made before events were
        consolidated (one event per report, without key); how many such events there were."""
        parties: dict[str, tuple[list[str], list[str]]] = {}
        for side, rel in enumerate(("AGENT", "PATIENT")):
            for event_id, actor in self._run(
                f"MATCH (e:Event)-[:{rel}]->(x:Actor) WHERE e.key IS NULL RETURN e.id, x.id"
            ):
                parties.setdefault(event_id, ([], []))[side].append(actor)
        columns = (
            "id", "category", "trigger", "date", "date_text", "modality", "confidence", "quote", "plover", "article",
            "article_date", "evidence", "start", "end", "sentence", "order",
        )  # fmt: skip
        rows = [
            dict(zip(columns, row, strict=True))
            for row in self._run(
                "MATCH (e:Event)-[r:REPORTED_IN]->(a:Article) WHERE e.key IS NULL"
                " RETURN e.id, e.category, e.trigger, e.date, e.date_text, e.modality, e.confidence, e.quote,"
                " e.plover, a.id, a.date, r.evidence, r.start, r.`end`, r.sentence, offset(id(e))"
            )
        ]
        for row in rows:
            row["agents"], row["patients"] = parties.get(row["id"], ([], []))
        told = reports_of_unkeyed(rows)
        self._run("MATCH (e:Event) WHERE e.key IS NULL DETACH DELETE e")
        self._event_keys = None
        self._regroup({r.key for r in told}, told, whole={r.key for r in told})
        return len(rows)

    def remove(self, article: str) -> bool:
        self._writable(f"remove article {article}")
        with self._write_transaction(f"removing article {article}"):
            found = self._ids(
                "MATCH (a:Article) WHERE a.id = $key OR a.url = $key OR a.source = $key RETURN a.id",
                {"key": article},
            )
            touched: set[str] = set()
            keys: set[str] = set()
            for article_id in found:
                actors, events = self._delete_article(article_id)
                touched |= actors
                keys |= events
            self._regroup(keys, whole=keys)
            self._refresh_actors(touched)
            self._refresh_co_mention_max(touched)
        return bool(found)

    # -- reads ---------------------------------------------------------------------------------

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only statement; rows as dicts of plain values (nodes and rels as property dicts)."""
        check_read(cypher)  # what a read may contain, before the engine sees it
        params = dict(params or {})
        missing = sorted(set(_PARAM_RE.findall(cypher_code(cypher))) - set(params))
        if missing:
            # Ladybug reads an unbound $name as NULL when no parameters are given at all; refuse instead.
            raise QueryError("missing parameter " + ", ".join(f"${m}" for m in missing))
        self._connection()
        try:
            # A read-only transaction makes the engine itself refuse any write the keyword scan missed.
            self._run("BEGIN TRANSACTION READ ONLY")
            try:
                result = self._conn.execute(cypher, params)
                if isinstance(result, list):
                    for r in result:
                        r.close()
                    raise QueryError("refused: one statement per query")
                try:
                    columns = result.get_column_names()
                    rows = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in result.get_all()]
                finally:
                    result.close()
                self._run("COMMIT")
            except BaseException:
                self._rollback()
                raise
        except ENGINE_ERRORS as exc:
            if "Interrupted" in str(exc) and self._query_timeout:
                raise QueryError(f"query timed out after {self._query_timeout:g}s") from exc
            if self._outdated and KEPT_UP.search(cypher_code(cypher)):
                raise outdated_store(f"store {self.path}", self.uri) from exc
            raise QueryError(_one_line(exc)) from exc
        return rows

    def counts(self) -> dict[str, int]:
        try:
            return {name: self._run(cypher)[0][0] for name, cypher in COUNTS.items()}
        except ENGINE_ERRORS as exc:
            raise StoreError(f"store {self.path}: {_one_line(exc)}") from exc

    def snapshot(self, selection: Selection | None = None) -> GraphSnapshot:
        """The graph, or the part a Selection names (selection.select), as plain records."""
        try:
            return select(self._graph(), selection)
        except ENGINE_ERRORS as exc:
            raise StoreError(f"store {self.path}: snapshot failed ({_one_line(exc)})") from exc

    def _graph(self) -> GraphSnapshot:
        """The whole graph as records."""
        # A store made before Article.pipeline, opened read-only, has no such column to read.
        columns = {name for [name] in self._run("CALL TABLE_INFO('Article') RETURN name")}
        pipeline = "a.pipeline" if "pipeline" in columns else "NULL"
        articles = [
            ArticleRecord(*r)
            for r in self._run(
                f"MATCH (a:Article) RETURN a.id, a.source, a.url, a.title, a.date, a.outlet, a.content_hash, {pipeline}"
            )
        ]
        events = {
            r[0]: EventRecord(*r)
            for r in self._run(
                "MATCH (e:Event) RETURN e.id, e.category, e.trigger, e.date, e.date_text, e.modality, e.confidence,"
                " e.quote"
            )
        }
        for event_id, *report in self._run(
            "MATCH (e:Event)-[r:REPORTED_IN]->(a:Article) RETURN e.id, a.id, r.evidence, r.start, r.`end`,"
            " r.sentence, r.trigger, r.date, r.date_text, r.modality, r.confidence, r.quote, r.report"
        ):
            events[event_id].reports.append(ReportRecord(*report))
        for rel, attr in (("AGENT", "agents"), ("PATIENT", "patients")):
            for event_id, actor in self._run(f"MATCH (e:Event)-[:{rel}]->(x:Actor) RETURN e.id, x.id"):
                if event_id in events:
                    getattr(events[event_id], attr).append(actor)
        actors = {
            actor: ActorRecord(actor, name, kind, list(aliases or []))
            for actor, name, kind, aliases in self._run("MATCH (x:Actor) RETURN x.id, x.name, x.kind, x.aliases")
        }
        for actor, article in self._run("MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article) RETURN x.id, a.id"):
            actors[actor].articles.append(article)
        roles = [
            RoleRecord(*r)
            for r in self._run("MATCH (h:Actor)-[r:HOLDS_ROLE]->(o:Actor) RETURN h.id, o.id, r.title, r.article")
        ]
        tied = {(r.holder, r.title, r.article) for r in roles}
        for holder, article, titles in self._run(
            "MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article) WHERE size(m.roles) > 0 RETURN x.id, a.id, m.roles"
        ):
            roles.extend(RoleRecord(holder, None, t, article) for t in titles if (holder, t, article) not in tied)
        return order(GraphSnapshot(articles, list(actors.values()), list(events.values()), roles))

    # -- analytics write-back --------------------------------------------------------------------

    # The actor properties `newsgraph analyze` writes back, and their column types. The columns are
    # added the first time metrics are written; until then a store has none (and queries reading
    # them fail), after that they are NULL for actors without metrics.
    ACTOR_METRICS = schema.ACTOR_METRICS

    def keep_apart(self, actor: str, names: Iterable[str]) -> bool:
        self._writable(f"keep names apart from actor {actor}")
        with self._write_transaction(f"keeping names apart from actor {actor}"):
            found = self._run("MATCH (x:Actor {id: $id}) RETURN x.not_same", {"id": actor})
            if not found:
                return False
            kept = sorted({*(found[0][0] or []), *names})
            self._run("MATCH (x:Actor {id: $id}) SET x.not_same = $names", {"id": actor, "names": kept})
        return True

    def set_actor_metrics(self, metrics: dict[str, dict[str, float | int]]) -> int:
        """Store network metrics as actor properties, replacing those of any earlier analysis.

        `metrics` maps actor ids to their degree, pagerank, betweenness and community; actors not
        in it have theirs cleared, so the graph never mixes two analyses. One transaction; returns
        the number of actors written (ids the store does not hold are skipped).
        """
        self._writable("write actor metrics")
        cast = {"INT64": int, "DOUBLE": float}
        rows = []
        for actor, values in sorted(metrics.items()):
            # Every row carries every metric: Ladybug cannot type a column of parameters that are all null.
            if set(values) != set(self.ACTOR_METRICS):
                raise StoreError(
                    f"store {self.path}: actor {actor}: metrics must be exactly {', '.join(self.ACTOR_METRICS)}"
                )
            rows.append({"id": actor, **{k: cast[t](values[k]) for k, t in self.ACTOR_METRICS.items()}})
        with self._write_transaction("writing actor metrics"):
            for name, type_ in self.ACTOR_METRICS.items():
                self._run(f"ALTER TABLE Actor ADD IF NOT EXISTS {name} {type_}")
            written = 0
            if rows:
                [[written]] = self._run(
                    "UNWIND $rows AS r MATCH (x:Actor {id: r.id}) SET x.degree = r.degree,"
                    " x.pagerank = r.pagerank, x.betweenness = r.betweenness, x.community = r.community"
                    " RETURN count(x)",
                    {"rows": rows},
                )
            self._run(
                "MATCH (x:Actor) WHERE NOT x.id IN $ids"
                " SET x.degree = NULL, x.pagerank = NULL, x.betweenness = NULL, x.community = NULL",
                {"ids": [r["id"] for r in rows]},
            )
        return written
