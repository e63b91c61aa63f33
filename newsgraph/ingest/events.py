"""Events from the dependency parse: triggers from the YAML lexicon, agents and patients, modality, quotes.

For each trigger (a verb, a multiword phrase or a noun), the agent is the grammatical subject
(or the `by` phrase of a passive, or the speaker of the quote it sits in) and the patient the
object or the object of a role preposition. Coordinated actors, pronouns, "we" inside a quote
and group mentions ("the unions") are expanded to the named entities they stand for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from newsgraph.errors import ConfigError
from newsgraph.ingest.entities import GROUP_WORDS, ArticleEntities, Cluster
from newsgraph.ingest.nlp import is_heading
from newsgraph.ingest.taxonomy import load_taxonomy, read_yaml

DEFAULT_PATIENT_PREPS = ("to", "on", "upon", "against", "from", "over", "with", "at", "into")
QUOTE_CHARS = "\"“”‘’'"
SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
# Verbs that carry a noun trigger ("sent a letter", "launched an investigation", "in a letter sent").
LIGHT_VERBS = {
    "send",
    "write",
    "issue",
    "publish",
    "launch",
    "hold",
    "conduct",
    "carry",
    "make",
    "bring",
    "file",
    "lodge",
    "give",
    "open",
    "order",
    "start",
    "begin",
    "announce",
    "sign",
    "deliver",
    "hand",
    "submit",
    "offer",
    "say",
    "tell",
    "warn",
    "state",
    "add",
    "set",
}
# Noun triggers whose compound modifier is the agent ("an Ofsted inspection", "the CQC report").
COMPOUND_AGENT = {"inspect", "publish_report", "write_to", "rate_judge"}
FUTURE_MARKERS = {"will", "shall", "would", "'ll", "plan", "set", "due", "expect", "intend", "going", "propose"}


@dataclass(frozen=True)
class VerbRule:
    category: str
    particles: tuple[str, ...] = ()
    patient_preps: tuple[str, ...] = DEFAULT_PATIENT_PREPS
    speech: bool = False
    objects: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    passive_patient: bool = True
    not_objects: tuple[str, ...] = ()


@dataclass
class Lexicon:
    verbs: dict[str, VerbRule]
    phrases: list[tuple[tuple[str, ...], str]]
    nouns: dict[str, str]
    speech_cues: dict[str, list[str]]
    forms: dict[str, str] = field(default_factory=dict)  # inflected form -> lemma, for lemmatiser slips

    def __post_init__(self) -> None:
        for lemma in self.verbs:
            for form in inflections(lemma):
                self.forms.setdefault(form, lemma)

    def verb(self, tok: Token) -> VerbRule | None:
        """The rule for a verb token, by lemma, else by its form ('rated' is lemmatised as 'rat')."""
        rule = self.verbs.get(tok.lemma_.lower())
        if rule is None and tok.lower_ in self.forms:
            rule = self.verbs[self.forms[tok.lower_]]
        return rule


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a verb: rate -> rates, rated, rating; apply -> applied."""
    out = {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
    if lemma.endswith("e"):
        out |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        out |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        out.add(lemma + "es")
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


@dataclass
class Trigger:
    token: Token
    category: str
    rule: VerbRule
    text: str
    start: int
    end: int
    nominal: bool = False


@dataclass
class RawEvent:
    category: str
    trigger: Trigger
    sentence: Span
    sent_index: int
    agents: list[Cluster] = field(default_factory=list)
    patients: list[Cluster] = field(default_factory=list)
    modality: str = "asserted"
    quote: str | None = None
    confidence: float = 0.5
    tense: str | None = None
    why: list[tuple[str, float]] = field(default_factory=list)  # the trained layer's strongest features


@cache
def load_lexicon(path: str | None = None) -> Lexicon:
    data = read_yaml(path, "triggers.yaml")
    categories = load_taxonomy()
    where = path or "triggers.yaml"
    verbs = {}
    for lemma, spec in (data.get("verbs") or {}).items():
        spec = {"category": spec} if isinstance(spec, str) else dict(spec)
        if spec.get("category") not in categories:
            raise ConfigError(f"{where}: verb {lemma!r} has unknown category {spec.get('category')!r}")
        verbs[lemma] = VerbRule(
            category=spec["category"],
            particles=tuple(spec.get("particles", ())),
            patient_preps=tuple(spec.get("patient_preps", DEFAULT_PATIENT_PREPS)),
            speech=bool(spec.get("speech", False)),
            objects=tuple(spec.get("objects", ())),
            subjects=tuple(spec.get("subjects", ())),
            passive_patient=bool(spec.get("passive_patient", True)),
            not_objects=tuple(spec.get("not_objects", ())),
        )
    phrases = []
    for entry in data.get("phrases") or []:
        if entry.get("category") not in categories:
            raise ConfigError(f"{where}: phrase {entry!r:.60} has an unknown category")
        phrases.append((tuple(entry["lemmas"]), entry["category"]))
    nouns = dict(data.get("nouns") or {})
    for noun, cat in nouns.items():
        if cat not in categories:
            raise ConfigError(f"{where}: noun {noun!r} has unknown category {cat!r}")
    return Lexicon(verbs, phrases, nouns, {k: [c.lower() for c in v] for k, v in (data.get("speech") or {}).items()})


class EventExtractor:
    def __init__(self, doc: Doc, ents: ArticleEntities, lexicon: Lexicon):
        self.doc = doc
        self.ents = ents
        self.lex = lexicon
        self.sents = list(doc.sents)
        self.quotes = _quote_spans(doc.text)
        # Tokens whose actor is being worked out: "we" in a quote whose speaker is another "we"
        # (or a pronoun pointing back into the quote) must not send the lookup round in a circle.
        self._resolving: set[int] = set()

    # ---- triggers -----------------------------------------------------------------------------
    def triggers(self, sent: Span) -> list[Trigger]:
        found: list[Trigger] = []
        used: set[int] = set()
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.i in used:
                continue
            # multiword phrases: verb + particle/object lemma among its children
            for lemmas, cat in self.lex.phrases:
                if tok.lemma_.lower() != lemmas[0]:
                    continue
                rest = set(lemmas[1:])
                # The other words are particles or objects near the verb, never verbs of their own
                # ("the case was brought after the Prince sued …, claiming" is no "bring claim").
                kids = {c.lemma_.lower(): c for c in tok.children if _phrase_part(c, tok)}
                grandkids = {g.lemma_.lower(): g for c in tok.children for g in c.children if _phrase_part(g, tok)}
                if rest <= (set(kids) | set(grandkids)):
                    last = max([tok] + [kids.get(w) or grandkids[w] for w in rest], key=lambda t: t.i)
                    found.append(self._trigger(tok, cat, VerbRule(cat), last))
                    used.add(tok.i)
                    break
            if tok.i in used:
                continue
            rule = self.lex.verb(tok)
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
            if rule.subjects and not self._subject_matches(tok, rule.subjects):
                continue
            if rule.not_objects and any(
                c.dep_ == "dobj" and c.lemma_.lower() in rule.not_objects for c in tok.children
            ):
                continue  # "rated requires improvement" is a grade, not a demand
            found.append(self._trigger(tok, rule.category, rule, tok))
            used.add(tok.i)
        # What a demand asks for is not an event yet: "called on them to respond", "call for X to resign".
        demanded = {t.token.i for t in found if t.category == "demand"}
        found = [t for t in found if not _asked_for(t.token, demanded)]
        for tok in sent:
            cat = self.lex.nouns.get(tok.lemma_.lower())
            # A bare plural ("Ofsted inspections", "deaths") names a kind of event, not one that happened.
            # What another trigger acts on ("responding to the ruling") is that event referred to again.
            # ("in a letter", "with a claim" are the means of the other event, and count.)
            by_means = tok.head.pos_ == "ADP" and tok.head.lower_ in ("in", "with", "through", "via", "by")
            governor = tok if by_means else (tok.head.head if tok.head.pos_ == "ADP" else tok.head)
            # "published its response to the report": the response is the news, not the publishing.
            answers = cat == "respond" and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)
            free = answers or (governor.i not in used and tok.head.i not in used)
            if cat and tok.pos_ == "NOUN" and free and tok.tag_ != "NNS":
                found.append(Trigger(tok, cat, VerbRule(cat), tok.text, tok.idx, tok.idx + len(tok.text), nominal=True))
        return found

    def _trigger(self, tok: Token, cat: str, rule: VerbRule, last: Token) -> Trigger:
        start, end = tok.idx, last.idx + len(last.text)
        return Trigger(tok, cat, rule, self.doc.text[start:end], start, end)

    def _subject_matches(self, verb: Token, subjects: tuple[str, ...]) -> bool:
        for c in verb.children:
            if c.dep_ not in SUBJ:
                continue
            if c.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                c = verb.head  # "the Court of Appeal, which declared …"
            words = {t.lemma_ for t in c.subtree} | {t.text for t in c.subtree}
            cl = self.ents.at(c.i)
            if words & set(subjects) or (cl and any(s.lower() in cl.name.lower() for s in subjects)):
                return True
        return False

    # ---- roles --------------------------------------------------------------------------------
    def actors_in(self, tok: Token, depth: int = 2) -> list[Cluster]:
        """The entities a noun phrase headed by `tok` denotes, with coordination, pronouns and groups."""
        out: list[Cluster] = []
        heads = _conjuncts(tok)
        # "the Department for Education and Ofsted": the parser may hang the second name on a word
        # inside the first ("Education"), so conjuncts of any word of a named mention count too.
        named = self.ents.at(tok.i)
        if named is not None:
            i = tok.i
            while i > 0 and self.ents.at(i - 1) is named:
                i -= 1
            j = tok.i
            while j + 1 < len(self.doc) and self.ents.at(j + 1) is named:
                j += 1
            for t in self.doc[i : j + 1]:
                heads.extend(c for h in (t,) for c in _conjuncts(h)[1:] if c not in heads)
        for head in heads:
            cl = self._actor_of(head, depth)
            for c in cl:
                if c not in out:
                    out.append(c)
        return out

    def _actor_of(self, tok: Token, depth: int) -> list[Cluster]:
        cl = self.ents.at(tok.i)
        if cl is not None:
            return [cl]
        if tok.i in self._resolving:
            return []
        self._resolving.add(tok.i)
        try:
            return self._unnamed_actor_of(tok, depth)
        finally:
            self._resolving.discard(tok.i)

    def _unnamed_actor_of(self, tok: Token, depth: int) -> list[Cluster]:
        """The actor a pronoun, group word, spokesperson or description stands for."""
        low = tok.lower_
        if low in PRONOUNS_PERSON:
            ahead = self._subject_ahead(tok)
            if ahead is not None:
                return [ahead]
            prev = self._previous(tok, "Person")
            return [prev] if prev else []
        if low in ("we", "us", "our"):
            speaker = self.quote_speakers(tok)
            if speaker:
                return speaker
        subject = tok.dep_ in SUBJ + PASS_SUBJ or tok.head.dep_ in SUBJ + PASS_SUBJ
        if low in ("it", "its", "they", "their"):
            # "Microsoft said it will appeal": the body whose saying the pronoun sits in.
            speaker = self._reporting_subject(tok)
            if speaker and (low not in ("it", "its") or (len(speaker) == 1 and speaker[0].type == "Organisation")):
                return speaker
        if low in ("it", "its", "they", "their") and subject:
            # A subject pronoun goes on with the last sentence's subject: "It has been rated …".
            carried = self._previous_subject(tok)
            if carried and (low not in ("it", "its") or (len(carried) == 1 and carried[0].type == "Organisation")):
                return carried
        if low in ("they", "them"):
            group = self._previous_group(tok)
            if group:
                return group
        if low == "it":
            prev = self._previous(tok, "Organisation")
            return [prev] if prev else []
        if low in GROUP_WORDS or tok.lemma_.lower() in GROUP_WORDS.values() and tok.tag_ == "NNS":
            cls = GROUP_WORDS.get(low, tok.lemma_.lower())
            members = self.ents.clusters_of_class(cls)
            if len(members) >= 2:
                return members
        if low in SPOKESPEOPLE:
            # "a Microsoft spokesperson", "a spokesman for the council", "an alliance spokesperson",
            # "a company spokesperson": the body they speak for; unnamed, the one the story last
            # named before the quote.
            for child in tok.children:
                if child.dep_ == "compound" and child.pos_ == "NOUN":
                    named = [
                        c
                        for c in self.ents.clusters
                        if c.type == "Organisation" and c.name.lower().endswith(" " + child.lower_)
                    ]
                    if len(named) == 1:
                        return named
                if child.dep_ in ("compound", "poss") or (child.dep_ == "prep" and child.lower_ in ("for", "at", "of")):
                    target = (
                        next((g for g in child.children if g.dep_ == "pobj"), child) if child.dep_ == "prep" else child
                    )
                    found = self.actors_in(target, 0)
                    if found:
                        return found
            said = tok.head if tok.dep_ in SUBJ and _speech(self.lex, tok.head) else None
            for clause in [c for c in said.children if c.dep_ == "ccomp"] if said is not None else []:
                # "The firm plans to appeal, a spokesman said": whom what is said is about
                subj = [a for g in clause.children if g.dep_ in SUBJ for a in self.actors_in(g, 0)]
                if len(subj) == 1 and subj[0].type == "Organisation":
                    return subj
            quote = next((q for q in self.quotes if q[0] < tok.idx and q[1] >= tok.sent.start_char), None)
            limit = min(tok.sent.start_char, quote[0]) if quote else tok.sent.start_char
            prev = self.ents.previous_org(limit)
            return [prev] if prev else []
        # An apposition names the head: "the cabinet member for finance, Priya Nair, …".
        for child in tok.children:
            if child.dep_ == "appos":
                found = self.actors_in(child, depth)
                if found:
                    return found
        # Compound and possessive modifiers: "Ofsted inspections", "the coroner's report".
        if depth > 0:
            for child in tok.children:
                if (
                    child.dep_ == "poss"
                    and child.lower_ in ("his", "her", "their")
                    and tok.lemma_.lower() in PLACES_OF_PEOPLE
                ):
                    continue  # "her school" is not her; "her conduct" and "its ability" are still theirs
                if child.dep_ in ("compound", "poss", "nmod", "amod") or (
                    child.dep_ == "prep" and child.lower_ == "of"
                ):
                    target = (
                        child if child.dep_ != "prep" else next((g for g in child.children if g.dep_ == "pobj"), None)
                    )
                    if target is not None:
                        found = self.actors_in(target, depth - 1)
                        if found:
                            return found
        return []

    def _subject_ahead(self, tok: Token) -> Cluster | None:
        """'In his response, Zahawi listed…': a pronoun before the main clause is its named subject;
        'Zahawi has criticised the media … after he was sacked': one in a clause under it, too."""
        root = tok.sent.root
        wrong = MALE_TITLES if tok.lower_ in ("she", "her") else FEMALE_TITLES
        if tok.i > root.i and not (
            tok.lower_ in ("he", "she")
            and tok.dep_ in SUBJ + PASS_SUBJ
            and tok.head.dep_ == "advcl"
            and tok.head.head.i == root.i
        ):
            return None
        for c in root.children:
            if c.dep_ in SUBJ and c.i != tok.i and not any(t.i == tok.i for t in c.subtree):
                cl = self.ents.at(c.i)
                if (
                    cl is not None
                    and cl.type == "Person"
                    and not any(f.split()[0] in wrong for f in [cl.name, *cl.forms])
                ):
                    return cl
        return None

    def _previous(self, tok: Token, type_: str) -> Cluster | None:
        """The nearest earlier actor of a type; for 'he'/'she' a person the text names in full, and
        not one whose title says otherwise ('he' is not 'Queen Elizabeth II' or 'Ms Perry')."""
        best, pos = None, -1
        wrong = MALE_TITLES if tok.lower_ in ("she", "her") else FEMALE_TITLES if type_ == "Person" else set()
        # An object pronoun is not its own clause's subject: "Judge Carter told her" is not Carter.
        subjects = (
            {id(self.ents.at(c.i)) for c in tok.head.children if c.dep_ in SUBJ}
            if tok.dep_ in ("dobj", "dative", "pobj")
            else set()
        )
        for c in self.ents.clusters:
            if c.type != type_ or (type_ == "Person" and len(c.name.split()) < 2) or id(c) in subjects:
                continue
            if any(f.split()[0] in wrong for f in [c.name, *c.forms] if f):
                continue
            for m in c.mentions:
                if pos < m.start < tok.idx:
                    best, pos = c, m.start
        return best

    def _reporting_subject(self, tok: Token) -> list[Cluster]:
        clause = tok.head
        for _ in range(3):
            if clause.dep_ == "ccomp" and _speech(self.lex, clause.head):
                subj = [c for c in clause.head.children if c.dep_ in SUBJ and c.lower_ not in PRONOUNS_PERSON]
                return self.actors_in(subj[0], depth=0) if subj else []
            if clause.head.i == clause.i:
                break
            clause = clause.head
        return []

    def _previous_subject(self, tok: Token) -> list[Cluster]:
        """The actors that were the subject of the sentence before the pronoun's."""
        earlier = [s for s in self.sents if s.end <= tok.sent.start and not is_heading(s)]
        if not earlier:
            return []
        root = earlier[-1].root
        for c in root.children:
            if c.dep_ in SUBJ + PASS_SUBJ and c.lower_ not in ("it", "its", "they", "their"):
                return self.actors_in(c, depth=1)
        return []

    def _previous_group(self, tok: Token) -> list[Cluster]:
        """'they' after 'the unions' (or after two coordinated organisations) is that group."""
        sent_before = [s for s in self.sents if s.end <= tok.sent.end][-3:]
        for s in reversed(sent_before):
            for t in reversed(list(s)):
                if t.i >= tok.i:
                    continue
                if t.lower_ in GROUP_WORDS:
                    members = self.ents.clusters_of_class(GROUP_WORDS[t.lower_])
                    if len(members) >= 2:
                        return members
                if t.dep_ in SUBJ and any(c.dep_ == "conj" for c in t.children):
                    members = self.actors_in(t)
                    if len(members) >= 2:
                        return members
        return []

    def agents_of(self, trig: Trigger) -> list[Cluster]:
        tok = trig.token
        if trig.nominal:
            return self._nominal_agents(tok)
        if trig.rule.speech and _after_quote(tok):
            # '"…," stated the CMA': the speaker after the verb, parsed as its object.
            after = [c for c in tok.children if c.dep_ in ("dobj", "attr") and tok.i < c.i <= tok.i + 4]
            subj = [c for c in tok.children if c.dep_ in SUBJ]
            if after and not subj:
                found = self.actors_in(after[0])
                if found:
                    return found
        if _is_passive(tok):
            for c in tok.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):  # "was fined £20,000 by X"
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self.actors_in(g)
            # A mis-attached "by" phrase inside the verb's own clause: "rated inadequate … by HMICFRS".
            for t in tok.subtree:
                if t.lower_ == "by" and t.i > tok.i and t.head.pos_ != "VERB":
                    for g in t.children:
                        if g.dep_ == "pobj":
                            found = self.actors_in(g)
                            if found:
                                return found
            return []
        verb = tok
        for _ in range(4):
            # Climbing from "to call" to "are expected", the passive subject is who is to call.
            subj = [c for c in verb.children if c.dep_ in SUBJ or (c.dep_ in PASS_SUBJ and verb.i != tok.i)]
            if subj and subj[0].lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                # "Dr Vale, who will be taking over from …"; "the judgement by the Court of Appeal, which declared"
                return self.actors_in(verb.head) or self._document_author(verb.head)
            if subj:
                found = self.actors_in(subj[0])
                if subj[0].lemma_.lower() in DOCUMENTS:
                    # "the letter, signed by X and Y, reads": its signers (the parser may hang Y on "letter")
                    author = self._document_author(subj[0])
                    found = author + [a for a in found if a not in author]
                if found:
                    return found
                # "The report called on…": a document's author acts through it.
                author = self._document_author(subj[0])
                if author:
                    return author
                return []
            if verb.pos_ == "NOUN":
                # "his decision to stand down", "their plan to sue": whose decision it is acts.
                owner = [c for c in verb.children if c.dep_ == "poss"]
                return self.actors_in(owner[0]) if owner else []
            if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and _speech(self.lex, verb.head.head):
                # "X said the report … and said …", "X said the changes fell short and called on Y":
                # the parser hangs X's second act inside what X said; it is X's unless that clause
                # has an actor of its own as subject.
                said_subj = [a for c in verb.head.children if c.dep_ in SUBJ for a in self.actors_in(c)]
                if _speech(self.lex, verb) or not said_subj:
                    verb = verb.head.head
                    continue
            if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl") and verb.head != verb:
                if verb.dep_ == "relcl":
                    return self.actors_in(verb.head)
                if verb.dep_ == "acl" and verb.tag_ == "VBG":
                    found = self.actors_in(verb.head)
                    if found or verb.head.head.i == verb.head.i:
                        return found
                    verb = verb.head.head  # "issued a statement calling on X": the issuers call
                    continue
                verb = verb.head
                continue
            break
        speakers = self.quote_speakers(tok)
        return speakers

    def _nominal_agents(self, noun: Token) -> list[Cluster]:
        light = noun.head.head if noun.head.pos_ == "ADP" else noun.head
        if noun.dep_ == "dobj" and light.pos_ == "VERB" and light.lemma_.lower() in LIGHT_VERBS:
            # "Giving the court's verdict, Lord Reed …": who gives it, before whose it is.
            subj = [c for c in light.children if c.dep_ in SUBJ]
            if not subj and light.dep_ == "advcl" and light.tag_ == "VBG":
                subj = [c for c in light.head.children if c.dep_ in SUBJ]
            found = self.actors_in(subj[0]) if subj else []
            if found:
                return found
        for c in noun.children:
            # "Ofsted's inspection", "an Ofsted inspection"; but "the Perry inquest" is about Perry.
            if c.dep_ == "poss" or (c.dep_ == "compound" and self.lex.nouns.get(noun.lemma_.lower()) in COMPOUND_AGENT):
                found = self.actors_in(c, depth=0)
                if found:
                    return found
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                return [a for g in c.children if g.dep_ == "pobj" for a in self.actors_in(g)]
            if c.dep_ == "acl":  # "claims brought by X", "a report published by Y"
                for g in c.children:
                    if g.dep_ == "agent":
                        return [a for p in g.children if p.dep_ == "pobj" for a in self.actors_in(p)]
        head = noun.head
        if head.pos_ == "ADP" and head.lower_ not in ("in", "with", "through", "via"):
            return []  # "died after an inspection": the sentence's subject did not inspect
        if head.pos_ == "ADP":
            head = head.head
        if noun.dep_ in ("dobj", "pobj", "attr") and head.pos_ == "VERB" and head.lemma_.lower() in LIGHT_VERBS:
            for c in head.children:
                if c.dep_ in SUBJ:
                    return self.actors_in(c)
                if c.dep_ == "agent":
                    return [a for g in c.children for a in self.actors_in(g)]
        if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "through", "via"):
            # "…, in a letter sent to X": the writer is the nearest clause above with a named subject.
            verb = head
            for _ in range(4):
                if verb.pos_ not in ("VERB", "AUX"):
                    if verb.head.i == verb.i:
                        break
                    verb = verb.head  # "a statement outlining steps in response to …": up to "issued"
                    continue
                subj = [c for c in verb.children if c.dep_ in SUBJ]
                found = self.actors_in(subj[0]) if subj else []
                if found:
                    return found
                if verb.head.i == verb.i:
                    break
                verb = verb.head
        return []

    def _document_author(self, tok: Token) -> list[Cluster]:
        if tok.lemma_.lower() not in DOCUMENTS:
            return []
        for c in tok.children:
            if c.dep_ == "poss":
                return self.actors_in(c)
            if c.dep_ == "acl":  # "the judgement delivered by the Court of Appeal"
                for g in c.children:
                    if g.dep_ == "agent":
                        return [a for p in g.children if p.dep_ == "pobj" for a in self.actors_in(p)]
        # The person whose role issues this kind of document: the coroner for a report.
        for cl in self.ents.clusters:
            if cl.type == "Person" and any(r in ("coroner", "judge") for r in cl.roles):
                return [cl]
        return []

    def patients_of(self, trig: Trigger, agents: list[Cluster], category: str | None = None) -> list[Cluster]:
        tok = trig.token
        out: list[Cluster] = []

        def add(found: list[Cluster]) -> None:
            for c in found:
                if c not in out and c not in agents:
                    out.append(c)

        if trig.nominal:
            # "a letter sent to the DfE and Ofsted": the participle's objects are the noun's
            preps = [c for c in tok.children if c.dep_ == "prep"]
            preps += [g for c in tok.children if c.dep_ == "acl" for g in c.children if g.dep_ in ("prep", "dative")]
            for c in preps:
                if c.lower_ in ("of", "into", "to", "against", "on", "from", "with"):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            add(self.actors_in(g))
            if trig.category == "die" and not out:
                for c in tok.children:
                    if c.dep_ == "poss":
                        add(self.actors_in(c))
            return out
        category = category or trig.category
        if _is_passive(tok) and trig.rule.passive_patient:
            for c in tok.children:
                if c.dep_ in PASS_SUBJ:
                    add(self.actors_in(c))
            if not out and tok.dep_ in ("acl", "relcl"):
                add(self.actors_in(tok.head))  # "the first force to be branded failing"
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "oprd"):
                found = self.actors_in(c)
                if not found:  # "overturned the ruling against Lena Brook": whom the thing was against
                    found = [
                        a
                        for p in c.children
                        if p.dep_ == "prep" and p.lower_ == "against"
                        for g in p.children
                        for a in self.actors_in(g)
                    ]
                add(found)
            elif c.dep_ == "prep" and c.lower_ in trig.rule.patient_preps or c.dep_ == "prt":
                for g in c.children:
                    if g.dep_ == "pobj":
                        add(self.actors_in(g))
            if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and category in ("meet", "write_to"):
                for p in _topic_preps(c):
                    if p.lower_ in ("to", "with"):
                        add([a for g in p.children if g.dep_ == "pobj" for a in self.actors_in(g)])
            elif c.dep_ == "xcomp" or (
                c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("for", "to") for g in c.children)
            ):
                # "called on X to act", "urged X to", "call for X to resign": who is to act
                for g in c.children:
                    if g.dep_ in ("dobj", "nsubj", "nsubjpass"):
                        add(self.actors_in(g))
            elif c.dep_ == "ccomp" and category in ("criticise", "demand", "respond", "statement"):
                for g in c.children:
                    if g.dep_ in ("nsubj", "nsubjpass"):
                        add(self.actors_in(g))
        if category in ("criticise", "demand", "respond") and not out:
            # what was said or asked for names the body: "calling for a pause to Ofsted inspections"
            for c in tok.children:
                if c.dep_ in ("ccomp", "xcomp", "dobj") or (c.dep_ == "prep" and c.lower_ in ("for", "about", "over")):
                    for t in c.subtree:
                        cl = self.ents.at(t.i)
                        if cl is not None and cl not in agents and cl.type in ("Organisation", "Person"):
                            add([cl])
                            break
                    if out:
                        break
        return out

    def quote_speakers(self, tok: Token) -> list[Cluster]:
        """The speaker of the quote a token sits in: the subject of the nearest verb of saying."""
        quote = next(((s, e) for s, e in self.quotes if s <= tok.idx < e), None)
        if quote is None:
            return []
        # The attribution sits in the sentence where the quote opens or closes, or just before or after it.
        around = []
        for i, s in enumerate(self.sents):
            if (
                s.start_char <= quote[0] < s.end_char
                or s.start_char < quote[1] <= s.end_char
                or (s.start_char <= tok.idx < s.end_char)
            ):
                around.extend(x for x in self.sents[max(0, i - 1) : i + 2] if x not in around)
        around.sort(key=lambda s: abs(s.start_char - tok.idx))
        for s in around:
            for t in s:
                if quote[0] <= t.idx < quote[1]:
                    continue
                rule = self.lex.verb(t)
                issues_statement = t.lemma_ in ("issue", "release", "make") and any(
                    c.dep_ == "dobj" and c.lemma_ == "statement" for c in t.children
                )
                if rule and rule.speech or t.lemma_ in ("write", "read") or issues_statement:
                    for c in t.children:
                        if c.dep_ in SUBJ:
                            found = self.actors_in(c) or self._document_author(c)
                            if found:
                                return found
        return []

    def _passive_subject(self, tok: Token) -> list[Cluster]:
        """Who a passive is about, also through 'is to be appointed' and 'was set to be named'."""
        for verb in (tok, tok.head) if tok.dep_ == "xcomp" else (tok,):
            for c in verb.children:
                if c.dep_ in SUBJ + PASS_SUBJ:
                    return self.actors_in(c)
        return []

    def _post_left(self, tok: Token, agents: list[Cluster]) -> list[Cluster]:
        """The organisation named in the post one leaves or takes: 'his position as NHS England chief',
        'appointed to the House of Lords'."""
        for c in tok.children:
            if c.dep_ in ("dobj", "prep") and (c.dep_ == "dobj" or c.lower_ in ("as", "from", "to")):
                for t in c.subtree:
                    cl = self.ents.at(t.i)
                    if cl is not None and cl.type == "Organisation" and cl not in agents:
                        return [cl]
        # "The cabinet member for finance at a cash-strapped council has resigned": the body in the post.
        for c in tok.children:
            if c.dep_ in SUBJ:
                # "its former boss Mark Hollis resigned": whose boss
                owner = [a for p in c.children if p.dep_ == "poss" for a in self.actors_in(p, 0)]
                if len(owner) == 1 and owner[0].type == "Organisation" and owner[0] not in agents:
                    return owner
                for t in c.subtree:
                    cl = self.ents.at(t.i)
                    if cl is not None and cl.type == "Organisation" and cl not in agents:
                        return [cl]
                    classes = [k for k, nouns in self.ents.gaz.class_nouns.items() if t.lower_ in nouns]
                    bodies = [b for k in classes for b in self.ents.clusters_of_class(k) if b.type == "Organisation"]
                    if t.pos_ == "NOUN" and len(bodies) == 1:
                        return bodies
        return []

    def _implied_agent(self, category: str) -> list[Cluster]:
        """A passive with no 'by' phrase gets the one actor the article names for that role:
        'has been awarded damages' -> the judge; 'was rated inadequate' -> the inspectorate."""
        if category == "legal_action":
            judges = [c for c in self.ents.clusters if c.type == "Person" and "judge" in c.roles]
            courts = [c for c in self.ents.clusters if c.cls == "court"]
            for group in (judges, courts):
                if len(group) == 1:
                    return group
        if category in ("rate_judge", "inspect"):
            bodies = [c for c in self.ents.clusters if c.cls == "inspectorate"]
            if len(bodies) == 1:
                return bodies
        return []

    def _finding_against(self, trig: Trigger, category: str, agents: list[Cluster]) -> list[Cluster]:
        """The party a legal ruling finds fault with, when what is ruled carries a criticism cue."""
        if category != "legal_action" or trig.nominal or not agents:
            return []
        clauses = [c for c in trig.token.children if c.dep_ == "ccomp"]
        if not clauses:
            return []
        text = " " + " ".join(t.lower_ for c in clauses for t in c.subtree) + " "
        if not any(re.search(r"\b" + re.escape(cue), text) for cue in self.lex.speech_cues.get("criticise", [])):
            return []
        for clause in clauses:
            # Who is found at fault: the doer of a passive ("hacked by the publisher"), else the subject
            # ("the government's plan is unlawful"), else the first party named.
            # (the parser may hang "by the publisher" on a word inside the clause: "hacked to a modest
            # extent by the publisher")
            bys = [c for c in clause.children if c.dep_ == "agent"]
            if _is_passive(clause):
                bys += [t for t in clause.subtree if t.lower_ == "by" and t.dep_ == "prep" and t.i > clause.i]
            for c in bys:
                found = [a for g in c.children if g.dep_ == "pobj" for a in self.actors_in(g) if a not in agents]
                if found:
                    return found
            subjects = [] if _is_passive(clause) else [c for c in clause.children if c.dep_ in SUBJ]
            for c in subjects:
                found = [a for a in self.actors_in(c) if a not in agents]
                if found:
                    return found
            for t in clause.subtree:
                cl = self.ents.at(t.i)
                if cl is not None and cl not in agents and cl.type in ("Organisation", "Person"):
                    return [cl]
        return []

    def _decision_makers(self, events: list[RawEvent]) -> None:
        """'We're disappointed that this decision …', 'will appeal the decision': criticism, response
        or appeal without a named party is aimed at whoever made the decision the article reports."""
        deciders = [
            (ev.sent_index, a)
            for ev in events
            if ev.category in DECIDING
            for a in ev.agents
            if a.type in ("Organisation", "Person")
        ]
        for ev in events:
            if ev.patients or ev.category not in ("criticise", "respond", "legal_action") or ev.trigger.nominal:
                continue
            tok = ev.trigger.token
            scope = [t for c in tok.children if c.dep_ in ("dobj", "ccomp", "xcomp", "prep") for t in c.subtree]
            if ev.trigger.rule.speech and not scope or _after_quote(tok):
                scope = [t for t in ev.sentence if t.i < tok.i]  # '"… this decision …," said X'
            decision = next((t for t in scope if t.lemma_.lower() in DECISIONS and t.tag_ != "NNS"), None)
            if decision is None or not any(c.dep_ in ("det", "poss") for c in decision.children):
                continue
            owner = [a for c in decision.children if c.dep_ == "poss" for a in self.actors_in(c, 0)]
            earlier = [a for at, a in deciders if at <= ev.sent_index and a not in ev.agents]
            maker = owner or earlier[:1]
            ev.patients = [a for a in maker if a not in ev.agents]

    # ---- classification -----------------------------------------------------------------------
    def classify_speech(self, trig: Trigger, sent: Span) -> str:
        tok = trig.token
        said = " ".join(t.text for t in self._said(tok))
        # The quote counts when the saying has no words of its own ("X said: '…'"); "said the report
        # described the worst findings and said the Home Office needed to act" is two sayings.
        quote = self.quote_in(sent)
        if said.strip() and quote and not any(q in said for q in _quote_words(quote)):
            quote = None
        text = f" {said} {quote or ''} ".lower()
        if not said.strip() and not quote:
            return trig.category
        for cat in ("demand", "criticise", "respond"):
            if any(re.search(r"\b" + re.escape(cue), text) for cue in self.lex.speech_cues.get(cat, [])):
                return cat
        return trig.category

    def _said(self, tok: Token) -> list[Token]:
        """The words a verb of saying reports, without a second saying the parser hung inside them
        ('said the report described … and said the Home Office needed to intervene')."""
        out = []
        for c in tok.children:
            if c.dep_ not in ("ccomp", "dobj", "xcomp"):
                continue
            nested = {
                t.i for d in c.subtree if d.i != tok.i and d.dep_ == "conj" and _speech(self.lex, d) for t in d.subtree
            }
            out.extend(t for t in c.subtree if t.i not in nested)
        return out

    def quote_in(self, sent: Span) -> str | None:
        parts = [
            self.doc.text[s:e].strip(QUOTE_CHARS + " ")
            for s, e in self.quotes
            if sent.start_char <= s < sent.end_char or s < sent.start_char < e
        ]
        parts = [p for p in parts if len(p.split()) >= 3]
        return " … ".join(parts) if parts else None

    def modality(self, trig: Trigger, category: str) -> str:
        tok = trig.token
        kids = {c.lower_ for c in tok.children}
        if any(c.dep_ == "neg" for c in tok.children) or kids & {"not", "n't", "never"}:
            return "negated"
        if category == "demand":
            return "demanded"
        head = tok
        # Up through control verbs only ("plans to release", "is set to take over"); a clause hung on
        # a future one ("will be eligible …, the government has announced") is not itself planned.
        chain = [tok]
        while chain[-1].dep_ in ("xcomp", "auxpass") and len(chain) < 3:
            chain.append(chain[-1].head)
        for t in chain:
            if {c.lower_ for c in t.children if c.dep_ == "aux"} & {"will", "shall", "'ll"}:
                return "planned"
            if t.lemma_ in FUTURE_MARKERS and t.i != head.i:
                return "planned"
            if t.lemma_ in ("be",) and any(c.dep_ == "xcomp" for c in t.children):
                return "planned"
        if tok.dep_ == "xcomp" and tok.head.lemma_ in FUTURE_MARKERS:
            return "planned"
        # "said it had closed the home and would publish a review": what is said, and what is
        # hung on it, is reported
        if tok.dep_ == "ccomp":
            reported = _speech(self.lex, tok.head)
        else:
            reported = tok.dep_ == "conj" and tok.head.dep_ == "ccomp" and _speech(self.lex, tok.head.head)
        if reported and any(c.dep_ == "aux" and c.lower_ == "would" for c in tok.children):
            return "planned"  # "said it would publish a review": the future in reported speech
        if reported:
            return "reported"
        return "asserted"

    def tense(self, trig: Trigger) -> str | None:
        tok = trig.token if not trig.nominal else trig.token.head
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        if auxes & {"will", "shall", "'ll"} or self.modality(trig, trig.category) == "planned":
            return "future"
        if "had" in auxes:
            return "pluperfect"
        if auxes & {"has", "have", "'s", "'ve"}:
            return "perfect"
        if tok.tag_ in ("VBD", "VBN"):
            return "past"
        if tok.tag_ in ("VBZ", "VBP", "VBG"):
            return "present"
        return None

    def _roles(self, trig: Trigger, category: str) -> tuple[list[Cluster], list[Cluster]] | None:
        """Agents and patients of a trigger, or None when what it names is no event: no one acts,
        no one is met or written to, a death of no one named."""
        agents = self.agents_of(trig) if category != "die" else []  # "Mrs Perry's death" is hers
        if not agents and not trig.nominal and _is_passive(trig.token):
            agents = self._implied_agent(category)
        patients = self.patients_of(trig, agents, category)
        if not agents and category == "appoint_succeed" and not trig.nominal and _is_passive(trig.token):
            # "is to be appointed to the House of Lords": the newcomer joins the body.
            newcomer = self._passive_subject(trig.token)
            agents, patients = newcomer, self._post_left(trig.token, newcomer) if newcomer else []
        agentless = category in ("other", "legal_action") and _is_passive(trig.token) and not trig.nominal
        if not agents and category != "die" and not (agentless and patients):
            return None  # "was sacked for gross misconduct" is news even when no one is named as sacking
        if category == "die" and not trig.nominal:
            # "Ruth Perry, who took her own life": who died is the verb's subject
            patients = self.agents_of(trig) or patients
        if category == "die" and not patients:
            return None
        if trig.nominal and category in ("respond", "demand", "criticise") and not patients:
            return None
        if category == "meet" and not patients:
            return None  # "to meet gaps in its budget", "prefers to talk about legislation"
        if category == "write_to" and not patients and not _addressed(trig.token):
            return None  # "the unions wrote", "they write in the letter": quoting, not a letter to anyone
        if category == "appoint_succeed" and not patients:
            # "who begins his term of office in January": the newcomer joins their body.
            patients = [a.affiliation for a in agents if a.affiliation is not None][:1]
        if category == "resign" and not patients:
            # "quit his position as NHS England chief executive"; else the body the text ties one
            # to: "Paul Whiteman of the NAHT … stepped down".
            patients = (
                self._post_left(trig.token, agents) or [a.affiliation for a in agents if a.affiliation is not None][:1]
            )
        return agents, patients

    # ---- the whole article --------------------------------------------------------------------
    def events(self) -> list[RawEvent]:
        out: list[RawEvent] = []
        for si, sent in enumerate(self.sents):
            if is_heading(sent):
                continue  # a headline or standfirst restates the story the body tells
            for trig in self.triggers(sent):
                if _hypothetical(trig.token) or (not trig.nominal and _conditional(trig.token)):
                    continue  # "the opportunity to appoint a new cabinet member"
                category = trig.category
                if trig.rule.speech:
                    category = self.classify_speech(trig, sent)
                roles = self._roles(trig, category)
                if roles is None:
                    continue
                agents, patients = roles
                ev = RawEvent(category, trig, sent, si, agents, patients)
                ev.modality = self.modality(trig, category)
                ev.tense = self.tense(trig)
                ev.quote = (
                    self.quote_in(sent)
                    if trig.rule.speech or category in ("statement", "criticise", "demand")
                    else None
                )
                ev.confidence = round(0.4 + 0.25 * bool(agents) + 0.15 * bool(patients) + 0.1 * (not trig.nominal), 2)
                out.append(ev)
                finding = self._finding_against(trig, category, agents)
                if finding and not ev.patients:
                    ev.patients = list(finding)  # "the court ruled that the government's plan is unlawful"
                if finding:
                    # "The court ruled that the plan is unlawful": a ruling and a finding of fault.
                    extra = RawEvent("criticise", trig, sent, si, agents, finding, modality=ev.modality)
                    extra.tense, extra.confidence = ev.tense, round(ev.confidence - 0.1, 2)
                    out.append(extra)
        out = _told_once(out)
        self._decision_makers(out)
        _authors_for_documents(out)
        return _bodies_left(_first_statements(_dedupe(out)))


PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
FEMALE_TITLES = {"Ms", "Mrs", "Miss", "Dame", "Lady", "Baroness", "Queen", "Princess", "Duchess"}
MALE_TITLES = {"Mr", "Sir", "Lord", "Baron", "King", "Prince", "Duke"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
DOCUMENTS = {"report", "letter", "statement", "ruling", "judgment", "judgement", "finding"}
DECISIONS = {"decision", "ruling", "judgement", "judgment", "verdict", "finding", "findings", "report", "move"}
DECIDING = ("other", "legal_action", "rate_judge", "criticise", "announce_policy", "publish_report")
PLACES_OF_PEOPLE = {
    "school",
    "college",
    "university",
    "hospital",
    "trust",
    "council",
    "company",
    "firm",
    "department",
    "home",
    "family",
    "team",
    "party",
    "union",
    "office",
    "staff",
    "board",
    "business",
    "charity",
    "club",
    "employer",
}
SPOKESPEOPLE = {"spokesperson", "spokesman", "spokeswoman", "spokespeople", "representative"}


def _dedupe(events: list[RawEvent]) -> list[RawEvent]:
    """One event per category, agent set and sentence: a quote on one occasion is one event."""
    seen: set[tuple] = set()
    out = []
    for ev in events:
        key = (ev.sent_index, ev.category, tuple(id(a) for a in ev.agents), tuple(id(p) for p in ev.patients))
        loose = (ev.sent_index, ev.category, tuple(id(a) for a in ev.agents))
        if key in seen or (ev.category == "statement" and loose in seen):
            continue
        seen.add(key)
        seen.add(loose)
        out.append(ev)
    return out


def _told_once(events: list[RawEvent]) -> list[RawEvent]:
    """'The Supreme Court has ruled … in a verdict delivered this morning': the noun names the
    event the verb tells, not a second one."""
    verbal = {(ev.sent_index, ev.category) for ev in events if not ev.trigger.nominal}
    return [ev for ev in events if not (ev.trigger.nominal and (ev.sent_index, ev.category) in verbal)]


def _bodies_left(events: list[RawEvent]) -> list[RawEvent]:
    """A resignation told again without its body ('his decision to stand down') is from the body
    the article gives for that person's resignation elsewhere."""
    bodies: dict[tuple[int, ...], list[Cluster]] = {}
    for ev in events:
        if ev.category == "resign" and ev.patients:
            bodies.setdefault(tuple(sorted(id(a) for a in ev.agents)), ev.patients)
    for ev in events:
        if ev.category == "resign" and not ev.patients:
            ev.patients = list(bodies.get(tuple(sorted(id(a) for a in ev.agents)), []))
    return events


HYPOTHETICAL_NOUNS = {"opportunity", "chance", "ability", "option", "freedom", "attempt", "bid"}


def _hypothetical(tok: Token) -> bool:
    """A verb that only says what could be done: 'the opportunity to appoint', 'a bid to sue',
    'may have to issue a notice', 'could then step in'."""
    if tok.dep_ in ("acl", "relcl", "xcomp") and tok.head.lemma_.lower() in HYPOTHETICAL_NOUNS:
        return True
    verb = tok
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in ("may", "might", "could") for c in verb.children):
            return True
        if verb.dep_ != "xcomp":
            return False
        verb = verb.head
    return False


