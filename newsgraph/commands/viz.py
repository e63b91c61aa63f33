"""`newsgraph viz`: the offline HTML story map."""

from __future__ import annotations

import click

from newsgraph.commands.options import category_option, day_option, open_from_options, resolve_actor, store_options
from newsgraph.commands.output import example


@click.command(
    "viz",
    epilog=example(
        "newsgraph viz -o story.html", "newsgraph viz -o ofsted.html --actor Ofsted --hops 2 --since 2023-01-01"
    ),
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--actor", help="Centre on this actor (name, alias or id) and draw its network within --hops.")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 6))
@click.option("--category", multiple=True, callback=category_option, help="Only events of these categories.")
@click.option("--since", callback=day_option, help="Only events on or after YYYY-MM-DD.")
@click.option("--until", callback=day_option, help="Only events on or before YYYY-MM-DD.")
@click.option("--article", help="Only this article (id, url or source path).")
@click.option("--max-nodes", default=5000, show_default=True, type=click.IntRange(1))
@click.option("--events-as", type=click.Choice(["edges", "nodes"]), default="edges", show_default=True)
@store_options
def command(
    output, actor, hops, category, since, until, article, max_nodes, events_as, store_uri, username, password, database
):
    """Write an offline, self-contained HTML story map of actors and events.

    One arrow per pair of actors and direction, as wide as its events; events with one side only (a
    death, a statement) as rings on their actor; actors without events hidden (a toggle shows them).
    In the page: a time range, category filters, search, and a panel listing the events of the actor
    or pair clicked, with the sentence, the outlet and a link to the article. --actor centres and
    marks that actor. --events-as nodes draws every event as a node instead.
    """
    from newsgraph.graph import viz as viz_mod

    with open_from_options(store_uri, username, password, database, read_only=True) as store:
        full = store.snapshot()
        actor_id = resolve_actor(store, actor) if actor else None
    selection = {
        "actor": actor_id,
        "hops": hops,
        "categories": list(category) or None,
        "since": since,
        "until": until,
        "article": article,
    }
    snap = viz_mod.select(full, **selection)
    title = viz_mod.selection_title(full, **selection)
    result = viz_mod.render(snap, output, events_as=events_as, max_nodes=max_nodes, title=title, focus=actor_id)
    layout = "physics layout" if result.physics else "layout computed in Python"
    click.echo(f"newsgraph: wrote {output}: {result.summary()} ({layout})", err=True)
