"""The store protocol every backend implements, the graph snapshot they hand out, and open_store(uri).

A backend is chosen by URI: `embedded:PATH` (LadybugDB, the default) or `bolt://`, `neo4j://`,
`neo4j+s://`, `bolt+s://` (the official neo4j driver). Backend-specific code lives only in that
backend's module.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from newsgraph.errors import QueryError, StoreError
from newsgraph.model import Article, Entity, Event, Extraction, replacing_source

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


@dataclass
class ArticleRecord:
    id: str
    source: str
    url: str | None
    title: str | None
    date: str | None
    outlet: str | None
    content_hash: str
    pipeline: str | None = None  # the NLP pipeline that extracted it, "en_core_web_md 3.8.0"


@dataclass
class ActorRecord:
    id: str
    name: str
    kind: str  # Person | Organisation | Place | Document | Other
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # article ids that mention the actor


@dataclass
class EventRecord:
    id: str
    category: str
    trigger: str
    date: str | None
    date_text: str | None
    modality: str
    confidence: float
    quote: str | None
    article: str  # article id
    evidence: str
    start: int  # evidence offsets into the article body
    end: int
    agents: list[str] = field(default_factory=list)  # actor ids
    patients: list[str] = field(default_factory=list)


@dataclass
class RoleRecord:
    holder: str  # actor id
    organisation: str | None  # actor id, or None when the text names no organisation
    title: str
    article: str


@dataclass
class GraphSnapshot:
    """The whole graph, or a selection of it, as plain records: what RDF export and viz consume."""

    articles: list[ArticleRecord] = field(default_factory=list)
    actors: list[ActorRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    roles: list[RoleRecord] = field(default_factory=list)


@dataclass
class Selection:
    """What part of the graph to hand out; every field None means everything."""

    articles: list[str] | None = None  # article ids or urls
    actors: list[str] | None = None  # actor ids
    categories: list[str] | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None


@dataclass
class WriteResult:
    article: str
    status: str  # "added" | "replaced" | "unchanged"
    events: int = 0
    actors: int = 0


@runtime_checkable
class Store(Protocol):
    """What every backend does. Writes are one transaction per article and idempotent."""

    uri: str

    def write(self, extraction: Extraction) -> WriteResult: ...

    def remove(self, article: str) -> bool:
        """Remove an article (by id, url or source) and the actors and events left without any article."""
        ...

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement; a write attempt raises QueryError."""
        ...

    def snapshot(self, selection: Selection | None = None) -> GraphSnapshot: ...

    def counts(self) -> dict[str, int]:
        """Numbers of articles, actors, events and relationships, for summaries and tests."""
        ...

    def upgrade(self) -> dict[str, int]:
        """Fill what every write keeps up to date (KEPT_UP) where a store made before it lacks it;
        how many events and pairs of actors it filled (none when the store is up to date)."""
        ...

    def close(self) -> None: ...


# What every write keeps up to date for the catalogue's unfiltered queries, and a store made
# before it lacks until upgraded: Event.sort_key (see event_sort_key), a CO_MENTIONED edge from
# the smaller id of each pair of actors that share articles, with how many (`articles`), and
# Actor.co_mention_max, the most articles the actor shares with any one other actor (0 for none).
KEPT_UP = re.compile(r"\b(sort_key|co_mention_max|CO_MENTIONED)\b")


def outdated_store(where: str, uri: str) -> QueryError:
    """The error for a query that reads KEPT_UP data on a store made before it was kept."""
    return QueryError(
        f"{where} was made by an older newsgraph and lacks the event sort keys and co-mention counts"
        f" this query reads; add them with: newsgraph upgrade --store {uri}"
    )


def default_store_uri() -> str:
    """NEWSGRAPH_STORE, else an embedded store in the per-user data directory."""
    if os.environ.get("NEWSGRAPH_STORE"):
        return os.environ["NEWSGRAPH_STORE"]
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return "embedded:" + str(Path(base) / "newsgraph" / "graph.lbug")


