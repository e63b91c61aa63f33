"""`newsgraph train`: the trained layer fit on your annotations, written as one model file."""

from __future__ import annotations

from pathlib import Path

import click

from newsgraph import jobs
from newsgraph.commands.options import extra_option, gold_options, threshold_option
from newsgraph.commands.output import example, step
from newsgraph.errors import OutputError
from newsgraph.outputs import write_output


@click.command(
    "train",
    epilog=example(
        "newsgraph train gold/ articles/ -o my-model.json", "newsgraph extract articles/ --model my-model.json"
    ),
)
@gold_options
@extra_option("Another annotated set to train on as well (repeatable), such as training/written.")
@threshold_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Model file to write (JSON).")
def command(gold_dir, articles_dir, pipeline, gazetteer, extra, thresholds, output):
    """Train the event layer on your annotations: GOLD_DIR holds one JSON file per article in the
    shared gold format, ARTICLES_DIR the articles they annotate (matched by file name).

    The model holds weights and feature names only, no article text; the same gold gives the same
    bytes. Use it with `--model FILE` (or NEWSGRAPH_MODEL) on extract and ingest.
    """
    from newsgraph.evaluate import train as train_model

    settings = jobs.settings(pipeline, gazetteer, "rules")
    model = train_model(gold_dir, articles_dir, settings, progress=step, extra=extra, thresholds=thresholds)
    out = Path(output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output}: cannot write the model ({exc.strerror or exc})") from exc
    write_output(out, model.to_json())  # whole or not at all: a full disk leaves no partial model
    meta = model.events.meta if model.events is not None else {}
    step(
        f"trained on {model.meta['articles']} articles ({meta.get('events', 0)} events among "
        f"{meta.get('candidates', 0)} candidate triggers, {meta.get('role_pairs', 0)} actor pairs, "
        f"{meta.get('dating_events', 0)} undated-or-news events): {output}"
    )
