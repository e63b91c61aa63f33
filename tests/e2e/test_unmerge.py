"""A merge undone as a user would, with no file to edit: `newsgraph unmerge` after `query merges`,
and the two kept apart when the article comes again. Articles of our Larkfield story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import run

pytestmark = pytest.mark.slow

STORY = Path(__file__).resolve().parents[1] / "data" / "clusters" / "larkfield" / "articles"
FINDINGS, LETTER = STORY / "l07_inquest_findings.txt", STORY / "l10_letter.txt"  # Dalglish, then Dalgleish


def _merges(store: Path) -> list[dict]:
    result = run("query", "merges", "--format", "json", store=store)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _coroners(store: Path) -> list[tuple[str, str]]:
    cypher = "MATCH (x:Actor) WHERE x.name STARTS WITH 'Fiona' RETURN x.id AS id, x.name AS name ORDER BY id"
    result = run("cypher", cypher, "--format", "json", store=store)
    assert result.returncode == 0, result.stderr
    return [(r["id"], r["name"]) for r in json.loads(result.stdout)]


def test_unmerge_undoes_a_merge_and_keeps_it_undone(tmp_path):
    store = tmp_path / "g.lbug"
    ingested = run("ingest", str(FINDINGS), str(LETTER), store=store)
    assert ingested.returncode == 0, ingested.stderr
    assert "merged 'Fiona Dalgleish' into Fiona Dalglish (same first name" in ingested.stderr
    assert _coroners(store) == [("person:fiona-dalglish", "Fiona Dalglish")]
    [merge] = _merges(store)
    assert merge["actor"] == "Fiona Dalglish" and merge["merged"][0].startswith("Fiona Dalgleish: ")

    done = run("unmerge", "Fiona Dalglish", "Fiona Dalgleish", store=store)
    assert done.returncode == 0, done.stderr
    assert "kept 'Fiona Dalgleish' apart from Fiona Dalglish (person:fiona-dalglish); extracted and wrote 1" in (
        done.stderr
    )
    assert _merges(store) == []
    apart = [("person:fiona-dalgleish", "Fiona Dalgleish"), ("person:fiona-dalglish", "Fiona Dalglish")]
    assert _coroners(store) == apart

    # The article again, once its own node has gone with it: still kept apart.
    assert run("remove", str(LETTER), store=store).returncode == 0
    again = run("ingest", str(LETTER), store=store)
    assert again.returncode == 0 and "merged" not in again.stderr, again.stderr
    assert _coroners(store) == apart

    # Nothing recorded to undo: one line, exit 2.
    missing = run("unmerge", "Fiona Dalglish", "Fiona Dalgleish", store=store)
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1
    assert "no merge of 'Fiona Dalgleish' into Fiona Dalglish is recorded" in missing.stderr
