"""The offline HTML network: select part of a graph snapshot, then render it as one self-contained page.

The page is our own template around vis-network (inlined from pyvis's bundle): it makes no request
beyond its own file, shows every text from articles as text (never as HTML), and filters, searches
and explains the graph in the browser without a server.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from newsgraph.errors import ConfigError, InputError
from newsgraph.store.records import ActorRecord, ArticleRecord, EventRecord, GraphSnapshot
from newsgraph.store.selection import Selection, keeps_event

EventsAs = Literal["edges", "nodes"]

KIND_COLOURS: dict[str, str] = {
    "Person": "#4e79a7",
    "Organisation": "#f28e2b",
    "Place": "#59a14f",
    "Document": "#b07aa1",
    "Other": "#9d9d9d",
}
# One colour per category in taxonomy order; categories beyond the list (a user's taxonomy) wrap.
CATEGORY_PALETTE: tuple[str, ...] = (
    "#d62728",
    "#1f77b4",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#2ca02c",
    "#444444",
    "#17becf",
    "#bcbd22",
    "#ff7f0e",
    "#393b79",
    "#7b4173",
    "#0b6e4f",
    "#637939",
    "#843c39",
    "#aaaaaa",
)
# Actors are dots; an event drawn as a node takes one of the other shapes vis draws with the label below.
EVENT_SHAPES: tuple[str, ...] = ("diamond", "square", "triangle", "triangleDown", "star", "hexagon")
LAYOUT_SEED = 7
STABILISATION_ITERATIONS = 150
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class VizResult:
    nodes: int
    edges: int
    path: Path
    physics: bool  # True: the browser lays the graph out; False: positions were computed here
    hidden_events: int = 0  # events not drawn because, drawn as edges, they lack an agent or a patient


# ---------------------------------------------------------------------------------------------
# Selection


def select(
    snapshot: GraphSnapshot,
    *,
    actor: str | None = None,
    hops: int = 1,
    categories: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    article: str | Iterable[str] | None = None,
) -> GraphSnapshot:
    """The part of a snapshot to draw: events filtered by category, date and article, then, given an
    actor id, its ego network: the actors within `hops` steps over the actor network that the kept
    events project (actors joined when they take part in one event), and the events among them.

    Events are kept by the stores' rule (store/selection.py): dates are YYYY, YYYY-MM or YYYY-MM-DD
    and inclusive, compared at the shorter precision, and an event without a date of its own is left
    out once a date bound is given.
    """
    _check_date(since, "since")
    _check_date(until, "until")
    if hops < 0:
        raise InputError(f"hops must be 0 or more, not {hops}")
    article_ids = _article_ids(snapshot, article) if article is not None else None
    rule = Selection(categories=list(categories) if categories is not None else None, since=since, until=until)
    actors = {a.id: a for a in snapshot.actors}
    events = [
        ev for ev in snapshot.events if (article_ids is None or ev.article in article_ids) and keeps_event(ev, rule)
    ]
    filtered = rule.filters_events or article_ids is not None

    if actor is not None:
        if actor not in actors:
            raise InputError(f"actor {actor!r} is not in the graph")
        import networkx as nx

        network = nx.Graph()
        network.add_node(actor)
        for ev in events:
            taking_part = _participants(ev, actors)
            network.add_nodes_from(taking_part)
            network.add_edges_from(itertools.combinations(taking_part, 2))
        chosen = set(nx.single_source_shortest_path_length(network, actor, cutoff=hops))
        events = [ev for ev in events if (p := _participants(ev, actors)) and set(p) <= chosen]
    elif filtered:
        chosen = {p for ev in events for p in _participants(ev, actors)}
        if article_ids is not None:
            chosen |= {a.id for a in snapshot.actors if article_ids & set(a.articles)}
    else:
        chosen = set(actors)

    if actor is None and not filtered:
        articles = list(snapshot.articles)
    else:
        used = {ev.article for ev in events} | (article_ids or set())
        articles = [a for a in snapshot.articles if a.id in used]
    roles = [r for r in snapshot.roles if r.holder in chosen and (article_ids is None or r.article in article_ids)]
    return GraphSnapshot(
        articles=articles,
        actors=[a for a in snapshot.actors if a.id in chosen],
        events=events,
        roles=roles,
    )


def selection_title(
    snapshot: GraphSnapshot,
    *,
    actor: str | None = None,
    hops: int = 1,
    categories: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    article: str | Iterable[str] | None = None,
) -> str:
    """A page title that names a selection in the analyst's words (the CLI passes it to render)."""
    parts = []
    if actor is not None:
        name = next((a.name for a in snapshot.actors if a.id == actor), actor)
        parts.append(f"{name}, {hops} hop{'s' if hops != 1 else ''}")
    if categories is not None:
        parts.append(", ".join(sorted(categories)))
    if since and until:
        parts.append(f"{since} to {until}")
    elif since:
        parts.append(f"from {since}")
    elif until:
        parts.append(f"until {until}")
    if article is not None:
        names = [article] if isinstance(article, str) else list(article)
        titles = {a.id: a.title for a in snapshot.articles}
        for a in snapshot.articles:
            titles.update({key: a.title for key in (a.url, a.source) if key})
        parts.append("; ".join(titles.get(n) or n for n in names))
    return "newsgraph: " + (" · ".join(parts) if parts else "all actors and events")


