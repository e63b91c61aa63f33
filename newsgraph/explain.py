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
    # The trained model's strongest features for this event, strongest first (`trigger_features`),
    # and where they come from or why there are none; shown under "features".
    features: list[tuple[str, float]] = field(default_factory=list)
    features_note: str | None = None
    # The other articles that report the event, earliest first: title, outlet, published, sentence.
    also: list[dict[str, Any]] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return short_event_id(self.id)

    def reasons(self) -> list[str]:
        """Why the extractor kept the event, as it can be told from what the store holds."""
        a = "an" if self.label[:1].lower() in "aeiou" else "a"
        reasons = [f"the trigger “{self.trigger}” names {a} {self.label} event"]
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


ARTICLE_TEXT = "MATCH (a:Article {id: $article}) RETURN a.body AS body, a.source AS source, a.date AS date"


def trigger_features(
    store: Any, ex: Explanation, model: str | None = None, top: int = 6
) -> tuple[list[tuple[str, float]], str]:
    """Why the trained layer kept the event: the features of its trigger that weigh most for its
    category against no event, strongest first, as the model in use (`model`: a path, None for the
    shipped one) reads again the article text the store keeps; and a note that says so, or why there
    are none (no text stored, the rules alone, the event no longer found)."""
    from newsgraph.ingest.events.classifier import NONE
    from newsgraph.ingest.nlp import stripped
    from newsgraph.ingest.pipeline import Extractor
    from newsgraph.ingest.settings import Settings
    from newsgraph.model import Article

    rows = store.query(ARTICLE_TEXT, {"article": ex.article["article"]})
    if not rows or not rows[0]["body"]:
        return [], "none: the store does not keep the article's text"
    extractor = Extractor(Settings(model=model))
    if extractor.model is None:
        return [], "none: no trained model is in use (the rules alone)"
    article = Article(body=rows[0]["body"], source=rows[0]["source"] or "", date=rows[0]["date"])
    _, _, raw = extractor.raw_events(article, extractor.nlp(article.body))
    for ev in raw:
        found = (ev.category, ev.trigger.text.casefold(), stripped(ev.sentence)[1])
        if found == (ex.category, (ex.trigger or "").casefold(), ex.start):
            weights = extractor.model.triggers.weights(ev.features, ev.category, NONE)
            return _strongest(weights, top), f"the model in use, reading the article again: {len(weights)} features"
    return [], "none: the model in use no longer finds this event in its article"


def _strongest(weights: dict[str, float], top: int) -> list[tuple[str, float]]:
    """The features that weigh most for the event, strongest first; the components of the trigger
    word's vector (v0, v1, ...) count together, as "word vector"."""
    from newsgraph.ingest.linear import is_vector_feature

    grouped: dict[str, float] = {}
    for name, w in weights.items():
        key = "word vector" if is_vector_feature(name) else name
        grouped[key] = grouped.get(key, 0.0) + w
    return sorted(((k, round(w, 2)) for k, w in grouped.items() if w > 0), key=lambda x: (-x[1], x[0]))[:top]


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
