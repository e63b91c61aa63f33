"""Across articles: one actor per real-world actor, and a record of every merge that made it so.

Within an article the entity stage has already grouped a name's forms; here an article's actors
meet the actors the store already holds. An actor named in full whose id the store holds is that
actor. Any other is merged into a stored actor only when its name matches AND the articles give
supporting evidence (the story ties them):

  People        same first name and a surname spelt at most a letter or two apart ("Heidi Conner"
                / "Heidi Connor"); the same name once titles or a middle name are dropped ("Martyn
                Oliver" / "Sir Martyn Oliver"); an initial for the first name ("H Connor").
                Different first names ("Ruth Perry" / "Grayson Perry") are never merged.
  Organisations an acronym and the long form it abbreviates ("CST" / "Confederation of School
                Trusts"), names nearly identical (rapidfuzz ratio >= 92, same numbers), or a name
                of two words or more and the same name with a word of its class after it
                ("Caversham Primary" / "Caversham Primary School"), or with up to two words more
                and the same last word ("Education Committee" / "Education Select Committee",
                "Commons Education Committee").
  Typed otherwise  the same full name that other articles gave another type ("Hale Water" a place
                in one, an organisation in the next); on strong evidence when one of the two is a
                person. A person and an organisation that only share a word ("Mira Castell" /
                "Castell Foundation") never.
  One word      a first name or surname alone ("Mira", "Ms Castell", or "Akinola" taken for an
                organisation) joins the one person of that name the story ties it to: of the people
                it may name, those with evidence; if several, those with strong evidence, then the
                one with a shared role or affiliation; exactly one or none (two Castells of one
                story stay apart from "Castell"). Not a word an
                organisation's name has ("Hale" beside "Hale Water"), nor against a role it has.
  Titles        a title alone ("the coroner", "Coroner": words of titles people in the store hold)
                joins the person the story names with it on the article's date (_holder_on): one
                holder is taken to hold it from one of its dates to the next, and before the first
                or after the last, unless another is named with it in between. A title two may
                have held then is left apart with a warning, never given to one; a title of
                another time ("the former coroner", "the new chief inspector") is never resolved.
  Evidence      a shared role word ("coroner", "chief inspector" / "inspector"), a shared
                affiliation, the same class of organisation (council, union...), or an actor both
                articles mention (places aside). Strong evidence is a shared role, affiliation or
                class, or two actors both mention. Two forms need no more evidence: a name the
                stored actor already goes by (a multi-word alias), and an acronym that is both the
                initials of the long name and a form its articles use.

A title or one word is resolved even when an earlier article left it a node of its own ("Mira").
A merge rewrites the actor's id (and the events and affiliations pointing at it) to the stored
actor's, keeps the article's own name and type (the store names an actor as most of its articles
do: store/naming.py), and is recorded on that actor's MENTIONED_IN edge to the article as
`merged_from` ("Heidi Conner: same first name, ..."), so it leaves with the article and
re-ingesting never duplicates it. An article that names both actors keeps them apart. Each article
is resolved against the store as it stands when it comes: a title resolves only once the story has
named its holder.

Reversing a merge: `newsgraph unmerge ACTOR NAME` (jobs.unmerge) keeps the two apart in the store
(Actor.not_same) and writes the articles that made the merge again. For every store, give the
actor a `not_same` list in your gazetteer file (then remove and ingest such an article again):

    actors:
      - {name: Heidi Connor, type: Person, not_same: [Heidi Conner]}

Pairs named in `not_same` (either way round in the gazetteer) are never merged.
"""

from __future__ import annotations

import collections
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from newsgraph.errors import QueryError
from newsgraph.ingest.gazetteer import Gazetteer, load_gazetteer
from newsgraph.model import Entity, Extraction, slug
from newsgraph.store import Store, WriteResult, actor_lists
from newsgraph.store.naming import CONNECTORS, fold, is_acronym, is_full_name, person_tokens

log = logging.getLogger(__name__)

# Portable read statements (both backends' query()); test_cypher_lint.py lints them for Neo4j. What
# the store holds is read from complete articles only: an article a Neo4j load left pending (its
# refresh cut off) is resolved again in its place in the re-run, as it was the first time.
STATEMENTS = {
    "known_actors": "MATCH (a:Actor) RETURN a.id AS id, a.name AS name, a.kind AS kind, a.not_same AS not_same"
    " ORDER BY id",
    "known_affiliations": "MATCH (a:Actor)-[h:HOLDS_ROLE]->(o:Actor) RETURN a.id AS actor,"
    " o.id AS organisation, h.article AS article",
    "known_mentions": "MATCH (a:Actor)-[m:MENTIONED_IN]->(r:Article) WHERE r.pending IS NULL"
    " RETURN a.id AS actor, r.id AS article, r.date AS date, m.forms AS forms, m.roles AS roles, m.name AS name",
    "complete_articles": "UNWIND $ids AS id MATCH (r:Article {id: id}) WHERE r.pending IS NULL RETURN r.id AS id",
    "pending_articles": "MATCH (r:Article) WHERE r.pending IS NOT NULL RETURN r.id AS id",
    "merges": "MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article) WHERE m.merged_from IS NOT NULL"
    " AND size(m.merged_from) > 0"
    " RETURN x.id AS id, x.name AS name, a.id AS article, a.title AS title, m.merged_from AS merged_from"
    " ORDER BY id, article",
}

