"""Training the entity layer from gold annotations: which named clusters are one actor, what each
cluster is, and which actor each definite description names.

Labels come from the gold's entities (type, name and every surface form in the body): a cluster
stands for the gold entity it shares most surface forms with. The three models are fitted in the
order extraction applies them, each on the output of the ones before it. Deterministic: articles in
file-name order, a solver with no randomness, weights rounded when saved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from newsgraph.evaluate.crossval import Example
from newsgraph.evaluate.scoring import norm
from newsgraph.ingest.entities import ArticleEntities, Cluster
from newsgraph.ingest.entity_model import (
    CENTROID_TYPES,
    DIFFERENT,
    GOVERNMENT,
    LINK,
    NO_LINK,
    NOT_ACTOR,
    SAME,
    EntityModel,
    _core_words,
    _name_forms,
    _recency_rank,
    _vector,
    anaphora_features,
    description_candidates,
    description_features,
    descriptions,
    merge_clusters,
    merge_features,
    merge_pairs,
    retype_clusters,
    type_features,
)
from newsgraph.ingest.linear import LinearModel
from newsgraph.ingest.pipeline import Extractor

# Regularisation of each logistic regression (smaller is stronger), chosen by cross-validation.
C_MERGES = 1.0
C_TYPES = 0.3
C_DESCRIPTIONS = 0.3
C_ANAPHORA = 0.3


class GoldEntities:
    """An article's gold entities as the scorer sees them: normalised surface forms and types."""

    def __init__(self, gold: dict):
        self.entities = gold["entities"]
        self.forms = [{norm(x) for x in (e["name"], *(e.get("aliases") or []))} - {""} for e in self.entities]

    def of(self, cl: Cluster) -> int | None:
        """The gold entity a cluster stands for: the one sharing most of its name forms."""
        forms = {norm(f) for f in _name_forms(cl)} - {""}
        best, overlap = None, 0
        for i, gforms in enumerate(self.forms):
            n = len(forms & gforms)
            if n > overlap:
                best, overlap = i, n
        return best

    def type_label(self, cl: Cluster, ents: ArticleEntities) -> str:
        i = self.of(cl)
        if i is None:
            return NOT_ACTOR
        ent = self.entities[i]
        if ent["type"] == "Organisation" and ent["name"].startswith("Government of") and cl.type == "Place":
            return GOVERNMENT
        if ent["type"] in ("Person", "Organisation", "Place"):
            return ent["type"]
        return "Other"


def _rules_entities(ex: Example, extractor: Extractor) -> ArticleEntities:
    return ArticleEntities(ex.parsed, extractor.gazetteer, ex.article.date, model=None)


