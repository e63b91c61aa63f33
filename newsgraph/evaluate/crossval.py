"""k-fold cross-validation by article: fit on k-1 folds, score the held-back fold, never an article
the extractor was fit on; the in-sample score (fit and scored on everything) is reported beside it."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.evaluate.scoring import MEASURES, ArticleScore, Counts, headline
from newsgraph.model import Article


@dataclass
class Example:
    """One annotated article: its gold (the shared format) and the article it was made from."""

    name: str
    article: Article
    gold: dict
    parsed: Any = None  # filled by the learner (the spaCy Doc), so folds parse each article once


@dataclass
class FoldReport:
    fold: int
    articles: list[str]
    scores: dict


@dataclass
class Report:
    """Cross-validated and in-sample scores; `cv` pools the held-back folds' counts (micro-average)."""

    folds: list[FoldReport]
    cv: dict
    in_sample: dict | None
    k: int
    articles: int
    notes: list[str] = field(default_factory=list)
    # with repeats: each repetition's pooled scores, the first (the fixed folds, `cv`) included
    repeats: list[dict] = field(default_factory=list)
    # the same predictions scored on a subset of the articles alone (`cross_validate(subset=...)`)
    subset: Subset | None = None

    def fold_range(self, measure: str) -> tuple[float, float, float]:
        """Mean, lowest and highest of one measure over the folds (of the fixed folds)."""
        return _spread([headline(f.scores)[measure] for f in self.folds])

    def repeat_range(self, measure: str) -> tuple[float, float, float]:
        """Mean, lowest and highest of one measure's pooled score over the repetitions of the
        cross-validation on other splits: how much the number owes to the split."""
        return _spread([headline(r)[measure] for r in self.repeats or [self.cv]])

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "k": self.k,
            "articles": self.articles,
            "cv": self.cv,
            "cv_folds": {m: dict(zip(("mean", "min", "max"), self.fold_range(m), strict=True)) for m in MEASURES},
            "in_sample": self.in_sample,
            "folds": [{"fold": f.fold, "articles": f.articles, "scores": f.scores} for f in self.folds],
            "notes": self.notes,
        }
        if len(self.repeats) > 1:
            out["repeats"] = self.repeats
            out["cv_repeats"] = {
                m: dict(zip(("mean", "min", "max"), self.repeat_range(m), strict=True)) for m in MEASURES
            }
        if self.subset is not None:
            out["subset"] = self.subset.to_dict()
        return out


@dataclass
class Subset:
    """Cross-validated and in-sample scores of some of the articles alone, from the same folds and
    fits as the whole report: say, the articles no hand rule was written from."""

    pattern: str
    articles: list[str]
    cv: dict
    in_sample: dict | None
    repeats: list[dict] = field(default_factory=list)

    def repeat_range(self, measure: str) -> tuple[float, float, float]:
        """As `Report.repeat_range`, for these articles alone."""
        return _spread([headline(r)[measure] for r in self.repeats or [self.cv]])

    def to_dict(self) -> dict:
        out = {"pattern": self.pattern, "articles": self.articles, "cv": self.cv, "in_sample": self.in_sample}
        if len(self.repeats) > 1:
            out["repeats"] = self.repeats
        return out


def _spread(values: list[float]) -> tuple[float, float, float]:
    """Mean (to 3 places), lowest and highest."""
    return round(statistics.fmean(values), 3), min(values), max(values)


