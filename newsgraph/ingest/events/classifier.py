"""The trained event layer: linear models that decide which category each candidate trigger tells
(or none), and which of the actors around it are its agent and patient. The hand rules are their
features, not their decisions.

A model file is JSON: for each model its classes, feature names and weights, plus the trigger nouns
learned from the gold, the decision thresholds and what it was trained on. No article text is in it.
Training lives in `newsgraph.evaluate.training`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from newsgraph.errors import ConfigError
from newsgraph.ingest.entities import Cluster
from newsgraph.ingest.events.candidates import Candidate, Featurizer, candidates, category_centroids, trigger_of
from newsgraph.ingest.events.consolidate import consolidate
from newsgraph.ingest.events.context import Context
from newsgraph.ingest.events.dating import headline_words, news_features
from newsgraph.ingest.events.extractor import EventExtractor
from newsgraph.ingest.events.modality import modality, tense
from newsgraph.ingest.events.raw import RawEvent, Trigger
from newsgraph.ingest.events.role_candidates import actor_candidates, pair_features
from newsgraph.ingest.events.speech import quote_in
from newsgraph.ingest.events.syntax import is_passive
from newsgraph.ingest.linear import LinearModel, check_format, dump_json, load_json, not_a
from newsgraph.ingest.nlp import owner_cache

NONE = "none"
AGENT, PATIENT = "agent", "patient"
FORMAT = "newsgraph-event-model/1"
DEFAULT_THRESHOLDS = {"trigger": 0.5, "keep": 0.0, "agent": 0.5, "patient": 0.5, "dating": 0.5}
ARTICLE_DATE, UNDATED = "article", "undated"


@dataclass
class EventModel:
    """The trigger model, the role model, the learned trigger nouns and the decision thresholds."""

    triggers: LinearModel
    roles: LinearModel | None = None
    dating: LinearModel | None = None  # the article's date, or none, for events no time phrase dates
    trigger_nouns: frozenset[str] = frozenset()
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    meta: dict = field(default_factory=dict)

    def category(self, feats: dict[str, float]) -> tuple[str, float]:
        """The likeliest event category when it reaches the trigger threshold, else NONE."""
        p = self.triggers.proba(feats)
        n = self.triggers.classes.index(NONE)
        q = p.copy()
        q[n] = -1.0
        k = int(np.argmax(q))
        if p[k] >= self.trigger_threshold(self.triggers.classes[k]):
            return self.triggers.classes[k], float(p[k])
        return NONE, float(p[n])

    def trigger_threshold(self, category: str) -> float:
        """The probability at which a candidate the rules left alone becomes an event of `category`:
        `trigger.CATEGORY` when the model has one, else `trigger`."""
        return self.thresholds.get(f"trigger.{category}", self.thresholds["trigger"])

    def keep_threshold(self, category: str) -> float:
        """The probability a rule event of `category` needs from the model to stand:
        `keep.CATEGORY` when the model has one, else `keep`."""
        return self.thresholds.get(f"keep.{category}", self.thresholds["keep"])

    def news_decider(
        self, ctx: Context, events: list[RawEvent], title: str | None = None
    ) -> Callable[[RawEvent], bool] | None:
        """Whether an event no time phrase dates is the article's news (dated by the article) or
        background (undated), by the dating model (which reads the article's `title` too), decided
        for all the article's `events` at once; None without a dating model."""
        dating = self.dating
        if dating is None:
            return None
        headline = headline_words(title)
        feats = [news_features(ev, ctx.quote_at(ev.trigger.token.idx) is not None, headline) for ev in events]
        probs = dating.proba_many(feats)[:, dating.classes.index(ARTICLE_DATE)].tolist()
        news = {id(ev): p >= self.thresholds["dating"] for ev, p in zip(events, probs, strict=True)}
        return lambda ev: news[id(ev)]

    def to_json(self) -> str:
        return dump_json(self.to_dict())

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "meta": self.meta,
            "thresholds": self.thresholds,
            "trigger_nouns": sorted(self.trigger_nouns),
            "triggers": self.triggers.to_dict(),
            "roles": self.roles.to_dict() if self.roles is not None else None,
            "dating": self.dating.to_dict() if self.dating is not None else None,
        }

    @classmethod
    def from_json(cls, text: str, where: str = "model") -> EventModel:
        return cls.from_dict(load_json(text, "newsgraph event model", where), where)

    @classmethod
    def from_dict(cls, data: dict, where: str = "model") -> EventModel:
        try:
            check_format(data, FORMAT, "newsgraph event model", where)
            triggers = LinearModel.from_dict(data["triggers"])
            if NONE not in triggers.classes:
                raise ConfigError(f"{where}: the trigger model has no '{NONE}' class")
            roles = LinearModel.from_dict(data["roles"]) if data.get("roles") else None
            dating = LinearModel.from_dict(data["dating"]) if data.get("dating") else None
            thresholds = {**DEFAULT_THRESHOLDS, **{k: float(v) for k, v in data.get("thresholds", {}).items()}}
            nouns = frozenset(data.get("trigger_nouns", []))
            return cls(triggers, roles, dating, nouns, thresholds, data.get("meta", {}))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise not_a("newsgraph event model", where, exc) from None


