"""`newsgraph query`: the catalogue's named queries, each with its own help, and `query list`."""

from __future__ import annotations

import click

from newsgraph.commands.options import key_values, open_from_options, read_options
from newsgraph.commands.output import example, print_rows


class _QueryGroup(click.Group):
    """`newsgraph query NAME …` runs a catalogue query, each with its own --help; `newsgraph query
    list` lists them."""

    def list_commands(self, ctx):
        from newsgraph.queries import catalogue

        return ["list", *catalogue()]

    def get_command(self, ctx, name):
        from newsgraph.queries import catalogue

        if name in catalogue():
            return _catalogue_command(name)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
        if args and self.get_command(ctx, args[0]) is None and not args[0].startswith("-"):
            return "run", self.commands["run"], args  # an unknown name: `run` says which are close
        return super().resolve_command(ctx, args)


@click.group(
    "query",
    cls=_QueryGroup,
    epilog=example('newsgraph query timeline --param actor="Ruth Perry"', "newsgraph query timeline --help"),
)
def command():
    """Run a named query of the catalogue: `newsgraph query NAME --param key=value`.

    `newsgraph query list` shows the catalogue; `newsgraph query NAME --help` one query, its
    parameters and an example.
    """


@command.command("list", epilog=example("newsgraph query list", "newsgraph query list --format json"))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
def query_list(fmt):
    """List the catalogue: what each query answers, its parameters and an example."""
    from newsgraph.queries import catalogue

    queries = list(catalogue().values())
    if fmt != "table":
        rows = [
            {
                "name": q.name,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "takes": p.describe(), "description": p.description}
                    for p in q.params
                ],
                "example": q.example,
            }
            for q in queries
        ]
        print_rows(rows, fmt)
        return
    for q in queries:
        click.echo(f"{q.name}: {q.description}")
        click.echo(_parameter_lines(q.params, indent=2))
        if q.example:
            click.echo(f"  e.g. {q.example}")
        click.echo()
    click.echo("One query in full: newsgraph query NAME --help")


def _parameter_lines(params, indent: int) -> str:
    """Each parameter: its name and what it is for, then what it takes (type, allowed values, default)."""
    import textwrap

    if not params:
        return " " * indent + "(no parameters)"
    width = max(len(p.name) for p in params) + 2
    lines = []
    for p in params:
        pad = " " * (indent + width)
        lines.append(" " * indent + p.name.ljust(width) + (p.description or ""))
        lines += textwrap.wrap("takes: " + p.describe(), 96, initial_indent=pad, subsequent_indent=pad + "  ")
    return "\n".join(lines)


def _catalogue_command(name: str) -> click.Command:
    """`newsgraph query NAME`: the `run` command for one query, with that query's own help."""
    from newsgraph.queries import get

    q = get(name)
    help_text = f"{q.description}\n\n\b\nParameters (--param NAME=VALUE, repeatable):\n{_parameter_lines(q.params, 2)}"
    if q.header:
        help_text += f"\n\nA table prints {', '.join(q.header)} once, above the rows."
    return click.Command(
        name,
        callback=lambda **options: query_run.callback(name=name, **options),
        params=[p for p in query_run.params if p.name != "name"],
        help=help_text,
        short_help=q.description,
        epilog=example(q.example) if q.example else None,
    )


@command.command("run", hidden=True)
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter, repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table")
@read_options
def query_run(name, params, fmt, store_uri, username, password, database, query_timeout):
    from newsgraph.queries import check, get, run

    raw = key_values(params)
    query = get(name)
    checked = check(query, raw)  # a mistyped name or value is said before the store is opened
    with open_from_options(store_uri, username, password, database, read_only=True, timeout=query_timeout) as store:
        rows = run(store, name, raw)
    title = name + (": with the events of their speakers (via)" if checked.get("speakers") else "")
    print_rows(rows, fmt, title, query.header)
