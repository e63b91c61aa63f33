"""Network analytics on the actor network that events project: centralities, communities, paths.

Two actors are tied when one event links them: an agent and a patient of the event (who acted on
whom), or two agents of it (joint actors, such as two unions that demand together). Patients of
one event are not tied to each other: being criticised together says little about a relation.
A tie's weight is the number of events behind it; it also counts them by category and lists them.
Numbers are deterministic: the same snapshot gives the same numbers, rounded to six places.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from newsgraph.errors import InputError
from newsgraph.outputs import output_file
from newsgraph.store import GraphSnapshot, Store

# Louvain is randomised; a fixed seed (with nodes and edges added in a fixed order) makes the
# communities of one network the same on every run.
LOUVAIN_SEED = 42
PAGERANK_DAMPING = 0.85
DIGITS = 6
# At most this many equally short paths are weighed against each other: bounds the work on
# dense networks, where the number of shortest paths can grow exponentially.
PATHS_WEIGHED = 1000
FORMATS = ("json", "csv")


@dataclass
class ActorMetrics:
    """One actor's place in the network."""

    id: str
    name: str
    kind: str
    degree: int  # weighted degree: the events tying the actor to others, one per tie
    pagerank: float
    betweenness: float  # normalised, over shortest paths counted in ties (hops)
    community: int  # 0 is the largest community


METRIC_FIELDS = ("degree", "pagerank", "betweenness", "community")


# -- the network ---------------------------------------------------------------------------------


def actor_network(
    snapshot: GraphSnapshot, *, categories: Iterable[str] | None = None, directed: bool = False
) -> nx.Graph | nx.MultiDiGraph:
    """The actor network of a snapshot's events.

    Undirected (default): an nx.Graph with one edge per pair of actors that some event ties, with
    `weight` (events), `joint` (events in which both were agents), `categories` ({category:
    events}) and `events` (event ids). Directed: an nx.MultiDiGraph of who acted on whom, one edge
    agent -> patient per category (the edge key), with the same attributes less `joint`; joint
    action has no direction, so co-agents are not tied there.

    Nodes are actor ids with `name` and `kind`: every actor of the snapshot, or with `categories`,
    the actors taking part in events of those categories.
    """
    wanted = None if categories is None else set(categories)
    events = sorted(
        (e for e in snapshot.events if wanted is None or e.category in wanted), key=lambda e: (e.date or "", e.id)
    )
    records = {a.id: a for a in snapshot.actors}
    taking_part = {x for e in events for x in (*e.agents, *e.patients)}
    graph: nx.Graph | nx.MultiDiGraph = nx.MultiDiGraph() if directed else nx.Graph()
    for actor in sorted(taking_part | (set(records) if wanted is None else set())):
        record = records.get(actor)
        graph.add_node(actor, name=record.name if record else actor, kind=record.kind if record else "Other")

    ties: dict[tuple[str, ...], dict[str, Any]] = {}

    def tie(key: tuple[str, ...], category: str, event: str) -> dict[str, Any]:
        found = ties.setdefault(key, {"weight": 0, "categories": Counter(), "events": []})
        found["weight"] += 1
        found["categories"][category] += 1
        found["events"].append(event)
        return found

    for event in events:
        agents, patients = sorted(set(event.agents)), sorted(set(event.patients))
        acts_on = {(a, p) for a in agents for p in patients if a != p}
        if directed:
            for a, p in sorted(acts_on):
                tie((a, p, event.category), event.category, event.id)
            continue
        joint = set(itertools.combinations(agents, 2))
        pairs = {tuple(sorted(pair)) for pair in acts_on} | joint
        for pair in sorted(pairs):
            found = tie(pair, event.category, event.id)
            found["joint"] = found.get("joint", 0) + (pair in joint)
    for key, attrs in sorted(ties.items()):
        attrs["categories"] = dict(sorted(attrs["categories"].items()))
        if directed:
            graph.add_edge(key[0], key[1], key=key[2], **attrs)
        else:
            graph.add_edge(key[0], key[1], **attrs)
    return graph


