"""The trained entity layer: linear models, learned from gold, that refine the hand rules' entities.

Three decisions, in order, each a logistic regression whose features include what the rules found:
- `merges`: whether two named clusters of one article are one actor ("Xing" and "Xing Haiming",
  "NSF" and "National Science Foundation", "Heidi Conner" and "Heidi Connor");
- `types`: what a cluster is (Person, Organisation, Place, a country acting as its government,
  another kind of thing, or no entity at all: a title, a generic noun);
- `descriptions`: which actor a definite description names ("the agency", "the tech giant",
  "its former president"), or none.

A model file is JSON: for each model its classes, feature names and weights, the head-word vector
centroids of each entity type, and the decision thresholds. No article text is in it. Training
lives in `newsgraph.evaluate.entity_training`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from newsgraph.ingest.linear import Features, LinearModel, check_format, dump_json, load_json, not_a
from newsgraph.ingest.nlp import (
    doc_text,
    dot,
    norm,
    owner_cache,
    token_children,
    token_deps,
    token_heads,
    token_lowers,
    token_pos,
    unit_vector,
)
from newsgraph.ingest.wordnet import supersenses

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from newsgraph.ingest.entities import ArticleEntities, Cluster

FORMAT = "newsgraph-entity-model/1"
SAME, DIFFERENT = "same", "different"
LINK, NO_LINK = "link", "none"
GOVERNMENT = "Government"  # a country acting as its government: an organisation "Government of X"
NOT_ACTOR = "none"
TYPE_CLASSES = ("Person", "Organisation", "Place", GOVERNMENT, "Other", NOT_ACTOR)
# description: the anaphora model's probability that a description names an actor of the article;
# below it, down to description_floor, one still does when the ranking model gives its best actor
# description_strong (5-fold CV aliases .661 -> .671 at 0.1 / 0.5; .676 at 0.05 / 0.5, dates .866 -> .862).
# With the role features, description_strong 0.4 (two splits' fold models): aliases .691 -> .694, events
# .324 -> .325, dates .892 -> .893; 0.3 gives entities .895 but dates .891; floor 0.05 costs dates (.890).
DEFAULT_THRESHOLDS = {
    "merge": 0.5,
    "merge_floor": 0.1,
    "description": 0.3,
    "description_floor": 0.1,
    "description_strong": 0.4,
    "antecedent": 0.1,
    "antecedent_later": 0.3,
}
CENTROID_TYPES = ("Person", "Organisation", "Place", "Other")
VECTOR_FEATURES = True

DETERMINERS = {"the", "this", "that", "its", "his", "her", "their"}
PREPOSITIONS_KEPT = {"of", "for", "to", "in", "at", "on"}
SPEECH_LEMMAS = {"say", "tell", "add", "announce", "warn", "claim", "argue", "state", "insist", "write"}


@dataclass
class EntityModel:
    merges: LinearModel | None = None
    types: LinearModel | None = None
    descriptions: LinearModel | None = None
    anaphora: LinearModel | None = None  # whether a description names an actor of the article at all
    centroids: dict[str, np.ndarray] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    meta: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return dump_json(self.to_dict())

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "meta": self.meta,
            "thresholds": self.thresholds,
            "centroids": {k: [round(float(x), 4) for x in v] for k, v in sorted(self.centroids.items())},
            "merges": self.merges.to_dict() if self.merges is not None else None,
            "types": self.types.to_dict() if self.types is not None else None,
            "descriptions": self.descriptions.to_dict() if self.descriptions is not None else None,
            "anaphora": self.anaphora.to_dict() if self.anaphora is not None else None,
        }

    @classmethod
    def from_json(cls, text: str, where: str = "model") -> EntityModel:
        return cls.from_dict(load_json(text, "newsgraph entity model", where), where)

    @classmethod
    def from_dict(cls, data: dict, where: str = "model") -> EntityModel:
        try:
            check_format(data, FORMAT, "newsgraph entity model", where)

            def linear(key: str) -> LinearModel | None:
                return LinearModel.from_dict(data[key]) if data.get(key) else None

            return cls(
                merges=linear("merges"),
                types=linear("types"),
                descriptions=linear("descriptions"),
                anaphora=linear("anaphora"),
                centroids={k: np.array(v, dtype=np.float32) for k, v in (data.get("centroids") or {}).items()},
                thresholds={**DEFAULT_THRESHOLDS, **{k: float(v) for k, v in data.get("thresholds", {}).items()}},
                meta=data.get("meta", {}),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise not_a("newsgraph entity model", where, exc) from None


def load_entity_model(path: str | None = None) -> EntityModel | None:
    """The entity layer of a model file, of the shipped one (None), or none ('rules')."""
    from newsgraph.ingest.trained import load_model

    return load_model(path).entities


def refine(ents: ArticleEntities, model: EntityModel) -> None:
    """The model's decisions on top of the rules' entities: merges, then types, then descriptions."""
    if model.merges is not None:
        merge_clusters(ents, model)
    if model.types is not None:
        retype_clusters(ents, model)
    if model.descriptions is not None and model.anaphora is not None:
        link_descriptions(ents, model)
    ents.clusters = [c for c in ents.clusters if c.mentions]


# ---- what a cluster looks like ------------------------------------------------------------------
def _words(form: str) -> list[str]:
    return list(_split(form))


def _core_words(form: str) -> list[str]:
    """A name's words without honorifics, titles or "the" in front (a new list each call)."""
    return list(_core(form))


@lru_cache(maxsize=20_000)
def _split(form: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s]+", form.strip()) if w)


@lru_cache(maxsize=20_000)
def _core(form: str) -> tuple[str, ...]:
    from newsgraph.ingest.entities import HONORIFICS, NAME_TITLES

    words = [w.strip(".,'’") for w in _split(form)]
    words = [w for w in words if w]
    while len(words) > 1 and (words[0] in HONORIFICS or words[0] in NAME_TITLES or words[0].lower() == "the"):
        words = words[1:]
    return tuple(words)


def _name_forms(cl: Cluster) -> list[str]:
    """The cluster's forms that are names (not descriptions)."""
    out = [f for f in cl.forms if f[:1].isupper() or f[:1].isdigit() or f[:1] in "@"]
    out = [f for f in out if not f.lower().startswith(("the ", "this ", "its ", "his ", "her ", "their "))]
    return out or list(cl.forms)


def _ner_label(span: Span) -> str:
    labels = [t.ent_type_ for t in span if t.ent_type_]
    return labels[0] if labels else "NONE"


def _vector(token_or_text, vocab) -> np.ndarray | None:
    """A word's unit vector (none without one), from a cache per vocabulary: the features of an
    article's clusters and descriptions ask for the same few words thousands of times."""
    if isinstance(token_or_text, str):
        key, lex = token_or_text, None
    elif vocab.vectors.size:
        key, lex = token_or_text.orth, token_or_text
    else:
        return unit_vector(token_or_text)  # no static vectors: a token's is its context's (not cached)
    cache = owner_cache(_VECTORS, vocab, _VECTOR_CACHE)
    found = cache.get(key, False)
    if found is False:
        found = cache[key] = unit_vector(vocab[key] if lex is None else lex)
    return found


# id(vocab) -> (vocab, {word, orth or ("name", name): unit vector or None})
_VECTORS: dict[int, tuple[object, dict]] = {}
_VECTOR_CACHE = 8192  # words and names (about 2.5 kB each); emptied when full


def _similarities(vec: np.ndarray | None, centroids: dict[str, np.ndarray], prefix: str) -> list[tuple[str, float]]:
    """The cosine of a unit vector (or None: all 0) with each centroid whose key has this prefix, by
    the key after it, in the centroids' order: one product for them all, each row summed by NumPy as
    `nlp.dot` sums one vector (the same to the last bit on any CPU)."""
    keys, matrix, norms = _stacked(centroids, prefix)
    if vec is None or not keys:
        return [(k, 0.0) for k in keys]
    sims = np.add.reduce(matrix * vec, axis=1)
    return [(k, s / n if n else 0.0) for k, s, n in zip(keys, sims.tolist(), norms, strict=True)]


