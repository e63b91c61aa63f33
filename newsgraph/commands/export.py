"""`newsgraph export`: the graph, or a selection of it, as RDF."""

from __future__ import annotations

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
from newsgraph.commands.output import example
from newsgraph.errors import InputError, NewsgraphError
from newsgraph.terminal import printable


@click.command(
    "export",
    epilog=example(
        "newsgraph export --format ttl -o graph.ttl --validate",
        "newsgraph export --actor Ofsted --since 2023-01-01 --format jsonld",
    ),
)
@click.option("--format", "fmt", default="ttl", show_default=True, help="ttl | nt | jsonld | xml | trig")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--base", default=None, help="Base IRI for actors, events and articles.")
@click.option("--article", multiple=True, help="Only these articles (id, url or source), repeatable.")
@click.option("--category", multiple=True, callback=category_option, help="Only events of these categories.")
@click.option("--since", callback=day_option, help="Only events on or after YYYY-MM-DD.")
@click.option("--until", callback=day_option, help="Only events on or before YYYY-MM-DD.")
@click.option("--actor", multiple=True, help="Only events involving these actors (name, alias or id), repeatable.")
@click.option("--validate", is_flag=True, help="Validate the export against newsgraph's SHACL shapes.")
@store_options
def command(
    fmt, output, base, article, category, since, until, actor, validate, store_uri, username, password, database
):
    """Export the graph (or a selection) as RDF: SEM events, schema.org actors, PROV-O, Web Annotations."""
    from newsgraph.graph import rdf
    from newsgraph.queries import resolve_article

    with open_from_options(store_uri, username, password, database, read_only=True) as store:
        # Each --article must name a stored one: a typo would export no article and say nothing.
        chosen = selection([resolve_article(store, a) for a in article], since, until, category)
        chosen.actors = [resolve_actor(store, a) for a in actor] or None
        snap = store.snapshot(chosen)
    kwargs = {"format": fmt}
    if base:
        kwargs["base"] = base
    if output:
        n = rdf.export(snap, output, **kwargs)
        click.echo(f"newsgraph: wrote {n} triples to {output}", err=True)
    else:
        rdf.export(snap, sys.stdout.buffer, **kwargs)
    if validate:
        if not output:
            raise InputError("--validate needs -o FILE")
        ok, report = rdf.validate(output)
        if not ok:
            click.echo("\n".join(printable(line) for line in report.splitlines()), err=True)
            raise NewsgraphError(f"{output}: the export does not conform to the SHACL shapes")
        click.echo("newsgraph: SHACL validation passed", err=True)
