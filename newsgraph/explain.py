"""An event explained for a reader: the sentence of its lead report with its trigger, agents and
patients marked, the article and outlet it comes from, the other articles that report it, and why
the extractor kept it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from newsgraph.model import short_event_id

MarkKind = Literal["trigger", "agent", "patient"]

FORMS = """
MATCH (e:Event {id: $event})-[:{role}]->(x:Actor)
OPTIONAL MATCH (x)-[m:MENTIONED_IN]->(a:Article {id: $article})
RETURN x.name AS name, x.aliases AS aliases, m.forms AS forms
ORDER BY name
"""


@dataclass
class Mark:
    start: int  # offsets into the sentence
    end: int
    kind: MarkKind


@dataclass
class Explanation:
    id: str
    category: str
    label: str  # the category in the taxonomy's words ("Write to")
    trigger: str
    date: str | None  # the event's own date, else None
    date_text: str | None  # the words it was read from ("on Monday")
    modality: str
    confidence: float | None
    sentence: str
    marks: list[Mark]
    agents: list[str]
    patients: list[str]
    article: dict[str, Any]  # id, title, url, source, outlet, published
    sentence_index: int | None
    start: int | None  # the sentence's offsets in the article body
    end: int | None
    # The trained model's strongest features for this event, strongest first, when the store keeps
    # them (it does not yet: extraction has them as RawEvent.why); shown under "features".
    features: list[tuple[str, float]] = field(default_factory=list)
    # The other articles that report the event, earliest first: title, outlet, published, sentence.
    also: list[dict[str, Any]] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return short_event_id(self.id)

    def reasons(self) -> list[str]:
        """Why the extractor kept the event, as it can be told from what the store holds."""
        reasons = [f"the trigger “{self.trigger}” names a {self.label} event"]
        if self.agents and self.patients:
            reasons.append("an agent and a patient were found")
        elif self.agents:
            reasons.append("an agent was found; this category needs no patient")
        elif self.patients:
            reasons.append("a patient was found; the text names no agent")
        if self.modality != "asserted":
            reasons.append(f"told as {self.modality}")
        if self.confidence is not None:
            reasons.append(f"confidence {self.confidence:.2f}")
        return reasons


def explain_event(store: Any, event: str) -> Explanation:
    """The explanation of an event named by its id or the start of it; QueryError when none fits."""
    from newsgraph.queries import run

    reports = run(store, "provenance", {"event": event})
    row = next((r for r in reports if r["lead"]), reports[0] if reports else None)
    if row is None:  # an event without its article: a store the writers never leave so
        from newsgraph.errors import QueryError

        raise QueryError(f"{event}: the event has no article in the store")
    sentence = row["sentence"] or ""
    forms = {
        role: store.query(FORMS.replace("{role}", role.upper()), {"event": row["id"], "article": row["article"]})
        for role in ("agent", "patient")
    }
    return Explanation(
        id=row["id"],
        category=row["category"],
        label=_label(row["category"]),
        trigger=row["trigger"],
        date=row["date"],
        date_text=row["date_text"],
        modality=row["modality"] or "asserted",
        confidence=row["confidence"],
        sentence=sentence,
        marks=marks(sentence, row["trigger"], forms["agent"], forms["patient"]),
        agents=list(row["agents"] or []),
        patients=list(row["patients"] or []),
        article={k: row[k] for k in ("article", "title", "url", "source", "outlet", "published")},
        sentence_index=row["sentence_index"],
        start=row["start"],
        end=row["end"],
        also=[
            {k: r[k] for k in ("article", "title", "url", "source", "outlet", "published", "sentence")}
            for r in reports
            if r is not row
        ],
    )


def marks(sentence: str, trigger: str | None, agents: list[dict], patients: list[dict]) -> list[Mark]:
    """Where the trigger and each agent and patient stand in the sentence: the trigger's first
    occurrence, then every whole-word occurrence of the names and surface forms the article uses for
    them (the longest first), never overlapping one another."""
    found: list[Mark] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or start >= m.end for m in found)

    if trigger:
        at = sentence.lower().find(trigger.lower())
        if at >= 0:
            found.append(Mark(at, at + len(trigger), "trigger"))
    wanted = [
        (form, kind)
        for kind, rows in (("agent", agents), ("patient", patients))
        for row in rows
        for form in {row["name"], *(row["aliases"] or []), *(row["forms"] or [])}
        if form
    ]
    for form, kind in sorted(wanted, key=lambda fk: -len(fk[0])):
        for hit in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", sentence):
            if free(hit.start(), hit.end()):
                found.append(Mark(hit.start(), hit.end(), kind))  # type: ignore[arg-type]
    return sorted(found, key=lambda m: m.start)


def _label(category: str) -> str:
    from newsgraph.errors import ConfigError
    from newsgraph.ingest.taxonomy import load_taxonomy

    try:
        taxonomy = load_taxonomy()
    except ConfigError:
        return category
    return taxonomy[category].label if category in taxonomy else category.replace("_", " ")
