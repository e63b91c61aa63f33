"""`newsgraph unmerge`: a merge cross-article resolution made, undone and kept undone (jobs.unmerge)."""

from __future__ import annotations

import click

from newsgraph import jobs
from newsgraph.commands.options import model_option, named_store, store_credentials, store_options
from newsgraph.commands.output import CliWatcher, example


@click.command("unmerge", epilog=example('newsgraph unmerge "Heidi Connor" "Heidi Conner"'))
@click.argument("actor")
@click.argument("name")
@store_options
@click.option(
    "--pipeline",
    envvar="NEWSGRAPH_PIPELINE",
    help="spaCy pipeline to extract the articles again with (the one they were ingested with).",
)
@click.option(
    "--gazetteer",
    envvar="NEWSGRAPH_GAZETTEER",
    type=click.Path(dir_okay=False),
    help="Your actor gazetteer YAML (the one the articles were ingested with).",
)
@model_option
def command(actor, name, store_uri, username, password, database, pipeline, gazetteer, model):
    """Undo the merges of NAME into ACTOR (its name or id) that `newsgraph query merges` lists.

    The store keeps the two apart from now on, so no later article merges them either, and each
    article that made such a merge is extracted again from the text the store holds and written
    again in its place. No file to edit.
    """
    uri = named_store(store_uri)
    watcher = CliWatcher()
    done = jobs.unmerge(
        actor,
        name,
        store=uri,
        store_options=store_credentials(uri, username, password, database),
        pipeline=pipeline,
        gazetteer=gazetteer,
        model=model,
        watcher=watcher,
    )
    click.echo(f"newsgraph: {done.summary()}", err=True)
