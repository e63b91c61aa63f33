"""The few shapes of the dependency parse every event job asks about: subjects, passives,
coordination, complements and topic phrases."""

from __future__ import annotations

from spacy.tokens import Token

from newsgraph.ingest.nlp import subtree, token_children, token_deps

SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
TOPIC_PREPS = ("about", "over", "on")


def topic_preps(prep: Token) -> list[Token]:
    """The prepositions hung on the object of a topic phrase: 'about our concerns [to X]'."""
    return [p for g in prep.children if g.dep_ == "pobj" for p in g.children if p.dep_ == "prep"]


def conjuncts(tok: Token) -> list[Token]:
    doc = tok.doc
    deps = token_deps(doc)
    out = [tok]
    for c in token_children(doc)[tok.i]:
        if deps[c] == "conj":
            out.extend(conjuncts(doc[c]))
    # "X (ASCL) and Y" or appositions: keep the head only
    return out


def is_passive(tok: Token) -> bool:
    deps = token_deps(tok.doc)
    return any(deps[c] in ("auxpass", "nsubjpass") for c in token_children(tok.doc)[tok.i])


def complement(tok: Token) -> set[int]:
    """Token indices of what a verb says or acts on: its clausal and object complements."""
    doc = tok.doc
    deps = token_deps(doc)
    return {t for c in token_children(doc)[tok.i] if deps[c] in ("ccomp", "xcomp", "dobj") for t in subtree(doc, c)}
