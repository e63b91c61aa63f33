"""spaCy's attribute ruler, matched by dictionary look-up instead of its general token Matcher.

The English pipelines map each fine tag to its part of speech and features with an attribute
ruler: 179 patterns of one or two tokens, each a few tests of a token's values (`{"TAG": "NN"}`,
`{"LOWER": "that", "TAG": "IN"}`, `{"LOWER": {"IN": [...]}}`, a few NOT_IN and REGEX). spaCy runs
them through its general Matcher, which tries every pattern at every token: about 2 ms of a 14 ms
parse on our articles, the dearest component after the networks. `AttributeIndex` finds the same
matches by looking each token's values up in a table built once from the same patterns, and
leaves the rest to the ruler (`AttributeRuler.set_annotations`: the attributes set, and the order
they are set in, are spaCy's own). A ruler holding a pattern it does not read (operators such as
`?` or `*`, comparisons, other attributes) keeps spaCy's Matcher; so does one whose patterns
change after it was indexed (added to, or cleared and loaded anew).
"""

from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, POS, TAG
from spacy.strings import get_string_id

# The token attributes a pattern may test here, as Doc.to_array reads them, the most selective
# first: a pattern is looked up by the first of them it asks an exact value of.
_COLUMNS = [ORTH, LOWER, DEP, TAG, POS, IS_SPACE]
_POSITION = {"ORTH": 0, "TEXT": 0, "LOWER": 1, "DEP": 2, "TAG": 3, "POS": 4, "IS_SPACE": 5}
_REGEX_CACHE = 4096  # verdicts per regular expression, emptied when full


class Unsupported(ValueError):
    """A pattern this index does not read (spaCy's Matcher then keeps the ruler)."""


class Condition:
    """One test of a token's attribute, as the Matcher's predicates make it: the value among some
    (IN, or an exact value), not among them (NOT_IN), or its string searched by a regular expression."""

    __slots__ = ("column", "values", "negated", "regex", "_seen")

    def __init__(
        self, column: int, values: frozenset[int] = frozenset(), negated: bool = False, regex: str | None = None
    ):
        self.column, self.values, self.negated = column, values, negated
        self.regex = re.compile(regex) if regex is not None else None
        self._seen: dict[int, bool] = {}  # the regular expression's verdict by string id

    def holds(self, value: int, strings) -> bool:
        if self.regex is None:
            return (value in self.values) != self.negated
        seen = self._seen.get(value)
        if seen is None:
            if len(self._seen) >= _REGEX_CACHE:
                self._seen.clear()
            seen = self._seen[value] = bool(self.regex.search(strings[value]))
        return seen


Rule = tuple[int, int, list[list[Condition]]]  # (attribute id, match id, conditions per token)


def index_attribute_ruler(ruler) -> bool:
    """Make `ruler` (a spaCy AttributeRuler) match by look-up when every pattern allows it; True if so."""
    try:
        index = AttributeIndex(ruler)
    except Unsupported:
        return False
    ruler.match = index
    return True


class AttributeIndex:
    """`AttributeRuler.match` by look-up: the same (attribute id, match id, start, end) tuples,
    sorted as the ruler sorts them."""

    def __init__(self, ruler):
        self.ruler = ruler
        self._spacy_match = ruler.match
        self._matcher, self._size = ruler.matcher, len(ruler.matcher)
        # (column, value) of a pattern's first token -> its rules; a pattern whose first token has
        # no exact value to look up by is tried at every token.
        self._by_anchor: dict[tuple[int, int], list[Rule]] = {}
        self._everywhere: list[Rule] = []
        anchors: set[int] = set()
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            if key not in ruler.matcher:
                raise Unsupported(f"no patterns under {key}")
            match_id = ruler.vocab.strings.add(key)
            for pattern in ruler.matcher.get(key)[1]:
                tokens = [_conditions(spec) for spec in pattern]
                if not tokens or not all(tokens):
                    raise Unsupported("a pattern with a token that matches any token")
                exact = [c for c in tokens[0] if c.regex is None and not c.negated]
                if not exact:
                    self._everywhere.append((attr_id, match_id, tokens))
                    continue
                anchor = min(exact, key=lambda c: c.column)
                anchors.add(anchor.column)
                rule = (attr_id, match_id, [[c for c in tokens[0] if c is not anchor], *tokens[1:]])
                for value in anchor.values:
                    self._by_anchor.setdefault((anchor.column, value), []).append(rule)
        self._anchors = sorted(anchors)

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        if self.ruler.matcher is not self._matcher or len(self._matcher) != self._size:
            return self._spacy_match(doc)  # patterns added or replaced since: spaCy's own matching
        rows = doc.to_array(_COLUMNS).tolist() if len(doc) else []
        n, strings, get = len(rows), doc.vocab.strings, self._by_anchor.get
        found = set()
        for i, row in enumerate(rows):
            rules = [rule for column in self._anchors for rule in get((column, row[column]), ())]
            for attr_id, match_id, tokens in rules + self._everywhere:
                end = i + len(tokens)
                if end <= n and all(
                    c.holds(rows[i + k][c.column], strings) for k, conds in enumerate(tokens) for c in conds
                ):
                    found.add((attr_id, match_id, i, end))
        return sorted(found)


def _conditions(spec: dict) -> list[Condition]:
    """A token pattern's tests; Unsupported for anything but exact values, IN, NOT_IN and REGEX."""
    out = []
    for name, value in spec.items():
        column = _POSITION.get(name.upper())
        if column is None:
            raise Unsupported(f"attribute {name}")
        if not isinstance(value, dict):
            out.append(Condition(column, frozenset([_value_id(value)])))
            continue
        for op, arg in value.items():
            if op in ("IN", "NOT_IN") and isinstance(arg, list | tuple):
                out.append(Condition(column, frozenset(_value_id(v) for v in arg), negated=op == "NOT_IN"))
            elif op == "REGEX" and isinstance(arg, str) and name.upper() != "IS_SPACE":
                out.append(Condition(column, regex=arg))
            else:
                raise Unsupported(f"{name}: {op}")
    return out


def _value_id(value) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return get_string_id(value)
    raise Unsupported(f"value {value!r}")
