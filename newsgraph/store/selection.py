"""Which part of the graph a selection keeps: the one rule every backend's snapshot, the graph built
in memory and the HTML network apply, and the one order every snapshot comes in.

An event is kept when it passes every filter given: one of the categories; one of the actors as
agent or patient; and its date within since/until. Dates compare as strings at the shorter
precision, so `since 2024-12-05` keeps an event dated `2024-12` and `until 2024` one dated
`2024-12-31`. An event without a date of its own is left out once a date bound is given: the
extraction dates an event by its article when it is the article's news, so one it left undated
happened at another time the text does not pin down (background, "sacked in 2012"), and dating it
by its article would put it in the wrong period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsgraph.store.records import EventRecord, GraphSnapshot


@dataclass
class Selection:
    """What part of the graph to hand out; every field None means everything."""

    articles: list[str] | None = None  # article ids or urls
    actors: list[str] | None = None  # actor ids
    categories: list[str] | None = None
    since: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY, inclusive
    until: str | None = None

    @property
    def filters_events(self) -> bool:
        return self.actors is not None or self.categories is not None or bool(self.since) or bool(self.until)


def date_within(date: str | None, since: str | None = None, until: str | None = None) -> bool:
    """Whether an event's date is within the bounds (either may be None), compared at the shorter
    precision; an undated event is within no bound."""
    if not since and not until:
        return True
    if not date:
        return False
    if since and date < since[: len(date)]:
        return False
    return not (until and date[: len(until)] > until)


def keeps_event(event: EventRecord, selection: Selection) -> bool:
    """The rule: whether the selection keeps this event (its article aside)."""
    if selection.categories is not None and event.category not in selection.categories:
        return False
    if selection.actors is not None and not set(selection.actors) & {*event.agents, *event.patients}:
        return False
    return date_within(event.date, selection.since, selection.until)


def select(graph: GraphSnapshot, selection: Selection | None = None) -> GraphSnapshot:
    """The part of a whole graph a selection names, in snapshot order.

    With only `articles` given: those articles, their events (with the reports of those articles
    only) and the actors they mention. With
    actors, categories or dates: the events kept (keeps_event), the articles reporting them, and
    the selected actors plus everyone taking part in those events. The organisations of the roles
    kept come too; an actor's articles are those selected.
    """
    sel = selection or Selection()
    articles = graph.articles
    if sel.articles is not None:
        wanted = set(sel.articles)
        articles = [a for a in articles if a.id in wanted or (a.url and a.url in wanted)]
    chosen = {a.id for a in articles}
    events = [
        replace(e, reports=[r for r in e.reports if r.article in chosen])
        for e in graph.events
        if chosen.intersection(e.articles) and keeps_event(e, sel)
    ]
    if sel.filters_events and sel.articles is None:
        chosen = {a for e in events for a in e.articles}
        articles = [a for a in articles if a.id in chosen]
    if sel.filters_events:
        keep = set(sel.actors or []) | {x for e in events for x in (*e.agents, *e.patients)}
    elif sel.articles is not None:
        keep = {a.id for a in graph.actors if chosen.intersection(a.articles)}
    else:
        keep = {a.id for a in graph.actors}
    roles = [r for r in graph.roles if r.holder in keep and r.article in chosen]
    keep |= {r.organisation for r in roles if r.organisation}
    actors = [replace(a, articles=[x for x in a.articles if x in chosen]) for a in graph.actors if a.id in keep]
    return order(GraphSnapshot(list(articles), actors, events, roles))


def order(graph: GraphSnapshot) -> GraphSnapshot:
    """The graph in the one order of every snapshot: articles, actors and each event's agents and
    patients by id; an event's reports and an actor's articles by article date (undated last), then
    article id; events by their first report's article and evidence start, then id; roles by
    article, holder, title and organisation."""
    dates = {a.id: a.date for a in graph.articles}

    def by_date(article: str) -> tuple[bool, str, str]:
        date = dates.get(article)
        return date is None, date or "", article

    return GraphSnapshot(
        articles=sorted(graph.articles, key=lambda a: a.id),
        actors=[
            replace(a, aliases=sorted(a.aliases), articles=sorted(dict.fromkeys(a.articles), key=by_date))
            for a in sorted(graph.actors, key=lambda a: a.id)
        ],
        events=sorted(
            (
                replace(
                    e,
                    agents=sorted(e.agents),
                    patients=sorted(e.patients),
                    reports=sorted(e.reports, key=lambda r: (*by_date(r.article), r.start, r.id)),
                )
                for e in graph.events
            ),
            key=lambda e: (e.article, e.start, e.id),
        ),
        roles=sorted(graph.roles, key=lambda r: (r.article, r.holder, r.title, r.organisation or "")),
    )
