"""`newsgraph ingest`: articles extracted and written to the store (jobs.ingest)."""

from __future__ import annotations

import click

from newsgraph import jobs
from newsgraph.commands.options import (
    named_store,
    nlp_options,
    source_options,
    store_credentials,
    store_options,
    writers_option,
)
from newsgraph.commands.output import CliWatcher, example


@click.command(
    "ingest",
    epilog=example(
        "newsgraph ingest articles/ https://example.org/news/1 feed.xml", "newsgraph ingest --dry-run articles/"
    ),
)
@click.argument("paths", nargs=-1)
@store_options
@nlp_options
@source_options
@click.option("--strict", is_flag=True, help="Fail (exit 2) at the first input that cannot be read.")
@click.option("--dry-run", is_flag=True, help="Say what would be added, replaced or left unchanged; write nothing.")
@click.option(
    "--only-new",
    is_flag=True,
    help="Also skip URLs given here whose url is already stored (feed items already stored are always skipped).",
)
@writers_option
def command(
    paths,
    store_uri,
    username,
    password,
    database,
    pipeline,
    gazetteer,
    date,
    model,
    timeout,
    max_bytes,
    no_follow,
    workers,
    scheduler,
    strict,
    dry_run,
    only_new,
    writers,
):
    """Extract articles and load them into the graph store, one transaction per article.

    An article already stored with the same content is not extracted again; one whose url or source
    is stored with other content replaces it. PATHS are as for `extract`.
    """
    uri = named_store(store_uri)
    watcher = CliWatcher()
    run = jobs.ingest(
        paths,
        store=uri,
        store_options=store_credentials(uri, username, password, database),
        pipeline=pipeline,
        gazetteer=gazetteer,
        model=model,
        date=date,
        strict=strict,
        dry_run=dry_run,
        only_new=only_new,
        engine_=jobs.engine(workers, scheduler, watcher),
        writers=writers,
        watcher=watcher,
        timeout=timeout,
        max_bytes=max_bytes,
        follow_links=not no_follow,
    )
    click.echo(f"newsgraph: {run.summary()}", err=True)