def _addressed(tok: Token) -> bool:
    """Whether a writing names whom it is to: 'wrote to', 'a letter to', 'a letter sent to'."""
    kids = list(tok.children) + [g for c in tok.children if c.dep_ == "acl" for g in c.children]
    return any(c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in kids)


def _authors_for_documents(events: list[RawEvent]) -> None:
    """'The report called on…': a document acts through its author, the agent of its publication."""
    authors: dict[int, list[Cluster]] = {}
    for ev in events:
        if ev.category == "publish_report":
            for doc in ev.patients:
                if doc.type == "Document" and ev.agents:
                    authors.setdefault(id(doc), ev.agents)
    for ev in events:
        if any(a.type == "Document" for a in ev.agents):
            replaced: list[Cluster] = []
            for a in ev.agents:
                for x in authors.get(id(a), [a]) if a.type == "Document" else [a]:
                    if x not in replaced:
                        replaced.append(x)
            ev.agents = replaced


def _first_statements(events: list[RawEvent]) -> list[RawEvent]:
    """A plain statement counts once per speaker: later 'she said' lines go on with the same quote.

    The same speaker's words in a sentence that already makes them a demand, a criticism or a
    response are that event, not a second, plain statement; nor is a saying that only reports
    another event.
    """

    def speakers(ev: RawEvent) -> tuple[int, ...]:
        return tuple(sorted(id(a) for a in ev.agents))

    def reports_other_event(ev: RawEvent) -> bool:
        """'NHS England said Sir Simon notified the board…': the saying only sources another event."""
        said = _complement(ev.trigger.token)
        return any(
            other.sent_index == ev.sent_index and other.category != "statement" and other.trigger.token.i in said
            for other in events
        )

    def reports_same_kind(ev: RawEvent) -> bool:
        said = _complement(ev.trigger.token)
        return any(
            other is not ev and other.category == ev.category and other.trigger.token.i in said for other in events
        )

    def acted_too(ev: RawEvent) -> bool:
        """What someone said is the content of what they did in that sentence, not an event of its
        own, when the act is the saying's means ('have warned of a risk … in a letter sent to the
        DfE'), or the saying comes along with it ('has apologised but says') or in an aside ('the
        disaster she said households face'). A saying added by a participle ('wrote to him, saying
        that …') stays; so does a judge's finding beside the ruling."""
        said = ev.trigger.token
        content = _complement(said)
        aside = said.dep_ == "relcl" and not any(
            c.dep_ in SUBJ and c.lower_ in RELATIVE_PRONOUNS for c in said.children
        )
        for other in events:
            if (
                other.sent_index != ev.sent_index
                or other.trigger.rule.speech
                or other.category in ("statement", "die", "legal_action")
                or not set(speakers(ev)) & set(speakers(other))
            ):
                continue
            act = other.trigger.token
            means = act.i not in content and any(t.i == act.i for t in said.subtree)
            alongside = said.dep_ == "conj" and said.head.i == act.i
            if means or alongside or aside:
                return True
        return False

    def introduces_quote(ev: RawEvent) -> bool:
        """'X issued the following statement:' opens a quote whose own events by X say what it said."""
        if not ev.sentence.text.strip().endswith(":"):
            return False
        return any(
            ev.sent_index < other.sent_index <= ev.sent_index + 6
            and other.category != "statement"
            and set(speakers(ev)) & set(speakers(other))
            for other in events
        )

    events = [ev for ev in events if not (ev.trigger.rule.speech and ev.agents and acted_too(ev))]
    # "Leora Cruddas said the trust has requested a meeting": the request, not a second demand.
    events = [
        ev for ev in events if not (ev.trigger.rule.speech and ev.category != "statement" and reports_same_kind(ev))
    ]
    events = [ev for ev in events if not (ev.category == "statement" and ev.agents and introduces_quote(ev))]
    framed = {(ev.sent_index, speakers(ev)) for ev in events if ev.category in ("demand", "criticise", "respond")}
    spoken: set[tuple[int, ...]] = set()
    out = []
    for ev in events:
        if ev.category == "statement":
            if (ev.sent_index, speakers(ev)) in framed or speakers(ev) in spoken or reports_other_event(ev):
                continue
            spoken.add(speakers(ev))
        out.append(ev)
    return out


