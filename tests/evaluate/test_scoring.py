"""Our scorer follows the shared eval/score.py: unit cases written here, and the same numbers as the
shared script on the same predictions (skipped when ../shared is absent)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from newsgraph.evaluate.scoring import ArticleScore, Counts, norm, same_sentence, score

GOLD = {
    "article": "a.txt",
    "entities": [
        {"name": "Harbour Trust", "type": "Organisation", "aliases": ["the trust", "HT"]},
        {"name": "Ann Lee", "type": "Person", "aliases": ["Ms Lee"]},
        {"name": "Eastmere", "type": "Place", "aliases": []},
    ],
    "events": [
        {
            "category": "appoint_succeed",
            "trigger": "appointed",
            "agent": "Harbour Trust",
            "patient": "Ann Lee",
            "date": "2024-02-01",
            "evidence": "The Harbour Trust appointed Ann Lee as chair on Thursday.",
        },
        {
            "category": "statement",
            "trigger": "said",
            "agent": "Ann Lee",
            "patient": None,
            "date": None,
            "evidence": "Ms Lee said the port would grow.",
        },
    ],
    "speaks_for": {"Ann Lee": "Harbour Trust"},
}


def _pred(events, entities=None):
    entities = entities or [
        {"id": "o:ht", "name": "Harbour Trust", "type": "Organisation", "aliases": ["HT"]},
        {"id": "p:al", "name": "Ann Lee", "type": "Person", "aliases": ["Ms Lee", "Lee"]},
    ]
    return {"article": {"source": "dir/a.txt"}, "entities": entities, "events": events}


def _event(category, agents, patients, evidence, date=None):
    return {"category": category, "agents": agents, "patients": patients, "evidence": evidence, "date": date}


def test_norm_and_sentences_are_compared_as_the_shared_scorer_does():
    assert norm("The \u201cHarbour\u201d Trust's") == "harbour trust"
    assert same_sentence("The Harbour Trust appointed Ann Lee.", "the harbour trust appointed ann lee")
    assert not same_sentence("Ann Lee.", "The Harbour Trust appointed Ann Lee as chair on Thursday.")


def test_events_match_on_category_agent_patient_and_sentence():
    s1 = GOLD["events"][0]["evidence"]
    s2 = GOLD["events"][1]["evidence"]
    pred = _pred(
        [
            _event("appoint_succeed", ["o:ht"], ["p:al"], s1, "2024-02-01"),
            _event("statement", ["o:ht"], [], s2, "2024-02-03"),  # right only when the speaker's body counts
            _event("criticise", ["o:ht"], ["p:al"], s1),  # no such gold event
        ]
    )
    c = ArticleScore(GOLD, pred).counts()
    assert (c.events_tp, c.events_pred, c.events_gold) == (1, 3, 2)
    assert (c.events_lenient_tp, c.events_lenient_pred) == (2, 3)
    # dates over lenient matches: the appointment's day is right; the statement is undated in gold
    assert (c.dates_ok, c.dates_n, c.dates_all_ok, c.dates_all_n) == (1, 1, 1, 2)
    assert (c.entities_tp, c.entities_pred, c.entities_gold) == (2, 2, 2)
    # gold pairs: {harbour trust, trust, ht} -> 3, {ann lee, ms lee} -> 1; predicted inside gold: 2
    assert (c.aliases_tp, c.aliases_pred, c.aliases_gold) == (2, 2, 4)


def test_a_prediction_with_two_agents_is_two_events_and_a_missing_article_is_all_misses():
    s1 = GOLD["events"][0]["evidence"]
    pred = _pred([_event("appoint_succeed", ["o:ht", "p:al"], ["p:al"], s1)])
    c = ArticleScore(GOLD, pred).counts()
    assert (c.events_tp, c.events_pred) == (1, 2)
    result = score({"a.json": GOLD}, {})
    assert result["articles_missing"] == ["a.txt"]
    assert result["events"]["recall"] == 0.0 and result["events"]["gold"] == 2


def test_counts_add_up_over_articles():
    a = Counts(events_tp=1, events_pred=2, events_gold=4)
    b = Counts(events_tp=2, events_pred=2, events_gold=2)
    total = (a + b).scores()["events"]
    assert (total["tp"], total["pred"], total["gold"]) == (3, 4, 6)
    assert total["f1"] == round(2 * 0.75 * 0.5 / 1.25, 3)


@pytest.mark.slow
def test_the_same_numbers_as_the_shared_scorer(shared_dir, tmp_path):
    from newsgraph.ingest.pipeline import extract_many
    from newsgraph.ingest.sources import read_sources

    spec = importlib.util.spec_from_file_location("shared_score", shared_dir / "eval" / "score.py")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    data = Path(__file__).resolve().parents[1] / "data"
    preds = [ex.to_dict() for ex in extract_many(read_sources([str(data / "articles")]))]
    out = tmp_path / "pred.jsonl"
    out.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    theirs = shared.score(str(out), str(data / "gold"))
    golds = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((data / "gold").glob("*.json"))}
    ours = score(golds, {Path(p["article"]["source"]).name: p for p in preds})
    assert ours["events"]["tp"] > 0
    for key in ("entities", "aliases", "events", "events_lenient", "dates", "dates_all"):
        assert ours[key] == theirs[key], key
