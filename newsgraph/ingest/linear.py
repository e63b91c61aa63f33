"""A trained linear model as newsgraph keeps it: a multinomial logistic regression's classes,
feature names and weights, read and written as deterministic JSON, applied without scikit-learn."""

from __future__ import annotations

import json
from dataclasses import dataclass

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


@dataclass
class LinearModel:
    """A multinomial logistic regression: one weight per (class, feature)."""

    classes: list[str]
    features: list[str]
    coef: np.ndarray  # classes x features
    intercept: np.ndarray  # classes

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.features)}

    def proba(self, feats: dict[str, float]) -> np.ndarray:
        """Class probabilities for one example's features (unknown features are ignored)."""
        cols, values = self._known(feats)
        z = self.intercept + self.coef[:, cols] @ values
        if len(self.classes) == 2 and z.shape[0] == 1:  # a binary model keeps one row
            z = np.array([0.0, z[0]])
        z -= z.max()
        p = np.exp(z)
        return p / p.sum()

    def weights(self, feats: dict[str, float], cls: str, against: str) -> dict[str, float]:
        """What each feature of this example the model knows weighs for `cls` against `against`."""
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
