"""Extraction at scale: N synthetic news articles streamed through extraction, throughput and peak memory.

    python bench/corpus.py                               # 2,000 articles; memory at 500 and 2,000
    python bench/corpus.py --articles 200 --workers 2    # a quick run

The articles are generated from template sentences with invented people, organisations, places and
dates (deterministic: article i is the same whatever N is), streamed to extraction and dropped, as
`newsgraph ingest` should do with a large input. Each size runs in a fresh process so that its peak
RSS (the largest of the main process and its workers) is its own; flat memory means the peak at N is
about the peak at N/4. The largest size also times bare spaCy's nlp.pipe on the same texts, in one
process, for the ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsgraph.model import Article  # noqa: E402

FIRST = "Ada Bram Cora Desmond Elin Fenna Gideon Hester Idris Juno Kasimir Lorna Maren Neve Orrin Petra Quill Rhoswen"
LAST = "Ashcombe Brackley Corran Dunmore Elstow Farrant Galbraith Harrow Ingleby Jessop Kettering Lusk Marlow Penhale"
PLACES = "Eastmere Wendleby Carrick Hollowford Marrowdale Brannick Selworth Tarnby Oakhurst Redwater Fellgate Ambury"
TOPICS = "Housing Rail Water Schools Health Farming Energy Transport Fisheries Libraries Policing Roads"
HEADS = "Trust Council Board Union Authority Commission Agency Association Partnership Guild"
ROLES = [
    "chief executive",
    "chair",
    "general secretary",
    "finance director",
    "spokesperson",
    "deputy leader",
    "chief inspector",
]
MONTHS = "January February March April May June July August September October November December"
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"

# {p}, {q}: people; {o}, {r}: organisations; {place}; {role}; {when}: a date phrase; {n}: a number.
HEADLINES = [
    "{o} criticised over {place} delays",
    "{p} appointed to lead {o}",
    "{o} demands inquiry into {r}",
    "{r} publishes report on {place} services",
    "{p} resigns from {o}",
]
SENTENCES = [
    "The {o} called on the {r} {when} to publish its figures for {place}.",
    "{p}, the {role} of the {o}, said the plans would cost {n} million pounds.",
    "The {r} criticised the {o} for failing to consult residents in {place}.",
    "{p} was appointed {role} of the {o} {when}, succeeding {q}.",
    "In a letter to the {r}, {p} urged ministers to delay the decision until {month}.",
    "The {r} published a report {when} that found {n} per cent of sites in {place} needed repairs.",
    "{q} resigned as {role} of the {r} {when} after a vote of no confidence.",
    "The {o} said it would respond to the findings by the end of {month}.",
    "Inspectors from the {r} visited {place} {when} and rated the service inadequate.",
    "{p} met {q} in {place} {when} to discuss the future of the {o}.",
    "The {o} announced a review of its spending in {place}, which will report in {month}.",
    "{q} of the {r} warned that {n} jobs in {place} were at risk.",
    "Residents in {place} have asked the {o} for a public meeting.",
    "The {r} denied the claims and said its work in {place} had been praised.",
    "{p} told reporters that the {o} had done nothing wrong.",
    "A spokesperson for the {r} declined to comment {when}.",
]


def _words(text: str) -> list[str]:
    return text.split()


def synthetic_article(i: int, seed: int = 11) -> Article:
    """Article number `i`: a headline and 6 to 12 template sentences, the same for a given (i, seed)."""
    rng = random.Random(seed * 1_000_003 + i)
    first, last, places = _words(FIRST), _words(LAST), _words(PLACES)

    def person() -> str:
        return f"{rng.choice(first)} {rng.choice(last)}"

    def org() -> str:
        return f"{rng.choice(places)} {rng.choice(_words(TOPICS))} {rng.choice(_words(HEADS))}"

    def when() -> str:
        return rng.choice(
            [
                f"on {rng.choice(_words(DAYS))}",
                f"on {rng.randint(1, 28)} {rng.choice(_words(MONTHS))}",
                "last week",
                "this morning",
                f"in {rng.choice(_words(MONTHS))}",
            ]
        )

    cast = {"p": person(), "q": person(), "o": org(), "r": org(), "place": rng.choice(places)}

    def fill(template: str) -> str:
        return template.format(
            **cast, role=rng.choice(ROLES), when=when(), n=rng.randint(2, 90), month=rng.choice(_words(MONTHS))
        )

    sentences = [fill(s) for s in rng.sample(SENTENCES, rng.randint(6, 12))]
    paragraphs = [" ".join(sentences[k : k + 2]) for k in range(0, len(sentences), 2)]
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Article(
        body=fill(rng.choice(HEADLINES)) + "\n\n" + "\n\n".join(paragraphs),
        source=f"synthetic/{i:06d}.txt",
        date=date,
        outlet="newsgraph bench",
    )


def synthetic_corpus(n: int, seed: int = 11) -> Iterator[Article]:
    return (synthetic_article(i, seed) for i in range(n))


def _peak_rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its largest finished child, in MB (Linux reports KB)."""
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mb
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / per_mb
    return own, children


