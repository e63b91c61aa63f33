"""`newsgraph evaluate` on our own annotated articles (tests/data): the cross-validation it prints,
and with --repeats the spread of each measure over several splits."""

from __future__ import annotations

import json
import subprocess
import sys
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


def _counts(scores: dict) -> dict:
    """The counts behind each F1 measure, and the number of events behind each date measure."""
    return {m: (s["tp"], s["pred"], s["gold"]) if "tp" in s else s["n"] for m, s in scores.items() if m in MEASURES}


def test_a_subset_and_the_rest_add_up_to_the_whole():
    # the same folds and fits: what the articles t01-t04 and t05-t08 score on their own sums to the whole
    first = json.loads(_evaluate("--folds", "2", "--subset", "t0[1-4]_*", "--format", "json").stdout)
    rest = json.loads(_evaluate("--folds", "2", "--subset", "t0[5-8]_*", "--format", "json").stdout)
    assert first["cv"] == rest["cv"] and first["in_sample"] == rest["in_sample"]
    assert first["subset"]["articles"] == [
        f"t0{i}_{n}"
        for i, n in ((1, "succession.txt"), (2, "unions_letter.txt"), (3, "court.txt"), (4, "constructions.txt"))
    ]
    for key in ("cv", "in_sample"):
        a, b, whole = _counts(first["subset"][key]), _counts(rest["subset"][key]), _counts(first[key])
        assert whole["events"][0] > 0  # something to add up
        for m in whole:
            together = tuple(x + y for x, y in zip(a[m], b[m], strict=True)) if isinstance(a[m], tuple) else a[m] + b[m]
            assert together == whole[m], (key, m)


def test_a_subset_of_every_article_is_the_whole_and_the_table_shows_it():
    report = json.loads(_evaluate("--folds", "2", "--rules", "--subset", "*", "--format", "json").stdout)
    assert report["subset"]["cv"] == report["cv"] and report["subset"]["in_sample"] == report["cv"]
    table = _evaluate("--folds", "2", "--rules", "--subset", "t03_*").stdout
    assert "the 1 matching 't03_*' alone" in table


def test_a_subset_that_matches_nothing_is_a_one_line_error():
    args = ["evaluate", str(DATA / "gold"), str(DATA / "articles"), "--subset", "x*"]
    run = subprocess.run(
        [sys.executable, "-c", "from newsgraph.cli import main; main()", *args], capture_output=True, text=True
    )
    assert run.returncode != 0
    errors = [line for line in run.stderr.splitlines() if "error" in line]
    assert errors == ["newsgraph: error: --subset 'x*': no article's file name matches it"], run.stderr
