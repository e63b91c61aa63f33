"""The query catalogue: named .cypher files with a header, and the loader that lists, checks and runs them.

A file starts with `//` header lines:

    // name: timeline
    // description: Events in date order, for one actor or for everything.
    // param: actor actor = null   -- an actor name, id or alias; null for all
    // param: limit int = 100 in 1..   -- most rows to return

Parameter types: string, int, float, bool, date (YYYY-MM-DD or YYYY-MM), category (an event
category of the taxonomy), kind (an actor kind: Person, Organisation, ...), actor (any name, alias or
id, resolved here to one actor id), actors (a name or part of one, resolved here to the ids of
every actor it fits, by substring or by spelling), article (an article's id, url or source,
resolved here to its id) and event (an event id, or its start as tables print it: ev_1a2b3c4d).
`in LOW..HIGH` bounds an int or float (either end may be left open). A
parameter without a default is required. Every value is checked before the query runs: a value
that no row could match is an error naming the closest allowed one, never an empty answer.
A `// example:` line is a command line that runs the query (shown by `query NAME --help` and
`query list`). A `// header: a, b` line names the columns that describe the whole answer (the same on every
row, as an actor's name over its events): tables print them once above the rows.
`NAME.cypher` serves every backend; `NAME.embedded.cypher` or `NAME.neo4j.cypher` replace it on the
backend named, where the two dialects differ.

A query may be a UNION ALL of parts that each start from a different place (from the actor when one
is given, from every event when none is). Each part guards itself in Cypher (`WHERE $actor IS
NULL`), so the whole text is always right; a `// when:` line in a part (`actor` given, `!actor` not
given, `since|until` either given; all must hold) also lets run() send only the parts that can give
rows, because LadybugDB does not skip a part whose guard is false before doing its work.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from newsgraph.errors import QueryError

TYPES = ("string", "int", "float", "bool", "date", "category", "kind", "actor", "actors", "article", "event")
# Types resolved against the store (the others are checked on their own).
STORE_TYPES = ("actor", "actors", "article", "event")
INT64 = (-(2**63), 2**63 - 1)
BACKENDS = ("embedded", "neo4j")
SHARED = "shared"

# Spelling tolerance (0-100): an actor parameter takes the closest whole name or alias by
# token_sort_ratio; search also accepts a name whose words each fit a word of the text.
ACTOR_MATCH = 85
SEARCH_MATCH = 80

_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.*?))?"
    r"(?:\s+in\s+(?P<low>-?[\d.]*?)\.\.(?P<high>-?[\d.]*))?\s*(?:--\s*(?P<desc>.*))?$"
)
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")

# The id, or the name spelt exactly: what an index finds (Neo4j's on Actor.id and Actor.name), tried
# before the scan of every name and alias in any case.
ACTOR_KEY = """
MATCH (x:Actor)
WHERE x.id = $text OR x.name = $text
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(m:Article)
RETURN x.id AS id, x.name AS name, x.id = $text AS by_id, true AS by_name, count(m) AS articles
"""
ACTOR_EXACT = """
WITH toLower($text) AS q
MATCH (x:Actor)
WHERE x.id = $text OR toLower(x.name) = q OR any(a IN x.aliases WHERE toLower(a) = q)
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(m:Article)
RETURN x.id AS id, x.name AS name, x.id = $text AS by_id, toLower(x.name) = q AS by_name, count(m) AS articles
"""
ARTICLE_EXACT = """
MATCH (a:Article)
WHERE a.id = $text OR a.url = $text OR a.source = $text
RETURN a.id AS id
ORDER BY id
LIMIT 1
"""
EVENT_EXACT = """
MATCH (e:Event {id: $text})
RETURN e.id AS id
"""
EVENT_PREFIX = """
MATCH (e:Event)
WHERE e.id STARTS WITH $text
RETURN e.id AS id
ORDER BY id
LIMIT 4
"""
# The shortest start of an event id `explain` and event parameters take (ev_ and four hex digits).
EVENT_PREFIX_MIN = len("ev_") + 4
ARTICLE_KEYS = """
MATCH (a:Article)
RETURN a.id AS id, a.url AS url, a.source AS source
"""
ACTOR_NAMES = """
MATCH (x:Actor)
RETURN x.id AS id, x.name AS name, x.aliases AS aliases
ORDER BY id
"""
ACTOR_CONTAINS = """
WITH toLower($text) AS q
MATCH (x:Actor)
WHERE toLower(x.name) CONTAINS q OR any(a IN x.aliases WHERE toLower(a) CONTAINS q)
RETURN x.id AS id
ORDER BY id
"""


@dataclass
class Param:
    name: str
    type: str
    default: Any = None
    description: str = ""
    required: bool = False
    low: float | None = None  # bounds of an int or float, inclusive (`in LOW..HIGH`)
    high: float | None = None

    def label(self) -> str:
        """How errors name it: `parameter limit`, or a command-line option as it is (`--since`)."""
        return self.name if self.name.startswith("-") else f"parameter {self.name}"

    def spec(self) -> str:
        """The compact form: name:type, the bounds, the default (`limit:int in 1..=100`)."""
        bounds = "" if self.low is None and self.high is None else f" in {_num(self.low)}..{_num(self.high)}"
        default = "null" if self.default is None else self.default
        return f"{self.name}:{self.type}{bounds}" + ("" if self.required else f"={default}")

    def describe(self) -> str:
        """What the parameter takes, in words: its type, bounds or allowed values, then whether it
        is required or its default (`a whole number from 1; default 100`)."""
        if self.type == "category":
            from newsgraph.ingest.taxonomy import load_taxonomy

            what = "an event category: " + ", ".join(load_taxonomy())
        elif self.type == "kind":
            from newsgraph.model import ENTITY_TYPES

            what = "an actor kind: " + ", ".join(ENTITY_TYPES)
        else:
            what = _TYPE_DESCRIPTIONS[self.type]
        if self.low is not None and self.high is not None:
            what += f" from {_num(self.low)} to {_num(self.high)}"
        elif self.low is not None:
            what += f" from {_num(self.low)}"
        elif self.high is not None:
            what += f" up to {_num(self.high)}"
        if self.required:
            return what + "; required"
        if self.default is None:
            return what + "; optional"
        default = ("yes" if self.default else "no") if self.type == "bool" else self.default
        return what + f"; default {default}"


_TYPE_DESCRIPTIONS = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "yes or no",
    "date": "a date, YYYY-MM-DD or YYYY-MM (a month covers its days)",
    "actor": "an actor's name, alias or id (any case; a near spelling is taken)",
    "actors": "a name or part of one (any case; near spellings too)",
    "article": "an article's id, url or source",
    "event": "an event id, whole or as tables print it (ev_1a2b3c4d)",
}


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass
class Query:
    name: str
    description: str
    params: list[Param] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # backend (or "shared") -> Cypher
    header: list[str] = field(default_factory=list)  # columns describing the whole answer (`// header:`)
    example: str = ""  # a command line that runs it (`// example:`)

    def text(self, backend: str | None = None) -> str:
        """The Cypher for a backend: its own variant, else the shared file."""
        if backend in self.texts:
            return self.texts[backend]
        if SHARED in self.texts:
            return self.texts[SHARED]
        raise QueryError(f"query '{self.name}' has no variant for the {backend} backend")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def statement(self, backend: str | None, params: dict[str, Any]) -> str:
        """The text to send for these parameter values: the parts of a UNION ALL whose `// when:`
        line the values meet (all of them when none or every part qualifies)."""
        text = self.text(backend)
        parts = _UNION_ALL.split(text)
        if len(parts) == 1:
            return text
        chosen = [part for part in parts if _applies(part, params)]
        return "\nUNION ALL\n".join(chosen) if chosen and len(chosen) < len(parts) else text


_UNION_ALL = re.compile(r"^[ \t]*UNION ALL[ \t]*$", re.MULTILINE | re.IGNORECASE)
_WHEN = re.compile(r"^[ \t]*//[ \t]*when:(.*)$", re.MULTILINE)


def _applies(part: str, params: dict[str, Any]) -> bool:
    """Whether a part's `// when: a !b c|d` line holds: `a` given (not null), `b` not given, `c` or
    `d` given."""
    found = _WHEN.search(part)
    if not found:
        return True

    def given(name: str) -> bool:
        return params.get(name) not in (None, [])

    for word in found.group(1).replace(",", " ").split():
        if word.startswith("!") and given(word[1:]):
            return False
        if not word.startswith("!") and not any(given(name) for name in word.split("|")):
            return False
    return True


def parse(text: str, where: str) -> Query:
    """A Query from a .cypher file's text; `where` names the file in errors."""
    name = description = None
    params: list[Param] = []
    header: list[str] = []
    example = ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("//"):
            break
        key, _, value = line[2:].strip().partition(":")
        value = value.strip()
        if key == "name":
            name = value
        elif key == "description":
            description = value
        elif key == "param":
            params.append(_param(value, where))
        elif key == "header":
            header = [column.strip() for column in value.split(",") if column.strip()]
        elif key == "example":
            example = value
    if not name or not description:
        raise QueryError(f"{where}: header needs '// name:' and '// description:' lines")
    return Query(name, description, params, {}, header, example)