def _stacked(centroids: dict[str, np.ndarray], prefix: str) -> tuple[list[str], np.ndarray, list[float]]:
    """The centroids of a prefix as rows of one double-precision matrix (a model file's centroids
    load in single precision: widened once, not on every product), with their lengths, worked out
    once per model's centroids."""
    found = _STACKS.get((id(centroids), prefix))
    if found is None or found[0] is not centroids:
        keys = [k for k in centroids if k.startswith(prefix)]
        rows = [centroids[k].astype(np.float64) for k in keys]
        matrix = np.stack(rows) if rows else np.zeros((0, 0))
        found = _STACKS[(id(centroids), prefix)] = (
            centroids,
            ([k[len(prefix) :] for k in keys], matrix, [norm(row) for row in rows]),
        )
        if len(_STACKS) > 100:
            _STACKS.clear()
    return found[1]


_STACKS: dict[tuple[int, str], tuple[dict, tuple[list[str], np.ndarray, list[float]]]] = {}


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    for e in edges:
        if x < e:
            return f"<{e}"
    return f">={edges[-1]}"


# ---- merges -------------------------------------------------------------------------------------
def merge_pairs(ents: ArticleEntities) -> list[tuple[Cluster, Cluster]]:
    """Every pair of live clusters of the article, the one with the longer name first (training
    learns from all of them; extraction scores `merge_candidates`)."""
    live = [c for c in ents.clusters if c.mentions]
    longer_first = _longer_first(live)
    return [longer_first(a, b) for i, a in enumerate(live) for b in live[i + 1 :]]


def _longer_first(live: list[Cluster]):
    length = {id(c): len(_core_words(c.name)) for c in live}  # a name is worked out from all its mentions

    def order(a: Cluster, b: Cluster) -> tuple[Cluster, Cluster]:
        la, lb = length[id(a)], length[id(b)]
        return (a, b) if (la, -a.first) >= (lb, -b.first) else (b, a)

    return order


FUZZ_EDGES = (0.5, 0.7, 0.8, 0.9, 0.97)  # merge_features' buckets of how alike two names are spelt
# A pair of names spelt at least this alike (rapidfuzz's ratio) is a merge candidate without sharing
# a word: the 0.7 edge of the buckets, below which spelling counts against a merge.
FUZZ_CANDIDATE = round(FUZZ_EDGES[1] * 100)
CONNECTORS = {"of", "and", "the", "for"}  # words two names may share without being alike
ACRONYM_LETTERS = 8  # is_acronym's longest


def merge_candidates(ents: ArticleEntities, memo: dict | None = None) -> list[tuple[Cluster, Cluster]]:
    """The pairs of `merge_pairs` that can be one actor, in the same order: two names that share a
    word (other than a connector), an acronym and the initials or other letters it stands for, a
    spelling without spaces and punctuation, spellings at least FUZZ_CANDIDATE alike, or that stand
    one right after the other in brackets. Every other pair has nothing in its features that names
    it one actor (no shared word, a fuzz bucket that counts against): scoring them all made a long
    article's merges quadratic in its actors. On the dev set no such pair comes near the merge
    threshold (the highest is about 0.19 against 0.5), and merge_clusters scores any of them it
    needs for its veto when it needs it."""
    live = [c for c in ents.clusters if c.mentions]
    views = [_name_view(ents, c, memo) for c in live]
    pairs: set[tuple[int, int]] = set()

    def join(left: dict, right: dict | None = None) -> None:
        """Pairs within each key's group, or between a key's group on the left and on the right."""
        for key, group in left.items():
            others = group if right is None else right.get(key, ())
            for i in group:
                for j in others:
                    if i != j:
                        pairs.add((min(i, j), max(i, j)))

    words: dict[str, set[int]] = {}  # a word of a name
    linking: dict[str, set[int]] = {}  # a connector in a name, for a name that is nothing but connectors
    connector_only: dict[str, set[int]] = {}
    squashed: dict[str, set[int]] = {}  # a spelling without spaces and punctuation
    acronyms: dict[str, set[int]] = {}
    stands_for: dict[str, set[int]] = {}  # the acronyms a longer name can have: its initials, its letters
    starts: dict[int, set[int]] = {}
    for i, v in enumerate(views):
        for low in v.low:
            content = [w for w in low if w not in CONNECTORS]
            for w in content:
                words.setdefault(w, set()).add(i)
            for w in set(low) - set(content):
                (linking if content else connector_only).setdefault(w, set()).add(i)
        for k, form in enumerate(v.forms):
            if v.acronym[k]:
                acronyms.setdefault(form.upper(), set()).add(i)
            if v.words[k] >= 2:
                for acronym in {v.initials[k], *_subsequences(v.letters[k])} - {""}:
                    stands_for.setdefault(acronym, set()).add(i)
        for x in v.squash - {""}:  # a name of no Latin letter or digit is alike only in other ways
            squashed.setdefault(x, set()).add(i)
        for start in v.starts:
            starts.setdefault(start, set()).add(i)
    join(words)
    join(connector_only, linking)
    join(connector_only)
    join(squashed)
    join(acronyms, stands_for)
    # "National Investigation Agency (NIA)"
    join({i: {i} for i in range(len(views))}, {i: _after_brackets(v, starts) for i, v in enumerate(views)})
    pairs.update(_alike(views))
    longer_first = _longer_first(live)
    return [longer_first(live[i], live[j]) for i, j in sorted(pairs)]


def _subsequences(letters: str) -> set[str]:
    """The acronyms a name's first letters can make: 'NIAI' makes 'NIA', 'NII', 'NI', ... A name of
    more than a dozen words gives its first dozen."""
    from itertools import combinations

    letters = letters[:12]
    return {"".join(c) for n in range(2, min(len(letters), ACRONYM_LETTERS) + 1) for c in combinations(letters, n)}


def _after_brackets(v: _NameView, starts: dict[int, set[int]]) -> set[int]:
    """The clusters with a mention 1-3 characters after one of v's that a bracket follows."""
    return {j for end in v.bracket_ends for gap in (1, 2, 3) for j in starts.get(end + gap, ())}


def _alike(views: list[_NameView]) -> set[tuple[int, int]]:
    """The pairs of clusters with two name forms spelt at least FUZZ_CANDIDATE alike, found by
    rapidfuzz's cdist (its C loop, row blocks at a time to keep memory flat)."""
    from rapidfuzz import process

    forms, owner = [], []
    for i, v in enumerate(views):
        for x in dict.fromkeys(f.lower() for f in v.forms):
            forms.append(x)
            owner.append(i)
    out: set[tuple[int, int]] = set()
    for lo in range(0, len(forms), 512):
        scores = process.cdist(
            forms[lo : lo + 512], forms, scorer=fuzz.ratio, score_cutoff=FUZZ_CANDIDATE, dtype=np.uint8, workers=1
        )
        for r, c in zip(*np.nonzero(scores), strict=True):
            i, j = owner[lo + r], owner[c]
            if i != j:
                out.add((min(i, j), max(i, j)))
    return out


@dataclass
class _NameView:
    """What merge features read of one cluster, worked out once per scoring pass (clusters do not
    change while their pairs are scored): a pass over all pairs is then quadratic in clusters only,
    not in clusters times mentions."""

    forms: list[str]
    low: list[list[str]]  # each name form's core words, lower-cased
    acronym: list[bool]
    words: list[int]  # each form's number of words
    initials: list[str]  # each form's initials, upper-cased
    letters: list[str]  # each form's first letters, upper-cased
    labels: set[str]
    bracket_ends: list[int]  # end offsets of mentions a bracket follows
    starts: set[int]  # where mentions start whose text stands there in the body
    squash: set[str]
    sentences: set[int]
    vector: np.ndarray | None