def load_examples(gold_dir: str | Path, articles_dir: str | Path) -> list[Example]:
    """Gold files and the articles they annotate (matched by file name), in file-name order."""
    from newsgraph.ingest.sources import Skipped, read_sources

    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: not a directory of gold annotations")
    if not articles_dir.is_dir():
        raise InputError(f"{articles_dir}: not a directory of articles")
    articles: dict[str, Article] = {}
    for item in read_sources([str(articles_dir)]):
        if isinstance(item, Skipped):
            raise InputError(f"{item.source}: {item.reason}")
        articles[Path(item.source).name] = item
    examples = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
            name = gold["article"]
            gold["entities"], gold["events"]  # noqa: B018 (the shape the scorer needs)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: not a gold annotation ({' '.join(str(exc).split())[:80]})") from None
        if name not in articles:
            raise InputError(f"{path}: its article {name!r} is not in {articles_dir}")
        weight = gold.get("train_weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise InputError(f"{path}: train_weight must be a number above 0 and at most 1, not {weight!r}")
        for flag in ("train_dates", "train_events"):
            if not isinstance(gold.get(flag, True), bool):
                raise InputError(f"{path}: {flag} must be true or false, not {gold[flag]!r}")
        examples.append(Example(name, articles[name], gold))
    if not examples:
        raise InputError(f"{gold_dir}: no gold annotations (*.json)")
    return examples


def assign_folds(names: Sequence[str], k: int, repeat: int = 0) -> dict[str, int]:
    """Fixed folds: articles ordered by a hash of their file name, dealt round-robin into k folds,
    so folds are balanced, the same on every machine, and independent of the order given. Each
    `repeat` after the first orders them by another hash: another split, as fixed."""
    if not 2 <= k <= len(names):
        raise InputError(f"--folds must be between 2 and the number of articles ({len(names)}), not {k}")
    salt = f"{repeat}\x00" if repeat else ""
    ranked = sorted(names, key=lambda n: hashlib.sha256((salt + n).encode("utf-8")).hexdigest())
    return {name: i % k for i, name in enumerate(ranked)}


Fit = Callable[[list[Example]], Any]
Predict = Callable[[Any, list[Example]], dict[str, dict]]


def teaches_events(ex: Example) -> bool:
    """Whether an article's gold has events to learn from and score against: not when it says
    `"train_events": false` (annotated for its entities alone, whose empty event list would teach that
    nothing happens and count every predicted event as wrong)."""
    return ex.gold.get("train_events", True) is not False


def score_examples(examples: list[Example], predictions: dict[str, dict]) -> Counts:
    total = Counts()
    for ex in examples:
        counts = ArticleScore(ex.gold, predictions.get(ex.name)).counts()
        total = total + (counts if teaches_events(ex) else counts.entities_only())
    return total


def cross_validate(
    examples: list[Example],
    fit: Fit,
    predict: Predict,
    k: int = 5,
    in_sample: bool = True,
    progress: Callable[[str], None] | None = None,
    repeats: int = 1,
    done: Callable[[], None] | None = None,
    subset: str | None = None,
    extra: int = 0,
) -> Report:
    """Score `predict(fit(train), test)` on each held-back fold; pool the folds' counts for `cv`.
    With `repeats`, the whole cross-validation again on that many splits in all (`cv` and the
    folds stay the fixed split's). `progress` hears what each fit is about to do, `done` when it
    has been scored: `repeats * k` times, once more for the in-sample score. With `subset` (a
    file-name pattern, as fnmatch reads it), the matching articles' predictions are also scored
    on their own (`Report.subset`); every article is still fit on and scored as before. `extra`:
    how many more articles `fit` adds to each training set (for the progress lines)."""
    if repeats < 1:
        raise InputError(f"--repeats must be 1 or more, not {repeats}")
    chosen = {ex.name for ex in examples if fnmatch.fnmatchcase(ex.name, subset)} if subset is not None else set()
    if subset is not None and not chosen:
        raise InputError(f"--subset {subset!r}: no article's file name matches it")
    also = f" and the {extra} of --extra" if extra else ""
    reports: list[FoldReport] = []
    pooled_by_repeat, subset_by_repeat = [], []
    for repeat in range(repeats):
        folds = assign_folds([ex.name for ex in examples], k, repeat)
        pooled, pooled_subset = Counts(), Counts()
        for fold in range(k):
            train = [ex for ex in examples if folds[ex.name] != fold]
            test = [ex for ex in examples if folds[ex.name] == fold]
            if progress:
                split = f"split {repeat + 1}/{repeats}, " if repeats > 1 else ""
                progress(f"{split}fold {fold + 1}/{k}: fit on {len(train)} articles{also}, score {len(test)}")
            predictions = predict(fit(train), test)
            counts = score_examples(test, predictions)
            pooled_subset = pooled_subset + score_examples([ex for ex in test if ex.name in chosen], predictions)
            if done:
                done()
            pooled = pooled + counts
            if repeat == 0:
                reports.append(FoldReport(fold, sorted(ex.name for ex in test), counts.scores()))
        pooled_by_repeat.append(pooled.scores())
        subset_by_repeat.append(pooled_subset.scores())
    whole = whole_subset = None
    if in_sample:
        if progress:
            progress(f"in-sample: fit on all {len(examples)} articles{also} and score them")
        predictions = predict(fit(examples), examples)
        whole = score_examples(examples, predictions).scores()
        whole_subset = score_examples([ex for ex in examples if ex.name in chosen], predictions).scores()
        if done:
            done()
    report = Report(reports, pooled_by_repeat[0], whole, k, len(examples), repeats=pooled_by_repeat)
    if subset is not None:
        report.subset = Subset(subset, sorted(chosen), subset_by_repeat[0], whole_subset, subset_by_repeat)
    return report