# Role heads too common to tell two people apart ("head of policy" / "head of maths").
GENERIC_ROLES = {"member", "official", "spokesperson", "spokesman", "spokeswoman", "head", "director", "officer"}
# Words that put a title at another time than its article's: "the former coroner" was not the coroner
# then, and "the new chief inspector" may not be yet. Words that do not change who holds it.
TIME_WORDS = {"former", "ex", "incoming", "new", "next", "future", "designate", "previous", "late", "then", "elect"}
HOLDING_WORDS = {"acting", "interim", "outgoing", "current", "present"}
DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that"}
# The types of actor resolution joins, and those one name may be given by different articles.
RESOLVED_KINDS = ("Organisation", "Other", "Place", "Person")

# Articles checked in one read for those the store holds already.
WINDOW = 200

CO_MENTIONED = "both mentioned with "  # how _evidence words an actor both articles mention

FUZZY_PERSON = 85  # full-name ratio for a surname spelt differently
FUZZY_ORGANISATION = 92


@dataclass(frozen=True)
class KnownActor:
    """An actor the store holds, with what resolution weighs as evidence."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()  # ids of the organisations it holds roles in
    articles: tuple[str, ...] = ()  # ids of the articles that mention it
    co_mentioned: tuple[str, ...] = ()  # ids of actors named with it (besides those its articles give)
    held: tuple[tuple[str, str], ...] = ()  # (title, date of an article giving it that title)
    not_same: tuple[str, ...] = ()  # names never to merge into it (Actor.not_same: newsgraph unmerge)


@dataclass(frozen=True)
class Merge:
    incoming_name: str
    into_id: str
    reason: str
    into_name: str = ""
    incoming_id: str = ""

    @property
    def record(self) -> str:
        """What the store keeps on the actor's mention of the article."""
        return f"{self.incoming_name}: {self.reason}"


@dataclass
class Resolution:
    extraction: Extraction
    merges: list[Merge] = field(default_factory=list)

    def records(self) -> dict[str, list[str]]:
        """Merge records by the id of the actor merged into, for `store.write(..., merges=)`."""
        out: dict[str, list[str]] = {}
        for merge in self.merges:
            out.setdefault(merge.into_id, []).append(merge.record)
        return out


# -- names ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _org_key(name: str) -> str:
    text = " ".join(w for w in (fold(w) for w in name.replace("&", " and ").split()) if w)
    return re.sub(r"^the ", "", text)


def name_initials(name: str) -> set[str]:
    """The acronyms a long name may go by, folded: with and without its connecting words."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isalpha()]
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words).lower(), "".join(w[0] for w in words if w.lower() not in CONNECTORS).lower()}


def _role_heads(titles: Iterable[str]) -> dict[str, str]:
    """Head word of each title ('chief inspector' -> inspector, 'head of policy' -> head) -> the title."""
    heads: dict[str, str] = {}
    for title in titles:
        words = re.findall(r"[a-z]+", title.lower())
        for i, w in enumerate(words):
            if i and w in CONNECTORS:
                words = words[:i]
                break
        if words:
            heads.setdefault(words[-1], title.lower())
    return heads


@lru_cache(maxsize=1 << 14)
def _title_words(title: str) -> tuple[tuple[str, ...], bool]:
    """A title's words without determiners, possessors or words of holding ("Ofsted's acting chief
    inspector" -> chief, inspector), and whether it puts the title at another time ("former")."""
    words, timed = [], False
    for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", title):
        w = word.lower().replace("’", "'")
        if w.endswith(("'s", "'")) or w in DETERMINERS or w in CONNECTORS or w in HOLDING_WORDS:
            continue
        if w in TIME_WORDS:
            timed = True
            continue
        words.append(w)
    return tuple(words), timed


def _plural(word: str) -> str:
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _multiword_alias(form: str) -> bool:
    """An alias that names an actor on its own: a full name ("Heidi Conner"), not a description or a
    title ("The chief inspector", "Ofsted's new chief inspector")."""
    return is_full_name(form)


@lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    """A name as any type of actor may bear it: folded words without titles or a leading "the"."""
    return slug(re.sub(r"^the ", "", " ".join(person_tokens(name))))


# -- the store's actors, indexed by blocking keys --------------------------------------------------


