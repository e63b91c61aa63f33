"""`newsgraph demo`: the whole job on the example articles shipped with the package (jobs.demo)."""

from __future__ import annotations

from pathlib import Path

import click

from newsgraph import jobs
from newsgraph.commands.output import CliWatcher, example


@click.command("demo", epilog=example("newsgraph demo", "newsgraph demo --dir /tmp/newsgraph-demo"))
@click.option(
    "--dir",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Where to put the demo store, HTML and Turtle (default: a per-user demo directory).",
)
def command(out_dir):
    """Run the whole job on the example articles newsgraph ships: extract, store, query, RDF, HTML."""
    click.echo(jobs.demo(Path(out_dir) if out_dir else None, watcher=CliWatcher()))