def open_store(uri: str | None = None, *, read_only: bool = False, create: bool = True, **options: Any) -> Store:
    """Open the store a URI names; `options` go to the backend (credentials, database, timeout).

    An embedded store that does not exist is created only for writing with `create` (ingest, load);
    reads and writes that need a store already (remove, upgrade) raise StoreError and create nothing.
    The scheme is read in any case (`Bolt://`); user and password in a server URI are taken out of it
    (they may hold any character, `#` and `@` included) and are never part of a message.
    """
    uri = uri or default_store_uri()
    scheme, colon, rest = uri.partition(":")
    if colon and scheme.lower() == "embedded":
        from newsgraph.graph.embedded import EmbeddedStore

        store = EmbeddedStore(rest, read_only=read_only, create=create)
        if options.get("timeout"):
            store.set_query_timeout(float(options["timeout"]))
        return store
    address, user, password = split_credentials(uri)
    if address.lower().startswith(NEO4J_SCHEMES):
        from newsgraph.graph.neo4j_store import Neo4jStore

        address = address[: len(scheme)].lower() + address[len(scheme) :]
        _check_address(address)
        for key, value in (("username", user), ("password", password)):
            if value is not None and not options.get(key):
                options[key] = value
        return Neo4jStore(address, read_only=read_only, **options)
    raise StoreError(f"store {redacted(uri)!r}: unknown scheme (use embedded:PATH, bolt://, neo4j:// or neo4j+s://)")


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """(the URI without `user:password@`, the user, the password). The address is what follows the
    last `@`, so a password may hold `@`, `#`, `/` or `?` unencoded."""
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" not in rest:
        return uri, None, None
    userinfo, _, address = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return f"{scheme}://{address}", user or None, password if colon else None


def redacted(uri: str) -> str:
    """A URI fit for a message: whatever stands before its last `@` (user and password) is hidden."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        scheme, sep, rest = uri.partition(":")
    if "@" not in rest:
        return uri
    return f"{scheme}{sep}***@{rest.rpartition('@')[2]}"


def _check_address(uri: str) -> None:
    """StoreError for an address the driver could not parse (a malformed IPv6 host or port)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(uri)
        if not parts.hostname:
            raise ValueError("no host")
        _ = parts.port
    except ValueError as exc:
        raise StoreError(f"store {redacted(uri)!r}: not a server address ({exc})") from None


# How an extraction's entities and events become edges, the same in every backend and in the graph
# built in memory, so the graph does not depend on what the store already holds or on the order
# articles are written in: an edge ends only at actors the same extraction defines; an actor both
# agent and patient of an event is its agent (counting AGENT and PATIENT edges counts events); a
# role is a HOLDS_ROLE edge only when its organisation is an actor of the same article, else the
# title alone, kept on the article's MENTIONED_IN.


def event_parts(event: Event, actors: set[str]) -> tuple[list[str], list[str]]:
    """An event's agents and patients as edges: each once, only actors of its extraction (`actors`),
    and none both."""
    agents = [x for x in dict.fromkeys(event.agents) if x in actors]
    patients = [x for x in dict.fromkeys(event.patients) if x in actors and x not in agents]
    return agents, patients


def role_organisation(entity: Entity, actors: set[str]) -> str | None:
    """The organisation an entity's roles tie it to, when it is an actor of the same extraction."""
    return entity.affiliation if entity.affiliation in actors else None


def pipeline_label(pipeline: dict[str, str]) -> str | None:
    """An Extraction's pipeline as stored on its article: "{name} {version}", None when it names none."""
    name, version = pipeline.get("name"), pipeline.get("version")
    if not name:
        return None
    return f"{name} {version}" if version else name


