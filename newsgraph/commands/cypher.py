"""`newsgraph cypher`: an ad-hoc read-only Cypher statement."""

from __future__ import annotations

from pathlib import Path

import click

from newsgraph.commands.options import key_values, open_from_options, read_options
from newsgraph.commands.output import example, print_rows
from newsgraph.errors import InputError, QueryError


@click.command("cypher", epilog=example('newsgraph cypher "MATCH (a:Actor) RETURN a.name, a.kind LIMIT 5"'))
@click.argument("statement", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False), help="Read the statement from a file.")
@click.option("--param", "-p", "params", multiple=True, help="key=value (values are strings), repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
@read_options
def command(statement, file, params, fmt, store_uri, username, password, database, query_timeout):
    """Run an ad-hoc read-only Cypher statement (writes are refused)."""
    if file:
        statement = Path(file).read_text(encoding="utf-8")
    if not statement:
        raise InputError("give a Cypher statement or --file")
    raw = key_values(params)
    with open_from_options(store_uri, username, password, database, read_only=True, timeout=query_timeout) as store:
        try:
            rows = store.query(statement, raw)
        except QueryError as exc:  # the engine's own words, and what newsgraph was doing when it said them
            raise QueryError(f"running your Cypher statement on {store.uri}: {exc}") from exc
    print_rows(rows, fmt)
