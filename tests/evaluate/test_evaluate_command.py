"""`newsgraph evaluate` on our own annotated articles (tests/data): the cross-validation it prints,
and with --repeats the spread of each measure over several splits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.evaluate.scoring import MEASURES

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data"


def _evaluate(*args: str):
    result = CliRunner().invoke(cli, ["evaluate", str(DATA / "gold"), str(DATA / "articles"), *args])
    assert result.exit_code == 0, result.output
    return result


def test_repeats_report_each_split_and_each_measure_s_spread_over_them():
    report = json.loads(_evaluate("--folds", "2", "--repeats", "2", "--format", "json").stdout)
    assert len(report["repeats"]) == 2 and report["repeats"][0] == report["cv"]
    assert report["repeats"][1] != report["cv"]  # another split, another model on each fold
    assert set(report["cv_repeats"]) == set(MEASURES)
    for spread in report["cv_repeats"].values():
        assert spread["min"] <= spread["mean"] <= spread["max"]


def test_the_table_shows_the_spread_only_when_repeated():
    once = _evaluate("--folds", "2", "--rules").stdout
    twice = _evaluate("--folds", "2", "--rules", "--repeats", "2").stdout
    assert "2-fold CV" in once and "splits mean" not in once
    assert "2 splits mean" in twice and "split range" in twice
