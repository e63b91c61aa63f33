"""Catalogue latency: every query on an embedded store of N generated articles, beside networkx and,
given --neo4j, beside the same articles in Neo4j.

    python bench/queries.py                  # 10,000 articles, about 10 events each
    python bench/queries.py --articles 500   # a quick run
    NEO4J_USERNAME=neo4j NEO4J_PASSWORD=newsgraph-test \
      python bench/queries.py --neo4j bolt://127.0.0.1:7697   # EMPTIES that database, unless it holds these articles

Generates the articles as Extraction objects (no NLP), loads them into a fresh embedded store
(progress on stderr), then times each catalogue query (median of --repeat runs) and the same
question answered in Python on an in-memory networkx graph of the same data. A query with an
actor or category filter is timed with it and, on a second row, without any filter (every event,
every pair of actors). Target: every catalogue median under 100 ms.

Loading is one transaction per article, as `newsgraph ingest` does; each commit syncs the write-ahead
log, so 10,000 articles take a few minutes. `--store PATH` keeps the store for the next run, which
then finds every article unchanged and goes straight to the timings. Into Neo4j the articles go
with four writers (Neo4jStore.write_many), and each query is timed there too, on the server's own
text of it (NAME.neo4j.cypher where the dialects differ). Give the server a page cache that holds
the graph (about 250 MB for 10,000 articles): `tools/neo4j-server/run ... --pagecache 512`, as
docker-compose.yml's; with the test default of 64 MB every query reads from disk.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import networkx as nx
from rapidfuzz import fuzz, process
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsgraph import queries  # noqa: E402
from newsgraph.model import Article, Entity, Event, Extraction, Mention, actor_id, stable_id  # noqa: E402
from newsgraph.store.embedded import EmbeddedStore  # noqa: E402

TARGET_MS = 100.0
CATEGORIES = {
    "demand": "demanded",
    "statement": "said",
    "criticise": "criticised",
    "publish_report": "published",
    "respond": "responded to",
    "appoint_succeed": "appointed",
    "resign": "resigned from",
    "inspect": "inspected",
    "rate_judge": "rated",
    "meet": "met",
    "write_to": "wrote to",
    "legal_action": "sued",
    "announce_policy": "announced",
    "consult": "consulted",
}
FIRST = "Ada Ben Cara Dev Eli Fay Gus Hana Ivo Jude Kai Lena Milo Nia Omar Pia Quin Rosa Sami Tara Uri Vera Wes Zed"
LAST = "Ashby Brook Carter Dunn Ellis Frost Grant Hale Irwin Joyce Kerr Lowe Marsh Nolan Oakes Pike Reed Shaw Tate"
ORG_HEADS = "Union Council Board Office Agency Trust Guild Ministry Court Institute"
ORG_TOPICS = "Teachers Health Water Transport Housing Schools Rail Energy Farming Justice Science Arts"


def generate(n_articles: int, events_per_article: int = 10, seed: int = 7) -> list[Extraction]:
    """Deterministic synthetic articles: a long-tailed pool of people and organisations, ~N events each."""
    rng = random.Random(seed)
    pool: list[tuple[str, str, str]] = []  # (name, kind, alias)
    seen: set[str] = set()
    firsts, lasts, heads, topics = FIRST.split(), LAST.split(), ORG_HEADS.split(), ORG_TOPICS.split()
    while len(pool) < max(40, 2 * n_articles):
        if rng.random() < 0.6:
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
            if len(seen) > len(firsts) * len(lasts) // 2:
                name += f" {len(pool)}"
            kind, alias = "Person", name.split()[1]
        else:
            name = f"{rng.choice(topics)} {rng.choice(heads)} {len(pool)}"
            kind, alias = "Organisation", "".join(w[0] for w in name.split()[:2]) + str(len(pool))
        if name not in seen:
            seen.add(name)
            pool.append((name, kind, alias))
    # Long-tailed popularity: the most frequent actor is in about one article in eight.
    weights = [1 / (rank + 5) ** 0.9 for rank in range(len(pool))]
    out = []
    for i in range(n_articles):
        day = f"20{23 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        cast = list(dict.fromkeys(rng.choices(pool, weights, k=8)))
        sentences, plans = [], []
        for _ in range(events_per_article):
            category = rng.choice(list(CATEGORIES))
            agents = rng.sample(cast, k=min(len(cast), rng.choice((1, 1, 2))))
            patients = [a for a in rng.sample(cast, k=min(len(cast), rng.choice((0, 1, 1, 2)))) if a not in agents]
            quote = f"We stand by decision {rng.randrange(1000)}." if category == "statement" else None
            text = f"{' and '.join(a[0] for a in agents)} {CATEGORIES[category]} {' and '.join(p[0] for p in patients)}"
            text = text.strip() + (f': "{quote}"' if quote else ".")
            sentences.append(text)
            plans.append((category, agents, patients, quote, text))
        body = "\n".join(sentences)
        article = Article(body, source=f"bench/{i}.txt", url=f"https://bench.example/{i}", title=f"Story {i}", date=day)
        entities = []
        for name, kind, alias in cast:
            mentions, pos = [], body.find(name)
            while pos >= 0:
                mentions.append(Mention(name, pos, pos + len(name), body.count("\n", 0, pos)))
                pos = body.find(name, pos + 1)
            entities.append(Entity(actor_id(name, kind), name, kind, aliases=[alias], mentions=mentions))
        events, offset = [], 0
        for (category, agents, patients, quote, text), sentence in zip(plans, range(len(plans)), strict=True):
            trigger = CATEGORIES[category]
            t = body.index(trigger, offset)
            events.append(
                Event(
                    id=stable_id("ev", article.id, category, t),
                    category=category,
                    trigger=trigger,
                    trigger_start=t,
                    trigger_end=t + len(trigger),
                    agents=[actor_id(a[0], a[1]) for a in agents],
                    patients=[actor_id(p[0], p[1]) for p in patients],
                    evidence=text,
                    evidence_start=offset,
                    evidence_end=offset + len(text),
                    sentence=sentence,
                    date=day if rng.random() < 0.8 else day[:7],
                    quote=quote,
                )
            )
            offset += len(text) + 1
        out.append(Extraction(article, entities, events))
    return out


def to_networkx(extractions: list[Extraction]) -> nx.MultiDiGraph:
    """The same graph in memory: article, actor and event nodes; AGENT, PATIENT, REPORTED_IN, MENTIONED_IN edges."""
    g = nx.MultiDiGraph()
    for ex in extractions:
        art = ex.article
        g.add_node(art.id, label="Article", title=art.title, date=art.date, url=art.url, source=art.source)
        for ent in ex.entities:
            if ent.id not in g:
                g.add_node(ent.id, label="Actor", name=ent.name, kind=ent.type, aliases=set())
            g.nodes[ent.id]["aliases"].update(a for a in ent.aliases if a != ent.name)
            g.add_edge(ent.id, art.id, key="MENTIONED_IN")
        for ev in ex.events:
            g.add_node(ev.id, label="Event", category=ev.category, trigger=ev.trigger, date=ev.date, quote=ev.quote)
            g.add_edge(ev.id, art.id, key="REPORTED_IN", evidence=ev.evidence, start=ev.evidence_start)
            for a in ev.agents:
                g.add_edge(ev.id, a, key="AGENT")
            for p in ev.patients:
                g.add_edge(ev.id, p, key="PATIENT")
    return g


def _of(g: nx.MultiDiGraph, label: str) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["label"] == label]


def _article(g: nx.MultiDiGraph, event: str) -> str:
    return next(v for _, v, k in g.out_edges(event, keys=True) if k == "REPORTED_IN")


def _articles_of(g: nx.MultiDiGraph, actor: str) -> list[str]:
    return [v for _, v, k in g.out_edges(actor, keys=True) if k == "MENTIONED_IN"]


def _events_of(g: nx.MultiDiGraph, actor: str, role: str | None = None) -> set[str]:
    return {u for u, _, k in g.in_edges(actor, keys=True) if role is None or k == role}


def nx_questions(g: nx.MultiDiGraph, p: dict[str, str]) -> dict[str, object]:
    """The catalogue's questions answered on networkx; each value is a zero-argument callable."""
    actors = _of(g, "Actor")
    hub, other = p["hub"], p["other"]

    def actors_q():
        rows = [(len(_articles_of(g, a)), len(_events_of(g, a)), a) for a in actors]
        return sorted(rows, key=lambda r: (-r[0], -r[1]))[:100]

    def actor_q():
        titles = [g.nodes[a]["title"] for a in _articles_of(g, hub)]
        return g.nodes[hub]["aliases"], titles, _events_of(g, hub, "AGENT"), _events_of(g, hub, "PATIENT")

    def in_date_order(events):
        return sorted(events, key=lambda e: g.nodes[e]["date"] or g.nodes[_article(g, e)]["date"] or "")[:100]

    def events_q():
        return in_date_order(e for e in _of(g, "Event") if g.nodes[e]["category"] == "demand")

    def all_events_q():
        return in_date_order(_of(g, "Event"))

    def timeline_q():
        return in_date_order(_events_of(g, hub))

    def between_q():
        direct = _events_of(g, hub) & _events_of(g, other)
        if direct:
            return direct
        view = nx.subgraph_view(g, filter_node=lambda n: g.nodes[n]["label"] != "Article").to_undirected(as_view=True)
        try:
            return nx.shortest_path(view, hub, other)
        except nx.NetworkXNoPath:
            return []

    def quotes_q():
        quoted = [e for e in _of(g, "Event") if g.nodes[e]["quote"]]
        return sorted(quoted, key=lambda e: g.nodes[e]["date"] or "")[-100:]

    def provenance_q():
        return _article(g, p["event"]), g.get_edge_data(p["event"], _article(g, p["event"]), "REPORTED_IN")

    def search_q():
        text = p["search"].lower()
        hits = [a for a in actors if text in g.nodes[a]["name"].lower()]
        names = {g.nodes[a]["name"].lower(): a for a in actors}
        hits += [names[m[0]] for m in process.extract(text, list(names), scorer=fuzz.WRatio, limit=20) if m[1] >= 80]
        return list(dict.fromkeys(hits))[:25]

    def top_actors_q():
        return Counter({a: len(_events_of(g, a)) for a in actors}).most_common(10)

    def co_mentions_q():
        counts: Counter[str] = Counter()
        for art in _articles_of(g, hub):
            counts.update(u for u, _, k in g.in_edges(art, keys=True) if k == "MENTIONED_IN" and u != hub)
        return counts.most_common(25)

    def all_co_mentions_q():
        counts: Counter[tuple[str, str]] = Counter()
        for art in _of(g, "Article"):
            cast = sorted(u for u, _, k in g.in_edges(art, keys=True) if k == "MENTIONED_IN")
            counts.update((x, y) for i, x in enumerate(cast) for y in cast[i + 1 :])
        return counts.most_common(25)

    return {
        "actors": actors_q,
        "actor": actor_q,
        "events": events_q,
        "events (all)": all_events_q,
        "timeline": timeline_q,
        "timeline (all)": all_events_q,
        "between": between_q,
        "quotes": quotes_q,
        "provenance": provenance_q,
        "search": search_q,
        "top-actors": top_actors_q,
        "co-mentions": co_mentions_q,
        "co-mentions (all)": all_co_mentions_q,
    }