def _param(spec: str, where: str) -> Param:
    m = _PARAM_LINE.match(spec)
    if not m or m.group("type") not in TYPES:
        raise QueryError(
            f"{where}: bad param line '{spec}' (want: NAME TYPE [= DEFAULT] [in LOW..HIGH] [-- text]; types {TYPES})"
        )
    name, type_, default, desc = m.group("name"), m.group("type"), m.group("default"), m.group("desc") or ""
    low = high = None
    if m.group("low") is not None:
        if type_ not in ("int", "float"):
            raise QueryError(f"{where}: param {name}: only an int or float takes bounds (in LOW..HIGH)")
        try:
            low, high = (float(x) if x else None for x in (m.group("low"), m.group("high")))
        except ValueError:
            bounds = f"{m.group('low')}..{m.group('high')}"
            raise QueryError(f"{where}: param {name}: bounds {bounds} are not numbers") from None
    param = Param(name, type_, None, desc, required=default is None, low=low, high=high)
    if default is not None and default != "null":
        param.default = default if type_ in STORE_TYPES else coerce(param, default)
    return param


@cache
def catalogue() -> dict[str, Query]:
    """Every packaged query by name, with each backend's text."""
    queries: dict[str, Query] = {}
    files = sorted((f for f in resources.files(__name__).iterdir() if f.name.endswith(".cypher")), key=lambda f: f.name)
    for f in files:
        stem = f.name.removesuffix(".cypher")
        base, _, backend = stem.partition(".")
        backend = backend or SHARED
        if backend not in (SHARED, *BACKENDS):
            raise QueryError(f"queries/{f.name}: unknown backend '{backend}' (want {', '.join(BACKENDS)})")
        text = f.read_text(encoding="utf-8")
        parsed = parse(text, f"queries/{f.name}")
        if parsed.name != base:
            raise QueryError(f"queries/{f.name}: header names '{parsed.name}', file names '{base}'")
        query = queries.setdefault(base, parsed)
        if backend == SHARED:  # the shared file's header is the one shown
            query.description, query.params, query.header = parsed.description, parsed.params, parsed.header
            query.example = parsed.example
        query.texts[backend] = text
    return dict(sorted(queries.items()))


