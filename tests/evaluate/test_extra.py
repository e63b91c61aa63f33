"""Annotated sets that are only trained on (`--extra`): in every fit, never scored; a gold file
whose dates were not checked (`"train_dates": false`) teaches the layer that dates events nothing; and
one annotated for its entities alone (`"train_events": false`) teaches the event layer nothing."""

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


def test_a_gold_file_of_entities_alone_teaches_the_entity_layer_and_no_event():
    """`"train_events": false` with no events: the event layer is the one fit without the article (its
    empty event list must not teach that its verbs tell nothing), the entity layer learns from it."""
    from newsgraph.evaluate import Trainer
    from newsgraph.evaluate.crossval import load_examples

    examples = load_examples(DATA / "gold", DATA / "articles")
    entities_only = next(ex for ex in examples if ex.name.startswith("t05"))
    entities_only.gold = {**entities_only.gold, "events": [], "train_events": False}
    trainer = Trainer(examples)
    rest = [ex for ex in examples if ex is not entities_only]
    with_it, without = trainer.fit(examples), trainer.fit(rest)
    for layer in ("triggers", "roles", "dating"):
        assert getattr(with_it.events, layer).to_dict() == getattr(without.events, layer).to_dict(), layer
    assert with_it.events.trigger_nouns == without.events.trigger_nouns
    assert with_it.entities.to_dict()["types"] != without.entities.to_dict()["types"]


@pytest.mark.parametrize("flag", ["train_events", "train_dates"])
def test_a_training_flag_that_is_not_true_or_false_is_refused_naming_the_file(tmp_path, flag):
    from newsgraph.evaluate.crossval import load_examples

    scored, _ = _split(tmp_path)
    path = next(scored[0].glob("t01_*"))
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), flag: "no"}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_examples(*scored)
    assert str(err.value) == f"{path}: {flag} must be true or false, not 'no'"


def test_an_article_of_entities_alone_is_scored_on_its_entities_and_aliases_only():
    from newsgraph.evaluate.crossval import load_examples, score_examples

    examples = load_examples(DATA / "gold", DATA / "articles")
    example = examples[0]
    gold = example.gold
    prediction = {
        "entities": [{"id": f"e{k}", **e} for k, e in enumerate(gold["entities"])],
        "events": [{"category": "statement", "agents": ["e0"], "patients": [], "evidence": "Not in the gold."}],
    }
    full = score_examples([example], {example.name: prediction})
    assert full.events_pred == 1 and full.events_gold == len(gold["events"]) > 0
    example.gold = {**gold, "events": [], "train_events": False}
    alone = score_examples([example], {example.name: prediction})
    assert (alone.events_pred, alone.events_gold, alone.dates_all_n) == (0, 0, 0)
    assert (alone.entities_tp, alone.aliases_tp) == (full.entities_tp, full.aliases_tp) and alone.entities_tp > 0
