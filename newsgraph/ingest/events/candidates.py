"""Candidate event triggers and what the trained layer knows of each: every verb, every noun the
lexicon or the training data names as a trigger, and the rules' own triggers, described by
features of the word, its clause, its sentence and what the hand rules made of it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import ORTH
from spacy.tokens import Span, Token

from newsgraph.ingest.events.extractor import EventExtractor
from newsgraph.ingest.events.lexicon import VerbRule
from newsgraph.ingest.events.modality import PERFECT_AUX, WILL_AUX, conditional, hypothetical
from newsgraph.ingest.events.raw import RawEvent, Trigger
from newsgraph.ingest.events.speech import has_cue, quote_in
from newsgraph.ingest.events.syntax import PASS_SUBJ, SUBJ, is_passive
from newsgraph.ingest.linear import Features
from newsgraph.ingest.nlp import dot, is_heading, norm, owner_cache, subtree, token_lowers, token_pos, unit_vector

CUE_CATEGORIES = ("demand", "criticise", "respond")
NEGATIONS = {"not", "n't", "never", "no"}
MODALS = {"may", "might", "could", "would", "should", "can", "must"}
CONTENT_POS = frozenset({"NOUN", "ADJ", "VERB", "ADV"})  # the words whose meaning tells what is said


@dataclass
class Candidate:
    """One word that may trigger an event, with the rules' view of it."""

    token: Token
    sentence: Span
    sent_index: int
    lexicon_category: str | None
    rule: VerbRule
    rule_events: list[RawEvent] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int]:
        return self.sent_index, self.token.i


def lexicon_category(ex: EventExtractor, tok: Token) -> tuple[str | None, VerbRule | None]:
    """The category the trigger lexicon gives a word (a verb rule, a phrase's head, a noun)."""
    if tok.pos_ in ("VERB", "AUX"):
        for lemmas, cat in ex.lex.phrases_of(tok.lemma_.lower()):
            if any(c.lemma_.lower() in lemmas[1:] or c.lower_ in lemmas[1:] for c in tok.children):
                return cat, VerbRule(cat)
        rule = ex.lex.verb(tok)
        if rule is not None:
            return rule.category, rule
    cat = ex.lex.nouns.get(tok.lemma_.lower())
    if cat and tok.pos_ in ("NOUN", "PROPN"):
        return cat, VerbRule(cat)
    return None, None


def candidates(ex: EventExtractor, rule_events: list[RawEvent], trigger_nouns: frozenset[str]) -> list[Candidate]:
    """Every candidate trigger of an article, in text order, with the rules' events attached."""
    by_token: dict[int, list[RawEvent]] = {}
    for ev in rule_events:
        by_token.setdefault(ev.trigger.token.i, []).append(ev)
    out = []
    doc = ex.doc
    pos = token_pos(doc)
    for si, sent in enumerate(ex.ctx.sents):
        if is_heading(sent):
            continue
        for i in range(sent.start, sent.end):
            if pos[i] not in ("VERB", "AUX", "NOUN") and i not in by_token:
                continue  # no candidate, whatever the lexicon says of it: no Token made
            tok = doc[i]
            cat, rule = lexicon_category(ex, tok)
            verb = tok.pos_ == "VERB" or (tok.pos_ == "AUX" and cat is not None)
            noun = tok.pos_ == "NOUN" and (cat is not None or tok.lemma_.lower() in trigger_nouns)
            if not (verb or noun or tok.i in by_token):
                continue
            out.append(Candidate(tok, sent, si, cat, rule or VerbRule(cat or "other"), by_token.get(tok.i, [])))
    return out


def trigger_of(ex: EventExtractor, cand: Candidate, category: str) -> Trigger:
    """The candidate as a trigger of `category`, as the rules would have built it."""
    for ev in cand.rule_events:
        if ev.trigger.category == category or ev.category == category:
            return ev.trigger
    tok = cand.token
    rule = cand.rule if cand.lexicon_category == category else VerbRule(category)
    nominal = tok.pos_ in ("NOUN", "PROPN")
    return Trigger(tok, category, rule, tok.text, tok.idx, tok.idx + len(tok.text), nominal=nominal)


