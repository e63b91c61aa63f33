"""Load throughput of the embedded store beside bare Ladybug statements, and the cost of re-ingesting.

    python bench/load.py                  # 2,000 articles, about 10 events each
    python bench/load.py --articles 500   # a quick run

Generates the articles as Extraction objects (no NLP, bench/queries.py's generator) and, in one run:

(a) loads them into a fresh store through EmbeddedStore.write, and into another fresh file with the
    same schema through bare Ladybug statements: one transaction per article, parameterised
    CREATE/MERGE, no lookup of what is already stored, no alias bookkeeping. The bare loader runs
    twice, one statement per row and one UNWIND per kind of row; the faster is the floor the store
    is measured against. Target: store / bare >= 0.8.
(b) writes the unchanged corpus into the filled store again (every article "unchanged"). Target:
    second pass / first pass <= 5%.

Every commit syncs the write-ahead log, as `newsgraph ingest` does, so the disk shows in the numbers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ladybug

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.queries import generate  # noqa: E402
from newsgraph.model import Extraction  # noqa: E402
from newsgraph.store.embedded import SCHEMA, EmbeddedStore  # noqa: E402
from newsgraph.store.rows import extraction_rows  # noqa: E402

LOAD_TARGET = 0.8  # store throughput / bare throughput, at least
REINGEST_TARGET = 0.05  # second pass / first pass, at most
PIPELINE = {"name": "bench_synthetic", "version": "0.0.0", "spacy": "none"}

# One statement per kind of row, in the shapes Ladybug plans best: the article matched once before
# the UNWIND, one MATCH per node (a comma pattern plans as a join). `rows` is one article's rows of
# that kind, `article` its id; the article itself is one row, so its fields are the parameters.
UNWIND = {
    "articles": "CREATE (:Article {id: $id, source: $source, url: $url, title: $title, date: $date,"
    " outlet: $outlet, author: $author, content_hash: $content_hash, body: $body, pipeline: $pipeline})",
    "actors": "UNWIND $rows AS r MERGE (x:Actor {id: r.id})"
    " ON CREATE SET x.name = r.name, x.kind = r.kind, x.aliases = r.aliases, x.roles = r.roles",
    "mentions": "MATCH (a:Article {id: $article}) UNWIND $rows AS r MATCH (x:Actor {id: r.actor})"
    " CREATE (x)-[:MENTIONED_IN {mentions: r.mentions, forms: r.forms, roles: r.roles}]->(a)",
    "roles": "UNWIND $rows AS r MATCH (h:Actor {id: r.holder}) MATCH (o:Actor {id: r.organisation})"
    " CREATE (h)-[:HOLDS_ROLE {title: r.title, article: r.article}]->(o)",
    "events": "MATCH (a:Article {id: $article}) UNWIND $rows AS r"
    " CREATE (:Event {id: r.id, category: r.category, trigger: r.trigger, date: r.date, date_text: r.date_text,"
    " modality: r.modality, confidence: r.confidence, quote: r.quote, plover: r.plover})"
    "-[:REPORTED_IN {evidence: r.evidence, start: r.start, `end`: r.stop, sentence: r.sentence}]->(a)",
    "agents": "UNWIND $rows AS r MATCH (e:Event {id: r.event}) MATCH (x:Actor {id: r.actor}) CREATE (e)-[:AGENT]->(x)",
    "patients": "UNWIND $rows AS r MATCH (e:Event {id: r.event}) MATCH (x:Actor {id: r.actor})"
    " CREATE (e)-[:PATIENT]->(x)",
}
ARTICLE_PARAM = {"mentions", "events"}  # the statements that take $article besides $rows

# The same statements for one row, its fields as parameters.
PER_ROW = {
    "articles": UNWIND["articles"],
    "actors": "MERGE (x:Actor {id: $id})"
    " ON CREATE SET x.name = $name, x.kind = $kind, x.aliases = $aliases, x.roles = $roles",
    "mentions": "MATCH (x:Actor {id: $actor}) MATCH (a:Article {id: $article})"
    " CREATE (x)-[:MENTIONED_IN {mentions: $mentions, forms: $forms, roles: $roles}]->(a)",
    "roles": "MATCH (h:Actor {id: $holder}) MATCH (o:Actor {id: $organisation})"
    " CREATE (h)-[:HOLDS_ROLE {title: $title, article: $article}]->(o)",
    "events": "MATCH (a:Article {id: $article})"
    " CREATE (:Event {id: $id, category: $category, trigger: $trigger, date: $date, date_text: $date_text,"
    " modality: $modality, confidence: $confidence, quote: $quote, plover: $plover})"
    "-[:REPORTED_IN {evidence: $evidence, start: $start, `end`: $stop, sentence: $sentence}]->(a)",
    "agents": "MATCH (e:Event {id: $event}) MATCH (x:Actor {id: $actor}) CREATE (e)-[:AGENT]->(x)",
    "patients": "MATCH (e:Event {id: $event}) MATCH (x:Actor {id: $actor}) CREATE (e)-[:PATIENT]->(x)",
}


def bare_rows(ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """The rows the store writes for one article, as plainly as they can be had: the Neo4j backend's
    rows, plus each new actor's aliases and roles from this article alone."""
    rows = extraction_rows(ex)
    forms = {m["actor"]: m for m in rows["mentions"]}
    for row in rows["actors"]:
        name = row["name"].casefold()
        row["aliases"] = sorted({f for f in forms[row["id"]]["forms"] if f.casefold() != name})
        row["roles"] = sorted(set(forms[row["id"]]["roles"]))
    for row in rows["events"]:
        row["stop"] = row.pop("end")  # $end would not parse
    agents = {(r["event"], r["actor"]) for r in rows["agents"]}  # the store keeps such an actor as agent only
    rows["patients"] = [r for r in rows["patients"] if (r["event"], r["actor"]) not in agents]
    return rows


