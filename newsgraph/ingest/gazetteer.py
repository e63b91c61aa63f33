"""The actor gazetteer: known actors, their aliases and classes, and offices with their holders over
time, from packaged YAML plus a user file."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache

from newsgraph.errors import ConfigError
from newsgraph.ingest.taxonomy import read_yaml
from newsgraph.model import ENTITY_TYPES, actor_id, straight_apostrophes


def apostrophe_variants(form: str) -> list[str]:
    """The form as given, with straight apostrophes and with typographic ones (each once): news text
    writes the apostrophe either way ("Information Commissioner’s Office"), and a gazetteer form
    written with one stands for both."""
    straight = straight_apostrophes(form)
    return list(dict.fromkeys((form, straight, straight.replace("'", "\u2019"))))


SPACY_LABEL = {"Person": "PERSON", "Organisation": "ORG", "Place": "GPE", "Document": "LAW", "Other": "MISC"}


@dataclass(frozen=True)
class GazetteerActor:
    name: str
    type: str
    cls: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    not_same: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # words of its country, one of which its `mentions` need in the article

    @property
    def id(self) -> str:
        return actor_id(self.name, self.type)


@dataclass(frozen=True)
class Term:
    holder: str
    start: str  # ISO date the term began
    end: str | None = None  # ISO date it ended; None while in office


@dataclass(frozen=True)
class Office:
    """An office whose holder a text names only by title: 'the Prime Minister', 'the Queen'."""

    name: str
    mentions: tuple[str, ...]
    terms: tuple[Term, ...]
    context: tuple[str, ...] = ()
    capitalised: bool = False
    body: str | None = None  # the organisation the office heads or belongs to, by gazetteer name

    def holder_on(self, date: str) -> str | None:
        """Who held the office on an ISO date (a month or year counts from its first day); an office
        with no holder since its last term ended names that last holder ('the death of the Queen')."""
        for term in self.terms:
            if term.start <= date and (term.end is None or date < term.end):
                return term.holder
        ended = [t for t in self.terms if t.end is not None and t.end <= date]
        return ended[-1].holder if ended and not any(t.start > date for t in self.terms) else None

    def next_term(self, date: str) -> Term | None:
        """The first term to begin after a date ('the incoming chief inspector')."""
        later = [t for t in self.terms if t.start > date]
        return min(later, key=lambda t: t.start) if later else None

    def next_holder(self, date: str) -> str | None:
        term = self.next_term(date)
        return term.holder if term else None

    def former_holders(self, date: str) -> list[str]:
        return [t.holder for t in self.terms if t.end is not None and t.end <= date]


@dataclass(frozen=True)
class Country:
    """A country, and the names that stand for its government when it acts as a state."""

    name: str
    names: tuple[str, ...] = ()
    capital: str | None = None
    seats: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()  # "Kenyan": "the Kenyan government"

    @property
    def words(self) -> tuple[str, ...]:
        """What names the country itself in a text: its names, adjectives and seats of government."""
        return (self.name, *self.names, *self.adjectives, *self.seats)

    @property
    def government(self) -> str:
        the = self.name.startswith("United ") or self.name in ("Netherlands", "Philippines")
        return f"Government of {'the ' if the else ''}{self.name}"


def _country_key(form: str) -> str:
    return re.sub(r"^the ", "", form.replace(".", "").strip().lower())


@dataclass
class Gazetteer:
    actors: list[GazetteerActor] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    name_patterns: list[dict] = field(default_factory=list)  # {"type": ..., "pattern": [spaCy token pattern]}
    class_nouns: dict[str, list[str]] = field(default_factory=dict)
    class_name_words: dict[str, list[str]] = field(default_factory=dict)
    class_members: dict[str, list[str]] = field(default_factory=dict)
    class_types: dict[str, str] = field(default_factory=dict)  # a class's actor type: Organisation unless given
    countries: list[Country] = field(default_factory=list)

    def __post_init__(self) -> None:
        # name -> (country, what the name is: "country", "capital" or "seat")
        self.country_names: dict[str, tuple[Country, str]] = {}
        for c in self.countries:
            for form in (c.name, *c.names):
                self.country_names.setdefault(_country_key(form), (c, "country"))
            for form, kind in ([(c.capital, "capital")] if c.capital else []) + [(x, "seat") for x in c.seats]:
                self.country_names.setdefault(_country_key(form), (c, kind))
        # what a country's government is called by: "the Kenyan government", "the Kenya government"
        self.government_words: dict[str, Country] = {}
        self.governments: dict[str, Country] = {c.government: c for c in self.countries}  # by "Government of X"
        for c in self.countries:
            for form in (*c.adjectives, c.name, *c.names):
                self.government_words.setdefault(form, c)
        # noun -> the classes it names ("watchdog" -> regulator), each once, in class order
        self.noun_classes: dict[str, list[str]] = {}
        for cls, nouns in self.class_nouns.items():
            for noun in nouns:
                named = self.noun_classes.setdefault(noun, [])
                if cls not in named:
                    named.append(cls)
        # the name words of the classes of organisations, split once: body_by_name reads them for every name
        self.body_name_words: list[tuple[str, ...]] = [
            tuple(key.split())
            for cls, keys in self.class_name_words.items()
            if self.class_types.get(cls, "Organisation") == "Organisation"
            for key in keys
        ]
        self.by_form: dict[str, GazetteerActor] = {}
        self.by_mention: dict[str, GazetteerActor] = {}
        for actor in self.actors:
            for form in (actor.name, *actor.aliases):
                for variant in apostrophe_variants(form):
                    self.by_form[variant] = actor
            for phrase in actor.mentions:
                for variant in apostrophe_variants(phrase.lower()):
                    self.by_mention[variant] = actor

    def country(self, form: str) -> tuple[Country, str] | None:
        """The country a name is, or whose capital or seat of government it is."""
        return self.country_names.get(_country_key(form))

    def lookup(self, form: str) -> GazetteerActor | None:
        return self.by_form.get(form)

    def class_of_name(self, name: str) -> str | None:
        """The class an organisation's own name gives it ("Southampton City Council" -> council)."""
        words = f" {name} "
        for cls, keys in self.class_name_words.items():
            if any(f" {k} " in words or words.strip().startswith(k + " ") for k in keys):
                return cls
        return None

    def body_by_name(self, name: str) -> bool:
        """Whether a name of two words or more says by its own words that it is an organisation: it
        ends in a name word of a class of organisations ("Southampton City Council", "Hale Water"),
        or starts with one followed by "of" ("University of Leeds", "Court of Appeal")."""
        words = tuple(name.split())
        if len(words) < 2:
            return False
        for k in self.body_name_words:
            if words[-len(k) :] == k or (words[: len(k)] == k and len(words) > len(k) and words[len(k)] == "of"):
                return True
            if k[-1] == "of" and words[: len(k)] == k:  # "Association of School and College Leaders"
                return True
        return False

    def ruler_patterns(self) -> list[dict]:
        """The EntityRuler's patterns: each actor's name and aliases as phrases (matched by spaCy's
        PhraseMatcher on the pipeline's own tokens, an order of magnitude faster than the same words
        as token patterns), then the name patterns as token patterns."""
        patterns = []
        for actor in self.actors:
            forms = dict.fromkeys(v for form in (actor.name, *actor.aliases) for v in apostrophe_variants(form))
            for form in forms:
                if form.strip():
                    patterns.append({"label": SPACY_LABEL[actor.type], "pattern": form, "id": actor.id})
        for entry in self.name_patterns:
            patterns.append({"label": SPACY_LABEL[entry["type"]], "pattern": entry["pattern"]})
        return patterns


