"""Where extract_many spends its time: a cProfile of it on bench/extract.py's articles, warmed up first.

python bench/profile_extract.py                       # 200 articles (the examples, repeated)
python bench/profile_extract.py --articles 76 --articles-dir ../shared/eval/dev/articles
python bench/profile_extract.py --sort cumulative --top 60 -o /tmp/extract.prof
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.extract import example_articles  # noqa: E402
from newsgraph.ingest.pipeline import Settings, extract_many  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="number of articles (default 200)")
    parser.add_argument("--articles-dir", type=Path, help="articles to use (cycled) instead of the examples")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (default tottime)")
    parser.add_argument("--top", type=int, default=40, help="rows to print (default 40)")
    parser.add_argument("-o", "--output", type=Path, help="also write the raw profile there")
    args = parser.parse_args(argv)

    settings = Settings()
    articles = example_articles(args.articles, [args.articles_dir] if args.articles_dir else None)
    list(extract_many(articles[:8], settings))  # loads the pipeline and builds the caches first

    profile = cProfile.Profile()
    profile.enable()
    list(extract_many(articles, settings))
    profile.disable()
    if args.output:
        profile.dump_stats(args.output)
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
