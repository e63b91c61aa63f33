"""Whether and when an event happens as told: negated, demanded, planned, reported or asserted; its
tense; and the triggers that only say what could be done or what would happen if."""

from __future__ import annotations

from itertools import islice

from spacy.tokens import Token

from newsgraph.ingest.events.lexicon import Lexicon
from newsgraph.ingest.events.raw import Trigger
from newsgraph.ingest.nlp import token_children, token_deps, token_lowers

WILL_AUX = frozenset({"will", "shall", "'ll"})  # the auxiliaries of a future: "will strike"
PERFECT_AUX = frozenset({"has", "have", "'s", "'ve"})  # of a present perfect: "has resigned"
FUTURE_MARKERS = {"will", "shall", "would", "'ll", "plan", "set", "due", "expect", "intend", "going", "propose"}
HYPOTHETICAL_NOUNS = {"opportunity", "chance", "ability", "option", "freedom", "attempt", "bid"}
CONDITIONS = {"if", "unless", "until", "whether", "lest"}


def modality(lex: Lexicon, trig: Trigger, category: str) -> str:
    tok = trig.token
    doc = tok.doc
    children, deps, lowers = token_children(doc), token_deps(doc), token_lowers(doc)
    kids = children[tok.i]
    if any(deps[c] == "neg" for c in kids) or {lowers[c] for c in kids} & {"not", "n't", "never"}:
        return "negated"
    fixed = lex.categories[category].modality
    if fixed is not None:
        return fixed
    head = tok
    # Up through control verbs only ("plans to release", "is set to take over"); a clause hung on
    # a future one ("will be eligible …, the government has announced") is not itself planned.
    chain = [tok]
    while chain[-1].dep_ in ("xcomp", "auxpass") and len(chain) < 3:
        chain.append(chain[-1].head)
    for t in chain:
        if {lowers[c] for c in children[t.i] if deps[c] == "aux"} & WILL_AUX:
            return "planned"
        if t.lemma_ in FUTURE_MARKERS and t.i != head.i:
            return "planned"
        if t.lemma_ in ("be",) and any(deps[c] == "xcomp" for c in children[t.i]):
            return "planned"
    if tok.dep_ == "xcomp" and tok.head.lemma_ in FUTURE_MARKERS:
        return "planned"
    # "said it had closed the home and would publish a review": what is said, and what is
    # hung on it, is reported
    if tok.dep_ == "ccomp":
        reported = lex.is_saying(tok.head)
    else:
        reported = tok.dep_ == "conj" and tok.head.dep_ == "ccomp" and lex.is_saying(tok.head.head)
    if reported and any(deps[c] == "aux" and lowers[c] == "would" for c in kids):
        return "planned"  # "said it would publish a review": the future in reported speech
    if reported:
        return "reported"
    return "asserted"


def tense(lex: Lexicon, trig: Trigger) -> str | None:
    tok = trig.token if not trig.nominal else trig.token.head
    deps, lowers = token_deps(tok.doc), token_lowers(tok.doc)
    auxes = {lowers[c] for c in token_children(tok.doc)[tok.i] if deps[c] in ("aux", "auxpass")}
    if auxes & WILL_AUX or modality(lex, trig, trig.category) == "planned":
        return "future"
    if "had" in auxes:
        return "pluperfect"
    if auxes & PERFECT_AUX:
        return "perfect"
    if tok.tag_ in ("VBD", "VBN"):
        return "past"
    if tok.tag_ in ("VBZ", "VBP", "VBG"):
        return "present"
    return None


def hypothetical(tok: Token) -> bool:
    """A verb that only says what could be done: 'the opportunity to appoint', 'a bid to sue',
    'may have to issue a notice', 'could then step in'."""
    if tok.dep_ in ("acl", "relcl", "xcomp") and tok.head.lemma_.lower() in HYPOTHETICAL_NOUNS:
        return True
    doc = tok.doc
    children, deps, lowers = token_children(doc), token_deps(doc), token_lowers(doc)
    verb = tok
    for _ in range(3):
        if any(deps[c] == "aux" and lowers[c] in ("may", "might", "could") for c in children[verb.i]):
            return True
        if verb.dep_ != "xcomp":
            return False
        verb = verb.head
    return False


def conditional(tok: Token) -> bool:
    """A trigger in a clause of condition: 'halted until after the government has published a plan'."""
    doc = tok.doc
    children, deps, lowers = token_children(doc), token_deps(doc), token_lowers(doc)
    for t in [tok, *islice(tok.ancestors, 4)]:  # (not the whole chain up to the root)
        if any(deps[c] == "mark" and lowers[c] in CONDITIONS for c in children[t.i]):
            return True
        before = t.left_edge.i - 1  # "until after X has published": "until" hung on the main verb
        if deps[t.i] == "advcl" and before >= 0 and lowers[before] in CONDITIONS:
            return True
    return False
