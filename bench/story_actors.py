"""One node per real actor across the articles of one story: a story cluster ingested as `newsgraph
ingest` does (extraction, cross-article resolution, an embedded store), scored against its gold.

    python bench/story_actors.py                                  # our clusters, and the seeds if ../shared is there
    python bench/story_actors.py tests/data/clusters/larkfield    # one cluster
    python bench/story_actors.py --code /tmp/newsgraph-main       # another checkout's code, same clusters

A cluster is a directory with `gold.yaml` (tests/data/clusters/larkfield/gold.yaml says the format)
and its articles in `articles/` (or in `source:`, relative to the gold). The seeds are scored
against their gold in ../shared/eval/dev/gold (the eval format: one JSON per article).

Each node's MENTIONED_IN forms, article by article, are matched (case aside) with the forms the
gold gives that article's actors. Printed per cluster:

  nodes per real actor   nodes that some gold person or organisation maps to, per such actor found (target <= 1.15)
  wrong merges           nodes that hold two gold actors, each from a different article (target 0)
  conflated in an article  nodes whose mention in one article holds two gold actors (the entity stage's)
  named in >= 2 articles  gold persons named (not only titled) in two articles or more, and how many are one node
  names                  nodes of one gold actor whose name is not the gold's
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLUSTERS = ROOT / "tests" / "data" / "clusters"
SHARED = ROOT.parent / "shared"
TARGET = 1.15

MENTIONS = (
    "MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article)"
    " RETURN x.id AS id, x.name AS name, x.kind AS kind, a.source AS source, m.forms AS forms"
)


def fold(form: str) -> str:
    return " ".join(form.replace("’", "'").split()).casefold()


@dataclass
class Gold:
    """A story's actors: for each article (file stem), each actor's forms there, and whether it names it."""

    name: str
    articles_dir: Path
    types: dict[str, str]
    forms: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # article -> actor -> folded forms
    named: dict[str, set[str]] = field(default_factory=dict)  # article -> actors it names

    def actors_of(self, article: str, forms: list[str]) -> set[str]:
        folded = {fold(f) for f in forms or ()}
        return {actor for actor, given in self.forms.get(article, {}).items() if given & folded}


def cluster_gold(directory: Path) -> Gold:
    import yaml

    data = yaml.safe_load((directory / "gold.yaml").read_text(encoding="utf-8"))
    source = (directory / data["source"]).resolve() if data.get("source") else directory / "articles"
    gold = Gold(directory.name, source, dict(data["types"]))
    for article, actors in data["articles"].items():
        for actor, given in actors.items():
            if actor not in gold.types:
                raise SystemExit(f"{directory}/gold.yaml: {article}: {actor} has no type")
            forms, named = (given, True) if isinstance(given, list) else (given["forms"], given.get("named", True))
            gold.forms.setdefault(article, {})[actor] = {fold(actor) if named else "", *map(fold, forms)} - {""}
            if named:
                gold.named.setdefault(article, set()).add(actor)
    return gold


def seeds_gold(shared: Path) -> Gold | None:
    """The two seed articles and their gold in the eval format, when ../shared is beside the checkout."""
    seeds, gold_dir = shared / "corpus" / "seeds", shared / "eval" / "dev" / "gold"
    if not seeds.is_dir() or not gold_dir.is_dir():
        return None
    gold = Gold("seeds", seeds, {})
    for path in sorted(gold_dir.glob("seed_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        article = Path(data["article"]).stem
        for ent in data["entities"]:
            if ent["type"] not in ("Person", "Organisation"):
                continue
            gold.types[ent["name"]] = ent["type"]
            gold.forms.setdefault(article, {})[ent["name"]] = {fold(ent["name"]), *map(fold, ent["aliases"])}
            gold.named.setdefault(article, set()).add(ent["name"])
    return gold


def ingest(gold: Gold, store_path: Path) -> tuple[list[dict], float]:
    """Ingest the cluster's articles (in file order) into a new embedded store; its mentions and the seconds."""
    from newsgraph import jobs
    from newsgraph.store import open_store

    files = sorted(str(p) for p in gold.articles_dir.iterdir() if p.suffix in (".txt", ".html", ".md"))
    began = time.perf_counter()
    jobs.ingest(files, store=f"embedded:{store_path}")
    took = time.perf_counter() - began
    with open_store(f"embedded:{store_path}", read_only=True) as store:
        return store.query(MENTIONS), took


