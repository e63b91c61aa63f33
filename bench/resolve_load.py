"""Ingest time with cross-article resolution, this checkout against another revision, in one run.

    python bench/resolve_load.py                          # 1,000 articles, against `main`
    python bench/resolve_load.py --before d28e786 --repeat 3

Generates N articles as extractions (bench/queries.py's generator: a long-tailed pool of people and
organisations), and makes some of them hard for resolution the way news is: in about one article in
six a person is named by surname alone, in one in ten a surname is misspelt, in one in twenty an
organisation is typed otherwise; one person in five has a role, and one article in twenty names a
chief executive by the title alone. The same JSONL is loaded (`newsgraph load`: resolution, then one
transaction per article into a new embedded store) by this checkout's code and by the other
revision's (`git archive` into a temporary directory), alternately, each run in a fresh process
timed around jobs.load alone. Prints each run, the medians and after / before.
Target (issue 15): consolidation makes ingest at most 20% slower (ratio <= 1.20).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.queries import generate  # noqa: E402
from newsgraph.model import Entity, Extraction, Mention, actor_id  # noqa: E402

TARGET = 1.20
ROLES = ("chief executive", "chair", "general secretary", "spokesperson")
RUN = """
import logging, sys, time
logging.disable(logging.WARNING)
from newsgraph import jobs
began = time.perf_counter()
run = jobs.load([sys.argv[1]], store="embedded:" + sys.argv[2])
print(time.perf_counter() - began, run.counts["actors"], run.counts["articles"])
"""


def harder(extractions: list[Extraction], seed: int = 11) -> list[Extraction]:
    """The articles with the variations news gives resolution to work on (see the module docstring)."""
    rng = random.Random(seed)
    out = []
    for ex in extractions:
        renamed: dict[str, str] = {}
        entities = []
        for ent in ex.entities:
            words = ent.name.split()
            new = ent
            if ent.type == "Person" and len(words) == 2 and not renamed:
                roll = rng.random()
                if roll < 0.17:
                    new = _named(ent, words[1], "Person")
                elif roll < 0.27:
                    at = rng.randrange(1, len(words[1]))
                    new = _named(ent, f"{words[0]} {words[1][:at]}{words[1][at - 1]}{words[1][at:]}", "Person")
            elif ent.type == "Organisation" and not renamed and rng.random() < 0.05:
                new = _named(ent, ent.name, "Other")
            if new.type == "Person" and rng.random() < 0.2:
                new = replace(new, roles=[rng.choice(ROLES)])
            if new.id != ent.id:
                renamed[ent.id] = new.id
            entities.append(new)
        if rng.random() < 0.05:
            entities.append(Entity(actor_id("Chief Executive", "Organisation"), "Chief Executive", "Organisation",
                                   mentions=[Mention("Chief Executive", 0, 15, 0)]))  # fmt: skip
        events = [
            replace(
                ev, agents=[renamed.get(a, a) for a in ev.agents], patients=[renamed.get(p, p) for p in ev.patients]
            )
            for ev in ex.events
        ]
        out.append(replace(ex, entities=entities, events=events))
    return out


def _named(ent: Entity, name: str, kind: str) -> Entity:
    mentions = [Mention(name, m.start, m.start + len(name), m.sentence) for m in ent.mentions]
    return replace(ent, id=actor_id(name, kind), name=name, type=kind, aliases=[], mentions=mentions)


def checkout(rev: str, into: Path) -> Path:
    """The revision's tree, as `git archive` gives it."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def load_once(code: Path, jsonl: Path, store: Path) -> tuple[float, int, int]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    env.pop("NEWSGRAPH_STORE", None)
    done = subprocess.run([sys.executable, "-c", RUN, str(jsonl), str(store)], cwd=code, env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    seconds, actors, articles = done.stdout.split()
    return float(seconds), int(actors), int(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--before", default="main", help="the revision to compare with (default: main)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, alternately (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        jsonl = tmp_path / "corpus.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            for ex in harder(generate(args.articles)):
                out.write(json.dumps(ex.to_dict()) + "\n")
        before = checkout(args.before, tmp_path / "before")
        codes = {f"before ({args.before})": before, "after (this checkout)": ROOT}
        times: dict[str, list[float]] = {name: [] for name in codes}
        for i in range(args.repeat):
            for name, code in codes.items():
                seconds, actors, articles = load_once(
                    code, jsonl, tmp_path / f"{i}-{len(times[name])}-{code.name}.lbug"
                )
                times[name].append(seconds)
                print(f"{name:24} run {i + 1}: {seconds:6.1f} s  ({articles} articles, {actors} actors)", flush=True)
        medians = {name: statistics.median(ts) for name, ts in times.items()}
        [before_s, after_s] = medians.values()
        for name, m in medians.items():
            print(f"{name:24} median {m:6.1f} s, {args.articles / m:5.1f} articles/s")
        ratio = after_s / before_s
        print(f"after / before: {ratio:.3f} (target <= {TARGET}: {'met' if ratio <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