def measure(n: int, workers: int, chunk: int, pipeline: str | None, bare: bool) -> dict:
    """Run in a fresh process: extraction of n articles streamed, then (if asked) bare spaCy."""
    from newsgraph.ingest.nlp import _load_one, load_pipeline
    from newsgraph.ingest.pipeline import Settings, extract_parallel

    settings = Settings(pipeline=pipeline)
    if workers == 1:  # loaded and warmed (dateparser's first call) before timing; workers start inside it
        list(extract_parallel(synthetic_corpus(4, seed=99), settings))
    words = articles = entities = events = 0
    started = time.perf_counter()
    first_result = None
    for ex in extract_parallel(synthetic_corpus(n), settings, workers=workers, chunk=chunk):
        if first_result is None:
            first_result = time.perf_counter() - started
        articles += 1
        words += len(ex.article.body.split())
        entities += len(ex.entities)
        events += len(ex.events)
    seconds = time.perf_counter() - started
    own, children = _peak_rss_mb()
    result = {
        "articles": articles,
        "words": words,
        "entities": entities,
        "events": events,
        "seconds": seconds,
        "first_result": first_result or 0.0,
        "rss_main_mb": own,
        "rss_worker_mb": children,
    }
    if bare:
        _, info = load_pipeline(settings.pipeline, settings.gazetteer)
        nlp = _load_one(info.name)
        list(nlp.pipe(a.body for a in synthetic_corpus(8)))  # warm, as the extraction was
        started = time.perf_counter()
        for _ in nlp.pipe((a.body for a in synthetic_corpus(n)), batch_size=8):
            pass
        result["bare_seconds"] = time.perf_counter() - started
        result["pipeline"] = str(info)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles at the largest size (default 2000)")
    parser.add_argument("--sizes", type=int, nargs="+", help="sizes to run (default: N/4 and N)")
    parser.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    parser.add_argument("--chunk", type=int, default=16, help="articles per worker task (default 16)")
    parser.add_argument("--pipeline", help="spaCy pipeline (default: the best installed English one)")
    parser.add_argument("--show", type=int, metavar="I", help="print synthetic article I and stop")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.show is not None:
        print(synthetic_article(args.show).body)
        return
    if args.child:
        print(json.dumps(measure(args.articles, args.workers, args.chunk, args.pipeline, args.bare)))
        return

    sizes = sorted(set(args.sizes or [max(1, args.articles // 4), args.articles]))
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--child", "--articles", str(size), "--workers", str(args.workers)]
        command += ["--chunk", str(args.chunk)] + (["--pipeline", args.pipeline] if args.pipeline else [])
        if size == sizes[-1]:
            command.append("--bare")
        print(f"running {size} articles with {args.workers} worker(s)...", file=sys.stderr)
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))

    last = results[-1]
    print(f"pipeline {last['pipeline']}, {args.workers} worker(s), chunk {args.chunk}")
    print(
        f"{'articles':>8} {'words':>8} {'seconds':>8} {'1st out s':>9} {'art/s':>7} {'words/s':>8} {'events':>7} "
        f"{'peak RSS MB':>12}"
    )
    for r in results:
        peak = max(r["rss_main_mb"], r["rss_worker_mb"])
        print(
            f"{r['articles']:>8} {r['words']:>8} {r['seconds']:>8.1f} {r['first_result']:>9.1f} "
            f"{r['articles'] / r['seconds']:>7.1f} "
            f"{r['words'] / r['seconds']:>8.0f} {r['events']:>7} {peak:>12.0f}"
        )
    bare_rate = last["words"] / last["bare_seconds"]
    print(
        f"bare spaCy nlp.pipe (1 process) on the same {last['articles']} texts: {bare_rate:.0f} words/s; "
        f"ratio {last['words'] / last['seconds'] / bare_rate:.2f}"
    )
    if len(results) > 1:
        first_peak = max(results[0]["rss_main_mb"], results[0]["rss_worker_mb"])
        last_peak = max(last["rss_main_mb"], last["rss_worker_mb"])
        print(f"peak RSS at {last['articles']} / at {results[0]['articles']} articles: {last_peak / first_peak:.2f}")


if __name__ == "__main__":
    main()
