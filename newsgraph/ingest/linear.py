"""A trained linear model as newsgraph keeps it: a multinomial logistic regression's classes,
feature names and weights, read and written as deterministic JSON, applied without scikit-learn."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

import numpy as np

from newsgraph.errors import ConfigError


def dump_json(data: dict) -> str:
    """Deterministic JSON: the same model gives the same bytes."""
    return json.dumps(data, sort_keys=True, indent=0, ensure_ascii=False) + "\n"


def not_a(what: str, where: str, exc: Exception) -> ConfigError:
    """The one-line error for a file that is not a `what` (e.g. 'newsgraph event model')."""
    return ConfigError(f"{where}: not a {what} ({' '.join(str(exc).split())[:80]})")


def load_json(text: str, what: str, where: str) -> object:
    """A model file's JSON, or the one-line error that it is not a `what`."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise not_a(what, where, exc) from None


def check_format(data: object, expected_format: str, what: str, where: str) -> None:
    """A ConfigError unless `data` is an object of the expected 'format'."""
    if not isinstance(data, dict) or data.get("format") != expected_format:
        found = data.get("format") if isinstance(data, dict) else None
        raise ConfigError(f"{where}: not a {what} (format {found!r}, expected {expected_format!r})")


class Features(dict):
    """One example's features by name, and perhaps a dense vector whose k-th component is the
    feature `v{k}` (a word's vector as 300 named entries cost more to build and look up than the
    rest of the model; as one array it is a single product)."""

    dense: np.ndarray | None = None

    def expanded(self) -> dict[str, float]:
        """Every feature by name, the vector's components too: what training and explanations read."""
        out = dict(self)
        if self.dense is not None:
            out.update(zip(vector_names(len(self.dense)), self.dense.tolist(), strict=True))
        return out


@lru_cache(maxsize=4)
def vector_names(dims: int) -> tuple[str, ...]:
    """The names of a dense vector's components as features: v0, v1, ..."""
    return tuple(f"v{i}" for i in range(dims))


def is_vector_feature(name: str) -> bool:
    """Whether a feature is a component of a dense vector (v0, v1, ...)."""
    return name[:1] == "v" and name[1:].isdigit()


@dataclass
class LinearModel:
    """A multinomial logistic regression: one weight per (class, feature)."""

    classes: list[str]
    features: list[str]
    coef: np.ndarray  # classes x features
    intercept: np.ndarray  # classes

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.features)}
        self._dense: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        # each feature's weights as a row, then a row of zeros, which every feature the model does not
        # know reads, and the intercept
        self._rows = np.vstack([self.coef.T, np.zeros((1, self.coef.shape[0])), self.intercept])

    def proba(self, feats: dict[str, float]) -> np.ndarray:
        """Class probabilities for one example's features (unknown features are ignored)."""
        return self.proba_many([feats])[0]

    def proba_many(self, examples: Sequence[dict[str, float]]) -> np.ndarray:
        """Class probabilities of many examples, a row each, in a few array operations for them all
        (an article asks for dozens of tiny products, whose numpy overhead cost more than the sums).
        Each example's terms, its intercept first, are summed in its own order, as a lone example's."""
        if not examples:  # (an article with no candidate of some kind: no arrays to make)
            return np.zeros((0, len(self.classes)))
        unknown, intercept = len(self.features), len(self.features) + 1  # the rows after the features'
        get = self.index.get
        cols: list[int] = []
        values: list[float] = []
        starts = []
        dense = []
        for k, feats in enumerate(examples):
            starts.append(len(cols))
            cols.append(intercept)
            cols.extend(map(get, feats, repeat(unknown)))
            values.append(1.0)
            values.extend(feats.values())
            if isinstance(feats, Features) and feats.dense is not None:
                dense.append(k)
        terms = self._rows.take(cols, axis=0)  # a row per term
        terms *= np.array(values)[:, None]
        z = np.add.reduceat(terms, starts, axis=0)
        for dims in {len(examples[k].dense) for k in dense}:
            known, coef = self._dense_weights(dims)
            same = [k for k in dense if len(examples[k].dense) == dims]
            whole = len(known) == dims  # the model knows every component: the vectors as they are
            vectors = np.stack([examples[k].dense if whole else examples[k].dense[known] for k in same]) @ coef.T
            if len(same) == len(examples):
                z += vectors
            else:
                z[same] += vectors
        if len(self.classes) == 2 and z.shape[1] == 1:  # a binary model keeps one row
            z = np.hstack([np.zeros_like(z), z])
        # (in place: the same operations, without a new array for each step)
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def weights(self, feats: dict[str, float], cls: str, against: str) -> dict[str, float]:
        """What each feature of this example the model knows weighs for `cls` against `against`."""
        if isinstance(feats, Features):
            feats = feats.expanded()
        c, n = self.classes.index(cls), self.classes.index(against)
        names = [name for name in feats if name in self.index]
        cols, values = self._known(feats)
        return dict(zip(names, ((self.coef[c, cols] - self.coef[n, cols]) * values).tolist(), strict=True))

    def _known(self, feats: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """The columns and values of the features this model knows, in the order of `feats`."""
        get = self.index.get
        cols = np.array([get(name, -1) for name in feats], dtype=np.intp)
        values = np.fromiter(feats.values(), dtype=float, count=len(cols))
        known = cols >= 0
        return cols[known], values[known]

    def _dense_weights(self, dims: int) -> tuple[np.ndarray, np.ndarray]:
        """Which components of a `dims`-long dense vector the model knows, and their weights."""
        found = self._dense.get(dims)
        if found is None:
            known = [k for k, name in enumerate(vector_names(dims)) if name in self.index]
            cols = [self.index[vector_names(dims)[k]] for k in known]
            found = self._dense[dims] = (np.array(known, dtype=np.intp), self.coef[:, cols])
        return found

    def to_dict(self) -> dict:
        return {
            "classes": self.classes,
            "intercept": {c: round(float(b), 4) + 0.0 for c, b in zip(self.classes, self.intercept, strict=True)},
            "weights": {
                c: {
                    f: round(float(w), 4) + 0.0
                    for f, w in zip(self.features, self.coef[k], strict=True)
                    if abs(w) >= 5e-5
                }
                for k, c in enumerate(self.classes)
            },
        }

    @classmethod
    def from_dict(cls, data: dict) -> LinearModel:
        classes = list(data["classes"])
        features = sorted({f for w in data["weights"].values() for f in w})
        index = {f: i for i, f in enumerate(features)}
        coef = np.zeros((len(classes), len(features)))
        for k, c in enumerate(classes):
            for f, w in data["weights"].get(c, {}).items():
                coef[k, index[f]] = w
        return cls(classes, features, coef, np.array([data["intercept"][c] for c in classes], dtype=float))

    @classmethod
    def from_sklearn(cls, clf, feature_names: list[str]) -> LinearModel:
        classes = [str(k) for k in clf.classes_]
        coef, intercept = clf.coef_, clf.intercept_
        if len(classes) == 2:  # sklearn keeps one row for two classes: the second class against the first
            coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
            intercept = np.array([0.0, intercept[0]])
        return cls(classes, list(feature_names), coef, intercept)