def score(gold: Gold, rows: list[dict]) -> dict:
    nodes: dict[str, dict] = {}
    for row in rows:
        article = Path(row["source"]).stem
        node = nodes.setdefault(row["id"], {"name": row["name"], "kind": row["kind"], "by_article": {}})
        node["by_article"][article] = gold.actors_of(article, row["forms"])
    of_actor: dict[str, set[str]] = defaultdict(set)
    wrong, conflated, names = [], [], []
    for node_id, node in sorted(nodes.items()):
        found = [actors for actors in node["by_article"].values() if actors]
        held = set().union(*found) if found else set()
        for actor in held:
            of_actor[actor].add(node_id)
        if any(len(actors) > 1 for actors in found):
            conflated.append(f"{node['name']} ({node_id}): {sorted(held)}")
        elif len(held) > 1:
            wrong.append(f"{node['name']} ({node_id}): {sorted(held)}")
        if len(held) == 1 and node["name"] != next(iter(held)):
            names.append(f"{node['name']} ({node_id}) for {next(iter(held))}")
    real = {a: n for a, n in of_actor.items() if gold.types.get(a) in ("Person", "Organisation")}
    named_in: dict[str, int] = defaultdict(int)
    for actors in gold.named.values():
        for actor in actors:
            named_in[actor] += 1
    recurring = sorted(a for a, n in named_in.items() if n >= 2 and gold.types[a] == "Person")
    split = {a: sorted(nodes[i]["name"] + f" ({i})" for i in of_actor.get(a, ())) for a in recurring}
    return {
        "articles": len(gold.forms),
        "actors": len(gold.types),
        "found": len(real),
        "nodes": sum(len(n) for n in real.values()),
        "nodes_per_actor": round(sum(len(n) for n in real.values()) / len(real), 3) if real else None,
        "wrong_merges": wrong,
        "conflated": conflated,
        "recurring_persons": len(recurring),
        "recurring_one_node": sum(len(v) == 1 for v in split.values()),
        "recurring_split": {a: v for a, v in split.items() if len(v) != 1},
        "split_actors": {a: sorted(nodes[i]["name"] for i in n) for a, n in sorted(real.items()) if len(n) > 1},
        "missing": sorted(a for a in gold.types if a not in of_actor),
        "names": names,
    }


def report(gold: Gold, result: dict, took: float) -> None:
    print(f"== {gold.name}: {result['articles']} articles, {result['actors']} real actors in the gold")
    found = f"{result['nodes']} nodes, {result['found']} actors found; target <= {TARGET}"
    print(f"   nodes per real actor  {result['nodes_per_actor']}  ({found})")
    print(f"   wrong merges          {len(result['wrong_merges'])}  {result['wrong_merges'] or ''}")
    print(f"   named in >= 2 articles, one node  {result['recurring_one_node']}/{result['recurring_persons']}"
          f"  {result['recurring_split'] or ''}")  # fmt: skip
    for actor, held in result["split_actors"].items():
        print(f"   split: {actor} -> {held}")
    if result["conflated"]:
        print(f"   conflated in an article (entity stage): {result['conflated']}")
    if result["missing"]:
        print(f"   no node: {result['missing']}")
    if result["names"]:
        print(f"   names not the gold's: {result['names']}")
    print(f"   ingest {took:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clusters", nargs="*", type=Path, help="cluster directories (default: tests/data/clusters/*)")
    parser.add_argument("--code", type=Path, help="a newsgraph checkout whose code to measure (default: this one)")
    parser.add_argument("--no-seeds", action="store_true", help="leave out the seeds (../shared)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    sys.path.insert(0, str((args.code or ROOT).resolve()))
    import logging

    logging.disable(logging.WARNING)  # the merges ingest tells are not the figures
    golds = [cluster_gold(d) for d in (args.clusters or sorted(p.parent for p in CLUSTERS.glob("*/gold.yaml")))]
    seeds = None if args.no_seeds or args.clusters else seeds_gold(SHARED)
    if seeds is not None:
        golds.append(seeds)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gold in golds:
            rows, took = ingest(gold, Path(tmp) / f"{gold.name}.lbug")
            results[gold.name] = score(gold, rows)
            if not args.json:
                report(gold, results[gold.name], took)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
