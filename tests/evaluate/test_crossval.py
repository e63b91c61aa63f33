"""Folds are fixed and balanced, and cross-validation never scores an article it was fit on."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import InputError
from newsgraph.evaluate.crossval import Example, assign_folds, cross_validate, load_examples
from newsgraph.model import Article

NAMES = [f"{i:03d}_article.txt" for i in range(23)]


def test_folds_are_balanced_fixed_and_independent_of_the_order_given():
    folds = assign_folds(NAMES, 5)
    sizes = sorted(list(folds.values()).count(k) for k in range(5))
    assert sizes == [4, 4, 5, 5, 5]
    assert assign_folds(list(reversed(NAMES)), 5) == folds
    # Pinned: a change here changes every cross-validated number reported so far.
    assert [folds[n] for n in NAMES[:8]] == [0, 0, 2, 1, 2, 2, 3, 1]


def test_a_fold_count_outside_two_to_n_is_refused():
    with pytest.raises(InputError, match="--folds must be between 2 and the number of articles"):
        assign_folds(NAMES[:3], 4)


def _example(name: str) -> Example:
    gold = {"article": name, "entities": [], "events": []}
    return Example(name, Article(body=f"Body of {name}.", source=name), gold)


def test_each_article_is_scored_once_by_a_model_that_never_saw_it():
    examples = [_example(n) for n in NAMES]
    seen_in_fit: list[set[str]] = []
    scored: list[str] = []

    def fit(train):
        names = {ex.name for ex in train}
        seen_in_fit.append(names)
        return names

    def predict(model, test):
        for ex in test:
            assert ex.name not in model, f"{ex.name} scored by a model fit on it"
            scored.append(ex.name)
        return {}

    report = cross_validate(examples, fit, predict, k=5, in_sample=False)
    assert sorted(scored) == sorted(NAMES)
    assert len(seen_in_fit) == 5 and all(len(s) in (18, 19) for s in seen_in_fit)
    assert report.in_sample is None and len(report.folds) == 5


def test_gold_without_its_article_is_named(tmp_path):
    gold, arts = tmp_path / "gold", tmp_path / "articles"
    gold.mkdir()
    arts.mkdir()
    (arts / "a.txt").write_text("date: 2024-01-02\n\nThe Harbour Trust met.\n")
    (gold / "a.json").write_text(json.dumps({"article": "a.txt", "entities": [], "events": []}))
    (gold / "b.json").write_text(json.dumps({"article": "b.txt", "entities": [], "events": []}))
    with pytest.raises(InputError, match=r"b.json: its article 'b.txt' is not in"):
        load_examples(gold, arts)
    (gold / "b.json").write_text("{not json")
    with pytest.raises(InputError, match=r"b.json: not a gold annotation"):
        load_examples(gold, arts)


def test_each_repeat_is_another_fixed_balanced_split_and_the_first_is_the_fixed_one():
    first = assign_folds(NAMES, 5, 0)
    assert first == assign_folds(NAMES, 5)
    second = assign_folds(NAMES, 5, 1)
    assert second != first
    assert second == assign_folds(list(reversed(NAMES)), 5, 1)
    assert sorted(list(second.values()).count(k) for k in range(5)) == [4, 4, 5, 5, 5]


def test_repeats_cross_validate_on_each_split_and_report_the_spread_over_splits():
    examples = [_example(n) for n in NAMES]
    for ex in examples[:11]:
        ex.gold["entities"] = [{"name": "Harbour Trust", "type": "Organisation", "aliases": []}]
    fits: list[frozenset[str]] = []

    def fit(train):
        fits.append(frozenset(ex.name for ex in train))
        return fits[-1]

    def predict(model, test):
        # a model "learns" the actor only from the first article: what it finds depends on the split
        found = [{"id": "o", "name": "Harbour Trust", "type": "Organisation"}] if NAMES[0] in model else []
        return {ex.name: {"entities": found, "events": []} for ex in test}

    report = cross_validate(examples, fit, predict, k=5, in_sample=False, repeats=3)
    assert len(fits) == 15 and len(set(fits)) > 5  # three splits of five folds, not one split thrice
    assert len(report.repeats) == 3 and report.repeats[0] == report.cv and len(report.folds) == 5
    mean, lo, hi = report.repeat_range("entities")
    assert lo < hi and lo <= mean <= hi
    assert report.to_dict()["cv_repeats"]["entities"] == {"mean": mean, "min": lo, "max": hi}
    with pytest.raises(InputError, match="--repeats must be 1 or more"):
        cross_validate(examples, fit, predict, k=5, repeats=0)
