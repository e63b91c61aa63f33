"""`newsgraph sparql`: a SPARQL query over an RDF export or the store."""

from __future__ import annotations

from pathlib import Path

import click

from newsgraph.commands.options import open_from_options, store_options
from newsgraph.commands.output import example, print_rows
from newsgraph.errors import InputError


@click.command(
    "sparql",
    epilog=example('newsgraph sparql "SELECT ?n WHERE { ?a a schema:Person ; schema:name ?n }" --data graph.ttl'),
)
@click.argument("statement", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False), help="Read the query from a .rq file.")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False),
    help="An RDF file to query (default: the current store, exported in memory).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
@store_options
def command(statement, file, data, fmt, store_uri, username, password, database):
    """Run a SPARQL query over an RDF export or over the current store."""
    from newsgraph.graph import rdf

    if file:
        statement = Path(file).read_text(encoding="utf-8")
    if not statement:
        raise InputError("give a SPARQL query or --file")
    if data:
        source = data
    else:
        with open_from_options(store_uri, username, password, database, read_only=True) as store:
            source = rdf.build_graph(store.snapshot())
    columns, rows = rdf.sparql(statement, source)
    print_rows([{c: r.get(c) for c in columns} for r in rows], fmt)