def _participants(ev: EventRecord, actors: dict[str, ActorRecord]) -> list[str]:
    return [p for p in dict.fromkeys([*ev.agents, *ev.patients]) if p in actors]


def _article_ids(snapshot: GraphSnapshot, article: str | Iterable[str]) -> set[str]:
    names = [article] if isinstance(article, str) else list(article)
    ids = set()
    for name in names:
        found = {a.id for a in snapshot.articles if name in (a.id, a.url, a.source)}
        if not found:
            raise InputError(f"article {name!r} is not in the graph")
        ids |= found
    return ids


def _check_date(value: str | None, what: str) -> None:
    if value is not None and not _DATE.match(value):
        raise InputError(f"{what} {value!r}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY")


# ---------------------------------------------------------------------------------------------
# Rendering


def render(
    snapshot: GraphSnapshot,
    path: str | Path,
    *,
    events_as: EventsAs = "edges",
    max_nodes: int = 2000,
    title: str | None = None,
    physics_limit: int = 1000,
) -> VizResult:
    """Write the snapshot as one offline HTML page and say what it holds.

    Actors are nodes coloured by kind and sized by the events they take part in. Events are either
    edges agent -> patient (an event then needs both; the others are counted as hidden) or nodes of
    their own joined to their agents and patients. Up to `physics_limit` nodes the browser lays the
    graph out; above it positions are computed here and physics stays off.
    """
    if events_as not in ("edges", "nodes"):
        raise InputError(f"events_as must be 'edges' or 'nodes', not {events_as!r}")
    actors = {a.id: a for a in snapshot.actors}
    events = list({ev.id: ev for ev in snapshot.events}.values())  # an id twice would break the page
    n_nodes = len(actors) + (len(events) if events_as == "nodes" else 0)
    if n_nodes > max_nodes:
        raise InputError(
            f"{n_nodes} nodes exceed --max-nodes {max_nodes}: narrow the selection with --actor/--hops, "
            "--category, --since/--until or --article, or raise --max-nodes"
        )
    physics = n_nodes <= physics_limit
    kinds = {a.id: a.kind if a.kind in KIND_COLOURS else "Other" for a in snapshot.actors}
    categories = _categories(events)
    articles = {a.id: a for a in snapshot.articles}
    roles: dict[str, list[str]] = defaultdict(list)
    for role in snapshot.roles:
        label = role.title + (f", {actors[role.organisation].name}" if role.organisation in actors else "")
        if label not in roles[role.holder]:
            roles[role.holder].append(label)

    activity: Counter[str] = Counter()
    for ev in events:
        activity.update(_participants(ev, actors))

    net = _network()
    for a in snapshot.actors:
        colour = KIND_COLOURS[kinds[a.id]]
        net.add_node(
            a.id,
            label=a.name,
            shape="dot",
            color=_node_colour(colour),
            size=round(min(12 + 5 * math.sqrt(activity[a.id]), 48), 1),
            kind=kinds[a.id],
            names=[a.name, *a.aliases],
            tip=_actor_tip(a, activity[a.id], roles.get(a.id, [])),
        )

    hidden = 0
    drawn: Counter[str] = Counter()  # events drawn, by category
    if events_as == "edges":
        pairs: Counter[tuple[str, str]] = Counter()
        for ev in events:
            agents = [p for p in dict.fromkeys(ev.agents) if p in actors]
            patients = [p for p in dict.fromkeys(ev.patients) if p in actors]
            if not agents or not patients:
                hidden += 1
                continue
            drawn[ev.category] += 1
            style = categories[ev.category]
            tip = _event_tip(ev, style["label"], actors, articles)
            for i, (a, p) in enumerate(itertools.product(agents, patients)):
                pair = (min(a, p), max(a, p))
                pairs[pair] += 1
                net.add_edge(
                    a,
                    p,
                    id=f"{ev.id}#{i}",
                    label=style["label"],
                    color=_edge_colour(style["color"]),
                    arrows="to",
                    category=ev.category,
                    date=ev.date or _article_date(articles, ev.article),
                    event=ev.id,
                    tip=tip,
                    **_parallel(pairs[pair] - 1, (a, p) == pair),
                )
    else:
        for ev in events:
            drawn[ev.category] += 1
            style = categories[ev.category]
            date = ev.date or _article_date(articles, ev.article)
            net.add_node(
                ev.id,
                label=style["label"],
                shape=style["shape"],
                color=_node_colour(style["color"]),
                size=10,
                category=ev.category,
                date=date,
                tip=_event_tip(ev, style["label"], actors, articles),
            )
            for role, ends in (("agent", ev.agents), ("patient", ev.patients)):
                for i, other in enumerate(p for p in dict.fromkeys(ends) if p in actors):
                    source, target = (other, ev.id) if role == "agent" else (ev.id, other)
                    net.add_edge(
                        source,
                        target,
                        id=f"{ev.id}#{role}{i}",
                        label=role,
                        color=_edge_colour("#8a8a8a"),
                        arrows="to",
                        category=ev.category,
                        date=date,
                        event=ev.id,
                        tip=[f"{role} of {style['label']}: {actors[other].name}"],
                    )

    if not physics:
        positions = layout_positions([n["id"] for n in net.nodes], [(e["from"], e["to"]) for e in net.edges])
        for node in net.nodes:
            node["x"], node["y"] = positions[node["id"]]
    net.options = _options(physics, big=n_nodes > 300)

    n_events = len(events)
    title = title or f"newsgraph: {len(actors)} actors, {n_events} events"
    summary = f"{len(actors)} actors, {n_events - hidden} events drawn"
    if events_as == "edges":
        summary += " as edges (agent → patient)"
    if hidden:
        summary += (
            f"; {hidden} event{'s' if hidden != 1 else ''} not drawn: an edge needs an agent and a patient"
            " (draw events as nodes to see them)"
        )
    counted = Counter(kinds.values())
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "physics": physics,
        "eventsAs": events_as,
        "hiddenEvents": hidden,
        "legend": {
            "kinds": [{"kind": kind, "color": colour, "count": counted[kind]} for kind, colour in KIND_COLOURS.items()],
            "categories": [
                {"name": name, **style, "count": drawn[name]} for name, style in categories.items() if drawn[name]
            ],
        },
    }
    page = _page(title=title, summary=summary, data=data)
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    return VizResult(nodes=len(net.nodes), edges=len(net.edges), path=out, physics=physics, hidden_events=hidden)


