"""`newsgraph evaluate`: extraction scored on annotated articles by k-fold cross-validation by article."""

from __future__ import annotations

import json

import click

from newsgraph import jobs
from newsgraph.commands.options import extra_option, gold_options, threshold_option
from newsgraph.commands.output import Progress, example, print_rows, step
from newsgraph.terminal import json_safe


@click.command(
    "evaluate",
    epilog=example(
        "newsgraph evaluate gold/ articles/ --folds 5",
        "newsgraph evaluate gold/ articles/ --rules",
        "newsgraph evaluate gold/ articles/ --repeats 3",
        "newsgraph evaluate gold/ articles/ --subset '[a-z]*'",
        "newsgraph evaluate gold/ articles/ --threshold trigger=0.6",
    ),
)
@gold_options
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2), help="k of the k-fold cross-validation.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--rules", "rules_only", is_flag=True, help="Score the hand rules alone, without the trained layer.")
@click.option(
    "--repeats",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Cross-validate on this many splits in all (the fixed one first) and show each measure's "
    "mean and range over them: how much a number, or a change in it, owes to the split.",
)
@click.option(
    "--subset",
    metavar="GLOB",
    help="Also score the articles whose file names match GLOB on their own, from the same folds "
    "and fits: say, the articles no hand rule was written from, whose scores are the honest "
    "measure of the rules too.",
)
@extra_option(
    "Another annotated set that every fit trains on as well and that is never scored (repeatable): "
    "articles written to teach the model, say, whose own scores would say nothing about news."
)
@threshold_option
def command(gold_dir, articles_dir, pipeline, gazetteer, folds, fmt, rules_only, repeats, subset, extra, thresholds):
    """Score extraction on annotated articles by k-fold cross-validation by article: train on k-1
    folds, score the held-back fold as eval/score.py does, never on an article the model was fit on.
    Prints each measure pooled over the folds, its mean and range over folds, and the in-sample score
    (fit and scored on everything) beside it: a large gap means over-fitting. With --repeats, also
    each measure's mean and range over several splits: a change smaller than that range is noise.
    """
    from newsgraph.evaluate import evaluate as run_evaluation
    from newsgraph.evaluate import fits

    # A bar over the fits (each fold of each split, then the in-sample one), the steps above it.
    label = "scoring the rules" if rules_only else "cross-validating"
    starting = "parsing the articles, then the first fold"
    unit = "fold" if rules_only else "fit"  # the rules alone are scored on each fold, never fit
    with Progress(label, fits(folds, repeats, rules_only), starting, unit=unit) as bar:
        report = run_evaluation(
            gold_dir,
            articles_dir,
            folds,
            jobs.settings(pipeline, gazetteer, "rules"),
            rules_only=rules_only,
            progress=step,
            repeats=repeats,
            done=bar.advance,
            subset=subset,
            extra=extra,
            thresholds=thresholds,
        )
    if fmt == "json":
        click.echo(json_safe(json.dumps(report.to_dict(), indent=2)))
        return
    kind = "hand rules alone" if rules_only else "trained layer"
    print_rows(
        _rows(report, repeats, report.k), "table", f"{report.articles} articles, {report.k} folds by article ({kind})"
    )
    if report.subset is not None:
        sub = report.subset
        title = f"of those, the {len(sub.articles)} matching {sub.pattern!r} alone (same folds and fits)"
        print_rows(_rows(sub, repeats, report.k), "table", title)
    for note in report.notes:
        step(note)


def _rows(report, repeats: int, k: int) -> list[dict]:
    """One row per measure: pooled CV, (for the whole report) the mean and range over folds, over
    splits with --repeats, the in-sample score and the gap."""
    from newsgraph.evaluate.crossval import Report
    from newsgraph.evaluate.scoring import MEASURES, headline

    cv, whole = headline(report.cv), headline(report.in_sample or report.cv)
    rows = []
    for m in MEASURES:
        detail = report.cv[m]
        counts = (
            f"P {detail['precision']:.3f} R {detail['recall']:.3f}" if "f1" in detail else f"over {detail['n']} events"
        )
        row = {"measure": m, f"{k}-fold CV": f"{cv[m]:.3f}"}
        if isinstance(report, Report):  # a subset has no folds of its own
            mean, lo, hi = report.fold_range(m)
            row.update({"fold mean": f"{mean:.3f}", "fold range": f"{lo:.3f}-{hi:.3f}"})
        if repeats > 1:
            r_mean, r_lo, r_hi = report.repeat_range(m)
            row[f"{repeats} splits mean"] = f"{r_mean:.3f}"
            row["split range"] = f"{r_lo:.3f}-{r_hi:.3f}"
        row.update({"in-sample": f"{whole[m]:.3f}", "gap": f"{whole[m] - cv[m]:+.3f}", "CV detail": counts})
        rows.append(row)
    return rows
