"""One behaviour suite for every backend: it always runs on the embedded store, and on Neo4j when
NEWSGRAPH_TEST_NEO4J_URI points at a throwaway server (skipped with the reason otherwise)."""

from __future__ import annotations

import os

import pytest

from newsgraph.errors import QueryError
from newsgraph.graph.store import Selection, article_status, open_store
from newsgraph.queries import run
from tests.fixtures.world import rewritten_succession, world

SERVER = os.environ.get("NEWSGRAPH_TEST_NEO4J_URI")
WIPE = "MATCH (n) WHERE n:Article OR n:Actor OR n:Event DETACH DELETE n"


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    if request.param == "embedded":
        with open_store(f"embedded:{tmp_path / 'g.lbug'}") as s:
            yield s
        return
    if not SERVER:
        pytest.skip("NEWSGRAPH_TEST_NEO4J_URI is not set: no Neo4j server to run the shared suite against")
    with open_store(SERVER, timeout=60) as s:
        with s._session(write=True) as session:
            session.run(WIPE).consume()
        yield s
        with s._session(write=True) as session:
            session.run(WIPE).consume()


def _counts(store) -> tuple[int, int, int]:
    c = store.counts()
    return c["articles"], c["actors"], c["events"]


def test_writes_are_idempotent(store):
    assert [store.write(ex).status for ex in world()] == ["added"] * 3
    first = _counts(store)
    assert [store.write(ex).status for ex in world()] == ["unchanged"] * 3
    assert _counts(store) == first == (3, 8, 9)


def test_new_content_at_the_same_source_replaces_its_facts(store):
    for ex in world():
        store.write(ex)
    replacement = rewritten_succession()
    assert article_status(store, replacement.article) == "replaced"
    assert store.write(replacement).status == "replaced"
    names = {row["name"] for row in store.query("MATCH (a:Actor) RETURN a.name AS name", {})}
    assert "Owen Pryce" not in names and "Ministry of Learning" not in names  # left without any article
    assert _counts(store)[0] == 3


def test_remove_by_url_and_by_source(store):
    for ex in world():
        store.write(ex)
    assert store.remove("https://example.org/news/unions-pause")
    assert store.remove("tests/world/coroner.txt")
    assert not store.remove("no-such-article")
    assert _counts(store)[0] == 1
    names = {row["name"] for row in store.query("MATCH (a:Actor) RETURN a.name AS name", {})}
    assert "Union of Head Teachers" not in names and "Mira Stone" not in names


def test_reads_refuse_writes(store):
    with pytest.raises(QueryError):
        store.query("CREATE (a:Actor {id: 'x', name: 'x', kind: 'Other'})", {})


def test_snapshot_selection_and_catalogue(store):
    for ex in world():
        store.write(ex)
    snap = store.snapshot(Selection(categories=["demand"]))
    assert {e.category for e in snap.events} == {"demand"}
    rows = run(store, "events", {"category": "appoint_succeed"})
    pairs = {(tuple(r["agents"]), tuple(r["patients"])) for r in rows}
    assert (("Dana Hollis",), ("Owen Pryce",)) in pairs
    assert run(store, "actor", {"actor": "UHT"})[0]["name"] == "Union of Head Teachers"
