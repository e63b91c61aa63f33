"""Time the offline HTML network on synthetic graphs: render in Python, then draw in headless chromium.

    python bench/viz.py                      # 1k and 5k actors
    python bench/viz.py --sizes 1000 5000 20000 --events-as nodes --keep /tmp/viz
    python bench/viz.py --screenshots DIR    # the story cluster of tests/data/story in three views, as PNGs

"Drawn" is the time from opening the file until the page says it is ready: drawn once with its final
layout (after the browser's stabilisation when physics is on). Needs Debian's chromium and playwright.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from newsgraph.graph.viz import render, select, selection_title
from newsgraph.ingest.taxonomy import load_taxonomy
from newsgraph.store import ActorRecord, ArticleRecord, EventRecord, GraphSnapshot, ReportRecord, open_store

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KINDS = ["Person"] * 5 + ["Organisation"] * 3 + ["Place", "Document", "Other"]
STORY = Path(__file__).resolve().parents[1] / "tests" / "data" / "story"


def synthetic(n_actors: int, *, events_per_actor: float = 1.5, seed: int = 1) -> GraphSnapshot:
    """A news-like graph: a few busy actors (preferential attachment), many seen once or twice."""
    rng = random.Random(seed)
    categories = list(load_taxonomy())
    articles = [
        ArticleRecord(f"art_{i:06d}", f"bench/{i}.txt", None, f"Article {i}", f"2024-{1 + i % 12:02d}-15", "Bench", "")
        for i in range(max(1, n_actors // 10))
    ]
    actors = [
        ActorRecord(f"a{i}", f"Actor {i}", rng.choice(KINDS), [f"A{i}"], [rng.choice(articles).id])
        for i in range(n_actors)
    ]
    urn = [a.id for a in actors]  # each participation adds a ticket: busy actors get busier
    events = []
    for i in range(int(n_actors * events_per_actor)):
        agent, patient = rng.choice(urn), rng.choice(urn)
        urn += [agent, patient]
        art = rng.choice(articles)
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        events.append(
            EventRecord(
                f"ev{i}",
                rng.choice(categories),
                "said",
                day,
                None,
                "asserted",
                0.5,
                None,
                [agent],
                [patient] if rng.random() > 0.1 else [],
                [
                    ReportRecord(
                        art.id,
                        f"Actor {agent} said something about actor {patient}.",
                        0,
                        10,
                        0,
                        "said",
                        day,
                        None,
                        "asserted",
                        0.5,
                        None,
                        f"ev{i}",
                    )
                ],
            )
        )
    return GraphSnapshot(articles=articles, actors=actors, events=events)


def story_snapshot(store_path: Path) -> GraphSnapshot:
    """The story cluster of tests/data/story, ingested as `newsgraph ingest` ingests it."""
    from newsgraph import jobs

    jobs.ingest([str(STORY)], store=f"embedded:{store_path}")
    with open_store(f"embedded:{store_path}", read_only=True) as store:
        return store.snapshot()


def screenshots(browser, out: Path) -> None:
    """Three views of the story as a reader opens them: the whole story with the busiest link hovered,
    the busiest actor's network with the actor clicked, and events as nodes."""
    snap = story_snapshot(Path(tempfile.mkdtemp(prefix="newsgraph-story-")) / "graph.lbug")
    busiest = Counter(p for ev in snap.events for p in dict.fromkeys([*ev.agents, *ev.patients]))
    actor = busiest.most_common(1)[0][0]
    views = {
        "story": (snap, {"title": "newsgraph: the ferry story"}),
        "actor": (select(snap, actor=actor), {"focus": actor, "title": selection_title(snap, actor=actor)}),
        "events-as-nodes": (snap, {"events_as": "nodes", "title": "newsgraph: the ferry story, events as nodes"}),
    }
    for name, (selection, options) in views.items():
        result = render(selection, out / f"{name}.html", **options)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(result.path.resolve().as_uri())
        _wait(page, "() => window.newsgraph && window.newsgraph.ready")
        if name == "story":
            link = page.evaluate(
                "newsgraph.edges.get().sort((a, b) => b.link.events.length - a.link.events.length)[0].id"
            )
            page.mouse.move(*_on_page(page, f"network.body.edges['{link}'].edgeType.getPoint(0.5)"), steps=3)
            _wait(page, "() => document.getElementById('ng-tip').style.display === 'block'")
        elif name == "actor":
            node = "a" + str(page.evaluate(f"newsgraph.data.actors.findIndex(a => a.id === {actor!r})"))
            page.mouse.click(*_on_page(page, f"network.getPositions(['{node}'])['{node}']"))
            page.mouse.move(5, 300)  # the panel lists its events; no tooltip over the map
        page.screenshot(path=str(out / f"{name}.png"))
        page.close()
        print(f"{out / (name + '.png')}: {result.summary()}")


def _on_page(page, canvas_point: str) -> tuple[float, float]:
    return page.evaluate(
        f"""() => {{
            const d = network.canvasToDOM({canvas_point});
            const box = document.getElementById('ng-network').getBoundingClientRect();
            return [box.left + d.x, box.top + d.y];
        }}"""
    )


def _wait(page, predicate: str, timeout: float = 600) -> None:
    """Poll from here: the page's CSP forbids the eval that wait_for_function needs."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate(predicate):
        if time.perf_counter() > deadline:
            raise TimeoutError(predicate)
        page.wait_for_timeout(50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--events-as", choices=["edges", "nodes"], default="edges")
    parser.add_argument("--physics-limit", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="write pages and screenshots here")
    parser.add_argument("--screenshots", type=Path, metavar="DIR", help="write the story's three views here instead")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            screenshots(browser, args.screenshots)
            browser.close()
        return 0
    out = args.keep or Path(tempfile.mkdtemp(prefix="newsgraph-viz-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'actors':>7} {'nodes':>7} {'edges':>7} {'physics':>8} {'render s':>9} {'MB':>6} {'drawn s':>8}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for size in args.sizes:
            snap = synthetic(size)
            page_path = out / f"viz-{size}-{args.events_as}.html"
            t0 = time.perf_counter()
            result = render(
                snap,
                page_path,
                events_as=args.events_as,
                max_nodes=10 * size,
                physics_limit=args.physics_limit,
                title=f"bench {size}",
            )
            rendered = time.perf_counter() - t0
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto(page_path.resolve().as_uri())
            _wait(page, "() => window.newsgraph && window.newsgraph.ready")
            drawn = time.perf_counter() - t0
            if args.keep:
                page.screenshot(path=str(page_path.with_suffix(".png")))
            page.close()
            mb = page_path.stat().st_size / 1e6
            print(
                f"{size:>7} {result.nodes:>7} {result.edges:>7} {str(result.physics):>8} "
                f"{rendered:>9.2f} {mb:>6.1f} {drawn:>8.2f}",
                flush=True,
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