def edge_rows(graph: nx.Graph | nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The network's edges as plain rows (source, target, weight, categories, events, ...), sorted."""
    if graph.is_multigraph():
        rows = [{"source": u, "target": v, **d} for u, v, d in graph.edges(data=True)]
    else:
        # An undirected edge is reported from its smaller id, whichever way networkx stores it.
        rows = [{"source": min(u, v), "target": max(u, v), **d} for u, v, d in graph.edges(data=True)]
    return sorted(rows, key=lambda r: (r["source"], r["target"], sorted(r["categories"])))


# -- measures ------------------------------------------------------------------------------------


def metrics(graph: nx.Graph | nx.MultiDiGraph) -> list[ActorMetrics]:
    """Degree, PageRank, betweenness and community of every actor, by PageRank (highest first), then id.

    On a directed network PageRank and betweenness follow the acts (agent to patient); degree
    counts ties both ways.
    """
    degree = dict(graph.degree(weight="weight"))
    rank = pagerank(graph)
    between = nx.betweenness_centrality(graph, normalized=True)
    community = {actor: number for number, members in enumerate(communities(graph)) for actor in members}
    rows = [
        ActorMetrics(
            id=actor,
            name=attrs.get("name", actor),
            kind=attrs.get("kind", "Other"),
            degree=int(degree[actor]),
            pagerank=round(rank[actor], DIGITS),
            betweenness=round(between[actor], DIGITS),
            community=community[actor],
        )
        for actor, attrs in graph.nodes(data=True)
    ]
    return sorted(rows, key=lambda r: (-r.pagerank, r.id))


def communities(graph: nx.Graph | nx.MultiDiGraph) -> list[list[str]]:
    """Louvain communities (weighted, fixed seed), largest first, then by smallest member id."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=LOUVAIN_SEED)
    return sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))


def pagerank(graph: nx.Graph | nx.MultiDiGraph, *, alpha: float = PAGERANK_DAMPING) -> dict[str, float]:
    """Weighted PageRank by power iteration, as nx.pagerank computes it but without scipy.

    An undirected tie passes rank both ways; parallel edges add their weights; an actor without
    outgoing ties hands its rank to everyone alike. Iterates to 1e-12, well past the six places
    reported, so the rounded numbers do not depend on where iteration stops.
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    out: dict[str, dict[str, float]] = {v: {} for v in nodes}
    for u, v, w in graph.edges(data="weight", default=1):
        out[u][v] = out[u].get(v, 0.0) + w
        if not graph.is_directed():
            out[v][u] = out[v].get(u, 0.0) + w
    share: dict[str, dict[str, float]] = {}  # the part of an actor's rank each tie passes on
    for u, targets in out.items():
        total = sum(targets.values())
        if total:
            share[u] = {v: w / total for v, w in targets.items()}
    dangling = [v for v in nodes if v not in share]
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(1000):
        last = rank
        base = (1.0 - alpha) / n + alpha * sum(last[v] for v in dangling) / n
        rank = dict.fromkeys(nodes, base)
        for u, targets in share.items():
            for v, part in targets.items():
                rank[v] += alpha * last[u] * part
        if sum(abs(rank[v] - last[v]) for v in nodes) < n * 1e-12:
            break
    return rank


# -- paths and neighbourhoods --------------------------------------------------------------------


def resolve_actor(graph: nx.Graph | nx.MultiDiGraph, key: str) -> str:
    """The actor id a key names: an actor id, or an actor's name in any case."""
    if key in graph:
        return key
    folded = key.casefold()
    named = sorted(v for v, name in graph.nodes(data="name") if (name or "").casefold() == folded)
    if len(named) == 1:
        return named[0]
    if named:
        raise InputError(f"{key!r} names more than one actor ({', '.join(named)}); give an actor id")
    raise InputError(f"no actor {key!r} in the network")


def shortest_path(graph: nx.Graph | nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """The actor ids on a shortest path between two actors (ids or names), both ends included.

    Paths count ties, whichever way the events between them went. Of equally short paths, the one
    whose ties carry the most events wins, then the first by ids.
    """
    source, target = resolve_actor(graph, a), resolve_actor(graph, b)
    ties = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    try:
        paths = list(itertools.islice(nx.all_shortest_paths(ties, source, target), PATHS_WEIGHED))
    except nx.NetworkXNoPath:
        raise InputError(f"no path between {_label(graph, source)} and {_label(graph, target)}") from None
    return min(paths, key=lambda path: (-sum(_strength(graph, u, v) for u, v in itertools.pairwise(path)), path))


def ego(graph: nx.Graph | nx.MultiDiGraph, actor: str, radius: int = 1) -> nx.Graph | nx.MultiDiGraph:
    """The actors within `radius` ties of an actor (id or name) and the ties among them, as a copy."""
    if radius < 0:
        raise InputError(f"radius must be 0 or more, not {radius}")
    return nx.ego_graph(graph, resolve_actor(graph, actor), radius=radius, undirected=True)


def _strength(graph: nx.Graph | nx.MultiDiGraph, u: str, v: str) -> int:
    """The events tying two actors, whichever way they went."""
    total = 0
    for x, y in ((u, v), (v, u)) if graph.is_directed() else ((u, v),):
        data = graph.get_edge_data(x, y) or {}
        total += sum(d["weight"] for d in data.values()) if graph.is_multigraph() else data.get("weight", 0)
    return total


def _label(graph: nx.Graph | nx.MultiDiGraph, actor: str) -> str:
    return graph.nodes[actor].get("name") or actor


# -- output and write-back -----------------------------------------------------------------------


def export_metrics(rows: Iterable[ActorMetrics], dest: str | Path | TextIO, fmt: str = "json") -> None:
    """Write metrics as JSON (a list of objects) or CSV (a header row, then one row per actor).

    `dest` is a path or an open text stream (such as sys.stdout).
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} for metrics (use {' or '.join(FORMATS)})")
    records = [asdict(r) for r in rows]
    if isinstance(dest, str | Path):
        with output_file(dest, "w", encoding="utf-8", newline="") as stream:  # whole or not at all
            _write(records, stream, fmt)
    else:
        _write(records, dest, fmt)


def _write(records: list[dict[str, Any]], stream: TextIO, fmt: str) -> None:
    if fmt == "json":
        json.dump(records, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    writer = csv.DictWriter(stream, fieldnames=[f.name for f in fields(ActorMetrics)], lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)


def write_metrics(store: Store, rows: Iterable[ActorMetrics]) -> int:
    """Store the metrics as actor properties (degree, pagerank, betweenness, community).

    They replace those of any earlier analysis: actors not in `rows` have theirs cleared. Returns
    the number of actors written.
    """
    return store.set_actor_metrics({r.id: {name: getattr(r, name) for name in METRIC_FIELDS} for r in rows})
