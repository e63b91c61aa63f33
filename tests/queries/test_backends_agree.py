"""The same corpus in both backends gives the same answer to every catalogue query: our articles
(tests/data/articles, extracted once) and two that resolve into one actor, written as `ingest`
writes them into the embedded store and into the Neo4j server; each query then runs with its
defaults and with each parameter varied over values taken from the graph itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsgraph import queries
from newsgraph.graph.resolve import ResolvingWriter
from newsgraph.store.embedded import EmbeddedStore
from tests.fixtures.neo4j import empty_server_store, needs_server
from tests.graph.test_resolve import conner_article, connor_article

pytestmark = [pytest.mark.neo4j, pytest.mark.slow, needs_server]
ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"

# Lists whose order is the answer; other lists come from collect() in no set order.
ORDERED = {"path"}


@pytest.fixture(scope="module")
def extractions():
    from newsgraph.ingest.pipeline import extract_many
    from newsgraph.ingest.sources import read_sources

    return [*extract_many(list(read_sources([str(ARTICLES)]))), connor_article(), conner_article()]


@pytest.fixture(scope="module")
def stores(extractions, tmp_path_factory):
    with EmbeddedStore(tmp_path_factory.mktemp("agree") / "g.lbug") as embedded, empty_server_store() as server:
        for store in (embedded, server):
            writer = ResolvingWriter(store)
            assert [writer.write(ex)[0].status for ex in extractions] == ["added"] * len(extractions)
        yield embedded, server


def _comparable(rows: list[dict[str, Any]]) -> list[str]:
    """Rows in their order, each as text, with collected lists sorted. Of several chains as short,
    `between` may pick another in each backend: a chain is its ends and its length."""
    out = []
    for row in rows:
        row = {k: sorted(v, key=str) if isinstance(v, list) and k not in ORDERED else v for k, v in row.items()}
        if row.get("link") == "chain":
            row["path"] = [row["path"][0], len(row["path"]), row["path"][-1]]
        out.append(json.dumps(row, sort_keys=True))
    return out


def _values(store) -> dict[str, list[Any]]:
    """Values for each kind of parameter, from the graph: the actors in most articles, every
    category, event, kind and a few dates and articles."""
    actors = [r["name"] for r in queries.run(store, "actors", {"limit": "6"})]
    events = queries.run(store, "events", {"limit": "1000"})
    dates = sorted({r["date"] for r in events if r["date"]})
    articles = store.query("MATCH (a:Article) RETURN a.url AS url, a.source AS source ORDER BY source", {})
    return {
        "actor": actors,
        "text": [actors[0].split()[0].lower(), actors[1][:-2], "zzzz qqqq"],
        "category": sorted({r["category"] for r in events}),
        "kind": ["person", "Organisation", "place"],
        "date": [dates[0], dates[len(dates) // 2], dates[len(dates) // 2][:7], dates[-1]],
        "article": [articles[0]["source"], articles[-1]["url"] or articles[-1]["source"]],
        "event": [r["id"] for r in events],
        "int": [1, 2, 3],
        "bool": ["no", "yes"],
    }


def _kind(param: queries.Param) -> str:
    if param.type in ("actor", "date", "int", "bool"):
        return param.type
    if param.type == "actors":
        return "text"
    return param.name  # string parameters: category, kind, article, event


def _cases(query: queries.Query, values: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The query's defaults (its required parameters filled), then each parameter varied alone, then
    the pairs of actors and of dates together."""
    base = {p.name: values[_kind(p)][0] for p in query.params if p.required}
    if "b" in base:
        base["b"] = values["actor"][1]
    cases = [base]
    for p in query.params:
        cases += [{**base, p.name: v} for v in values[_kind(p)] if base.get(p.name) != v]
    names = {p.name for p in query.params}
    actors = values["actor"]
    if {"agent", "patient"} <= names:
        cases += [{"agent": a, "patient": b} for a in actors[:3] for b in actors[:3] if a != b]
    if {"a", "b"} <= names:
        cases += [{"a": a, "b": b, "hops": h} for a in actors for b in actors if a < b for h in (1, 3)]
        if "speakers" in names:  # role holders' events counted for their organisation
            cases += [{"a": a, "b": b, "speakers": "yes"} for a in actors for b in actors if a < b]
    if {"since", "until"} <= names:
        dates = values["date"]
        cases += [{"since": dates[0], "until": dates[2]}, {"since": dates[2], "until": dates[2]}]
    return cases


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
def test_every_catalogue_query_gives_the_same_answer(stores, name):
    embedded, server = stores
    query = queries.get(name)
    cases = _cases(query, _values(embedded))
    answered = 0
    for raw in cases:
        params = queries.bind(embedded, query, raw)
        assert queries.bind(server, query, raw) == params, (name, raw)  # actors resolve alike
        mine = embedded.query(query.statement("embedded", params), params)
        theirs = server.query(query.statement("neo4j", params), params)
        assert _comparable(theirs) == _comparable(mine), (name, raw)
        answered += bool(mine)
    assert answered, f"{name}: no case gave rows, so nothing was compared"


def test_the_graphs_are_the_same(stores):
    embedded, server = stores
    assert server.counts() == embedded.counts()
    assert server.snapshot() == embedded.snapshot()
    merges = "MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article) RETURN x.id AS x, a.id AS a, m.merged_from AS merged"
    assert _comparable(sorted(server.query(merges), key=str)) == _comparable(sorted(embedded.query(merges), key=str))
