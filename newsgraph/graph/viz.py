"""The offline HTML network: select part of a graph snapshot, then render it as one self-contained page.

The page is our own template around vis-network (inlined from pyvis's bundle): it makes no request
beyond its own file, shows every text from articles as text (never as HTML), and filters, searches
and explains the graph in the browser without a server. By default it is a story map: one edge per
actor pair and direction, events with one side only drawn on their actor, actors without events hidden.
An event that several articles report is one event here as in the store (store/consolidate.py): it
counts once in an edge's width, with its lead report's sentence and the other articles listed.
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
from urllib.parse import urlsplit

from newsgraph.errors import ConfigError, InputError, OutputError
from newsgraph.model import short_event_id
from newsgraph.outputs import write_output
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
# Sixteen hues for event categories, chosen by a search over CIELAB for the largest smallest
# difference between any two: ΔE76 >= 21 with normal vision and >= 10 under simulated protanopia,
# deuteranopia and tritanopia (Machado et al. 2009), no two hues closer than 16 degrees. The page
# never shows a category by colour alone: its label is beside the swatch, in tooltips and panels.
CATEGORY_PALETTE: tuple[str, ...] = (
    "#f4677c",
    "#f92935",
    "#963f1b",
    "#ddae6f",
    "#bbbc29",
    "#85ad4f",
    "#3b924a",
    "#01724b",
    "#1eb3a4",
    "#29c5ef",
    "#0289c4",
    "#089bfd",
    "#546fdd",
    "#8b2baa",
    "#a31489",
    "#b15b82",
)
# The taxonomy's categories each keep their colour (frequent ones far apart: statement, criticise,
# demand, respond); categories of a user's taxonomy take the colours left, then wrap.
CATEGORY_COLOURS: dict[str, str] = {
    "demand": "#963f1b",
    "statement": "#0289c4",
    "criticise": "#f92935",
    "publish_report": "#bbbc29",
    "respond": "#1eb3a4",
    "appoint_succeed": "#3b924a",
    "resign": "#ddae6f",
    "die": "#8b2baa",
    "inspect": "#546fdd",
    "rate_judge": "#a31489",
    "meet": "#85ad4f",
    "write_to": "#29c5ef",
    "legal_action": "#01724b",
    "announce_policy": "#f4677c",
    "consult": "#b15b82",
    "other": "#089bfd",
}
# Actors are dots; an event drawn as a node takes one of the other shapes vis draws with the label below.
EVENT_SHAPES: tuple[str, ...] = ("diamond", "square", "triangle", "triangleDown", "star", "hexagon")
LAYOUT_SEED = 7
STABILISATION_ITERATIONS = 150
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


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
        ev
        for ev in snapshot.events
        if (article_ids is None or article_ids.intersection(ev.articles)) and keeps_event(ev, rule)
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
        used = {a for ev in events for a in ev.articles} | (article_ids or set())
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


@dataclass
class VizResult:
    """What a page holds, in the words its header and the CLI use (see summary())."""

    path: Path
    events_as: EventsAs
    actors: int  # actors in the selection
    shown_actors: int  # drawn when the page opens: taking part in an event, or the focus
    events: int
    linked_events: int  # events between two actors, drawn on links (events as edges)
    links: int  # actor pairs and directions joined by events: one edge each
    solo_events: int  # events with one side only (a death, a statement), drawn on their actors
    unplaced_events: int  # events that name no actor of the selection (not drawn as edges)
    nodes: int  # nodes the page holds (actors, and events drawn as nodes), hidden ones included
    edges: int
    physics: bool  # True: the browser lays the graph out; False: positions were computed here

    def summary(self) -> str:
        """The page's header line, which the page recomputes from the same records when it opens."""
        return summary_line(
            self.events_as,
            self.shown_actors,
            self.events,
            self.linked_events,
            self.links,
            self.solo_events,
            self.unplaced_events,
            self.actors - self.shown_actors,
        )


