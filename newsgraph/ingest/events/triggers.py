"""Finding the triggers of a sentence: lexicon verbs (with their particles, objects and subjects),
multiword phrases and event nouns."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph.ingest.events.context import Context
from newsgraph.ingest.events.lexicon import VerbRule
from newsgraph.ingest.events.raw import Trigger
from newsgraph.ingest.events.syntax import RELATIVE_PRONOUNS, SUBJ, TOPIC_PREPS, topic_preps
from newsgraph.ingest.nlp import doc_text, token_lemmas, token_pos


def find_triggers(ctx: Context, sent: Span) -> list[Trigger]:
    """The triggers of a sentence, each token at most once, without what a demand only asks for."""
    found: list[Trigger] = []
    used: set[int] = set()
    doc = sent.doc
    pos, lemma = token_pos(doc), token_lemmas(doc)  # (a Token made only for the verbs and nouns)
    for i in range(sent.start, sent.end):
        if pos[i] not in ("VERB", "AUX") or i in used:
            continue
        tok = doc[i]
        # multiword phrases: verb + particle/object lemma among its children
        for lemmas, cat in ctx.lex.phrases_of(lemma[i]):
            rest = set(lemmas[1:])
            # The other words are particles or objects near the verb, never verbs of their own
            # ("the case was brought after the Prince sued …, claiming" is no "bring claim").
            kids = {c.lemma_.lower(): c for c in tok.children if _phrase_part(c, tok)}
            grandkids = {g.lemma_.lower(): g for c in tok.children for g in c.children if _phrase_part(g, tok)}
            if rest <= (set(kids) | set(grandkids)):
                last = max([tok] + [kids.get(w) or grandkids[w] for w in rest], key=lambda t: t.i)
                found.append(_trigger(ctx, tok, cat, VerbRule(cat), last))
                used.add(tok.i)
                break
        if tok.i in used:
            continue
        rule = ctx.lex.verb(tok)
        if rule is None:
            continue
        if rule.particles and not _has_particle(tok, rule.particles):
            continue
        if rule.objects and not any(
            t.lemma_.lower() in rule.objects or t.lower_ in rule.objects
            for c in tok.children
            if c.dep_ in ("dobj", "nsubjpass", "attr")
            for t in c.subtree
        ):
            continue
        if rule.subjects and not _subject_matches(ctx, tok, rule.subjects):
            continue
        if rule.not_objects and any(c.dep_ == "dobj" and c.lemma_.lower() in rule.not_objects for c in tok.children):
            continue  # "rated requires improvement" is a grade, not a demand
        found.append(_trigger(ctx, tok, rule.category, rule, tok))
        used.add(tok.i)
    # What a demand asks for is not an event yet: "called on them to respond", "call for X to resign".
    kinds = ctx.lex.categories
    demanded = {t.token.i for t in found if kinds[t.category].asks_for_act}
    found = [t for t in found if not _asked_for(t.token, demanded)]
    for i in range(sent.start, sent.end):
        cat = ctx.lex.nouns.get(lemma[i]) if pos[i] == "NOUN" else None
        if not cat:
            continue
        tok = doc[i]
        if tok.tag_ == "NNS":
            continue
        # A bare plural ("Ofsted inspections", "deaths") names a kind of event, not one that happened.
        # What another trigger acts on ("responding to the ruling") is that event referred to again.
        # ("in a letter", "with a claim" are the means of the other event, and count.)
        by_means = tok.head.pos_ == "ADP" and tok.head.lower_ in ("in", "with", "through", "via", "by")
        governor = tok if by_means else (tok.head.head if tok.head.pos_ == "ADP" else tok.head)
        # "published its response to the report": the response is the news, not the publishing.
        answers = (
            cat in kinds and kinds[cat].answers and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)
        )
        free = answers or (governor.i not in used and tok.head.i not in used)
        if free:
            found.append(Trigger(tok, cat, VerbRule(cat), tok.text, tok.idx, tok.idx + len(tok.text), nominal=True))
    return found


def _trigger(ctx: Context, tok: Token, cat: str, rule: VerbRule, last: Token) -> Trigger:
    start, end = tok.idx, last.idx + len(last.text)
    return Trigger(tok, cat, rule, doc_text(ctx.doc)[start:end], start, end)


def _subject_matches(ctx: Context, verb: Token, subjects: tuple[str, ...]) -> bool:
    for c in verb.children:
        if c.dep_ not in SUBJ:
            continue
        if c.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            c = verb.head  # "the Court of Appeal, which declared …"
        words = {t.lemma_ for t in c.subtree} | {t.text for t in c.subtree}
        cl = ctx.ents.at(c.i)
        if words & set(subjects) or (cl and any(s.lower() in cl.name.lower() for s in subjects)):
            return True
    return False


def _phrase_part(tok: Token, verb: Token) -> bool:
    return tok.pos_ not in ("VERB", "AUX") and abs(tok.i - verb.i) <= 6


def _has_particle(verb: Token, particles: tuple[str, ...]) -> bool:
    """'call on', 'call for': as a particle or preposition, or as the mark of the clause asked for
    ('call for X to resign', where the parser hangs 'for' on 'resign')."""
    for c in verb.children:
        if c.dep_ in ("prt", "prep", "aux", "dative") and c.lower_ in particles:
            return True
        if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and any(p.lower_ in particles for p in topic_preps(c)):
            return True  # "spoken about our concerns to the chief inspector"
        if c.dep_ in ("advcl", "ccomp", "xcomp") and any(
            g.dep_ == "mark" and g.lower_ in particles and g.i == c.left_edge.i for g in c.children
        ):
            return True
    return False


def _asked_for(tok: Token, demands: set[int]) -> bool:
    if tok.i in demands:
        return False
    if tok.dep_ in ("xcomp", "ccomp") and tok.head.i in demands:
        return True
    # Up to the demand, through an infinitive on the way: "called on them to publish a plan,
    # setting out how they will respond" asks for the response too.
    node, infinitive = tok, False
    for _ in range(4):
        if node.dep_ == "conj" or node.head.i == node.i:
            return False
        infinitive = infinitive or any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        node = node.head
        if node.i in demands:
            return infinitive
    return False