def get(name: str) -> Query:
    queries = catalogue()
    if name not in queries:
        close = [m[0] for m in process.extract(name, list(queries), scorer=fuzz.WRatio, limit=3)]
        raise QueryError(f"unknown query '{name}' (did you mean: {', '.join(close)})")
    return queries[name]


def coerce(param: Param, raw: Any) -> Any:
    """One raw value (a CLI string, or already a Python value) as the parameter's type, checked
    against its bounds and allowed values (QueryError naming the closest allowed value)."""
    if raw is None:
        return None
    text = str(raw).strip()
    try:
        if param.type == "int":
            if isinstance(raw, bool):
                raise ValueError
            return _bounded(param, raw if isinstance(raw, int) else int(text))
        if param.type == "float":
            number = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else float(text)
            if not math.isfinite(number):
                raise ValueError
            return _bounded(param, number)
        if param.type == "bool":
            if isinstance(raw, bool):
                return raw
            if text.lower() in ("true", "yes", "1", "on"):
                return True
            if text.lower() in ("false", "no", "0", "off"):
                return False
            raise ValueError
        if param.type == "date":
            if not _DATE.match(text) or (len(text) == 10 and not _real_day(text)):
                raise ValueError
            return text
    except ValueError:
        raise QueryError(f"{param.label()}: '{raw}' is not a valid {_TYPE_WORDS[param.type]}") from None
    if param.type == "category":
        from newsgraph.ingest.taxonomy import load_taxonomy

        return _one_of(param, text, list(load_taxonomy()), "an event category")
    if param.type == "kind":
        from newsgraph.model import ENTITY_TYPES

        return _one_of(param, text, list(ENTITY_TYPES), "an actor kind")
    return text


