"""Annotated sets that are only trained on (`--extra`): in every fit, never scored; and a gold file
whose dates were not checked (`"train_dates": false`) teaches the layer that dates events nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.errors import InputError

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data"


def _split(tmp_path: Path) -> tuple[tuple[Path, Path], tuple[Path, Path]]:
    """Our own eight articles as two sets: t01-t04 and t05-t08, each a gold and an articles directory."""
    sets = []
    for name, pattern in (("first", "t0[1-4]_*"), ("second", "t0[5-8]_*")):
        gold, articles = tmp_path / name / "gold", tmp_path / name / "articles"
        gold.mkdir(parents=True)
        articles.mkdir()
        for path in DATA.joinpath("gold").glob(pattern):
            shutil.copy(path, gold)
        for path in DATA.joinpath("articles").glob(pattern):
            shutil.copy(path, articles)
        sets.append((gold, articles))
    return sets[0], sets[1]


def test_extra_articles_are_in_every_fit_and_never_scored(tmp_path, monkeypatch):
    from newsgraph.evaluate import Trainer, evaluate

    scored, extra = _split(tmp_path)
    sizes: list[list[str]] = []
    real_fit = Trainer.fit

    def fit(self, examples):
        sizes.append(sorted(ex.name[:3] for ex in examples))
        return real_fit(self, examples)

    monkeypatch.setattr(Trainer, "fit", fit)
    said: list[str] = []
    report = evaluate(*scored, folds=2, extra=[extra], progress=said.append)
    second = ["t05", "t06", "t07", "t08"]
    assert len(sizes) == 3  # two folds, then in-sample
    for fitted in sizes[:2]:
        assert len(fitted) == 6 and fitted[2:] == second  # two of the first set, and all the second
    assert sizes[2] == ["t01", "t02", "t03", "t04", *second]
    assert report.articles == 4
    assert sorted(name[:3] for fold in report.folds for name in fold.articles) == ["t01", "t02", "t03", "t04"]
    assert "every fit also trained on the 4 articles of --extra, which are never scored" in report.notes
    assert "fold 1/2: fit on 2 articles and the 4 of --extra, score 2" in said
    assert "in-sample: fit on all 4 articles and the 4 of --extra and score them" in said

    sizes.clear()
    alone = evaluate(*scored, folds=2)
    assert [len(fitted) for fitted in sizes] == [2, 2, 4]
    assert alone.cv != report.cv  # four more articles to learn from change what the folds predict

    rules = evaluate(*scored, folds=2, rules_only=True, extra=[extra])
    assert "--extra is not used: the hand rules alone are trained on nothing" in rules.notes


def test_an_article_in_both_sets_is_refused_by_name(tmp_path):
    from newsgraph.evaluate import train

    scored, _ = _split(tmp_path)
    with pytest.raises(InputError, match=r"first/gold: 't01_succession\.txt' is annotated twice \(also in an earlier"):
        train(*scored, extra=[scored])


def test_train_command_learns_from_the_extra_set_too(tmp_path):
    scored, extra = _split(tmp_path)
    out = tmp_path / "model.json"
    args = ["train", *map(str, scored), "--extra", *map(str, extra), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "trained on 8 articles" in result.output
    assert json.loads(out.read_text())["meta"]["articles"] == 8


def test_a_gold_file_whose_dates_were_not_checked_teaches_no_dating():
    from newsgraph.evaluate import training
    from newsgraph.evaluate.crossval import load_examples
    from newsgraph.ingest.pipeline import Extractor, Settings

    examples = load_examples(DATA / "gold", DATA / "articles")
    extractor = Extractor(Settings(), model="rules")
    training.parse(examples, extractor)
    dated = {ex.name: len(training.featurize(ex, extractor).dating) for ex in examples}
    name = max(dated, key=dated.get)
    assert dated[name] > 0  # an article that teaches dating
    example = next(ex for ex in examples if ex.name == name)
    example.gold["train_dates"] = False
    parsed = training.featurize(example, extractor)
    assert parsed.dating == [] and parsed.labels  # its events still teach the triggers
