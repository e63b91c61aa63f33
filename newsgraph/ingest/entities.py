"""Mentions to entities within one article: typing, cleaning and alias grouping.

Mentions come from the NER (with the gazetteer's EntityRuler in front of it), gazetteer phrases
("the government"), acronym definitions, honorific and surname forms, and definite descriptions
("the coroner", "the watchdog") tied to an actor the article names. Every mention keeps its
character offsets and sentence index; `ArticleEntities.at(token_index)` maps a token to its entity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from newsgraph.ingest.gazetteer import Country, Gazetteer, GazetteerActor, Office, apostrophe_variants
from newsgraph.ingest.nlp import doc_text, is_heading, token_lowers, token_texts
from newsgraph.model import Entity, Mention, actor_id

if TYPE_CHECKING:
    from newsgraph.ingest.entity_model import EntityModel

LABEL_TYPE = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "LAW": "Document",
    "WORK_OF_ART": "Other",
    "EVENT": "Other",
    "MISC": "Other",
}
HONORIFICS = {
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Professor",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Baroness",
    "Baron",
    "Rev",
    "Reverend",
    "Cllr",
    "Councillor",
    "Judge",
    "Justice",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
}
# Honorifics that belong to the name itself: "Lord Reed", "Prince Harry" have no other form.
NAME_TITLES = {"Lord", "Lady", "Baroness", "Baron", "Prince", "Princess", "King", "Queen", "Duke", "Duchess"}
ROLE_WORDS = {
    "coroner",
    "judge",
    "secretary",
    "minister",
    "inspector",
    "leader",
    "chief",
    "executive",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "mayor",
    "commissioner",
    "director",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "president",
    "headteacher",
    "head",
    "governor",
    "boss",
    "constable",
    "councillor",
    "vice-chancellor",
    "officer",
    "general",
    "founder",
    "editor",
    "professor",
    "deputy",
    "premier",
    "lawyer",
    "barrister",
    "solicitor",
    "actor",
    "actress",
    "mp",
}
# Titles before a name that the role words above do not spell ("Sen. Ted Cruz", "Councilwoman …").
US_TITLES = {
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "councilman",
    "councilwoman",
    "councilmember",
    "councilmen",
}
# Words that end a role phrase ("the chief executive of the trust": the role is "chief executive").
PREPOSITIONS = {"of", "at", "for", "in", "on", "from", "to", "with"}
# Heads of descriptions that say only that someone leads something ("the health boss").
GENERIC_ROLE_HEADS = {"boss", "chief", "head"}
# Nouns for people a story may open on before naming them ("A headteacher has …").
PERSON_NOUNS = {
    "member",
    "man",
    "woman",
    "teacher",
    "doctor",
    "nurse",
    "worker",
    "campaigner",
    "politician",
    "pupil",
    "manager",
    "owner",
    "mother",
    "father",
    "teenager",
    "pensioner",
    "driver",
    "student",
}
# Last words that make an NER "organisation" a document or another kind of thing.
NON_ORG_HEADS = {
    "Inquiry": "Other",
    "Review": "Other",
    "Act": "Document",
    "Bill": "Document",
    "Code": "Document",
    "Report": "Document",
    "Strategy": "Document",
    "Plan": "Document",
}
ADMINISTRATION_WORDS = ("administration", "government")  # "the Trump administration", "the Kenyan government"
GENERIC_ORG_NOUNS = {"organisation", "organization", "body"}
DESCRIPTION_OPENERS = {"the", "a", "an", "this", "that", "its", "his", "her", "their"}  # "The agency", "Its chief"
BUSINESS_NOUNS = {"company", "firm", "publisher", "broadcaster", "retailer", "airline"}
COMMON_PLURALS = {"mps", "ministers", "unions", "councils", "councillors", "peers", "judges", "inspectors", "officials"}
CONNECTORS = {"of", "and", "for", "the", "&", "on", "in", "at"}
GROUP_WORDS = {
    "unions": "union",
    "councils": "council",
    "regulators": "regulator",
    "courts": "court",
    "parties": "party",
    "departments": "department",
    "trusts": "trust",
}


@dataclass
class Cluster:
    type: str
    forms: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    gaz: GazetteerActor | None = None
    roles: list[str] = field(default_factory=list)
    cls: str | None = None
    source: str = "ner"
    first: int = 10**9  # first character offset
    affiliation: Cluster | None = None  # the organisation the text ties a person to
    # What `name` and `add` worked out last, with the state it holds for: a long article's actors
    # have thousands of mentions, and reading them all on every call made both quadratic.
    _named: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _spans: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        # forms and mentions only grow in place (add, append) or are replaced by new lists, so the
        # lists themselves and their lengths tell whether the name can have changed
        named = self._named
        if (
            named is not None
            and named[0] is self.gaz
            and named[1] == self.type
            and named[2] is self.forms
            and named[3] == len(self.forms)
            and named[4] is self.mentions
            and named[5] == len(self.mentions)
        ):
            return named[6]
        name = self._name()
        self._named = (self.gaz, self.type, self.forms, len(self.forms), self.mentions, len(self.mentions), name)
        return name

    def _name(self) -> str:
        if self.gaz:
            return self.gaz.name
        # The full name, in the spelling the article uses most ("Heidi Connor" over a stray "Heidi Conner").
        # A person's forms count without styles and letters too ("Rt Hon Alan Williams MP": Alan Williams).
        forms = self.forms
        if self.type == "Person":
            forms = list(dict.fromkeys([*forms, *map(core_person_name, forms)]))
        # A description that opens a sentence ("The letter", linked to "Ms Okafor") is capitalised too,
        # but never a name while the cluster has one.
        capitalised = [f for f in forms if _is_name(f)]
        full = [f for f in forms if _is_full_name(f, self.type)] or capitalised or forms
        used = Counter(m.text for m in self.mentions)
        return max(full, key=lambda f: (len(f.split()), used[f], len(f), -forms.index(f)))

    def add(self, mention: Mention, form: str) -> None:
        if self._spans is None or self._spans[0] is not self.mentions or self._spans[1] != len(self.mentions):
            self._spans = (self.mentions, len(self.mentions), {(m.start, m.end) for m in self.mentions})
        spans = self._spans[2]
        if (mention.start, mention.end) not in spans:
            self.mentions.append(mention)
            spans.add((mention.start, mention.end))
            self._spans = (self.mentions, len(self.mentions), spans)
        if form not in self.forms:
            self.forms.append(form)
        self.first = min(self.first, mention.start)


def _is_full_name(form: str, type_: str) -> bool:
    words = form.split()
    if type_ == "Person":
        description = words[0].lower() in DESCRIPTION_OPENERS  # "The former chancellor", "Its chief"
        possessive = re.search(r"['’]s\b", form) is not None  # "Harvard University's president"
        return (
            len(words) >= 2
            and words[0] not in HONORIFICS
            and core_person_name(form) == form
            and not form[0].islower()
            and not description
            and not possessive
        )
    return not form[:1].islower() and not form.lower().startswith("the ")


def strip_name(span_text: str) -> str:
    """A name without leading article, trailing possessive or surrounding punctuation; a bracket or
    quote inside ends it ("Joe Brennan),’’he", one token to the tokenizer)."""
    text = re.split(r"[()“”\"]|’’|''", span_text.strip().lstrip("\"“”‘’'([ "))[0]
    text = text.strip().strip("\"“”‘’'.,;:()[]-–— ")
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = re.sub(r"(?:'s|’s|'|’)$", "", text).strip()
    return re.sub(r"\s+", " ", text)


# Styles before a name that are no part of it ("the Rt Hon Tony Blair"), and letters after it.
STYLES = {"Rt", "Rt.", "Right", "Hon", "Hon.", "Honourable", "Honorable"}
POST_NOMINALS = {
    "MP",
    "MSP",
    "MS",
    "MLA",
    "MEP",
    "TD",
    "KC",
    "QC",
    "OBE",
    "MBE",
    "CBE",
    "DBE",
    "KBE",
    "PhD",
    "Jr",
    "Jr.",
}


# Words that open a surname ("da Silva", "van der Berg", "De León", "bin Salman"): a name of them and
# one more word is a surname alone, which joins the full name that ends with it.
SURNAME_PARTICLES = {
    "al",
    "bin",
    "da",
    "das",
    "de",
    "del",
    "della",
    "der",
    "den",
    "di",
    "do",
    "dos",
    "du",
    "el",
    "ibn",
    "la",
    "le",
    "ten",
    "ter",
    "van",
    "von",
}


def _full_person_form(form: str) -> bool:
    """A person's full name ("Sir Martyn Oliver"), not an honorific and a surname ("Ms Perry") nor a
    surname with its particles ("Ms da Silva", "Van der Berg"): those attach to the full name later."""
    words = core_person_name(form).split()
    return len(words) >= 2 and not _honorific_only(form) and not all(w.lower() in SURNAME_PARTICLES for w in words[:-1])


def core_person_name(name: str) -> str:
    """The full name without styles, honorifics, a role title before it or letters after it:
    'Sir Martyn Oliver' -> 'Martyn Oliver', 'Rt Hon Alan Williams MP' -> 'Alan Williams',
    'Councilman Gil Cedillo' -> 'Gil Cedillo'. Two words always stay: 'Lord Reed', 'Justice Fancourt',
    and 'Ms Perry' (a surname form, linked to a full name later)."""
    words = name.split()
    while len(words) > 2 and _leading_title(words[0]):
        words = words[1:]
    while len(words) > 2 and words[-1].rstrip(",") in POST_NOMINALS:
        words = words[:-1]
    return " ".join(words)


def _leading_title(word: str) -> bool:
    """A word before a name that is no part of it: a style, an honorific, a role title."""
    if word in STYLES or (word in HONORIFICS and word not in NAME_TITLES):
        return True
    low = word.lower().rstrip(".")
    return word[:1].isupper() and (low in ROLE_WORDS or low in US_TITLES)


def _named_last(clusters: list[Cluster], lo: int, hi: int) -> Cluster | None:
    """Of these clusters, the one with the latest mention starting in characters [lo, hi)."""
    best, pos = None, -1
    for c in clusters:
        for m in c.mentions:
            if lo <= m.start < hi and m.start > pos:
                best, pos = c, m.start
    return best


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in CONNECTORS]
    return "".join(w[0] for w in words if w[0].isupper())


def is_acronym(text: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*", text))
        and sum(c.isupper() for c in text) >= 2
        and (len(text) <= 8)
    )


class ArticleEntities:
    """The entities of one article, built from a parsed Doc."""

    def __init__(
        self, doc: Doc, gazetteer: Gazetteer, date: str | None = None, model: EntityModel | None | str = "load"
    ):
        from newsgraph.ingest.entity_model import load_entity_model

        self.doc = doc
        self.gaz = gazetteer
        self.date = date  # the article's date: who holds an office named by title depends on it
        # The trained entity layer on top of the rules: the shipped one by default, None for the rules alone.
        self.model = load_entity_model() if model == "load" else model
        self.clusters: list[Cluster] = []
        self.token_cluster: dict[int, Cluster] = {}
        # The other way round, for merges: id(cluster) -> (cluster, the tokens token_cluster gives it).
        # Only _assign, _merge and unmap write token_cluster, and they keep the two in step.
        self._cluster_tokens: dict[int, tuple[Cluster, set[int]]] = {}
        # Token -> sentence index, computed once: span.sent walks the document on every call.
        self._token_sentence: list[int] = [0] * len(doc)
        self._spans: dict[tuple[int, int], Span | None] = {}  # a mention's offsets -> its span, made once
        for i, sent in enumerate(doc.sents):
            self._token_sentence[sent.start : sent.end] = [i] * (sent.end - sent.start)
        self._build()

    # ---- public -------------------------------------------------------------------------------
    def spans(self, cl: Cluster) -> list[Span]:
        """The cluster's mentions as spans of the document (each widened to whole tokens)."""
        out = []
        for m in cl.mentions:
            key = (m.start, m.end)
            span = self._spans.get(key, False)
            if span is False:
                span = self._spans[key] = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and len(span):
                out.append(span)
        return out

    def at(self, token_i: int) -> Cluster | None:
        return self.token_cluster.get(token_i)

    def clusters_of_class(self, cls: str) -> list[Cluster]:
        return [c for c in self.clusters if c.cls == cls]

    def entities(self) -> list[Entity]:
        out: dict[str, Entity] = {}
        for c in sorted(self.clusters, key=lambda c: c.first):
            name = self.public_name(c)
            eid = actor_id(name, c.type)
            ent = out.get(eid)
            if ent is None:
                ent = out[eid] = Entity(id=eid, name=name, type=c.type, source=c.source)
            ent.mentions.extend(sorted(c.mentions, key=lambda m: m.start))
            for form in c.forms:
                if form != name and form not in ent.aliases:
                    ent.aliases.append(form)
            for role in c.roles:
                if role not in ent.roles:
                    ent.roles.append(role)
            if c.affiliation is not None and c.affiliation.mentions and ent.affiliation is None:
                ent.affiliation = self.entity_id(c.affiliation)
        return list(out.values())

    def entity_id(self, cluster: Cluster) -> str:
        return actor_id(self.public_name(cluster), cluster.type)

    def public_name(self, cluster: Cluster) -> str:
        """The name an actor goes out under: its own, but a place named by a country's other name
        or abbreviation ("US", "U.S.") is named as the gazetteer names that country ("United
        States"), so that one country is one node across articles, however each writes it."""
        name = cluster.name
        if cluster.type == "Place" and cluster.gaz is None:
            found = self.gaz.country(name)
            if found is not None and found[1] == "country":
                return found[0].name
        return name

    # ---- building -----------------------------------------------------------------------------
    def _mention(self, span: Span, text: str | None = None, start: int | None = None) -> Mention:
        start = span.start_char if start is None else start
        text = text if text is not None else span.text
        return Mention(text, start, start + len(text), self._sentence_of(span))

    def _sentence_of(self, span: Span) -> int:
        return self._token_sentence[span.start] if len(span) else 0

    def _assign(self, cluster: Cluster, span: Span, form: str | None = None) -> None:
        form = form or span.text
        # The mention text is the surface form exactly as it stands in the body.
        offset = doc_text(self.doc).find(form, span.start_char, span.end_char + 1)
        # A cleaned form (whitespace folded) is not in the body: the mention keeps the text as written.
        found = offset >= 0
        mention = self._mention(span, form if found else span.text, offset if found else span.start_char)
        cluster.add(mention, form)
        for t in span:
            if t.i == span.start and t.tag_ == "PRP$" and len(span) > 1:
                continue  # "its former boss": 'its' is the body whose boss, not the boss
            if self.token_cluster.setdefault(t.i, cluster) is cluster:
                self._tokens_of(cluster).add(t.i)

    def _tokens_of(self, cluster: Cluster) -> set[int]:
        entry = self._cluster_tokens.get(id(cluster))
        if entry is None:
            entry = self._cluster_tokens[id(cluster)] = (cluster, set())
        return entry[1]

    def unassign(self, cl: Cluster, span: Span) -> None:
        """The mentions inside `span` are no longer the cluster's (its capitalised forms stay)."""
        lo, hi = span.start_char, span.end_char
        cl.mentions = [m for m in cl.mentions if not (lo <= m.start < hi)]
        for t in span:
            if self.token_cluster.get(t.i) is cl:
                self.unmap(t.i)
        texts = {m.text for m in cl.mentions}
        cl.forms = [f for f in cl.forms if f in texts or f[:1].isupper()]

    def unmap(self, token_i: int) -> None:
        """The token is no longer a mention of the cluster it was given to."""
        cluster = self.token_cluster.pop(token_i, None)
        if cluster is not None:
            self._tokens_of(cluster).discard(token_i)

    def _build(self) -> None:
        raw: list[tuple[Span, str, str, GazetteerActor | None]] = []  # span, clean form, type, gazetteer
        for ent in self.doc.ents:
            type_ = LABEL_TYPE.get(ent.label_)
            if type_ is None:
                continue
            span = _trim(ent)
            if span is None:
                continue
            gaz = self.gaz.by_form.get(span.text) or (
                next((a for a in self.gaz.actors if a.id == ent.ent_id_), None) if ent.ent_id_ else None
            )
            if gaz:
                type_ = gaz.type
            if all(t.text in STYLES for t in span):
                continue  # "Rt Hon" split off by the NER from the name that follows
            if type_ == "Person":
                while len(span) > 2 and span[0].lower_ in ROLE_WORDS | PERSON_NOUNS:
                    span = span[1:]  # "Headteacher Ruth Perry": the title is no part of the name
                start = span.start
                while start > 0 and span.doc[start - 1].text in HONORIFICS | NAME_TITLES and span.start - start < 2:
                    start -= 1  # "Sir Martyn Oliver", "Mrs Justice Cole" are the surface forms
                span = span.doc[start : span.end]
                if all(t.text in HONORIFICS for t in span):
                    continue  # "Mrs Justice" split off by the NER from the name that follows
            elif len(span) == 1 and span.text in NAME_TITLES:
                continue  # "the Duke" is a description of a person, resolved below
            if type_ in ("Person", "Place") and span[-1].text in NON_ORG_HEADS and len(span) > 1:
                type_ = NON_ORG_HEADS[span[-1].text]  # "Migration Act" taken for a person
            elif type_ == "Organisation" and _located(span) is not None:
                span = _located(span)  # "Caversham Primary School in Reading": the school
            elif type_ == "Organisation" and span[-1].text in NON_ORG_HEADS:
                type_ = NON_ORG_HEADS[span[-1].text]  # "Leveson Inquiry", "Illegal Migration Act"
            form = strip_name(span.text)
            if not gaz and form.islower():
                continue  # "the unions", "hospital board": common nouns the NER took for names
            if not gaz and len(span) == 1 and (span[0].tag_ == "NNS" or span[0].lower_ in COMMON_PLURALS):
                continue  # "MPs", "Unions" at the start of a sentence: a kind of actor, not a name
            if not form or not any(c.isalpha() for c in form):
                continue
            if type_ == "Person" and len(form.split()) > 5:
                continue
            raw.append((span, form, type_, gaz))
        raw = self._defined_long_forms(raw)
        self._fix_types(raw)
        # Pass 1: gazetteer actors and full names; pass 2: short forms attach to them.
        by_key: dict[str, Cluster] = {}
        deferred = []
        for span, form, type_, gaz in raw:
            if gaz:
                cl = by_key.get("gaz:" + gaz.id)
                if cl is None:
                    cl = by_key["gaz:" + gaz.id] = self._new(type_, gaz=gaz, cls=gaz.cls, source="gazetteer")
                self._assign(cl, span, form)
            elif type_ == "Person" and _full_person_form(form):
                core = core_person_name(form)
                cl = by_key.get("per:" + core) or self._similar_person(core)
                if cl is None:
                    cl = by_key["per:" + core] = self._new("Person")
                self._assign(cl, span, form)
                if core != form and core not in cl.forms:
                    cl.forms.append(core)
                self._role_before(cl, span)
            elif type_ in ("Organisation", "Document", "Other", "Place") and not is_acronym(form):
                key = f"{type_[:3]}:{form.lower()}"
                cl = by_key.get(key)
                if cl is None:
                    cl = by_key[key] = self._new(
                        type_, cls=self.gaz.class_of_name(form) if type_ == "Organisation" else None
                    )
                self._assign(cl, span, form)
            else:
                deferred.append((span, form, type_))
        self._acronym_definitions()
        for span, form, type_ in deferred:
            cl = self._attach_short(form, type_)
            if cl is None:
                key = f"{type_[:3]}:{form}"
                cl = by_key.get(key)
                if cl is None:
                    cl = by_key[key] = self._new(type_)
            self._assign(cl, span, form)
        self._merge_org_parts()
        self._known_as()
        self._surname_tokens()
        self._gazetteer_phrases()
        self._offices()
        self._descriptions()
        self._lede()
        self._members()
        self.clusters = [c for c in self.clusters if c.mentions]
        if self.model is not None:
            from newsgraph.ingest.entity_model import refine

            refine(self, self.model)
            self._administrations()
            self._ministries()
            self._rehome()
        self._roles_in_apposition()
        self._appositives()
        self._affiliations()

    def _new(
        self, type_: str, gaz: GazetteerActor | None = None, cls: str | None = None, source: str = "ner"
    ) -> Cluster:
        cl = Cluster(type=type_, gaz=gaz, cls=cls, source=source)
        self.clusters.append(cl)
        return cl

    def _fix_types(self, raw: list) -> None:
        """NER type slips: the majority type of one surface form wins; known persons stay persons."""
        votes: dict[str, Counter] = {}
        for _span, form, type_, gaz in raw:
            if not gaz:
                votes.setdefault(form, Counter())[type_] += 1
        persons = {
            core_person_name(f).split()[-1]
            for f, v in votes.items()
            if v.most_common(1)[0][0] == "Person" and len(f.split()) >= 2
        }
        # Surnames the text gives with an honorific ("Ms Park") make "Lina Park" a person, whatever the NER said.
        honorific_surnames = {  # (any script's capital: "Ms Píriz", "Mr Žukauskas")
            w
            for w in re.findall(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.? ([^\W\d_][\w'’-]+)", doc_text(self.doc))
            if w[:1].isupper()
        }
        for f in list(votes):
            words = f.split()
            if (
                2 <= len(words) <= 3
                and words[-1] in honorific_surnames
                and all(w[:1].isupper() for w in words)
                and not self.gaz.class_of_name(f)
            ):
                votes[f]["Person"] += sum(votes[f].values()) + 1
        # "Freshway, one of the largest supermarket chains": a one-word "person" described as a body.
        for span, form, _type, gaz in raw:
            one_word_person = not gaz and len(form.split()) == 1 and votes[form].most_common(1)[0][0] == "Person"
            if one_word_person and _described_as_body(span):
                votes[form]["Organisation"] += sum(votes[form].values()) + 1
        full_names = {core_person_name(f) for f, v in votes.items() if v["Person"] and len(f.split()) >= 2}
        # The set's own order: of two names a form ends with, the one met first in it, as a walk over
        # the set finds it (looking up the form's endings instead: a walk per form was quadratic).
        name_order = {n: k for k, n in enumerate(full_names)}
        fixed = []
        for span, form, _type, gaz in raw:
            if gaz:
                fixed.append((span, form, _type, gaz))
                continue
            best = votes[form].most_common(1)[0][0]
            if form in persons:
                best = "Person"
            words = form.split()
            if best != "Person" and len(words) > 2:
                # "Warwickshire MP Nadhim Zahawi": a title glued to a name the article gives elsewhere.
                tails = [t for k in range(1, len(words)) if (t := " ".join(words[k:])) in name_order]
                tail = min(tails, key=name_order.__getitem__) if tails else None
                if tail:
                    start = span.end - len(tail.split())
                    fixed.append((span.doc[start : span.end], tail, "Person", None))
                    continue
            if best != "Organisation" and words[-1] not in honorific_surnames and self.gaz.body_by_name(form):
                best = "Organisation"  # "Hale Water will appeal": the name says what the NER did not
            nxt = span.doc[span.end] if span.end < len(span.doc) else None
            if (
                best == "Organisation"
                and len(words) == 1
                and nxt is not None
                and nxt.lower_ in ROLE_WORDS
                and (nxt.is_title)
            ):
                continue  # "Education Secretary", "Health Minister": a job title, not an organisation
            fixed.append((span, form, best, gaz))
        raw[:] = fixed

    def _similar_person(self, core: str) -> Cluster | None:
        """'Heidi Conner' joins 'Heidi Connor': same first name, a surname one or two letters apart."""
        first, last = core.split()[0], core.split()[-1]
        for cl in self.clusters:
            if cl.type != "Person":
                continue
            for f in cl.forms:
                w = core_person_name(f).split()
                if len(w) >= 2 and w[0] == first and w[-1] != last and fuzz.ratio(w[-1], last) >= 80 and len(last) > 3:
                    return cl
        return None

    def _role_before(self, cl: Cluster, span: Span) -> None:
        """'coroner Heidi Connor', 'Education Secretary Bridget Phillipson': the title the text gives."""
        i = span.start - 1
        words = []
        sentence = self._token_sentence[span.start]
        while i >= 0 and self._token_sentence[i] == sentence and span.doc[i].is_alpha and len(words) < 4:
            t = span.doc[i]
            if t.lower_ in ROLE_WORDS or (words and t.pos_ in ("NOUN", "PROPN", "ADJ") and t.ent_type_ != "PERSON"):
                words.insert(0, t.text)
                i -= 1
                continue
            break
        if words and words[-1].lower() in ROLE_WORDS:
            role = " ".join(words).lower()
            if role not in cl.roles:
                cl.roles.append(role)
        if any(w in ("Justice", "Judge") for w in span.text.split()) and "judge" not in cl.roles:
            cl.roles.append("judge")  # "Mr Justice Fancourt" is "the judge"

    def _roles_in_apposition(self) -> None:
        """'Ms Brennan, the environment minister, said …': a role the text gives in apposition after a
        person's name (a determiner, then up to four words ending in a role word, then a comma, a
        preposition or the sentence's end) is one of that person's roles, and the description one of
        its forms. The role before the name is _role_before's."""
        doc = self.doc
        for cl in [c for c in self.clusters if c.type == "Person"]:
            for span in self.spans(cl):
                i = span.end
                if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in ("the", "a", "an"):
                    continue
                sentence, j, words = self._token_sentence[i], i + 2, []
                while j < len(doc) and self._token_sentence[j] == sentence and len(words) < 5:
                    t = doc[j]
                    if not t.is_alpha or t.lower_ in PREPOSITIONS or t.ent_type_ == "PERSON":
                        break
                    if t.pos_ not in ("NOUN", "PROPN", "ADJ"):
                        words = []
                        break
                    words.append(t)
                    j += 1
                if not words or len(words) > 4 or words[-1].lower_ not in ROLE_WORDS:
                    continue
                if (
                    j < len(doc)
                    and self._token_sentence[j] == sentence
                    and not (doc[j].text in (",", ".", ";", ":", ")") or doc[j].lower_ in PREPOSITIONS)
                ):
                    continue
                role = " ".join(t.lower_ for t in words)
                if role not in cl.roles:
                    cl.roles.append(role)
                described = doc[i + 1 : j]
                if all(self.token_cluster.get(t.i) in (None, cl) for t in described):
                    self._assign(cl, described, described.text)

    def _appositives(self) -> None:
        """'Xing Haiming, the Chinese ambassador to Seoul, said', 'The trust's chief executive, Priya
        Natarajan, said': a common noun phrase the parse puts in apposition to a named actor
        describes it, and is one of its forms (the parse's `appos`, in either direction). Unlike
        _roles_in_apposition, any noun phrase, with what follows its head ("to Seoul"); a phrase
        that starts on another actor's mention is left alone."""
        for cl in [c for c in self.clusters if c.type in ("Person", "Organisation") and c.mentions]:
            for span in self.spans(cl):
                root = span.root
                described = [c for c in root.children if c.dep_ == "appos" and c.i >= span.end]
                if root.dep_ == "appos" and root.head.i < span.start:
                    described.append(root.head)
                for head in described:
                    phrase = _description(head, span)
                    if phrase is None or self.token_cluster.get(phrase.start) not in (None, cl):
                        continue
                    if self._describes(head, cl):
                        self._assign(cl, phrase, phrase.text)

    def _describes(self, head: Token, cl: Cluster) -> bool:
        """Whether a noun can describe an actor of the cluster's type: a role or person noun for a
        person, a noun of a class of bodies or a business for an organisation (not a thing the
        parse put beside the name: "a reference to ...", "the escape")."""
        lemma = head.lemma_.lower()
        if cl.type == "Person":
            return lemma in ROLE_WORDS or lemma in PERSON_NOUNS
        return lemma in self.gaz.noun_classes or lemma in GENERIC_ORG_NOUNS or lemma in BUSINESS_NOUNS

    def _defined_long_forms(self, raw: list) -> list:
        """'UK Research and Innovation (UKRI)', 'the Educational Institute of Scotland (EIS)': the
        name an acronym in brackets defines is one entity, where the NER missed it, split it
        ("Educational Institute of" + "Scotland") or ran it into a word before ("Earlier the ...")."""
        doc = self.doc
        for m in _bracketed_acronyms(doc_text(doc)):
            acr = m.group(1)
            bracket = doc.char_span(m.start(), m.start() + 1)
            if bracket is None or bracket.start == 0:
                continue
            sent = bracket.sent
            words = doc[max(sent.start, bracket.start - min(len(acr) + 5, 2 * len(acr))) : bracket.start]
            start = long_form_start(acr, words.text)
            if start is None:
                continue
            span = doc.char_span(words.start_char + start, words.end_char, alignment_mode="expand")
            if span is None or len(span) < 2 or not _titled(span):
                continue
            inside = [r for r in raw if r[0].start < span.end and span.start < r[0].end]
            if len(inside) == 1 and inside[0][0].start == span.start and inside[0][0].end == span.end:
                continue  # the NER found it as it stands
            if any(r[0].end > span.end for r in inside):
                continue
            if any(
                all(t.pos_ == "PROPN" or t.lower_ in CONNECTORS for t in r[0][: span.start - r[0].start])
                for r in inside
                if r[0].start < span.start
            ):
                continue  # a longer name the acronym abbreviates only part of: the NER's reading stands
            gaz = self.gaz.by_form.get(span.text)
            types = [r[2] for r in inside]
            type_ = gaz.type if gaz else "Organisation" if "Organisation" in types or not types else types[-1]
            raw = [r for r in raw if r not in inside]
            raw.append((span, strip_name(span.text), type_, gaz))
        return sorted(raw, key=lambda r: r[0].start)

    def _acronym_definitions(self) -> None:
        """'Association of School and College Leaders (ASCL)': the bracketed acronym joins the name."""
        for m in _bracketed_acronyms(doc_text(self.doc)):
            acr = m.group(1)
            before = self.doc.char_span(max(0, m.start() - 1), m.start(), alignment_mode="expand")
            if before is None:
                continue
            cl = self.token_cluster.get(before.start) or self.token_cluster.get(before.start - 1)
            if cl is not None and cl.type != "Person":
                span = self.doc.char_span(m.start(1), m.end(1))
                if span is not None:
                    self._assign(cl, span, acr)

    def _attach_short(self, form: str, type_: str) -> Cluster | None:
        """A short form (surname, honorific + surname, acronym) joins the full name it abbreviates."""
        if type_ == "Person" or _honorific_only(form):
            words = form.split()
            last = words[-1]
            first = words[0] if words[0] not in HONORIFICS else None
            matches = [
                c
                for c in self.clusters
                if c.type == "Person"
                and any(
                    core_person_name(f).split()[-1] == last and len(core_person_name(f).split()) >= 2 for f in c.forms
                )
            ]
            if first:
                matches = [
                    c for c in matches if any(f.split()[0] == first or first in f.split() for f in c.forms)
                ] or matches
            if len(matches) >= 1:
                return min(matches, key=lambda c: c.first)
            # "Sir Simon": an honorific with a first name.
            if words[0] in HONORIFICS and len(words) == 2:
                firsts = [
                    c
                    for c in self.clusters
                    if c.type == "Person"
                    and any(
                        len(core_person_name(f).split()) >= 2 and core_person_name(f).split()[0] == last
                        for f in c.forms
                    )
                ]
                if len(firsts) == 1:
                    return firsts[0]
            return None
        if is_acronym(form):
            for c in self.clusters:
                if c.type != "Person" and form in c.forms:
                    return c
            for c in self.clusters:
                if c.type != "Person" and any(initials(f) == form and len(f.split()) >= 2 for f in c.forms):
                    return c
        return None

    def _merge_org_parts(self) -> None:
        """'Mirror Group' and 'Activision' join 'Mirror Group Newspapers' and 'Activision Blizzard'."""
        orgs = [c for c in self.clusters if c.type == "Organisation"]
        for short in orgs:
            if short.gaz or not short.mentions:
                continue
            s = short.name.split()
            for long_ in orgs:
                if long_ is short or not long_.mentions:
                    continue
                words = long_.name.split()
                if len(words) > len(s) and words[: len(s)] == s and not (long_.gaz and short.gaz):
                    self._merge(long_, short)
                    break

    def _known_as(self) -> None:
        """'Michael Turner, who is known professionally as Michael Le Vell': one person, two names."""
        for m in re.finditer(r"\b(?:also |better |professionally |formerly )?known (?:\w+ )?as\b", doc_text(self.doc)):
            after = self.doc.char_span(m.end() + 1, m.end() + 2, alignment_mode="expand")
            if after is None:
                continue
            second = self.token_cluster.get(after.start)
            people = [c for c in self.clusters if c.type == "Person"]
            first = _named_last(people, after.sent.start_char, m.start())
            if second is not None and first is not None and second is not first and second.type == first.type:
                self._merge(first, second)

    def _merge(self, into: Cluster, other: Cluster) -> None:
        for m in other.mentions:
            into.add(m, m.text)
        for f in other.forms:
            if f not in into.forms:
                into.forms.append(f)
        into.roles.extend(r for r in other.roles if r not in into.roles)
        _, tokens = self._cluster_tokens.pop(id(other), (other, set()))
        for k in tokens:
            self.token_cluster[k] = into
        self._tokens_of(into).update(tokens)
        other.mentions = []

    def _surname_tokens(self) -> None:
        """A bare surname the NER missed ('Zahawi listed…') is still a mention of that person."""
        surnames: dict[str, Cluster] = {}
        for c in self.clusters:
            if c.type == "Person":
                for f in c.forms:
                    w = core_person_name(f).split()
                    if len(w) >= 2:
                        surnames.setdefault(w[-1], c)
        for i, text in enumerate(token_texts(self.doc)):
            if i in self.token_cluster or text not in surnames:
                continue
            t = self.doc[i]
            if t.pos_ != "PROPN":
                continue
            cl = surnames[t.text]
            prev = self.doc[t.i - 1] if t.i > 0 else None
            span = (
                self.doc[t.i - 1 : t.i + 1] if prev is not None and prev.text in HONORIFICS else self.doc[t.i : t.i + 1]
            )
            self._assign(cl, span, span.text)

    def _gazetteer_phrases(self) -> None:
        """Phrases such as 'the government' or 'ministers' name a gazetteer actor in any article (in
        an article of another country, _rehome gives them to that country's government)."""
        if not self.gaz.by_mention:
            return
        lowered = doc_text(self.doc).lower()
        for phrase, actor in self.gaz.by_mention.items():
            for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", lowered):
                span = self.doc.char_span(m.start(), m.end())
                if span is None or any(t.i in self.token_cluster for t in span):
                    continue
                if phrase.startswith("the ") and _followed_by_name(span):
                    continue  # "the government's plan" still counts; "the Government Office" does not
                cl = next((c for c in self.clusters if c.gaz is actor), None) or self._new(
                    actor.type, gaz=actor, cls=actor.cls, source="gazetteer"
                )
                self._assign(cl, span, span.text)

    def _rehome(self) -> None:
        """'The government' that the rules gave a gazetteer actor (the UK Government) which the article
        never names. After the trained layer, which has made the countries acting as states their
        governments ("Government of Russia").
        - When it was merged with a government the article names that is not of the actor's country
          ("The Welsh Government said … ministers would meet the union"), that name is its own.
        - Else, when the article names one other government ("the Australian government") and never
          the actor's country by a name of it ("UK", "British", "Westminster"), it is that one: words
          of the actor's `context` such as "MPs" or "Labour" are those of other countries too.
        - Else, in an article with no word of the actor's `context`, it is the government of the
          country the article names most."""
        for cl in list(self.clusters):
            actor = cl.gaz
            if actor is None or not actor.context or not cl.mentions:
                continue
            if any(strip_name(m.text) in (actor.name, *actor.aliases) for m in cl.mentions):
                continue  # named ("HM Government"): the actor itself
            own = next((c for c in self.gaz.countries if {c.name, *c.names} & set(actor.context)), None)
            countries = self._named_government_countries(cl)
            if countries and own not in countries:
                cl.gaz = None  # "Welsh Government": the article's name for it
                continue
            others = [c for c in self.clusters if c is not cl and c.mentions and self._other_government(c, own)]
            if len(others) == 1 and not (own is not None and self._has_word(own.words)):
                self._merge(others[0], cl)
                continue
            if self._has_word(actor.context):
                continue
            home = self._home_government()
            if home is not None and home is not cl:
                self._merge(home, cl)
        self.clusters = [c for c in self.clusters if c.mentions]

    def _government_country(self, text: str) -> Country | str | None:
        """The country a government's name says it is of ("Kenyan government", "Government of Kenya":
        Kenya), a nation of no country the gazetteer knows ("Scottish Government": the word
        "Scottish"), or None for no government's name ("the government", "ministers", "Kenya")."""
        words = text.split()
        if 3 <= len(words) <= 5 and words[0] == "Government" and words[1] == "of":
            place = " ".join(words[2:])
            known = self.gaz.country(place)
            return known[0] if known is not None else place
        if len(words) < 2 or len(words) > 4 or words[-1].lower() != "government":
            return None
        if not all(w[:1].isupper() for w in words[:-1]):
            return None
        before = " ".join(words[:-1])
        return self.gaz.government_words.get(before) or before

    def _other_government(self, cl: Cluster, own: Country | None) -> bool:
        """Whether the article names a cluster as a government ("the Australian Government"), of a
        country other than `own` (not a country's name standing for its government: "Australia said")."""
        countries = self._named_government_countries(cl)
        return bool(countries) and own not in countries

    def _named_government_countries(self, cl: Cluster) -> set[Country | str]:
        """What the cluster's mentions that are a government's name say it is of (`_government_country`)."""
        return {self._government_country(strip_name(m.text)) for m in cl.mentions} - {None}

    def _home_government(self) -> Cluster | None:
        """The government of the country the article names most often (a cluster named as the
        gazetteer names governments, "Government of New Zealand"), or None when it names none."""
        named: dict[Country, tuple[int, int]] = {}  # country -> (mentions, minus its first offset)
        for cl in self.clusters:
            found = next((k[0] for f in cl.forms if (k := self.gaz.country(f)) is not None and k[1] == "country"), None)
            found = found or self.gaz.governments.get(cl.name)  # "Government of Kenya" ("the Kenyan government")
            if found is not None and cl.mentions:
                count, first = named.get(found, (0, -cl.first))
                named[found] = (count + len(cl.mentions), max(first, -cl.first))
        if not named:
            return None
        return self._government_of(max(named, key=named.get))  # the most named; of those, the first

    def _government_of(self, country: Country) -> Cluster:
        """The cluster of a country's government: the gazetteer's actor for it when it has one (the
        UK Government, whose context names the country), else one named "Government of X"."""
        names = {country.name, *country.names}
        actor = next((a for a in self.gaz.actors if a.cls == "government" and names & set(a.context)), None)
        name = actor.name if actor is not None else country.government
        existing = next((c for c in self.clusters if c.name == name or name in c.forms), None)
        if existing is not None:
            return existing
        actor = actor or GazetteerActor(name=name, type="Organisation", cls="government")
        return self._new("Organisation", gaz=actor, cls="government", source="gazetteer")

    def _administrations(self) -> None:
        """'the Kenyan government' is the Government of Kenya; 'the Trump administration' and 'the
        Morrison government' are bodies of their own, named so ("Trump administration"), and 'the
        administration' is the one such body the article names. A leader's name counts when the
        article names that person, or the NER or nothing else takes the word for a name (not
        "the Labour government": a party the article names)."""
        doc, made = self.doc, []
        for t in doc:
            if t.lower_ not in ADMINISTRATION_WORDS:
                continue
            words = 0  # the capitalised words before it, up to three ("the New Zealand government")
            while words < 3 and t.i - words > 0 and _name_word(doc[t.i - words - 1]):
                words += 1
            country = start = None
            for n in range(words, 0, -1):  # the longest that names a country
                country = self.gaz.government_words.get(doc[t.i - n : t.i].text)
                if country is not None:
                    start = t.i - n
                    break
            if country is not None:
                target = self._government_of(country)
            elif words and self._leader(doc[t.i - 1], t):
                start = t.i - 1
                name = f"{doc[start].text} {t.lower_}"
                target = next((c for c in made if c.name == name), None)
                if target is None:
                    target = self._new("Organisation", cls="government", source="rule")
                    made.append(target)
            else:
                continue
            span = doc[start : t.i + 1]
            outer = doc[start - 1 : t.i + 1] if start > 0 and doc[start - 1].lower_ == "the" else span
            # what the rules or the trained layer made of the words (the leader, "the Kenyan
            # government" as a description of another government) gives way
            for owner in {id(c): c for x in outer if (c := self.token_cluster.get(x.i))}.values():
                if owner is not target:
                    self.unassign(owner, outer)
                    if owner.gaz is None and not any(_is_name(m.text) for m in owner.mentions):
                        for rest in self.spans(owner):  # descriptions tied to "Trump" alone describe no actor named
                            self.unassign(owner, rest)
            self._assign(target, span, span.text)
        if len(made) == 1 and made[0].name.endswith(" administration"):
            for t in doc:
                if t.lower_ == "administration" and t.i > 0 and doc[t.i - 1].lower_ == "the":
                    span = doc[t.i - 1 : t.i + 1]
                    if t.i not in self.token_cluster and not _followed_by_name(span):
                        self._assign(made[0], span, span.text)
        self.clusters = [c for c in self.clusters if c.mentions]

    def _ministries(self) -> None:
        """A country's ministry named by its portfolio ("China's foreign ministry", "the Russian
        defence ministry", "Jordan's Ministry of Interior") is the organisation "Ministry of Foreign
        Affairs of China", whatever else the NER or the descriptions made of those words."""
        doc = self.doc
        for t in doc:
            if t.lower_ != "ministry":
                continue
            portfolio: list[str] = []
            end = t.i + 1
            if t.text == "Ministry" and end < len(doc) and doc[end].lower_ == "of":
                # "Jordan's Ministry of Interior", "Vietnam's Ministry of Industry and Trade"
                k = end + 1
                while k < len(doc) and k - end <= 5 and (_name_word(doc[k]) or doc[k].lower_ in ("and", "the")):
                    k += 1
                while k > end + 1 and doc[k - 1].lower_ in ("and", "the"):
                    k -= 1
                portfolio = [w.text for w in doc[end + 1 : k] if w.lower_ != "the"]
                end, first = k, t.i
            else:
                # "foreign", "trade and industry": up to three words before it, none a name's
                first = t.i
                while first > 0 and t.i - first < 3 and doc[first - 1].pos_ in ("ADJ", "NOUN", "PROPN", "CCONJ"):
                    if self.gaz.government_words.get(doc[first - 1].text) is not None:
                        break
                    first -= 1
                portfolio = [w.text for w in doc[first : t.i]]
            if not portfolio or portfolio[0].lower() == "and" or portfolio[-1].lower() == "and":
                continue
            country, start = self._country_before(first)
            if country is None:
                continue
            words = " ".join(w if w.lower() in ("and", "of") else w[:1].upper() + w[1:] for w in portfolio)
            words = {"Foreign": "Foreign Affairs", "Home": "Home Affairs"}.get(words, words)
            name = f"Ministry of {words} of {country.government.removeprefix('Government of ')}"
            target = next((c for c in self.clusters if c.name == name), None)
            if target is None:
                actor = GazetteerActor(name=name, type="Organisation", cls="department")
                target = self._new("Organisation", gaz=actor, cls="department", source="rule")
            span = doc[start:end]
            outer = doc[start - 1 : end] if start > 0 and doc[start - 1].lower_ == "the" else span
            for owner in {id(c): c for x in outer if (c := self.token_cluster.get(x.i))}.values():
                if owner is not target:
                    # "China" in "China's foreign ministry", the NER's "Ministry of Interior", a description
                    self.unassign(owner, outer)
                    owner.forms = [f for f in owner.forms if f not in (span.text, outer.text)]
            self._assign(target, span, span.text)
        self.clusters = [c for c in self.clusters if c.mentions]

    def _country_before(self, i: int) -> tuple[Country | None, int]:
        """The country whose name ("China's", "Beijing's") or adjective ("Chinese") ends just before
        token `i`, and where that name starts; (None, i) when none does."""
        doc = self.doc
        possessive = i > 0 and doc[i - 1].text in ("'s", "’s")
        stop = i - 1 if possessive else i
        for n in (3, 2, 1):
            if stop - n < 0 or any(not w.text[:1].isalpha() for w in doc[stop - n : stop]):
                continue
            text = doc[stop - n : stop].text
            known = self.gaz.country(text) if possessive else None
            if known is not None and known[1] != "seat":
                return known[0], stop - n
            if not possessive and (country := self.gaz.government_words.get(text)) is not None:
                return country, stop - n
        return None, i

    def _leader(self, word: Token, noun: Token) -> bool:
        """Whether a capitalised word before 'administration' or 'government' names a leader."""
        owner = self.token_cluster.get(word.i)
        if (owner is not None and owner.type == "Person") or word.ent_type_ == "PERSON":
            return True
        people = [c for c in self.clusters if c.type == "Person" and c.mentions]
        if any(word.text == core_person_name(c.name).split()[-1] for c in people):
            return True
        if noun.text != "administration" or self.gaz.lookup(word.text) is not None:
            return False  # "the Conservative government", "the Federal Aviation Administration"
        # 'the Trump administration', where the NER took "Trump" for a body: a name of nothing else.
        # Only the mentions that are the word count: a description the trained layer tied to that
        # body ("the storied school") says nothing of what the word names.
        text = doc_text(self.doc)
        return owner is None or (
            owner.gaz is None
            and all(
                text[m.end :].lstrip().lower().startswith(ADMINISTRATION_WORDS)
                for m in owner.mentions
                if m.text == word.text
            )
        )

    def _has_word(self, words: tuple[str, ...]) -> bool:
        """Whether the article has one of `words` (as written, whole words): an office's or a
        gazetteer actor's `context`."""
        return bool(words) and _words_pattern(words).search(doc_text(self.doc)) is not None

    def _offices(self) -> None:
        """'the Prime Minister', 'the education secretary', 'the Queen': the office's holder on the
        article's date; 'the former chancellor' is a person the article names who held it before."""
        if not self.date or not self.gaz.offices:
            return
        text = doc_text(self.doc)
        phrases = sorted(
            (
                (variant, office)
                for office in self.gaz.offices
                for phrase in office.mentions
                for variant in apostrophe_variants(phrase)
            ),
            key=lambda p: -len(p[0]),
        )
        lowered = text.lower()
        for phrase, office in phrases:
            if phrase.lower() not in lowered:
                continue  # (most offices are not in a given article: no pattern to run)
            modifier = r"(?:(former|new|incoming|outgoing|current) )?"
            pattern = r"\b[Tt]he " + modifier + "(" + re.escape(phrase) + r")\b(?![-’'][a-z])"
            for m in re.finditer(pattern, text, flags=re.IGNORECASE):
                if office.capitalised and not m.group(2)[0].isupper():
                    continue
                span = self.doc.char_span(m.start(), m.end())
                if span is None or any(t.i in self.token_cluster for t in span):
                    continue
                nxt = self.doc[span.end] if span.end < len(self.doc) else None
                if nxt is not None and (nxt.lower_ == "of" or (nxt.pos_ == "PROPN" and nxt.is_title)):
                    continue  # "the Prime Minister of Canada"; "Prime Minister Rishi Sunak" is a name
                target = self._office_holder(office, (m.group(1) or "").lower(), m.start())
                if target is not None:
                    self._assign(target, span, span.text)
                    if office.name.lower() not in target.roles:
                        target.roles.append(office.name.lower())

    def _office_holder(self, office: Office, modifier: str, at: int) -> Cluster | None:
        on = self.date or ""
        named = {core_person_name(f): c for c in self.clusters if c.type == "Person" and c.mentions for f in c.forms}
        if modifier == "former":
            # of two, the one the text named last before the phrase, else the first it names after
            found = [named[h] for h in office.former_holders(on) if h in named]
            return _named_last(found, 0, at) or min(found, key=lambda c: c.first, default=None)
        holder = office.holder_on(on)
        if modifier in ("new", "incoming"):
            upcoming = office.next_term(on)
            holder = upcoming.holder if upcoming and _days_between(on, upcoming.start) <= 200 else holder
        if holder is None:
            return None
        if holder in named:
            return named[holder]
        existing = next((c for c in self.clusters if c.gaz is not None and c.gaz.name == holder), None)
        if existing is not None:
            return existing
        if not self._has_word(office.context):
            return None  # nothing says the article is in the office's country
        return self._new("Person", gaz=GazetteerActor(name=holder, type="Person"), source="gazetteer")

    def _descriptions(self) -> None:
        """'the watchdog', 'the coroner', 'the unions': definite descriptions tied to named actors."""
        noun_class = self.gaz.noun_classes
        for i, lower in enumerate(token_lowers(self.doc)):  # (a Token made only for the determiners)
            if lower not in ("the", "this", "that") or i + 1 >= len(self.doc):
                continue
            t = self.doc[i]
            # the [adjective ...] head
            j = t.i + 1
            inner: Cluster | None = None  # "the NAHT school leaders' union": a named body inside
            while (
                j < len(self.doc) - 1
                and (self.doc[j].pos_ in ("ADJ", "NOUN", "PROPN") or self.doc[j].text in ("'", "’"))
                and (
                    self.doc[j + 1].pos_ == "NOUN"
                    or self.doc[j + 1].text in ("'", "’")
                    or (self.doc[j + 1].is_title and self.doc[j + 1].lower_ in ROLE_WORDS)  # "the Chief Inspector"
                )
                and j - t.i < 5
            ):
                found = self.token_cluster.get(self.doc[j].i)
                if found is not None:
                    if found.type != "Organisation" or (inner is not None and inner is not found):
                        break
                    inner = found
                j += 1
            if self.doc[j].text in ("'", "’") and j + 1 < len(self.doc):
                j += 1
            head = self.doc[j]
            if head.i in self.token_cluster or head.pos_ not in ("NOUN", "PROPN"):
                continue
            if j + 1 < len(self.doc) and (self.doc[j + 1].pos_ == "PROPN" or self.doc[j + 1].text in ("of",)):
                continue  # "the coroner Heidi Connor" (apposition) or "the department of X"
            span = self.doc[t.i : j + 1]
            word = head.lower_
            target = None
            after = self.token_cluster.get(j + 2) if j + 2 < len(self.doc) and self.doc[j + 1].text == "," else None
            if after is not None and after.type == "Person" and word in ROLE_WORDS:
                self._assign(after, span, span.text)  # "the incoming Chief Inspector, Sir Martyn Oliver"
                continue
            if word in GROUP_WORDS:
                continue  # groups are resolved by the event stage (one event per member)
            if inner is not None:
                if word in noun_class and inner.cls in noun_class[word] or word in GENERIC_ORG_NOUNS:
                    self._assign(inner, span, span.text)
                continue
            if word in GENERIC_ORG_NOUNS:
                target = self.previous_org(span.start_char)
            elif word in ("city", "town"):
                # a place the article names that is not a country the gazetteer knows
                places = [c for c in self.clusters if c.type == "Place" and c.gaz is None and c.mentions]
                target = self._nearest(places, span.start_char)
            elif head.text.capitalize() in NAME_TITLES and head.text[0].isupper():
                people = [c for c in self.clusters if c.type == "Person" and c.name.split()[0] in NAME_TITLES]
                target = self._nearest(people, span.start_char)
            elif word in ROLE_WORDS:
                people = [c for c in self.clusters if c.type == "Person" and any(word in r.split() for r in c.roles)]
                if not people and word in GENERIC_ROLE_HEADS:
                    # "the outgoing health chief", "the health boss": no one is given that title, so
                    # the story's protagonist, the person it has named most so far.
                    people = [c for c in self.clusters if c.type == "Person" and c.first < span.start_char]
                    counts = {id(c): sum(1 for m in c.mentions if m.start < span.start_char) for c in people}
                    people = [max(people, key=lambda c: (counts[id(c)], -c.first))] if people else []
                target = self._nearest(people, span.start_char)
            elif word in noun_class:
                cands = [c for c in self.clusters if c.cls in noun_class[word] and c.type != "Person"]
                if not cands and word in BUSINESS_NOUNS:
                    # "the company": a business the article names, that is no body of a known kind
                    cands = [c for c in self.clusters if c.type == "Organisation" and c.cls is None and c.gaz is None]
                target = self._nearest(cands, span.start_char)
            if target is not None:
                self._assign(target, span, span.text)

    def _lede(self) -> None:
        """'The cabinet member for finance at a cash-strapped council has resigned. Labour councillor
        Steve Leggett …': a story that opens on a description names the person just after it."""
        sents = [s for s in self.doc.sents if not is_heading(s)][:3]
        if len(sents) < 2:
            return
        for t in sents[0]:
            head = t.head
            if t.lower_ not in ("the", "a", "an") or t.dep_ != "det" or head.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if head.lower_ not in ROLE_WORDS | PERSON_NOUNS or head.i in self.token_cluster:
                continue
            if any(c.type == "Person" and c.first < sents[1].start_char for c in self.clusters):
                return  # the opening already names someone: the description may be anyone
            named = [c for c in self.clusters if c.type == "Person" and c.first < sents[-1].end_char]
            if not named:
                return
            person = min(named, key=lambda c: c.first)
            prep = next((c for c in head.children if c.dep_ == "prep" and c.i > head.i), None)
            end = max(x.i for x in prep.subtree) + 1 if prep is not None else head.i + 1
            if prep is not None and end - t.i > 8:
                end = head.i + 1
            self._assign(person, self.doc[t.i : end])
            return

    def _affiliations(self) -> None:
        """'Geoff Barton (ASCL)', 'Paul Whiteman of the NAHT', 'Leora Cruddas, chief executive of CST',
        "Ofsted's chief inspector Martyn Oliver": the organisation a person speaks or acts for."""
        for cl in self.clusters:
            if cl.type != "Person":
                continue
            for span in self.spans(cl):
                org = self._org_near(span)
                if org is not None:
                    cl.affiliation = org
                    break
            if cl.affiliation is None:
                cl.affiliation = self._office_body(cl)

    def _office_body(self, person: Cluster) -> Cluster | None:
        """The body of an office the gazetteer knows the person to hold, when the article names it."""
        names = {person.name, *(core_person_name(f) for f in person.forms)}
        for office in self.gaz.offices:
            if office.body and any(t.holder in names for t in office.terms):
                body = next((c for c in self.clusters if c.gaz is not None and c.gaz.name == office.body), None)
                if body is not None:
                    return body
        return None

    def _org_near(self, span: Span) -> Cluster | None:
        doc, head = self.doc, span.root

        def org_in(tokens) -> Cluster | None:
            for t in tokens:
                c = self.token_cluster.get(t.i)
                if c is not None and c.type == "Organisation":
                    return c
            return None

        # "X (ASCL)"
        if span.end + 2 < len(doc) and doc[span.end].text == "(":
            found = org_in(doc[span.end + 1 : span.end + 4])
            if found:
                return found
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "at"):
                found = org_in(child.subtree)
                if found:
                    return found
            if child.dep_ == "appos":
                words = {t.lower_ for t in child.subtree}
                if words & ROLE_WORDS:
                    found = org_in(child.subtree)
                    if found:
                        return found
        # "Ofsted's new chief inspector Sir Martyn Oliver", "NHS England chief executive X"
        if head.dep_ in ("appos", "compound") and head.head.lower_ in ROLE_WORDS:
            found = org_in(t for t in head.head.subtree if t.i < span.start)
            if found:
                return found
        sentence = self._token_sentence[span.start]
        before = [t for t in doc[max(0, span.start - 5) : span.start] if self._token_sentence[t.i] == sentence]
        if before and before[-1].lower_ in ROLE_WORDS:
            return org_in(before)
        return None

    def _members(self) -> None:
        """'inspectors' stand for the inspectorate when the article names exactly one."""
        for cls, nouns in self.gaz.class_members.items():
            bodies = [c for c in self.clusters if c.cls == cls and c.mentions]
            if len(bodies) != 1:
                continue
            for i, lower in enumerate(token_lowers(self.doc)):
                if lower not in nouns:
                    continue
                t = self.doc[i]
                if t.i not in self.token_cluster and not any(
                    c.dep_ in ("compound", "amod", "poss") for c in t.children
                ):
                    self._assign(bodies[0], self.doc[t.i : t.i + 1], t.text)

    def previous_org(self, pos: int) -> Cluster | None:
        """The organisation mentioned last before a character offset."""
        best, at = None, -1
        for c in self.clusters:
            if c.type == "Organisation":
                for m in c.mentions:
                    if at < m.start < pos:
                        best, at = c, m.start
        return best

    def _nearest(self, clusters: list[Cluster], pos: int) -> Cluster | None:
        before = [c for c in clusters if c.first < pos]
        if before:
            # The most mentioned so far (the article's topic), then the most recent.
            return max(
                before,
                key=lambda c: (
                    sum(1 for m in c.mentions if m.start < pos),
                    max(m.start for m in c.mentions if m.start < pos) if any(m.start < pos for m in c.mentions) else -1,
                ),
            )
        return clusters[0] if len(clusters) == 1 else None


def _name_word(t: Token) -> bool:
    """A capitalised word that may be a name or a country's adjective ("Trump", "New", "Kenyan", "US")."""
    return (t.is_title or t.is_upper) and t.pos_ in ("PROPN", "ADJ", "NOUN") and t.text[:1].isalpha()


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    """Any of `words` as a whole word: one scan of an article for a `context` list, not one per word."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def _days_between(a: str, b: str) -> int:
    return abs((date.fromisoformat(_day(b)) - date.fromisoformat(_day(a))).days)


def _day(value: str) -> str:
    """An ISO date, month or year as a day: its first."""
    parts = value.split("-") + ["01", "01"]
    return "-".join(parts[:3])


INSTITUTION_HEADS = {"School", "Academy", "College", "University", "Hospital", "Trust", "Court", "Prison", "Home"}


def _located(span: Span) -> Span | None:
    """An institution's name with the town the NER glued on: 'Caversham Primary School in Reading'."""
    words = [t.text for t in span]
    for i in range(2, len(words) - 1):
        if words[i] == "in" and words[i - 1] in INSTITUTION_HEADS and all(w[:1].isupper() for w in words[i + 1 :]):
            return span[:i]
    return None


BODY_NOUNS = {
    "company",
    "firm",
    "chain",
    "supermarket",
    "retailer",
    "bank",
    "charity",
    "group",
    "business",
    "brand",
    "airline",
    "provider",
    "operator",
    "insurer",
    "lender",
    "publisher",
    "broadcaster",
    "manufacturer",
    "agency",
}


def _described_as_body(span: Span) -> bool:
    """Whether an apposition describes the name as a company or other body ('X, one of the UK's
    largest supermarket chains', 'X, the energy firm')."""
    root = span.root
    for appos in [c for c in root.children if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else []):
        words = {t.lemma_.lower() for t in appos.subtree}
        if words & BODY_NOUNS:
            return True
    # the parser does not always see the apposition: the words between the commas after the name
    doc, i = span.doc, span.end
    if i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ in ("one", "the", "a", "an"):
        between = []
        for t in doc[i + 1 : i + 12]:
            if t.text in (",", ".") or t.is_sent_start:
                break
            between.append(t.lemma_.lower())
        return bool(set(between) & BODY_NOUNS)
    return False


def _description(head: Token, name: Span) -> Span | None:
    """The noun phrase a common noun in apposition heads, up to the name, a comma or a clause of its
    own; None when it is no description of one actor (a plural, a number, a name, too long)."""
    if head.pos_ != "NOUN" or head.tag_ != "NN" or not head.is_alpha:
        return None
    doc = head.doc
    lo = head.left_edge.i
    hi = head.right_edge.i + 1
    if lo < name.start < hi:  # "the Chinese ambassador to Seoul, Xing Haiming": up to the name
        hi = name.start
    for child in head.rights:  # what follows the head: its modifiers, up to a clause or an aside
        if child.dep_ not in ("prep", "amod", "compound", "nmod", "nummod") or child.i >= hi:
            hi = min(hi, child.left_edge.i)
            break
    for t in doc[head.i + 1 : hi]:
        if t.text in (",", "(", ";", ":", "—", "–") or t.pos_ in ("VERB", "PRON"):
            hi = t.i
            break
    for t in reversed(doc[lo : head.i]):  # nor does one before the head belong to it
        if t.text in (",", "(", ";", ":", "—", "–", ")"):
            lo = t.i + 1
            break
    while hi > head.i + 1 and (doc[hi - 1].is_punct or doc[hi - 1].pos_ in ("ADP", "CCONJ", "DET")):
        hi -= 1
    while lo < head.i and (doc[lo].is_punct or doc[lo].pos_ == "PRON"):
        lo += 1  # "its former boss": the pronoun is the body's own mention, not the person's
    if not lo <= head.i < hi or hi - lo > 8 or any(name.start <= t.i < name.end for t in doc[lo:hi]):
        return None
    if doc[lo].pos_ == "DET" and doc[lo].lower_ not in ("the", "a", "an"):
        return None  # "another writer", "each member": no one actor
    return doc[lo:hi]


def _bracketed_acronyms(text: str) -> Iterator[re.Match]:
    """Each acronym in brackets, '(ASCL)': group 1 is the acronym."""
    return (m for m in re.finditer(r"\(([A-Z][A-Za-z]{1,9})\)", text) if is_acronym(m.group(1)))


def long_form_start(short: str, before: str) -> int | None:
    """Where the long form of `short` starts in the text just before its bracket (Schwartz and
    Hearst's abbreviation matching: every letter of the short form, right to left, in the long form,
    the first at a word's start), or None."""
    s, i = len(short) - 1, len(before.rstrip()) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (before[i].lower() != c or (s == 0 and i > 0 and before[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    return i + 1


def _titled(span: Span) -> bool:
    """Every word a capitalised one, a connector ("of", "and") or a hyphen, comma or apostrophe."""
    return all(
        t.text[:1].isupper() or t.is_digit or t.lower_ in CONNECTORS or t.text in ("-", ",", "'", "’", "'s", "’s")
        for t in span
    )


def _is_name(text: str) -> bool:
    """Whether a mention is a name, not a description ("The company", "the storied school")."""
    return text[:1].isupper() and text.split()[0].lower() not in DESCRIPTION_OPENERS


def _honorific_only(form: str) -> bool:
    words = form.split()
    return len(words) == 2 and words[0] in HONORIFICS and words[0] not in NAME_TITLES


def _followed_by_name(span: Span) -> bool:
    nxt = span.end
    return nxt < len(span.doc) and span.doc[nxt].pos_ == "PROPN" and span.doc[nxt].is_title


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and a trailing possessive from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].lower_ in ("the", "a", "an") or (doc[start].pos_ == "ADP" and doc[start].is_lower)
    ):
        start += 1  # "per USA Today"
    for i in range(start + 1, end):
        if doc[i].text in ("(", ")", "“", "”", '"', "’’", "''") or "\n" in doc[i].text:
            end = i  # "Joe Pennachetti),’’he": the name stops at the bracket
            break
    while end > start and doc[end - 1].text in ("'s", "’s", "'", "’", ",", "-", "–"):
        end -= 1
    return doc[start:end] if end > start else None
