"""Benchmark RDF export: a synthetic snapshot of N articles (about 10 events each) to streamed
N-Triples and to in-memory Turtle, with triples per second and peak memory for each.

Each format runs in a child process of its own, so the peak resident set (ru_maxrss) it reports
belongs to that export alone; "export peak" is how far the export raised it above the snapshot.

    python bench/rdf_export.py                  # 10,000 articles
    python bench/rdf_export.py --articles 1000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsgraph.graph import rdf
from newsgraph.ingest.taxonomy import load_taxonomy
from newsgraph.model import MODALITIES
from newsgraph.store import ActorRecord, ArticleRecord, EventRecord, GraphSnapshot, ReportRecord, RoleRecord

KINDS = ("Person", "Person", "Organisation", "Organisation", "Place", "Document", "Other")
WORDS = [
    "minister",
    "union",
    "inspectorate",
    "council",
    "school",
    "court",
    "report",
    "pause",
    "letter",
    "review",
    "budget",
    "hospital",
]


def event(*, article: str, evidence: str, start: int, end: int, **fields) -> EventRecord:
    """An event reported by one article."""
    report = ReportRecord(article, evidence, start, end, 0, fields["trigger"], fields["date"], fields["date_text"],
                          fields["modality"], fields["confidence"], fields["quote"], fields["id"])  # fmt: skip
    return EventRecord(**fields, reports=[report])


def synthetic_snapshot(articles: int, events_per_article: int = 10, seed: int = 0) -> GraphSnapshot:
    """A deterministic world shaped like real extractions: shared actors, ~8 per article, 1-2 per role."""
    rng = random.Random(seed)
    categories = sorted(load_taxonomy())
    actors = [
        ActorRecord(f"{kind.lower()}:actor-{i}", f"Actor {i} {rng.choice(WORDS).title()}", kind)
        for i, kind in ((i, rng.choice(KINDS)) for i in range(max(50, articles * 2)))
    ]
    for actor in actors[::3]:
        actor.aliases = [actor.name.split()[-1], f"the {actor.name.split()[-1].lower()}"]
    snap = GraphSnapshot(actors=actors)
    for a in range(articles):
        digest = hashlib.sha256(f"article {a}".encode()).hexdigest()
        article_id = "art_" + digest[:16]
        date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        snap.articles.append(
            ArticleRecord(
                article_id,
                f"corpus/{a}.txt",
                f"https://news.example.org/{a}",
                f"Headline {a}: {' '.join(rng.choices(WORDS, k=5))}",
                date,
                f"Outlet {a % 20}",
                digest,
            )
        )
        cast = rng.sample(actors, 8)
        for actor in cast:
            actor.articles.append(article_id)
        offset = 0
        for e in range(events_per_article):
            evidence = " ".join(rng.choices(WORDS, k=14)).capitalize() + "."
            snap.events.append(
                event(
                    id=f"ev_{hashlib.sha256(f'{article_id} {e}'.encode()).hexdigest()[:16]}",
                    category=rng.choice(categories),
                    trigger=rng.choice(WORDS),
                    date=rng.choice([date, date[:7], None]),
                    date_text=rng.choice([None, "on Monday", "in March"]),
                    modality=rng.choice(MODALITIES),
                    confidence=round(rng.random(), 3),
                    quote=rng.choice([None, None, None, f"“{evidence}”"]),
                    article=article_id,
                    evidence=evidence,
                    start=offset,
                    end=offset + len(evidence),
                    agents=[x.id for x in rng.sample(cast, rng.randint(1, 2))],
                    patients=[x.id for x in rng.sample(cast, rng.randint(0, 2))],
                )
            )
            offset += len(evidence) + 1
        holder = next((x for x in cast if x.kind == "Person"), None)
        if holder is not None:
            org = next((x.id for x in cast if x.kind == "Organisation"), None)
            snap.roles.append(RoleRecord(holder.id, org, rng.choice(["spokesperson", "chair", "chief"]), article_id))
    return snap


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    scale = 1 if sys.platform != "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / scale


def run_one(fmt: str, articles: int, events: int, out: Path) -> dict:
    snapshot = synthetic_snapshot(articles, events)
    before = peak_rss_mib()
    started = time.perf_counter()
    triples = rdf.export(snapshot, out, format=fmt, pipeline="bench")
    seconds = time.perf_counter() - started
    peak = peak_rss_mib()
    return {
        "format": fmt,
        "articles": articles,
        "events": len(snapshot.events),
        "triples": triples,
        "seconds": round(seconds, 2),
        "triples_per_second": round(triples / seconds),
        "bytes": out.stat().st_size,
        "snapshot_rss_mib": round(before, 1),
        "peak_rss_mib": round(peak, 1),
        "export_peak_mib": round(peak - before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10, help="events per article")
    parser.add_argument("--formats", default="nt,turtle", help="comma-separated export formats")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # the format a child process runs
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(run_one(args.worker, args.articles, args.events, Path(args.out))))
        return

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"bench.{fmt}"
            child = [sys.executable, __file__, "--worker", fmt, "--out", str(out)]
            child += ["--articles", str(args.articles), "--events", str(args.events)]
            done = subprocess.run(child, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{fmt}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'failed'}")
            results.append(json.loads(done.stdout))
    header = f"{'format':8} {'articles':>8} {'events':>8} {'triples':>10} {'seconds':>8} {'triples/s':>10}"
    header += f" {'MiB out':>8} {'peak RSS':>9} {'export peak':>12}"
    print(header, file=sys.stderr)
    for r in results:
        print(
            f"{r['format']:8} {r['articles']:>8} {r['events']:>8} {r['triples']:>10} {r['seconds']:>8}"
            f" {r['triples_per_second']:>10} {r['bytes'] / 2**20:>8.1f} {r['peak_rss_mib']:>8.1f}M"
            f" {r['export_peak_mib']:>11.1f}M",
            file=sys.stderr,
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