def known_actors(store: Store, leave_out: set[str] | frozenset[str] = frozenset()) -> list[KnownActor]:
    """Every actor the store's complete articles mention (less those in `leave_out`), with the aliases
    and roles they give it (as the store keeps them, rows.actor_lists), its affiliations and articles
    (three read queries)."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for row in store.query(STATEMENTS["known_mentions"]):
        if row["article"] not in leave_out:
            mentions.setdefault(row["actor"], []).append(row)
    complete = {m["article"] for rows in mentions.values() for m in rows}
    affiliations: dict[str, set[str]] = {}
    for row in store.query(STATEMENTS["known_affiliations"]):
        if row["article"] in complete:
            affiliations.setdefault(row["actor"], set()).add(row["organisation"])
    out = []
    for row in store.query(STATEMENTS["known_actors"]):
        mentioned = mentions.get(row["id"])
        if not mentioned:
            continue  # named only by articles a cut-off load left pending, or about to go
        name = row["name"] or row["id"]
        forms = [[*(m["forms"] or ()), *([m["name"]] if m["name"] else [])] for m in mentioned]
        aliases, roles = actor_lists(name, forms, [m["roles"] for m in mentioned])
        out.append(
            KnownActor(
                id=row["id"],
                name=name,
                kind=row["kind"] or "Other",
                aliases=tuple(aliases),
                roles=tuple(roles),
                affiliations=tuple(sorted(affiliations.get(row["id"], ()))),
                articles=tuple(sorted(m["article"] for m in mentioned)),
                held=tuple(sorted({(title, m["date"]) for m in mentioned if m["date"] for title in m["roles"] or ()})),
                not_same=tuple(row["not_same"] or ()),
            )
        )
    return out


def complete_articles(store: Store, ids: list[str]) -> set[str]:
    """Those of these article ids the store holds complete (not left pending by a cut-off load)."""
    return {row["id"] for row in store.query(STATEMENTS["complete_articles"], {"ids": ids})}


def recorded_merges(store: Store) -> list[dict[str, Any]]:
    """The merges the store records: actor id and name, article id and title, merged_from."""
    try:
        return store.query(STATEMENTS["merges"])
    except QueryError:
        # An embedded store made before merges were recorded, opened read-only, has no such column.
        return []


def _alias_key(kind: str, form: str) -> tuple[str, ...]:
    core = " ".join(person_tokens(form)) if kind == "Person" else _org_key(form)
    return ("alias", kind, slug(core))


def _keys(kind: str, name: str, aliases: Iterable[str] = ()) -> set[tuple[str, ...]]:
    """Blocking keys: an actor is compared only with actors sharing one, never with the whole store."""
    keys = {_alias_key(kind, a) for a in aliases if _multiword_alias(a) or is_acronym(a)}
    if kind == "Person":
        words = person_tokens(name)
        if not words:
            return keys
        if len(words) >= 2:
            keys.add(_alias_key(kind, name))
        keys.add(("first", words[0], words[-1][:1]))
        keys.add(("surname", words[-1]))
    elif kind == "Organisation":
        words = [w for w in _org_key(name).split() if w not in CONNECTORS]
        if not words:
            return keys
        # A near-identical name keeps its first word and the start of its second, or its last word
        # (a typo rarely hits both); a name with its class word added keeps its first words; one with
        # a word more before them keeps its last two ("Commons Education Committee").
        second = words[1][:2] if len(words) > 1 else ""
        keys |= {_alias_key(kind, name), ("first", words[0], second), ("last", words[-1], words[0][:1])}
        if len(words) > 1:
            keys.add(("last2", words[-2], words[-1]))
        if len(words) == 1:
            keys.add(("stem", words[0][:3]))
        keys |= {("acronym", form.lower()) for form in (name, *aliases) if is_acronym(form)}
        keys |= {("acronym", i) for i in name_initials(name)}
    return keys


def _lookup_keys(actor: KnownActor) -> set[tuple[str, ...]]:
    """Keys a stored actor is found by beyond blocking (an incoming actor never has them): its full
    name whatever its type ("name"), a person's first name ("given") and titles ("role", by head
    word), an organisation's words ("word")."""
    keys = {("name", _name_key(actor.name))} if is_full_name(actor.name) else set()
    if actor.kind == "Person":
        words = person_tokens(actor.name)
        if len(words) >= 2:
            keys.add(("given", words[0]))
        keys |= {("role", head) for head in _role_heads({title for title, _ in actor.held})}
    elif actor.kind == "Organisation":
        keys |= {("word", w) for w in _org_key(actor.name).split() if w not in CONNECTORS}
    return keys


