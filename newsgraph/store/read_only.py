"""What a Cypher read may contain, checked before any engine sees it (both backends' `query()`).

An allow-list: a read starts with a read clause and uses only the clauses, procedures and
functions a read needs. Everything else is refused in one line: writes, schema and transaction
statements, and every way an engine offers to read or write files or fetch URLs (LadybugDB's
`LOAD FROM`, `COPY … TO`, `EXPORT DATABASE`, `CALL READ_CSV_SERIAL(…)`, which can crash the engine;
Neo4j's `LOAD CSV`, `apoc.load.*`). A read-only transaction alone does not stop those.
"""

from __future__ import annotations

import re

from newsgraph.errors import QueryError

# The clauses a read is made of, as the words that begin them (OPTIONAL MATCH, ORDER BY, UNION ALL).
READ_CLAUSES = frozenset(
    {"MATCH", "OPTIONAL", "WHERE", "WITH", "UNWIND", "RETURN", "ORDER", "BY", "SKIP", "LIMIT", "UNION", "CALL"}
    | {"YIELD", "FINISH", "FILTER", "LET"}
)
# What a read may start with.
READ_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
# Every other clause either dialect knows (LadybugDB and Neo4j 5): a word of these, outside a string,
# a quoted name or a property key, refuses the statement.
OTHER_CLAUSES = frozenset(
    {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "RENAME", "INSERT", "UPDATE"}
    | {"COPY", "LOAD", "EXPORT", "IMPORT", "INSTALL", "UNINSTALL", "ATTACH", "USE", "COMMENT", "FOREACH"}
    | {"BEGIN", "COMMIT", "ROLLBACK", "CHECKPOINT", "SHOW", "TERMINATE", "GRANT", "DENY", "REVOKE"}
    | {"ENABLE", "DISABLE"}
)
# Words of the read grammar that may stand before "(" without being a function.
_GRAMMAR = READ_CLAUSES | {
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "IS",
    "AS",
    "DISTINCT",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "STARTS",
    "ENDS",
    "CONTAINS",
    "EXISTS",
    "SHORTEST",
    "ALL",
    "ANY",
}
# Procedures a read may CALL: the schema, nothing that touches files, settings or other databases.
PROCEDURES = frozenset(
    {"SHOW_TABLES", "TABLE_INFO", "SHOW_CONNECTION"}  # LadybugDB
    | {"DB.LABELS", "DB.RELATIONSHIPTYPES", "DB.PROPERTYKEYS", "DB.SCHEMA.VISUALIZATION"}  # Neo4j
    | {"DB.SCHEMA.NODETYPEPROPERTIES", "DB.SCHEMA.RELTYPEPROPERTIES"}
)
# Functions a read may use, by kind (either dialect's names; case does not matter).
_FUNCTION_NAMES = {
    "aggregates": "count collect sum avg min max stdev stdevp percentileCont percentileDisc count_if",
    "graph": "id elementId labels label type keys properties nodes rels relationships startNode endNode"
    " length shortestPath allShortestPaths offset is_trail is_acyclic cost",
    "general and lists": "coalesce nullif ifnull size head last tail range reverse exists any all none single"
    " reduce list_contains list_has list_sort list_reverse_sort list_distinct list_unique list_concat list_cat"
    " list_extract list_element list_slice list_transform list_filter list_reduce list_sum list_product"
    " list_position list_to_string list_any_value list_has_all array_contains",
    "conversion": "cast toString toInteger toFloat toBoolean toStringOrNull toIntegerOrNull toFloatOrNull"
    " toBooleanOrNull string to_string to_int64 to_int32 to_double to_float to_bool",
    "strings": "toLower toUpper lower upper lcase ucase trim ltrim rtrim left right substring substr replace"
    " split string_split concat contains starts_with ends_with prefix suffix lpad rpad repeat initcap"
    " levenshtein regexp_matches regexp_replace regexp_extract regexp_extract_all array_extract char_length"
    " character_length strlen",
    "numbers": "abs ceil ceiling floor round sign sqrt log log10 log2 ln exp pow power pi e sin cos tan asin"
    " acos atan atan2 degrees radians greatest least rand",
    "dates": "date datetime localdatetime localtime time timestamp duration date_part datepart date_trunc"
    " datetrunc dayname monthname last_day current_date current_timestamp make_date century",
}
FUNCTIONS = frozenset(name.upper() for names in _FUNCTION_NAMES.values() for name in names.split())