def load_bare(path: Path, extractions: list[Extraction], per_row: bool) -> float:
    """Seconds to write every article into a fresh file through bare statements, one transaction each."""
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        for statement in SCHEMA:
            conn.execute(statement)
        start = time.perf_counter()
        for ex in extractions:
            conn.execute("BEGIN TRANSACTION")
            for name, rows in bare_rows(ex).items():
                if not rows:
                    continue
                if per_row or name == "articles":
                    for row in rows:
                        conn.execute(PER_ROW[name], row)
                elif name in ARTICLE_PARAM:
                    conn.execute(UNWIND[name], {"article": ex.article.id, "rows": rows})
                else:
                    conn.execute(UNWIND[name], {"rows": rows})
            conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()
        db.close()


def timed(write: Callable[[Extraction], Any], extractions: list[Extraction]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    results = [write(ex) for ex in extractions]
    return time.perf_counter() - start, results


def counts_of(path: Path) -> dict[str, int]:
    with EmbeddedStore(path, read_only=True) as store:
        return store.counts()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2_000, help="articles to generate (default 2,000)")
    parser.add_argument("--events", type=int, default=10, help="events per article (default 10)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every load, each timed; the best counts")
    args = parser.parse_args()

    extractions = generate(args.articles, args.events)
    for ex in extractions:
        ex.pipeline = dict(PIPELINE)
    n = len(extractions)
    print(f"{n} articles, {sum(len(ex.events) for ex in extractions)} events", file=sys.stderr)

    # The loaders take turns within each round, so a slow spell of the machine hits all of them.
    times: dict[str, list[float]] = {"bare per-row": [], "bare unwind": [], "store": [], "re-ingest": []}
    for round_ in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory() as tmp:
            for mode in ("per-row", "unwind"):
                path = Path(tmp) / f"bare-{mode}.lbug"
                times[f"bare {mode}"].append(load_bare(path, extractions, per_row=mode == "per-row"))
                bare_counts = counts_of(path)
            with EmbeddedStore(Path(tmp) / "store.lbug") as store:
                first_s, first = timed(store.write, extractions)
                second_s, second = timed(store.write, extractions)
                store_counts = store.counts()
            times["store"].append(first_s)
            times["re-ingest"].append(second_s)
        if {r.status for r in first} != {"added"} or {r.status for r in second} != {"unchanged"}:
            print("unexpected write statuses", file=sys.stderr)
            return 1
        # The bare loader writes an event per report; the store one per real event (its reports
        # of several articles regrouped), so only what is not regrouped must agree.
        same = ("articles", "actors", "mentioned_in", "holds_role", "reported_in")
        if {k: store_counts[k] for k in same} != {k: bare_counts[k] for k in same}:
            print(f"the loaders disagree: store {store_counts}, bare {bare_counts}", file=sys.stderr)
            return 1
        shown = ", ".join(f"{name} {seconds[-1]:.2f} s" for name, seconds in times.items())
        print(f"round {round_}: {shown}", file=sys.stderr)

    best = {name: min(seconds) for name, seconds in times.items()}
    floor = min(("bare per-row", "bare unwind"), key=best.__getitem__)
    load_ratio = best[floor] / best["store"]
    reingest_ratio = best["re-ingest"] / best["store"]
    rounds = f", best of {args.repeat}" if args.repeat > 1 else ""
    print(f"{n} articles: {store_counts}{rounds}")
    print(f"bare Ladybug, per row     {n / best['bare per-row']:8.1f} articles/s  ({best['bare per-row']:.2f} s)")
    print(f"bare Ladybug, UNWIND      {n / best['bare unwind']:8.1f} articles/s  ({best['bare unwind']:.2f} s)")
    print(f"EmbeddedStore.write       {n / best['store']:8.1f} articles/s  ({best['store']:.2f} s)")
    print(f"re-ingest, all unchanged  {n / best['re-ingest']:8.1f} articles/s  ({best['re-ingest']:.2f} s)")
    verdict = "ok" if load_ratio >= LOAD_TARGET else "UNDER TARGET"
    print(f"load ratio, store / {floor}: {load_ratio:.2f}  (target >= {LOAD_TARGET}: {verdict})")
    verdict = "ok" if reingest_ratio <= REINGEST_TARGET else "OVER TARGET"
    print(f"re-ingest ratio, second / first pass: {reingest_ratio:.1%}  (target <= {REINGEST_TARGET:.0%}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
