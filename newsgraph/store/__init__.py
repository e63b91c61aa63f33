"""Graph stores: the protocol every backend implements, the records they hand out, the one mapping
from extractions to rows, the one selection rule, the schema, and the backends, found by URI scheme.

    protocol.py   Store: every method callers use (no backend imported)
    records.py    ArticleRecord, ActorRecord, EventRecord, ReportRecord, RoleRecord, GraphSnapshot, WriteResult
    rows.py       extraction -> rows, for every backend and the graph built in memory
    consolidate.py  which reports tell one real event: the one rule, and what a store changes for it
    selection.py  which events, articles and actors a Selection keeps; the order of a snapshot
    schema.py     the graph schema, declared once (Ladybug DDL, Neo4j constraints, lint schema)
    read_only.py  what a read may contain, checked by every backend's query()
    uri.py        credentials out of a URI, and a URI fit for messages
    embedded.py   `embedded:PATH`, LadybugDB in one file, no server
    neo4j.py      `bolt://`, `neo4j://` (+s, +ssc), the official driver

A backend registers under the URI prefixes it serves (BACKENDS, or register()) by module and class
name, as rdflib finds its plugins; its module is imported only when a URI names it.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from newsgraph.errors import StoreError
from newsgraph.model import Article, replacing_source
from newsgraph.store.protocol import KEPT_UP, Merges, Store, outdated_store
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
from newsgraph.store.rows import (
    actor_lists,
    article_row,
    event_parts,
    event_sort_key,
    extraction_rows,
    pipeline_label,
    role_organisation,
    snapshot_from_extractions,
)
from newsgraph.store.selection import Selection, select
from newsgraph.store.uri import redacted, split_credentials

__all__ = [
    "BACKENDS",
    "KEPT_UP",
    "NEO4J_SCHEMES",
    "ActorRecord",
    "ArticleRecord",
    "EventRecord",
    "GraphSnapshot",
    "Merges",
    "ReportRecord",
    "RoleRecord",
    "Selection",
    "Store",
    "WriteResult",
    "WriteStats",
    "actor_lists",
    "article_row",
    "article_status",
    "default_store_uri",
    "event_parts",
    "event_sort_key",
    "extraction_rows",
    "open_store",
    "outdated_store",
    "pipeline_label",
    "redacted",
    "register",
    "role_organisation",
    "select",
    "snapshot_from_extractions",
    "split_credentials",
]

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

# URI prefix -> "module:Class". The class opens a URI with `Class.open(uri, read_only=..., create=...,
# **options)`.
BACKENDS: dict[str, str] = {
    "embedded:": "newsgraph.store.embedded:EmbeddedStore",
    **dict.fromkeys(NEO4J_SCHEMES, "newsgraph.store.neo4j:Neo4jStore"),
}


def register(prefix: str, target: str) -> None:
    """Serve URIs starting with `prefix` by the class `target` ("package.module:Class")."""
    BACKENDS[prefix] = target


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
    The scheme is read in any case (`Bolt://`); credentials in a URI are never part of a message.
    """
    uri = uri or default_store_uri()
    for prefix in sorted(BACKENDS, key=len, reverse=True):
        if uri[: len(prefix)].lower() == prefix:
            module, _, name = BACKENDS[prefix].partition(":")
            backend = getattr(importlib.import_module(module), name)
            return backend.open(prefix + uri[len(prefix) :], read_only=read_only, create=create, **options)
    raise StoreError(f"store {redacted(uri)!r}: unknown scheme (use embedded:PATH, bolt://, neo4j:// or neo4j+s://)")


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