# Strings, quoted names, comments, parameters, names, numbers, and single characters.
_TOKEN = re.compile(
    r"""(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      |(?P<quoted>`(?:[^`]|``)*`)
      |(?P<comment>//[^\n]*|/\*.*?\*/)
      |(?P<param>\$\w+)
      |(?P<name>[^\W\d]\w*)
      |(?P<number>\d[\w.]*)
      |(?P<space>\s+)
      |(?P<char>.)""",
    re.VERBOSE | re.DOTALL,
)


def _tokens(cypher: str) -> list[tuple[str, str]]:
    """(kind, text) of each token but spaces and comments; a quoted name comes unquoted, as kind "quoted"."""
    tokens = []
    for match in _TOKEN.finditer(cypher):
        kind = match.lastgroup or "char"
        if kind in ("space", "comment"):
            continue
        text = match.group()
        if kind == "quoted":
            text = text[1:-1].replace("``", "`")
        tokens.append((kind, text))
    return tokens


def check_read(cypher: str) -> None:
    """Raise QueryError (one line, starting "refused:") unless `cypher` is one statement that only reads."""
    tokens = _tokens(cypher)
    while tokens and tokens[-1] == ("char", ";"):
        tokens.pop()
    if ("char", ";") in tokens:
        raise QueryError("refused: one statement per query")
    if not tokens:
        raise QueryError("refused: the statement is empty")
    for i, (kind, text) in enumerate(tokens):
        if kind not in ("name", "quoted"):
            continue
        word = text.upper() if kind == "name" else ""  # a quoted name is never a keyword
        after_dot = i > 0 and tokens[i - 1] == ("char", ".")
        if word in OTHER_CLAUSES and not after_dot:
            raise QueryError(f"refused: {word} would change the graph or reach outside it; queries are read-only")
        if after_dot:
            continue  # a property key, or a later part of a dotted name
        if word == "CALL":
            _check_call(tokens, i)
            continue
        name = _dotted(tokens, i)
        called = _next(tokens, i + 2 * name.count(".")) == "(" and not _called(tokens, i)
        if called and name.upper() not in FUNCTIONS and ("." in name or word not in _GRAMMAR):
            raise QueryError(f"refused: function {name} is not one a read may use")
    first = tokens[0][1].upper() if tokens[0][0] == "name" else tokens[0][1]
    if first not in READ_STARTS:
        starts = ", ".join("OPTIONAL MATCH" if w == "OPTIONAL" else w for w in sorted(READ_STARTS))
        raise QueryError(f"refused: {first} does not start a read; a query starts with {starts}")


def _next(tokens: list[tuple[str, str]], i: int) -> str | None:
    return tokens[i + 1][1] if i + 1 < len(tokens) else None


def _dotted(tokens: list[tuple[str, str]], i: int) -> str:
    """The name starting at token i with its dotted parts (apoc.load.json)."""
    parts = [tokens[i][1]]
    while i + 2 < len(tokens) and tokens[i + 1] == ("char", ".") and tokens[i + 2][0] in ("name", "quoted"):
        i += 2
        parts.append(tokens[i][1])
    return ".".join(parts)


def _called(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether the name at token i is the one a CALL names, which _check_call has judged."""
    return i > 0 and tokens[i - 1][0] == "name" and tokens[i - 1][1].upper() == "CALL"


def _check_call(tokens: list[tuple[str, str]], i: int) -> None:
    """CALL { subquery }, CALL (variables) { subquery }, or CALL of a procedure in PROCEDURES."""
    nxt = _next(tokens, i)
    if nxt == "{":
        return
    if nxt == "(":
        depth, j = 0, i + 1
        while j < len(tokens):
            depth += {"(": 1, ")": -1}.get(tokens[j][1], 0) if tokens[j][0] == "char" else 0
            if depth == 0:
                break
            j += 1
        if _next(tokens, j) == "{":
            return
        raise QueryError("refused: CALL takes a subquery { … } or a procedure name")
    if i + 1 >= len(tokens) or tokens[i + 1][0] not in ("name", "quoted"):
        raise QueryError("refused: CALL takes a subquery { … } or a procedure name")
    name = _dotted(tokens, i + 1)
    if name.upper() not in PROCEDURES:
        allowed = ", ".join(sorted(PROCEDURES))
        raise QueryError(f"refused: CALL {name} is not a procedure a read may call (only {allowed})")
