"""One real event, one node: which reports tell the same event, and the event they make. The one rule
the embedded store, Neo4j and the graph built in memory apply; rows.py gives each article's
reports, and a backend regroups the reports of the keys a write or removal touched.

A report is an article's telling of an event (an extraction's Event). Reports tell one event when
they have the same key and compatible dates. The key is the category, the agents and the patients
(store actor ids) and the telling: happened (asserted, or reported by someone), planned, demanded
or negated, so a resignation announced for March and the resignation are two events, and one that
is denied never joins one that is told. An event with neither agents nor patients has nothing to
tell it apart: its key is its report's alone.

Dates (YYYY, YYYY-MM, YYYY-MM-DD) are compatible when equal or when one is the other less precise
(2023-03 and 2023-03-17); an undated report is compatible with every date. As "compatible" is not
transitive, the groups of a key are a function of all its reports at once: each most precise date
(one no other date of the key makes more precise) is an event; a report joins the one such date
that makes its own more precise, and with several (2023-03 beside 2023-03-17 and 2023-03-20) stays
with the reports of its own date; an undated report joins the key's only dated event, and with
several stays with the undated ones. Two equally precise dates that differ are two events, but for
one case: a report dated only by its article's date (no time phrase: the article's news, "has
resigned") says the event happened on or a few days before that day, so it takes the one day a
time phrase gives the key within SOFT_DAYS before (an article of 14 March telling the resignation
another dated "on Wednesday", 13 March); with none or several, it keeps its own day. A repeated
criticism told on two days stays two events: two dates from time phrases never join.

The rule is applied twice. First to the reports of one article (`article_reports`): an article that
tells an event twice (the lede, then a paragraph that comes back to it) gives it one report, its
most precise telling, first in the text. Then to the reports of every article (`consolidate`), so an
event has at most one report per article (the first step leaves an article no two reports that the
second could group). The event's date is its most precise report's; its lead report is the first,
by article date, of those that give that date: the event takes the lead's id, trigger, date text
and quote, the surest report's confidence, and "asserted" when any report asserts it; it is placed
in date order by its date, else by the lead's article (an undated event's earliest report: every
report gives its date). Ids are report ids, so an event told once has the id of its extraction, and
every id is a function of the reports alone, whatever order the articles came in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsgraph.model import MODALITIES, stable_id

Row = dict[str, Any]

# Tellings of something that happened: one kind; every other modality is a kind of its own.
HAPPENED = ("asserted", "reported")

# The properties of an Event node and of a REPORTED_IN edge, as rows carry them.
EVENT_PROPERTIES = (
    "id", "key", "category", "trigger", "date", "date_text", "modality", "confidence", "quote", "plover",
    "sort_key", "reports",
)  # fmt: skip
REPORT_PROPERTIES = (
    "report", "trigger", "date", "date_text", "modality", "confidence", "quote", "evidence", "start", "end",
    "sentence", "position",
)  # fmt: skip

# Event.sort_key joins the fields of the catalogue's date order with a space, which sorts before
# every character of a date or an id; a missing date is "~", which sorts after every digit, as
# Cypher puts nulls last.
_KEY_GAP, _KEY_NULL = " ", "~"


def event_sort_key(date: str | None, article_date: str | None, article: str, start: int, position: int) -> str:
    """An event's place in date order as one string: its date, else its lead report's article's; then
    that article's date and id, where the report's evidence starts in the body, and its position among
    the article's events (events of one sentence keep the order the article lists them in).

    Ordering events by this key gives the catalogue's `ORDER BY coalesce(e.date, a.date), a.date,
    a.id, r.start` without joining each event to its article, which LadybugDB (no secondary
    indexes) does for every event before it can keep the first few.
    """
    fields = (
        date or article_date or _KEY_NULL,
        article_date or _KEY_NULL,
        article,
        f"{start:010d}",
        f"{position:010d}",
    )
    return _KEY_GAP.join(fields)


def telling(modality: str) -> str:
    """The kind of telling a modality is: "happened" for asserted and reported, else itself."""
    return "happened" if modality in HAPPENED else modality


def event_key(category: str, modality: str, agents: Iterable[str], patients: Iterable[str], report: str) -> str:
    """What the reports of one event share (see the module docstring), as one short string."""
    agents, patients = sorted(agents), sorted(patients)
    alone = "" if agents or patients else report
    return stable_id("evk", category, telling(modality), ",".join(agents), ",".join(patients), alone)


@dataclass(frozen=True)
class Report:
    """One article's telling of an event. The category, parties and key are its event's; the rest is
    what the store keeps on its REPORTED_IN edge."""

    id: str  # the extraction's event id
    key: str
    article: str
    article_date: str | None
    category: str
    agents: tuple[str, ...]
    patients: tuple[str, ...]
    trigger: str
    date: str | None
    date_text: str | None
    modality: str
    confidence: float
    quote: str | None
    plover: str | None
    evidence: str
    start: int
    end: int
    sentence: int
    position: int  # among its article's events, as the extraction lists them

    def row(self, event: str) -> Row:
        """Its REPORTED_IN edge from `event` to its article."""
        values = {name: getattr(self, name) for name in REPORT_PROPERTIES if name != "report"}
        return {"event": event, "article": self.article, "report": self.id, **values}


def chronological(report: Report) -> tuple:
    """Reports by their article's date (undated articles last), article, and place in the article."""
    return (
        report.article_date is None,
        report.article_date or "",
        report.article,
        report.start,
        report.position,
        report.id,
    )


def _parts(date: str) -> tuple[str, ...]:
    return tuple(date.split("-"))


def _extends(date: str, other: str) -> bool:
    """Whether `other` is `date` or `date` made more precise (2023-03 -> 2023-03-17)."""
    mine, theirs = _parts(date), _parts(other)
    return theirs[: len(mine)] == mine


# Dates of a key's events beyond the reports given (key -> dates, context_date's), when only some of
# its reports are.
Context = Mapping[str, Iterable[str | None]]
SOFT_MARK = "~"


def context_date(date: str | None, soft: bool) -> str | None:
    """An event's date as a Context gives it: marked when only soft reports give it (is_soft)."""
    return SOFT_MARK + date if date is not None and soft else date


# Days before its article's date that an event told as the article's news may have happened.
SOFT_DAYS = 3


def is_soft(report: Report) -> bool:
    """Whether the report's date is only its article's (the article's news; no time phrase)."""
    return soft_date(report.date, report.date_text, report.article_date)


def soft_date(date: str | None, date_text: str | None, article_date: str | None) -> bool:
    """is_soft of a report's fields, for a store reading them without making a Report."""
    return date is not None and date_text is None and date == article_date


def _day(date: str | None) -> dt.date | None:
    if date is None or len(_parts(date)) != 3:
        return None
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        return None


def _told_dates(told: list[Report], others: Iterable[str | None]) -> dict[str, str | None]:
    """Each report's date as the rule reads it (by report id): its own, but a soft one's the one
    day a time phrase (or another event of the key, `others`) gives within SOFT_DAYS before it."""
    hard = {r.date for r in told if r.date and not is_soft(r)} | {d for d in others if d and d[0] != SOFT_MARK}
    days = sorted({day for d in hard if (day := _day(d)) is not None})
    out: dict[str, str | None] = {}
    for report in told:
        out[report.id] = report.date
        soft = _day(report.date) if is_soft(report) else None
        if soft is not None:
            near = [day for day in days if dt.timedelta(0) <= soft - day <= dt.timedelta(days=SOFT_DAYS)]
            if len(near) == 1:
                out[report.id] = near[0].isoformat()
    return out


def _grouped(reports: Iterable[Report], context: Context | None = None) -> list[list[Report]]:
    """Reports that tell one event, grouped by the rule of the module docstring; groups by key and
    date. `context` gives the dates of the events of a key whose reports are not all given."""
    by_key: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_key[report.key].append(report)
    groups: dict[tuple[str, str], list[Report]] = {}
    for key, told in by_key.items():
        others = list((context or {}).get(key, ()))
        read = _told_dates(told, others)
        dates = {d for d in read.values() if d} | {d.lstrip(SOFT_MARK) for d in others if d}
        most_precise = sorted(d for d in dates if not any(o != d and _extends(d, o) for o in dates))
        for report in told:
            date = read[report.id]
            if date is None:
                target = most_precise[0] if len(most_precise) == 1 else ""
            else:
                made_precise = [d for d in most_precise if _extends(date, d)]
                target = made_precise[0] if len(made_precise) == 1 else date
            groups.setdefault((key, target), []).append(report)
    return [groups[k] for k in sorted(groups)]


def _precision(report: Report) -> int:
    return len(_parts(report.date)) if report.date else 0


def _sureness(report: Report) -> tuple[int, bool]:
    """How precisely a report dates its event: by precision, then a time phrase over the article's date."""
    return _precision(report), not is_soft(report)


def article_reports(reports: Iterable[Report]) -> list[Report]:
    """An article's reports once per event it tells: of those the rule groups, the most precise,
    first in the text. In the article's order."""
    kept = [
        min(group, key=lambda r: (-_precision(r), is_soft(r), r.start, r.position, r.id)) for group in _grouped(reports)
    ]
    return sorted(kept, key=lambda r: r.position)


@dataclass(frozen=True)
class ConsolidatedEvent:
    """One real event: what its reports agree on, and the reports, in chronological order."""

    id: str
    key: str
    category: str
    date: str | None
    trigger: str
    date_text: str | None
    modality: str
    confidence: float
    quote: str | None
    plover: str | None
    sort_key: str
    agents: tuple[str, ...]
    patients: tuple[str, ...]
    reports: tuple[Report, ...] = field(default=())

    @classmethod
    def of(cls, reports: Iterable[Report]) -> ConsolidatedEvent:
        """The event of reports the rule groups (at least one)."""
        told = sorted(reports, key=chronological)
        date = max(told, key=_sureness).date
        lead = next(r for r in told if r.date == date)
        return cls(
            id=lead.id,
            key=lead.key,
            category=lead.category,
            date=date,
            trigger=lead.trigger,
            date_text=lead.date_text,
            modality=min((r.modality for r in told), key=_modality_rank),
            confidence=max(r.confidence for r in told),
            quote=lead.quote,
            plover=lead.plover,
            sort_key=event_sort_key(date, lead.article_date, lead.article, lead.start, lead.position),
            agents=lead.agents,
            patients=lead.patients,
            reports=tuple(told),
        )

    @property
    def soft(self) -> bool:
        """Whether only soft reports (is_soft) give its date."""
        return self.date is not None and all(is_soft(r) for r in self.reports if r.date == self.date)

    def row(self) -> Row:
        """Its Event node's properties."""
        values = {name: getattr(self, name) for name in EVENT_PROPERTIES if name != "reports"}
        return {**values, "reports": len(self.reports)}


def _modality_rank(modality: str) -> int:
    return MODALITIES.index(modality) if modality in MODALITIES else len(MODALITIES)


def consolidate(reports: Iterable[Report], context: Context | None = None) -> list[ConsolidatedEvent]:
    """The events that the reports of every article make (each article's reports as article_reports
    gives them), by id; with `context`, those of the reports given when the other events of their
    keys have those dates (see touched)."""
    grouped = _grouped(reports, context)
    return sorted((ConsolidatedEvent.of(group) for group in grouped), key=lambda e: e.id)


def touched(events: Mapping[str, tuple], new: Iterable[str | None]) -> set[str]:
    """Of the stored events of one key (id -> its date and the dates its reports give, then anything),
    those that reports of the `new` dates can change; the others keep their reports and stay as they
    are, and a Context gives their dates (context_date) to the regrouping of the ones read.

    While the key has at most one most precise date, every event (an undated report may leave the
    one dated event, or join it). Else undated reports stay undated, and a report joins or leaves
    only an event with a date that a new date makes more precise or is a less precise form of (its
    own, or one of its reports'), or a day within 2 x SOFT_DAYS of a new day (a soft report may go
    to or leave it): the undated event and those."""
    dates = {d for d, *_ in events.values() if d}
    most_precise = [d for d in dates if not any(o != d and _extends(d, o) for o in dates)]
    if len(most_precise) <= 1:
        return set(events)
    given = {d for d in new if d}
    return {
        event
        for event, (date, told, *_) in events.items()
        if date is None
        or any(_extends(x, y) or _extends(y, x) or _near(x, y) for x in {date, *told} if x for y in given)
    }


def _near(one: str, other: str) -> bool:
    """Days close enough that a soft report of one may change the event of the other: within twice
    SOFT_DAYS (a new day can take a soft report from an event whose day is SOFT_DAYS the other side)."""
    a, b = _day(one), _day(other)
    return a is not None and b is not None and abs((a - b).days) <= 2 * SOFT_DAYS


def reports_of_unkeyed(rows: Iterable[Mapping[str, Any]]) -> list[Report]:
    """The reports of events a store made before events were consolidated holds (one event per
    report, the report's fields on the event, no key): each article's once per event it tells.
    `rows`: the Event properties, `article`, `article_date`, the REPORTED_IN `evidence`, `start`,
    `end` and `sentence`, `agents` and `patients`, and `order`, the event's place among its
    article's (the order they were written in)."""
    by_article: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_article[row["article"]].append(row)
    out = []
    for article in sorted(by_article):
        told = []
        for position, r in enumerate(sorted(by_article[article], key=lambda r: (r["order"], r["id"]))):
            agents = tuple(sorted(set(r["agents"] or ())))
            patients = tuple(sorted(set(r["patients"] or ()) - set(agents)))
            told.append(
                Report(
                    id=r["id"],
                    key=event_key(r["category"], r["modality"] or "asserted", agents, patients, r["id"]),
                    article=article,
                    article_date=r["article_date"],
                    category=r["category"],
                    agents=agents,
                    patients=patients,
                    trigger=r["trigger"],
                    date=r["date"],
                    date_text=r["date_text"],
                    modality=r["modality"] or "asserted",
                    confidence=float(r["confidence"] if r["confidence"] is not None else 0.5),
                    quote=r["quote"],
                    plover=r["plover"],
                    evidence=r["evidence"],
                    start=int(r["start"]),
                    end=int(r["end"]),
                    sentence=int(r["sentence"]),
                    position=position,
                )
            )
        out += article_reports(told)
    return out


# -- what a store changes to hold the events of the keys it regroups --------------------------------


@dataclass
class StoredEvent:
    """An event as a store holds it: its node's properties and the reports its REPORTED_IN edges carry."""

    row: Row
    reports: dict[str, Report] = field(default_factory=dict)  # by report id


def stored_events(events: Iterable[Mapping[str, Any]], reports: Iterable[Mapping[str, Any]]) -> dict[str, StoredEvent]:
    """The stored events from what a backend read: `events` rows with the Event properties plus
    `agents` and `patients` (actor ids), `reports` rows with `event`, `article`, `article_date` and
    the REPORTED_IN properties."""
    out: dict[str, StoredEvent] = {}
    parties: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for e in events:
        out[e["id"]] = StoredEvent({name: e[name] for name in EVENT_PROPERTIES})
        parties[e["id"]] = tuple(sorted(e["agents"] or ())), tuple(sorted(e["patients"] or ()))
    for r in reports:
        stored = out[r["event"]]
        agents, patients = parties[r["event"]]
        report = Report(
            id=r["report"],
            key=stored.row["key"],
            article=r["article"],
            article_date=r["article_date"],
            category=stored.row["category"],
            agents=agents,
            patients=patients,
            trigger=r["trigger"],
            date=r["date"],
            date_text=r["date_text"],
            modality=r["modality"],
            confidence=float(r["confidence"]),
            quote=r["quote"],
            plover=stored.row["plover"],
            evidence=r["evidence"],
            start=int(r["start"]),
            end=int(r["end"]),
            sentence=int(r["sentence"]),
            position=int(r["position"]),
        )
        stored.reports[report.id] = report
    return out


@dataclass
class Changes:
    """What a store writes to hold `consolidate`'s events where it holds `stored`: rows by kind."""

    events: list[ConsolidatedEvent] = field(default_factory=list)  # the events of the keys, as they become
    delete: list[str] = field(default_factory=list)  # event ids (DETACH DELETE)
    create: list[Row] = field(default_factory=list)  # Event nodes
    update: list[Row] = field(default_factory=list)  # Event nodes whose properties change
    unlink: list[Row] = field(default_factory=list)  # {event, report}: REPORTED_IN edges to delete
    link: list[Row] = field(default_factory=list)  # REPORTED_IN edges to create (Report.row)
    agents: list[Row] = field(default_factory=list)  # {event, actor}, for the events created
    patients: list[Row] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.delete, self.create, self.update, self.unlink, self.link))


def changes(stored: Mapping[str, StoredEvent], extra: Iterable[Report] = (), context: Context | None = None) -> Changes:
    """What turns the stored events of some keys into the events their reports and `extra` (reports
    not stored yet) make: all the events of those keys, or those `touched` by the extra reports'
    dates with `context` the dates of all of them. Events and edges already right are left alone,
    so an event told once is written once. Rows come sorted by event id, so that concurrent
    transactions lock events in one order."""
    reports = [r for s in stored.values() for r in s.reports.values()]
    events = consolidate([*reports, *extra], context)
    out = Changes(events=events)
    wanted = {e.id for e in events}
    out.delete = sorted(i for i in stored if i not in wanted)
    for event in events:
        row = event.row()
        held = stored.get(event.id)
        if held is None:
            out.create.append(row)
            out.agents += [{"event": event.id, "actor": x} for x in event.agents]
            out.patients += [{"event": event.id, "actor": x} for x in event.patients]
            out.link += [r.row(event.id) for r in event.reports]
            continue
        if held.row != row:
            out.update.append(row)
        ids = {r.id for r in event.reports}
        out.unlink += [{"event": event.id, "report": r} for r in sorted(held.reports) if r not in ids]
        out.link += [r.row(event.id) for r in event.reports if r.id not in held.reports]
    return out
