"""The few shapes of the dependency parse every event job asks about: subjects, passives,
coordination, complements and topic phrases."""

from __future__ import annotations

from spacy.tokens import Token

SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
TOPIC_PREPS = ("about", "over", "on")


def topic_preps(prep: Token) -> list[Token]:
    """The prepositions hung on the object of a topic phrase: 'about our concerns [to X]'."""
    return [p for g in prep.children if g.dep_ == "pobj" for p in g.children if p.dep_ == "prep"]


def conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(conjuncts(c))
    # "X (ASCL) and Y" or appositions: keep the head only
    return out


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def complement(tok: Token) -> set[int]:
    """Token indices of what a verb says or acts on: its clausal and object complements."""
    return {t.i for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj") for t in c.subtree}
