"""The graph schema, declared once: LadybugDB's tables, Neo4j's constraints and indexes, and the
schema the Cypher linter checks statements against are all generated from it.

    (:Article {id, source, url, title, date, outlet, author, content_hash, body, pipeline, pending,
               pending_events})
    (:Actor   {id, name, kind, aliases: STRING[], roles: STRING[], co_mention_max: INT64, not_same: STRING[]})
    (:Event   {id, category, trigger, date, date_text, modality, confidence: DOUBLE, quote, plover, sort_key,
               key, reports: INT64})
    (:Event)-[:AGENT]->(:Actor)            (:Event)-[:PATIENT]->(:Actor)
    (:Event)-[:REPORTED_IN {evidence, start, end, sentence, report, trigger, date, date_text, modality,
                            confidence: DOUBLE, quote, position: INT64}]->(:Article)
    (:Actor)-[:MENTIONED_IN {mentions, forms: STRING[], roles: STRING[], merged_from: STRING[], name,
                             kind}]->(:Article)
    (:Actor)-[:HOLDS_ROLE {title, article}]->(:Actor)   holder -> organisation
    (:Actor)-[:CO_MENTIONED {articles: INT64}]->(:Actor)   smaller id -> larger id

`MENTIONED_IN.name` and `.kind` are the name and type the article itself gives the actor; the
Actor's are the ones most of its articles give (store/naming.py). `Actor.not_same` holds the names
cross-article resolution must never merge into the actor (`newsgraph unmerge` adds them).

An Event is one real event and has a REPORTED_IN per article reporting it, with that report's
sentence, offsets, trigger, date and words; `key` is what its reports share and `reports` how many
there are (store/consolidate.py). `Article.pending_events` is, like `pending`, set only while a Neo4j
load runs: the event keys whose reports the article's write left to regroup.

Dates are ISO strings (YYYY-MM-DD, or YYYY-MM for events) in every backend, so one catalogue runs
on all. `Article.pipeline` names the NLP pipeline that extracted the article. `Event.sort_key`,
CO_MENTIONED and `Actor.co_mention_max` are kept up to date for the catalogue's unfiltered queries
(protocol.KEPT_UP). `Article.pending` is set only while a Neo4j load runs (the embedded store
leaves it null): the actors whose aliases, roles and co-mention counts the article's write left to
recompute (neo4j.py); cross-article resolution leaves such articles out of what the store already
holds (graph/resolve.py). `newsgraph analyze --write` adds the ACTOR_METRICS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STRING, INT64, DOUBLE, STRINGS = "STRING", "INT64", "DOUBLE", "STRING[]"


@dataclass(frozen=True)
class Property:
    name: str
    type: str = STRING
    added: bool = False  # added after the first release: stores made before gain it (ALTER TABLE)


@dataclass(frozen=True)
class Node:
    label: str
    properties: tuple[Property, ...]
    indexed: tuple[str, ...] = ()  # looked up by value (Neo4j indexes; Ladybug indexes only the key)
    key: str = "id"


@dataclass(frozen=True)
class Relationship:
    type: str
    source: str
    target: str
    properties: tuple[Property, ...] = ()
    indexed: tuple[str, ...] = ()  # looked up by value (Neo4j's relationship indexes)


def _props(*names: str, **typed: str) -> tuple[Property, ...]:
    return tuple(Property(n) for n in names) + tuple(Property(n, t) for n, t in typed.items())


NODES = (
    Node(
        "Article",
        (
            *_props("id", "source", "url", "title", "date", "outlet", "author", "content_hash", "body"),
            Property("pipeline", added=True),
            Property("pending", STRINGS, added=True),
            Property("pending_events", STRINGS, added=True),
        ),
        indexed=("url", "source", "content_hash", "pending"),
    ),
    Node(
        "Actor",
        (
            *_props("id", "name", "kind", aliases=STRINGS, roles=STRINGS),
            Property("co_mention_max", INT64, added=True),
            Property("not_same", STRINGS, added=True),
        ),
        indexed=("name",),
    ),
    Node(
        "Event",
        (
            *_props("id", "category", "trigger", "date", "date_text", "modality", confidence=DOUBLE),
            *_props("quote", "plover"),
            Property("sort_key", added=True),
            Property("key", added=True),
            Property("reports", INT64, added=True),
        ),
        indexed=("date", "category", "sort_key", "quote", "key"),
    ),
)

RELATIONSHIPS = (
    Relationship("AGENT", "Event", "Actor"),
    Relationship("PATIENT", "Event", "Actor"),
    Relationship(
        "REPORTED_IN",
        "Event",
        "Article",
        (
            *_props("evidence", start=INT64, end=INT64, sentence=INT64),
            *(Property(name, added=True) for name in ("report", "trigger", "date", "date_text", "modality")),
            Property("confidence", DOUBLE, added=True),
            Property("quote", added=True),
            Property("position", INT64, added=True),
        ),
    ),
    Relationship(
        "MENTIONED_IN",
        "Actor",
        "Article",
        (
            *_props(mentions=INT64, forms=STRINGS, roles=STRINGS),
            Property("merged_from", STRINGS, added=True),
            Property("name", added=True),
            Property("kind", added=True),
        ),
        indexed=("merged_from",),  # null unless resolution merged an actor into this one
    ),
    Relationship("HOLDS_ROLE", "Actor", "Actor", _props("title", "article")),
    Relationship("CO_MENTIONED", "Actor", "Actor", _props(articles=INT64)),
)

# The actor properties `newsgraph analyze --write` adds, and their types.
ACTOR_METRICS = {"degree": INT64, "pagerank": DOUBLE, "betweenness": DOUBLE, "community": INT64}

_RESERVED = {"end"}  # names Ladybug's DDL wants quoted


def _column(prop: Property) -> str:
    name = f"`{prop.name}`" if prop.name in _RESERVED else prop.name
    return f"{name} {prop.type}"


def ladybug_ddl() -> tuple[str, ...]:
    """LadybugDB's statements, safe to repeat: the tables, then the columns added after the first
    release (for stores made before them)."""
    out = []
    for node in NODES:
        columns = [f"{_column(p)} PRIMARY KEY" if p.name == node.key else _column(p) for p in node.properties]
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}({', '.join(columns)})")
    for rel in RELATIONSHIPS:
        columns = [f"FROM {rel.source} TO {rel.target}", *(_column(p) for p in rel.properties)]
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.type}({', '.join(columns)})")
    for table in (*NODES, *RELATIONSHIPS):
        name = table.label if isinstance(table, Node) else table.type
        out += [f"ALTER TABLE {name} ADD IF NOT EXISTS {_column(p)}" for p in table.properties if p.added]
    return tuple(out)


def neo4j_ddl() -> dict[str, str]:
    """Neo4j's unique constraints on node keys and indexes on the properties looked up (of nodes and
    relationships), by name."""
    out = {}
    for node in NODES:
        name, var = node.label.lower(), node.label[0].lower()
        out[f"{name}_{node.key}"] = (
            f"CREATE CONSTRAINT {name}_{node.key} IF NOT EXISTS FOR ({var}:{node.label})"
            f" REQUIRE {var}.{node.key} IS UNIQUE"
        )
    for node in NODES:
        name, var = node.label.lower(), node.label[0].lower()
        for prop in node.indexed:
            out[f"{name}_{prop}"] = (
                f"CREATE INDEX {name}_{prop} IF NOT EXISTS FOR ({var}:{node.label}) ON ({var}.{prop})"
            )
    for rel in RELATIONSHIPS:
        for prop in rel.indexed:
            name = f"{rel.type.lower()}_{prop}"
            out[name] = f"CREATE INDEX {name} IF NOT EXISTS FOR ()-[r:{rel.type}]-() ON (r.{prop})"
    return out


def property_names() -> list[str]:
    """Every property name of the graph, once, in declaration order."""
    names = [p.name for table in (*NODES, *RELATIONSHIPS) for p in table.properties]
    return list(dict.fromkeys([*names, *ACTOR_METRICS]))


def lint_schema(extra_keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """The graph for tools/cypher-lint (`--schema`): labels, relationship types and their directions,
    and property keys; `extra_keys` adds the keys of row maps a statement UNWINDs (the linter cannot
    tell a row map from a node)."""
    return {
        "labels": [n.label for n in NODES],
        "relationshipTypes": [r.type for r in RELATIONSHIPS],
        "propertyKeys": list(dict.fromkeys([*property_names(), *extra_keys])),
        "graphSchema": [{"from": r.source, "relType": r.type, "to": r.target} for r in RELATIONSHIPS],
    }
