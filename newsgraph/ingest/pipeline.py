"""The extraction pipeline: Article -> parsed Doc -> entities -> events with dates -> Extraction."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newsgraph.errors import ExtractionError
from newsgraph.ingest.classifier import EventModel, load_event_model, model_events
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
DEADLINE_WORDS = {"by", "until", "before", "till"}


@dataclass(frozen=True)
class Settings:
    pipeline: str | None = None
    gazetteer: str | None = None
    triggers: str | None = None
    model: str | None = None  # a trained event model file; None: the shipped one; "rules": none


@dataclass(frozen=True)
class ExtractionFailure:
    """One article that could not be extracted: which, why in one line, and the traceback for -v."""

    source: str
    reason: str
    detail: str = ""


OnError = Callable[[ExtractionFailure], None]
log = logging.getLogger("newsgraph")


def extract(article: Article, settings: Settings | None = None) -> Extraction:
    """Extract the actors and events of one article (raises ExtractionError when it cannot)."""
    failures: list[ExtractionFailure] = []
    for ex in extract_many([article], settings, on_error=failures.append):
        return ex
    raise ExtractionError(f"{failures[0].source}: {failures[0].reason}")


def extract_many(
    articles: Iterable[Article], settings: Settings | None = None, batch_size: int = 8, on_error: OnError | None = None
) -> Iterator[Extraction]:
    """Extract many articles, streaming them through spaCy's nlp.pipe.

    An article that cannot be extracted (too long for the pipeline, or an error inside the extractor)
    is left out and handed to `on_error` (default: a warning on the log); the others go on.
    """
    on_error = on_error or _log_failure
    extractor = Extractor(settings)
    nlp = extractor.nlp

    def fitting() -> Iterator[tuple[str, Article]]:
        for a in articles:
            if len(a.body) > nlp.max_length:
                reason = f"too long for the pipeline ({len(a.body):,} characters; its limit is {nlp.max_length:,})"
                on_error(ExtractionFailure(a.source, reason))
                continue
            yield a.body, a

    for doc, article in nlp.pipe(fitting(), as_tuples=True, batch_size=batch_size):
        try:
            extraction = extractor.from_doc(article, doc)
        except Exception as exc:  # noqa: BLE001 (one article's failure must not stop the batch)
            reason = f"extraction failed ({type(exc).__name__}: {' '.join(str(exc).split())[:160]})"
            on_error(ExtractionFailure(article.source, reason, traceback.format_exc()))
            continue
        yield extraction


class Extractor:
    """What extraction needs loaded once: the spaCy pipeline, gazetteer, trigger lexicon and the
    trained event model (none when `Settings.model` is "rules" or no model ships)."""

    def __init__(self, settings: Settings | None = None, model: EventModel | None | str = "load", entity_model="load"):
        settings = settings or Settings()
        self.nlp, self.info = load_pipeline(settings.pipeline, settings.gazetteer)
        self.gazetteer = load_gazetteer(settings.gazetteer)
        self.lexicon = load_lexicon(settings.triggers)
        self.model = load_event_model(settings.model) if model == "load" else model
        self.entity_model = entity_model  # the trained entity layer: "load" (shipped), None (rules), a model

    def from_doc(self, article: Article, doc) -> Extraction:
        """The extraction of an article already parsed by this extractor's pipeline."""
        ents = ArticleEntities(doc, self.gazetteer, article.date, model=self.entity_model)
        events = EventExtractor(doc, ents, self.lexicon)
        raw = model_events(events, self.model) if self.model is not None else events.events()
        entities = ents.entities()
        found = _one_death_each([_event(article, ents, ev) for ev in raw])
        return Extraction(article=article, entities=entities, events=found, pipeline=_pipeline_meta(self.info))


def _log_failure(failure: ExtractionFailure) -> None:
    log.warning("skipped %s: %s", failure.source, failure.reason)
    log.debug("%s", failure.detail)


def _one_death_each(events: list[Event]) -> list[Event]:
    """A death is one event however often the article returns to it: the first telling that says
    when ('her death on 8 January') stands, else the first."""
    tellings: dict[tuple[str, ...], list[Event]] = {}
    for ev in events:
        if ev.category == "die":
            tellings.setdefault(tuple(sorted(ev.patients)), []).append(ev)
    keep = {next((ev for ev in group if ev.date_text), group[0]).id for group in tellings.values()}
    return [ev for ev in events if ev.category != "die" or ev.id in keep]


def _pipeline_meta(info: PipelineInfo) -> dict[str, str]:
    return {"name": info.model, "version": info.version, "spacy": info.spacy_version}


