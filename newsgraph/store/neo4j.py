"""The Neo4j backend of the store protocol, through the official driver (bolt://, neo4j://, +s, +ssc).

The graph is schema.py's, written from rows.py's rows, as in the embedded store. Every statement
this backend sends is in SCHEMA or STATEMENTS below, parameterised (untrusted text only ever travels
as a parameter), so a test lints each one with Neo4j's own parser.

Writing articles, one managed transaction each (retried by the driver on transient errors such as
deadlocks), never touches what spans articles: an article's write adds its own nodes and edges,
MERGEs the actors it names (rows sorted by actor id, so concurrent writers take their locks in one
order), writes an event per report as the article alone tells it, and records on the Article, as
`pending`, the actors whose aliases, roles and co-mention counts it changed (its own, and those of
an article it replaced) and, as `pending_events`, the keys of the events whose reports it changed.
Once the articles are written, one refresh regroups the reports of those keys into one event per
real event (store/consolidate.py, the rule the embedded store applies in each write), recomputes
the actors (names and types by store/naming.py too), set-based, from the mentions themselves, and
clears `pending`. So write_many can run
several writers at once and give the graph one writer gives; and a load cut off between the two
leaves `pending` for the next write, load or upgrade to finish.
"""

from __future__ import annotations

import collections
import functools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from newsgraph.errors import ConfigError, NewsgraphError, QueryError, StoreError
from newsgraph.model import Extraction, replacing_source
from newsgraph.store import schema
from newsgraph.store.consolidate import Report, changes, reports_of_unkeyed, stored_events
from newsgraph.store.naming import actor_naming
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
from newsgraph.store.rows import ROW_KINDS, actor_lists, extraction_rows
from newsgraph.store.selection import Selection, order, select
from newsgraph.store.uri import redacted, split_credentials

SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def _check_address(uri: str) -> None:
    """StoreError for an address the driver could not parse (a malformed IPv6 host or port)."""
    try:
        parts = urlsplit(uri)
        if not parts.hostname:
            raise ValueError("no host")
        _ = parts.port
    except ValueError as exc:
        raise StoreError(f"store {redacted(uri)!r}: not a server address ({exc})") from None


@dataclass(frozen=True)
class Statement:
    """One Cypher statement of this backend and the parameters it takes."""

    text: str
    params: tuple[str, ...] = ()


def _s(text: str, *params: str) -> Statement:
    return Statement(" ".join(text.split()), params)


# Schema statements run once per store, each in its own auto-commit transaction (Neo4j refuses
# schema and data changes in one transaction). IF NOT EXISTS makes them safe to repeat.
SCHEMA: dict[str, Statement] = {name: _s(text) for name, text in schema.neo4j_ddl().items()}

