"""Decision thresholds other than the shipped ones (`--threshold NAME=VALUE` on train and evaluate):
written into the model file, applied in every fold's fit, and refused by name when wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.errors import InputError
from newsgraph.evaluate.training import THRESHOLDS

DATA = Path(__file__).resolve().parents[1] / "data"
GOLD, ARTICLES = DATA / "gold", DATA / "articles"


@pytest.mark.slow
def test_train_writes_the_thresholds_given_and_the_shipped_ones_for_the_rest(tmp_path):
    plain, tuned = tmp_path / "plain.json", tmp_path / "tuned.json"
    runner = CliRunner()
    result = runner.invoke(cli, ["train", str(GOLD), str(ARTICLES), "-o", str(plain)])
    assert result.exit_code == 0, result.output
    given = ["--threshold", "patient=0.05", "--threshold", "trigger.criticise=0.7", "--threshold", "merge=0.6"]
    result = runner.invoke(cli, ["train", str(GOLD), str(ARTICLES), *given, "-o", str(tuned)])
    assert result.exit_code == 0, result.output
    a, b = json.loads(plain.read_text()), json.loads(tuned.read_text())
    assert a["events"]["thresholds"] == THRESHOLDS  # as shipped
    assert b["events"]["thresholds"] == {**THRESHOLDS, "patient": 0.05, "trigger.criticise": 0.7}
    assert a["entities"]["thresholds"]["merge"] == 0.5
    assert b["entities"]["thresholds"] == {**a["entities"]["thresholds"], "merge": 0.6}


@pytest.mark.slow
def test_evaluate_decides_every_fit_with_the_thresholds_given():
    from newsgraph.evaluate import evaluate

    shipped = evaluate(GOLD, ARTICLES, folds=2)
    assert shipped.cv["events"]["pred"] > 0
    # Nothing reaches a probability above 1: no rule event stands and the model makes none, in
    # each held-back fold and in-sample.
    never = {"keep": 1.0, "keep.statement": 1.0, "trigger": 1.0, "trigger.other": 1.0}
    strict = evaluate(GOLD, ARTICLES, folds=2, thresholds=never)
    assert strict.cv["events"]["pred"] == 0 and strict.in_sample["events"]["pred"] == 0
    assert strict.cv["entities"] == shipped.cv["entities"]  # event thresholds leave the actors alone
    assert "every fit decides with keep=1, keep.statement=1, trigger=1, trigger.other=1" in " ".join(strict.notes)

    rules = evaluate(GOLD, ARTICLES, folds=2, rules_only=True, thresholds={"patient": 0.1})
    assert "--threshold is not used: the hand rules alone have no trained layer to decide" in rules.notes


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"patiente": 0.2}, r"--threshold patiente: no such threshold \(one of agent, dating, keep, patient, trigger"),
        ({"trigger.gossip": 0.2}, r"--threshold trigger\.gossip: no such threshold"),
        ({"patient": 1.5}, r"--threshold patient: a probability between 0 and 1, not 1\.5"),
        ({"merge": -0.1}, r"--threshold merge: a probability between 0 and 1, not -0\.1"),
        ({"dating": float("nan")}, r"--threshold dating: a probability between 0 and 1, not nan"),
    ],
)
def test_a_wrong_threshold_is_refused_by_name_before_anything_is_read(tmp_path, given, message):
    from newsgraph.evaluate import evaluate, train

    missing = tmp_path / "no-such-dir"  # never read: the threshold is checked first
    for run in (train, evaluate):
        with pytest.raises(InputError, match=message):
            run(missing, missing, thresholds=given)


@pytest.mark.parametrize("item", ["patient", "patient=", "=0.3", "patient=high"])
def test_the_command_line_refuses_a_threshold_that_is_not_name_equals_number(item, tmp_path):
    out = tmp_path / "m.json"
    result = CliRunner().invoke(cli, ["train", str(GOLD), str(ARTICLES), "--threshold", item, "-o", str(out)])
    assert result.exit_code == 2
    assert f"'{item}': expected NAME=VALUE" in result.output
    assert not out.exists()