# The weight of the trigger word's unit vector among the features (5-fold CV on the dev corpus: events
# F1 .276 without the vector, .277 at 1, .281 at 4, .282 at 8; .289 at 8 with `other`'s own threshold).
VECTOR_SCALE = 8.0


class Featurizer:
    """Features of candidates; word vectors are compared with each category's lexicon words."""

    def __init__(self, ex: EventExtractor, centroids: dict[str, np.ndarray]):
        self.ex = ex
        self.centroids = centroids
        self._dims = next(iter(centroids.values())).shape[0] if centroids else 0
        self._quote_of = _quote_index(ex)
        cues = ex.lex.speech_cues
        self._quote_cues = {  # the categories whose cues each quote carries
            si: {cat for cat in CUE_CATEGORIES if has_cue(quote, cues.get(cat, []))}
            for si, quote in self._quote_of.items()
        }
        self._actor_counts: dict[int, int] = {}
        self._lowers, self._pos = token_lowers(ex.doc), token_pos(ex.doc)
        self._orths: list[int] | None = None
        self._centroid_names = list(centroids)
        self._centroid_rows = np.array([centroids[c] for c in self._centroid_names]) if centroids else None

    def features(self, cand: Candidate) -> Features:
        ex, tok = self.ex, cand.token
        f = Features()

        def on(name: str, value: float = 1.0) -> None:
            f[name] = f.get(name, 0.0) + value

        lemma = tok.lemma_.lower()
        on(f"lemma={lemma}")
        on(f"pos={tok.pos_}")
        on(f"tag={tok.tag_}")
        on(f"dep={tok.dep_}")
        on(f"head_pos={tok.head.pos_}")
        on(f"head_dep={tok.head.dep_}" if tok.head.i != tok.i else "root")
        lexcat = cand.lexicon_category
        on(f"lex={lexcat or 'none'}")
        if lexcat:
            on(f"lex={lexcat}|pos={tok.pos_}")
        if cand.rule.speech:
            on("speech")
            if lexcat:
                on(f"speech|lex={lexcat}")
        kept = sorted({ev.category for ev in cand.rule_events})
        on("rule_kept" if kept else "rule_dropped" if lexcat else "rule_none")
        for cat in kept:
            on(f"rule={cat}")
        # The word's meaning, near which category's trigger words: only from the static vectors the
        # centroids were made of (a pipeline without them, such as sm or trf, gives none, where
        # Token.vector would fall back on the parser's context tensor).
        meaning = self._meaning(tok) if self.centroids else None
        if meaning is not None:
            best, sims, f.dense = meaning
            on(f"near={best}")
            f.update(sims)
        # Its clause: negation, modality, tense, voice, who and what it takes. (Each dependent's
        # relation and word read once: the passes below asked a Token for them a dozen times.)
        kids = list(tok.children)
        deps = [c.dep_ for c in kids]
        lowers = [c.lower_ for c in kids]
        aux = [low for dep, low in zip(deps, lowers, strict=True) if dep == "aux"]
        if any(dep == "neg" or low in NEGATIONS for dep, low in zip(deps, lowers, strict=True)):
            on("negated")
        modals = set(aux) & MODALS
        for m in modals:
            on(f"modal={m}")
        if any(low in WILL_AUX for low in aux):
            on("future")
        if any(low in PERFECT_AUX for low in aux):
            on("perfect")
        if "had" in aux:
            on("pluperfect")
        pos = tok.pos_
        if pos == "VERB" and is_passive(tok):
            on("passive")
        if pos == "VERB" and hypothetical(tok):
            on("hypothetical")
        if pos == "VERB" and conditional(tok):
            on("conditional")
        subj = [c for c, dep in zip(kids, deps, strict=True) if dep in SUBJ + PASS_SUBJ]
        on(f"subj={self._kind(subj[0]) if subj else 'none'}")
        for c, dep, low in zip(kids, deps, lowers, strict=True):
            if dep in ("dobj", "attr", "dative", "oprd"):
                on(f"obj={self._kind(c)}")
                on(f"obj_lemma={c.lemma_.lower()}")
            elif dep in ("prep", "agent"):
                on(f"prep={low}")
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    on(f"prep={low}|{self._kind(objs[0])}")
            elif dep == "prt":
                on(f"prt={low}")
                on(f"lemma={lemma}_{low}")
            elif dep in ("ccomp", "xcomp"):
                on(f"clause={dep}")
        if pos in ("NOUN", "PROPN"):
            if "poss" in deps:
                on("possessed")
            head = tok.head
            on(f"governor={head.lemma_.lower()}" if head.pos_ == "VERB" else f"governor_pos={head.pos_}")
        # What is said: cue words of the categories a saying may turn into.
        clauses = [c.i for c, dep in zip(kids, deps, strict=True) if dep in ("ccomp", "xcomp", "dobj")]
        said_words = [k for c in clauses for k in subtree(ex.doc, c)]
        said = " " + " ".join(self._lowers[k] for k in said_words)
        quote = self._quote_of.get(cand.sent_index, "")
        quote_cues = self._quote_cues.get(cand.sent_index, set())
        # ... and by meaning: how near its content words, together, stand to each category's trigger
        # words, so the model learns which sayings are criticism, a demand or an answer from words
        # no cue list holds ("said the decision was a betrayal"). 5-fold CV on the dev corpus, three
        # splits: events F1 .305/.300/.289 without, .309/.307/.291 with; with the whole sentence's
        # words as well .306/.305/.290; scaled by 3 .301/.306/.290.
        if self.centroids:
            f.update(self._words_meaning(said_words, "said_sim"))
        for cat in CUE_CATEGORIES:
            if has_cue(said, ex.lex.speech_cues.get(cat, [])):
                on(f"said_cue={cat}")
            if cat in quote_cues:
                on(f"quote_cue={cat}")
        # Its sentence and place in the article.
        inside = ex.ctx.quote_at(tok.idx) is not None
        on("in_quote" if inside else "outside_quote")
        if quote:
            on("sentence_quotes")
        position = cand.sent_index
        on("lead" if position == 0 else "second" if position == 1 else "early" if position < 5 else "later")
        on(f"actors={min(self._actors_in(cand), 3)}")
        on("sent_root" if tok.dep_ == "ROOT" else "sent_inner")
        return f

    def _meaning(self, tok: Token) -> tuple[str, dict[str, float], np.ndarray] | None:
        """The word's nearest category, its similarity to each (`sim=` features) and its unit vector
        scaled (the dense part), worked out once per word and centroids: a word's static vector
        is the same wherever it stands. None for a word without one."""
        cache = owner_cache(_MEANINGS, self.centroids, _MEANING_CACHE)
        found = cache.get(tok.orth, False)
        if found is False:
            found = cache[tok.orth] = self._word_meaning(tok)
        return found

    def _word_meaning(self, tok: Token) -> tuple[str, dict[str, float], np.ndarray] | None:
        unit = unit_vector(tok)
        if unit is None or unit.shape[0] != self._dims:
            return None
        sims = {cat: dot(unit, c) for cat, c in self.centroids.items()}
        best = max(sims, key=sims.get)
        # The word's own meaning too, so that the model learns which words of no lexicon act
        # ("fined", "sacked", "endorsed"); scaled up, as a vector's components are small beside the
        # other features' 0/1 and share the same regularisation.
        dense = np.round(unit * VECTOR_SCALE, 4)
        dense.flags.writeable = False  # shared by every candidate of the word
        return best, {f"sim={cat}": round(x, 4) for cat, x in sims.items()}, dense

    def _words_meaning(self, words: list[int], prefix: str) -> dict[str, float]:
        """How near the mean of these words' (token indices') static vectors, content words only,
        stands to each category's centroid: `prefix=CATEGORY` features; none when no word has one."""
        if not words:
            return {}
        if self._orths is None:
            self._orths = self.ex.doc.to_array(ORTH).tolist()
        pos, orths = self._pos, self._orths
        units = [u for i in words if pos[i] in CONTENT_POS and (u := self._lexeme_unit(orths[i])) is not None]
        if not units:
            return {}
        total = np.add.reduce(np.array(units), axis=0)
        length = norm(total)
        if not length:
            return {}
        # Each row's product summed by NumPy's own reduction, as `dot` does: the same bits on any CPU.
        sims = np.round(np.add.reduce(self._centroid_rows * (total / length), axis=1), 4).tolist()
        return {f"{prefix}={cat}": x for cat, x in zip(self._centroid_names, sims, strict=True)}

    def _lexeme_unit(self, orth: int) -> np.ndarray | None:
        """A word's static unit vector (its lexeme's, never the parser's context tensor), None for a
        stop word or one without a vector; kept per vocabulary across articles, as a word's static
        vector is the same wherever it stands."""
        vocab = self.ex.doc.vocab
        cache = owner_cache(_UNITS, vocab, _MEANING_CACHE)
        found = cache.get(orth, False)
        if found is False:
            lex = vocab[orth]
            unit = None if lex.is_stop else unit_vector(lex)
            found = cache[orth] = unit if unit is not None and unit.shape[0] == self._dims else None
            if found is not None:
                found.flags.writeable = False
        return found

    def _actors_in(self, cand: Candidate) -> int:
        """How many actors the candidate's sentence names (counted once per sentence)."""
        n = self._actor_counts.get(cand.sent_index)
        if n is None:
            at = self.ex.ents.at
            sent = cand.sentence
            n = self._actor_counts[cand.sent_index] = len(
                {id(cl) for i in range(sent.start, sent.end) if (cl := at(i)) is not None}
            )
        return n

    def _kind(self, tok: Token) -> str:
        """What a dependent is: a named actor's type, a pronoun, a document, or a plain word."""
        cl = self.ex.ents.at(tok.i)
        if cl is not None:
            return cl.type
        if tok.pos_ == "PRON":
            return "pron"
        for t in tok.subtree:
            cl = self.ex.ents.at(t.i)
            if cl is not None and cl.type in ("Person", "Organisation"):
                return "has_" + cl.type
        return tok.pos_.lower()