STATEMENTS: dict[str, Statement] = {
    # -- finding what a write replaces ------------------------------------------------------
    # The article's content already stored (same), or its url or source stored with other content.
    # A null $url matches nothing ({url: null} is never true), so an article without url is
    # replaced only through its source.
    "article_state": _s(
        """MATCH (a:Article {id: $id}) RETURN a.id AS id, true AS same
           UNION MATCH (a:Article {content_hash: $content_hash}) RETURN a.id AS id, true AS same
           UNION MATCH (a:Article {source: $source}) RETURN a.id AS id, false AS same
           UNION MATCH (a:Article {url: $url}) RETURN a.id AS id, false AS same""",
        "id",
        "content_hash",
        "source",
        "url",
    ),
    # Which of many articles are stored already, by id or content hash (one read for a window of a load).
    "stored_articles": _s(
        """UNWIND $ids AS key MATCH (a:Article {id: key}) RETURN key, a.id AS id
           UNION UNWIND $hashes AS key MATCH (a:Article {content_hash: key}) RETURN key, a.id AS id""",
        "ids",
        "hashes",
    ),
    "articles_by_key": _s(
        """MATCH (a:Article {id: $key}) RETURN a.id AS id
           UNION MATCH (a:Article {url: $key}) RETURN a.id AS id
           UNION MATCH (a:Article {source: $key}) RETURN a.id AS id""",
        "key",
    ),
    # The keys of the events articles report, and those they left to regroup.
    "event_keys_of_articles": _s(
        """MATCH (e:Event)-[:REPORTED_IN]->(a:Article) WHERE a.id IN $articles
           RETURN DISTINCT e.key AS key
           UNION MATCH (a:Article) WHERE a.id IN $articles AND a.pending_events IS NOT NULL
           UNWIND a.pending_events AS key
           RETURN DISTINCT key""",
        "articles",
    ),
    "actors_of_articles": _s(
        """MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article) WHERE a.id IN $articles
           RETURN DISTINCT x.id AS id ORDER BY id""",
        "articles",
    ),
    # -- deleting an article (what spans articles is refreshed after) ---------------------------
    "delete_events_of_articles": _s(
        """MATCH (e:Event)-[r:REPORTED_IN]->(a:Article) WHERE a.id IN $articles
           DELETE r
           WITH DISTINCT e
           WHERE NOT (e)-[:REPORTED_IN]->(:Article)
           DETACH DELETE e""",
        "articles",
    ),
    "delete_roles_of_articles": _s(
        """UNWIND $actors AS id
           MATCH (:Actor {id: id})-[r:HOLDS_ROLE]->(:Actor) WHERE r.article IN $articles
           DELETE r""",
        "actors",
        "articles",
    ),
    "delete_articles": _s(
        "MATCH (a:Article) WHERE a.id IN $articles DETACH DELETE a",
        "articles",
    ),
    # -- writing an article: one UNWIND per kind of row (rows.ROW_KINDS) ------------------------
    # The article is new in its transaction (MERGE: a concurrent write of the same article elsewhere
    # waits for the first and finds it), so are its events: its relationships are CREATEd. MERGE of
    # a relationship would lock a popular actor and upgrade that lock, deadlocking writers.
    "write_articles": _s(
        """UNWIND $rows AS row
           MERGE (a:Article {id: row.id})
           ON CREATE SET a.source = row.source, a.url = row.url, a.title = row.title, a.date = row.date,
               a.outlet = row.outlet, a.author = row.author, a.content_hash = row.content_hash,
               a.body = row.body, a.pipeline = row.pipeline, a.pending = row.pending,
               a.pending_events = row.pending_events""",
        "rows",
    ),
    "write_actors": _s(
        """UNWIND $rows AS row
           MERGE (x:Actor {id: row.id})
           ON CREATE SET x.name = row.name, x.kind = row.kind, x.aliases = [], x.roles = [], x.co_mention_max = 0""",
        "rows",
    ),
    "write_mentions": _s(
        """UNWIND $rows AS row
           MATCH (x:Actor {id: row.actor})
           MATCH (a:Article {id: row.article})
           CREATE (x)-[:MENTIONED_IN {mentions: row.mentions, forms: row.forms, roles: row.roles,
                                      merged_from: row.merged_from, name: row.name, kind: row.kind}]->(a)""",
        "rows",
    ),
    "write_roles": _s(
        """UNWIND $rows AS row
           MATCH (h:Actor {id: row.holder})
           MATCH (o:Actor {id: row.organisation})
           CREATE (h)-[:HOLDS_ROLE {title: row.title, article: row.article}]->(o)""",
        "rows",
    ),
    # An event per report, as the article alone tells it (rows.py); the refresh regroups them.
    "write_events": _s(
        """UNWIND $rows AS row
           MATCH (a:Article {id: row.article})
           MERGE (e:Event {id: row.id})
           SET e.key = row.key, e.category = row.category, e.trigger = row.trigger, e.date = row.date,
               e.date_text = row.date_text, e.modality = row.modality, e.confidence = row.confidence,
               e.quote = row.quote, e.plover = row.plover, e.sort_key = row.sort_key, e.reports = row.reports
           MERGE (e)-[r:REPORTED_IN]->(a)
           SET r.report = row.report, r.evidence = row.evidence, r.start = row.start, r.end = row.end,
               r.sentence = row.sentence, r.trigger = row.trigger, r.date = row.date, r.date_text = row.date_text,
               r.modality = row.modality, r.confidence = row.confidence, r.quote = row.quote,
               r.position = row.position""",
        "rows",
    ),
    "write_agents": _s(
        """UNWIND $rows AS row
           MATCH (e:Event {id: row.event})
           MATCH (x:Actor {id: row.actor})
           CREATE (e)-[:AGENT]->(x)""",
        "rows",
    ),
    "write_patients": _s(
        """UNWIND $rows AS row
           MATCH (e:Event {id: row.event})
           MATCH (x:Actor {id: row.actor})
           CREATE (e)-[:PATIENT]->(x)""",
        "rows",
    ),
    # -- refreshing what spans articles, for the actors articles left pending --------------------
    "pending_articles": _s(
        """MATCH (a:Article) WHERE a.pending IS NOT NULL
           RETURN a.id AS id, a.pending AS actors, a.pending_events AS keys ORDER BY id"""
    ),
    "clear_pending": _s(
        "UNWIND $articles AS id MATCH (a:Article {id: id}) REMOVE a.pending, a.pending_events",
        "articles",
    ),
    # -- regrouping the reports of some event keys (store/consolidate.py) ------------------------
    # Of these keys, those whose events are not already what regrouping gives: a key's one event, as
    # an article's write made it from one report (its id that report's, `reports` 1), is what
    # consolidating that report gives; any other key is regrouped (several events, or an event that
    # kept some of its reports when an article went).
    "keys_to_regroup": _s(
        """UNWIND $keys AS key
           MATCH (e:Event {key: key})
           WITH key, collect(e) AS events
           WHERE size(events) > 1
              OR any(e IN events WHERE e.reports <> 1 OR COUNT { (e)-[:REPORTED_IN]->() } <> 1
                                    OR NOT EXISTS { (e)-[r:REPORTED_IN]->() WHERE r.report = e.id })
           RETURN key ORDER BY key""",
        "keys",
    ),
    "events_of_keys": _s(
        """MATCH (e:Event) WHERE e.key IN $keys
           RETURN e.id AS id, e.key AS key, e.category AS category, e.trigger AS trigger, e.date AS date,
                  e.date_text AS date_text, e.modality AS modality, e.confidence AS confidence, e.quote AS quote,
                  e.plover AS plover, e.sort_key AS sort_key, e.reports AS reports,
                  [(e)-[:AGENT]->(x:Actor) | x.id] AS agents, [(e)-[:PATIENT]->(x:Actor) | x.id] AS patients""",
        "keys",
    ),
    "reports_of_events": _s(
        """UNWIND $events AS id
           MATCH (e:Event {id: id})-[r:REPORTED_IN]->(a:Article)
           RETURN e.id AS event, a.id AS article, a.date AS article_date, r.report AS report, r.trigger AS trigger,
                  r.date AS date, r.date_text AS date_text, r.modality AS modality, r.confidence AS confidence,
                  r.quote AS quote, r.evidence AS evidence, r.start AS start, r.end AS end, r.sentence AS sentence,
                  r.position AS position""",
        "events",
    ),
    "delete_events": _s(
        "UNWIND $events AS id MATCH (e:Event {id: id}) DETACH DELETE e",
        "events",
    ),
    "unlink_reports": _s(
        """UNWIND $rows AS row
           MATCH (:Event {id: row.event})-[r:REPORTED_IN]->(:Article)
           WHERE r.report = row.report
           DELETE r""",
        "rows",
    ),
    "update_events": _s(
        """UNWIND $rows AS row
           MATCH (e:Event {id: row.id})
           SET e.trigger = row.trigger, e.date = row.date, e.date_text = row.date_text, e.modality = row.modality,
               e.confidence = row.confidence, e.quote = row.quote, e.sort_key = row.sort_key,
               e.reports = row.reports""",
        "rows",
    ),
    "create_events": _s(
        """UNWIND $rows AS row
           CREATE (:Event {id: row.id, key: row.key, category: row.category, trigger: row.trigger, date: row.date,
                           date_text: row.date_text, modality: row.modality, confidence: row.confidence,
                           quote: row.quote, plover: row.plover, sort_key: row.sort_key, reports: row.reports})""",
        "rows",
    ),
    "link_reports": _s(
        """UNWIND $rows AS row
           MATCH (e:Event {id: row.event})
           MATCH (a:Article {id: row.article})
           CREATE (e)-[:REPORTED_IN {report: row.report, evidence: row.evidence, start: row.start, end: row.end,
                                     sentence: row.sentence, trigger: row.trigger, date: row.date,
                                     date_text: row.date_text, modality: row.modality, confidence: row.confidence,
                                     quote: row.quote, position: row.position}]->(a)""",
        "rows",
    ),
    "actor_mentions": _s(
        """UNWIND $actors AS id
           MATCH (x:Actor {id: id})
           OPTIONAL MATCH (x)-[m:MENTIONED_IN]->(:Article)
           RETURN x.id AS id, x.name AS name, x.kind AS kind, collect(m.forms) AS forms,
                  collect(m.roles) AS roles, collect([m.name, m.kind, m.mentions]) AS votes,
                  count(m) AS mentioned""",
        "actors",
    ),
    "delete_actors": _s(
        "UNWIND $actors AS id MATCH (x:Actor {id: id}) DETACH DELETE x",
        "actors",
    ),
    "set_actor_lists": _s(
        "UNWIND $rows AS row MATCH (x:Actor {id: row.id})"
        " SET x.name = row.name, x.kind = row.kind, x.aliases = row.aliases, x.roles = row.roles",
        "rows",
    ),
    # A pair's count changes only when an article naming both comes or goes, which leaves both
    # pending: recounting every pair of the pending actors, and only writing what differs, is exact.
    "drop_co_mentions": _s(
        """UNWIND $actors AS id
           MATCH (x:Actor {id: id})-[c:CO_MENTIONED]-(y:Actor)
           WHERE NOT EXISTS { MATCH (x)-[:MENTIONED_IN]->(:Article)<-[:MENTIONED_IN]-(y) }
           WITH DISTINCT c
           DELETE c""",
        "actors",
    ),
    "recount_co_mentions": _s(
        """UNWIND $actors AS id
           MATCH (x:Actor {id: id})-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor)
           WITH x, y, count(a) AS shared
           WITH CASE WHEN x.id < y.id THEN x ELSE y END AS low, CASE WHEN x.id < y.id THEN y ELSE x END AS high,
                shared
           MERGE (low)-[c:CO_MENTIONED]->(high)
           WITH c, shared
           WHERE c.articles IS NULL OR c.articles <> shared
           SET c.articles = shared""",
        "actors",
    ),
    "set_co_mention_max": _s(
        """UNWIND $actors AS id
           MATCH (x:Actor {id: id})
           OPTIONAL MATCH (x)-[c:CO_MENTIONED]-(:Actor)
           WITH x, coalesce(max(c.articles), 0) AS most
           WHERE x.co_mention_max IS NULL OR x.co_mention_max <> most
           SET x.co_mention_max = most""",
        "actors",
    ),
    # -- filling what a store made before KEPT_UP lacks (upgrade) --------------------------------
    # Events of a store made before events were consolidated: one per report, without key.
    "event_without_key": _s("MATCH (e:Event) WHERE e.key IS NULL RETURN e.id AS id LIMIT 1"),
    "unkeyed_events": _s(
        """MATCH (e:Event)-[r:REPORTED_IN]->(a:Article)
           WHERE e.key IS NULL
           RETURN e.id AS id, e.category AS category, e.trigger AS trigger, e.date AS date, e.date_text AS date_text,
                  e.modality AS modality, e.confidence AS confidence, e.quote AS quote, e.plover AS plover,
                  a.id AS article, a.date AS article_date, r.evidence AS evidence, r.start AS start, r.end AS end,
                  r.sentence AS sentence, r.start AS order,
                  [(e)-[:AGENT]->(x:Actor) | x.id] AS agents, [(e)-[:PATIENT]->(x:Actor) | x.id] AS patients"""
    ),
    "delete_unkeyed_events": _s("MATCH (e:Event) WHERE e.key IS NULL DETACH DELETE e"),
    # The keys of events without sort key: regrouping them gives the key (consolidate.py).
    "events_without_sort_key": _s(
        """MATCH (e:Event)
           WHERE e.sort_key IS NULL
           RETURN e.key AS key, count(e) AS events
           ORDER BY key"""
    ),
    "actor_without_co_mention_max": _s("MATCH (x:Actor) WHERE x.co_mention_max IS NULL RETURN x.id AS id LIMIT 1"),
    "event_without_sort_key": _s("MATCH (e:Event) WHERE e.sort_key IS NULL OR e.key IS NULL RETURN e.id AS id LIMIT 1"),
    "delete_co_mentions": _s("MATCH (:Actor)-[c:CO_MENTIONED]->(:Actor) DELETE c"),
    "count_all_co_mentions": _s(
        """MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor)
           WHERE x.id < y.id
           WITH x, y, count(a) AS shared
           CREATE (x)-[:CO_MENTIONED {articles: shared}]->(y)
           RETURN count(*) AS pairs"""
    ),
    "set_every_co_mention_max": _s(
        """MATCH (x:Actor)
           OPTIONAL MATCH (x)-[c:CO_MENTIONED]-(:Actor)
           WITH x, max(c.articles) AS most
           SET x.co_mention_max = coalesce(most, 0)"""
    ),
    # -- reading ---------------------------------------------------------------------------------
    "counts": _s(
        """RETURN COUNT { MATCH (:Article) } AS articles,
                  COUNT { MATCH (:Actor) } AS actors,
                  COUNT { MATCH (:Event) } AS events,
                  COUNT { MATCH ()-[:AGENT]->() } AS agent,
                  COUNT { MATCH ()-[:PATIENT]->() } AS patient,
                  COUNT { MATCH ()-[:REPORTED_IN]->() } AS reported_in,
                  COUNT { MATCH ()-[:MENTIONED_IN]->() } AS mentioned_in,
                  COUNT { MATCH ()-[:HOLDS_ROLE]->() } AS holds_role"""
    ),
    # The whole graph, for snapshot(); selection.select picks the part asked for.
    "graph_articles": _s(
        """MATCH (a:Article)
           RETURN a.id AS id, a.source AS source, a.url AS url, a.title AS title, a.date AS date,
                  a.outlet AS outlet, a.content_hash AS content_hash, a.pipeline AS pipeline"""
    ),
    "graph_events": _s(
        """MATCH (e:Event)
           RETURN e.id AS id, e.category AS category, e.trigger AS trigger, e.date AS date,
                  e.date_text AS date_text, e.modality AS modality, e.confidence AS confidence,
                  e.quote AS quote,
                  [(e)-[:AGENT]->(x:Actor) | x.id] AS agents,
                  [(e)-[:PATIENT]->(x:Actor) | x.id] AS patients"""
    ),
    "graph_reports": _s(
        """MATCH (e:Event)-[r:REPORTED_IN]->(a:Article)
           RETURN e.id AS event, a.id AS article, r.evidence AS evidence, r.start AS start, r.end AS end,
                  r.sentence AS sentence, r.trigger AS trigger, r.date AS date, r.date_text AS date_text,
                  r.modality AS modality, r.confidence AS confidence, r.quote AS quote, r.report AS id"""
    ),
    "graph_roles": _s(
        """MATCH (h:Actor)-[r:HOLDS_ROLE]->(o:Actor)
           RETURN h.id AS holder, o.id AS organisation, r.title AS title, r.article AS article"""
    ),
    "graph_mention_roles": _s(
        """MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article)
           WHERE size(m.roles) > 0
           RETURN x.id AS holder, a.id AS article, m.roles AS titles"""
    ),
    "graph_actors": _s(
        """MATCH (x:Actor)
           RETURN x.id AS id, x.name AS name, x.kind AS kind, x.aliases AS aliases,
                  [(x)-[:MENTIONED_IN]->(a:Article) | a.id] AS articles"""
    ),
    # -- analytics write-back (newsgraph analyze) ----------------------------------------------------
    "actor_not_same": _s("MATCH (x:Actor {id: $actor}) RETURN x.not_same AS names", "actor"),
    "set_not_same": _s("MATCH (x:Actor {id: $actor}) SET x.not_same = $names", "actor", "names"),
    "set_actor_metrics": _s(
        """UNWIND $rows AS row
           MATCH (x:Actor {id: row.id})
           SET x.degree = row.degree, x.pagerank = row.pagerank, x.betweenness = row.betweenness,
               x.community = row.community
           RETURN count(x) AS actors""",
        "rows",
    ),
    "clear_actor_metrics": _s(
        """MATCH (x:Actor) WHERE NOT x.id IN $actors
           REMOVE x.degree, x.pagerank, x.betweenness, x.community""",
        "actors",
    ),
}