def fit_entity_model(
    examples: list[Example],
    extractor: Extractor,
    c_merges: float = C_MERGES,
    c_types: float = C_TYPES,
    c_descriptions: float = C_DESCRIPTIONS,
    c_anaphora: float = C_ANAPHORA,
    thresholds: dict[str, float] | None = None,
    progress: Callable[[str], None] | None = None,
) -> EntityModel:
    """Fit the merge, type and description models on these (parsed) examples."""
    model = EntityModel()
    model.thresholds.update(thresholds or {})
    golds = [GoldEntities(ex.gold) for ex in examples]
    states = [_rules_entities(ex, extractor) for ex in examples]
    digest = hashlib.sha256()

    # 1. merges, on the rules' clusters
    mx, my = [], []
    for ents, gold in zip(states, golds, strict=True):
        for a, b in merge_pairs(ents):
            ga, gb = gold.of(a), gold.of(b)
            mx.append(merge_features(ents, a, b))
            my.append(SAME if ga is not None and ga == gb else DIFFERENT)
    model.merges = _logistic(mx, my, c_merges)
    _digest(digest, mx, my)
    if progress:
        progress(f"merges: {len(my)} pairs, {my.count(SAME)} the same actor")
    for ents in states:
        if model.merges is not None:
            merge_clusters(ents, model)

    # 2. types, on the merged clusters
    vocab = extractor.nlp.vocab
    heads = [
        (_core_words(c.name)[-1].lower(), gold.type_label(c, ents))
        for ents, gold in zip(states, golds, strict=True)
        for c in ents.clusters
        if c.mentions and _core_words(c.name)
    ]
    model.centroids = _centroids(heads, vocab, "name:")
    firsts = [
        (_core_words(c.name)[0], gold.type_label(c, ents))
        for ents, gold in zip(states, golds, strict=True)
        for c in ents.clusters
        if c.mentions and len(_core_words(c.name)) > 1
    ]
    model.centroids.update(_centroids(firsts, vocab, "first:"))
    tx, ty = [], []
    for ents, gold in zip(states, golds, strict=True):
        for c in ents.clusters:
            if c.mentions:
                tx.append(type_features(ents, c, model.centroids).expanded())
                ty.append(gold.type_label(c, ents))
    model.types = _logistic(tx, ty, c_types)
    _digest(digest, tx, ty)
    if progress:
        progress(f"types: {len(ty)} clusters")
    for ents in states:
        if model.types is not None:
            retype_clusters(ents, model)
        ents.clusters = [c for c in ents.clusters if c.mentions]

    # 3. descriptions, on the typed clusters: does it name an actor here, and which
    rows, anaphors = [], []
    for ents, gold in zip(states, golds, strict=True):
        for d in descriptions(ents):
            cands = description_candidates(ents, d)
            if not cands:
                continue
            form = norm(d.text)
            owner = next((i for i, forms in enumerate(gold.forms) if form in forms), None)
            right = [c for c in cands if owner is not None and gold.of(c) == owner]
            anaphors.append((ents, d, LINK if right else NO_LINK))
            if not right:
                continue
            rank = _recency_rank(ents, cands, d.span.start_char)
            for c in cands:
                rows.append((ents, d, c, rank, LINK if c in right else NO_LINK))
    linked = [(d.head.lemma_.lower(), _centroid_type(c)) for _, d, c, _, label in rows if label == LINK]
    model.centroids.update(_centroids(linked, vocab, "desc:"))
    dx = [description_features(ents, d, c, model.centroids, rank) for ents, d, c, rank, _ in rows]
    dy = [label for *_, label in rows]
    model.descriptions = _logistic(dx, dy, c_descriptions)
    memos: dict[int, dict] = {id(ents): {} for ents in states}  # what each article's pass reads once
    ax = [anaphora_features(ents, d, model.centroids, memos[id(ents)]) for ents, d, _ in anaphors]
    ay = [label for *_, label in anaphors]
    model.anaphora = _logistic(ax, ay, c_anaphora)
    _digest(digest, dx + ax, dy + ay)
    if progress:
        progress(f"descriptions: {len(ay)}, {ay.count(LINK)} naming an actor; {len(dy)} candidate pairs")
    model.meta = {
        "articles": len(examples),
        "merge_pairs": len(my),
        "clusters": len(ty),
        "description_pairs": len(dy),
        "C": {"merges": c_merges, "types": c_types, "descriptions": c_descriptions, "anaphora": c_anaphora},
        "data": digest.hexdigest()[:16],
    }
    return model


def _centroid_type(c: Cluster) -> str:
    return c.type if c.type in CENTROID_TYPES else "Other"


def _centroids(pairs, vocab, prefix: str) -> dict[str, np.ndarray]:
    """The mean unit vector of the head words of each type."""
    sums: dict[str, list[np.ndarray]] = {}
    for word, label in pairs:
        if label not in CENTROID_TYPES:
            continue
        v = _vector(word, vocab)
        if v is not None:
            sums.setdefault(label, []).append(v)
    return {prefix + k: np.round(np.mean(v, axis=0), 4).astype(np.float32) for k, v in sorted(sums.items())}


def _digest(digest, xs: list[dict], ys: list[str]) -> None:
    for feats, label in zip(xs, ys, strict=True):
        digest.update(repr((sorted((k, round(v, 6)) for k, v in feats.items()), label)).encode())


def _logistic(x_dicts: list[dict[str, float]], y: list[str], c: float) -> LinearModel | None:
    """A logistic regression, or none when the data has only one class (too few articles)."""
    if len(set(y)) < 2:
        return None
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(x_dicts)
    # Newton steps to a tight tolerance, as the event layer's (training.py, `_logistic`): L-BFGS
    # stopped where the word-vector features leave the loss flat, at weights up to 0.0007 apart on
    # two CPUs whose BLAS kernels sum in different orders; Newton-CG reaches the optimum itself.
    clf = LogisticRegression(C=c, max_iter=500, tol=1e-10, solver="newton-cg")
    clf.fit(X, y)
    return LinearModel.from_sklearn(clf, list(vec.get_feature_names_out()))