def _actor(entry: dict, where: str) -> GazetteerActor:
    if not isinstance(entry, dict) or not entry.get("name"):
        raise ConfigError(f"{where}: every actor needs a 'name': {entry!r:.80}")
    type_ = entry.get("type", "Organisation")
    if type_ not in ENTITY_TYPES:
        raise ConfigError(f"{where}: actor {entry['name']!r} has type {type_!r}, not one of {', '.join(ENTITY_TYPES)}")
    return GazetteerActor(
        name=str(entry["name"]),
        type=type_,
        cls=entry.get("class"),
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        mentions=tuple(str(m) for m in entry.get("mentions") or ()),
        not_same=tuple(str(m) for m in entry.get("not_same") or ()),
        context=tuple(str(c) for c in entry.get("context") or ()),
    )


def _name_pattern(entry: dict, where: str) -> dict:
    if (
        not isinstance(entry, dict)
        or entry.get("type") not in ENTITY_TYPES
        or not isinstance(entry.get("pattern"), list)
    ):
        raise ConfigError(f"{where}: a name pattern needs a 'type' ({', '.join(ENTITY_TYPES)}) and a 'pattern' list")
    return {"type": entry["type"], "pattern": entry["pattern"]}


def _country(entry: dict, where: str) -> Country:
    if not isinstance(entry, dict) or not entry.get("name"):
        raise ConfigError(f"{where}: every country needs a 'name': {entry!r:.80}")
    return Country(
        name=str(entry["name"]),
        names=tuple(str(n) for n in entry.get("names") or ()),
        capital=str(entry["capital"]) if entry.get("capital") else None,
        seats=tuple(str(n) for n in entry.get("seats") or ()),
        people=tuple(str(n) for n in entry.get("people") or ()),
        adjectives=tuple(str(n) for n in entry.get("adjectives") or ()),
    )