class _NodeIds(list):
    """pyvis keeps node ids in a list and tests membership on every add: quadratic at 5k nodes. Index them."""

    def __init__(self) -> None:
        super().__init__()
        self._index: set[Any] = set()

    def append(self, node_id: Any) -> None:
        super().append(node_id)
        self._index.add(node_id)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index


def _network():
    from pyvis.network import Network

    # directed: pyvis then skips its scan of all edges for an existing reverse edge on every add_edge
    net = Network(directed=True, cdn_resources="in_line", select_menu=False, filter_menu=False)
    net.node_ids = _NodeIds()
    return net


def _categories(events: Iterable[EventRecord]) -> dict[str, dict[str, str]]:
    """Label, colour and node shape for the taxonomy's categories and any other category the events use."""
    try:
        from newsgraph.ingest.taxonomy import load_taxonomy

        labels = {name: cat.label for name, cat in load_taxonomy().items()}
    except ConfigError:
        labels = {}
    names = list(labels) + sorted({ev.category for ev in events} - set(labels))
    return {
        name: {
            "label": labels.get(name, name.replace("_", " ")),
            "color": CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)],
            "shape": EVENT_SHAPES[i % len(EVENT_SHAPES)],
        }
        for i, name in enumerate(names)
    }


def _node_colour(colour: str) -> dict[str, Any]:
    # Explicit colours on every node: pyvis drops `color` when a node has a `group`.
    return {
        "background": colour,
        "border": _darker(colour),
        "highlight": {"background": colour, "border": "#111111"},
        "hover": {"background": colour, "border": "#111111"},
    }