class ActorIndex:
    """The store's actors by blocking key (surname, first name and initial, name words, acronym),
    and which actors each article mentions (for co-mentions)."""

    def __init__(self, actors: Iterable[KnownActor] = ()):
        self.actors: dict[str, KnownActor] = {}
        self._by_key: dict[tuple[str, ...], set[str]] = {}
        self._articles_of: dict[str, set[str]] = {}
        self._by_article: dict[str, set[str]] = {}
        self.role_words: set[str] = set()  # the words of the titles people hold
        for actor in actors:
            self._put(actor)
            for article in actor.articles:
                self._mentioned(actor.id, article)

    @classmethod
    def from_store(cls, store: Store) -> ActorIndex:
        return cls(known_actors(store))

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def _put(self, actor: KnownActor) -> None:
        self.actors[actor.id] = actor
        if actor.kind == "Person":
            self.role_words |= {w for title, _ in actor.held for w in _title_words(title)[0]}
        for key in _keys(actor.kind, actor.name, actor.aliases) | _lookup_keys(actor):
            self._by_key.setdefault(key, set()).add(actor.id)

    def _mentioned(self, actor_id: str, article: str) -> None:
        self._articles_of.setdefault(actor_id, set()).add(article)
        self._by_article.setdefault(article, set()).add(actor_id)

    def add(self, extraction: Extraction) -> None:
        """Take in a (resolved) article just written, so the next articles resolve against it too."""
        date = extraction.article.date
        for ent in {e.id: e for e in reversed(extraction.entities)}.values():
            old = self.actors.get(ent.id) or KnownActor(ent.id, ent.name, ent.type)
            forms = {m.text for m in ent.mentions} | set(ent.aliases) | {ent.name}
            new = replace(
                old,
                aliases=tuple(sorted(set(old.aliases) | {f for f in forms if f != old.name})),
                roles=tuple(sorted({*old.roles, *ent.roles})),
                affiliations=tuple(sorted({*old.affiliations, *([ent.affiliation] if ent.affiliation else [])})),
                held=tuple(sorted({*old.held, *((r, date) for r in ent.roles if date)})),
            )
            if new != old or ent.id not in self.actors:
                self._put(new)
            self._mentioned(ent.id, extraction.article.id)

    def candidates(self, entity: Entity) -> list[KnownActor]:
        """Stored actors of the entity's type sharing a blocking key with it, by id."""
        ids: set[str] = set()
        for key in _keys(entity.type, entity.name, entity.aliases):
            ids |= self._by_key.get(key, set())
        return sorted((self.actors[i] for i in ids if self.actors[i].kind == entity.type), key=lambda a: a.id)

    def co_mentioned(self, actor_id: str) -> set[str]:
        """The actors named in an article with this one (or given as such)."""
        out = set(self.actors[actor_id].co_mentioned)
        for article in self._articles_of.get(actor_id, ()):
            out |= self._by_article[article]
        out.discard(actor_id)
        return out

    def mentioned_with(self, actor_id: str, others: Iterable[str]) -> set[str]:
        """Those of `others` named in an article with this actor: co_mentioned() for a few, without
        collecting everyone a much-mentioned actor was ever named with."""
        given = set(self.actors[actor_id].co_mentioned)
        articles = self._articles_of.get(actor_id, set())
        return {
            x for x in others if x != actor_id and (x in given or not articles.isdisjoint(self._articles_of.get(x, ())))
        }

    def keyed(self, *key: str) -> list[KnownActor]:
        """The actors of one blocking key ("given", "mira"), by id."""
        return [self.actors[i] for i in sorted(self._by_key.get(key, ()))]

    def with_surname(self, surname: str) -> list[KnownActor]:
        return [a for a in self.keyed("surname", surname) if len(person_tokens(a.name)) >= 2]


# -- matching --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NameMatch:
    strength: int  # how strongly the names alone say "same actor"
    reason: str
    needs_evidence: bool = True
    similarity: float = 100.0


def _person_match(incoming: Entity, known: KnownActor) -> _NameMatch | None:
    inc, kno = person_tokens(incoming.name), person_tokens(known.name)
    if len(kno) < 2:
        return None
    pair = f"{incoming.name}/{known.name}"
    if len(inc) >= 2 and any(_multiword_alias(a) and person_tokens(a) == inc for a in known.aliases):
        return _NameMatch(6, f"already known as {incoming.name}", needs_evidence=False)
    if len(inc) < 2:
        return None  # one word alone: _one_word
    first_i, first_k, sur_i, sur_k = inc[0], kno[0], inc[-1], kno[-1]
    same_first = first_i == first_k
    initial = not same_first and min(len(first_i), len(first_k)) == 1 and first_i[0] == first_k[0]
    if not (same_first or initial):
        return None  # "Ruth Perry" and "Grayson Perry": different people sharing a surname
    if sur_i == sur_k:
        if inc == kno:
            return _NameMatch(5, f"same name once titles are dropped ({pair})")
        small, big = sorted((inc, kno), key=len)
        if same_first and set(small) <= set(big):
            return _NameMatch(4, f"same first name and surname ({pair})")
        if initial and len(inc) == len(kno) == 2:
            return _NameMatch(3, f"initial of the first name ({pair})")
        return None
    if not same_first or inc[1:-1] != kno[1:-1] or sur_i[0] != sur_k[0] or min(len(sur_i), len(sur_k)) < 4:
        return None
    apart = Levenshtein.distance(sur_i, sur_k)
    similarity = fuzz.ratio(" ".join(inc), " ".join(kno))
    if apart > (1 if max(len(sur_i), len(sur_k)) <= 6 else 2) or similarity < FUZZY_PERSON:
        return None
    letters = "letter" if apart == 1 else "letters"
    surnames = f"{incoming.name.split()[-1]}/{known.name.split()[-1]}"
    return _NameMatch(3, f"same first name, surname spelt {apart} {letters} apart ({surnames})", similarity=similarity)


