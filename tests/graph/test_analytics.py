"""Network analytics on the world's actor network: ties and weights, centralities, communities,
paths, ego networks, export, and the write-back of metrics as actor properties in both stores."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields, replace
from typing import Any

import networkx as nx
import pytest

from newsgraph.errors import InputError, OutputError, StoreError
from newsgraph.graph.analytics import (
    METRIC_FIELDS,
    ActorMetrics,
    actor_network,
    communities,
    edge_rows,
    ego,
    export_metrics,
    metrics,
    pagerank,
    resolve_actor,
    shortest_path,
    write_metrics,
)
from newsgraph.store import ActorRecord, GraphSnapshot, snapshot_from_extractions
from newsgraph.store import neo4j as neo4j_store
from newsgraph.store.embedded import EmbeddedStore

HOLLIS, PRYCE, STONE = "person:dana-hollis", "person:owen-pryce", "person:mira-stone"
INSPECTORATE, UHT, GUILD = (
    "organisation:schools-inspectorate",
    "organisation:union-of-head-teachers",
    "organisation:lecturers-guild",
)
MINISTRY, SCHOOL = "organisation:ministry-of-learning", "organisation:elm-primary-school"


@pytest.fixture
def snapshot(extractions) -> GraphSnapshot:
    return snapshot_from_extractions(extractions)


@pytest.fixture
def network(snapshot) -> nx.Graph:
    return actor_network(snapshot)


def _with_loner(snapshot: GraphSnapshot) -> GraphSnapshot:
    """The world plus an actor that takes part in no event."""
    loner = ActorRecord("person:ada-loner", "Ada Loner", "Person", articles=[snapshot.articles[0].id])
    return replace(snapshot, actors=[*snapshot.actors, loner])


# -- the network ---------------------------------------------------------------------------------


def test_every_actor_is_a_node_with_name_and_kind(network, snapshot):
    assert sorted(network) == sorted(a.id for a in snapshot.actors)
    assert network.nodes[HOLLIS] == {"name": "Dana Hollis", "kind": "Person"}
    assert network.nodes[INSPECTORATE]["kind"] == "Organisation"


def test_ties_and_weights(network):
    # The unions' demand and their letter both tie each union to the Inspectorate.
    tie = network.edges[UHT, INSPECTORATE]
    assert tie["weight"] == 2 and tie["joint"] == 0
    assert tie["categories"] == {"demand": 1, "write_to": 1}
    assert len(tie["events"]) == 2
    # Acting together (both demanded, both wrote) ties the co-agents; being criticised together does not add.
    assert network.edges[UHT, GUILD]["weight"] == 2 and network.edges[UHT, GUILD]["joint"] == 2
    assert network.edges[HOLLIS, PRYCE]["categories"] == {"appoint_succeed": 1}
    assert network.edges[MINISTRY, HOLLIS]["weight"] == 1
    assert not network.has_edge(HOLLIS, INSPECTORATE)  # holding a role there is no event
    assert not network.has_edge(PRYCE, PRYCE)  # a statement with no patient ties nobody
    assert network.number_of_edges() == 10
    assert sum(d["weight"] for _, _, d in network.edges(data=True)) == 13


def test_edge_rows_are_plain_and_sorted(network):
    rows = edge_rows(network)
    assert [(r["source"], r["target"]) for r in rows] == sorted((r["source"], r["target"]) for r in rows)
    assert all(r["source"] < r["target"] for r in rows)
    json.dumps(rows)  # plain values only
    [union] = [r for r in rows if (r["source"], r["target"]) == (INSPECTORATE, UHT)]
    assert union["weight"] == 2


def test_directed_network_has_one_edge_per_category_from_agent_to_patient(snapshot):
    graph = actor_network(snapshot, directed=True)
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph[UHT][INSPECTORATE]) == {"demand", "write_to"}
    assert graph[UHT][INSPECTORATE]["demand"]["weight"] == 1
    assert graph.has_edge(HOLLIS, PRYCE) and not graph.has_edge(PRYCE, HOLLIS)
    assert not graph.has_edge(UHT, GUILD) and not graph.has_edge(GUILD, UHT)  # joint action has no direction
    assert graph.degree(INSPECTORATE, weight="weight") == 6


def test_categories_select_events_and_their_actors(snapshot):
    graph = actor_network(snapshot, categories=["demand", "write_to"])
    assert sorted(graph) == sorted([UHT, GUILD, INSPECTORATE])
    assert graph.edges[UHT, INSPECTORATE]["weight"] == 2
    assert actor_network(snapshot, categories=[]).number_of_nodes() == 0


# -- measures ------------------------------------------------------------------------------------


def test_metrics_rank_the_world_sensibly(network):
    rows = metrics(network)
    by_id = {r.id: r for r in rows}
    assert len(rows) == network.number_of_nodes()
    assert rows[0].id == INSPECTORATE  # every story runs through it
    assert by_id[INSPECTORATE].degree == 6  # demand, letter (from two unions each), resignation, response
    assert by_id[HOLLIS].pagerank > by_id[SCHOOL].pagerank
    assert by_id[HOLLIS].betweenness > by_id[SCHOOL].betweenness
    assert by_id[HOLLIS].degree > by_id[SCHOOL].degree
    assert by_id[SCHOOL].betweenness == 0.0
    assert sum(r.pagerank for r in rows) == pytest.approx(1.0, abs=1e-5)
    assert [r.id for r in rows] == [r.id for r in sorted(rows, key=lambda r: (-r.pagerank, r.id))]


def test_communities_split_the_world_by_story(network):
    assert communities(network) == [
        [GUILD, INSPECTORATE, UHT],  # the unions and the body they wrote to
        [MINISTRY, HOLLIS, PRYCE],  # the succession
        [SCHOOL, STONE],  # the coroner's report
    ]
    by_id = {r.id: r.community for r in metrics(network)}
    assert by_id[UHT] == by_id[GUILD] == by_id[INSPECTORATE] == 0  # numbered by size, largest first
    assert by_id[HOLLIS] == by_id[PRYCE] != by_id[STONE]


def test_same_snapshot_same_numbers_whatever_the_order(snapshot):
    shuffled = replace(snapshot, events=snapshot.events[::-1], actors=snapshot.actors[::-1])
    first = metrics(actor_network(snapshot))
    assert metrics(actor_network(snapshot)) == first
    assert metrics(actor_network(shuffled)) == first
    assert all(round(r.pagerank, 6) == r.pagerank and round(r.betweenness, 6) == r.betweenness for r in first)


def test_an_actor_without_events_is_measured_alone(snapshot):
    graph = actor_network(_with_loner(snapshot))
    loner = {r.id: r for r in metrics(graph)}["person:ada-loner"]
    assert (loner.degree, loner.betweenness) == (0, 0.0)
    assert loner.pagerank > 0
    assert communities(graph)[-1] == ["person:ada-loner"]


@pytest.mark.parametrize("directed", [False, True])
def test_pagerank_agrees_with_networkx(snapshot, directed):
    reference = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")._pagerank_python
    graph = actor_network(_with_loner(snapshot), directed=directed)  # the loner is a dangling node
    ours, theirs = pagerank(graph), reference(graph, tol=1e-12, max_iter=10_000)
    assert ours.keys() == theirs.keys()
    assert all(ours[v] == pytest.approx(theirs[v], abs=1e-9) for v in ours)


def test_empty_network_has_no_metrics():
    assert metrics(actor_network(GraphSnapshot())) == []


# -- paths and neighbourhoods --------------------------------------------------------------------


def test_shortest_path_from_pryce_to_stone(network):
    path = shortest_path(network, PRYCE, STONE)
    assert path[0] == PRYCE and path[-1] == STONE
    assert set(path[1:-1]) & {INSPECTORATE, HOLLIS}
    assert path == [PRYCE, INSPECTORATE, STONE]
    assert shortest_path(network, "owen pryce", "Mira Stone") == path  # names work too


def test_shortest_path_ignores_direction(snapshot):
    # Pryce resigned from the Inspectorate, which responded to Stone: a path, though not a chain of acts.
    graph = actor_network(snapshot, directed=True)
    assert shortest_path(graph, STONE, PRYCE) == [STONE, INSPECTORATE, PRYCE]


def test_equally_short_paths_prefer_the_stronger_ties(network):
    # Hollis reaches the Inspectorate through Pryce (ties of 1 event each) or a union (1 + 2 events).
    assert shortest_path(network, HOLLIS, INSPECTORATE) in ([HOLLIS, GUILD, INSPECTORATE], [HOLLIS, UHT, INSPECTORATE])
    assert shortest_path(network, HOLLIS, INSPECTORATE) == [HOLLIS, GUILD, INSPECTORATE]  # then by ids


def test_no_path_is_an_input_error(snapshot):
    graph = actor_network(_with_loner(snapshot))
    with pytest.raises(InputError, match="no path between Owen Pryce and Ada Loner"):
        shortest_path(graph, PRYCE, "person:ada-loner")


def test_unknown_or_ambiguous_actor_is_an_input_error(network):
    with pytest.raises(InputError, match="no actor 'Nobody'"):
        shortest_path(network, "Nobody", PRYCE)
    twin = network.copy()
    twin.add_node("person:dana-hollis-2", name="Dana Hollis", kind="Person")
    with pytest.raises(InputError, match="more than one actor"):
        resolve_actor(twin, "dana hollis")
    assert resolve_actor(twin, HOLLIS) == HOLLIS  # an id is never ambiguous


def test_ego_network_of_hollis(network):
    near = ego(network, "Dana Hollis")
    assert PRYCE in near and MINISTRY in near and UHT in near
    assert STONE not in near and INSPECTORATE not in near
    assert near.edges[HOLLIS, PRYCE]["weight"] == 1
    assert near.has_edge(UHT, GUILD)  # ties among the neighbours are kept
    wider = ego(network, HOLLIS, radius=2)
    assert INSPECTORATE in wider and STONE not in wider
    assert list(ego(network, HOLLIS, radius=0)) == [HOLLIS]
    near.remove_node(PRYCE)
    assert PRYCE in network  # a copy
    with pytest.raises(InputError, match="radius"):
        ego(network, HOLLIS, radius=-1)


# -- export --------------------------------------------------------------------------------------


def _typed(row: dict[str, str]) -> ActorMetrics:
    types = {f.name: f.type for f in fields(ActorMetrics)}
    cast = {"str": str, "int": int, "float": float}
    return ActorMetrics(**{k: cast[types[k]](v) for k, v in row.items()})


def test_json_export_round_trip(network, tmp_path):
    rows = metrics(network)
    dest = tmp_path / "metrics.json"
    export_metrics(rows, dest, "json")
    assert [ActorMetrics(**r) for r in json.loads(dest.read_text(encoding="utf-8"))] == rows
    stream = io.StringIO()
    export_metrics(rows, stream, "json")
    assert stream.getvalue() == dest.read_text(encoding="utf-8")


def test_csv_export_round_trip(network, tmp_path):
    rows = metrics(network)
    dest = tmp_path / "metrics.csv"
    export_metrics(rows, dest, "csv")
    text = dest.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "id,name,kind,degree,pagerank,betweenness,community"
    assert [_typed(r) for r in csv.DictReader(io.StringIO(text))] == rows
    stream = io.StringIO()
    export_metrics(rows, stream, "csv")
    assert stream.getvalue() == text


def test_export_refuses_unknown_format_and_unwritable_path(network, tmp_path):
    with pytest.raises(InputError, match="unknown format 'xml'"):
        export_metrics(metrics(network), tmp_path / "m.xml", "xml")
    with pytest.raises(OutputError, match="cannot write"):
        export_metrics(metrics(network), tmp_path / "missing" / "m.json", "json")


# -- write-back ----------------------------------------------------------------------------------

READ_BACK = (
    "MATCH (a:Actor) RETURN a.id AS id, a.degree AS degree, a.pagerank AS pagerank, a.betweenness AS betweenness,"
    " a.community AS community ORDER BY id"
)


def _properties(row: ActorMetrics) -> dict[str, Any]:
    return {"id": row.id, **{name: getattr(row, name) for name in METRIC_FIELDS}}


@pytest.fixture
def store(tmp_path, extractions):
    with EmbeddedStore(tmp_path / "graph.lbug") as store:
        for ex in extractions:
            store.write(ex)
        yield store


def test_write_back_to_the_embedded_store(store):
    rows = metrics(actor_network(store.snapshot()))
    assert write_metrics(store, rows) == 8
    stored = {r["id"]: r for r in store.query("MATCH (a:Actor) RETURN a.id AS id, a.pagerank AS pr")}
    assert {k: r["pr"] for k, r in stored.items()} == {r.id: r.pagerank for r in rows}
    back = store.query(READ_BACK)
    assert back == sorted((_properties(r) for r in rows), key=lambda r: r["id"])
    assert write_metrics(store, rows) == 8  # twice: the same properties, nothing added
    assert store.query(READ_BACK) == back
    assert store.counts()["actors"] == 8


def test_a_later_analysis_replaces_the_earlier_one(store):
    write_metrics(store, metrics(actor_network(store.snapshot())))
    unions = metrics(actor_network(store.snapshot(), categories=["demand"]))
    assert write_metrics(store, unions) == 3
    back = {r["id"]: r for r in store.query(READ_BACK)}
    assert back[UHT] == _properties({r.id: r for r in unions}[UHT])
    assert back[HOLLIS] == {"id": HOLLIS, **dict.fromkeys(METRIC_FIELDS)}


def test_write_back_refusals(store, tmp_path):
    with pytest.raises(StoreError, match="metrics must be exactly"):
        store.set_actor_metrics({HOLLIS: {"degree": 1}})
    assert write_metrics(store, []) == 0
    store.close()
    with (
        EmbeddedStore(tmp_path / "graph.lbug", read_only=True) as read_only,
        pytest.raises(StoreError, match="read-only"),
    ):
        write_metrics(read_only, [])


class _Tx:
    def __init__(self, runs: list[tuple[str, dict[str, Any]]]):
        self.runs = runs

    def run(self, query, parameters=None, **kw):
        text = getattr(query, "text", query)
        params = {**(parameters or {}), **kw}
        self.runs.append((text, params))
        rows = [{"actors": len(params["rows"])}] if "rows" in params else []
        return _Result(rows)


class _Result(list):
    def __init__(self, rows):
        super().__init__(type("Record", (dict,), {"data": lambda self: dict(self)})(r) for r in rows)

    def consume(self):
        return None


class _Driver:
    def __init__(self, uri, **config):
        self.runs: list[tuple[str, dict[str, Any]]] = []

    def verify_connectivity(self):
        pass

    def close(self):
        pass

    def session(self, **config):
        driver = self

        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute_write(self, work):
                return work(_Tx(driver.runs))

        return Session()


def test_write_back_to_neo4j_sends_the_linted_statements(monkeypatch, network):
    import neo4j

    made: list[_Driver] = []
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, **kw: made.append(_Driver(uri)) or made[-1])
    store = neo4j_store.Neo4jStore("bolt://localhost:7687", batch_size=3)
    rows = metrics(network)
    assert write_metrics(store, rows) == 8
    texts = {st.text: name for name, st in neo4j_store.STATEMENTS.items()}
    sent = [(texts[text], params) for text, params in made[-1].runs]
    assert [name for name, _ in sent] == ["set_actor_metrics"] * 3 + ["clear_actor_metrics"]
    written = [row for name, params in sent if name == "set_actor_metrics" for row in params["rows"]]
    assert written == sorted((_properties(r) for r in rows), key=lambda r: r["id"])
    assert sent[-1][1] == {"actors": sorted(r.id for r in rows)}
    with pytest.raises(StoreError, match="read-only"):
        neo4j_store.Neo4jStore("bolt://localhost:7687", read_only=True).set_actor_metrics({})


def test_neo4j_write_back_statements_are_linted():
    """tests/graph/test_cypher_lint.py lints every statement in STATEMENTS with Neo4j's parser."""
    from tests.graph.test_cypher_lint import _statement_ids

    ids = _statement_ids()
    assert "store:set_actor_metrics" in ids and "store:clear_actor_metrics" in ids


def test_an_event_told_in_two_articles_counts_once():
    """The union's criticism of the board, told by two articles, is one event behind the tie and in
    the union's degree: analytics count events, not reports."""
    from tests.fixtures.retold import BOARD, UNION, retold

    snap = snapshot_from_extractions(retold())
    [criticism] = [e for e in snap.events if e.category == "criticise"]
    assert len(criticism.reports) == 2
    tie = actor_network(snap).edges[UNION, BOARD]
    assert (tie["weight"], tie["events"]) == (1, [criticism.id])
    assert {m.id: m.degree for m in metrics(actor_network(snap))}[UNION] == 1
