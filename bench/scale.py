"""One process vs 2 Dask workers vs 2 plain processes on the same articles: wall-clock with start-up
(pipeline loads, cluster start), speed-ups, and where Dask breaks even with one process.

    python bench/scale.py                          # 60 and 240 generated articles
    python bench/scale.py --sizes 40,120 --workers 2
    python bench/scale.py --articles-dir ../shared/eval/dev/articles --sizes 76

The generated articles come from bench/corpus.py's templates (invented people and places), written
as .txt files, so that every engine starts from the same references on disk. Each run is a fresh
process (no pipeline cached from a run before it); the engines take turns at each size. Fitting
time = start-up + size x per-article gives the break-even size from two sizes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ENGINES = ("one process", "dask", "plain processes")


def write_articles(directory: Path, n: int, source: Path | None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    if source is not None:
        files = sorted(p for p in source.iterdir() if p.suffix in (".txt", ".md"))
        for i in range(n):  # cycled when n is larger; a copy is the same article, as the cache would see it
            src = files[i % len(files)]
            (directory / f"{i:05d}_{src.name}").write_bytes(src.read_bytes())
        return
    from bench.corpus import synthetic_article

    for i in range(n):
        a = synthetic_article(i)
        (directory / f"{i:05d}.txt").write_text(f"date: {a.date}\n\n{a.body}\n", encoding="utf-8")


def child(engine: str, directory: str, workers: int) -> dict:
    """One timed run in this (fresh) process: read the articles, extract them, count the events."""
    start = time.perf_counter()
    from newsgraph.ingest.settings import Settings

    settings = Settings()
    if engine == "dask":  # this process only hands work out: it never loads spaCy
        from newsgraph import dask as on_dask

        with on_dask.connect(workers=workers, settings=settings) as client:
            ready = time.perf_counter()
            parts = on_dask.partitions([directory], on_dask.partition_size(client, [directory]))
            found = [o for outcomes in on_dask.run_partitions(client, parts, settings) for o in outcomes]
        events = sum(len(o.events) for o in found if hasattr(o, "events"))
    else:
        from newsgraph.ingest.pipeline import extract_many, extract_parallel
        from newsgraph.ingest.sources import Skipped, read_sources

        articles = [a for a in read_sources([directory]) if not isinstance(a, Skipped)]
        if engine == "one process":
            found = list(extract_many(articles, settings))
        else:
            found = list(extract_parallel(articles, settings, workers=workers))
        ready = start
        events = sum(len(ex.events) for ex in found)
    total = time.perf_counter() - start
    return {"seconds": total, "startup": ready - start, "articles": len(found), "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="60,240", help="article counts, comma-separated (default 60,240)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--articles-dir", type=Path, help="use these .txt articles (cycled) instead of generated ones")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.dir, args.workers)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[tuple[str, int], dict] = {}
    work = Path(tempfile.mkdtemp(prefix="newsgraph-scale-"))
    try:
        for n in sizes:
            write_articles(work / str(n), n, args.articles_dir)
            for engine in ENGINES:
                command = [sys.executable, __file__, "--child", engine, "--dir", str(work / str(n))]
                command += ["--workers", str(args.workers)]
                print(f"{n} articles, {engine}...", file=sys.stderr)
                out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
                results[engine, n] = json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    w = args.workers
    print(f"{w} workers on {__import__('os').cpu_count()} cores; seconds with start-up (articles/s)")
    heads = ("articles", "1 process", f"{w} Dask workers", f"{w} processes")
    print(f"{heads[0]:>8}  {heads[1]:>16}  {heads[2]:>18}  {heads[3]:>16}  dask x  plain x  dask/plain")
    for n in sizes:
        one, dask, plain = (results[e, n] for e in ENGINES)
        assert one["events"] == dask["events"] == plain["events"], "the engines disagree"
        cell = [f"{r['seconds']:7.1f} ({n / r['seconds']:5.2f}/s)" for r in (one, dask, plain)]
        up_dask, up_plain = one["seconds"] / dask["seconds"], one["seconds"] / plain["seconds"]
        print(
            f"{n:>8}  {cell[0]:>16}  {cell[1]:>18}  {cell[2]:>16}  {up_dask:6.2f}  {up_plain:7.2f}"
            f"  {up_dask / up_plain:9.0%}"
        )
    if len(sizes) >= 2:
        lo, hi = min(sizes), max(sizes)
        fits = {}
        for e in ENGINES:
            per = (results[e, hi]["seconds"] - results[e, lo]["seconds"]) / (hi - lo)
            fits[e] = (results[e, lo]["seconds"] - per * lo, per)
        print("fitted: " + "; ".join(f"{e} {a:.1f} s + {b * 1000:.0f} ms/article" for e, (a, b) in fits.items()))
        (a1, b1), (ad, bd), (ap, bp) = (fits[e] for e in ENGINES)
        if bd < b1:
            print(f"Dask breaks even with one process at about {max(0.0, (ad - a1) / (b1 - bd)):.0f} articles")
        else:
            print("Dask does not break even: it is no faster per article than one process here")
        if bp < b1 and bd < b1:
            dask_up, plain_up = b1 / bd, b1 / bp
            share = (dask_up - 1) / (plain_up - 1) if plain_up > 1 else float("nan")
            print(
                f"per-article speed-up: Dask {dask_up:.2f}x, plain processes {plain_up:.2f}x ({share:.0%} of the gain)"
            )


if __name__ == "__main__":
    main()
