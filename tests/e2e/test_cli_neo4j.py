"""The CLI end to end on a real Neo4j (`--store bolt://…`), beside the same commands on an embedded
store: ingest, every catalogue query, cypher, explain, export and viz give the same answers; and
the faults a user meets on a server (wrong password, no such database, a write in a read-only
query, the server stopped mid-load and restarted) are one-line errors with the documented exit
codes that never print the password."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from newsgraph import queries
from newsgraph.model import Extraction
from newsgraph.store.rows import reports
from tests.e2e.test_cli import ARTICLES, N, _newsgraph
from tests.fixtures.neo4j import SERVER, LocalServer, empty_server_store, needs_server
from tests.queries.test_backends_agree import _comparable

pytestmark = [pytest.mark.neo4j, pytest.mark.slow, needs_server]
PASSWORD = os.environ.get("NEO4J_PASSWORD", "")


def run(*args: str, store: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NEWSGRAPH_STORE", None)
    return subprocess.run(
        [_newsgraph(), *args, "--store", store], capture_output=True, text=True, env=full_env, timeout=timeout
    )


def _one_line_error(result: subprocess.CompletedProcess, code: int, says: str, *secrets: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsgraph: error: ") and says in lines[0], result.stderr
    for secret in (PASSWORD, *secrets):
        if secret:
            assert secret not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The test articles ingested by the CLI into the server (three writers) and into an embedded
    store (one): every test comparing the two also checks that parallel writes give the serial graph."""
    embedded = f"embedded:{tmp_path_factory.mktemp('cli') / 'g.lbug'}"
    with empty_server_store():
        for store, writers in ((SERVER, "3"), (embedded, "1")):
            result = run("ingest", "--writers", writers, str(ARTICLES), store=store)
            assert result.returncode == 0, result.stderr
            assert f"{N} added" in result.stderr
        yield SERVER, embedded


def _json(result: subprocess.CompletedProcess):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_ingest_again_changes_nothing(stores):
    server, _ = stores
    again = run("ingest", str(ARTICLES), store=server)
    assert again.returncode == 0 and f"{N} unchanged" in again.stderr, again.stderr
    dry = run("ingest", "--dry-run", str(ARTICLES), store=server)
    assert dry.returncode == 0 and dry.stdout.count("unchanged\t") == N


def test_every_catalogue_query_answers_alike(stores):
    server, embedded = stores
    events = _json(run("query", "events", "--format", "json", store=embedded))
    sample = {"actor": "Lena Brook", "a": "Lena Brook", "b": "WSA", "text": "brook", "event": events[0]["id"]}
    for name, query in queries.catalogue().items():
        args = [f"{p.name}={sample[p.name]}" for p in query.params if p.required or p.name == "actor"]
        params = [arg for pair in (("--param", a) for a in args) for arg in pair]
        theirs = _json(run("query", name, *params, "--format", "json", store=server))
        mine = _json(run("query", name, *params, "--format", "json", store=embedded))
        assert _comparable(theirs) == _comparable(mine), name
        assert mine or name == "merges", f"{name} gave no rows"


def test_cypher_explain_and_upgrade(stores):
    server, embedded = stores
    count = "MATCH (e:Event)-[:AGENT]->(x:Actor) RETURN count(*) AS n"
    assert _json(run("cypher", count, "--format", "json", store=server)) == _json(
        run("cypher", count, "--format", "json", store=embedded)
    )
    [row] = _json(run("query", "events", "--param", "category=appoint_succeed", "--format", "json", store=server))[:1]
    explained = run("explain", row["id"], store=server)
    assert explained.returncode == 0 and "appoint_succeed" in explained.stdout, explained.stderr
    assert run("explain", "ev_doesnotexist", store=server).returncode == 2
    upgraded = run("upgrade", store=server)
    assert upgraded.returncode == 0 and "is up to date" in upgraded.stderr


def test_export_is_the_same_graph(stores, tmp_path):
    server, embedded = stores
    for fmt in ("nt", "ttl"):
        ours, theirs = tmp_path / f"e.{fmt}", tmp_path / f"n.{fmt}"
        assert run("export", "--format", fmt, "-o", str(ours), store=embedded).returncode == 0
        result = run("export", "--format", fmt, "-o", str(theirs), "--validate", store=server)
        assert result.returncode == 0 and "SHACL validation passed" in result.stderr, result.stderr
    triples = [sorted(p.read_text(encoding="utf-8").splitlines()) for p in (tmp_path / "e.nt", tmp_path / "n.nt")]
    assert triples[0] == triples[1] and len(triples[0]) > 100
    some = tmp_path / "some.nt"
    assert run("export", "--format", "nt", "-o", str(some), "--actor", "WSA", store=server).returncode == 0
    assert "Lena Brook" in some.read_text(encoding="utf-8")


def test_viz_from_the_server(stores, tmp_path):
    server, _ = stores
    html = tmp_path / "net.html"
    result = run("viz", "-o", str(html), "--actor", "WSA", "--hops", "2", store=server)
    assert result.returncode == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "Lena Brook" in page and '<script src="http' not in page


def test_analyze_writes_the_same_metrics_back(stores):
    server, embedded = stores
    metrics = "MATCH (x:Actor) WHERE x.pagerank IS NOT NULL RETURN x.id AS id, x.degree AS degree, x.community AS c"
    for store in (server, embedded):
        result = run("analyze", "--write", "--format", "json", store=store)
        assert result.returncode == 0 and "wrote metrics of" in result.stderr, result.stderr
    theirs = _json(run("cypher", metrics, "--format", "json", store=server))
    mine = _json(run("cypher", metrics, "--format", "json", store=embedded))
    assert sorted((r["id"], r["degree"]) for r in theirs) == sorted((r["id"], r["degree"]) for r in mine)
    assert len(theirs) > 5


