"""The use cases without the CLI: demo builds the graph ingest builds (cross-article resolution
included), ingest and load tell a watcher what they do and return what they did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph import jobs
from newsgraph.errors import InputError
from newsgraph.store import open_store
from tests.fixtures.world import world

pytestmark = pytest.mark.slow  # the demo and ingest load the spaCy pipeline


class Heard(jobs.Watcher):
    """A watcher that keeps what it is told."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.dry: list[tuple[str, str]] = []

    def say(self, line: str) -> None:
        self.lines.append(line)

    def listed(self, status, article) -> None:
        self.dry.append((status, article.source))


def _graph(uri: str) -> tuple[list, list]:
    with open_store(uri, read_only=True) as store:
        snap = store.snapshot()
    actors = sorted((a.id, a.name, tuple(sorted(a.aliases))) for a in snap.actors)
    events = sorted((e.id, e.category, tuple(e.agents), tuple(e.patients)) for e in snap.events)
    return actors, events


def test_demo_builds_the_graph_ingest_builds(tmp_path):
    heard = Heard()
    summary = jobs.demo(tmp_path / "demo", watcher=heard)
    # example 03 spells the coroner "Heidi Conner": resolved into Heidi Connor of example 02, as ingest does
    assert heard.lines == [
        "merged 'Heidi Conner' into Heidi Connor (same first name, surname spelt 1 letter apart (Conner/Connor),"
        " both senior coroners, both mentioned with Ofsted)"
    ]
    ingested = jobs.ingest([str(jobs.example_dir())], store=f"embedded:{tmp_path / 'ingest.lbug'}")
    demo_graph = _graph(f"embedded:{tmp_path / 'demo' / 'demo.lbug'}")
    assert demo_graph == _graph(f"embedded:{tmp_path / 'ingest.lbug'}")
    assert "person:heidi-conner" not in {actor_id for actor_id, _, _ in demo_graph[0]}
    assert f"{ingested.counts['actors']} actors, {ingested.counts['events']} events" in summary.splitlines()[0]
    assert (tmp_path / "demo" / "demo.html").exists() and (tmp_path / "demo" / "demo.ttl").exists()


def test_ingest_tells_skips_and_dry_runs_and_says_what_it_did(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("date: 2024-01-02\n\nThe Harbour Trust appointed Ann Lee as chair.\n")
    (folder / "empty.txt").write_text("")
    heard = Heard()
    uri = f"embedded:{tmp_path / 'g.lbug'}"
    dry = jobs.ingest([str(folder)], store=uri, dry_run=True, watcher=heard)
    assert dry.statuses == {"added": 1} and dry.summary().endswith(f"nothing written ({uri})")
    assert heard.dry == [("added", str(folder / "a.txt"))] and not (tmp_path / "g.lbug").exists()
    run = jobs.ingest([str(folder)], store=uri, watcher=heard)
    assert heard.lines == [f"skipped {folder / 'empty.txt'}: empty file"] * 2
    assert run.summary() == (
        f"1 added, 1 skipped (1 empty file); store holds 1 articles, {run.counts['actors']} actors,"
        f" {run.counts['events']} events ({uri})"
    )
    with pytest.raises(InputError, match="empty.txt: empty file \\(and --strict is set\\)"):
        jobs.ingest([str(folder)], store=uri, strict=True)


def test_load_writes_extractions_and_skips_what_is_not_one(tmp_path):
    lines = tmp_path / "shard.jsonl"
    lines.write_text("\n".join([json.dumps(ex.to_dict()) for ex in world()] + ["not json"]) + "\n")
    heard = Heard()
    run = jobs.load([str(lines)], store=f"embedded:{tmp_path / 'g.lbug'}", watcher=heard)
    assert run.statuses == {"added": 3} and run.counts["events"] == 9 and run.skipped == "1 skipped"
    assert heard.lines[-1].startswith(f"skipped {lines}:4: not an extraction record")
    with pytest.raises(InputError, match="nowhere.jsonl: no such file or directory"):
        jobs.load([str(tmp_path / "nowhere.jsonl")], store=f"embedded:{tmp_path / 'h.lbug'}")
    assert not (tmp_path / "h.lbug").exists()


def test_extract_in_one_process_streams_to_one_part_file_and_keeps_old_parts(tmp_path):
    from newsgraph.errors import OutputError
    from newsgraph.ingest.pipeline import extract_many

    article = Path(__file__).parent / "data" / "articles" / "t01_succession.txt"
    out = tmp_path / "parts"
    inputs = jobs.Inputs([str(article)])
    found = list(jobs.extract(inputs, jobs.settings(), out=str(out)))
    assert [p.name for p in out.iterdir()] == ["part-00000.jsonl"]
    (line,) = (out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == found[0].to_dict() == next(extract_many(jobs.Inputs([str(article)]))).to_dict()
    with pytest.raises(OutputError, match="already holds part files"):
        jobs.extract(jobs.Inputs([str(article)]), jobs.settings(), out=str(out))