def _organisation_match(incoming: Entity, known: KnownActor, gazetteer: Gazetteer) -> _NameMatch | None:
    if any(_multiword_alias(a) and _org_key(a) == _org_key(incoming.name) for a in known.aliases):
        return _NameMatch(6, f"already known as {incoming.name}", needs_evidence=False)
    for short, long_, long_forms in (
        (incoming.name, known.name, known.aliases),
        (known.name, incoming.name, incoming.aliases),
    ):
        if not is_acronym(short) or is_acronym(long_):
            continue
        initials = short.lower() in name_initials(long_)
        used = short in long_forms
        if initials and used:
            return _NameMatch(5, f"{short} is the initials of {long_}, which its articles also call {short}", False)
        if initials:
            return _NameMatch(2, f"{short} is the initials of {long_}")
        if used:
            return _NameMatch(2, f"{long_} is also called {short}")
    a, b = _org_key(incoming.name), _org_key(known.name)
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return None
    similarity = fuzz.ratio(a, b)
    if similarity >= FUZZY_ORGANISATION:
        return _NameMatch(2, f"nearly the same name ({incoming.name}/{known.name})", similarity=similarity)
    small, big = sorted((a.split(), b.split()), key=len)
    extra = big[len(small) :]
    if len(small) >= 2 and extra and big[: len(small)] == small and set(extra) <= _class_words(gazetteer):
        words = (incoming.name if len(incoming.name) > len(known.name) else known.name).split()[-len(extra) :]
        return _NameMatch(
            2, f"the same name but for '{' '.join(words)}' ({incoming.name}/{known.name})", similarity=similarity
        )
    # "Education Committee" / "Education Select Committee", "House of Commons Education Committee":
    # the shorter name's words in order within the longer, the same head word, at most two more
    if len(small) >= 2 and 0 < len(big) - len(small) <= 2 and small[-1] == big[-1] and _within(small, big):
        longer = incoming.name if len(a.split()) > len(b.split()) else known.name
        words = [w for w in longer.split() if _org_key(w) not in small]
        return _NameMatch(
            2, f"the same name but for '{' '.join(words)}' ({incoming.name}/{known.name})", similarity=similarity
        )
    return None


def _within(small: list[str], big: list[str]) -> bool:
    """Whether the words of `small` appear in `big` in the same order."""
    rest = iter(big)
    return all(word in rest for word in small)


def _class_words(gazetteer: Gazetteer) -> set[str]:
    """Words that only say what kind of organisation a name is ("School", "Council", "Ltd")."""
    words = {"ltd", "limited", "plc", "inc", "group", "company"}
    for keys in gazetteer.class_name_words.values():
        words |= {fold(k) for k in keys if " " not in k}
    return words - CONNECTORS


def _class_of(gazetteer: Gazetteer, name: str) -> str | None:
    actor = gazetteer.lookup(name)
    return (actor.cls if actor else None) or gazetteer.class_of_name(name)


def _evidence(
    incoming: Entity,
    known: KnownActor,
    *,
    affiliation: str | None,
    others: dict[str, str],
    index: ActorIndex,
    gazetteer: Gazetteer,
) -> list[str]:
    """What, beyond the names, says the two are one actor: each as a few words for the reason."""
    found = []
    inc_heads, kno_heads = _role_heads(incoming.roles), _role_heads(known.roles)
    for head in sorted(set(inc_heads) & set(kno_heads)):
        same_title = inc_heads[head] == kno_heads[head]
        if head in GENERIC_ROLES and not same_title:
            continue
        words = (inc_heads[head] if same_title else head).split()
        # The head word is plural, not the title's last word: "heads of policy".
        at = len(words) - 1 - words[::-1].index(head) if head in words else len(words) - 1
        words[at] = _plural(words[at])
        found.append("both " + " ".join(words))
        break
    if affiliation and affiliation in known.affiliations:
        found.append(f"both at {others.get(affiliation, affiliation)}")
    if incoming.type == known.kind == "Organisation":
        cls = _class_of(gazetteer, incoming.name)
        if cls and cls == _class_of(gazetteer, known.name):
            found.append(f"both {_plural(cls)}")
    shared = sorted((others[x], x) for x in index.mentioned_with(known.id, others) if not x.startswith("place:"))
    if shared:
        found.append(f"{CO_MENTIONED}{shared[0][0]}")
    return found


def _beyond_co_mentions(evidence: list[str]) -> bool:
    """Whether the evidence (as _evidence words it) has more than actors both articles mention: a
    shared role, affiliation or class."""
    return any(not e.startswith(CO_MENTIONED) for e in evidence)


def _not_same(gazetteer: Gazetteer) -> set[tuple[str, str]]:
    pairs = set()
    for actor in gazetteer.actors:
        for other in actor.not_same:
            a, b = _name_key(actor.name), _name_key(other)
            pairs |= {(a, b), (b, a)}
    return pairs


# -- resolving an article ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Proposal:
    entity: int  # index in the extraction's entities
    known: KnownActor
    score: tuple[int, int, float]
    reason: str


@dataclass(frozen=True)
class _Context:
    """What an article gives to weigh one of its actors against the store's."""

    index: ActorIndex
    gazetteer: Gazetteer
    blocked: set[tuple[str, str]]
    others: dict[str, str]  # ids (as merged so far) and names of the article's other actors
    affiliation: str | None
    date: str | None

    def evidence(self, ent: Entity, known: KnownActor) -> list[str]:
        return _evidence(ent, known, affiliation=self.affiliation, others=self.others, index=self.index,
                         gazetteer=self.gazetteer)  # fmt: skip

    def strong(self, known: KnownActor, evidence: list[str]) -> list[str] | None:
        """Evidence that singles one actor out among others of its name: a shared role or
        affiliation (or class), or two actors both articles name; the evidence as a reason says it,
        None when it is not strong."""
        if _beyond_co_mentions(evidence):
            return evidence
        shared = sorted(
            self.others[x] for x in self.index.mentioned_with(known.id, self.others) if not x.startswith("place:")
        )
        if len(shared) < 2:
            return None
        return [e if not e.startswith(CO_MENTIONED) else f"{CO_MENTIONED}{shared[0]} and {shared[1]}"
                for e in evidence]  # fmt: skip

    def blocks(self, ent: Entity, known: KnownActor) -> bool:
        """Whether the gazetteer's not_same, or the store's (newsgraph unmerge), keeps the two apart."""
        if not self.blocked and not known.not_same:
            return False
        names = {_name_key(known.name), *(_name_key(a) for a in known.aliases)}
        if any((_name_key(ent.name), n) in self.blocked for n in names):
            log.info("kept %r apart from %s: the gazetteer says not_same", ent.name, known.name)
            return True
        if _name_key(ent.name) in {_name_key(n) for n in known.not_same}:
            log.info("kept %r apart from %s: unmerged before", ent.name, known.name)
            return True
        return False


