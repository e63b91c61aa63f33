"""The extraction pipeline: Article -> parsed Doc -> entities -> events with dates -> Extraction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsgraph.ingest.dates import find_time_expressions, resolve
from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.events import EventExtractor, RawEvent, load_lexicon
from newsgraph.ingest.gazetteer import load_gazetteer
from newsgraph.ingest.nlp import PipelineInfo, load_pipeline
from newsgraph.ingest.taxonomy import load_taxonomy
from newsgraph.model import Article, Event, Extraction, stable_id

# Past-tense narration of background ("had warned", "previously said") carries no article date.
BACKGROUND_WORDS = {"previously", "earlier", "formerly", "once", "originally", "already"}
DATE_LABELS = ("DATE", "TIME")


@dataclass(frozen=True)
class Settings:
    pipeline: str | None = None
    gazetteer: str | None = None
    triggers: str | None = None


def extract(article: Article, settings: Settings | None = None) -> Extraction:
    """Extract the actors and events of one article."""
    return next(iter(extract_many([article], settings)))


def extract_many(
    articles: Iterable[Article], settings: Settings | None = None, batch_size: int = 8
) -> Iterator[Extraction]:
    """Extract many articles, streaming them through spaCy's nlp.pipe."""
    settings = settings or Settings()
    nlp, info = load_pipeline(settings.pipeline, settings.gazetteer)
    gazetteer = load_gazetteer(settings.gazetteer)
    lexicon = load_lexicon(settings.triggers)
    pairs = ((a.body, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        ents = ArticleEntities(doc, gazetteer)
        raw = EventExtractor(doc, ents, lexicon).events()
        entities = ents.entities()
        events = [_event(article, ents, ev) for ev in raw]
        yield Extraction(article=article, entities=entities, events=events, pipeline=_pipeline_meta(info))


def _pipeline_meta(info: PipelineInfo) -> dict[str, str]:
    return {"name": info.model, "version": info.version, "spacy": info.spacy_version}


def _event(article: Article, ents: ArticleEntities, ev: RawEvent) -> Event:
    trig = ev.trigger
    sent = ev.sentence
    date, date_text = _event_date(article, ev)
    plover = load_taxonomy()[ev.category].plover
    return Event(
        id=stable_id("ev", article.id, ev.category, trig.start, trig.end),
        category=ev.category,
        trigger=trig.text,
        trigger_start=trig.start,
        trigger_end=trig.end,
        agents=[ents.entity_id(a) for a in ev.agents],
        patients=[ents.entity_id(p) for p in ev.patients],
        evidence=sent.text.strip(),
        evidence_start=sent.start_char,
        evidence_end=sent.start_char + len(sent.text.rstrip()),
        sentence=ev.sent_index,
        date=date,
        date_text=date_text,
        modality=ev.modality,
        confidence=ev.confidence,
        quote=ev.quote,
        plover=plover,
    )


def _event_date(article: Article, ev: RawEvent) -> tuple[str | None, str | None]:
    """The date the sentence gives the event, resolved against the article date, else the article's own."""
    sent = ev.sentence
    tense = (
        "future"
        if ev.tense == "future" or ev.modality == "planned"
        else ("past" if ev.tense in ("past", "perfect", "pluperfect") else None)
    )
    candidates: list[tuple[int, str]] = []
    for ent in sent.ents:
        if ent.label_ in DATE_LABELS:
            candidates.append((ent.start_char, ent.text))
    for start, _end, text in find_time_expressions(sent.text):
        pos = sent.start_char + start
        if not any(abs(pos - s) < 3 for s, _ in candidates):
            candidates.append((pos, text))
    trig = ev.trigger.start
    for _pos, text in sorted(candidates, key=lambda c: abs(c[0] - trig)):
        resolved = resolve(text, article.date, tense=tense)
        if resolved is not None and resolved.granularity in ("day", "month"):
            return resolved.value, text
    if article.date is None:
        return None, None
    words = {t.lower_ for t in sent}
    if ev.tense == "pluperfect" or words & BACKGROUND_WORDS:
        return None, None
    return article.date, None
