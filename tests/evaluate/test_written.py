"""The articles written to teach the model (training/written): every gold file fits its article as
the shared format asks, says that its dates are not to be learnt from, and counts less than a real
article (`train_weight` 0.4)."""

from __future__ import annotations

import re

from newsgraph.evaluate.crossval import load_examples
from newsgraph.ingest.taxonomy import load_taxonomy
from newsgraph.model import ENTITY_TYPES


def test_every_written_gold_file_fits_its_article(written_set):
    examples = load_examples(*written_set)
    assert len(examples) >= 144
    categories = set(load_taxonomy())
    problems = []
    events = 0
    for ex in examples:
        body, gold = ex.article.body, ex.gold
        names = {e["name"] for e in gold["entities"]}
        if gold.get("train_dates") is not False:
            problems.append(f'{ex.name}: no "train_dates": false')
        if gold.get("train_weight") != 0.4:
            problems.append(f'{ex.name}: "train_weight" is {gold.get("train_weight")!r}, not 0.4')
        for ent in gold["entities"]:
            if ent["type"] not in ENTITY_TYPES:
                problems.append(f"{ex.name}: {ent['name']!r} has type {ent['type']!r}")
            problems += [f"{ex.name}: alias {a!r} not in the body" for a in ent["aliases"] if a not in body]
        for ev in gold["events"]:
            events += 1
            if ev["category"] not in categories:
                problems.append(f"{ex.name}: category {ev['category']!r}")
            if ev["evidence"] not in body or ev["trigger"] not in ev["evidence"]:
                problems.append(f"{ex.name}: evidence or trigger not in the text: {ev['trigger']!r}")
            roles = [ev[r] for r in ("agent", "patient") if ev[r] is not None]
            problems += [f"{ex.name}: {r!r} is no entity of the file" for r in roles if r not in names]
            if ev["date"] is not None and not re.fullmatch(r"\d{4}-\d\d(-\d\d)?", ev["date"]):
                problems.append(f"{ex.name}: date {ev['date']!r}")
        for speaker, body_name in (gold.get("speaks_for") or {}).items():
            if speaker not in names or body_name not in names:
                problems.append(f"{ex.name}: speaks_for {speaker!r} -> {body_name!r}")
    assert events > 1000
    assert not problems, problems[:10]