def _name_view(ents: ArticleEntities, cl: Cluster, memo: dict | None) -> _NameView:
    from newsgraph.ingest.entities import initials, is_acronym
    from newsgraph.ingest.nlp import doc_text

    if memo is not None and ("name", id(cl)) in memo:
        return memo[("name", id(cl))]
    text = doc_text(ents.doc)
    forms = _name_forms(cl)
    spans = ents.spans(cl)
    view = _NameView(
        forms=forms,
        low=[[w.lower() for w in _core_words(x)] for x in forms],
        acronym=[is_acronym(x) for x in forms],
        words=[len(_words(x)) for x in forms],
        initials=[initials(x).upper() for x in forms],
        letters=["".join(w[0] for w in _words(x) if w[:1].isalpha()).upper() for x in forms],
        labels={_ner_label(s) for s in spans},
        bracket_ends=[s.end_char for s in spans if text[s.end_char : s.end_char + 3].startswith((" (", "("))],
        starts={m.start for m in cl.mentions if text.startswith(m.text, m.start)},
        squash={re.sub(r"[^a-z0-9]", "", x.lower()) for x in forms},
        sentences={m.sentence for m in cl.mentions},
        vector=_name_vector(ents, cl),
    )
    if memo is not None:
        memo[("name", id(cl))] = view
    return view


def merge_features(ents: ArticleEntities, a: Cluster, b: Cluster, memo: dict | None = None) -> dict[str, float]:
    """Features of a pair of clusters; `memo` keeps what is read of each cluster across the pairs of
    one pass (the clusters must not change in between)."""
    f: dict[str, float] = {"bias": 1.0}
    f[f"types={a.type}|{b.type}"] = 1.0
    if a.type == b.type:
        f["same_type"] = 1.0
    if a.gaz is not None and b.gaz is not None:
        f["gaz_both"] = 1.0
    elif a.gaz is not None or b.gaz is not None:
        f["gaz_one"] = 1.0
    va, vb = _name_view(ents, a, memo), _name_view(ents, b, memo)
    a_forms, b_forms = va.forms, vb.forms
    a_low, b_low = va.low, vb.low
    nb = min(len(w) for w in b_low) if b_low else 0
    na = max(len(w) for w in a_low) if a_low else 0
    f[f"len_b={min(nb, 3)}"] = 1.0
    f[f"len_a={min(na, 4)}"] = 1.0
    for aw in a_low:
        for bw in b_low:
            if not aw or not bw:
                continue
            if aw == bw:
                f["same_core"] = 1.0
            if len(bw) < len(aw):
                if aw[: len(bw)] == bw:
                    f["b_prefix_of_a"] = 1.0
                if aw[-len(bw) :] == bw:
                    f["b_suffix_of_a"] = 1.0
                if set(bw) <= set(aw):
                    f["b_words_in_a"] = 1.0
            if len(bw) == 1 and len(aw) >= 2:
                if bw[0] == aw[0]:
                    f["b_is_first_word"] = 1.0
                if bw[0] == aw[-1]:
                    f["b_is_last_word"] = 1.0
            if len(aw) >= 2 and len(bw) >= 2:
                if aw[0] == bw[0] and aw[-1] != bw[-1]:
                    f["same_first_other_last"] = 1.0
                    if fuzz.ratio(aw[-1], bw[-1]) >= 80:
                        f["same_first_close_last"] = 1.0
                if aw[-1] == bw[-1] and aw[0] != bw[0]:
                    f["same_last_other_first"] = 1.0
            shared = set(aw) & set(bw) - {"of", "and", "the", "for"}
            if shared:
                f["share_word"] = max(f.get("share_word", 0.0), len(shared) / max(len(set(bw)), 1))
    for i, x in enumerate(b_forms):
        for k, y in enumerate(a_forms):
            if vb.acronym[i] and va.words[k] >= 2:
                if x.upper() == va.initials[k]:
                    f["b_initials_of_a"] = 1.0
                elif _subsequence(x.upper(), va.letters[k]):
                    f["b_letters_in_a_initials"] = 1.0
            if va.acronym[k] and vb.words[i] >= 2 and y.upper() == vb.initials[i]:
                f["a_initials_of_b"] = 1.0
    best = max((fuzz.ratio(x.lower(), y.lower()) for x in a_forms for y in b_forms), default=0)
    f[f"fuzz={_bucket(best / 100, FUZZ_EDGES)}"] = 1.0
    if va.squash & vb.squash:
        f["same_letters"] = 1.0
    for x in sorted(va.labels):
        for y in sorted(vb.labels):
            f[f"ner={x}|{y}"] = 1.0
    # "National Investigation Agency (NIA)": one right after the other, in brackets
    if any(end + gap in vb.starts for end in va.bracket_ends for gap in (1, 2, 3)):
        f["b_in_brackets_after_a"] = 1.0
    if b.first < a.first:
        f["b_first"] = 1.0
    if va.sentences & vb.sentences:
        f["same_sentence"] = 1.0
    if va.vector is not None and vb.vector is not None:
        f["vector_cos"] = dot(va.vector, vb.vector)
    return f


def _subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(c in it for c in short)


def _name_vector(ents: ArticleEntities, cl: Cluster) -> np.ndarray | None:
    """The unit mean of the vectors of a name's core words (cached with the words' own)."""
    vocab = ents.doc.vocab
    cache = owner_cache(_VECTORS, vocab, _VECTOR_CACHE)
    key = ("name", cl.name)
    found = cache.get(key, False)
    if found is False:
        vs = [v for w in _core_words(cl.name) if (v := _vector(w, vocab)) is not None]
        found = None
        if vs:
            v = np.mean(vs, axis=0)
            n = norm(v)
            found = v / n if n else None
        cache[key] = found
    return found


def merge_clusters(ents: ArticleEntities, model: EntityModel) -> None:
    """Merge the pairs the model calls one actor, most certain first; two groups join only when no
    pair across them is clearly two actors."""
    assert model.merges is not None
    same = model.merges.classes.index(SAME)
    probs: dict[tuple[int, int], float] = {}
    scored = []
    memo: dict = {}  # the clusters do not change until every merge is decided
    pairs = merge_candidates(ents, memo)
    found = model.merges.proba_many([merge_features(ents, a, b, memo) for a, b in pairs])[:, same].tolist()
    for (a, b), p in zip(pairs, found, strict=True):
        probs[(id(a), id(b))] = probs[(id(b), id(a))] = p
        scored.append((p, a, b))
    longer_first = _longer_first([c for c in ents.clusters if c.mentions])

    def prob(x: Cluster, y: Cluster) -> float:
        """A pair's score, the pairs that were no candidates scored when first asked for."""
        p = probs.get((id(x), id(y)))
        if p is None:
            p = float(model.merges.proba(merge_features(ents, *longer_first(x, y), memo))[same])
            probs[(id(x), id(y))] = probs[(id(y), id(x))] = p
        return p

    group: dict[int, list[Cluster]] = {id(c): [c] for c in ents.clusters}
    floor = model.thresholds.get("merge_floor", 0.1)
    for p, a, b in sorted(scored, key=lambda s: -s[0]):
        if p < model.thresholds["merge"]:
            break
        ga, gb = group[id(a)], group[id(b)]
        if ga is gb:
            continue
        if any(prob(x, y) < floor for x in ga for y in gb):
            continue
        joined = ga + gb
        for c in joined:
            group[id(c)] = joined
    for members in {id(g): g for g in group.values()}.values():
        if len(members) < 2:
            continue
        into = max(members, key=lambda c: (c.gaz is not None, len(_core_words(c.name)), len(c.mentions), -c.first))
        for other in members:
            if other is not into:
                ents._merge(into, other)