def summary_line(
    events_as: str, actors: int, events: int, linked: int, links: int, solo: int, unplaced: int, idle: int
) -> str:
    """`12 actors, 30 events: 18 between actors on 9 links, 12 on one actor; 3 actors without events hidden`
    (`actors`: those drawn). The page's script builds the same line (summaryLine in the template)."""
    text = f"{_plural(actors, 'actor')}, {_plural(events, 'event')}"
    if events_as == "nodes":
        text += " drawn as nodes"
    else:
        parts = [f"{linked} between actors on {_plural(links, 'link')}", f"{solo} on one actor"]
        if unplaced:
            parts.append(f"{unplaced} naming no actor")
        text += ": " + ", ".join(parts)
    if idle:
        text += f"; {_plural(idle, 'actor')} without events hidden"
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render(
    snapshot: GraphSnapshot,
    path: str | Path,
    *,
    events_as: EventsAs = "edges",
    max_nodes: int = 2000,
    title: str | None = None,
    physics_limit: int = 1000,
    focus: str | None = None,
) -> VizResult:
    """Write the snapshot as one offline HTML page and say what it holds.

    As a story map (events as edges): actors are nodes coloured by kind and sized by their events;
    each actor pair and direction with events between them is one edge, as wide as it has events;
    an event with one side only (a death, a statement) is a ring on its actor. As events as nodes:
    every event is a node joined to its agents and patients. Actors without events are hidden until
    asked for; `focus` (an actor id) is centred and marked. Up to `physics_limit` nodes the browser
    lays the graph out; above it positions are computed here and physics stays off.
    """
    if events_as not in ("edges", "nodes"):
        raise InputError(f"events_as must be 'edges' or 'nodes', not {events_as!r}")
    actor_list = list({a.id: a for a in snapshot.actors}.values())
    index = {a.id: i for i, a in enumerate(actor_list)}
    if focus is not None and focus not in index:
        raise InputError(f"focus actor {focus!r} is not in the selection")
    articles = {a.id: a for a in snapshot.articles}
    unique = {ev.id: ev for ev in snapshot.events}  # an id twice would break the page
    events = _date_ordered(list(unique.values()), articles)
    n_nodes = len(actor_list) + (len(events) if events_as == "nodes" else 0)
    if n_nodes > max_nodes:
        raise InputError(
            f"{n_nodes} nodes exceed --max-nodes {max_nodes}: narrow the selection with --actor/--hops, "
            "--category, --since/--until or --article, or raise --max-nodes"
        )
    physics = n_nodes <= physics_limit
    categories = _categories(events)
    category_index = {name: i for i, name in enumerate(categories)}
    article_list = list({a.id: a for a in snapshot.articles}.values())
    article_index = {a.id: i for i, a in enumerate(article_list)}
    roles: dict[str, list[str]] = defaultdict(list)
    for role in snapshot.roles:
        label = role.title + (f", {actor_list[index[role.organisation]].name}" if role.organisation in index else "")
        if role.holder in index and label not in roles[role.holder]:
            roles[role.holder].append(label)

    event_rows = []
    links: dict[tuple[int, int], list[int]] = {}
    takes_part: set[int] = set()
    linked = solo = unplaced = 0
    for i, ev in enumerate(events):
        agents = list(dict.fromkeys(index[a] for a in ev.agents if a in index))
        patients = [p for p in dict.fromkeys(index[p] for p in ev.patients if p in index) if p not in agents]
        takes_part.update(agents, patients)
        if agents and patients:
            linked += 1
            for pair in itertools.product(agents, patients):
                links.setdefault(pair, []).append(i)
        elif agents or patients:
            solo += 1
        else:
            unplaced += 1
        event_rows.append(_event_row(ev, agents, patients, category_index, article_index, articles))
    activity = Counter(p for row in event_rows for p in (*row["agents"], *row["patients"]))
    focus_index = index[focus] if focus is not None else None
    shown = takes_part | ({focus_index} if focus_index is not None else set())

    actor_rows = [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind if a.kind in KIND_COLOURS else "Other",
            "names": [a.name, *a.aliases],
            "roles": roles.get(a.id, []),
            "articles": len(a.articles),
            "size": round(min(12 + 5 * math.sqrt(activity[i]), 48), 1),
        }
        for i, a in enumerate(actor_list)
    ]
    link_rows = [{"from": a, "to": p, "events": evs} for (a, p), evs in links.items()]
    if events_as == "edges":
        n_edges = len(link_rows)
    else:
        n_edges = sum(len(row["agents"]) + len(row["patients"]) for row in event_rows)
    if not physics:
        _place(actor_rows, event_rows, link_rows, events_as, takes_part)

    result = VizResult(
        path=Path(path),
        events_as=events_as,
        actors=len(actor_list),
        shown_actors=len(shown),
        events=len(events),
        linked_events=linked,
        links=len(link_rows),
        solo_events=solo,
        unplaced_events=unplaced,
        nodes=n_nodes,
        edges=n_edges,
        physics=physics,
    )
    data = {
        "eventsAs": events_as,
        "physics": physics,
        "options": _options(physics, big=n_nodes > 300),
        "focus": focus_index,
        "kinds": [{"kind": kind, "color": colour} for kind, colour in KIND_COLOURS.items()],
        "categories": [{"name": name, **style} for name, style in categories.items()],
        "articles": [_article_row(a) for a in article_list],
        "actors": actor_rows,
        "events": event_rows,
        "links": link_rows,
        "summary": result.summary(),
    }
    page = _page(title=title or f"newsgraph: {result.summary()}", summary=result.summary(), data=data)
    try:
        result.path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{result.path}: cannot write ({exc.strerror or exc})") from exc
    write_output(result.path, page)  # whole or not at all: a full disk leaves no partial page
    return result


