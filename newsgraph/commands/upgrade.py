"""`newsgraph upgrade`: what the catalogue reads, added to a store an older newsgraph made."""

from __future__ import annotations

import click

from newsgraph.commands.options import open_from_options, store_options
from newsgraph.commands.output import example


@click.command("upgrade", epilog=example("newsgraph upgrade --store embedded:graph.lbug"))
@store_options
def command(store_uri, username, password, database):
    """Add the event sort keys and co-mention counts the catalogue reads to a store an older newsgraph
    made (any write adds them too)."""
    with open_from_options(store_uri, username, password, database) as store:
        store.upgrade()
    click.echo(f"newsgraph: {store.uri} is up to date", err=True)
