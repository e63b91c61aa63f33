"""Candidate actors of an event and what the trained role layer knows of each pair (trigger, actor):
the dependency path between them, what the hand rules chose, the actor's kind and its place."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from newsgraph.ingest.entities import Cluster
from newsgraph.ingest.events.extractor import EventExtractor
from newsgraph.ingest.events.raw import Trigger
from newsgraph.ingest.events.syntax import is_passive

PRONOUNS = {"he", "she", "him", "her", "his", "it", "its", "they", "them", "their", "we", "us", "our"}
MAX_PATH = 4
# What an event is done to is often named only just before ("Glaswick Ferries cut its crossings. The
# union hit back, saying …"). The actors of this many sentences before the trigger's are candidates
# too: 5-fold CV events F1 on three splits .298/.294/.283 with none, .303/.298/.287 with one sentence,
# .305/.300/.289 with two, .305/.301/.290 with three; fewer wrong patients and about as many right.
PREVIOUS_SENTENCES = 2


@dataclass
class ActorCandidate:
    """An actor that may be an event's agent or patient, with its nearest mention in the sentence."""

    cluster: Cluster
    mention: Token | None  # None when only the rules reach it (a speaker or antecedent outside)
    rule_agent: bool = False
    rule_patient: bool = False
    speaker: bool = False
    outside: int = 0  # named only in the sentence this many before the trigger's (0: in it or unnamed)
    features: dict[str, float] = field(default_factory=dict)


def actor_candidates(
    ex: EventExtractor, trig: Trigger, category: str, rule_roles: tuple[list[Cluster], list[Cluster]] | None
) -> list[ActorCandidate]:
    """Every actor named or referred to in the trigger's sentence, those the rules chose, and the
    people and organisations named in the sentences just before."""
    tok = trig.token
    k = ex.ctx.sentence_index(tok.i)  # the article's sentences, indexed once (Context)
    sent = ex.ctx.sents[k]
    found: dict[int, ActorCandidate] = {}

    def add(cl: Cluster, mention: Token | None) -> ActorCandidate:
        cand = found.get(id(cl))
        if cand is None:
            cand = found[id(cl)] = ActorCandidate(cl, mention)
        elif mention is not None and (cand.mention is None or _distance(tok, mention) < _distance(tok, cand.mention)):
            cand.mention = mention
        return cand

    for t in sent:
        cl = ex.ents.at(t.i)
        if cl is not None and cl.type in ("Person", "Organisation", "Document", "Place", "Other"):
            if t.head.i == t.i or ex.ents.at(t.head.i) is not cl:  # the head word of the mention
                add(cl, t)
        elif t.lower_ in PRONOUNS and t.pos_ == "PRON":
            for c in ex.actors.actors_in(t, 0):
                add(c, t)
    agents, patients = rule_roles or ([], [])
    for cl in agents:
        add(cl, None).rule_agent = True
    for cl in patients:
        add(cl, None).rule_patient = True
    for cl in ex.actors.quote_speakers(tok) if ex.ctx.quote_at(tok.idx) is not None else []:
        add(cl, None).speaker = True
    for back in range(1, min(PREVIOUS_SENTENCES, k) + 1):
        for t in ex.ctx.sents[k - back]:
            cl = ex.ents.at(t.i)
            if cl is not None and cl.type in ("Person", "Organisation") and id(cl) not in found:
                found[id(cl)] = ActorCandidate(cl, None, outside=back)
    return sorted(found.values(), key=lambda c: (c.mention.i if c.mention is not None else -1, c.cluster.first))


def pair_features(ex: EventExtractor, trig: Trigger, category: str, cand: ActorCandidate) -> dict[str, float]:
    f: dict[str, float] = {}

    def on(name: str, value: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + value
        f[f"{name}|{category}"] = f.get(f"{name}|{category}", 0.0) + value

    tok, m, cl = trig.token, cand.mention, cand.cluster
    on(f"type={cl.type}")
    if cand.rule_agent:
        on("rule_agent")
    if cand.rule_patient:
        on("rule_patient")
    if cand.speaker:
        on("speaker")
    if cand.outside:
        on(f"outside={cand.outside}")
    elif m is None:
        on("unmentioned")
    else:
        path = dep_path(tok, m)
        on(f"path={path}")
        if path.count("/") >= 1:
            on(f"path1={path.split('/')[0]}")
        on("before" if m.i < tok.i else "after")
        d = abs(m.i - tok.i)
        on("near" if d <= 3 else "mid" if d <= 10 else "far")
        on("pronoun" if m.pos_ == "PRON" else "named")
        if ex.ctx.quote_at(m.idx) is not None:
            on("actor_in_quote")
    if trig.nominal:
        on("nominal")
    elif is_passive(tok):
        on("passive")
    if ex.ctx.quote_at(tok.idx) is not None:
        on("trigger_in_quote")
    # The story's protagonist: the most mentioned actor of the article.
    top = max(ex.ents.clusters, key=lambda c: len(c.mentions), default=None)
    if top is cl:
        on("most_mentioned")
    if cl.affiliation is not None:
        on("has_affiliation")
    return f


def dep_path(a: Token, b: Token) -> str:
    """The dependency path from trigger `a` to actor mention `b`: up steps '^dep', down steps 'dep'
    (a preposition with its word: 'prep:against'), joined by '/'; 'long' past MAX_PATH steps."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return "none"
    ups = up_a[: up_a.index(common)]
    downs = list(reversed(up_b[: up_b.index(common)]))
    if len(ups) + len(downs) > MAX_PATH:
        return "long"
    steps = ["^" + t.dep_ for t in ups] + [_step(t) for t in downs]
    return "/".join(steps) or "self"


def _step(t: Token) -> str:
    return f"{t.dep_}:{t.lower_}" if t.dep_ in ("prep", "agent", "dative") else t.dep_


def _distance(a: Token, b: Token) -> int:
    return abs(a.i - b.i)