def _date_ordered(events: list[EventRecord], articles: dict[str, ArticleRecord]) -> list[EventRecord]:
    """Events in the catalogue's date order (undated ones at their article's date, then by article
    and place in it, events of one sentence by event id as the filtered queries break that tie), as
    every list on the page shows them."""
    from newsgraph.store import event_sort_key

    def key(ev: EventRecord) -> tuple[str, str]:
        art = articles.get(ev.article)
        return event_sort_key(ev.date, art.date if art else None, ev.article, ev.start, 0), ev.id

    return sorted(events, key=key)


def _event_row(
    ev: EventRecord,
    agents: list[int],
    patients: list[int],
    category_index: dict[str, int],
    article_index: dict[str, int],
    articles: dict[str, ArticleRecord],
) -> dict[str, Any]:
    art = articles.get(ev.article)
    return {
        "id": ev.id,
        "short": short_event_id(ev.id),
        "category": category_index[ev.category],
        "date": ev.date or (art.date if art else None),
        "ownDate": bool(ev.date),
        "dateText": ev.date_text,
        "trigger": ev.trigger,
        "evidence": ev.evidence,
        "quote": ev.quote,
        "modality": ev.modality,
        "article": article_index.get(ev.article),
        # The other articles that report it (its lead's is `article`), earliest first.
        "also": [article_index[a] for a in ev.articles if a != ev.article and a in article_index],
        "agents": agents,
        "patients": patients,
    }


def _article_row(article: ArticleRecord) -> dict[str, Any]:
    return {
        "title": article.title,
        "url": article.url if _web_address(article.url) else None,  # the page links only to web pages
        "source": article.source,
        "outlet": article.outlet,
        "date": article.date,
    }


def _web_address(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and url == url.strip()


def _place(
    actor_rows: list[dict[str, Any]],
    event_rows: list[dict[str, Any]],
    link_rows: list[dict[str, Any]],
    events_as: EventsAs,
    takes_part: set[int],
) -> None:
    """Positions computed here (physics off): the actors that take part in events, and the events
    drawn as nodes; actors without events are placed by the page when asked for."""
    nodes = [f"a{i}" for i in range(len(actor_rows)) if i in takes_part]
    if events_as == "edges":
        edges = [(f"a{row['from']}", f"a{row['to']}") for row in link_rows]
    else:
        nodes += [f"e{i}" for i in range(len(event_rows))]
        edges = [(f"a{p}", f"e{i}") for i, row in enumerate(event_rows) for p in (*row["agents"], *row["patients"])]
    positions = layout_positions(nodes, edges)
    for key, (x, y) in positions.items():
        rows = actor_rows if key[0] == "a" else event_rows
        rows[int(key[1:])]["x"], rows[int(key[1:])]["y"] = x, y


def _categories(events: Iterable[EventRecord]) -> dict[str, dict[str, str]]:
    """Label, colour and node shape for the taxonomy's categories and any other category the events use."""
    try:
        from newsgraph.ingest.taxonomy import load_taxonomy

        labels = {name: cat.label for name, cat in load_taxonomy().items()}
    except ConfigError:
        labels = {}
    names = list(labels) + sorted({ev.category for ev in events} - set(labels))
    extra = [c for c in CATEGORY_PALETTE if c not in CATEGORY_COLOURS.values()]
    styles = {}
    for i, name in enumerate(names):
        colour = CATEGORY_COLOURS.get(name) or (extra or list(CATEGORY_PALETTE))[i % len(extra or CATEGORY_PALETTE)]
        styles[name] = {
            "label": labels.get(name, name.replace("_", " ")),
            "color": colour,
            "shape": EVENT_SHAPES[i % len(EVENT_SHAPES)],
        }
    return styles


def _options(physics: bool, *, big: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1.5,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {
            "smooth": False,
            "selectionWidth": 1.5,
            "hoverWidth": 1.5,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "arrowStrikethrough": False,
            "font": {"size": 12, "face": "sans-serif", "color": "#222222", "strokeWidth": 4},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 100,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.015,
                "springLength": 170,  # room for the labels of neighbours
                "avoidOverlap": 1.0,
            },
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
