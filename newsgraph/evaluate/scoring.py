"""Scores of extractions against gold annotations, by the rules of the shared scorer (eval/score.py).

Gold is one JSON object per article (`article`, `entities`, `events`, `speaks_for`); a prediction is
an `Extraction.to_dict()`. Counts are kept per article so that folds and corpora add up exactly as
the shared scorer's micro-averages do; `tests/evaluate/test_scoring.py` checks both agree.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field, fields

ACTOR_TYPES = {"person": "person", "organisation": "organisation", "organization": "organisation"}
MEASURES = ("entities", "aliases", "events", "events_lenient", "dates", "dates_all")


def norm(text: str | None) -> str:
    """A surface form as the scorer compares it: case, quotes, articles and punctuation folded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    text = re.sub(r"^(the|a|an)\s+", "", text.strip().lower())
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[\"'.,;:()\[\]]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def same_sentence(a: str, b: str) -> bool:
    """Two evidence strings are one sentence: equal, or one holds the other and is >= 0.6 of its length."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= 0.6 * len(long_)


def _actor_type(entity: dict) -> str | None:
    return ACTOR_TYPES.get(str(entity.get("type", "")).lower())


def _forms(entity: dict) -> set[str]:
    forms = {norm(entity.get("name"))} | {norm(a) for a in entity.get("aliases") or []}
    forms.discard("")
    return forms


@dataclass
class Counts:
    """Additive counts behind every measure: sum them over articles, then read the scores."""

    entities_tp: int = 0
    entities_pred: int = 0
    entities_gold: int = 0
    aliases_tp: int = 0
    aliases_pred: int = 0
    aliases_gold: int = 0
    events_tp: int = 0
    events_pred: int = 0
    events_gold: int = 0
    events_lenient_tp: int = 0
    events_lenient_pred: int = 0
    events_lenient_gold: int = 0
    dates_ok: int = 0
    dates_n: int = 0
    dates_all_ok: int = 0
    dates_all_n: int = 0
    missing: list[str] = field(default_factory=list)

    def __add__(self, other: Counts) -> Counts:
        out = Counts()
        for f in fields(self):
            setattr(out, f.name, getattr(self, f.name) + getattr(other, f.name))
        return out

    def entities_only(self) -> Counts:
        """These counts without the events and dates: an article annotated for its entities alone
        (`"train_events": false`) has no gold events to score predicted ones against."""
        keep = {f.name for f in fields(self) if f.name.startswith(("entities_", "aliases_")) or f.name == "missing"}
        return Counts(**{name: getattr(self, name) for name in keep})

    def scores(self) -> dict[str, float]:
        """F1 for entities, aliases and events; accuracy for dates."""
        out = {}
        for key in ("entities", "aliases", "events", "events_lenient"):
            out[key] = prf(getattr(self, f"{key}_tp"), getattr(self, f"{key}_pred"), getattr(self, f"{key}_gold"))
        out["dates"] = _accuracy(self.dates_ok, self.dates_n)
        out["dates_all"] = _accuracy(self.dates_all_ok, self.dates_all_n)
        return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


def _accuracy(ok: int, n: int) -> dict:
    return {"accuracy": round(ok / n, 3) if n else 0.0, "n": n}


def headline(scores: dict) -> dict[str, float]:
    """One number per measure: F1, or accuracy for the dates."""
    return {k: scores[k].get("f1", scores[k].get("accuracy")) for k in MEASURES}


class ArticleScore:
    """One gold article against its prediction (or none: all misses)."""

    def __init__(self, gold: dict, pred: dict | None):
        self.gold = gold
        self.pred = pred or {"entities": [], "events": []}
        self.gold_forms = {e["name"]: _forms(e) for e in gold["entities"]}
        self.pred_entities = {e["id"]: e for e in self.pred.get("entities", [])}
        self.pred_forms = {i: _forms(e) for i, e in self.pred_entities.items()}
        self.speaks_for = {norm(k): norm(v) for k, v in (gold.get("speaks_for") or {}).items()}

    def gold_name_of(self, pred_id: str | None) -> str | None:
        """The gold entity a predicted one denotes: the one sharing most surface forms (first on ties)."""
        forms = self.pred_forms.get(pred_id) if pred_id is not None else None
        if not forms:
            return None
        best, overlap = None, 0
        for name, gforms in self.gold_forms.items():
            n = len(forms & gforms)
            if n > overlap:
                best, overlap = name, n
        return best

    def counts(self) -> Counts:
        c = Counts()
        c.entities_tp, c.entities_pred, c.entities_gold = self._entity_counts()
        gold_pairs, pred_pairs = self._alias_pairs()
        c.aliases_tp, c.aliases_pred, c.aliases_gold = len(gold_pairs & pred_pairs), len(pred_pairs), len(gold_pairs)
        pairs, c.events_pred, c.events_gold = self.match_events(lenient=False)
        c.events_tp = len(pairs)
        pairs, c.events_lenient_pred, c.events_lenient_gold = self.match_events(lenient=True)
        c.events_lenient_tp = len(pairs)
        for g, p in pairs:
            c.dates_all_n += 1
            if not g.get("date"):
                c.dates_all_ok += not p.get("date")
                continue
            c.dates_n += 1
            got = p.get("date") or ""
            ok = got[: len(g["date"])] == g["date"] and len(got) >= len(g["date"])
            c.dates_ok += ok
            c.dates_all_ok += ok
        return c

    def _entity_counts(self) -> tuple[int, int, int]:
        gold = [e for e in self.gold["entities"] if _actor_type(e)]
        pred = [e for e in self.pred_entities.values() if _actor_type(e)]
        taken: set[int] = set()
        tp = 0
        for p in pred:
            forms = self.pred_forms[p["id"]]
            for i, g in enumerate(gold):
                if i not in taken and _actor_type(g) == _actor_type(p) and forms & _forms(g):
                    taken.add(i)
                    tp += 1
                    break
        return tp, len(pred), len(gold)

    def _alias_pairs(self) -> tuple[set, set]:
        universe = set().union(*self.gold_forms.values()) if self.gold_forms else set()
        gold_pairs: set[frozenset] = set()
        pred_pairs: set[frozenset] = set()
        for forms in self.gold_forms.values():
            gold_pairs.update(frozenset(p) for p in itertools.combinations(sorted(forms), 2))
        for forms in self.pred_forms.values():
            pred_pairs.update(frozenset(p) for p in itertools.combinations(sorted(forms & universe), 2))
        return gold_pairs, pred_pairs

    def expanded_predictions(self) -> list[dict]:
        """A predicted event as one event per (agent, patient) pair, actors named by their gold names."""
        out = []
        for ev in self.pred.get("events", []):
            for a, p in itertools.product(ev.get("agents") or [None], ev.get("patients") or [None]):
                out.append(
                    {
                        "category": ev.get("category"),
                        "agent": self.gold_name_of(a),
                        "patient": self.gold_name_of(p),
                        "date": ev.get("date"),
                        "evidence": ev.get("evidence", ""),
                        "event": ev,
                    }
                )
        return out

    def match_events(self, lenient: bool) -> tuple[list[tuple[dict, dict]], int, int]:
        """Greedy one-to-one matches of gold events (in gold order) to expanded predictions."""
        preds = self.expanded_predictions()
        used: set[int] = set()
        pairs = []
        for g in self.gold["events"]:
            for i, p in enumerate(preds):
                if i in used or p["category"] != g["category"] or not same_sentence(p["evidence"], g["evidence"]):
                    continue
                if not self._agent_matches(p["agent"], g["agent"], lenient):
                    continue
                if not lenient and g["patient"] is not None and p["patient"] != g["patient"]:
                    continue
                used.add(i)
                pairs.append((g, p))
                break
        return pairs, len(preds), len(self.gold["events"])

    def _agent_matches(self, pred: str | None, gold: str | None, lenient: bool) -> bool:
        if gold is None:
            return lenient or pred is None
        if pred == gold:
            return True
        if lenient and pred is not None:
            a, b = norm(pred), norm(gold)
            return self.speaks_for.get(a) == b or self.speaks_for.get(b) == a
        return False


def score(golds: dict[str, dict], predictions: dict[str, dict]) -> dict:
    """Scores over gold articles (by file name) against predictions keyed the same way."""
    total = Counts()
    for name in sorted(golds):
        gold = golds[name]
        pred = predictions.get(gold["article"])
        counts = ArticleScore(gold, pred).counts()
        if pred is None:
            counts.missing.append(gold["article"])
        total = total + counts
    return {"articles_missing": total.missing, **total.scores()}
