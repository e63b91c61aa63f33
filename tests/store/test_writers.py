"""Several writers into Neo4j give exactly the graph one writer gives (every node, relationship and
property compared), also when a load is killed mid-way and run again; on the real server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from newsgraph.graph.resolve import ResolvingWriter
from newsgraph.store.embedded import EmbeddedStore
from tests.e2e.test_cli import _newsgraph
from tests.fixtures.load import HUB, hazard_corpus
from tests.fixtures.neo4j import SERVER, empty_server_store, graph_dump, needs_server, wipe

pytestmark = [pytest.mark.neo4j, needs_server]
PENDING = "MATCH (a:Article) WHERE a.pending IS NOT NULL RETURN count(a) AS n"


def _load(store, before, extractions, writers: int):
    """What `newsgraph load --writers N` does after a load of `before`: (status, merges) per article."""
    wipe(store)
    for ex in before:
        store.write(ex)
    writer = ResolvingWriter(store)
    return [(r.status, [m.record for m in merges]) for r, merges in writer.write_many(extractions, writers=writers)]


def test_four_writers_give_the_graph_one_writer_gives(tmp_path):
    before, extractions = hazard_corpus()
    with empty_server_store() as store:
        serial = _load(store, before, extractions, writers=1)
        one = graph_dump(store)
        snapshot = store.snapshot()
        parallel = _load(store, before, extractions, writers=4)
        stats = store.write_stats
        assert stats.peak_writers >= 2, "the writers never ran at once, so nothing was tested"
        assert graph_dump(store) == one
        assert parallel == serial
        assert store.query(PENDING) == [{"n": 0}]
        [hub] = store.query("MATCH (x:Actor {id: $id}) RETURN x.name AS name", {"id": HUB})
    statuses = [s for s, _ in serial]
    assert {s: statuses.count(s) for s in set(statuses)} == {"added": 51, "replaced": 9, "unchanged": 1}
    assert [m for _, ms in serial for m in ms] == [
        "Heidi Conner: same first name, surname spelt 1 letter apart (Conner/Connor), both coroners,"
        " both at Schools Inspectorate, both mentioned with Ada Ashby"
    ]
    # The spelling most articles give, not the first article's ("SCHOOLS INSPECTORATE"), whichever write came first.
    assert hub["name"] == "Schools Inspectorate"
    # The embedded store, loaded the same way (one writer), holds the same graph.
    with EmbeddedStore(tmp_path / "g.lbug") as embedded:
        for ex in before:
            embedded.write(ex)
        assert [(r.status, [m.record for m in ms]) for r, ms in ResolvingWriter(embedded).write_many(extractions)] == (
            serial
        )
        assert embedded.snapshot() == snapshot


def _run_load(jsonl, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [_newsgraph(), "load", str(jsonl), "--store", SERVER, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "NEWSGRAPH_STORE"},
    )


def _finish(process: subprocess.Popen) -> str:
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    return stderr


def test_a_load_killed_mid_way_and_run_again_gives_the_serial_graph(tmp_path):
    before, extractions = hazard_corpus(n=240, seed=5)
    first = tmp_path / "before.jsonl"
    first.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in before), encoding="utf-8")
    jsonl = tmp_path / "load.jsonl"
    jsonl.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in extractions), encoding="utf-8")
    with empty_server_store() as store:
        _finish(_run_load(first))
        _finish(_run_load(jsonl, "--writers", "1"))
        serial = graph_dump(store)

        wipe(store)
        _finish(_run_load(first))
        load = _run_load(jsonl, "--writers", "4")
        deadline = time.monotonic() + 300
        while store.counts()["articles"] < len(before) + 40:
            assert load.poll() is None, "the load ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        load.send_signal(signal.SIGKILL)
        load.wait(60)
        cut_off = store.counts()["articles"]
        assert cut_off < len(before) + len(extractions) - 1
        assert store.query(PENDING)[0]["n"] > 0  # written, not yet refreshed
        assert graph_dump(store) != serial

        again = _finish(_run_load(jsonl, "--writers", "4"))
        assert "unchanged" in again
        assert graph_dump(store) == serial
