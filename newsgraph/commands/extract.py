"""`newsgraph extract`: actors and events of articles, printed (JSONL, JSON or tables)."""

from __future__ import annotations

import json

import click

from newsgraph import jobs
from newsgraph.commands.options import nlp_options, source_options
from newsgraph.commands.output import CliWatcher, example, print_rows
from newsgraph.terminal import json_safe


@click.command(
    "extract",
    epilog=example(
        "newsgraph extract articles/ --format jsonl > extraction.jsonl",
        "newsgraph extract https://example.org/news/1 --format table",
    ),
)
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl", show_default=True)
@nlp_options
@source_options
@click.option("--shard", metavar="I/K", help="Only the articles whose content hash falls in shard I of K (0-based).")
def command(paths, fmt, pipeline, gazetteer, date, model, timeout, max_bytes, no_follow, workers, shard):
    """Extract actors and events from articles and print them.

    PATHS are files, directories (.txt .md .html .jsonl, feeds), URLs, RSS/Atom feeds, or - for stdin.
    """
    watcher = CliWatcher()
    inputs = jobs.Inputs(paths, date, watcher=watcher, timeout=timeout, max_bytes=max_bytes, follow_links=not no_follow)
    part = jobs.parse_shard(shard) if shard else None
    results = jobs.extract(inputs, jobs.settings(pipeline, gazetteer, model), workers=workers, shard=part)
    if fmt == "jsonl":
        for ex in results:
            click.echo(json_safe(json.dumps(ex.to_dict(), ensure_ascii=False)))
    elif fmt == "json":
        click.echo(json_safe(json.dumps([ex.to_dict() for ex in results], ensure_ascii=False, indent=2)))
    else:
        for ex in results:
            _print_extraction_table(ex)
    inputs.check()
    if inputs.summary():
        click.echo(f"newsgraph: {inputs.read} extracted, {inputs.summary()}", err=True)


def _print_extraction_table(ex) -> None:
    names = {e.id: e.name for e in ex.entities}
    title = ex.article.title or ex.article.source
    print_rows(
        [{"name": e.name, "type": e.type, "aliases": e.aliases, "mentions": len(e.mentions)} for e in ex.entities],
        "table",
        f"{title}: actors",
    )
    print_rows(
        [
            {
                "category": v.category,
                "trigger": v.trigger,
                "agents": [names.get(a, a) for a in v.agents],
                "patients": [names.get(p, p) for p in v.patients],
                "date": v.date,
                "modality": v.modality,
                "sentence": v.evidence,
            }
            for v in ex.events
        ],
        "table",
        f"{title}: events",
    )
