"""Quality floors on the shared dev set (skipped when ../shared is absent), scored by its own scorer."""

import importlib.util
import json

import pytest

from newsgraph.ingest.pipeline import extract_many
from newsgraph.ingest.sources import read_sources

pytestmark = pytest.mark.slow

# Floors a little under what was measured (entities 0.94, aliases 0.78, events 0.45, lenient 0.56,
# dates 0.93): quality may move, but it may not silently regress.
FLOORS = {"entities": 0.90, "aliases": 0.72, "events": 0.40, "events_lenient": 0.50}
DATES_FLOOR = 0.85


def test_dev_set_scores_stay_above_floors(shared_dir, tmp_path):
    spec = importlib.util.spec_from_file_location("score", shared_dir / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out = tmp_path / "dev.jsonl"
    articles = list(read_sources([str(shared_dir / "eval" / "dev" / "articles")]))
    with out.open("w", encoding="utf-8") as fh:
        for ex in extract_many(articles):
            fh.write(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n")
    result = score.score(str(out), str(shared_dir / "eval" / "dev" / "gold"))
    assert not result["articles_missing"]
    for key, floor in FLOORS.items():
        assert result[key]["f1"] >= floor, (key, result[key])
    assert result["dates"]["accuracy"] >= DATES_FLOOR, result["dates"]
