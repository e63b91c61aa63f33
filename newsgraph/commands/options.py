"""The options the commands share (store, NLP and model, sources, dates, categories) and the store
they name."""

from __future__ import annotations

import os
from typing import Any

import click

from newsgraph.errors import InputError, QueryError

STORE_HELP = (
    "Graph store URI: embedded:PATH (default, per-user) or bolt://, neo4j://, neo4j+s:// (env NEWSGRAPH_STORE)."
)


def store_options(f):
    f = click.option("--store", "store_uri", envvar="NEWSGRAPH_STORE", help=STORE_HELP)(f)
    # The store reads NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE itself, after the URI's user:password@.
    f = click.option("--username", help="Neo4j user (else the URI's, else env NEO4J_USERNAME).")(f)
    f = click.option("--password", help="Neo4j password (else the URI's, else env NEO4J_PASSWORD).")(f)
    f = click.option("--database", help="Neo4j database (else env NEO4J_DATABASE).")(f)
    return f


def writers_option(f):
    return click.option(
        "--writers",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help="Articles written at once (Neo4j; on Dask the workers write; the embedded store takes one).",
    )(f)


def read_options(f):
    """Store options for commands that only read, plus a time limit per query."""
    f = store_options(f)
    return click.option("--query-timeout", type=click.FloatRange(0.001), help="Stop a query after this many seconds.")(
        f
    )


def nlp_options(f):
    f = click.option(
        "--pipeline",
        envvar="NEWSGRAPH_PIPELINE",
        help="spaCy pipeline to load (package or path); default: the best installed English one.",
    )(f)
    f = click.option(
        "--gazetteer",
        envvar="NEWSGRAPH_GAZETTEER",
        type=click.Path(dir_okay=False),
        help="Your actor gazetteer YAML, added on top of the packaged one.",
    )(f)
    f = click.option(
        "--date", "date", callback=day_option, help="Article date YYYY-MM-DD where a file's header has none."
    )(f)
    f = model_option(f)
    return f


def model_option(f):
    return click.option(
        "--model",
        envvar="NEWSGRAPH_MODEL",
        callback=model_check,
        help="Trained event model (from `newsgraph train`); default: the one newsgraph ships; 'rules': none.",
    )(f)


def model_check(ctx, param, value: str | None) -> str | None:
    """A model file is read and checked as the option is parsed, before the pipeline loads."""
    from newsgraph.ingest.trained import load_model

    if value is not None:
        load_model(value)
    return value


def gold_options(f):
    """train and evaluate: the annotations, the articles they annotate, and the NLP the rules run on."""
    f = click.argument("articles_dir", type=click.Path(exists=True, file_okay=False))(f)
    f = click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))(f)
    f = click.option(
        "--pipeline",
        envvar="NEWSGRAPH_PIPELINE",
        help="spaCy pipeline to load (package or path); default: the best installed English one.",
    )(f)
    f = click.option(
        "--gazetteer",
        envvar="NEWSGRAPH_GAZETTEER",
        type=click.Path(dir_okay=False),
        help="Your actor gazetteer YAML, added on top of the packaged one.",
    )(f)
    return f


def extra_option(help_text: str):
    """train and evaluate: more annotated sets, each a gold directory and its articles directory."""
    return click.option(
        "--extra",
        nargs=2,
        multiple=True,
        metavar="GOLD_DIR ARTICLES_DIR",
        type=click.Path(exists=True, file_okay=False),
        help=help_text,
    )


def threshold_option(f):
    """train and evaluate: decision thresholds of the trained layers other than the shipped ones."""
    return click.option(
        "--threshold",
        "thresholds",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_thresholds,
        help="A decision threshold of the trained layers in place of the shipped one (repeatable): "
        "trigger, trigger.CATEGORY, keep, keep.CATEGORY, agent, patient, dating, or the entity "
        "layer's merge, description, antecedent... (the `thresholds` of a model file). Higher "
        "asks more of the model: fewer, surer decisions.",
    )(f)


def _thresholds(ctx, param, values: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE with VALUE a number", param=param) from None
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param=param)
    return out


def source_options(f):
    f = click.option(
        "--timeout",
        default=20.0,
        show_default=True,
        type=click.FloatRange(0.1),
        help="Deadline in seconds for each try of a URL or feed item, the whole response.",
    )(f)
    f = click.option(
        "--max-bytes",
        default=5_000_000,
        show_default=True,
        type=click.IntRange(1),
        help="Skip files and pages larger than this.",
    )(f)
    f = click.option("--no-follow", is_flag=True, help="Use a feed item's own text; do not fetch its page.")(f)
    return engine_options(f)


def key_values(params: tuple[str, ...]) -> dict[str, str]:
    """`--param key=value` items as a dict (a later key wins); an item without '=' is an InputError."""
    raw = {}
    for item in params:
        if "=" not in item:
            raise InputError(f"--param {item!r}: expected key=value")
        key, value = item.split("=", 1)
        raw[key.strip()] = value
    return raw


def engine_options(f):
    """Where the work runs: --workers N (a local Dask cluster) or --scheduler (a Dask cluster's)."""
    f = click.option(
        "--workers",
        default=1,
        show_default=True,
        type=click.IntRange(1),
        help="Worker processes on this machine: a local Dask cluster (newsgraph[dask]), else a process pool.",
    )(f)
    f = click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Run on this Dask scheduler's workers (default: Dask's scheduler-address config, if set).",
    )(f)
    return f


def day_option(ctx, param, value: str | None) -> str | None:
    """An option that takes one day (YYYY-MM-DD), checked as it is parsed, before any slow work."""
    from newsgraph.ingest.metadata import parse_date

    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise InputError(f"--{param.name} {value!r}: not a date (expected YYYY-MM-DD)")
    return day


def category_option(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """Event categories of the taxonomy (any case); a mistyped one is an error naming the closest."""
    from newsgraph.queries import Param, coerce

    try:
        return tuple(coerce(Param(f"--{param.name}", "category"), v) for v in values)
    except QueryError as exc:
        raise InputError(str(exc)) from None


def named_store(uri: str | None) -> str | None:
    """The store --store (or NEWSGRAPH_STORE) names, else NEO4J_URI; None for the default."""
    return uri or os.environ.get("NEO4J_URI") or None


def store_credentials(uri: str | None, username=None, password=None, database=None) -> dict[str, Any]:
    """The Neo4j options given, for the store to be opened with (none for an embedded store)."""
    if uri and uri.startswith("embedded:"):
        return {}
    return {k: v for k, v in (("username", username), ("password", password), ("database", database)) if v}


def open_from_options(
    store_uri: str | None, username=None, password=None, database=None, read_only=False, timeout=None, create=False
):
    """The store the options name. Only ingest and load (`create`) make an embedded store that is not there."""
    from newsgraph.store import open_store

    uri = named_store(store_uri)
    options = store_credentials(uri, username, password, database)
    if timeout:
        options["timeout"] = timeout
    return open_store(uri, read_only=read_only, create=create, **options)


def selection(article, since, until, category):
    from newsgraph.store import Selection

    return Selection(articles=list(article) or None, categories=list(category) or None, since=since, until=until)


def resolve_actor(store, text: str) -> str:
    from newsgraph.queries import resolve_actor

    return resolve_actor(store, text)