# ---- types --------------------------------------------------------------------------------------
def type_features(ents: ArticleEntities, cl: Cluster, centroids: dict[str, np.ndarray]) -> Features:
    from newsgraph.ingest.entities import HONORIFICS, ROLE_WORDS, is_acronym

    doc = ents.doc
    f = Features({"bias": 1.0, f"rules={cl.type}": 1.0})
    if cl.gaz is not None:
        f[f"gaz={cl.gaz.type}"] = 1.0
    if cl.cls:
        f["has_class"] = 1.0
    country = next((k for x in _name_forms(cl) if (k := ents.gaz.country(x)) is not None), None)
    if country is not None:
        f[f"country={country[1]}"] = 1.0
    name = cl.name
    words = _core_words(name)
    f[f"words={min(len(words), 4)}"] = 1.0
    if is_acronym(name):
        f["acronym"] = 1.0
    if any(ch.isdigit() for ch in name):
        f["digit"] = 1.0
    if any(w[:1].islower() and w not in ("of", "and", "for", "the", "de", "on", "in") for w in words[1:]):
        f["lower_word"] = 1.0
    if name.lower() in ROLE_WORDS or (words and words[-1].lower() in ROLE_WORDS):
        f["role_word"] = 1.0
    if any(_words(x)[0] in HONORIFICS for x in cl.forms if _words(x)):
        f["honorific"] = 1.0
    if words:
        f[f"head={words[-1].lower()}"] = 1.0
        head_vec = _vector(words[-1].lower(), doc.vocab)
        name_vec = _name_vector(ents, cl)
        first_vec = _vector(words[0], doc.vocab) if len(words) > 1 else None
        heads = _similarities(head_vec, centroids, "name:")
        for (kind, head_sim), (_, name_sim) in zip(heads, _similarities(name_vec, centroids, "name:"), strict=True):
            f[f"head_sim_{kind}"] = head_sim
            f[f"name_sim_{kind}"] = name_sim
        if first_vec is not None:
            for kind, sim in _similarities(first_vec, centroids, "first:"):
                f[f"first_sim_{kind}"] = sim
        if name_vec is not None and VECTOR_FEATURES:
            f.dense = name_vec.astype(np.float64)  # the name's meaning: features v0, v1, ...
    spans = ents.spans(cl)
    n = max(len(spans), 1)
    f["mentions"] = math.log1p(len(spans))
    labels: dict[str, float] = {}
    for s in spans:
        lab = _ner_label(s)
        labels[lab] = labels.get(lab, 0.0) + 1.0 / n
        before = doc[s.start - 1] if s.start > 0 else None
        after = doc[s.end] if s.end < len(doc) else None
        if before is not None:
            if before.lower_ == "the":
                f["after_the"] = f.get("after_the", 0.0) + 1.0 / n
            if before.lower_ in ("in", "across", "from", "to", "at"):
                f[f"after_{before.lower_}"] = f.get(f"after_{before.lower_}", 0.0) + 1.0 / n
            if before.text[:1].isupper() and before.lower_ in ROLE_WORDS:
                f["after_title"] = f.get("after_title", 0.0) + 1.0 / n
        if after is not None:
            if after.text in ("'s", "’s", "'", "’"):
                f["possessive"] = f.get("possessive", 0.0) + 1.0 / n
            if after.text == "(" or after.text == ",":
                f[f"then_{after.text}"] = f.get(f"then_{after.text}", 0.0) + 1.0 / n
        root = s.root
        dep = root.dep_
        if dep in ("nsubj", "nsubjpass", "dobj", "pobj", "compound", "poss", "appos", "conj"):
            f[f"dep={dep}"] = f.get(f"dep={dep}", 0.0) + 1.0 / n
        if dep == "nsubj" and root.head.pos_ == "VERB":
            f["subject_of_verb"] = f.get("subject_of_verb", 0.0) + 1.0 / n
            if root.head.lemma_ in SPEECH_LEMMAS:
                f["speaker"] = f.get("speaker", 0.0) + 1.0 / n
        if dep == "compound" and root.head.lemma_.lower() in ROLE_WORDS:
            f["before_role"] = f.get("before_role", 0.0) + 1.0 / n
    for lab, v in labels.items():
        f[f"ner={lab}"] = v
    if country is not None:  # how a country is used: as a place ("in China") or as a state ("China said")
        for key in (
            "subject_of_verb",
            "speaker",
            "possessive",
            "after_in",
            "after_to",
            "after_from",
            "dep=pobj",
            "dep=dobj",
            "dep=compound",
            "dep=conj",
        ):
            if key in f:
                f["country&" + key] = f[key]
    return f


def retype_clusters(ents: ArticleEntities, model: EntityModel) -> None:
    """Each cluster gets the type the model finds likeliest; a country acting as a state becomes
    the organisation 'Government of X'; a title or generic noun is no entity."""
    assert model.types is not None
    scored = []
    for cl in ents.clusters:
        if not cl.mentions:
            continue
        if _only_in_datelines(ents, cl):
            cl.type = "Place"  # "AMSTERDAM - The court ...": where the story was filed, no actor
        else:
            scored.append(cl)
    # (a cluster's features read only itself, and typing one changes no other: all scored at once)
    probs = model.types.proba_many([type_features(ents, cl, model.centroids) for cl in scored])
    classes = model.types.classes
    acting = [k for k, c in enumerate(classes) if c not in ("Place", NOT_ACTOR)]
    addressed = _addressed_words(ents)
    for cl, p in zip(scored, probs, strict=True):
        label = classes[int(np.argmax(p))]
        if _names_a_country(ents, cl):
            # A country or its capital is a place or, acting, its government ("Baku wanted the deal
            # signed", "Kazakhstan offered to host"), never a person or another kind of actor, whichever
            # of those the model found it likest to: what it leans to is whether it acts.
            label = GOVERNMENT if float(p[acting].sum()) > 0.5 or _subject_of_a_deed(ents, cl) else "Place"
        elif _addressed_as_person(cl, addressed):
            label = "Person"  # "Mr Fall", "Ms Píriz": every one of the 146 so named in our gold is a person
        _apply_type(ents, cl, label)
    _join_governments(ents)
    ents._surname_tokens()  # a surname inside a dissolved "Newsom v. Trump" is the person's


PERSONAL_HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Mr.", "Mrs.", "Ms.")


def _addressed_as_person(cl: Cluster, addressed: set[str]) -> bool:
    """Whether the article calls the cluster Mr, Mrs, Ms, Miss or Mx: one of its forms, or the last
    word of its name of two or three capitalised words, follows one (`addressed`: the words that do)."""
    if any(len(w := f.split()) >= 2 and w[0] in PERSONAL_HONORIFICS and w[1][:1].isupper() for f in cl.forms):
        return True
    words = _core_words(cl.name)
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and words[-1] in addressed