def _edge_colour(colour: str) -> dict[str, Any]:
    return {"color": colour, "highlight": colour, "hover": colour, "inherit": False, "opacity": 0.85}


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))


def _parallel(k: int, canonical: bool) -> dict[str, Any]:
    """Curve the k-th edge between one pair of actors (k > 0) so that parallel events do not overlap."""
    if k == 0:
        return {}
    right = k % 2 == 1
    clockwise = right if canonical else not right
    return {
        "smooth": {
            "enabled": True,
            "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": min(0.2 * ((k + 1) // 2), 1.0),
        }
    }


def _article_date(articles: dict[str, ArticleRecord], article: str) -> str | None:
    rec = articles.get(article)
    return rec.date if rec else None


def _actor_tip(actor: ActorRecord, events: int, roles: list[str]) -> list[str]:
    lines = [actor.name, f"Kind: {actor.kind}"]
    if actor.aliases:
        lines.append("Also: " + ", ".join(actor.aliases))
    if roles:
        lines.append("Roles: " + "; ".join(roles))
    lines.append(f"Articles: {len(actor.articles)}")
    lines.append(f"Events here: {events}")
    return lines


def _event_tip(
    ev: EventRecord, label: str, actors: dict[str, ActorRecord], articles: dict[str, ArticleRecord]
) -> list[str]:
    def names(ids: list[str]) -> str:
        return ", ".join(actors[i].name if i in actors else i for i in ids) or "none named"

    date = ev.date or "not given"
    if ev.date_text:
        date += f" (“{ev.date_text}”)"
    lines = [f"{label} ({ev.category})", f"Trigger: {ev.trigger}", f"Date: {date}"]
    lines += [f"Agents: {names(ev.agents)}", f"Patients: {names(ev.patients)}"]
    if ev.modality and ev.modality != "asserted":
        lines.append(f"Modality: {ev.modality}")
    lines.append(f"Evidence: {ev.evidence}")
    if ev.quote:
        lines.append(f"Quote: “{ev.quote}”")
    art = articles.get(ev.article)
    if art is None:
        lines.append(f"Article: {ev.article}")
    else:
        name = art.title or art.url or art.source
        extras = ", ".join(x for x in (art.outlet, art.date) if x)
        lines.append(f"Article: {name}" + (f" ({extras})" if extras else ""))
    return lines


def _options(physics: bool, *, big: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1.5,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "smooth": False,
            "width": 1.5,
            "selectionWidth": 2,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"size": 10, "face": "sans-serif", "color": "#333333", "strokeWidth": 3},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": True,
        },
        "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": STABILISATION_ITERATIONS, "updateInterval": 50},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def layout_positions(
    nodes: list[str], edges: list[tuple[str, str]], *, seed: int = LAYOUT_SEED, spacing: float = 150.0
) -> dict[str, tuple[float, float]]:
    """Node positions in page pixels, the same for the same graph: each connected component laid out
    on its own (force-directed, or a ring when small), then the components packed in rows, largest first.
    """
    import networkx as nx

    index = {node: i for i, node in enumerate(nodes)}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    components = [sorted(c, key=index.__getitem__) for c in nx.connected_components(graph)]
    components.sort(key=lambda c: (-len(c), index[c[0]]))
    placed: list[tuple[list[str], list[tuple[float, float]]]] = []
    for members in components:
        if len(members) <= 6:
            coords = _ring(len(members))
        else:
            sub = {node: i for i, node in enumerate(members)}
            links = [(sub[a], sub[b]) for a, b in graph.subgraph(members).edges()]
            coords = _force_layout(len(members), links, seed)
        placed.append((members, coords))
    return {node: (round(x * spacing, 1), round(y * spacing, 1)) for node, (x, y) in _pack(placed).items()}


