"""`newsgraph demo`: the whole job on the example articles shipped with the package."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from newsgraph.store import default_store_uri


def example_dir() -> Path:
    return Path(str(resources.files("newsgraph").joinpath("examples")))


def default_demo_dir() -> Path:
    store = default_store_uri()
    base = Path(store.removeprefix("embedded:")).parent if store.startswith("embedded:") else Path.home()
    return base / "demo"


def run_demo(out_dir: Path | None = None, progress: Callable | None = None) -> str:
    """Extract the examples into a fresh embedded store under out_dir, write HTML and Turtle; return a summary."""
    from newsgraph.graph import rdf, viz
    from newsgraph.ingest.pipeline import extract_many
    from newsgraph.ingest.sources import Article, read_sources
    from newsgraph.queries import run
    from newsgraph.store import open_store

    out_dir = out_dir or default_demo_dir()
    store_path = out_dir / "demo.lbug"
    if store_path.exists() or store_path.with_suffix(".lbug.wal").exists():
        for p in out_dir.glob("demo.lbug*"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = [a for a in read_sources([str(example_dir())]) if isinstance(a, Article)]
    results = extract_many(articles)
    if progress is not None:
        results = progress(results, len(articles), "extracting")
    lines = []
    with open_store(f"embedded:{store_path}") as store:
        for ex in results:
            store.write(ex)
        counts = store.counts()
        busiest = run(store, "top-actors", {"limit": "5"})
        snap = store.snapshot()
    html = out_dir / "demo.html"
    ttl = out_dir / "demo.ttl"
    viz.render(snap, html, title="newsgraph demo: example articles")
    triples = rdf.export(snap, ttl, format="ttl")
    lines.append(
        f"newsgraph demo: {len(articles)} example articles -> {counts['actors']} actors, {counts['events']} events"
    )
    lines.append("most active actors:")
    for row in busiest:
        lines.append("  " + ", ".join(f"{k}={v}" for k, v in row.items() if not isinstance(v, list)))
    relations = _busiest_relationships(snap)
    if relations:
        lines.append("busiest relationships:")
        lines.extend(f"  {a} -[{cat}]-> {b}: {n} event(s)" for (a, cat, b), n in relations)
    lines.append(f"store:  embedded:{store_path}")
    lines.append(f"HTML:   {html}")
    lines.append(f"Turtle: {ttl} ({triples} triples)")
    lines.append(f"try:    newsgraph query timeline --store embedded:{store_path}")
    return "\n".join(lines)


def _busiest_relationships(snap, limit: int = 5):
    names = {a.id: a.name for a in snap.actors}
    counter: dict[tuple[str, str, str], int] = {}
    for ev in snap.events:
        for a in ev.agents:
            for p in ev.patients:
                key = (names.get(a, a), ev.category, names.get(p, p))
                counter[key] = counter.get(key, 0) + 1
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