def load_event_model(path: str | None = None) -> EventModel | None:
    """The event layer of a model file, of the shipped one (None), or none ('rules')."""
    from newsgraph.ingest.trained import load_model

    return load_model(path).events


@dataclass
class Decision:
    """What the trigger model thinks of one candidate: every category's probability."""

    candidate: Candidate
    proba: dict[str, float]
    features: dict[str, float]

    def best(self) -> tuple[str, float]:
        """The likeliest event category (never NONE) and its probability."""
        cat = max((c for c in self.proba if c != NONE), key=lambda c: (self.proba[c], c))
        return cat, self.proba[cat]


def decide(ex: EventExtractor, model: EventModel, rule_events: list[RawEvent]) -> list[Decision]:
    """The trigger model's view of every candidate trigger of the article."""
    featurizer = Featurizer(ex, centroids(ex))
    found = candidates(ex, rule_events, model.trigger_nouns)
    feats = [featurizer.features(cand) for cand in found]
    probs = model.triggers.proba_many(feats).tolist()
    classes = model.triggers.classes
    return [Decision(c, dict(zip(classes, p, strict=True)), f) for c, p, f in zip(found, probs, feats, strict=True)]


def model_events(ex: EventExtractor, model: EventModel) -> list[RawEvent]:
    """The article's events with the model deciding over the rules:
    - a rule event stands while the model gives its category at least its `keep` threshold;
    - else, and on words the rules left alone, the model's likeliest category makes an event when it
      reaches its trigger threshold, with the rules' roles for that category (the role model's
      when the rules find none);
    - an event without a patient takes the role model's likeliest one when it reaches the `patient`
      threshold;
    - modality, tense, quotes and the one-event-per-occasion passes are the rules'."""
    rule_events = ex.events()
    out: list[RawEvent] = []
    for d in decide(ex, model, rule_events):
        cand = d.candidate
        kept = [
            ev for ev in cand.rule_events if d.proba.get(ev.trigger.category, 0.0) >= model.keep_threshold(ev.category)
        ]
        if kept:
            for ev in kept:
                ev.confidence = round(d.proba.get(ev.trigger.category, 0.0), 2)
                ev.features = d.features
            out.extend(kept)
            continue
        category, prob = d.best()
        if prob < model.trigger_threshold(category):
            continue
        ev = _new_event(ex, model, cand, category)
        if ev is None:
            continue
        ev.confidence, ev.features = round(prob, 2), d.features
        out.append(ev)
    if model.roles is not None:
        for ev in out:
            if not ev.patients:
                ev.patients = _patient(ex, model, ev)
    return consolidate(out, ex.actors)