def resolve(
    extraction: Extraction,
    known: ActorIndex | Iterable[KnownActor],
    gazetteer: Gazetteer | None = None,
) -> Resolution:
    """The extraction with its actors merged into the store's where names and evidence agree.

    `known` is what `known_actors(store)` returns, or an ActorIndex of it (build one per ingest run
    and `add` each written article). `gazetteer` defaults to `load_gazetteer()`; its `not_same`
    pairs are never merged. The input extraction is not changed.
    """
    index = known if isinstance(known, ActorIndex) else ActorIndex(known)
    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    blocked = _not_same(gazetteer)
    entities = list({e.id: e for e in reversed(extraction.entities)}.values())[::-1]
    ids = {e.id: e.id for e in entities}
    claimed = {e.id for e in entities if e.id in index}  # an article naming both keeps them apart
    merges: list[Merge] = []
    # Organisations first, so that people's affiliations and co-mentions use the merged ids; titles
    # and names of one word last, against the article's actors as merged.
    steps = {
        i: "short" if _title(ent, index) is not None or _single_word(ent) is not None else ent.type
        for i, ent in enumerate(entities)
        if ent.source != "gazetteer" and ent.type in RESOLVED_KINDS
    }
    for step in ("Organisation", "Person", "short"):
        proposals = []
        for i, ent in enumerate(entities):
            kind = steps.get(i)
            if kind is None or (kind == "Person") != (step == "Person") or (kind == "short") != (step == "short"):
                continue
            if step != "short" and ent.id in index:
                continue
            context = _Context(
                index,
                gazetteer,
                blocked,
                {ids[e.id]: e.name for e in entities if e.id != ent.id and e.type != "Place"},
                ids.get(ent.affiliation, ent.affiliation) if ent.affiliation else None,
                extraction.article.date,
            )
            best = _short_best(ent, i, context) if step == "short" else _best(ent, i, context)
            if best:
                proposals.append(best)
        for p in sorted(proposals, key=lambda p: (-p.score[0], -p.score[1], -p.score[2], p.entity)):
            ent = entities[p.entity]
            if p.known.id in claimed:
                log.info("kept %r apart from %s: the article names both", ent.name, p.known.name)
                continue
            claimed.add(p.known.id)
            ids[ent.id] = p.known.id
            merges.append(Merge(ent.name, p.known.id, p.reason, p.known.name, ent.id))
    merges.sort(key=lambda m: [e.id for e in entities].index(m.incoming_id))
    return Resolution(_rewrite(extraction, entities, ids), merges)


def _best(ent: Entity, i: int, context: _Context) -> _Proposal | None:
    """The stored actor a named actor of the article is, if names and evidence say so."""
    proposals = []
    for cand in context.index.candidates(ent):
        match = _person_match(ent, cand) if ent.type == "Person" else None
        if ent.type == "Organisation":
            match = _organisation_match(ent, cand, context.gazetteer)
        if match is None or context.blocks(ent, cand):
            continue
        evidence = context.evidence(ent, cand)
        if match.needs_evidence and not evidence:
            log.info("kept %r apart from %s: %s, but nothing else ties them", ent.name, cand.name, match.reason)
            continue
        reason = ", ".join([match.reason, *evidence])
        proposals.append(_Proposal(i, cand, (match.strength, len(evidence), match.similarity), reason))
    proposals += _typed_otherwise(ent, i, context)
    proposals.sort(key=lambda p: p.score, reverse=True)
    if len(proposals) > 1 and proposals[0].score == proposals[1].score:
        log.info(
            "kept %r apart: %s and %s match it equally", ent.name, proposals[0].known.name, proposals[1].known.name
        )
        return None
    return proposals[0] if proposals else None


def _typed_otherwise(ent: Entity, i: int, context: _Context) -> list[_Proposal]:
    """Stored actors of the same full name that other articles typed otherwise ("Hale Water" a
    place in one, an organisation in the next), given evidence, strong evidence when one of the two
    is a person (a person and a company may share a name). Names that only share a word ("Mira
    Castell" / "Castell Foundation") never meet here."""
    if not is_full_name(ent.name):
        return []
    out = []
    for cand in context.index.keyed("name", _name_key(ent.name)):
        if cand.kind == ent.type or cand.kind not in RESOLVED_KINDS or context.blocks(ent, cand):
            continue
        evidence: list[str] | None = context.evidence(ent, cand)
        if "Person" in (ent.type, cand.kind):
            evidence = context.strong(cand, evidence or [])
        if not evidence:
            log.info("kept %r apart from %s (%s): the same name, but not enough ties them", ent.name, cand.name,
                     cand.kind)  # fmt: skip
            continue
        reason = ", ".join([f"the same name, given {_article(cand.kind)} {cand.kind.lower()} elsewhere", *evidence])
        # Of two stored actors of the name, one a person, a name the article did not take for a
        # person is the other's.
        strength = 4 if "Person" in (ent.type, cand.kind) else 5
        out.append(_Proposal(i, cand, (strength, len(evidence), 100.0), reason))
    return out


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _single_word(ent: Entity) -> str | None:
    """The one word a person is named by ("Mira", "Castell", "Ms Castell"), or that an organisation
    the extraction made of a surname is ("Akinola"); None for any other name."""
    if ent.type == "Person":
        words = person_tokens(ent.name)
        return words[0] if len(words) == 1 else None
    if ent.type in ("Organisation", "Other") and len(ent.name.split()) == 1 and ent.name[:1].isupper():
        return None if is_acronym(ent.name) else fold(ent.name)
    return None


