"""Loading into Neo4j: the store beside bare UNWIND statements of the same rows on the same server,
re-loading an unchanged corpus, and 1, 2 and 4 writers.

    tools/neo4j-server/run --port 7697 --data /tmp/neo4j-bench &      # wait for "ready"
    NEO4J_USERNAME=neo4j NEO4J_PASSWORD=newsgraph-test \\
      python bench/neo4j_load.py --store bolt://127.0.0.1:7697 [--articles 2000]

It EMPTIES the database (every Article, Actor and Event) before each load. The articles are
bench/queries.py's generated ones (no NLP), about 10 events each, a long tail of actors with the
most frequent in one article in eight. In one run:

(a) store / bare: Neo4jStore.write_many with one writer (per article: the lookup of what it
    replaces, one UNWIND per kind of row, the actors it leaves pending; then one set-based refresh
    of aliases, roles and co-mention counts), beside the same graph written by bare statements: the
    rows of store/rows.py with the events consolidated over every article beforehand (the store
    regroups them as it writes), one transaction per article, CREATE and MERGE with no lookup, no
    regrouping and no refresh.
    Target: store / bare >= 0.8 in articles/s.
(b) `newsgraph load`'s path (cross-article resolution, then write_many) into the empty database,
    then again with every article unchanged. Target: second / first <= 5%.
(c) that path with 1, 2 and 4 writers, each into the emptied database: articles/s, transactions,
    retries after transient errors and how many were deadlocks.
(d) with --dask-workers N: that path with each article's write a task on a local Dask cluster of N
    worker processes (as `ingest --workers N` writes Neo4j), 1 and 2 writers, beside (c)'s.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.queries import generate  # noqa: E402
from newsgraph.graph.resolve import ResolvingWriter  # noqa: E402
from newsgraph.model import Extraction  # noqa: E402
from newsgraph.store import open_store  # noqa: E402
from newsgraph.store.consolidate import consolidate  # noqa: E402
from newsgraph.store.neo4j import Neo4jStore  # noqa: E402
from newsgraph.store.rows import extraction_rows, reports  # noqa: E402

LOAD_TARGET = 0.8
RELOAD_TARGET = 0.05
# Batches small enough for the 512 MB heap of tools/neo4j-server: 5,000 rows of a 10,000-article graph
# exceeded its transaction memory pool (MemoryPoolOutOfMemoryError).
WIPE = "MATCH (n) WHERE n:Article OR n:Actor OR n:Event CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 500 ROWS"

# The bare loader: one statement per kind of row, what writing the rows takes and nothing more.
BARE = {
    "articles": """UNWIND $rows AS row
        CREATE (a:Article {id: row.id, source: row.source, url: row.url, title: row.title, date: row.date,
                           outlet: row.outlet, author: row.author, content_hash: row.content_hash,
                           body: row.body, pipeline: row.pipeline})""",
    "actors": """UNWIND $rows AS row
        MERGE (x:Actor {id: row.id}) ON CREATE SET x.name = row.name, x.kind = row.kind""",
    "mentions": """UNWIND $rows AS row
        MATCH (x:Actor {id: row.actor}) MATCH (a:Article {id: row.article})
        CREATE (x)-[:MENTIONED_IN {mentions: row.mentions, forms: row.forms, roles: row.roles,
                                   merged_from: row.merged_from}]->(a)""",
    "roles": """UNWIND $rows AS row
        MATCH (h:Actor {id: row.holder}) MATCH (o:Actor {id: row.organisation})
        CREATE (h)-[:HOLDS_ROLE {title: row.title, article: row.article}]->(o)""",
    # Events as the store ends up holding them (one per real event, consolidated across articles):
    # each created in the transaction of the first article that reports it, with one REPORTED_IN
    # per report in its own article's transaction.
    "events": """UNWIND $rows AS row CREATE (e:Event) SET e = row""",
    "reported_in": """UNWIND $rows AS row
        MATCH (e:Event {id: row.event}) MATCH (a:Article {id: row.article})
        CREATE (e)-[r:REPORTED_IN]->(a) SET r = row.properties""",
    "agents": """UNWIND $rows AS row
        MATCH (e:Event {id: row.event}) MATCH (x:Actor {id: row.actor}) CREATE (e)-[:AGENT]->(x)""",
    "patients": """UNWIND $rows AS row
        MATCH (e:Event {id: row.event}) MATCH (x:Actor {id: row.actor}) CREATE (e)-[:PATIENT]->(x)""",
}


def wipe(store: Neo4jStore) -> None:
    with store._session(write=True) as session:
        session.run(WIPE).consume()


def bare_rows(extractions: list[Extraction]) -> list[dict[str, list[dict[str, Any]]]]:
    """Each article's rows for the bare statements: store/rows.py's, but with the events the store
    ends up holding, consolidated over every article (store/consolidate.py) beforehand, so the bare
    loader looks nothing up and regroups nothing."""
    per_article = [extraction_rows(ex) for ex in extractions]
    place = {rows["articles"][0]["id"]: i for i, rows in enumerate(per_article)}
    for rows in per_article:
        rows["events"], rows["reported_in"], rows["agents"], rows["patients"] = [], [], [], []
    for event in consolidate(r for ex in extractions for r in reports(ex)):
        first = per_article[min(place[r.article] for r in event.reports)]
        first["events"].append(event.row())
        first["agents"] += [{"event": event.id, "actor": x} for x in event.agents]
        first["patients"] += [{"event": event.id, "actor": x} for x in event.patients]
        for report in event.reports:
            row = report.row(event.id)
            properties = {k: v for k, v in row.items() if k not in ("event", "article")}
            per_article[place[report.article]]["reported_in"].append(
                {"event": event.id, "article": report.article, "properties": properties}
            )
    return per_article


BARE_KINDS = ("articles", "actors", "mentions", "roles", "events", "reported_in", "agents", "patients")


def load_bare(store: Neo4jStore, extractions: list[Extraction]) -> float:
    """Seconds to write every article through the bare statements, one managed transaction each
    (the rows are made beforehand, outside the time)."""
    per_article = bare_rows(extractions)
    start = time.perf_counter()
    with store._session(write=True) as session:
        for rows in per_article:

            def work(tx, rows: dict[str, list[dict[str, Any]]] = rows) -> None:
                for kind in BARE_KINDS:
                    if rows[kind]:
                        tx.run(BARE[kind], rows=rows[kind]).consume()

            session.execute_write(work)
    return time.perf_counter() - start


def load_store(store: Neo4jStore, extractions: list[Extraction]) -> tuple[float, set[str]]:
    start = time.perf_counter()
    statuses = {r.status for r in store.write_many((ex, {}) for ex in extractions)}
    return time.perf_counter() - start, statuses


def load_resolved(
    store: Neo4jStore, extractions: list[Extraction], writers: int, submit=None
) -> tuple[float, set[str]]:
    start = time.perf_counter()
    resolved = ResolvingWriter(store).write_many(extractions, writers=writers, submit=submit)
    statuses = {r.status for r, _ in resolved}
    return time.perf_counter() - start, statuses


def load_on_dask(store: Neo4jStore, extractions: list[Extraction], workers: int) -> dict[int, float]:
    """Seconds to load with the writes on a local Dask cluster of `workers` processes (as `ingest
    --workers N` against Neo4j does), 1 and 2 writers; the cluster is started before the clock."""
    from newsgraph import dask as on_dask

    out = {}
    with on_dask.Session(workers=workers) as session:
        session.client.wait_for_workers(workers)
        for count in (1, 2):
            wipe(store)
            seconds, statuses = load_resolved(store, extractions, count, on_dask.article_writer(session, store))
            if statuses != {"added"}:
                raise SystemExit(f"dask writes: unexpected statuses {statuses}")
            out[count] = seconds
            print(f"dask, {workers} workers, {count} writers: {seconds:.2f} s", file=sys.stderr)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a Neo4j URI (bolt://...); its database is emptied")
    parser.add_argument("--articles", type=int, default=2_000, help="articles to generate (default 2,000)")
    parser.add_argument("--events", type=int, default=10, help="events per article (default 10)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (a), each timed; the best counts")
    parser.add_argument(
        "--dask-workers", type=int, default=0, help="(d) with the writes on N local Dask workers (newsgraph[dask])"
    )
    args = parser.parse_args()
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)  # the driver logs each retry

    extractions = generate(args.articles, args.events)
    n = len(extractions)
    print(f"{n} articles, {sum(len(ex.events) for ex in extractions)} events", file=sys.stderr)
    with open_store(args.store) as store:
        assert isinstance(store, Neo4jStore), "--store must name a Neo4j server"
        store.upgrade()  # constraints and indexes, for both loaders
        times: dict[str, list[float]] = {"bare": [], "store": []}
        for round_ in range(1, args.repeat + 1):
            wipe(store)
            times["bare"].append(load_bare(store, extractions))
            bare_counts = store.counts()
            wipe(store)
            seconds, statuses = load_store(store, extractions)
            times["store"].append(seconds)
            if statuses != {"added"} or store.counts() != bare_counts:
                print(f"the loaders disagree: {statuses}, {store.counts()} / {bare_counts}", file=sys.stderr)
                return 1
            print(f"round {round_}: bare {times['bare'][-1]:.2f} s, store {seconds:.2f} s", file=sys.stderr)

        wipe(store)
        first_s, first = load_resolved(store, extractions, writers=1)
        again_s, again = load_resolved(store, extractions, writers=1)
        if first != {"added"} or again != {"unchanged"}:
            print(f"unexpected statuses: {first}, then {again}", file=sys.stderr)
            return 1

        writers: dict[int, tuple[float, Any]] = {}
        for count in (1, 2, 4):
            wipe(store)
            seconds, _ = load_resolved(store, extractions, writers=count)
            writers[count] = (seconds, store.write_stats)
            print(f"{count} writers: {seconds:.2f} s, {store.write_stats}", file=sys.stderr)
        counts = store.counts()
        on_dask = load_on_dask(store, extractions, args.dask_workers) if args.dask_workers else {}
        if on_dask and store.counts() != counts:
            print(f"dask writes left other counts: {store.counts()} / {counts}", file=sys.stderr)
            return 1

    best = {name: min(seconds) for name, seconds in times.items()}
    rounds = f", best of {args.repeat}" if args.repeat > 1 else ""
    print(f"{n} articles into Neo4j at {args.store}: {counts}{rounds}")
    print(f"bare UNWIND statements       {n / best['bare']:8.1f} articles/s  ({best['bare']:.2f} s)")
    print(f"Neo4jStore.write_many (1)    {n / best['store']:8.1f} articles/s  ({best['store']:.2f} s)")
    ratio = best["bare"] / best["store"]
    verdict = "ok" if ratio >= LOAD_TARGET else "UNDER TARGET"
    print(f"load ratio, store / bare: {ratio:.2f}  (target >= {LOAD_TARGET}: {verdict})")
    print(f"newsgraph load, first        {n / first_s:8.1f} articles/s  ({first_s:.2f} s, resolution included)")
    print(f"newsgraph load, unchanged    {n / again_s:8.1f} articles/s  ({again_s:.2f} s)")
    ratio = again_s / first_s
    verdict = "ok" if ratio <= RELOAD_TARGET else "OVER TARGET"
    print(f"re-load ratio, unchanged / first: {ratio:.1%}  (target <= {RELOAD_TARGET:.0%}: {verdict})")
    print("writers  articles/s  speed-up  transactions  retries  deadlocks  at once")
    for count, (seconds, stats) in writers.items():
        speedup = writers[1][0] / seconds
        print(f"{count:7d}  {n / seconds:10.1f}  {speedup:7.2f}x  {stats.transactions:12d}  {stats.retries:7d}"
              f"  {stats.deadlocks:9d}  {stats.peak_writers:7d}")  # fmt: skip
    for count, seconds in on_dask.items():
        print(f"writes on {args.dask_workers} Dask workers, {count} writer(s): {n / seconds:8.1f} articles/s;"
              f" ÷ {count} writer(s) in this process: {writers[count][0] / seconds:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
