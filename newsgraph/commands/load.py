"""`newsgraph load`: extractions made elsewhere written to the store (jobs.load)."""

from __future__ import annotations

import click

from newsgraph import jobs
from newsgraph.commands.options import engine_options, named_store, store_credentials, store_options, writers_option
from newsgraph.commands.output import CliWatcher, example


@click.command("load", epilog=example("newsgraph load shard-*.jsonl --store neo4j+s://<instance>.databases.neo4j.io"))
@click.argument("files", nargs=-1, required=True)
@store_options
@click.option(
    "--gazetteer",
    envvar="NEWSGRAPH_GAZETTEER",
    type=click.Path(dir_okay=False),
    help="Your actor gazetteer YAML (its not_same entries keep actors apart).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 2) at the first line that is not an extraction.")
@engine_options
@writers_option
def command(files, store_uri, username, password, database, gazetteer, strict, workers, scheduler, writers):
    """Load extractions made by `newsgraph extract --format jsonl` (e.g. on other machines) into the store.

    Nothing is extracted again; writes are per article and idempotent, as for `ingest`. A line that
    is not an extraction is skipped with a one-line reason and the others are loaded. On Dask
    (--workers N, --scheduler) the workers read the files; this process writes, in file order.
    """
    uri = named_store(store_uri)
    watcher = CliWatcher()
    run = jobs.load(
        files,
        store=uri,
        store_options=store_credentials(uri, username, password, database),
        gazetteer=gazetteer,
        strict=strict,
        engine_=jobs.engine(workers, scheduler, watcher),
        writers=writers,
        watcher=watcher,
    )
    click.echo(f"newsgraph: {run.summary()}", err=True)