def _title(ent: Entity, index: ActorIndex) -> tuple[tuple[str, ...], bool] | None:
    """The title an actor of the article is named by ("the coroner", "Coroner": the words of a title
    people in the store hold), with whether it is timed ("the former coroner"); None for a name."""
    words, timed = _title_words(ent.name)
    return (words, timed) if words and all(w in index.role_words for w in words) else None


def _short_best(ent: Entity, i: int, context: _Context) -> _Proposal | None:
    title = _title(ent, context.index)
    if title is not None:
        return _title_holder(ent, i, title, context)
    return _one_word(ent, i, _single_word(ent) or "", context)


def _one_word(ent: Entity, i: int, word: str, context: _Context) -> _Proposal | None:
    """A first name or surname alone joins the one person of that name the story ties it to: of the
    stored people it may name, those the article shares evidence with; when several, those it
    shares strong evidence with (a role, an affiliation, two actors), and of those the one it shares
    a role or an affiliation with; exactly one, or none."""
    if ent.type != "Person" and any(a.id != ent.id for a in context.index.keyed("word", word)):
        return None  # an organisation of that word ("Hale" beside "Hale Water"): not a surname
    fits = []
    for cand in context.index.keyed("given", word) + context.index.with_surname(word):
        if cand.kind != "Person" or cand in fits or context.blocks(ent, cand):
            continue
        inc_heads, kno_heads = set(_role_heads(ent.roles)), set(_role_heads(cand.roles))
        if inc_heads and kno_heads and not inc_heads & kno_heads:
            continue  # "Brennan, the campaigner" is not the minister Siobhan Brennan
        evidence = context.evidence(ent, cand)
        if evidence:
            fits.append((cand, evidence))
    if len(fits) > 1:
        strong = [(c, context.strong(c, ev)) for c, ev in fits]
        fits = [(c, ev) for c, ev in strong if ev is not None]
    if len(fits) > 1:  # a role or an affiliation both hold says more than the actors both articles name
        specific = [(c, ev) for c, ev in fits if _beyond_co_mentions(ev)]
        fits = specific if len(specific) == 1 else fits
    if len(fits) != 1:
        if fits:
            log.info("kept %r apart: the story ties it to %s alike", ent.name, " and ".join(c.name for c, _ in fits))
        return None
    [(cand, evidence)] = fits
    words = person_tokens(cand.name)
    which = "surname" if words[-1] == word else "first name"
    typed = "" if ent.type == "Person" else f" (taken for {_article(ent.type)} {ent.type.lower()})"
    reason = f"{which} alone{typed}, and the one {cand.name} the story ties it to"
    return _Proposal(i, cand, (1, len(evidence), 100.0), ", ".join([reason, *evidence]))


def _title_holder(ent: Entity, i: int, title: tuple[tuple[str, ...], bool], context: _Context) -> _Proposal | None:
    """A title joins the person who held it on the article's date, of those the story ties it to
    (see _holder_on); never one of two who may have held it then, and never a title of another time."""
    words, timed = title
    if timed:
        return None
    held: dict[str, tuple[list[str], list[str], str]] = {}  # holder -> (dates held, dates named with it, title)
    for cand in context.index.keyed("role", words[-1]):
        if cand.kind != "Person" or context.blocks(ent, cand):
            continue
        plain, named, said = [], [], ""
        for their_title, date in cand.held:
            their_words, their_timed = _title_words(their_title)
            if set(words) <= set(their_words):
                named.append(date)
                if not their_timed:
                    plain.append(date)
                    said = said or their_title
        if named and context.evidence(ent, cand):
            held[cand.id] = (plain, named, said)
    holder = _holder_on(context.date, held)
    name = " ".join(words)
    if holder is None:
        if len(held) > 1:
            people = " and ".join(sorted(context.index.actors[h].name for h in held))
            log.warning("left %r apart: %s may both have been %s on %s", ent.name, people, name, context.date)
        return None
    cand = context.index.actors[holder]
    plain, _, said = held[holder]
    when = max((d for d in plain if context.date and d <= context.date), default=min(plain))
    reason = f"{name} on {context.date or 'its date'}, the one the story names then ({said} on {when})"
    return _Proposal(i, cand, (1, 1, 100.0), ", ".join([reason, *context.evidence(ent, cand)]))