def test_remove_then_load_what_extract_gave(stores, tmp_path):
    server, _ = stores
    one = ARTICLES / "t03_court.txt"
    assert run("remove", str(one), store=server).returncode == 0
    left = _json(run("cypher", "MATCH (a:Article) RETURN count(a) AS n", "--format", "json", store=server))
    assert left == [{"n": N - 1}]
    _one_line_error(run("remove", "no-such-article", store=server), 2, "no such article")
    extracted = subprocess.run([_newsgraph(), "extract", str(one), "--format", "jsonl"], capture_output=True, text=True)
    jsonl = tmp_path / "one.jsonl"
    jsonl.write_text(extracted.stdout, encoding="utf-8")
    loaded = run("load", str(jsonl), store=server)
    assert loaded.returncode == 0 and "1 added" in loaded.stderr, loaded.stderr


# -- faults and credentials -------------------------------------------------------------------------


def test_wrong_password_is_refused_without_printing_it():
    wrong = "not-the-password-4711"
    result = run("query", "actors", "--password", wrong, store=SERVER)
    _one_line_error(result, 1, "credentials refused (check", wrong)
    from_env = run("cypher", "RETURN 1 AS one", store=SERVER, env={"NEO4J_PASSWORD": wrong})
    _one_line_error(from_env, 1, "credentials refused (check", wrong)
    in_uri = run("query", "actors", store=SERVER.replace("://", f"://neo4j:{wrong}@", 1))
    _one_line_error(in_uri, 1, "credentials refused (check", wrong)
    # Three failures in a row: Neo4j now refuses the user for a while (5 s by default), even with
    # the right password, and says so.
    locked = run("query", "actors", store=SERVER)
    _one_line_error(locked, 1, "credentials refused too many times in a row", wrong)
    deadline = time.monotonic() + 60
    while run("cypher", "RETURN 1 AS one", store=SERVER).returncode != 0:
        assert time.monotonic() < deadline, "the server still refuses the right password"
        time.sleep(1)


@pytest.mark.parametrize("command", [("query", "actors"), ("ingest", str(ARTICLES / "t01_succession.txt"))])
def test_a_database_that_does_not_exist(command):
    result = run(*command, "--database", "nosuchdb", store=SERVER)
    _one_line_error(result, 1, "database 'nosuchdb' does not exist")
    routed = run(*command, "--database", "nosuchdb", store=SERVER.replace("bolt://", "neo4j://", 1))
    _one_line_error(routed, 1, "database 'nosuchdb' does not exist")


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE (a:Actor {id: 'x', name: 'x'})",
        "MATCH (a:Actor) SET a.name = 'changed' RETURN count(a) AS n",
        "MATCH (a:Article) DETACH DELETE a",
        "CREATE INDEX zed IF NOT EXISTS FOR (a:Actor) ON (a.kind)",
    ],
)
def test_cypher_that_writes_is_refused(stores, statement):
    server, _ = stores
    before = _json(run("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json", store=server))
    _one_line_error(run("cypher", statement, store=server), 2, "read-only")
    assert _json(run("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json", store=server)) == before


def _generated(tmp_path: Path, n: int) -> tuple[Path, list[Extraction]]:
    from tests.queries.test_unfiltered import corpus

    extractions = corpus(n_articles=n, seed=11)
    jsonl = tmp_path / "gen.jsonl"
    jsonl.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in extractions), encoding="utf-8")
    return jsonl, extractions


def test_server_stopped_mid_load_then_restarted(tmp_path):
    """A load cut off by the server stopping ends with a one-line error (exit 1); after a restart the
    articles it committed are whole, and running the load again gives the graph a load without the
    fault gives."""
    LocalServer.require()
    from newsgraph.store import open_store
    from newsgraph.store.neo4j import Neo4jStore

    jsonl, extractions = _generated(tmp_path, 150)
    serial = f"embedded:{tmp_path / 'serial.lbug'}"
    assert run("load", str(jsonl), store=serial).returncode == 0

    server = LocalServer(tmp_path / "neo4j")
    server.start()
    try:
        env = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": server.password}
        load = subprocess.Popen(
            [_newsgraph(), "load", str(jsonl), "--store", server.uri],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **env},
        )
        with Neo4jStore(server.uri, password=server.password) as watcher:
            deadline = time.monotonic() + 120
            while watcher.counts()["articles"] < 10:
                assert load.poll() is None, "the load ended before the server was stopped"
                assert time.monotonic() < deadline
                time.sleep(0.1)
        server.stop()
        stdout, stderr = load.communicate(timeout=120)
        cut_off = subprocess.CompletedProcess(load.args, load.returncode, stdout, stderr)
        _one_line_error(cut_off, 1, f"Neo4j at {server.uri}: ", server.password)

        server.start()  # the same data
        by_id = {ex.article.id: ex for ex in extractions}
        with open_store(server.uri, password=server.password) as store:
            stored = store.snapshot()
            assert 10 <= len(stored.articles) < len(extractions)
            for article in stored.articles:  # each committed article whole: every report of it (rows.reports)
                told = [r.id for e in stored.events for r in e.reports if r.article == article.id]
                assert sorted(told) == sorted(r.id for r in reports(by_id[article.id])), article.id

        again = run("load", str(jsonl), store=server.uri, env=env)
        assert again.returncode == 0, again.stderr
        assert f"{len(stored.articles)} unchanged" in again.stderr
        with open_store(server.uri, password=server.password) as store, open_store(serial) as reference:
            assert store.counts() == reference.counts()
            assert store.snapshot() == reference.snapshot()
    finally:
        server.stop()
