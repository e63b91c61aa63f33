"""A gold file's `"train_weight"`: how much its events count when the event layer is fit (a set written
to teach the model may count less than real news). Checked on our own eight articles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from newsgraph.errors import InputError

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def parsed():
    """Our eight articles, parsed and featurized once."""
    from newsgraph.evaluate import training
    from newsgraph.evaluate.crossval import load_examples
    from newsgraph.ingest.pipeline import Extractor, Settings

    examples = load_examples(DATA / "gold", DATA / "articles")
    extractor = Extractor(Settings(), model="rules")
    training.parse(examples, extractor)
    return examples, [training.featurize(ex, extractor) for ex in examples]


def _same(a, b) -> bool:
    return a.classes == b.classes and a.features == b.features and np.allclose(a.coef, b.coef, atol=1e-3)


def test_halving_every_weight_is_halving_c(parsed):
    """Logistic regression minimises C x the weighted loss + the penalty: every example at weight 0.5
    gives the model that C/2 gives at weight 1, in all three layers (triggers, roles, dating)."""
    from newsgraph.evaluate import training

    _, items = parsed
    assert len(items) == 8 and all(p.weight == 1 for p in items) and sum(len(p.dating) for p in items) > 0
    full = training.fit(items, c=0.5, c_roles=0.5, c_dating=0.5)
    for p in items:
        p.weight = 0.5
    try:
        half = training.fit(items, c=1, c_roles=1, c_dating=1)
    finally:
        for p in items:
            p.weight = 1.0
    unweighted = training.fit(items, c=1, c_roles=1, c_dating=1)
    for layer in ("triggers", "roles", "dating"):
        assert _same(getattr(half, layer), getattr(full, layer)), layer
        assert not _same(getattr(half, layer), getattr(unweighted, layer)), layer


def test_a_lighter_article_moves_the_model_less(parsed):
    """One article at weight 0.3: a model between leaving it out and counting it fully; the data digest
    records the weight, so the two fits are told apart."""
    from newsgraph.evaluate import training

    examples, items = parsed
    k = max(range(len(items)), key=lambda i: sum(label != "none" for label in items[i].labels))
    assert sum(label != "none" for label in items[k].labels) > 0  # an article with events to weigh
    assert examples[k].gold.get("train_weight") is None  # so the full fit counts it at 1
    others = items[:k] + items[k + 1 :]
    without = training.fit(others)
    full = training.fit(items)
    items[k].weight = 0.3
    try:
        light = training.fit(items)
    finally:
        items[k].weight = 1.0
    assert light.meta["data"] != full.meta["data"]
    assert full.meta["data"] == training.fit(items).meta["data"]  # deterministic at weight 1

    def dist(a, b) -> float:
        """How far two trigger models are apart, over the features both know."""
        common = sorted(set(a.features) & set(b.features))
        ia, ib = [a.index[f] for f in common], [b.index[f] for f in common]
        return float(np.abs(a.coef[:, ia] - b.coef[:, ib]).sum())

    assert dist(light.triggers, without.triggers) < dist(full.triggers, without.triggers)
    assert dist(light.triggers, full.triggers) > 0


def _one_set(tmp_path: Path, weight) -> tuple[Path, Path]:
    gold, articles = tmp_path / "gold", tmp_path / "articles"
    gold.mkdir()
    articles.mkdir()
    for path in DATA.joinpath("gold").glob("t01_*"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["train_weight"] = weight
        gold.joinpath(path.name).write_text(json.dumps(data), encoding="utf-8")
    for path in DATA.joinpath("articles").glob("t01_*"):
        shutil.copy(path, articles)
    return gold, articles


@pytest.mark.parametrize("weight", [0, -0.5, 1.5, "high", True, None])
def test_a_weight_outside_0_to_1_is_refused_naming_the_file(tmp_path, weight):
    from newsgraph.evaluate.crossval import load_examples

    gold, articles = _one_set(tmp_path, weight)
    with pytest.raises(InputError) as err:
        load_examples(gold, articles)
    message = str(err.value)
    assert message.startswith(str(gold / "t01_")) and "train_weight must be a number above 0 and at most 1" in message
    assert "\n" not in message


def test_a_weight_in_range_is_read(tmp_path):
    from newsgraph.evaluate import training
    from newsgraph.evaluate.crossval import load_examples

    (example,) = load_examples(*_one_set(tmp_path, 0.4))
    assert training.train_weight(example) == 0.4
