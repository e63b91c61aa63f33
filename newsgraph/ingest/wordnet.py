"""WordNet's supersenses of common words (data/supersenses.tsv.gz, built by
tools/wordnet/build_supersenses.py): a coarse class of what a noun or verb means, for features
that carry over to words the training articles never used."""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

NOUN, VERB = "n", "v"


@cache
def _table() -> dict[tuple[str, str], tuple[str, ...]]:
    raw = resources.files("newsgraph.data").joinpath("supersenses.tsv.gz").read_bytes()
    out = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        pos, word, senses = line.split("\t")
        out[(pos, word)] = tuple(senses.split())
    return out


def supersenses(word: str, pos: str = NOUN) -> tuple[str, ...]:
    """The supersenses of a lower-case noun (NOUN) or verb (VERB) lemma's commonest senses,
    commonest first ('envoy': person, communication); () for a word WordNet does not have."""
    return _table().get((pos, word), ())
