"""`newsgraph analyze`: network analytics on the actor network the events project."""

from __future__ import annotations

import io
import sys

import click

from newsgraph.commands.options import (
    category_option,
    day_option,
    open_from_options,
    resolve_actor,
    selection,
    store_options,
)
from newsgraph.commands.output import example, print_rows, say
from newsgraph.errors import InputError
from newsgraph.terminal import json_safe, printable


@click.command("analyze", epilog=example('newsgraph analyze --path ASCL "Amanda Spielman" --ego Ofsted'))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the metrics (json or csv) to a file.")
@click.option("--category", multiple=True, callback=category_option, help="Only events of these categories.")
@click.option("--since", callback=day_option, help="Only events on or after YYYY-MM-DD.")
@click.option("--until", callback=day_option, help="Only events on or before YYYY-MM-DD.")
@click.option("--limit", default=25, show_default=True, type=click.IntRange(1), help="Rows to print as a table.")
@click.option("--path", "path", nargs=2, metavar="A B", help="Also print the shortest path between two actors.")
@click.option("--ego", help="Also print the ego network of this actor.")
@click.option("--radius", default=1, show_default=True, type=click.IntRange(1, 6))
@click.option("--write", "write_back", is_flag=True, help="Store the metrics as actor properties.")
@store_options
def command(
    fmt, output, category, since, until, limit, path, ego, radius, write_back, store_uri, username, password, database
):
    """Network analytics on the actor network projected from events: degree, PageRank, betweenness,
    Louvain communities, shortest paths and ego networks."""
    from newsgraph.graph import analytics

    with open_from_options(store_uri, username, password, database, read_only=not write_back) as store:
        snap = store.snapshot(selection((), since, until, category))
        graph = analytics.actor_network(snap, categories=list(category) or None)
        rows = analytics.metrics(graph)
        if write_back:
            n = analytics.write_metrics(store, rows)
            click.echo(f"newsgraph: wrote metrics of {n} actors to the store", err=True)
        path_ids, no_path = None, None
        if path:
            try:
                path_ids = analytics.shortest_path(graph, *[resolve_actor(store, p) for p in path])
            except InputError as exc:
                no_path = str(exc)
        ego_graph = analytics.ego(graph, resolve_actor(store, ego), radius=radius) if ego else None
    if output:
        analytics.export_metrics(rows, output, "csv" if output.endswith(".csv") else "json")
        click.echo(f"newsgraph: wrote {len(rows)} actors' metrics to {output}", err=True)
    if fmt == "table":
        print_rows([r.__dict__ for r in rows[:limit]], "table", "actors by PageRank")
    else:
        buffer = io.StringIO()
        analytics.export_metrics(rows, buffer, fmt)
        text = buffer.getvalue()
        shown = json_safe(text) if fmt == "json" else text
        if fmt == "csv" and sys.stdout.isatty():
            shown = "".join(printable(line) + "\n" for line in text.splitlines())
        click.echo(shown, nl=False)
    names = {n: d.get("name", n) for n, d in graph.nodes(data=True)}
    if no_path:
        say(f"newsgraph: {no_path}")
    if path_ids:
        path_names = " -> ".join(printable(names.get(i, i)) for i in path_ids)
        click.echo(f"shortest path: {path_names}", err=fmt != "table")
    if ego_graph is not None:
        edges = analytics.edge_rows(ego_graph)
        if fmt == "table":  # names to read; the machine formats keep the ids
            edges = [{**e, "source": names.get(e["source"]), "target": names.get(e["target"])} for e in edges]
        print_rows(edges, "table" if fmt == "table" else "jsonl", "ego network")
