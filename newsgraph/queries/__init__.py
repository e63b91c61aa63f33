"""The query catalogue: named .cypher files with a header, and the loader that lists, checks and runs them.

A file starts with `//` header lines:

    // name: timeline
    // description: Events in date order, for one actor or for everything.
    // param: actor actor = null   -- an actor name, id or alias; null for all
    // param: limit int = 100

Parameter types: string, int, float, bool, date (YYYY-MM-DD or YYYY-MM), actor (any name, alias or
id, resolved here to one actor id) and actors (a name or part of one, resolved here to the ids of
every actor it fits, by substring or by spelling). A parameter without a default is required.
`NAME.cypher` serves every backend; `NAME.embedded.cypher` or `NAME.neo4j.cypher` replace it on the
backend named, where the two dialects differ.

A query may be a UNION ALL of parts that each start from a different place (from the actor when one
is given, from every event when none is). Each part guards itself in Cypher (`WHERE $actor IS
NULL`), so the whole text is always right; a `// when:` line in a part (`actor` given, `!actor` not
given, `since|until` either given; all must hold) also lets run() send only the parts that can give
rows, because LadybugDB does not skip a part whose guard is false before doing its work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from newsgraph.errors import QueryError

TYPES = ("string", "int", "float", "bool", "date", "actor", "actors")
BACKENDS = ("embedded", "neo4j")
SHARED = "shared"

# Spelling tolerance (0-100): an actor parameter takes the closest whole name or alias by
# token_sort_ratio; search also accepts a name whose words each fit a word of the text.
ACTOR_MATCH = 85
SEARCH_MATCH = 80

_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.*?))?\s*(?:--\s*(?P<desc>.*))?$"
)
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")

ACTOR_EXACT = """
WITH toLower($text) AS q
MATCH (x:Actor)
WHERE x.id = $text OR toLower(x.name) = q OR any(a IN x.aliases WHERE toLower(a) = q)
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(m:Article)
RETURN x.id AS id, x.name AS name, x.id = $text AS by_id, toLower(x.name) = q AS by_name, count(m) AS articles
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


@dataclass
class Query:
    name: str
    description: str
    params: list[Param] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # backend (or "shared") -> Cypher

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
    if not name or not description:
        raise QueryError(f"{where}: header needs '// name:' and '// description:' lines")
    return Query(name, description, params, {})


def _param(spec: str, where: str) -> Param:
    m = _PARAM_LINE.match(spec)
    if not m or m.group("type") not in TYPES:
        raise QueryError(f"{where}: bad param line '{spec}' (want: NAME TYPE [= DEFAULT] [-- text]; types {TYPES})")
    name, type_, default, desc = m.group("name"), m.group("type"), m.group("default"), m.group("desc") or ""
    if default is None:
        return Param(name, type_, None, desc, required=True)
    if default == "null" or type_ in ("actor", "actors"):
        return Param(name, type_, None if default == "null" else default, desc)
    return Param(name, type_, coerce(Param(name, type_), default), desc)


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
            query.description, query.params = parsed.description, parsed.params
        query.texts[backend] = text
    return dict(sorted(queries.items()))


def get(name: str) -> Query:
    queries = catalogue()
    if name not in queries:
        close = [m[0] for m in process.extract(name, list(queries), scorer=fuzz.WRatio, limit=3)]
        raise QueryError(f"unknown query '{name}' (did you mean: {', '.join(close)})")
    return queries[name]


def coerce(param: Param, raw: Any) -> Any:
    """One raw value (a CLI string, or already a Python value) as the parameter's type."""
    if raw is None:
        return None
    text = str(raw).strip()
    try:
        if param.type == "int":
            if isinstance(raw, bool):
                raise ValueError
            return raw if isinstance(raw, int) else int(text)
        if param.type == "float":
            return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else float(text)
        if param.type == "bool":
            if isinstance(raw, bool):
                return raw
            if text.lower() in ("true", "yes", "1", "on"):
                return True
            if text.lower() in ("false", "no", "0", "off"):
                return False
            raise ValueError
        if param.type == "date":
            if not _DATE.match(text):
                raise ValueError
            return text
    except ValueError:
        raise QueryError(f"parameter {param.name}: '{raw}' is not a valid {_TYPE_WORDS[param.type]}") from None
    return text


_TYPE_WORDS = {
    "int": "whole number",
    "float": "number",
    "bool": "true/false",
    "date": "date (YYYY-MM-DD or YYYY-MM)",
}


def resolve_actor(store: Any, text: str) -> str:
    """The id of the actor a name, alias or id means: exact (any case) first, else closest spelling.

    Several exact matches (an alias two actors share): the id, then the name, then the actor in
    the most articles wins.
    """
    rows = store.query(ACTOR_EXACT, {"text": text})
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


def bind(store: Any, query: Query, raw: dict[str, Any]) -> dict[str, Any]:
    """Every declared parameter, checked, coerced and resolved: the dict handed to the store."""
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
        if p.type == "actor" and value is not None:
            value = resolve_actor(store, str(value).strip())
        elif p.type == "actors":
            value = [] if value is None else resolve_actors(store, str(value).strip())
        else:
            value = coerce(p, value)
        params[p.name] = value
    return params


def run(store: Any, name: str, raw: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a catalogue query by name on a store; `raw` holds parameter values (strings from the CLI)."""
    query = get(name)
    params = bind(store, query, dict(raw or {}))
    return store.query(query.statement(getattr(store, "backend", None), params), params)
