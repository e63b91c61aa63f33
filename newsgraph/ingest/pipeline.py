"""The extraction pipeline: Article -> parsed Doc -> entities -> events with dates -> Extraction."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Iterator

from newsgraph.errors import ExtractionError
from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.entity_model import EntityModel
from newsgraph.ingest.events import EventExtractor, RawEvent, load_lexicon
from newsgraph.ingest.events.classifier import EventModel, model_events
from newsgraph.ingest.events.consolidate import once_per_patient
from newsgraph.ingest.events.dating import event_date
from newsgraph.ingest.gazetteer import load_gazetteer
from newsgraph.ingest.nlp import PipelineInfo, load_pipeline, stripped
from newsgraph.ingest.settings import ExtractionFailure, Settings
from newsgraph.ingest.taxonomy import Category
from newsgraph.ingest.trained import TrainedModel, load_model
from newsgraph.model import Article, Event, Extraction, stable_id

# Articles per nlp.pipe batch. On the 2-core machines this is measured on (bench/extract.py), 32 parses
# 200 news articles about 10% faster than 8 and than spaCy's default of 256, both for newsgraph's
# pipeline and for bare spaCy; a batch is still small beside an article's extraction.
BATCH_SIZE = 32

OnError = Callable[[ExtractionFailure], None]
log = logging.getLogger("newsgraph")


def extract(article: Article, settings: Settings | None = None) -> Extraction:
    """Extract the actors and events of one article (raises ExtractionError when it cannot)."""
    failures: list[ExtractionFailure] = []
    for ex in extract_many([article], settings, on_error=failures.append):
        return ex
    raise ExtractionError(f"{failures[0].source}: {failures[0].reason}")


def extract_many(
    articles: Iterable[Article],
    settings: Settings | None = None,
    batch_size: int = BATCH_SIZE,
    on_error: OnError | None = None,
    extractor: Extractor | None = None,
) -> Iterator[Extraction]:
    """Extract many articles, streaming them through spaCy's nlp.pipe (with `extractor`, one
    already loaded for these settings).

    An article that cannot be extracted (too long for the pipeline, or an error inside the extractor)
    is left out and handed to `on_error` (default: a warning on the log); the others go on.
    """
    on_error = on_error or _log_failure
    extractor = extractor or Extractor(settings)
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

    def __init__(self, settings: Settings | None = None, model: TrainedModel | None | str = "load"):
        settings = settings or Settings()
        self.nlp, self.info = load_pipeline(settings.pipeline, settings.gazetteer)
        self.gazetteer = load_gazetteer(settings.gazetteer)
        self.lexicon = load_lexicon(settings.triggers)
        if isinstance(model, str):  # "load": as the settings say; "rules" or a path: that
            trained = load_model(settings.model if model == "load" else model)
        else:
            trained = model or TrainedModel()
        self.model: EventModel | None = trained.events  # the trained event layer, None for the rules alone
        self.entity_model: EntityModel | None = trained.entities

    def from_doc(self, article: Article, doc) -> Extraction:
        """The extraction of an article already parsed by this extractor's pipeline."""
        ents, events, raw = self.raw_events(article, doc)
        entities = ents.entities()
        kinds = self.lexicon.categories
        is_news = self.model.news_decider(events.ctx, raw, article.title) if self.model is not None else None
        found = once_per_patient([_event(article, ents, ev, kinds, is_news) for ev in raw], kinds)
        return Extraction(article=article, entities=entities, events=found, pipeline=_pipeline_meta(self.info))

    def raw_events(self, article: Article, doc) -> tuple[ArticleEntities, EventExtractor, list[RawEvent]]:
        """The article's actors, the event rules' view of it and its events before they become the
        extraction's (with what the trained layer saw of each trigger: `RawEvent.features`)."""
        ents = ArticleEntities(doc, self.gazetteer, article.date, model=self.entity_model)
        events = EventExtractor(doc, ents, self.lexicon)
        raw = model_events(events, self.model) if self.model is not None else events.events()
        return ents, events, raw


def _log_failure(failure: ExtractionFailure) -> None:
    log.warning("skipped %s: %s", failure.source, failure.reason)
    log.debug("%s", failure.detail)


def _pipeline_meta(info: PipelineInfo) -> dict[str, str]:
    return {"name": info.model, "version": info.version, "spacy": info.spacy_version}


def _event(article: Article, ents: ArticleEntities, ev: RawEvent, kinds: dict[str, Category], is_news=None) -> Event:
    trig = ev.trigger
    evidence, start = stripped(ev.sentence)
    date, date_text = event_date(article, ev, kinds, is_news)
    plover = kinds[ev.category].plover
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
