"""The one mapping from an extraction to graph rows, used by every backend and by the graph built
in memory, so the graph does not depend on the backend, on what the store already holds or on the
order articles are written in.

One article gives rows of seven kinds (ROW_KINDS), nodes before the relationships that join them:
its Article; an Actor per entity id (the first entity of an id wins); a MENTIONED_IN per actor with
the forms the article uses for it (mention texts, then aliases), the titles it gives it, the name
and type it gives it (which name the actor: naming.py) and the merges cross-article resolution made
into it; a HOLDS_ROLE per title when the entity's organisation is an actor of the same article (else
the title stays on the MENTIONED_IN only); an Event per report with its REPORTED_IN, the event as
the article alone tells it (an article tells an event once: consolidate.article_reports); and AGENT
and PATIENT edges, each once, only to actors of the same extraction, an actor both agent and
patient of one event being its agent (so counting AGENT and PATIENT edges counts events). What
other articles report of the same events is no part of an article's rows: a store regroups the
reports of the keys a write touched (store/consolidate.py), and the graph built in memory groups the
reports of all its articles by that same rule.

Rows that lock shared nodes come sorted by the actor id they touch, so that concurrent writers
always take their locks in one order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsgraph.model import Entity, Event, Extraction
from newsgraph.store.consolidate import ConsolidatedEvent, Report, article_reports, consolidate, event_key
from newsgraph.store.consolidate import event_sort_key as event_sort_key
from newsgraph.store.naming import actor_naming
from newsgraph.store.records import ActorRecord, ArticleRecord, EventRecord, GraphSnapshot, ReportRecord, RoleRecord
from newsgraph.store.selection import order

Row = dict[str, Any]
ROW_KINDS = ("articles", "actors", "mentions", "roles", "events", "agents", "patients")
# Keys of rows that are no property of the graph (the ends of relationships).
ROW_KEYS = ("actor", "holder", "organisation", "event", "article")


def pipeline_label(pipeline: dict[str, str]) -> str | None:
    """An Extraction's pipeline as stored on its article: "{name} {version}", None when it names none."""
    name, version = pipeline.get("name"), pipeline.get("version")
    if not name:
        return None
    return f"{name} {version}" if version else name


def article_row(extraction: Extraction) -> Row:
    """The Article node's properties. A url that is not an http(s) URL (a javascript: one in an
    extraction made elsewhere) is not stored."""
    from newsgraph.ingest.metadata import web_url

    art = extraction.article
    return {
        "id": art.id,
        "source": art.source,
        "url": art.url if web_url(art.url) else None,
        "title": art.title,
        "date": art.date,
        "outlet": art.outlet,
        "author": art.author,
        "content_hash": art.content_hash,
        "body": art.body,
        "pipeline": pipeline_label(extraction.pipeline),
    }


def event_parts(event: Event, actors: set[str]) -> tuple[list[str], list[str]]:
    """An event's agents and patients as edges: each once, only actors of its extraction (`actors`),
    and none both."""
    agents = [x for x in dict.fromkeys(event.agents) if x in actors]
    patients = [x for x in dict.fromkeys(event.patients) if x in actors and x not in agents]
    return agents, patients


def role_organisation(entity: Entity, actors: set[str]) -> str | None:
    """The organisation an entity's roles tie it to, when it is an actor of the same extraction."""
    return entity.affiliation if entity.affiliation in actors else None


def actor_lists(
    name: str | None, forms: Iterable[Iterable[str] | None], roles: Iterable[Iterable[str] | None]
) -> tuple[list[str], list[str]]:
    """An actor's aliases (every form its articles use, less its name in any case) and role titles,
    from the `forms` and `roles` of its MENTIONED_IN edges: what a store keeps on the Actor."""
    folded = (name or "").casefold()
    aliases = sorted({f for group in forms if group for f in group if f and f.casefold() != folded})
    titles = sorted({t for group in roles if group for t in group if t})
    return aliases, titles