def _neo4j(uri: str, extractions: list[Extraction], counts: dict[str, int], err: Console):
    """The Neo4j store at `uri` holding the articles and nothing else (`counts`, the embedded store's):
    written with four writers, after emptying the database unless it holds them already."""
    import logging

    from bench.neo4j_load import wipe
    from newsgraph.store import open_store

    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    server = open_store(uri)
    if server.counts() == counts and {r.status for r in server.write_many((ex, {}) for ex in extractions)} == {
        "unchanged"
    }:
        err.print(f"Neo4j holds the articles already: {counts}")
        return server
    wipe(server)
    columns = (TextColumn("loading Neo4j"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    start = time.perf_counter()
    with Progress(*columns, console=err) as progress:
        task = progress.add_task("load", total=len(extractions))
        for _ in server.write_many(((ex, {}) for ex in extractions), writers=4):
            progress.advance(task)
    seconds = time.perf_counter() - start
    err.print(f"Neo4j loaded in {seconds:.1f} s ({len(extractions) / seconds:.0f} articles/s): {server.counts()}")
    err.print(f"writes: {server.write_stats}")
    return server


def median_ms(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to generate (default 10,000)")
    parser.add_argument("--events", type=int, default=10, help="events per article (default 10)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (default 7)")
    parser.add_argument("--store", help="store file to (re)use; default a temporary one")
    parser.add_argument(
        "--neo4j", help="also load into this Neo4j (bolt://...; its database is emptied) and time there"
    )
    args = parser.parse_args()
    err = Console(stderr=True)
    start = time.perf_counter()
    extractions = generate(args.articles, args.events)
    err.print(f"generated {len(extractions)} articles in {time.perf_counter() - start:.1f} s")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.store) if args.store else Path(tmp) / "bench.lbug"
        with EmbeddedStore(path) as store:
            columns = (TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, console=err) as progress:
                task = progress.add_task("load", total=len(extractions))
                start = time.perf_counter()
                for ex in extractions:
                    store.write(ex)
                    progress.advance(task)
            load_s = time.perf_counter() - start
            counts = store.counts()
            err.print(f"loaded in {load_s:.1f} s ({len(extractions) / load_s:.0f} articles/s): {counts}")

            server = _neo4j(args.neo4j, extractions, counts, err) if args.neo4j else None
            ranked = queries.run(store, "top-actors", {"limit": "50"})
            hub, other = ranked[0], ranked[len(ranked) // 2]
            event = store.query("MATCH (e:Event) RETURN e.id AS id ORDER BY e.id LIMIT 1")[0]["id"]
            search = hub["name"].split()[0][:4].lower()
            params = {
                "actors": {},
                "actor": {"actor": hub["name"]},
                "events": {"category": "demand"},
                "timeline": {"actor": hub["name"]},
                "between": {"a": hub["name"], "b": other["name"]},
                "quotes": {},
                "provenance": {"event": event},
                "search": {"text": search},
                "top-actors": {},
                "co-mentions": {"actor": hub["name"]},
            }
            # (row label, query, parameters): each query as above, then without any filter those
            # whose filter narrows what they read (every event, every pair of actors).
            cases = [(name, name, params.get(name, {})) for name in queries.catalogue()]
            cases += [(f"{name} (all)", name, {}) for name in ("events", "timeline", "co-mentions")]
            start = time.perf_counter()
            graph = to_networkx(extractions)
            err.print(f"networkx graph built in {time.perf_counter() - start:.1f} s")
            nx_fns = nx_questions(graph, {"hub": hub["id"], "other": other["id"], "event": event, "search": search})

            table = Table(title=f"catalogue medians, {counts['articles']} articles, {counts['events']} events")
            columns = ["query", "params", "rows", "ladybug ms", *(["neo4j ms"] if server else []), "networkx ms"]
            for col in (*columns, f"< {TARGET_MS:.0f} ms"):
                table.add_column(col, justify="left" if col in ("query", "params") else "right")
            slow = []
            for label, name, raw in cases:
                ms, rows = median_ms(lambda name=name, raw=raw: queries.run(store, name, raw), args.repeat)
                times = [ms]
                if server is not None:
                    neo_ms, neo_rows = median_ms(lambda name=name, raw=raw: queries.run(server, name, raw), args.repeat)
                    if len(neo_rows) != len(rows):
                        err.print(f"{label}: {len(rows)} rows from Ladybug, {len(neo_rows)} from Neo4j")
                    times.append(neo_ms)
                nx_ms = median_ms(nx_fns[label], args.repeat)[0] if label in nx_fns else float("nan")
                ok = max(times) < TARGET_MS
                if not ok:
                    slow.append(label)
                shown = ", ".join(f"{k}={v}" for k, v in raw.items()) or "(none)"
                cells = [f"{t:.1f}" for t in times]
                table.add_row(label, shown, str(len(rows)), *cells, f"{nx_ms:.1f}", "yes" if ok else "NO")
            Console().print(table)
            if server is not None:
                server.close()
    if slow:
        err.print(f"over {TARGET_MS:.0f} ms: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