def _ring(n: int) -> list[tuple[float, float]]:
    if n == 1:
        return [(0.0, 0.0)]
    radius = 0.5 / math.sin(math.pi / n)  # neighbours on the ring one unit apart
    return [(radius * math.cos(2 * math.pi * i / n), radius * math.sin(2 * math.pi * i / n)) for i in range(n)]


def _force_layout(n: int, links: list[tuple[int, int]], seed: int) -> list[tuple[float, float]]:
    """Fruchterman-Reingold on one connected component, neighbours about one unit apart.

    Repulsion is estimated from a random sample of nodes each step, so a step costs O(n·s + e), not
    O(n²); numpy only (networkx's spring_layout needs scipy from 500 nodes, and is quadratic).
    """
    import numpy as np

    src = np.fromiter((a for a, _ in links), dtype=np.int64, count=len(links))
    dst = np.fromiter((b for _, b in links), dtype=np.int64, count=len(links))
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = (rng.random((n, 2)) - 0.5) * side
    sample_size = min(n - 1, 96)
    iterations = 120
    temperature = side / 4
    cooling = (0.01 / temperature) ** (1 / iterations)
    degree = np.bincount(np.concatenate([src, dst]), minlength=n) + 1.0
    scale = (n - 1) / sample_size / degree.mean()
    for _ in range(iterations):
        sample = rng.choice(n, size=sample_size, replace=False)
        others = pos[sample]
        # squared distances to the sample by expansion: (n, s) arrays, not an (n, s, 2) one; outer
        # products and matrix-vector products, as BLAS matrix products of these shapes are slow
        sq = (pos**2).sum(axis=1)
        dot = np.outer(pos[:, 0], others[:, 0]) + np.outer(pos[:, 1], others[:, 1])
        dist2 = np.maximum(sq[:, None] + sq[None, sample] - 2.0 * dot, 0.01)
        # repulsion 1/d from every node, estimated from the sample; hubs push harder (as ForceAtlas2)
        weight = degree[None, sample] / dist2
        weighted_others = np.column_stack([weight @ others[:, 0], weight @ others[:, 1]])
        disp = (pos * weight.sum(axis=1)[:, None] - weighted_others) * scale
        d = pos[src] - pos[dst]
        pull = d * np.sqrt((d**2).sum(axis=1))[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(dst, pull[:, axis], n) - np.bincount(src, pull[:, axis], n)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    return [(float(x), float(y)) for x, y in pos]


def _pack(
    placed: list[tuple[list[str], list[tuple[float, float]]]], gap: float = 1.0
) -> dict[str, tuple[float, float]]:
    """Components in rows, largest first, each row as wide as the largest component or the square root
    of the total area, whichever is wider."""
    boxes = []
    for members, coords in placed:
        xs = [x for x, _ in coords]
        ys = [y for _, y in coords]
        boxes.append((members, coords, min(xs), min(ys), max(xs) - min(xs) + gap, max(ys) - min(ys) + gap))
    width = max(max(b[4] for b in boxes), math.sqrt(sum(b[4] * b[5] for b in boxes)))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, coords, left, top, w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (cx, cy) in zip(members, coords, strict=True):
            out[node] = (cx - left + x, cy - top + y)
        x += w
        row_height = max(row_height, h)
    return out


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> block or open a comment, and parses the same."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _asset(package: str, name: str) -> str:
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise ConfigError(f"{package}/{name}: cannot read the viz asset ({exc})") from exc


def _page(*, title: str, summary: str, data: dict[str, Any]) -> str:
    vis_js = _asset("pyvis", "templates/lib/vis-9.1.2/vis-network.min.js")
    vis_css = _asset("pyvis", "templates/lib/vis-9.1.2/vis-network.css")
    # Inline code must not close its own element early.
    vis_js = re.sub(r"</(script)", r"<\\/\1", vis_js, flags=re.IGNORECASE)
    vis_css = re.sub(r"</(style)", r"<\\/\1", vis_css, flags=re.IGNORECASE)
    values = {
        "TITLE": html.escape(title),
        "SUMMARY": html.escape(summary),
        "VIS_CSS": vis_css,
        "VIS_JS": vis_js,
        "DATA": _json_for_script(data),
    }
    template = _asset("newsgraph.data", "viz_template.html")
    # One pass, so that nothing substituted is ever read as a placeholder.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], template)
