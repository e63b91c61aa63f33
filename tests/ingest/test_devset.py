"""Quality floors, scored by the rules of the shared scorer (skipped when ../shared is absent).

The dev corpus (../shared/eval/dev) is training data: its floors are 5-fold cross-validated by
article, the trained layer never scored on an article it was fit on, with the in-sample score
beside it (a large gap is over-fitting). Our own articles (tests/data: acronyms, honorifics,
descriptions, groups, passives, relative clauses, quotes, deadlines, rulings, offices by title,
headlines, conditions, spokespeople, signed statements) are a regression check of the shipped
extractor: the rules were written with them in view, so their scores are no measure of quality.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from newsgraph.ingest.pipeline import extract_many
from newsgraph.ingest.sources import read_sources

pytestmark = pytest.mark.slow

# 5-fold CV measured with the shipped configuration, every fit also learning from training/written
# at weight 0.4 (README, "Extraction quality"): entities 0.902, aliases 0.721, events 0.321, lenient
# 0.418, dates 0.904, dates_all 0.823; over three splits (`--repeats 3`) 0.901, 0.719, 0.325, 0.419,
# 0.901, 0.815.
# Floors a little under the fixed split's numbers, which this test runs.
CV_FLOORS = {
    "entities": 0.85,
    "aliases": 0.60,
    "events": 0.26,
    "events_lenient": 0.35,
    "dates": 0.87,
    "dates_all": 0.80,
}
# In-sample minus cross-validated events F1 (issue 13: at most 0.10).
MAX_EVENTS_GAP = 0.10
# The 62 articles no hand rule was written from (file names starting with a letter; the rules were
# written on the seeds' story and 12 UK articles, 000-12): the same folds and fits, scored on them
# alone. Measured: entities 0.891, aliases 0.657, events 0.237, lenient 0.342, dates 0.894,
# dates_all 0.808 (three splits: events 0.237-0.244). The number to expect on other news.
UNSEEN_BY_RULES = "[a-z]*"
UNSEEN_FLOORS = {
    "entities": 0.85,
    "aliases": 0.55,
    "events": 0.19,
    "events_lenient": 0.27,
    "dates": 0.85,
    "dates_all": 0.76,
}

OWN = Path(__file__).resolve().parents[1] / "data"
# Measured on our own articles with the shipped model: 1.00 / 1.00 / 0.89 / 0.92; dates 0.96.
OWN_FLOORS = {"entities": 0.95, "aliases": 0.88, "events": 0.84, "events_lenient": 0.90}
DATES_FLOOR = 0.90
# 24 articles of world politics (Latin America, Central Asia and Eastern Europe, Africa and the
# Middle East, Asia-Pacific) written for this check and annotated for their actors only, never
# trained on. Their writers were asked for countries and capitals acting as states, ministries named
# by their country, and names of many languages, and stop 49's rules for those were written with
# these articles in view, as were stop 50's international bodies and places named only as where
# something happens: a regression check of that handling, not a measure of quality. Measured with
# the shipped model: entities 0.808 -> 0.888 -> 0.895, aliases 0.454 -> 0.589 -> 0.640 (stops 48,
# 49, 50).
WORLD = OWN / "world"
WORLD_FLOORS = {"entities": 0.85, "aliases": 0.60}


@pytest.fixture(scope="module")
def dev_report(shared_dir, written_set):
    from newsgraph.evaluate import evaluate

    dev = shared_dir / "eval" / "dev"
    # training/written is trained on in every fold and never scored, as for the shipped model
    return evaluate(dev / "gold", dev / "articles", folds=5, subset=UNSEEN_BY_RULES, extra=[written_set])


def test_dev_set_cross_validated_scores_stay_above_floors(dev_report):
    from newsgraph.evaluate.scoring import headline

    cv = headline(dev_report.cv)
    assert dev_report.articles >= 76
    low = {k: (cv[k], floor) for k, floor in CV_FLOORS.items() if cv[k] < floor}
    assert not low, f"cross-validated scores under their floors: {low}"


def test_articles_no_rule_was_written_from_stay_above_floors(dev_report):
    from newsgraph.evaluate.scoring import headline

    assert len(dev_report.subset.articles) >= 62
    cv = headline(dev_report.subset.cv)
    low = {k: (cv[k], floor) for k, floor in UNSEEN_FLOORS.items() if cv[k] < floor}
    assert not low, f"cross-validated scores on the articles no rule was written from under their floors: {low}"


def test_in_sample_is_not_far_above_cross_validated(dev_report):
    gap = dev_report.in_sample["events"]["f1"] - dev_report.cv["events"]["f1"]
    assert gap <= MAX_EVENTS_GAP, f"events F1 in-sample minus CV is {gap:.3f}: over-fitting"


def _scored(shared_dir, tmp_path, where: Path) -> dict:
    """The shipped extractor's output on the articles in `where`, scored by the shared scorer."""
    spec = importlib.util.spec_from_file_location("score", shared_dir / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out = tmp_path / "pred.jsonl"
    articles = list(read_sources([str(where / "articles")]))
    with out.open("w", encoding="utf-8") as fh:
        for ex in extract_many(articles):
            fh.write(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n")
    result = score.score(str(out), str(where / "gold"))
    assert not result["articles_missing"]
    return result


def test_world_articles_entities_stay_above_floors(shared_dir, tmp_path):
    result = _scored(shared_dir, tmp_path, WORLD)
    for key, floor in WORLD_FLOORS.items():
        assert result[key]["f1"] >= floor, (key, result[key])


def test_own_articles_stay_above_floors(shared_dir, tmp_path):
    result = _scored(shared_dir, tmp_path, OWN)
    for key, floor in OWN_FLOORS.items():
        assert result[key]["f1"] >= floor, (key, result[key])
    assert result["dates"]["accuracy"] >= DATES_FLOOR, result["dates"]