def article_row(extraction: Extraction) -> dict[str, Any]:
    """The Article node's properties, the same in every backend. A url that is not an http(s) URL
    (a javascript: one in an extraction made elsewhere) is not stored."""
    from newsgraph.ingest.metadata import web_url

    art = extraction.article
    return {
        "id": art.id,
        "source": art.source,
        "url": art.url if web_url(art.url) else None,
        "title": art.title,
        "date": art.date,
        "outlet": art.outlet,
        "author": art.author,
        "content_hash": art.content_hash,
        "body": art.body,
        "pipeline": pipeline_label(extraction.pipeline),
    }


# Event.sort_key joins the fields of the catalogue's date order with a space, which sorts before
# every character of a date or an id; a missing date is "~", which sorts after every digit, as
# Cypher puts nulls last.
_KEY_GAP, _KEY_NULL = " ", "~"


def event_sort_key(date: str | None, article_date: str | None, article: str, start: int, position: int) -> str:
    """An event's place in date order as one string: its date, else its article's; then the
    article's date and id, where its evidence starts in the body, and its position among the
    article's events (events of one sentence keep the order the article lists them in).

    Ordering events by this key gives the catalogue's `ORDER BY coalesce(e.date, a.date), a.date,
    a.id, r.start` without joining each event to its article, which LadybugDB (no secondary
    indexes) does for every event before it can keep the first few.
    """
    fields = (
        date or article_date or _KEY_NULL,
        article_date or _KEY_NULL,
        article,
        f"{start:010d}",
        f"{position:010d}",
    )
    return _KEY_GAP.join(fields)


def snapshot_from_extractions(extractions: list[Extraction]) -> GraphSnapshot:
    """The graph the extractions would give once stored, built in memory (for export without a store)."""
    snap = GraphSnapshot()
    actors: dict[str, ActorRecord] = {}
    for ex in extractions:
        art = ex.article
        snap.articles.append(
            ArticleRecord(
                art.id,
                art.source,
                art.url,
                art.title,
                art.date,
                art.outlet,
                art.content_hash,
                pipeline_label(ex.pipeline),
            )
        )
        ids = {ent.id for ent in ex.entities}
        for ent in ex.entities:
            rec = actors.setdefault(ent.id, ActorRecord(ent.id, ent.name, ent.type))
            rec.aliases = sorted(set(rec.aliases) | set(ent.aliases))
            if art.id not in rec.articles:
                rec.articles.append(art.id)
            for title in ent.roles:
                snap.roles.append(RoleRecord(ent.id, role_organisation(ent, ids), title, art.id))
        for ev in ex.events:
            agents, patients = event_parts(ev, ids)
            snap.events.append(
                EventRecord(
                    ev.id,
                    ev.category,
                    ev.trigger,
                    ev.date,
                    ev.date_text,
                    ev.modality,
                    ev.confidence,
                    ev.quote,
                    art.id,
                    ev.evidence,
                    ev.evidence_start,
                    ev.evidence_end,
                    agents,
                    patients,
                )
            )
    snap.actors = sorted(actors.values(), key=lambda a: a.id)
    return snap


def article_status(store: Store, article: Article | None = None, *, url: str | None = None) -> str:
    """What writing `article` would do: "unchanged" (same content stored), "replaced" (its url or
    source is stored with other content) or "added". With only `url`, whether that url is stored.

    Read-only and portable (the same statements on every backend), so `ingest` can skip extracting
    what it already holds and `ingest --dry-run` can report without writing.
    """
    if article is not None:
        same = store.query(
            "MATCH (a:Article) WHERE a.id = $id OR a.content_hash = $hash RETURN a.id AS id LIMIT 1",
            {"id": article.id, "hash": article.content_hash},
        )
        if same:
            return "unchanged"
        url = article.url
    keys = [k for k in {url, replacing_source(article.source) if article is not None else None} if k]
    for key in keys:
        if store.query(
            "MATCH (a:Article) WHERE a.url = $key OR a.source = $key RETURN a.id AS id LIMIT 1", {"key": key}
        ):
            return "replaced" if article is not None else "unchanged"
    return "added"
