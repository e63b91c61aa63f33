"""What the commands share in how they speak: tables and machine formats on stdout, lines and
progress on stderr, and the Watcher that shows what a job tells (newsgraph/jobs.py)."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
import time
from typing import Any

import click

from newsgraph.jobs import Watcher
from newsgraph.terminal import json_safe, printable

PROGRESS_THRESHOLD = 3


def example(*lines: str) -> str:
    """The epilog that ends a command's --help: its example command lines, kept as written."""
    return "\b\nExample:\n" + "\n".join("  " + line for line in lines)


def stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


EVIDENCE_IN_TABLES = 90
TEXT_COLUMNS = ("evidence", "sentence", "quote")


def print_rows(rows: list[dict[str, Any]], fmt: str, title: str | None = None, header: list[str] | None = None) -> None:
    """Rows as json, jsonl, csv (every value whole) or a table for reading: event ids as printed
    short (`explain` takes them), never wrapped; evidence cut; `header` columns (the same on every
    row) printed once above the table; a row or a column with no value at all left out. What goes to a
    terminal cannot act on it: tables (and csv to a terminal) show control characters visibly, JSON
    escapes them losslessly."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if fmt == "json":
        click.echo(json_safe(json.dumps(rows, ensure_ascii=False, indent=2, default=str)))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json_safe(json.dumps(row, ensure_ascii=False, default=str)))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        shown = printable if sys.stdout.isatty() else str  # data as it is, unless it goes to a terminal
        for row in rows:
            writer.writerow({k: shown(cell(v)) for k, v in row.items()})
        click.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table

        from newsgraph.model import short_event_id

        # Piped output keeps whole cells readable instead of folding them to 80 columns (COLUMNS rules).
        wide = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
        console = Console(highlight=False, markup=False, width=None if wide else 240)
        header = [c for c in header or [] if c in columns]
        if header and rows:
            for key in header:
                console.print(printable(f"{key}: {cell(rows[0].get(key)) or '-'}"), soft_wrap=True)
        columns = [c for c in columns if c not in header]

        def shown(column: str, value: Any) -> str:
            if column in ("id", "events") and isinstance(value, list | tuple):  # event ids as printed short
                value = [short_event_id(v) if isinstance(v, str) and v.startswith("ev_") else v for v in value]
            text = printable(cell(value))
            if column == "id" and text.startswith("ev_"):
                return short_event_id(text)
            if column in TEXT_COLUMNS and len(text) > EVIDENCE_IN_TABLES:
                return text[: EVIDENCE_IN_TABLES - 1].rstrip() + "…"
            return text

        cells = [[shown(c, row.get(c)) for c in columns] for row in rows]
        cells = [line for line in cells if any(line)]
        kept = [i for i in range(len(columns)) if any(line[i] for line in cells)] if cells else range(len(columns))
        columns = [columns[i] for i in kept]  # a column empty in every row says nothing
        cells = [[line[i] for i in kept] for line in cells]
        table = Table(title=printable(title) if title else None, show_lines=False)
        for i, col in enumerate(columns):
            if col in ("id", "date") or col.endswith("_id"):  # whole, to paste: never wrapped nor cut
                width = max([len(col), *(len(line[i]) for line in cells)])
                table.add_column(printable(col), no_wrap=True, min_width=width)
            else:
                table.add_column(printable(col), overflow="fold")
        for line in cells:
            table.add_row(*line)
        console.print(table)
        if not cells:
            click.echo("(no rows)" if not header or not rows else "(no events)", err=True)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def say(message: str) -> None:
    """One line on stderr; above the progress display while one shows, never into its line. What it
    quotes (file names, titles, server messages) cannot act on the terminal."""
    message = printable(message)
    if Progress.console is not None:
        Progress.console.print(message, markup=False, highlight=False, soft_wrap=True)
    else:
        click.echo(message, err=True)


def step(message: str) -> None:
    """A step of a long training or evaluation run, on stderr."""
    say(f"newsgraph: {message}")


class SayHandler(logging.Handler):
    """Log records through say, so that logs too print above the progress display."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            say(self.format(record))
        except Exception:  # noqa: BLE001 (logging must never raise)
            self.handleError(record)


class Progress:
    """Progress on stderr for long work: what it is starting (`starting`, e.g. loading the pipeline)
    until the first item is done, then a bar towards `total` (a running count when it is not known).
    Shown on a terminal (NEWSGRAPH_PROGRESS=1 forces it, 0 hides it) for more than PROGRESS_THRESHOLD items."""

    console: Any = None  # the console of the display showing now, for say

    def __init__(self, label: str, total: int | None = None, starting: str | None = None, unit: str = "article"):
        self.label, self.total, self.starting, self.unit = label, total, starting, unit
        self.done = 0
        self._first: float | None = None  # when the first item was done
        self._bar: Any = None
        self._task: Any = None

    @staticmethod
    def wanted(total: int | None) -> bool:
        wanted = os.environ.get("NEWSGRAPH_PROGRESS")
        if wanted == "0" or (not sys.stderr.isatty() and wanted != "1"):
            return False
        return total is None or total > PROGRESS_THRESHOLD

    def __enter__(self) -> Progress:
        if not self.wanted(self.total):
            return self
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        class WhenCounting(BarColumn):
            """The bar, only once counting has started and when the total is known."""

            def __init__(self, column) -> None:
                super().__init__()
                self.column = column

            def render(self, task):
                from rich.text import Text

                return self.column.render(task) if task.fields["counting"] and task.total else Text("")

        self._bar = Bar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            WhenCounting(BarColumn()),
            TextColumn("{task.fields[count]}"),
            WhenCounting(TimeRemainingColumn()),
            console=stderr(),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._bar.__enter__()
        Progress.console = self._bar.console
        description, count = (self.starting, "") if self.starting else (self.label, self._count())
        self._task = self._bar.add_task(description, total=self.total, count=count, counting=not self.starting)
        return self

    def _count(self) -> str:
        """`12/40 articles, 3.1/s` (or `3/16 fits, 25 s/fit` when slower than one a second): the rate
        over the items since the first was done (the pipeline's loading is not in it), once there are two."""
        count = f"{self.done}/{self.total} {self.unit}s" if self.total else plural(self.done, self.unit)
        elapsed = time.monotonic() - self._first if self._first is not None else 0.0
        if self.done > 1 and elapsed > 0:
            rate = (self.done - 1) / elapsed
            count += f", {rate:.1f}/s" if rate >= 1 else f", {1 / rate:.0f} s/{self.unit}"  # slow items: "25 s/fit"
        return count

    def advance(self, n: int = 1) -> None:
        if self._first is None:
            self._first = time.monotonic()
        self.done += n
        if self._bar is not None:
            self._bar.update(
                self._task, description=self.label, completed=self.done, count=self._count(), counting=True
            )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            Progress.console = None
            self._bar.__exit__(*exc)
            self._bar = None


class CliWatcher(Watcher):
    """A job's lines on stderr (above the progress while one shows), its progress as a bar on a
    terminal, a dry run's lines on stdout."""

    def say(self, line: str) -> None:
        say(f"newsgraph: {line}")

    def progress(self, label, total, starting):
        return Progress(label, total() if Progress.wanted(None) else None, starting)

    def listed(self, status, article) -> None:
        click.echo(f"{status}\t{article.id}\t{printable(article.url or article.source)}")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def one_line(message: str) -> str:
    return " ".join(printable(message).split())
