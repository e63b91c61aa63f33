"""The EventExtractor: one article's events, composed from the jobs (triggers, roles, speech, modality,
consolidation)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.events.actors import Actors
from newsgraph.ingest.events.consolidate import consolidate
from newsgraph.ingest.events.context import Context
from newsgraph.ingest.events.lexicon import Lexicon
from newsgraph.ingest.events.modality import conditional, hypothetical, modality, tense
from newsgraph.ingest.events.raw import RawEvent
from newsgraph.ingest.events.roles import Roles
from newsgraph.ingest.events.speech import classify_speech, quote_in, quote_spans
from newsgraph.ingest.events.triggers import find_triggers
from newsgraph.ingest.nlp import doc_text, is_heading


class EventExtractor:
    """For each trigger (a verb, a multiword phrase or a noun), the agent is the grammatical subject
    (or the `by` phrase of a passive, or the speaker of the quote it sits in) and the patient the
    object or the object of a role preposition. Coordinated actors, pronouns, "we" inside a quote
    and group mentions ("the unions") are expanded to the named entities they stand for."""

    def __init__(self, doc: Doc, ents: ArticleEntities, lexicon: Lexicon):
        self.doc, self.ents, self.lex = doc, ents, lexicon
        self.ctx = Context(doc, ents, lexicon, list(doc.sents), quote_spans(doc_text(doc)))
        self.actors = Actors(self.ctx)
        self.roles = Roles(self.actors)

    def events(self) -> list[RawEvent]:
        """The events of the article, once each, in the order the article tells them."""
        out: list[RawEvent] = []
        for si, sent in enumerate(self.ctx.sents):
            if is_heading(sent):
                continue  # a headline or standfirst restates the story the body tells
            for trig in find_triggers(self.ctx, sent):
                if hypothetical(trig.token) or (not trig.nominal and conditional(trig.token)):
                    continue  # "the opportunity to appoint a new cabinet member"
                category = trig.category
                if trig.rule.speech:
                    category = classify_speech(self.ctx, trig, sent)
                roles = self.roles.of(trig, category)
                if roles is None:
                    continue
                agents, patients = roles
                ev = RawEvent(category, trig, sent, si, agents, patients)
                ev.modality = modality(self.lex, trig, category)
                ev.tense = tense(self.lex, trig)
                ev.quote = (
                    quote_in(self.ctx, sent) if trig.rule.speech or self.lex.categories[category].quoted else None
                )
                ev.confidence = round(0.4 + 0.25 * bool(agents) + 0.15 * bool(patients) + 0.1 * (not trig.nominal), 2)
                out.append(ev)
                finding = self.roles.finding_against(trig, category, agents)
                if finding and not ev.patients:
                    ev.patients = list(finding)  # "the court ruled that the government's plan is unlawful"
                if finding:
                    # "The court ruled that the plan is unlawful": a ruling and a finding of fault.
                    finding_as = self.lex.categories[category].finding_as
                    extra = RawEvent(finding_as, trig, sent, si, agents, finding, modality=ev.modality)
                    extra.tense, extra.confidence = ev.tense, round(ev.confidence - 0.1, 2)
                    out.append(extra)
        return consolidate(out, self.actors)
