"""The one exception family of newsgraph; only cli.py turns these into messages and exit codes."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base of every error newsgraph raises on purpose. `exit_code` is what the CLI returns."""

    exit_code = 1


class InputError(NewsgraphError):
    """Bad input or bad usage: unreadable file, malformed header, bad option value."""

    exit_code = 2


class ExtractionError(InputError):
    """An article the extractor could not process."""


class ConfigError(NewsgraphError):
    """A setting, data file or pipeline that cannot be used."""

    exit_code = 2


class StoreError(NewsgraphError):
    """The graph store cannot be opened, is locked, unreachable, or refused a write."""

    exit_code = 1


class QueryError(NewsgraphError):
    """Unknown query, missing or mistyped parameter, Cypher error, or a write in a read-only query."""

    exit_code = 2


class OutputError(NewsgraphError):
    """An output file that could not be written (a full disk, no permission); nothing was left behind."""

    exit_code = 1
