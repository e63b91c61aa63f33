"""Quality floors, scored by the shared scorer (skipped when ../shared is absent): on the shared dev set
and on tests/data, articles of our own with gold in the same format that cover each construction
the extractor handles (acronyms, honorifics, descriptions, groups, passives, relative clauses,
control verbs, quotes, deadlines, rulings, offices named by title, a story opening on a description,
headlines, conditions, spokespeople, signed statements)."""

import importlib.util
import json
from pathlib import Path

import pytest

from newsgraph.ingest.pipeline import extract_many
from newsgraph.ingest.sources import read_sources

pytestmark = pytest.mark.slow

# Floors a little under what was measured (entities 0.96, aliases 0.90, events 0.69, lenient 0.76,
# dates 0.94): quality may move, but it may not silently regress.
FLOORS = {"entities": 0.92, "aliases": 0.86, "events": 0.65, "events_lenient": 0.72}
DATES_FLOOR = 0.90


OWN = Path(__file__).resolve().parents[1] / "data"
# Measured on our own articles: entities 1.00, aliases 0.94, events 0.89, lenient 0.94, dates 0.98.
OWN_FLOORS = {"entities": 0.95, "aliases": 0.88, "events": 0.84, "events_lenient": 0.90}


def _score(shared_dir: Path, articles_dir: Path, gold_dir: Path, tmp_path: Path) -> dict:
    spec = importlib.util.spec_from_file_location("score", shared_dir / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out = tmp_path / "pred.jsonl"
    articles = list(read_sources([str(articles_dir)]))
    with out.open("w", encoding="utf-8") as fh:
        for ex in extract_many(articles):
            fh.write(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n")
    result = score.score(str(out), str(gold_dir))
    assert not result["articles_missing"]
    return result


def test_own_articles_stay_above_floors(shared_dir, tmp_path):
    result = _score(shared_dir, OWN / "articles", OWN / "gold", tmp_path)
    for key, floor in OWN_FLOORS.items():
        assert result[key]["f1"] >= floor, (key, result[key])
    assert result["dates"]["accuracy"] >= DATES_FLOOR, result["dates"]


def test_dev_set_scores_stay_above_floors(shared_dir, tmp_path):
    dev = shared_dir / "eval" / "dev"
    result = _score(shared_dir, dev / "articles", dev / "gold", tmp_path)
    for key, floor in FLOORS.items():
        assert result[key]["f1"] >= floor, (key, result[key])
    assert result["dates"]["accuracy"] >= DATES_FLOOR, result["dates"]