def _addressed_words(ents: ArticleEntities) -> set[str]:
    """The capitalised words that follow Mr, Mrs, Ms, Miss or Mx in the article ("Mr Fall's campaign")."""
    found = re.findall(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.? ([^\W\d_][\w'’-]*)", doc_text(ents.doc))
    return {w.removesuffix("'s").removesuffix("’s") for w in found if w[:1].isupper()}


def _names_a_country(ents: ArticleEntities, cl: Cluster) -> bool:
    """Whether every name of a cluster is a country's or its capital's (the gazetteer's), whatever
    the NER or the vectors say. (Not a seat of government: "the White House", "the Kremlin" may be
    bodies of their own.)"""
    names = _name_forms(cl)
    return bool(names) and all((k := ents.gaz.country(x)) is not None and k[1] != "seat" for x in names)


def _subject_of_a_deed(ents: ArticleEntities, cl: Cluster) -> bool:
    """Whether a mention of the cluster is the subject of a verb, or joined by "and" to one ("Serbia
    and Hungary signed a deal", "Uganda and Kenya said"): a state acting. Not of "be" or "have"
    ("Ecuador is the biggest exporter"), nor a passive's subject ("Kenya was hit by floods")."""
    for s in ents.spans(cl):
        t = s.root
        while t.dep_ == "conj" and t.head is not t:
            t = t.head
        if t.dep_ == "nsubj" and t.head.pos_ == "VERB" and t.head.lemma_ not in ("be", "have"):
            return True
    return False


def _apply_type(ents: ArticleEntities, cl: Cluster, label: str) -> None:
    if label == NOT_ACTOR:
        # No actor ("Councillor", "Daily"): it stays a thing the events may name, but no actor, and a
        # description ("the Taoiseach") may still go to the person it describes.
        if cl.gaz is None:
            cl.type = "Other"
        return
    if label == GOVERNMENT:
        if cl.type == "Organisation" and not _names_a_country(ents, cl):
            return
        from newsgraph.ingest.gazetteer import GazetteerActor

        country = next((k[0] for x in _name_forms(cl) if (k := ents.gaz.country(x)) is not None), None)
        if country is not None:
            name = country.government
        else:
            the = any(m.text.lower().startswith("the ") for m in cl.mentions) or _after_the(ents, cl)
            name = f"Government of {'the ' if the else ''}{cl.name}"

        cl.gaz = GazetteerActor(name=name, type="Organisation", cls="government")
        cl.cls = "government"
        cl.type = "Organisation"
        return
    if label == "Other":
        if cl.type in ("Person", "Organisation") and cl.gaz is None:
            cl.type = "Other"
        return
    if cl.type in ("Document", "Other"):
        return  # an act, a report, an inquiry: what the rules found it to be stays
    if cl.gaz is not None and cl.gaz.type != label:
        return  # what the gazetteer knows wins
    if cl.type == "Organisation" and ents.gaz.body_by_name(cl.name):
        return  # and what its own name says ("Hale Water", "Kent County Council")
    cl.type = label


def _join_governments(ents: ArticleEntities) -> None:
    """A country's government takes in the other names of that country the article uses as places
    (its capital, its seat of government) and the plural of its people ('the Israelis'); not a place
    named only as where something happens ("signed in Budapest")."""
    governments: dict[str, Cluster] = {}
    for cl in ents.clusters:
        if cl.mentions and cl.gaz is not None and cl.gaz.name.startswith("Government of"):
            country = next((k[0] for x in cl.forms if (k := ents.gaz.country(x)) is not None), None)
            if country is not None:
                if country.name in governments:
                    ents._merge(governments[country.name], cl)
                else:
                    governments[country.name] = cl
    if not governments:
        return
    for cl in ents.clusters:
        if not cl.mentions or cl.type not in ("Place", "Organisation", "Other") or cl.gaz is not None:
            continue  # "Ottawa said", whatever the NER took it for
        if _only_in_datelines(ents, cl):
            continue
        country = next((k[0] for x in _name_forms(cl) if (k := ents.gaz.country(x)) is not None), None)
        if country is None or country.name not in governments:
            continue
        if cl.type == "Place" and _only_where(ents, cl):
            continue  # "signed in Budapest": where it happened, not who acted
        ents._merge(governments[country.name], cl)
    doc = ents.doc
    for name, gov in governments.items():
        country = ents.gaz.country(name)
        if country is None:
            continue
        for t in doc:
            if t.text in country[0].people and t.i not in ents.token_cluster:
                start = t.i - 1 if t.i > 0 and doc[t.i - 1].lower_ == "the" else t.i
                ents._assign(gov, doc[start : t.i + 1])


# prepositions whose object is where something happens ("talks in Budapest", "flights from Amman")
LOCATIVE = frozenset(
    ("in", "at", "from", "to", "into", "across", "near", "around", "throughout", "within", "outside", "inside")
    + ("through", "via")
)


def _only_where(ents: ArticleEntities, cl: Cluster) -> bool:
    """Whether every mention of a place says only where something happens ("talks in Budapest",
    "flights from Amman"): the object of a preposition of place, never a subject, an object or an
    owner ("Seoul said", "warning Seoul", "Beijing's stance"), where the name stands for the state."""
    return all(s.root.dep_ == "pobj" and s.root.head.lower_ in LOCATIVE for s in ents.spans(cl))


def _only_in_datelines(ents: ArticleEntities, cl: Cluster) -> bool:
    from newsgraph.ingest.nlp import datelines, doc_text

    places = [(a, b) for a, b, _ in datelines(doc_text(ents.doc))]
    return bool(places) and all(any(a <= m.start and m.end <= b for a, b in places) for m in cl.mentions)


def _after_the(ents: ArticleEntities, cl: Cluster) -> bool:
    doc = ents.doc
    return any(s.start > 0 and doc[s.start - 1].lower_ == "the" for s in ents.spans(cl))


# ---- descriptions -------------------------------------------------------------------------------
@dataclass
class Description:
    span: Span
    head: Token
    text: str


def descriptions(ents: ArticleEntities) -> list[Description]:
    """Definite noun phrases headed by a common noun ('the agency', 'its former president',
    "Beijing's foreign ministry", 'the chief executive of the trust') that are no name."""
    doc = ents.doc
    out = []
    seen: set[int] = set()
    lowers = token_lowers(doc)
    for i, pos in enumerate(token_pos(doc)):  # (a Token made only for the nouns)
        if pos not in ("NOUN", "PROPN") or i in seen:
            continue
        if pos == "PROPN" and lowers[i] not in _title_words():
            continue
        head = doc[i]
        if head.dep_ in ("compound", "amod") and head.head.i > head.i:
            continue  # a modifier of a longer phrase
        owned = ents.token_cluster.get(head.i)
        if owned is not None and owned.type in ("Person", "Organisation", "Place") and head.pos_ == "PROPN":
            continue
        left = [c for c in head.lefts]
        det = next((c for c in left if c.dep_ in ("det", "poss")), None)
        if det is None:
            continue
        indefinite_apposition = det.lower_ in ("a", "an") and head.dep_ == "appos"  # "Rana, a Canadian citizen"
        if det.dep_ == "det" and det.lower_ not in DETERMINERS and not indefinite_apposition:
            continue
        start = min(t.left_edge.i for t in left if t.i >= det.i) if left else head.i
        start = min(start, det.left_edge.i)
        end = head.i + 1
        prep = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in PREPOSITIONS_KEPT), None)
        if prep is not None:
            right = max(t.i for t in prep.subtree) + 1
            if right - start <= 10 and not any(t.text in (",", "(", "\n") for t in doc[end:right]):
                end = right
        if end - start > 12:
            continue
        span = doc[start:end]
        if any(t.pos_ == "VERB" for t in span if t.i != head.i) and end - start > 6:
            continue
        text = span.text.strip()
        if not text or "\n" in text:
            continue
        seen.add(head.i)
        out.append(Description(span, head, text))
    return out


@cache
def _title_words() -> frozenset[str]:
    from newsgraph.ingest.entities import ROLE_WORDS

    return frozenset(ROLE_WORDS | {"taoiseach", "president", "premier", "chancellor", "envoy", "ambassador"})


def description_candidates(ents: ArticleEntities, d: Description) -> list[Cluster]:
    """Clusters a description may name: any of the article (one named only later needs more
    certainty, see `link_descriptions`) but the person who is the subject of a verb above it ("Ada
    Moss said the head of transport had resigned" is about someone else; a body may speak of
    itself: "Boeing said the company would appeal")."""
    above = _subjects_above(ents, d.head)
    return [c for c in ents.clusters if c.mentions and not _speaks_of_another(c, above)]


def _speaks_of_another(c: Cluster, above: set[int]) -> bool:
    """Whether a cluster is a person who is the subject of a verb above the description (`above`:
    `_subjects_above`), and so not the one it names."""
    return c.type == "Person" and id(c) in above


GAP_CAP = 4  # sentences back to the candidate's last mention: 0, 1, 2, 3, 4 or more
AHEAD_CAP = 3  # sentences on to a candidate named only after the description: 0, 1, 2, 3 or more
RANK_CAP = 3  # a candidate's recency rank among those of its type: 0, 1, 2, 3 or more
# The supersenses of a description's head that description_features tells apart ("the congressman":
# person; "the firm": group; "the deal": act); the others are one value, "other".
HEAD_SENSES = ("person", "group", "location", "communication", "artifact", "act")


@dataclass
class _MentionView:
    """What description features read of one cluster, worked out once per scoring pass: its mentions
    in text order (starts, and the latest sentence up to each) and its mention tokens by offset."""

    name_words: set[str]
    last_vector: np.ndarray | None
    starts: list[int]
    latest_sentence: list[int]  # the largest sentence index among the mentions up to each
    first_sentence: int
    token_offsets: list[int]  # character offset of each mention token, sorted
    token_ids: list[int]  # their token indices, in the same order


def _mention_view(ents: ArticleEntities, c: Cluster, memo: dict | None) -> _MentionView:
    if memo is not None and ("mentions", id(c)) in memo:
        return memo[("mentions", id(c))]
    core = _core_words(c.name)
    last = core[-1].lower() if core else ""
    ordered = sorted(c.mentions, key=lambda m: m.start)
    latest, top = [], -1
    for m in ordered:
        top = max(top, m.sentence)
        latest.append(top)
    tokens = sorted((t.idx, t.i) for s in ents.spans(c) for t in s)
    view = _MentionView(
        name_words={w.lower() for x in _name_forms(c) for w in _core_words(x)},
        last_vector=_vector(last, ents.doc.vocab) if last else None,
        starts=[m.start for m in ordered],
        latest_sentence=latest,
        first_sentence=min(m.sentence for m in c.mentions),
        token_offsets=[idx for idx, _ in tokens],
        token_ids=[i for _, i in tokens],
    )
    if memo is not None:
        memo[("mentions", id(c))] = view
    return view


@dataclass
class _DescriptionView:
    """What the anaphora and description features read of the description alone, worked out once per
    scoring pass (its candidates ask the same of it, a dozen times for a long article's)."""

    lemma: str
    lower: str
    plural: bool
    person_noun: bool
    vector: np.ndarray | None
    sims: list[tuple[str, float]]  # the head's similarity to each description centroid
    senses: tuple[str, ...]  # the head's WordNet supersenses, commonest first
    modifiers: set[str]  # its other words, lower-cased
    cluster: Cluster | None  # what the rules made of its head
    sentence: int
    appositions: list[int]  # the tokens next to the head in the parse, in apposition with it
    copula_subjects: list[int]  # "X is the agency": the subjects of the verb the head is attribute of
    possessor: tuple[int, bool] | None  # its possessor's token, and whether it is a pronoun
    capitalised: bool
    sentence_start: bool


def _description_view(
    ents: ArticleEntities, d: Description, centroids: dict[str, np.ndarray], memo: dict | None
) -> _DescriptionView:
    from newsgraph.ingest.entities import PERSON_NOUNS, ROLE_WORDS

    key = ("description", id(d))
    if memo is not None and key in memo:
        return memo[key]
    head = d.head
    lemma = head.lemma_.lower()
    hv = _vector(head, ents.doc.vocab)
    poss = [t for t in d.span if t.dep_ == "poss" and t.head.i == head.i]
    sentence_of = ents._token_sentence
    starts = d.span.start
    view = _DescriptionView(
        lemma=lemma,
        lower=head.lower_,
        plural=head.tag_ in ("NNS", "NNPS"),
        person_noun=lemma in ROLE_WORDS or lemma in PERSON_NOUNS,
        vector=hv,
        sims=_similarities(hv, centroids, "desc:"),
        senses=supersenses(lemma) or supersenses(head.lower_),
        modifiers={t.lower_ for t in d.span if t.i != head.i},
        cluster=ents.token_cluster.get(head.i),
        sentence=sentence_of[head.i],
        appositions=[
            t.i for t in (head.head, *head.children) if t.i != head.i and (head.dep_ == "appos" or t.dep_ == "appos")
        ],
        copula_subjects=[s.i for s in head.head.children if s.dep_ == "nsubj"] if head.dep_ == "attr" else [],
        possessor=(poss[0].i, poss[0].lower_ in ("its", "his", "her", "their")) if poss else None,
        capitalised=head.text[:1].isupper(),
        sentence_start=starts == 0 or sentence_of[starts - 1] != sentence_of[starts],
    )
    if memo is not None:
        memo[key] = view
    return view


def description_features(
    ents: ArticleEntities,
    d: Description,
    c: Cluster,
    centroids: dict[str, np.ndarray],
    rank: dict,
    memo: dict | None = None,
) -> dict[str, float]:
    """Features of a description and a cluster it may name; `memo` keeps what is read of each
    cluster and of the description across one pass (the clusters must not change in between)."""
    doc = ents.doc
    head = d.head
    dv = _description_view(ents, d, centroids, memo)
    lemma = dv.lemma
    view = _mention_view(ents, c, memo)
    f: dict[str, float] = {"bias": 1.0}
    ctype = c.type if c.type in ("Person", "Organisation", "Place") else "Other"
    f[f"type={ctype}"] = 1.0
    f[f"head={lemma}|type={ctype}"] = 1.0
    if dv.plural:
        f["plural"] = 1.0
        f[f"plural|type={ctype}"] = 1.0
    person_noun = dv.person_noun
    if person_noun:
        f[f"person_noun|type={ctype}"] = 1.0
    for kind, sim in dv.sims:
        f[f"head_sim_{kind}|type={ctype}"] = sim
    # What kind of thing the head names in its commonest sense, against the candidate's type:
    # WordNet knows "envoy", "defendant" and "lawsuit" where the training articles may not. 5-fold
    # CV on the dev corpus, entity layer refit on two splits: aliases .688/.677 without, .692/.684
    # with (its other senses too: .695/.684, but "the letter" then looked like a person).
    sense = dv.senses[0] if dv.senses else "unknown"
    f[f"head_sense={sense if sense in HEAD_SENSES or sense == 'unknown' else 'other'}|type={ctype}"] = 1.0
    name_words = view.name_words
    if lemma in name_words or dv.lower in name_words:
        f["head_in_name"] = 1.0
    hv, lv = dv.vector, view.last_vector
    if hv is not None and lv is not None:
        f["head_name_cos"] = dot(hv, lv)
    if dv.modifiers & name_words - {"the", "of"}:
        f["modifier_in_name"] = 1.0
    if c.cls and lemma in ents.gaz.class_nouns.get(c.cls, []):
        f["class_noun"] = 1.0
    if any(lemma in r.split() or dv.lower in r.split() for r in c.roles):
        f["role_of"] = 1.0
    if c.roles:
        f.update(_role_features(ents, d, dv, c, memo))
    if dv.cluster is c:
        f["rules_chose"] = 1.0
    elif dv.cluster is not None:
        f["rules_other"] = 1.0
    lo, hi = d.span.start_char, d.span.end_char
    before = bisect_left(view.starts, lo)  # mentions that start before the description
    f["mentions_before"] = math.log1p(before)
    sent = dv.sentence
    if not before:
        f["after_only"] = 1.0
        ahead = view.first_sentence - sent
        f[f"ahead={min(ahead, AHEAD_CAP)}"] = 1.0
    else:
        gap = sent - view.latest_sentence[before - 1]
        f[f"gap={min(gap, GAP_CAP)}"] = 1.0
    within = view.token_ids[bisect_left(view.token_offsets, lo) : bisect_left(view.token_offsets, hi)]
    inside = [doc[i] for i in within if i != head.i]
    if inside and dv.cluster is not c:
        deps = {t.dep_ for t in inside if t.head.i == head.i or t.head.i in {x.i for x in inside}}
        f["inside_possessor" if "poss" in deps else "inside_modifier"] = 1.0
        f[f"inside|type={ctype}|person_noun={int(person_noun)}"] = 1.0
    r = rank.get(id(c))
    if r is not None:
        f[f"recent_rank={min(r, RANK_CAP)}|type={ctype}"] = 1.0
    # apposition and copula: "Xing, the envoy"; "the coroner, Heidi Connor"; "X is the agency"
    cluster_at = ents.token_cluster.get
    if any(cluster_at(i) is c for i in dv.appositions):
        f["apposition"] = 1.0
    if any(cluster_at(i) is c for i in dv.copula_subjects):
        f["copula"] = 1.0
    if dv.possessor is not None:
        owner_at, pronoun = dv.possessor
        owner = cluster_at(owner_at)
        if pronoun:
            f[f"pronoun_possessor|type={ctype}"] = 1.0
        elif owner is c:
            f["possessor_is_it"] = 1.0
        elif owner is not None:
            f[f"possessor_other|type={ctype}"] = 1.0
    if dv.capitalised:
        f["capitalised_head"] = 1.0
    if dv.sentence_start:
        f["sentence_start"] = 1.0
    return f


ROLE_FILLER = {"the", "a", "an", "of", "for", "to", "in", "at", "on", "and", "its", "his", "her", "their", "former"}


def _role_features(ents: ArticleEntities, d: Description, dv: _DescriptionView, c: Cluster, memo: dict | None) -> dict:
    """How a description matches the roles the text gives a candidate ('UKRI head Ian Chapman', 'Xing
    Haiming, the Chinese ambassador to Seoul'): its head's nearest role head by vector ('the envoy':
    an ambassador), a word of its own in a role ('the South Korean envoy': 'south korean ambassador'),
    and an actor named inside it whose name is in a role ('the head of UK Research and Innovation':
    'ukri head')."""
    words = {w for r in c.roles for w in r.split()}
    f: dict[str, float] = {}
    hv = dv.vector
    if hv is not None:
        heads = [_vector(r.split()[-1], ents.doc.vocab) for r in c.roles]
        f["role_head_cos"] = max((dot(hv, v) for v in heads if v is not None), default=0.0)
    if (dv.modifiers - ROLE_FILLER) & words:
        f["role_modifier"] = 1.0
    inside = {id(o): o for t in d.span if (o := ents.token_cluster.get(t.i)) is not None and o is not c}
    if any(_mention_view(ents, o, memo).name_words & words for o in inside.values()):
        f["role_names_inside"] = 1.0
    return f


def anaphora_features(
    ents: ArticleEntities, d: Description, centroids: dict[str, np.ndarray], memo: dict | None = None
) -> dict[str, float]:
    """What a description says by itself about naming an actor of the article; `memo` keeps the
    article's name words and what is read of the description across one pass (the clusters must not
    change in between)."""
    head = d.head
    dv = _description_view(ents, d, centroids, memo)  # (read again by its candidates' description_features)
    lemma = dv.lemma
    f: dict[str, float] = {"bias": 1.0, f"head={lemma}": 1.0}
    det = d.span[0].lower_
    f[f"det={det if det in DETERMINERS | {'a', 'an'} else 'possessor'}"] = 1.0
    if dv.plural:
        f["plural"] = 1.0
    if dv.person_noun:
        f["person_noun"] = 1.0
    if dv.capitalised:
        f["capitalised_head"] = 1.0
    f[f"dep={head.dep_}"] = 1.0
    f[f"length={min(len(d.span), 5)}"] = 1.0
    if any(t.dep_ == "prep" for t in head.children if t.i < d.span.end):
        f["with_prep"] = 1.0
    hv = dv.vector
    for kind, sim in dv.sims:
        f[f"head_sim_{kind}"] = sim
    names = memo.get("names") if memo is not None else None
    if names is None:
        names = {w.lower() for c in ents.clusters if c.mentions for x in _name_forms(c) for w in _core_words(x)}
        if memo is not None:
            memo["names"] = names
    if lemma in names or dv.lower in names:
        f["head_in_a_name"] = 1.0
    if dv.cluster is not None:
        f["rules_linked"] = 1.0
    roles = memo.get("roles") if memo is not None else None
    if roles is None:  # every word of a role the text gives a person ('ukri head', 'chinese ambassador')
        roles = {w for c in ents.clusters if c.mentions and c.type == "Person" for r in c.roles for w in r.split()}
        if memo is not None:
            memo["roles"] = roles
    if lemma in roles or dv.lower in roles:
        f["head_is_a_role"] = 1.0
    if any(i in ents.token_cluster for i in dv.appositions):
        f["apposition"] = 1.0
    firsts = memo.get("firsts") if memo is not None else None
    if firsts is None:  # each type's earliest cluster: a set of types per description, not a walk over clusters
        firsts = {}
        for c in ents.clusters:
            if c.mentions:
                firsts[c.type] = min(firsts.get(c.type, c.first), c.first)
        if memo is not None:
            memo["firsts"] = firsts
    types = {t for t, first in firsts.items() if first < d.span.start_char}
    for t in sorted(types):
        f[f"before_{t}"] = 1.0
    # what the article has named before it: the nearest last word of a name ("the school" after
    # "Harvard University"), and whether a body of a class the head names ("the watchdog": a regulator)
    before = [c for c in ents.clusters if c.mentions and c.first < d.span.start_char]
    if hv is not None:
        near = [_mention_view(ents, c, memo).last_vector for c in before]
        f["nearest_name_cos"] = max((dot(hv, v) for v in near if v is not None), default=0.0)
    classes = ents.gaz.noun_classes.get(lemma)
    if classes and any(c.cls in classes for c in before):
        f["class_named_before"] = 1.0
    return f


def _subjects_above(ents: ArticleEntities, head: Token) -> set[int]:
    """The clusters (by id) a mention of which is the subject of a verb above the description in the parse."""
    out: set[int] = set()
    doc = head.doc
    heads, children, deps, pos = token_heads(doc), token_children(doc), token_deps(doc), token_pos(doc)
    above = []  # the description's head and the words above it: a subject among them is no other's
    node = head.i
    while True:
        above.append(node)
        if heads[node] == node:
            break
        node = heads[node]
    for node in above[1:]:
        if pos[node] in ("VERB", "AUX"):
            for s in children[node]:
                if deps[s] in ("nsubj", "nsubjpass") and s not in above:
                    c = ents.token_cluster.get(s)
                    if c is not None:
                        out.add(id(c))
    return out


def link_descriptions(ents: ArticleEntities, model: EntityModel) -> None:
    """Each description the anaphora model finds to name an actor goes to the actor the ranking
    model scores highest among those `Shortlist` finds worth scoring; one the anaphora model doubts
    (down to the `description_floor` threshold) only when that score is `description_strong`."""
    from newsgraph.ingest.entities import GROUP_WORDS

    assert model.descriptions is not None and model.anaphora is not None
    link = model.descriptions.classes.index(LINK)
    refers = model.anaphora.classes.index(LINK)
    found = []
    memo: dict = {}  # the clusters do not change until every description is scored
    found_descriptions = descriptions(ents)
    # "the unions": each union the article names, which the event stage works out
    asked = [(n, d) for n, d in enumerate(found_descriptions) if d.head.lower_ not in GROUP_WORDS]
    anaphora = model.anaphora.proba_many([anaphora_features(ents, d, model.centroids, memo) for _, d in asked])
    floor = min(model.thresholds["description"], model.thresholds["description_floor"])
    # (asked first: most descriptions name no actor, and their shortlist costs more)
    naming = [(n, d, float(p)) for (n, d), p in zip(asked, anaphora[:, refers], strict=True) if p >= floor]
    shortlist = Shortlist(ents, found_descriptions, memo) if naming else None
    shortlisted = []  # (description, pa, its candidates, their features): all scored at once below
    for n, d, pa in naming:
        cands = shortlist.candidates(n)
        if cands:
            rank = shortlist.ranks(n, cands)
            feats = [description_features(ents, d, c, model.centroids, rank, memo) for _, c in cands]
            shortlisted.append((d, pa, cands, feats))
    links = iter(model.descriptions.proba_many([f for *_, feats in shortlisted for f in feats])[:, link].tolist())
    for d, pa, cands, _ in shortlisted:
        scored = [(next(links), -k, c) for k, c in cands]
        p, _, best = max(scored, key=lambda s: (s[0], s[1]))
        named_later = best.first > d.span.start_char and ents._token_sentence[d.head.i] not in {
            m.sentence for m in best.mentions
        }
        if pa < model.thresholds["description"] and p < model.thresholds["description_strong"]:
            continue  # a description the anaphora model doubts needs a clear actor
        if p >= model.thresholds["antecedent_later" if named_later else "antecedent"]:
            found.append((d, best))
    for d, best in found:
        current = ents.token_cluster.get(d.head.i)
        if current is best:
            continue
        if current is not None:
            ents.unassign(current, d.span)
        ents._assign(best, d.span, d.text)


class Shortlist:
    """The candidates of each description (`description_candidates`) worth scoring, from indexes
    built once per pass: scoring every description against every actor made a long article's
    descriptions quadratic. A candidate is kept when its features can set it apart from the rest of
    its type:
    - it is named within the sentences whose distance has a feature value of its own (GAP_CAP - 1
      before, AHEAD_CAP - 1 after the description's);
    - the description's head or another of its words is in its name, the head is a noun of its
      class or a word of a role it holds;
    - a token of the description or next to its head in the parse is one of its mentions
      (the rules' choice, an apposition, a copula, a possessor, a name inside);
    - it is among the RANK_CAP of its type named last before the description (ranked exactly as
      `_recency_rank` ranks all candidates), named most before it, or named first after it.
    Those left out differ from the kept clusters of their type only in how often they were named
    and how alike the head and the last word of their name are; on the dev set every description
    goes to the same actor as when all candidates are scored.
    """

    def __init__(self, ents: ArticleEntities, found: list[Description], memo: dict | None = None):
        self.ents = ents
        self.live = live = [c for c in ents.clusters if c.mentions]
        self.index = {id(c): k for k, c in enumerate(live)}
        self.views = views = [_mention_view(ents, c, memo) for c in live]
        self.sentences: dict[int, set[int]] = {}
        self.words: dict[str, set[int]] = {}
        self.roles: dict[str, set[int]] = {}
        self.classes: dict[str | None, set[int]] = {}
        mentions = []
        for k, (c, v) in enumerate(zip(live, views, strict=True)):
            for m in c.mentions:
                self.sentences.setdefault(m.sentence, set()).add(k)
                mentions.append((m.start, k, m.end))
            for w in v.name_words:
                self.words.setdefault(w, set()).add(k)
            for r in c.roles:
                for w in r.split():
                    self.roles.setdefault(w, set()).add(k)
            self.classes.setdefault(c.cls, set()).add(k)
        mentions.sort()
        self.mention_starts = [m[0] for m in mentions]
        self.mentions = mentions
        self.longest = max((end - start for start, _, end in mentions), default=0)
        # each type's clusters in the order the article first names them
        self.firsts: dict[str, list[tuple[int, int]]] = {}
        for k, v in enumerate(views):
            self.firsts.setdefault(live[k].type, []).append((v.starts[0], k))
        for items in self.firsts.values():
            items.sort()
        self.above = [_subjects_above(ents, d.head) for d in found]
        self.found = found
        self.latest: list[dict[int, int]] = [{} for _ in found]  # the last named of each type: rank
        self.most: list[set[int]] = [set() for _ in found]  # the most named of each type
        self._sweep()

    def _excluded(self, n: int, k: int) -> bool:
        return _speaks_of_another(self.live[k], self.above[n])

    def _sweep(self) -> None:
        """Through the mentions in text order, keeping each type's clusters in the order they were
        last named and the RANK_CAP named most, read at each description."""
        from collections import OrderedDict

        last: dict[str, OrderedDict[int, int]] = {}
        counts: dict[int, int] = {}
        most: dict[str, list[int]] = {}
        order = sorted(range(len(self.found)), key=lambda n: self.found[n].span.start_char)
        i = 0
        for n in order:
            pos = self.found[n].span.start_char
            while i < len(self.mentions) and self.mentions[i][0] < pos:
                start, k, _ = self.mentions[i]
                i += 1
                type_ = self.live[k].type
                recent = last.setdefault(type_, OrderedDict())
                recent[k] = start
                recent.move_to_end(k)
                counts[k] = counts.get(k, 0) + 1
                board = most.setdefault(type_, [])
                if k not in board:
                    if len(board) < RANK_CAP:
                        board.append(k)
                    else:
                        low = min(range(len(board)), key=lambda j: counts[board[j]])
                        if counts[k] > counts[board[low]]:
                            board[low] = k
            for recent in last.values():
                # walk back past the excluded until RANK_CAP are taken and no tie with the last taken is left
                taken: list[tuple[int, int]] = []
                for k in reversed(recent):
                    if len(taken) >= RANK_CAP and recent[k] < taken[-1][0]:
                        break
                    if not self._excluded(n, k):
                        taken.append((recent[k], k))
                taken.sort(key=lambda x: (-x[0], x[1]))  # `_recency_rank`: latest first, then in cluster order
                self.latest[n].update({k: r for r, (_, k) in enumerate(taken[:RANK_CAP])})
            self.most[n] = {k for board in most.values() for k in board}

    def candidates(self, n: int) -> list[tuple[int, Cluster]]:
        """The shortlist of the n-th description, each with its place among all the candidates, in
        their order."""
        ents, d = self.ents, self.found[n]
        head = d.head
        lemma = head.lemma_.lower()
        keep: set[int] = set(self.latest[n]) | self.most[n]
        sent = ents._token_sentence[head.i]
        for s in range(sent - (GAP_CAP - 1), sent + AHEAD_CAP):
            keep |= self.sentences.get(s, set())
        words = {lemma, head.lower_} | ({t.lower_ for t in d.span if t.i != head.i} - {"the", "of"})
        for w in words:
            keep |= self.words.get(w, set())
        for w in (lemma, head.lower_):
            keep |= self.roles.get(w, set())
        for cls in ents.gaz.noun_classes.get(lemma, []):
            keep |= self.classes.get(cls, set())
        for t in (*d.span, head.head, *head.children, *head.head.children):
            c = ents.token_cluster.get(t.i)
            if c is not None and id(c) in self.index:
                keep.add(self.index[id(c)])
        lo, hi = d.span.start_char, d.span.end_char
        first = bisect_left(self.mention_starts, lo - self.longest)
        for _, k, end in self.mentions[first : bisect_left(self.mention_starts, hi)]:
            if end > lo:
                keep.add(k)
        for items in self.firsts.values():  # the first named after the description, of each type
            taken = 0
            for _, k in items[bisect_left(items, (lo, -1)) :]:
                if taken == RANK_CAP:
                    break
                if not self._excluded(n, k):
                    keep.add(k)
                    taken += 1
        return [(k, self.live[k]) for k in sorted(keep) if not self._excluded(n, k)]

    def ranks(self, n: int, cands: list[tuple[int, Cluster]]) -> dict[int, int]:
        """`_recency_rank` of the n-th description's shortlist: the exact rank of the RANK_CAP of each
        type named last before it; RANK_CAP, the feature's last value, for the others named before it."""
        out = {id(self.live[k]): r for k, r in self.latest[n].items()}
        pos = self.found[n].span.start_char
        for k, c in cands:
            if id(c) not in out and self.views[k].starts[0] < pos:
                out[id(c)] = RANK_CAP
        return out


def _is_description_of(cl: Cluster, d: Description) -> bool:
    return any(m.start == d.span.start_char or m.text.lower() == d.text.lower() for m in cl.mentions)


def _recency_rank(ents: ArticleEntities, cands: list[Cluster], pos: int, memo: dict | None = None) -> dict[int, int]:
    """Each candidate's rank among those of its type by its last mention before `pos` (0: latest)."""
    out: dict[int, int] = {}
    by_type: dict[str, list[tuple[int, Cluster]]] = {}
    for c in cands:
        starts = _mention_view(ents, c, memo).starts
        k = bisect_left(starts, pos)
        last = starts[k - 1] if k else -1
        if last >= 0:
            by_type.setdefault(c.type, []).append((last, c))
    for items in by_type.values():
        for r, (_, c) in enumerate(sorted(items, key=lambda x: -x[0])):
            out[id(c)] = r
    return out
