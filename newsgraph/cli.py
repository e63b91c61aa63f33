"""The newsgraph command line: the `newsgraph` group, the commands of newsgraph/commands/ (one module
each, added here by discovery), and main(), which turns errors into one line and an exit code.

Machine output (JSON, JSONL, CSV, RDF) goes to stdout; progress, summaries and errors to stderr.
Exit codes: 0 success, 1 failure (store, runtime), 2 bad usage or bad input.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pkgutil
import sys

import click

from newsgraph import __version__, commands
from newsgraph.commands.output import SayHandler, example
from newsgraph.errors import NewsgraphError
from newsgraph.terminal import printable


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=example("newsgraph demo", "newsgraph ingest articles/ && newsgraph viz -o story.html"),
)
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-v", "--verbose", is_flag=True, help="Log what newsgraph does (to stderr).")
def cli(verbose: bool) -> None:
    """newsgraph: news articles to a knowledge graph of actors and events."""
    handler = SayHandler()
    handler.setFormatter(logging.Formatter("newsgraph: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    # The Neo4j driver logs each retry and broken connection, and then raises what the store turns
    # into one line of ours: its own lines show only with -v.
    logging.getLogger("neo4j").setLevel(logging.WARNING if verbose else logging.CRITICAL)


def _add_commands() -> None:
    """Every module of newsgraph/commands that defines `command` is a command of `newsgraph`."""
    for module in pkgutil.iter_modules(commands.__path__):
        command = getattr(importlib.import_module(f"{commands.__name__}.{module.name}"), "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_add_commands()


def main() -> None:
    try:
        cli.main(standalone_mode=False)
        sys.stdout.flush()  # a full disk under a redirection fails here, not silently at exit
    except NewsgraphError as exc:
        click.echo(f"newsgraph: error: {_one_line(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("newsgraph: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        click.echo(f"newsgraph: error: {_one_line(exc.format_message())}{_help_hint(exc)}", err=True)
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        _drop_stdout()
        sys.exit(0)
    except OSError as exc:  # standard output on a full disk, and the like: one line, not a traceback
        _drop_stdout()
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"newsgraph: error: {_one_line(f'{where}{exc.strerror or exc}')}", err=True)
        sys.exit(1)


def _drop_stdout() -> None:
    """Send what is still buffered for stdout nowhere, so that the exit does not fail on it again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _help_hint(exc: click.ClickException) -> str:
    """Where a usage error's command documents its options: ' (see newsgraph query timeline --help)'."""
    ctx = getattr(exc, "ctx", None)
    while ctx is not None and ctx.command.hidden and ctx.parent is not None:  # `query run`: an unknown name
        ctx = ctx.parent
    return f" (see {ctx.command_path} --help)" if ctx is not None else ""


def _one_line(message: str) -> str:
    return " ".join(printable(message).split())


if __name__ == "__main__":
    main()