def _event(article: Article, ents: ArticleEntities, ev: RawEvent) -> Event:
    trig = ev.trigger
    sent = ev.sentence
    evidence = sent.text.strip()
    start = sent.start_char + len(sent.text) - len(sent.text.lstrip())  # offsets of the stripped sentence
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
        evidence=evidence,
        evidence_start=start,
        evidence_end=start + len(evidence),
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
        else ("past" if ev.tense in ("past", "perfect", "pluperfect") or ev.category == "die" else None)
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
    anchor = _clause_verb(ev.trigger.token)
    death = ev.category == "die" and ev.trigger.nominal
    for pos, text in sorted(candidates, key=lambda c: abs(c[0] - trig)):
        at = _token_at(sent, pos)
        verb = _clause_verb(at)
        if death and not ev.trigger.token.is_ancestor(at):
            continue  # "an inquest into the death of X opened on Monday": Monday is the inquest's
        if not death and not _governs(at, verb, anchor):
            continue  # "called on them to publish a plan by 7 February": the date is the plan's
        if _reports_it(ev, anchor, verb):
            continue  # "Doctors will strike in January, the BMA has announced": the strike's date
        resolved = resolve(text, article.date, tense=tense)
        other_year = (
            resolved is not None and resolved.granularity == "year" and resolved.value != (article.date or "")[:4]
        )
        if other_year and verb.i == anchor.i:
            return None, text  # "sacked in 2012": another year, at no finer grain than the year
        if resolved is not None and resolved.granularity in ("day", "month"):
            if tense == "past" and article.date and resolved.value[:7] > article.date[:7]:
                continue  # "From September 2026 … the government has announced": the policy's date
            return resolved.value, text
    if article.date is None or death:
        return None, None  # "the inquest into the death of X" refers to a death; it does not date it
    words = {t.lower_ for t in sent if t.head.i == anchor.i}  # "previously said", not "earlier this month"
    if ev.tense == "pluperfect" or words & BACKGROUND_WORDS:
        return None, None
    return article.date, None


def _clause_verb(tok):
    """The verb whose clause a token belongs to (a noun trigger's governing verb, or itself)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _token_at(sent, pos: int):
    """The token at a character offset of the sentence (its root when none is)."""
    span = sent.doc.char_span(pos, pos + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else sent.root


def _reports_it(ev: RawEvent, anchor, verb) -> bool:
    """Whether a time expression's clause is what a saying or announcement reports, not the saying:
    below it ('announced that doctors will strike in January') or, when the saying is hung on the
    clause it reports, above it ('Doctors will strike in January, the BMA has announced')."""
    says = ev.trigger.rule.speech or ev.category in ("statement", "announce_policy")
    if not says or verb.i == anchor.i:
        return False
    hung = anchor.dep_ in ("advcl", "parataxis", "ccomp") and anchor.i > anchor.head.i and anchor.tag_ != "VBG"
    return anchor.is_ancestor(verb) or (hung and verb.is_ancestor(anchor))


def _governs(at, verb, anchor) -> bool:
    """A time expression (first token `at`, in the clause of `verb`) dates an event when its clause
    is the trigger's clause or one above it."""
    if verb.i == anchor.i or verb.is_ancestor(anchor) or verb.pos_ not in ("VERB", "AUX"):
        return True
    # A deadline in a subordinate clause dates what is asked for, not the asking:
    # "called on them to publish a plan by 7 February". Other subordinate dates still count:
    # "said she would be writing to confirm this tomorrow".
    before = at.doc[at.i - 1].lower_ if at.i > 0 else ""
    if before in DEADLINE_WORDS or not anchor.is_ancestor(verb):
        return False
    # A relative clause dates its noun: "issued a report following an inquest that concluded
    # earlier this month" says when the inquest concluded, not when the report was issued.
    node = verb
    while node.i != anchor.i:
        if node.dep_ in ("relcl", "acl"):
            return False
        node = node.head
    return True


def extract_parallel(
    articles: Iterable[Article],
    settings: Settings | None = None,
    workers: int = 1,
    chunk: int = 16,
    on_error: OnError | None = None,
) -> Iterator[Extraction]:
    """extract_many over `workers` processes, results in input order; `workers=1` is extract_many itself.

    Each worker loads the pipeline once (load_pipeline is the pool's initializer and is cached) and
    extracts `chunk` articles per task. At most two tasks per worker are in flight, so memory stays
    flat however many articles stream through. Workers are spawned, not forked: a fork would copy a
    parent's threads and locks (httpx, logging) into every worker.
    """
    import multiprocessing
    from collections import deque
    from functools import partial
    from itertools import islice

    from newsgraph.errors import InputError

    if workers < 1 or chunk < 1:
        raise InputError(f"workers and chunk must be at least 1, not {workers} and {chunk}")
    settings = settings or Settings()
    if workers == 1:
        yield from extract_many(articles, settings, on_error=on_error)
        return
    on_error = on_error or _log_failure
    task = partial(_extract_chunk, settings=settings)
    context = multiprocessing.get_context("spawn")
    source = iter(articles)
    with context.Pool(workers, initializer=load_pipeline, initargs=(settings.pipeline, settings.gazetteer)) as pool:
        in_flight: deque = deque()
        while True:
            while len(in_flight) < 2 * workers and (batch := list(islice(source, chunk))):
                in_flight.append(pool.apply_async(task, (batch,)))
            if not in_flight:
                break
            for item in in_flight.popleft().get():
                if isinstance(item, ExtractionFailure):
                    on_error(item)
                else:
                    yield item


def _extract_chunk(articles: list[Article], settings: Settings) -> list[Extraction | ExtractionFailure]:
    """One task of extract_parallel, in a worker: a list (a generator cannot be sent back), the
    failures in it at their place."""
    out: list[Extraction | ExtractionFailure] = []
    for ex in extract_many(articles, settings, on_error=out.append):
        out.append(ex)
    return out