def _unique(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _first_per_id(items: Iterable[Any]) -> list[Any]:
    first: dict[str, Any] = {}
    for item in items:
        first.setdefault(item.id, item)
    return list(first.values())


def reports(extraction: Extraction) -> list[Report]:
    """The article's reports, once per event it tells (consolidate.article_reports), in its order."""
    art = extraction.article
    actors = {e.id for e in extraction.entities}
    told = []
    for position, ev in enumerate(_first_per_id(extraction.events)):
        agents, patients = event_parts(ev, actors)
        told.append(
            Report(
                id=ev.id,
                key=event_key(ev.category, ev.modality, agents, patients, ev.id),
                article=art.id,
                article_date=art.date,
                category=ev.category,
                agents=tuple(sorted(agents)),
                patients=tuple(sorted(patients)),
                trigger=ev.trigger,
                date=ev.date,
                date_text=ev.date_text,
                modality=ev.modality,
                confidence=float(ev.confidence),
                quote=ev.quote,
                plover=ev.plover,
                evidence=ev.evidence,
                start=int(ev.evidence_start),
                end=int(ev.evidence_end),
                sentence=int(ev.sentence),
                position=position,
            )
        )
    return article_reports(told)


def extraction_rows(
    extraction: Extraction, merges: dict[str, list[str]] | None = None, told: list[Report] | None = None
) -> dict[str, list[Row]]:
    """The rows one article gives, by kind (ROW_KINDS); `merges` (actor id -> records, from
    graph/resolve.py) go on the actor's MENTIONED_IN as `merged_from` (null for an actor without);
    `told`, the article's reports when the caller has them already."""
    merges = merges or {}
    art = extraction.article
    entities = _first_per_id(extraction.entities)
    entity_ids = {e.id for e in entities}
    rows: dict[str, list[Row]] = {kind: [] for kind in ROW_KINDS}
    rows["articles"].append(article_row(extraction))
    for ent in entities:
        titles = _unique(ent.roles)
        rows["actors"].append({"id": ent.id, "name": ent.name, "kind": ent.type})
        rows["mentions"].append(
            {
                "actor": ent.id,
                "article": art.id,
                "mentions": len(ent.mentions),
                "forms": _unique([m.text for m in ent.mentions] + list(ent.aliases)),
                "roles": titles,
                "merged_from": _unique(merges.get(ent.id, [])) or None,  # none: null, so an index finds the merges
                "name": ent.name,  # the article's own, which names the actor with its other articles' (naming.py)
                "kind": ent.type,
            }
        )
        organisation = role_organisation(ent, entity_ids)
        if organisation:
            rows["roles"].extend(
                {"holder": ent.id, "organisation": organisation, "title": title, "article": art.id} for title in titles
            )
    for report in reports(extraction) if told is None else told:
        event = ConsolidatedEvent.of([report])
        rows["events"].append({**report.row(event.id), **event.row(), "agents": list(event.agents),
                               "patients": list(event.patients)})  # fmt: skip
        rows["agents"].extend({"event": event.id, "actor": x} for x in event.agents)
        rows["patients"].extend({"event": event.id, "actor": x} for x in event.patients)
    # One lock order for every writer: shared nodes (actors) by id.
    rows["actors"].sort(key=lambda r: r["id"])
    rows["mentions"].sort(key=lambda r: r["actor"])
    rows["roles"].sort(key=lambda r: (r["holder"], r["organisation"], r["title"]))
    for kind in ("agents", "patients"):
        rows[kind].sort(key=lambda r: (r["actor"], r["event"]))
    return rows


def snapshot_from_extractions(extractions: Iterable[Extraction]) -> GraphSnapshot:
    """The graph the extractions give once stored, built in memory from the same rows (for export
    without a store): what a store's snapshot() gives after writing them into an empty store."""
    articles: dict[str, ArticleRecord] = {}
    names: dict[str, tuple[str, str]] = {}
    mentions: dict[str, list[Row]] = {}
    told: list[Report] = []
    roles: list[RoleRecord] = []
    for ex in extractions:
        rows = extraction_rows(ex)
        [art] = rows["articles"]
        if art["id"] in articles:  # a store finds it unchanged
            continue
        articles[art["id"]] = ArticleRecord(
            art["id"], art["source"], art["url"], art["title"], art["date"], art["outlet"], art["content_hash"],
            art["pipeline"],
        )  # fmt: skip
        for row in rows["actors"]:
            names.setdefault(row["id"], (row["name"], row["kind"]))
        for row in rows["mentions"]:
            mentions.setdefault(row["actor"], []).append(row)
        tied = {(r["holder"], r["title"]) for r in rows["roles"]}
        roles += [RoleRecord(r["holder"], r["organisation"], r["title"], r["article"]) for r in rows["roles"]]
        roles += [
            RoleRecord(m["actor"], None, title, m["article"])
            for m in rows["mentions"]
            for title in m["roles"]
            if (m["actor"], title) not in tied
        ]
        told += reports(ex)
    actors = []
    for actor, (first_name, first_kind) in names.items():
        votes = [(m["name"], m["kind"], m["mentions"]) for m in mentions[actor]]
        name, kind = actor_naming(actor, first_name, first_kind, votes)
        aliases, _ = actor_lists(name, [m["forms"] for m in mentions[actor]], [])
        actors.append(ActorRecord(actor, name, kind, aliases, [m["article"] for m in mentions[actor]]))
    events = [event_record(e) for e in consolidate(told)]
    return order(GraphSnapshot(list(articles.values()), actors, events, roles))


def event_record(event: ConsolidatedEvent) -> EventRecord:
    """An event as snapshots hand it out."""
    told = [
        ReportRecord(r.article, r.evidence, r.start, r.end, r.sentence, r.trigger, r.date, r.date_text, r.modality,
                     r.confidence, r.quote, r.id)
        for r in event.reports
    ]  # fmt: skip
    return EventRecord(
        event.id, event.category, event.trigger, event.date, event.date_text, event.modality, event.confidence,
        event.quote, list(event.agents), list(event.patients), told,
    )  # fmt: skip