# id(centroids) -> (centroids, word's orth -> _word_meaning): the centroids live as long as their
# vocabulary and lexicon (classifier.centroids), the words' vectors with the vocabulary.
_MEANINGS: dict[int, tuple[dict, dict]] = {}
_MEANING_CACHE = 4096  # words (about 4 kB each); emptied when full, so memory stays flat
# id(vocab) -> (vocab, word's orth -> its static unit vector or None): the content words of what is said.
_UNITS: dict[int, tuple[object, dict]] = {}


def _quote_index(ex: EventExtractor) -> dict[int, str]:
    out = {}
    for si, sent in enumerate(ex.ctx.sents):
        q = quote_in(ex.ctx, sent)
        if q:
            out[si] = " " + q.lower() + " "
    return out


def category_centroids(nlp_vocab, lexicon) -> dict[str, np.ndarray]:
    """Each category's mean unit vector over its lexicon words (verbs and nouns)."""
    words: dict[str, list[str]] = {}
    for lemma, rule in lexicon.verbs.items():
        words.setdefault(rule.category, []).append(lemma)
    for noun, cat in lexicon.nouns.items():
        words.setdefault(cat, []).append(noun)
    out = {}
    for cat, ws in sorted(words.items()):
        vecs = [v for w in ws if nlp_vocab.has_vector(w) and (v := unit_vector(nlp_vocab[w])) is not None]
        if vecs:
            c = np.mean(vecs, axis=0)
            out[cat] = c / (norm(c) or 1.0)
    return out