def _holder_on(date: str | None, held: dict[str, tuple[list[str], list[str], str]]) -> str | None:
    """Who of these people held a title on `date` (ISO), from the dates articles gave each of them it
    (`held`: holder -> (dates it held it, dates it was named with it at any time, ...)).

    A holder is taken to hold it between two of its dates and before its first or after its last,
    as long as no other holder is named with it there: the one holder qualifies whose dates nearest
    `date` (on either side, or none) enclose no date of another. So between the last date of one
    holder and the first of the next, or while an incoming holder is named beside the one in post,
    no one does. Exactly one, or None; without a date, only a sole holder."""
    holders = {h: v for h, v in held.items() if v[0]}
    if not date:
        return next(iter(holders)) if len(held) == len(holders) == 1 else None
    qualified = []
    for h, (dates, _, _) in holders.items():
        before = max((d for d in dates if d <= date), default="")
        after = min((d for d in dates if d >= date), default="9999")  # after any date
        if not any(before <= d <= after for g, (_, named, _) in held.items() if g != h for d in named):
            qualified.append(h)
    return qualified[0] if len(qualified) == 1 else None


def _rewrite(extraction: Extraction, entities: list[Entity], ids: dict[str, str]) -> Extraction:
    """The extraction with merged actors' ids (theirs, their events' and affiliations'); each keeps
    the name and type its article gives it, which the store counts in naming the actor (naming.py)."""
    out = []
    for ent in entities:
        into = ids[ent.id]
        affiliation = ids.get(ent.affiliation, ent.affiliation) if ent.affiliation else None
        if (into, affiliation) == (ent.id, ent.affiliation):
            out.append(ent)
            continue
        out.append(replace(ent, id=into, affiliation=affiliation))
    events = [
        replace(
            ev,
            agents=list(dict.fromkeys(ids.get(a, a) for a in ev.agents)),
            patients=list(dict.fromkeys(ids.get(p, p) for p in ev.patients)),
        )
        for ev in extraction.events
    ]
    return replace(extraction, entities=out, events=events)


class ResolvingWriter:
    """Writes extractions to a store, each resolved first against the actors the store already holds.

    The store's actors are read once, when the first extraction arrives, and each resolved article is
    taken into the index before the next is resolved, so a run resolves each article against all
    those before it in the run and never reads the store again: resolution depends on the store as
    the run began and the order of the inputs only, not on when writes commit. That lets write_many
    hand the resolved articles to several writers at once and still give the graph one writer gives.
    """

    def __init__(self, store: Store, gazetteer: Gazetteer | None = None):
        self.store = store
        self.gazetteer = gazetteer or load_gazetteer()
        self.index: ActorIndex | None = None
        self._incomplete: set[str] | None = None  # articles a cut-off load left pending as the run began

    def _begin(self) -> None:
        """Note the articles a cut-off load left pending as the run begins: the store's next write
        refreshes them, and they must not count as complete when they come round in the run."""
        if self._incomplete is None:
            self._incomplete = {row["id"] for row in self.store.query(STATEMENTS["pending_articles"])}

    def _index(self) -> ActorIndex:
        """The store's actors, read when the first article that needs resolving comes: until then
        every article was stored already, so the run has written nothing and the store is as it
        began (an unchanged corpus is never indexed)."""
        if self.index is None:
            self.index = ActorIndex(known_actors(self.store, leave_out=self._incomplete or set()))
        return self.index

    def resolved(self, extractions: Iterable[Extraction]) -> Iterator[Resolution]:
        """Each extraction resolved, in input order, against the store and the articles before it;
        an article the store held complete already comes back as it is (its write will find it
        unchanged, and the store's actors include it)."""
        self._begin()
        extractions = iter(extractions)
        while window := list(itertools.islice(extractions, WINDOW)):
            stored = complete_articles(self.store, [ex.article.id for ex in window]) - (self._incomplete or set())
            for extraction in window:
                if extraction.article.id in stored:
                    yield Resolution(extraction)
                    continue
                index = self._index()
                resolution = resolve(extraction, index, self.gazetteer)
                index.add(resolution.extraction)
                yield resolution

    def write(self, extraction: Extraction) -> tuple[WriteResult, list[Merge]]:
        """The store's WriteResult and the merges made (none when the article was unchanged)."""
        [resolution] = self.resolved([extraction])
        result = self.store.write(resolution.extraction, merges=resolution.records())
        return result, (resolution.merges if result.status != "unchanged" else [])

    def write_many(
        self, extractions: Iterable[Extraction], *, writers: int = 1, submit=None
    ) -> Iterator[tuple[WriteResult, list[Merge]]]:
        """Resolve the extractions in order, write them with up to `writers` at once (store.write_many;
        `submit`, for a store that takes it, runs each write elsewhere), and give each one's
        WriteResult and merges (none when unchanged) in input order."""
        self._begin()  # before the store's first write finishes what a cut-off load left pending
        waiting: collections.deque[list[Merge]] = collections.deque()

        def items() -> Iterator[tuple[Extraction, dict[str, list[str]]]]:
            for resolution in self.resolved(extractions):
                waiting.append(resolution.merges)
                yield resolution.extraction, resolution.records()

        options = {"submit": submit} if submit is not None else {}
        for result in self.store.write_many(items(), writers=writers, **options):
            merges = waiting.popleft()
            yield result, (merges if result.status != "unchanged" else [])
