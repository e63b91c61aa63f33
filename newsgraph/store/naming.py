"""What an actor node is called: the most frequent full spelling its articles give it, and the type
most of them give it, recomputed from its mentions whenever an article comes or goes.

Each MENTIONED_IN keeps the name and type the article itself gave the actor (before cross-article
resolution merged it into the node), so the node's name follows its articles: "Fiona Dalglish" in
the first article and "Fiona Dalgleish" in the next two is "Fiona Dalgleish", and is "Fiona
Dalglish" again if those two are removed. The node's id stays the one its first article gave it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from newsgraph.model import slug

# Words before a person's name that are no part of it, and letters after it.
HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "rev",
    "reverend",
    "cllr",
    "councillor",
    "judge",
    "justice",
}
POST_NOMINALS = {"kc", "qc", "mp", "msp", "cbe", "obe", "mbe", "jr", "sr"}
CONNECTORS = {"of", "and", "for", "the", "&", "on", "in", "at", "to"}
# When as many articles give each, the type an actor keeps.
KIND_ORDER = ("Person", "Organisation", "Other", "Place", "Document")


def fold(text: str) -> str:
    """A word folded for comparison: ASCII, lower case, letters, digits and ' & - only."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9'&-]+", "", text.lower())


@lru_cache(maxsize=1 << 16)
def person_tokens(name: str) -> tuple[str, ...]:
    """'Sir Martyn Oliver KC' -> ('martyn', 'oliver'): folded words without titles."""
    words = [w for w in (fold(w) for w in name.split()) if w]
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in POST_NOMINALS:
        words.pop()
    return tuple(words)


def is_acronym(name: str) -> bool:
    """'CST', 'DfE', 'HMICFRS': one short word with at least two capitals."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", name)) and sum(c.isupper() for c in name) >= 2


@lru_cache(maxsize=1 << 16)
def is_full_name(name: str) -> bool:
    """A name spelt out: two words or more beyond any title, each capitalised but its connecting
    words ("Heidi Connor", "Department for Education"); not a surname with a title ("Ms Perry"), a
    first name, a title ("Coroner", "The chief inspector") or an acronym."""
    words = name.split()
    if len(person_tokens(name)) < 2 or words[0].casefold() in ("the", "a", "an"):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.casefold() in CONNECTORS for w in words)


def may_rename(name: str, kind: str, vote_name: str | None, vote_kind: str | None) -> bool:
    """Whether one more article naming an actor named `name` (a `kind`) as `vote_name` (a
    `vote_kind`) can change its name or type: not when it names it so, and not with a name that is
    not full when the actor's is (only full names count then)."""
    if (vote_name, vote_kind) == (name, kind):
        return False
    return not (is_full_name(name) and not is_full_name(vote_name or name))


def actor_naming(
    actor: str, name: str, kind: str, votes: Iterable[tuple[str | None, str | None, int | None]]
) -> tuple[str, str]:
    """The name and type of the actor of id `actor` from its articles' own (name, type, mentions),
    one per article.

    Only full names count when there is one (a title or a surname alone never names the node). The
    type is the one most articles give (then most mentions, then KIND_ORDER); the name the spelling
    most articles give, a name with initials counting for the spellings it abbreviates ("K Nowak" for
    "Katarzyna Nowak", not "Katarzyna Novak"), then the one with most mentions, then the one its id
    was made from (the first article's), then alphabetical order: the same articles name an actor the
    same way whichever writes came first. A vote without a name or type (a mention stored before
    they were kept) is for the actor's `name` and `kind` as they stand."""
    given = [(n or name, k or kind, m or 0) for n, k, m in votes]
    counted = [v for v in given if is_full_name(v[0])] or given
    if not counted:
        return name, kind
    kinds: dict[str, list[int]] = {}
    names: dict[str, list[int]] = {}
    for n, k, mentions in counted:
        for tally, key in ((kinds, k), (names, n)):
            seen = tally.setdefault(key, [0, 0])
            seen[0] += 1
            seen[1] += mentions
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    best_kind = min(kinds, key=lambda k: (-kinds[k][0], -kinds[k][1], rank.get(k, len(rank)), k))
    # A name with initials ("K Nowak") counts for the spellings it abbreviates, and names the actor
    # only when the articles spell out none of them.
    spelt = [n for n in names if not any(abbreviates(n, other) for other in names)]
    support = {n: [sum(names[v][i] for v in names if v == n or abbreviates(v, n)) for i in (0, 1)] for n in spelt}
    own = actor.partition(":")[2]
    best_name = min(support, key=lambda n: (-support[n][0], -support[n][1], slug(n) != own, n.casefold(), n))
    return best_name, best_kind


def abbreviates(short: str, name: str) -> bool:
    """Whether `short` is `name` with initials ("K Nowak", "K. Nowak" for "Katarzyna Nowak"): as
    many words beyond titles, each the same or its initial, and at least one an initial."""
    s, n = person_tokens(short), person_tokens(name)
    if len(s) != len(n) or s == n:
        return False
    return all(a == b or (len(a) == 1 and len(b) > 1 and b.startswith(a)) for a, b in zip(s, n, strict=True))
