"""`newsgraph explain`: one event's sentence marked, its article, and why it was kept."""

from __future__ import annotations

import click

from newsgraph.commands.options import model_option, open_from_options, store_options
from newsgraph.commands.output import example
from newsgraph.terminal import printable


@click.command(
    "explain",
    epilog=example(
        'newsgraph query timeline --param actor="Ruth Perry"   # the id column', "newsgraph explain ev_1a2b3c4d"
    ),
)
@click.argument("event_id")
@click.option(
    "--features/--no-features",
    default=True,
    help="Show the trained model's strongest features for the event (reads the article again: a few seconds).",
)
@model_option
@store_options
def command(event_id, features, model, store_uri, username, password, database):
    """Print an event's sentence with its trigger, agents and patients marked, its article and outlet,
    and why it was kept: the rules' reasons and the trained model's strongest features. EVENT_ID is
    the id column of timeline, events, between or actor, whole or as the tables print it
    (ev_1a2b3c4d)."""
    from newsgraph.explain import explain_event, trigger_features

    with open_from_options(store_uri, username, password, database, read_only=True) as store:
        explanation = explain_event(store, event_id)
        if features:
            explanation.features, explanation.features_note = trigger_features(store, explanation, model)
    print_explanation(explanation)


MARK_STYLES = {"trigger": "bold reverse", "agent": "bold green", "patient": "bold magenta"}
MARK_SIGNS = {"trigger": "[]", "agent": "{}", "patient": "<>"}  # without colour: [trigger] {agent} <patient>


def print_explanation(ex) -> None:
    """The sentence whole on the first line, its marks in colour (or, without colour, a second line
    with the marks as brackets), then the event, the article and why it was kept, one per line.
    Everything shown is article or store text: made printable piece by piece, between the marks, so
    that the marks stay on the words they mark."""
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False, soft_wrap=True)  # lines whole, as the article has them
    pieces: list[tuple[str, str | None]] = []  # (text, the kind of mark on it)
    at = 0
    for mark in ex.marks:
        pieces += [(ex.sentence[at : mark.start], None), (ex.sentence[mark.start : mark.end], mark.kind)]
        at = mark.end
    pieces.append((ex.sentence[at:], None))
    text = Text()
    for piece, kind in pieces:
        text.append(printable(piece), style=MARK_STYLES[kind] if kind else None)
    out.print(text)
    if out.color_system is None and ex.marks:
        marked = []
        for piece, kind in pieces:
            left, right = MARK_SIGNS[kind] if kind else ("", "")
            marked += [left, printable(piece), right]
        out.print("marked:   " + "".join(marked) + "   ([trigger] {agent} <patient>)", markup=False)
    art = ex.article
    whose = "the earliest article's; no report gives one" if ex.also else "the article's; the text gives none"
    date = ex.date or f"{art.get('published') or '-'} ({whose})"
    if ex.date and ex.date_text:
        date += f" (“{ex.date_text}”)"
    lines = [
        ("event", f"{ex.label} ({ex.category}), {ex.modality}"),
        ("date", date),
        ("agents", ", ".join(ex.agents) or "-"),
        ("patients", ", ".join(ex.patients) or "-"),
        (
            "article",
            " · ".join(
                str(v) for v in (art.get("title") or art.get("source"), art.get("outlet"), art.get("published")) if v
            ),
        ),
        ("", f"{art.get('url') or art.get('source')} · sentence {ex.sentence_index}, characters {ex.start}–{ex.end}"),
        ("kept", "; ".join(ex.reasons())),
    ]
    for other in ex.also:  # the other articles that report it
        lines.append(("also", " · ".join(str(v) for v in (other["title"] or other["source"], other["outlet"],
                                                          other["published"]) if v)))  # fmt: skip
        lines.append(("", f"“{other['sentence']}”"))
    if ex.features:
        lines.append(("features", ", ".join(f"{name} {weight:+.2f}" for name, weight in ex.features)))
        lines.append(("", f"({ex.features_note}; weights for {ex.category} against no event)"))
    elif ex.features_note:
        lines.append(("features", ex.features_note))
    lines.append(("id", f"{ex.id} (short: {ex.short_id})"))
    for key, value in lines:
        out.print(printable(f"{key:<9} {value}"), markup=False)