_TYPE_WORDS = {
    "int": "whole number",
    "float": "number",
    "bool": "true/false",
    "date": "date (YYYY-MM-DD or YYYY-MM)",
}


def _real_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:  # 2024-02-30
        return False
    return True


def _bounded(param: Param, number: float) -> Any:
    """The number when it is within the parameter's bounds (and, for an int, what the stores hold)."""
    low, high = param.low, param.high
    if (low is not None and number < low) or (high is not None and number > high):
        wanted = " and ".join(
            f"{word} {_num(bound)}" for word, bound in (("at least", low), ("at most", high)) if bound is not None
        )
        raise QueryError(f"{param.label()}: {number} is out of range (want {wanted})")
    if param.type == "int" and not INT64[0] <= number <= INT64[1]:
        raise QueryError(f"{param.label()}: {number} is too large for a 64-bit whole number")
    return number


def _one_of(param: Param, text: str, allowed: list[str], what: str) -> str:
    """The allowed value `text` names (any case), else QueryError naming the closest ones."""
    for value in allowed:
        if value.lower() == text.lower():
            return value
    closest = process.extractOne(text.lower(), allowed, scorer=fuzz.WRatio, processor=str.lower, score_cutoff=60)
    hint = f"did you mean {closest[0]}?" if closest else f"one of {', '.join(allowed)}"
    raise QueryError(f"{param.label()}: '{text}' is not {what} ({hint})")


def resolve_actor(store: Any, text: str) -> str:
    """The id of the actor a name, alias or id means: its id or name as spelt first, else a name or
    alias in any case, else the closest spelling.

    Several matches (an alias two actors share): the id, then the name, then the actor in the most
    articles wins.
    """
    rows = store.query(ACTOR_KEY, {"text": text}) or store.query(ACTOR_EXACT, {"text": text})
    if rows:
        best = max(rows, key=lambda r: (r["by_id"], r["by_name"], r["articles"], r["id"]))
        return best["id"]
    names = _actor_names(store)
    hits = process.extract(text.lower(), list(names), scorer=fuzz.token_sort_ratio, limit=5)
    if hits and hits[0][1] >= ACTOR_MATCH:
        return names[hits[0][0]][0]
    closest = _unique(names[h[0]][1] for h in hits)
    suggestion = f" (closest: {', '.join(closest[:3])})" if closest else ""
    raise QueryError(f"no actor matches '{text}'{suggestion}")


def resolve_article(store: Any, text: str) -> str:
    """The id of the article an id, url or source names; QueryError (with the closest) when none does."""
    rows = store.query(ARTICLE_EXACT, {"text": text})
    if rows:
        return rows[0]["id"]
    keys = [k for row in store.query(ARTICLE_KEYS) for k in (row["id"], row["url"], row["source"]) if k]
    close = [m[0] for m in process.extract(text, keys, scorer=fuzz.WRatio, limit=3, score_cutoff=60)]
    suggestion = f" (closest: {', '.join(close)})" if close else " (give its id, url or source)"
    raise QueryError(f"no article matches '{text}'{suggestion}")