def _patient(ex: EventExtractor, model: EventModel, ev: RawEvent) -> list[Cluster]:
    """The patient the role model finds for an event the rules left without one, by the threshold it
    uses for the events it makes itself (a patient the rules' patterns do not reach)."""
    _, patients = choose_roles(ex, model, ev.trigger, ev.category, (ev.agents, ev.patients))
    return [cl for cl in patients if cl not in ev.agents]


def _new_event(ex: EventExtractor, model: EventModel, cand: Candidate, category: str) -> RawEvent | None:
    trig = trigger_of(ex, cand, category)
    roles = ex.roles.of(trig, category)
    if roles is None and model.roles is not None:
        if ex.roles.unnamed_doer(trig):
            return None  # the role model would hand the act to another actor of the sentence
        roles = choose_roles(ex, model, trig, category, None)
        kind = ex.lex.categories[category]
        agentless = not trig.nominal and is_passive(trig.token) and kind.passive_without_agent and roles[1]
        if not roles[0] and not agentless:
            return None  # as for the rules: someone acts, unless a passive's doer goes unnamed
    if roles is None:
        return None
    agents, patients = roles
    ev = RawEvent(category, trig, cand.sentence, cand.sent_index, agents, patients)
    ev.modality = modality(ex.lex, trig, category)
    ev.tense = tense(ex.lex, trig)
    if trig.rule.speech or ex.lex.categories[category].quoted:
        ev.quote = quote_in(ex.ctx, cand.sentence)
    return ev


def choose_roles(
    ex: EventExtractor,
    model: EventModel,
    trig: Trigger,
    category: str,
    rule_roles: tuple[list[Cluster], list[Cluster]] | None,
) -> tuple[list[Cluster], list[Cluster]]:
    """The agent(s) and patient the role model finds likeliest among the actors around a trigger."""
    assert model.roles is not None
    found = actor_candidates(ex, trig, category, rule_roles)
    probs = model.roles.proba_many([pair_features(ex, trig, category, cand) for cand in found])
    agent, patient = model.roles.classes.index(AGENT), model.roles.classes.index(PATIENT)
    scored = []
    for cand, p in zip(found, probs, strict=True):
        pp = 0.0 if _owner_of_a_body(ex, cand.mention) else float(p[patient])
        scored.append((cand.cluster, float(p[agent]), pp))
    agents = [cl for cl, pa, _ in sorted(scored, key=lambda s: -s[1]) if pa >= model.thresholds["agent"]][:2]
    rest = [(cl, pp) for cl, _, pp in scored if cl not in agents]
    best = max(rest, key=lambda s: s[1], default=None)
    patients = [best[0]] if best is not None and best[1] >= model.thresholds["patient"] else []
    return agents, patients


def _owner_of_a_body(ex: EventExtractor, mention) -> bool:
    """'her school was judged inadequate': an actor named only as the owner of a body the article
    does not name (a school, a firm, a trust: a noun of the gazetteer's classes) is not what the
    event is done to; the owner of a thing is ("ridiculed his statements", "the trust's rating")."""
    if mention is None or mention.dep_ != "poss" or mention.head.pos_ != "NOUN":
        return False
    owned = mention.head
    return ex.ents.at(owned.i) is None and owned.lemma_.lower() in ex.ents.gaz.noun_classes


# id(lexicon) -> (lexicon, id(vocab) -> (vocab, {"centroids": ...})): owner_cache twice, so each owner is
# kept beside its entry and a recycled id never finds another pair's centroids.
_CENTROIDS: dict[int, tuple[object, dict]] = {}
_VOCABS_PER_LEXICON = 8  # pipelines loaded beside one lexicon (emptied when full)


def centroids(ex: EventExtractor) -> dict:
    """Category centroids for this vocabulary and lexicon, computed once per pair."""
    vocab, lex = ex.doc.vocab, ex.lex
    pair = owner_cache(owner_cache(_CENTROIDS, lex, _VOCABS_PER_LEXICON), vocab, 2)
    if "centroids" not in pair:
        pair["centroids"] = category_centroids(vocab, lex)
    return pair["centroids"]