def _complement(tok: Token) -> set[int]:
    """Token indices of what a verb says or acts on: its clausal and object complements."""
    return {t.i for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj") for t in c.subtree}


def _after_quote(tok: Token) -> bool:
    """Whether a verb comes straight after a closing quote ('…,” stated the CMA')."""
    before = [t.text for t in tok.doc[max(0, tok.i - 2) : tok.i]]
    return bool(before) and (before[-1] in "”\"'’" or (before[-1] == "," and len(before) == 2 and before[0] in "”\"'’"))


def _speech(lex: Lexicon, tok: Token) -> bool:
    rule = lex.verb(tok) if tok.pos_ in ("VERB", "AUX") else None
    return bool(rule and rule.speech)


def _quote_words(quote: str) -> list[str]:
    """A few words of each part of a quote, to see whether a clause contains it."""
    return [" ".join(part.split()[:3]) for part in quote.split(" … ") if part.split()]


def _phrase_part(tok: Token, verb: Token) -> bool:
    return tok.pos_ not in ("VERB", "AUX") and abs(tok.i - verb.i) <= 6


def _has_particle(verb: Token, particles: tuple[str, ...]) -> bool:
    """'call on', 'call for': as a particle or preposition, or as the mark of the clause asked for
    ('call for X to resign', where the parser hangs 'for' on 'resign')."""
    for c in verb.children:
        if c.dep_ in ("prt", "prep", "aux", "dative") and c.lower_ in particles:
            return True
        if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and any(p.lower_ in particles for p in _topic_preps(c)):
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


CONDITIONS = {"if", "unless", "until", "whether", "lest"}


def _conditional(tok: Token) -> bool:
    """A trigger in a clause of condition: 'halted until after the government has published a plan'."""
    doc = tok.doc
    for t in [tok, *list(tok.ancestors)[:4]]:
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in t.children):
            return True
        before = t.left_edge.i - 1  # "until after X has published": "until" hung on the main verb
        if t.dep_ == "advcl" and before >= 0 and doc[before].lower_ in CONDITIONS:
            return True
    return False


TOPIC_PREPS = ("about", "over", "on")


def _topic_preps(prep: Token) -> list[Token]:
    """The prepositions hung on the object of a topic phrase: 'about our concerns [to X]'."""
    return [p for g in prep.children if g.dep_ == "pobj" for p in g.children if p.dep_ == "prep"]


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    # "X (ASCL) and Y" or appositions: keep the head only
    return out


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted passages (straight or curly double quotes, or curly single quotes)."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“[^”]{2,}?(?:”|$)|\"[^\"\n]{2,}?(?:\"|$)|‘[^’]{3,}?’(?!\w)", text, flags=re.M):
        start, end = m.start(), m.end()
        # A quote over several paragraphs reopens each paragraph and closes only at its end:
        # a paragraph left open continues into the next one that opens with the same mark.
        if spans and text[spans[-1][1] - 1] not in '”"’' and not text[spans[-1][1] : start].strip():
            start = spans.pop()[0]
        spans.append((start, end))
    return spans