def _office(entry: dict, where: str) -> Office:
    if not isinstance(entry, dict) or not entry.get("office") or not entry.get("mentions"):
        raise ConfigError(f"{where}: every office needs 'office' and 'mentions': {entry!r:.80}")
    terms = []
    for h in entry.get("holders") or []:
        if not isinstance(h, dict) or not h.get("name") or not h.get("from"):
            raise ConfigError(f"{where}: office {entry['office']!r}: every holder needs 'name' and 'from': {h!r:.80}")
        start, end = str(h["from"]), str(h["to"]) if h.get("to") else None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) or (end and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", end)):
            raise ConfigError(f"{where}: office {entry['office']!r}: dates of {h['name']!r} must be YYYY-MM-DD")
        terms.append(Term(str(h["name"]), start, end))
    return Office(
        name=str(entry["office"]),
        mentions=tuple(str(m).lower() for m in entry["mentions"]),
        terms=tuple(sorted(terms, key=lambda t: t.start)),
        context=tuple(str(c) for c in entry.get("context") or ()),
        capitalised=bool(entry.get("capitalised", False)),
        body=str(entry["body"]) if entry.get("body") else None,
    )


@cache
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The packaged gazetteer, with the user's file (path, else NEWSGRAPH_GAZETTEER) on top."""
    path = path or os.environ.get("NEWSGRAPH_GAZETTEER") or None
    base = read_yaml(None, "gazetteer.yaml")
    actors = {a.name: a for a in (_actor(e, "gazetteer.yaml") for e in base.get("actors", []))}
    classes = dict(base.get("classes") or {})
    offices = {o.name: o for o in (_office(e, "gazetteer.yaml") for e in base.get("offices") or [])}
    name_patterns = [_name_pattern(e, "gazetteer.yaml") for e in base.get("name_patterns") or []]
    countries = {c.name: c for c in (_country(e, "gazetteer.yaml") for e in base.get("countries") or [])}
    if path:
        user = read_yaml(path, "gazetteer.yaml")
        if not isinstance(user, dict):
            raise ConfigError(f"{path}: a gazetteer is a mapping with 'actors' and optional 'classes'")
        for entry in user.get("actors") or []:
            actor = _actor(entry, path)
            actors[actor.name] = actor
        classes.update(user.get("classes") or {})
        for entry in user.get("offices") or []:
            office = _office(entry, path)
            offices[office.name] = office
        name_patterns += [_name_pattern(e, path) for e in user.get("name_patterns") or []]
        for entry in user.get("countries") or []:
            country = _country(entry, path)
            countries[country.name] = country
    return Gazetteer(
        actors=list(actors.values()),
        offices=list(offices.values()),
        name_patterns=name_patterns,
        class_nouns={c: list(v.get("nouns", [])) for c, v in classes.items()},
        class_name_words={c: list(v.get("name_words", [])) for c, v in classes.items()},
        class_members={c: list(v.get("members", [])) for c, v in classes.items()},
        class_types={c: str(v["type"]) for c, v in classes.items() if v.get("type")},
        countries=list(countries.values()),
    )