def resolve_event(store: Any, text: str) -> str:
    """The id of the event an id or its start names (`ev_1a2b3c4d`, as tables print it); QueryError
    when none does, or when the start is too short or fits several (naming them)."""
    text = text.strip()
    if len(text) < EVENT_PREFIX_MIN:
        raise QueryError(f"event '{text}': give the id as printed (ev_ and at least 4 more characters)")
    if store.query(EVENT_EXACT, {"text": text}):  # a key lookup; the prefix reads every id
        return text
    ids = [row["id"] for row in store.query(EVENT_PREFIX, {"text": text})]
    if not ids:
        raise QueryError(f"no event has the id '{text}' (the id column of timeline, events, between or actor)")
    if len(ids) > 1:
        shown = ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")
        raise QueryError(f"event '{text}' is the start of several ids ({shown}): give more of it")
    return ids[0]


def resolve_actors(store: Any, text: str) -> list[str]:
    """Ids of every actor whose name or alias contains the text (any case); failing that, those
    spelt close to it. The spelling pass reads every name, so it runs only when the first finds none."""
    ids = [r["id"] for r in store.query(ACTOR_CONTAINS, {"text": text})]
    if ids or len(text) < 3:
        return ids
    names = _actor_names(store)
    # A quick loose pass in C narrows the names before the word-by-word score in Python.
    loose = [m[0] for m in process.extract(text.lower(), list(names), scorer=fuzz.WRatio, limit=500, score_cutoff=50)]
    hits = process.extract(text.lower(), loose, scorer=_spelling, limit=25, score_cutoff=SEARCH_MATCH)
    return _unique(names[form][0] for form, _, _ in hits)


def _spelling(query: str, choice: str, **_: Any) -> float:
    """How close a search text is to a name, word by word: 'holis' fits 'Dana Hollis', not 'schools'."""
    words = choice.split()
    if not words or not query.split():
        return 0.0
    per_word = sum(max(fuzz.ratio(q, w) for w in words) for q in query.split()) / len(query.split())
    return max(fuzz.token_sort_ratio(query, choice), per_word)


def _actor_names(store: Any) -> dict[str, tuple[str, str]]:
    """Lower-cased name or alias -> (actor id, actor name), for fuzzy matching; a form two actors
    share goes to the smaller id, in every backend."""
    names: dict[str, tuple[str, str]] = {}
    for row in store.query(ACTOR_NAMES, {}):
        for form in [row["name"], *(row["aliases"] or [])]:
            if form:
                names.setdefault(form.lower(), (row["id"], row["name"]))
    return names


def _unique(items: Any) -> list[Any]:
    return list(dict.fromkeys(items))


def check(query: Query, raw: dict[str, Any]) -> dict[str, Any]:
    """Every declared parameter checked and coerced, without a store: unknown and missing ones,
    types, bounds and allowed values. Values of the types the store resolves (STORE_TYPES) are
    returned as given, stripped."""
    declared = {p.name for p in query.params}
    unknown = sorted(set(raw) - declared)
    if unknown:
        accepted = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"query '{query.name}': unknown parameter {', '.join(unknown)} (accepted: {accepted})")
    params: dict[str, Any] = {}
    for p in query.params:
        value = raw.get(p.name)
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null")):
            if p.required:
                raise QueryError(f"query '{query.name}': missing parameter {p.name} ({p.type}) {p.description}".strip())
            value = p.default
        if p.type in STORE_TYPES:
            params[p.name] = None if value is None else str(value).strip()
        else:
            params[p.name] = coerce(p, value)
    return params


def bind(store: Any, query: Query, raw: dict[str, Any]) -> dict[str, Any]:
    """Every declared parameter, checked, coerced and resolved: the dict handed to the store."""
    params = check(query, raw)
    for p in query.params:
        value = params[p.name]
        if p.type == "actor" and value is not None:
            params[p.name] = resolve_actor(store, value)
        elif p.type == "article" and value is not None:
            params[p.name] = resolve_article(store, value)
        elif p.type == "event" and value is not None:
            params[p.name] = resolve_event(store, value)
        elif p.type == "actors":
            params[p.name] = [] if value is None else resolve_actors(store, value)
    return params


def run(store: Any, name: str, raw: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a catalogue query by name on a store; `raw` holds parameter values (strings from the CLI)."""
    query = get(name)
    params = bind(store, query, dict(raw or {}))
    return store.query(query.statement(store.backend, params), params)
