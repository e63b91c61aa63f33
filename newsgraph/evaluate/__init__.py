"""Training and evaluating the extractor on gold annotations (the shared format of eval/README.md).

`train` fits the trained event layer on every annotated article; `evaluate` scores it by k-fold
cross-validation by article (never on an article it was fit on) and in-sample beside it. Both take
`extra` sets of annotated articles that are only ever trained on: in every fold's training set and in
the in-sample fit, never scored (say, articles written to teach the model, whose scores would say
nothing about news).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.evaluate.crossval import Example, Report, cross_validate, load_examples, teaches_events
from newsgraph.ingest.trained import TrainedModel

Progress = Callable[[str], None]
Sets = Sequence[tuple[str | Path, str | Path]]  # (gold directory, articles directory) pairs


def split_thresholds(values: dict[str, float] | None) -> tuple[dict[str, float], dict[str, float]]:
    """Decision thresholds given by name (`--threshold NAME=VALUE`) as (entity layer's, event
    layer's), each name checked against the thresholds that layer reads, each value between 0 and 1:
    a wrong name or value is an InputError naming it."""
    from newsgraph.evaluate.training import THRESHOLDS
    from newsgraph.ingest.entity_model import DEFAULT_THRESHOLDS as ENTITY_THRESHOLDS
    from newsgraph.ingest.events.classifier import DEFAULT_THRESHOLDS as EVENT_THRESHOLDS
    from newsgraph.ingest.taxonomy import load_taxonomy

    per_category = ("trigger", "keep")  # the event layer's thresholds that a category may have its own of
    categories = sorted(load_taxonomy())
    event_names = set(EVENT_THRESHOLDS) | set(THRESHOLDS) | {f"{t}.{c}" for t in per_category for c in categories}
    entities: dict[str, float] = {}
    events: dict[str, float] = {}
    for name, value in (values or {}).items():
        if name in ENTITY_THRESHOLDS:
            entities[name] = value
        elif name in event_names:
            events[name] = value
        else:
            plain = sorted(n for n in set(EVENT_THRESHOLDS) | set(THRESHOLDS) if "." not in n)
            known = ", ".join([*plain, *sorted(ENTITY_THRESHOLDS)])
            raise InputError(
                f"--threshold {name}: no such threshold (one of {known}, or trigger.CATEGORY / keep.CATEGORY)"
            )
        if not 0 <= value <= 1:
            raise InputError(f"--threshold {name}: a probability between 0 and 1, not {value}")
    return entities, events


def load_extra(extra: Sets, scored: list[Example]) -> list[Example]:
    """The examples of the `extra` sets; refused when a file name is also one of the scored
    articles' (predictions and folds are keyed by file name)."""
    names = {ex.name for ex in scored}
    out: list[Example] = []
    for gold_dir, articles_dir in extra:
        for ex in load_examples(gold_dir, articles_dir):
            if ex.name in names:
                raise InputError(f"{gold_dir}: {ex.name!r} is annotated twice (also in an earlier set)")
            names.add(ex.name)
            out.append(ex)
    return out


class Trainer:
    """Gold articles parsed once, to fit both trained layers on any subset of them: the entity layer
    first, then the event layer on the candidates that entity layer's actors give."""

    def __init__(
        self,
        examples: list[Example],
        settings=None,
        progress: Progress | None = None,
        thresholds: dict[str, float] | None = None,
    ):
        from newsgraph.evaluate import training
        from newsgraph.ingest.pipeline import Extractor, Settings

        self.examples = examples
        self.settings = settings or Settings()
        # decision thresholds other than the shipped ones, checked before the long parse
        self.entity_thresholds, self.event_thresholds = split_thresholds(thresholds)
        self.rules = Extractor(self.settings, model="rules")
        self.say = progress or (lambda _: None)
        self.say(f"parsing {len(examples)} articles")
        training.parse(examples, self.rules)

    def fit(self, examples: list[Example]) -> TrainedModel:
        from newsgraph.evaluate import training
        from newsgraph.evaluate.entity_training import fit_entity_model
        from newsgraph.ingest.pipeline import Extractor

        examples = sorted(examples, key=lambda e: e.name)
        entities = fit_entity_model(examples, self.rules, thresholds=self.entity_thresholds)
        with_entities = Extractor(self.settings, model=TrainedModel(entities=entities))
        parsed = [training.featurize(ex, with_entities) for ex in examples if teaches_events(ex)]
        events = training.fit(parsed, thresholds=self.event_thresholds)
        info = self.rules.info
        meta = {"articles": len(examples), "pipeline": f"{info.model} {info.version}"}
        return TrainedModel(entities, events, meta)

    def predict(self, model: TrainedModel | None, examples: list[Example]) -> dict[str, dict]:
        from newsgraph.ingest.pipeline import Extractor

        extractor = Extractor(self.settings, model=model)
        return {ex.name: extractor.from_doc(ex.article, ex.parsed).to_dict() for ex in examples}


def train(
    gold_dir: str | Path,
    articles_dir: str | Path,
    settings=None,
    progress: Progress | None = None,
    extra: Sets = (),
    thresholds: dict[str, float] | None = None,
) -> TrainedModel:
    """The trained layers fit on every article of GOLD_DIR (their text in ARTICLES_DIR) and of the
    `extra` sets; `thresholds` by name replace the shipped decision thresholds (`split_thresholds`)."""
    split_thresholds(thresholds)  # a wrong name fails before the articles are read
    examples = load_examples(gold_dir, articles_dir)
    examples += load_extra(extra, examples)
    trainer = Trainer(examples, settings, progress, thresholds)
    if progress:
        progress(f"fitting the entity and event layers on {len(examples)} articles")
    return trainer.fit(examples)


def evaluate(
    gold_dir: str | Path,
    articles_dir: str | Path,
    folds: int = 5,
    settings=None,
    rules_only: bool = False,
    progress: Progress | None = None,
    repeats: int = 1,
    done: Callable[[], None] | None = None,
    subset: str | None = None,
    extra: Sets = (),
    thresholds: dict[str, float] | None = None,
) -> Report:
    """k-fold cross-validation by article, and the in-sample score beside it. With `rules_only`,
    the hand rules alone (nothing is fit, so the two agree). `done` is called as each of the
    `fits(folds, repeats, rules_only)` fits has been scored. The `extra` sets' articles are added
    to every fit and never scored. `thresholds` by name replace the shipped decision thresholds in
    every fit: how a threshold would do on your articles, scored on articles it was not fit on."""
    split_thresholds(thresholds)  # a wrong name fails before the articles are read
    examples = load_examples(gold_dir, articles_dir)
    more = [] if rules_only else load_extra(extra, examples)
    trainer = Trainer(examples + more, settings, progress, None if rules_only else thresholds)
    if rules_only:
        # Nothing is fit: every split pools the same predictions of every article, which are the
        # in-sample ones too. One pass gives them all.
        report = cross_validate(
            examples,
            lambda _: None,
            trainer.predict,
            folds,
            in_sample=False,
            progress=progress,
            done=done,
            subset=subset,
        )
        for scored in (report, report.subset):
            if scored is not None:
                scored.in_sample = scored.cv
                scored.repeats = [scored.cv] * repeats
        report.notes.append("the hand rules alone: nothing is fit, so cross-validated and in-sample agree")
        if extra:
            report.notes.append("--extra is not used: the hand rules alone are trained on nothing")
        if thresholds:
            report.notes.append("--threshold is not used: the hand rules alone have no trained layer to decide")
        return report
    report = cross_validate(
        examples,
        lambda train: trainer.fit(train + more),
        trainer.predict,
        folds,
        in_sample=True,
        progress=progress,
        repeats=repeats,
        done=done,
        subset=subset,
        extra=len(more),
    )
    if more:
        report.notes.append(f"every fit also trained on the {len(more)} articles of --extra, which are never scored")
    if thresholds:
        given = ", ".join(f"{name}={value:g}" for name, value in sorted(thresholds.items()))
        report.notes.append(f"every fit decides with {given} in place of the shipped thresholds")
    return report


def fits(folds: int, repeats: int = 1, rules_only: bool = False) -> int:
    """How many times `evaluate` fits and scores: each fold of each split and the whole corpus once
    (with the rules alone, each fold of one split: nothing is fit)."""
    return folds if rules_only else folds * repeats + 1


__all__ = ["Report", "Trainer", "evaluate", "fits", "split_thresholds", "train"]