OPTIONS = ("username", "password", "database", "timeout", "connection_timeout", "batch_size", "max_retry_time")
BATCH_SIZE = 500
# Articles write_many checks for in one read (already stored?) before handing them to writers.
WINDOW = 200

# The statement that writes each kind of row, in the order a write sends them: nodes before the
# relationships that MATCH them.
WRITE_ORDER = tuple(f"write_{kind}" for kind in ROW_KINDS)


def batched(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    if size < 1:
        raise ConfigError(f"batch size must be at least 1, not {size}")
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_batches(
    extraction: Extraction,
    merges: Merges | None = None,
    batch_size: int = BATCH_SIZE,
    pending: Iterable[str] = (),
    pending_events: Iterable[str] = (),
) -> list[tuple[str, list[dict[str, Any]]]]:
    """(statement name, rows) pairs in the order an article's write sends them; a kind without rows
    sends nothing. The Article row carries as `pending` the actors the write leaves to refresh (the
    article's own and `pending`, those of the articles it replaces) and as `pending_events` the event
    keys it leaves to regroup (its reports' and `pending_events`); `pending` is an empty list, not
    null, when only events are left, so that the refresh finds the article."""
    rows = extraction_rows(extraction, merges)
    keys = sorted({*pending_events, *(r["key"] for r in rows["events"])}) or None
    actors = sorted({*pending, *(r["id"] for r in rows["actors"])})
    rows["articles"][0]["pending"] = actors or ([] if keys else None)
    rows["articles"][0]["pending_events"] = keys
    return [(f"write_{kind}", batch) for kind in ROW_KINDS for batch in batched(rows[kind], batch_size)]


# -- errors --------------------------------------------------------------------------------------


def _host(uri: str) -> str:
    """scheme://host:port of a URI, without user info, path or query."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


# What a server answers to a write in a read transaction.
WRITE_REFUSED_CODES = (
    "Neo.ClientError.Statement.AccessMode",
    "Neo.ClientError.Transaction.ForbiddenDueToTransactionType",
)


def _first_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0].strip() if lines else ""


def map_error(
    exc: Exception,
    uri: str,
    *,
    timeout: float | None = None,
    secrets: Iterable[str] = (),
    database: str | None = None,
) -> NewsgraphError:
    """The one-line newsgraph error for a driver exception; never carries credentials.

    Only server messages that cannot hold credentials are quoted, and `secrets` are masked in
    whatever is quoted all the same.
    """
    error = _map_error(exc, uri, timeout, database)
    text = str(error)
    masked = text
    for secret in secrets:
        masked = masked.replace(secret, "***")
    return error if masked == text else type(error)(masked)


def _map_error(exc: Exception, uri: str, timeout: float | None, database: str | None) -> NewsgraphError:
    from neo4j import exceptions as neo

    where = f"Neo4j at {_host(uri)}"
    if isinstance(exc, NewsgraphError):
        return exc
    if getattr(exc, "code", None) == "Neo.ClientError.Security.AuthenticationRateLimit":
        # After a few wrong passwords in a row the server refuses the user for a while, right or not.
        return StoreError(
            f"{where}: credentials refused too many times in a row; the server refuses this user for a"
            " few seconds (check NEO4J_USERNAME and NEO4J_PASSWORD, then try again)"
        )
    if isinstance(exc, neo.AuthError):
        return StoreError(f"{where}: credentials refused (check NEO4J_USERNAME and NEO4J_PASSWORD)")
    if isinstance(exc, neo.Neo4jError):
        code = exc.code or ""
        message = _first_line(exc.message)
        if "TransactionTimedOut" in code:
            after = f" after {timeout:g}s" if timeout else ""
            return QueryError(f"query timed out{after} ({code})")
        if code == "Neo.ClientError.Transaction.Terminated":
            return QueryError(f"query was terminated by the server: {message}")
        if code in WRITE_REFUSED_CODES:
            return QueryError("refused: the statement writes, but queries are read-only")
        if isinstance(exc, neo.CypherSyntaxError):
            return QueryError(f"Cypher syntax error: {message}")
        if isinstance(exc, neo.CypherTypeError) or code.startswith("Neo.ClientError.Statement."):
            return QueryError(f"Cypher error: {message} ({code})")
        if isinstance(exc, neo.Forbidden) or code.startswith("Neo.ClientError.Security."):
            return StoreError(f"{where}: refused: {message} ({code})")
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            # The server says "Graph not found: x", or over neo4j:// that it has no routing table.
            named = f"database {database!r}" if database else "the database"
            return StoreError(f"{where}: {named} does not exist (check --database or NEO4J_DATABASE)")
        if isinstance(exc, neo.ConstraintError):
            return StoreError(f"{where}: constraint violated: {message}")
        return StoreError(f"{where}: {message} ({code})")
    if isinstance(exc, neo.ServiceUnavailable | neo.SessionExpired):
        return StoreError(f"{where}: unreachable (is the server running, and is the address right?)")
    if isinstance(exc, neo.ConfigurationError | neo.DriverError):
        # The URI reaching the driver has no user info, so its messages cannot quote a password.
        return StoreError(f"{where}: {_first_line(str(exc)) or type(exc).__name__}")
    if isinstance(exc, OSError):
        return StoreError(f"{where}: {exc.strerror or type(exc).__name__}")
    return StoreError(f"{where}: {type(exc).__name__}")


@dataclass(frozen=True)
class WriterSpec:
    """How a Dask worker opens a store to write articles to it (Neo4jStore.writer_spec). It travels
    to the workers in task arguments, password included, as the data they write does; it is never
    shown (repr leaves the credentials out)."""

    uri: str
    username: str | None = field(repr=False)
    password: str | None = field(repr=False)
    database: str | None
    timeout: float | None
    batch_size: int
    options: tuple[tuple[str, Any], ...] = ()  # the driver's other options, sorted: the spec is a key

    def open(self) -> Neo4jStore:
        return Neo4jStore(
            self.uri,
            username=self.username,
            password=self.password,
            database=self.database,
            timeout=self.timeout,
            batch_size=self.batch_size,
            **dict(self.options),
        )


class _AlreadyStored(NewsgraphError):
    """Raised inside an article's write that finds the article created by another meanwhile, to roll
    the write back (a NewsgraphError, so that the store passes it on as it is)."""


class _WriteInReadOnlyQuery(Exception):
    """Raised inside a read transaction whose statement changed something, to roll it back."""


# -- the store -----------------------------------------------------------------------------------


def _split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """The URI without user:password@, and the user and password it carried."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment)), user or None, password or None


def _plain(value: Any) -> Any:
    """A query value as JSON-friendly Python: nodes as property dicts, temporals as ISO strings."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node | Relationship):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "rels": [_plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Neo4jStore:
    """A Neo4j database as a newsgraph store. One managed write transaction per article."""

    backend = "neo4j"

    def __init__(self, uri: str, *, read_only: bool = False, **options: Any) -> None:
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise ConfigError(f"unknown Neo4j store option(s): {', '.join(unknown)} (known: {', '.join(OPTIONS)})")
        if not uri.startswith(SCHEMES):
            raise ConfigError(f"not a Neo4j URI: {_host(uri)!r} (use bolt://, neo4j://, neo4j+s:// or bolt+s://)")
        uri, uri_user, uri_password = _split_userinfo(uri)
        self.uri = uri
        self.read_only = read_only
        self.database: str | None = options.get("database") or os.environ.get("NEO4J_DATABASE") or None
        self.timeout: float | None = _positive(options.get("timeout"), "timeout")
        self.batch_size = int(options.get("batch_size") or BATCH_SIZE)
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, not {self.batch_size}")
        username = options.get("username") or uri_user or os.environ.get("NEO4J_USERNAME")
        password = options.get("password") or uri_password or os.environ.get("NEO4J_PASSWORD")
        # Kept only in the driver's auth and the spec a Dask worker opens it by; never in repr,
        # messages or logs.
        auth = (username or "neo4j", password) if password is not None else None
        self._auth = auth
        self._options = tuple((k, options[k]) for k in ("connection_timeout", "max_retry_time") if options.get(k))
        self._schema_ready = False
        self._kept_up = False  # KEPT_UP found complete, or filled, on this server
        self._write_stats = WriteStats()
        self._stats_lock = threading.Lock()
        self._open_writes = 0
        self._driver = None
        try:
            import neo4j

            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=_positive(options.get("connection_timeout"), "connection_timeout") or 10.0,
                max_transaction_retry_time=_positive(options.get("max_retry_time"), "max_retry_time") or 15.0,
                user_agent="newsgraph",
                # Server notifications (an unknown label in an empty database, ...) are for
                # developers; the driver would log each as a warning.
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
        except Exception as exc:
            self.close()
            raise map_error(
                exc, uri, secrets=[s for s in (password, uri_password) if s], database=self.database
            ) from exc

    @classmethod
    def open(cls, uri: str, *, read_only: bool = False, create: bool = True, **options: Any) -> Neo4jStore:
        """The store a Neo4j URI names (newsgraph.store.open_store); a server's database is never
        created here, so `create` changes nothing. User and password written in the URI are taken
        out of it (they may hold any character, `#` and `@` included) unless given as options."""
        address, user, password = split_credentials(uri)
        _check_address(address)
        for key, value in (("username", user), ("password", password)):
            if value is not None and not options.get(key):
                options[key] = value
        return cls(address, read_only=read_only, **options)

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        database = f", database={self.database!r}" if self.database else ""
        return f"Neo4jStore({self.uri!r}{database}{mode})"

    __str__ = __repr__

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            driver.close()

    # -- plumbing --------------------------------------------------------------------------------

    def _session(self, *, write: bool):
        import neo4j

        if self._driver is None:
            raise StoreError(f"{self!r} is closed")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _run_in(self, work: Callable[[Any], Any], *, write: bool, timeout: float | None = None) -> Any:
        """Run `work(tx)` as a managed transaction (retried on transient errors); `timeout` bounds it
        on the server (the driver takes it per transaction function, not per statement)."""
        import neo4j

        if timeout:
            work = neo4j.unit_of_work(timeout=timeout)(work)
        try:
            with self._session(write=write) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except _WriteInReadOnlyQuery:
            raise QueryError("refused: the statement writes, but queries are read-only") from None
        except NewsgraphError:
            raise
        except Exception as exc:
            raise self._error(exc) from exc

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        try:
            with self._session(write=True) as session:
                for statement in SCHEMA.values():
                    session.run(statement.text).consume()
        except NewsgraphError:
            raise
        except Exception as exc:
            raise self._error(exc) from exc
        self._schema_ready = True

    def upgrade(self) -> dict[str, int]:
        """Fill the event keys, sort keys and co-mention counts a store made before them lacks, in one
        write transaction (making the events of a store made before events were consolidated one per
        real event), and finish the refresh a load cut off left pending; the first write or removal
        does it. How many events and pairs it filled."""
        self._refuse_if_read_only("upgrade")
        self._ensure_schema()
        if self._kept_up:
            self._refresh_pending()
            return {"events": 0, "pairs": 0}

        def work(tx) -> dict[str, int]:
            filled = {"events": 0, "pairs": 0}
            if self._records(tx, "event_without_key"):
                unkeyed = self._records(tx, "unkeyed_events")
                told = reports_of_unkeyed(unkeyed)
                tx.run(STATEMENTS["delete_unkeyed_events"].text).consume()
                for batch in batched(sorted({r.key for r in told}), self.batch_size):
                    keys = set(batch)
                    self._regroup(tx, batch, [r for r in told if r.key in keys])
                filled["events"] = len(unkeyed)
            rows = self._records(tx, "events_without_sort_key")
            for batch in batched([r["key"] for r in rows], self.batch_size):
                self._regroup(tx, batch)
            filled["events"] += sum(r["events"] for r in rows)
            if self._records(tx, "actor_without_co_mention_max"):
                tx.run(STATEMENTS["delete_co_mentions"].text).consume()
                filled["pairs"] = self._records(tx, "count_all_co_mentions")[0]["pairs"]
                tx.run(STATEMENTS["set_every_co_mention_max"].text).consume()
            return filled

        filled = self._run_in(work, write=True)
        self._kept_up = True
        self._refresh_pending()
        return filled

    def _check_kept_up(self) -> None:
        """Refuse (QueryError) a query reading KEPT_UP data that this server's store lacks."""
        if self._kept_up:
            return

        def work(tx) -> bool:
            return bool(
                self._records(tx, "event_without_sort_key") or self._records(tx, "actor_without_co_mention_max")
            )

        if self._run_in(work, write=False):
            raise outdated_store(f"Neo4j at {_host(self.uri)}", self.uri)
        self._kept_up = True

    def _error(self, exc: Exception) -> NewsgraphError:
        return map_error(exc, self.uri, timeout=self.timeout, database=self.database)

    def _refuse_if_read_only(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"{self!r}: opened read-only, cannot {what}")

    @staticmethod
    def _records(tx, name: str, **params: Any) -> list[dict[str, Any]]:
        statement = STATEMENTS[name]
        result = tx.run(statement.text, {p: params.get(p) for p in statement.params})
        return [record.data() for record in result]

    # -- Store protocol --------------------------------------------------------------------------

    @property
    def write_stats(self) -> WriteStats:
        return self._write_stats

    def write(self, extraction: Extraction, merges: Merges | None = None) -> WriteResult:
        """Store one article in one transaction: added, replaced (same url or source), or unchanged;
        then refresh what it changed across articles. `merges` (actor id -> records, from
        graph/resolve.py) go on the article's mentions."""
        self._refuse_if_read_only("write")
        self.upgrade()
        result = self._write_article(extraction, merges or {})
        self._refresh_pending()
        return result

    def writer_spec(self) -> WriterSpec:
        """What another process (a Dask worker) needs to write articles to this store."""
        user, password = self._auth if self._auth is not None else (None, None)
        return WriterSpec(self.uri, user, password, self.database, self.timeout, self.batch_size, self._options)

    def write_article(self, extraction: Extraction, merges: Merges) -> WriteResult:
        """One article in one transaction, with what spans articles left pending on it for a
        refresh (write_many's, or the next write's); what a Dask worker runs (newsgraph.dask)."""
        self._refuse_if_read_only("write")
        return self._write_article(extraction, merges)

    def write_many(
        self,
        items: Iterable[tuple[Extraction, Merges]],
        *,
        writers: int = 1,
        submit: Callable[[Extraction, Merges], Any] | None = None,
    ) -> Iterator[WriteResult]:
        """Store articles with up to `writers` transactions at once; results in input order. Each
        window of WINDOW articles is first checked in one read for those already stored; what spans
        articles is refreshed once, after the last write has ended (also when the caller stops early
        or the input fails, but not when the server does).

        The writes run in threads of this process, or through `submit(extraction, merges)`, which
        starts one elsewhere (newsgraph.dask.ArticleWriter: on a Dask worker, in batches of
        `submit.batch` written one after the other) and returns a future of its WriteResult;
        `writers` writes (or batches) at once. A write still running elsewhere when this stops
        leaves its article pending, for the next refresh."""
        self._refuse_if_read_only("write")
        if writers < 1:
            raise ConfigError(f"writers must be at least 1, not {writers}")
        self.upgrade()
        self._write_stats = WriteStats()
        items = iter(items)
        seen: dict[str, str] = {}  # id and content hash of each article of this run -> its id
        in_flight: collections.deque[Any] = collections.deque()
        pool = None
        if submit is None:
            pool = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="newsgraph-writer")
            submit = functools.partial(pool.submit, self._write_article)
        # a pool queues twice its writers; elsewhere, `writers` writes (or batches of `submit.batch`
        # articles, one write after the other) run at once
        limit = 2 * writers if pool is not None else writers * getattr(submit, "batch", 1)
        failure: BaseException | None = None
        try:
            while window := list(islice(items, WINDOW)):
                stored = self._stored(window)
                for extraction, merges in window:
                    art = extraction.article
                    known = seen.get(art.id) or seen.get(art.content_hash)
                    known = known or stored.get(art.id) or stored.get(art.content_hash)
                    if known:
                        in_flight.append(_done(WriteResult(known, "unchanged")))
                    else:
                        seen[art.id] = seen[art.content_hash] = art.id
                        in_flight.append(submit(extraction, merges))
                    while len(in_flight) > limit:
                        yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        except BaseException as exc:
            failure = exc
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)  # every write has ended before the refresh
            else:
                for future in in_flight:
                    future.cancel()  # one that still runs leaves its article pending, as said above
            if not isinstance(failure, StoreError | KeyboardInterrupt):
                try:
                    self._refresh_pending()
                except StoreError:
                    if failure is None:
                        raise  # else the first failure is the one to tell

    def _stored(self, window: list[tuple[Extraction, Merges]]) -> dict[str, str]:
        """The articles of a window already stored: their id or content hash -> the stored id."""
        ids = [ex.article.id for ex, _ in window]
        hashes = [ex.article.content_hash for ex, _ in window]
        rows = self._run_in(lambda tx: self._records(tx, "stored_articles", ids=ids, hashes=hashes), write=False)
        return {r["key"]: r["id"] for r in rows}

    def _write_article(self, extraction: Extraction, merges: Merges) -> WriteResult:
        """One article in one transaction, leaving what spans articles pending (see the module docstring)."""
        art = extraction.article

        def work(tx) -> WriteResult:
            state = self._records(
                tx,
                "article_state",
                id=art.id,
                content_hash=art.content_hash,
                source=replacing_source(art.source),
                url=art.url,
            )
            same = [r["id"] for r in state if r["same"]]
            if same:
                return WriteResult(same[0], "unchanged")
            previous = sorted({r["id"] for r in state})
            touched, keys = self._delete_articles(tx, previous) if previous else ([], [])
            batches = write_batches(extraction, merges, self.batch_size, pending=touched, pending_events=keys)
            for name, batch in batches:
                summary = tx.run(STATEMENTS[name].text, rows=batch).consume()
                if name == "write_articles" and not summary.counters.nodes_created:
                    raise _AlreadyStored  # by a write elsewhere that committed meanwhile: roll ours back
            events = sum(len(b) for n, b in batches if n == "write_events")
            actors = sum(len(b) for n, b in batches if n == "write_actors")
            return WriteResult(art.id, "replaced" if previous else "added", events=events, actors=actors)

        try:
            return self._run_in(self._counted(work), write=True)
        except _AlreadyStored:
            return WriteResult(art.id, "unchanged")

    def _counted(self, work: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """`work` counting into write_stats each attempt, each retry and deadlock, and writers at once."""
        from neo4j.exceptions import Neo4jError

        stats, lock = self._write_stats, self._stats_lock
        attempts = 0

        def counted(tx) -> Any:
            nonlocal attempts
            with lock:
                attempts += 1
                stats.transactions += 1
                stats.retries += attempts > 1
                self._open_writes += 1
                stats.peak_writers = max(stats.peak_writers, self._open_writes)
            try:
                return work(tx)
            except Neo4jError as exc:
                if "DeadlockDetected" in (exc.code or ""):
                    with lock:
                        stats.deadlocks += 1
                raise
            finally:
                with lock:
                    self._open_writes -= 1

        return counted

    def remove(self, article: str) -> bool:
        """Remove the articles with this id, url or source; True when there was one."""
        self._refuse_if_read_only("remove")
        self.upgrade()  # the counts it lowers must be there first

        def work(tx) -> bool:
            ids = [r["id"] for r in self._records(tx, "articles_by_key", key=article)]
            if ids:
                actors, keys = self._delete_articles(tx, ids)
                for batch in batched(keys, self.batch_size):
                    self._regroup(tx, batch)
                self._refresh_actors(tx, actors)
            return bool(ids)

        return self._run_in(work, write=True)

    def _delete_articles(self, tx, articles: list[str]) -> tuple[list[str], list[str]]:
        """Delete articles with their reports, mentions and roles (and the events left with no report);
        return the actors they mentioned and the keys of the events they reported or left pending."""
        actors = [r["id"] for r in self._records(tx, "actors_of_articles", articles=articles)]
        keys = sorted({r["key"] for r in self._records(tx, "event_keys_of_articles", articles=articles)})
        tx.run(STATEMENTS["delete_events_of_articles"].text, articles=articles).consume()
        if actors:
            tx.run(STATEMENTS["delete_roles_of_articles"].text, actors=actors, articles=articles).consume()
        tx.run(STATEMENTS["delete_articles"].text, articles=articles).consume()
        return actors, keys

    def _refresh_pending(self) -> int:
        """Regroup the event keys and refresh the actors the stored articles left pending, a batch per
        transaction, then clear `pending` on those articles; how many actors were refreshed."""
        rows = self._run_in(lambda tx: self._records(tx, "pending_articles"), write=False)
        if not rows:
            return 0
        keys = sorted({key for r in rows for key in r["keys"] or ()})
        for batch in batched(keys, self.batch_size):
            changed = [
                r["key"]
                for r in self._run_in(
                    lambda tx, batch=batch: self._records(tx, "keys_to_regroup", keys=batch), write=False
                )
            ]
            if changed:
                self._run_in(lambda tx, changed=changed: self._regroup(tx, changed), write=True)
        actors = sorted({actor for r in rows for actor in r["actors"] or ()})
        for batch in batched(actors, self.batch_size):
            self._run_in(lambda tx, batch=batch: self._refresh_actors(tx, batch), write=True)
        articles = [r["id"] for r in rows]
        for batch in batched(articles, self.batch_size):
            self._run_in(lambda tx, batch=batch: tx.run(STATEMENTS["clear_pending"].text, articles=batch).consume(),
                         write=True)  # fmt: skip
        return len(actors)

    def _regroup(self, tx, keys: list[str], new: Iterable[Report] = ()) -> None:
        """Make the events of these keys those their stored reports and `new` ones give
        (store/consolidate.py), changing only what differs."""
        events = self._records(tx, "events_of_keys", keys=keys)
        told = self._records(tx, "reports_of_events", events=[e["id"] for e in events]) if events else []
        todo = changes(stored_events(events, told), new)
        if todo.delete:
            tx.run(STATEMENTS["delete_events"].text, events=todo.delete).consume()
        for name, rows in (
            ("unlink_reports", todo.unlink),
            ("update_events", todo.update),
            ("create_events", todo.create),
            ("link_reports", todo.link),
            ("write_agents", todo.agents),
            ("write_patients", todo.patients),
        ):
            for batch in batched(rows, self.batch_size):
                tx.run(STATEMENTS[name].text, rows=batch).consume()

    def _refresh_actors(self, tx, actors: list[str]) -> None:
        """Recompute name, type, aliases, roles, co-mention counts and co_mention_max of these actors
        from their mentions; delete those left with no mention."""
        if not actors:
            return
        orphans, updates = [], []
        for r in self._records(tx, "actor_mentions", actors=sorted(set(actors))):
            if not r["mentioned"]:
                orphans.append(r["id"])
                continue
            name, kind = actor_naming(r["id"], r["name"], r["kind"], r["votes"])
            aliases, titles = actor_lists(name, r["forms"], r["roles"])
            updates.append({"id": r["id"], "name": name, "kind": kind, "aliases": aliases, "roles": titles})
        if orphans:
            tx.run(STATEMENTS["delete_actors"].text, actors=orphans).consume()
        for batch in batched(updates, self.batch_size):
            ids = [row["id"] for row in batch]
            tx.run(STATEMENTS["set_actor_lists"].text, rows=batch).consume()
            for name in ("drop_co_mentions", "recount_co_mentions", "set_co_mention_max"):
                tx.run(STATEMENTS[name].text, actors=ids).consume()

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one statement in a read transaction; a statement that writes is refused (QueryError)."""
        check_read(cypher)  # what a read may contain, before the server sees it
        if KEPT_UP.search(cypher):
            self._check_kept_up()

        def work(tx) -> list[dict[str, Any]]:
            result = tx.run(cypher, params or {})
            rows = [{k: _plain(v) for k, v in record.items()} for record in result]
            counters = result.consume().counters
            if counters.contains_updates or counters.contains_system_updates:
                # Belt and braces: servers refuse writes in read transactions; should one not,
                # raising here rolls the transaction back.
                raise _WriteInReadOnlyQuery
            return rows

        return self._run_in(work, write=False, timeout=self.timeout)

    def snapshot(self, selection: Selection | None = None) -> GraphSnapshot:
        """The graph, or the part a Selection names (selection.select), as plain records."""
        return select(self._run_in(self._graph, write=False, timeout=self.timeout), selection)

    def _graph(self, tx) -> GraphSnapshot:
        """The whole graph as records."""
        articles = [ArticleRecord(**r) for r in self._records(tx, "graph_articles")]
        events = {r["id"]: EventRecord(**r) for r in self._records(tx, "graph_events")}
        for r in self._records(tx, "graph_reports"):
            events[r.pop("event")].reports.append(ReportRecord(**r))
        actors = [
            ActorRecord(r["id"], r["name"], r["kind"], list(r["aliases"] or []), r["articles"])
            for r in self._records(tx, "graph_actors")
        ]
        roles = [RoleRecord(**r) for r in self._records(tx, "graph_roles")]
        tied = {(r.holder, r.title, r.article) for r in roles}
        for r in self._records(tx, "graph_mention_roles"):
            roles.extend(
                RoleRecord(r["holder"], None, title, r["article"])
                for title in r["titles"]
                if (r["holder"], title, r["article"]) not in tied
            )
        return order(GraphSnapshot(articles, actors, list(events.values()), roles))

    def counts(self) -> dict[str, int]:
        rows = self._run_in(lambda tx: self._records(tx, "counts"), write=False, timeout=self.timeout)
        return {key: int(value) for key, value in rows[0].items()}

    # -- analytics write-back --------------------------------------------------------------------

    ACTOR_METRICS = tuple(schema.ACTOR_METRICS)

    def keep_apart(self, actor: str, names: Iterable[str]) -> bool:
        self._refuse_if_read_only(f"keep names apart from actor {actor}")
        names = set(names)

        def work(tx) -> bool:
            found = self._records(tx, "actor_not_same", actor=actor)
            if not found:
                return False
            kept = sorted({*(found[0]["names"] or []), *names})
            tx.run(STATEMENTS["set_not_same"].text, actor=actor, names=kept).consume()
            return True

        return self._run_in(work, write=True)

    def set_actor_metrics(self, metrics: dict[str, dict[str, float | int]]) -> int:
        """Store network metrics as actor properties, replacing those of any earlier analysis.

        `metrics` maps actor ids to their degree, pagerank, betweenness and community; actors not
        in it lose theirs, so the graph never mixes two analyses. One transaction; returns the
        number of actors written (ids the store does not hold are skipped).
        """
        self._refuse_if_read_only("write actor metrics")
        rows = []
        for actor, values in sorted(metrics.items()):
            if set(values) != set(self.ACTOR_METRICS):
                raise StoreError(f"{self!r}: actor {actor}: metrics must be exactly {', '.join(self.ACTOR_METRICS)}")
            rows.append({"id": actor, **{name: values[name] for name in self.ACTOR_METRICS}})

        def work(tx) -> int:
            written = 0
            for batch in batched(rows, self.batch_size):
                written += sum(r["actors"] for r in self._records(tx, "set_actor_metrics", rows=batch))
            tx.run(STATEMENTS["clear_actor_metrics"].text, actors=[r["id"] for r in rows]).consume()
            return written

        return self._run_in(work, write=True)


def _done(result: WriteResult) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _positive(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{name} must be positive, not {value!r}")
    return number
