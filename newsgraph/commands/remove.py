"""`newsgraph remove`: an article out of the store, with what went with it."""

from __future__ import annotations

import click

from newsgraph.commands.options import open_from_options, store_options
from newsgraph.commands.output import example, plural
from newsgraph.errors import InputError


@click.command("remove", epilog=example("newsgraph remove https://example.org/news/1"))
@click.argument("article")
@store_options
def command(article, store_uri, username, password, database):
    """Remove an article (by id, url or source) and the actors and events left without any article."""
    with open_from_options(store_uri, username, password, database) as store:
        before = store.counts()
        if not store.remove(article):
            raise InputError(f"{article}: no such article in the store")
        after = store.counts()
    gone = {key: before[key] - after[key] for key in ("articles", "events", "actors")}
    click.echo(
        f"newsgraph: removed {plural(gone['articles'], 'article')} ({article}), its "
        f"{plural(gone['events'], 'event')}, and {plural(gone['actors'], 'actor')} no other article mentions;"
        f" store holds {after['articles']} articles, {after['actors']} actors, {after['events']} events",
        err=True,
    )
