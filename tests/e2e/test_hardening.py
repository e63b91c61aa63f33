"""Hostile input and faults, run as a user runs newsgraph (the installed script in a subprocess):
engine calls a read must not reach, full disks, credentials and terminal escapes."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsgraph.model import Extraction
from tests.e2e.test_cli import _newsgraph, run
from tests.fixtures.world import world
from tests.graph.test_embedded import synthetic

pytestmark = pytest.mark.slow


def write_extractions(path: Path, extractions) -> Path:
    path.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in extractions), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The hand-built world, loaded without extracting (fast: no spaCy)."""
    where = tmp_path_factory.mktemp("hardening")
    path = where / "graph.lbug"
    result = run("load", str(write_extractions(where / "world.jsonl", world())), store=path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.parametrize(
    "statement",
    [
        "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *",
        "CALL READ_CSV_PARALLEL('/etc/passwd') RETURN *",
        "CALL READ_PARQUET('/etc/passwd') RETURN *",
        "CALL READ_NPY('/etc/passwd') RETURN *",
        "LOAD FROM '/etc/passwd' RETURN *",
        "EXPORT DATABASE '{dump}'",
        "COPY (MATCH (a:Article) RETURN a.body) TO '{dump}.csv'",
    ],
)
def test_cypher_that_reads_or_writes_files_is_refused_in_one_line(store, tmp_path, statement):
    dump = tmp_path / "dump"
    result = run("cypher", statement.format(dump=dump), store=store)
    assert result.returncode == 2, result.stderr  # a crash was exit 139 (segfault)
    assert result.stderr.startswith("newsgraph: error: ") and result.stderr.count("\n") == 1
    assert "refused" in result.stderr
    assert "root:" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


# -- full disks -------------------------------------------------------------------------------------


def fill(disk: Path, leave: int = 0) -> None:
    """Take all of the disk's free space but `leave` bytes."""
    with contextlib.suppress(OSError), open(disk / "filler", "wb", buffering=0) as filler:
        filler.write(b"\0" * (shutil.disk_usage(disk).free - leave))


def test_a_full_disk_while_loading_is_one_line_exit_1_and_keeps_whole_articles(small_disk, tmp_path):
    # The engine aborted the process (exit 134) with a wrong errno when it closed the store.
    many = [synthetic(i) for i in range(120)]  # far more than a 1 MiB disk holds
    store = small_disk / "graph.lbug"
    result = run("load", str(write_extractions(tmp_path / "many.jsonl", many)), store=store)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("newsgraph: error: store ") and "no space left on the disk" in lines[-1]
    assert not any("added" in line or "Traceback" in line or "terminate" in line for line in lines)
    read = run(
        "cypher",
        "MATCH (a:Article) OPTIONAL MATCH (e:Event)-[:REPORTED_IN]->(a) RETURN a.id AS id, count(e) AS events",
        "--format",
        "json",
        store=store,
    )
    assert read.returncode == 0, read.stderr
    events = {ex.article.id: len(ex.events) for ex in many}
    rows = json.loads(read.stdout)
    assert 0 < len(rows) < len(many)
    assert all(events[row["id"]] == row["events"] for row in rows)  # whole articles only


@pytest.mark.parametrize("command", ["export", "viz", "analyze", "export-stdout"])
def test_output_to_a_full_disk_is_one_line_exit_1_and_leaves_no_partial_file(store, small_disk, command):
    # export printed a traceback and left a partial file; viz left a partial file.
    output = small_disk / {"export": "graph.ttl", "viz": "net.html", "analyze": "metrics.json"}.get(command, "x.nt")
    output.write_text("the file that was there\n", encoding="utf-8")
    fill(small_disk, leave=2048)
    args = {
        "export": ["export", "--format", "ttl", "-o", str(output)],
        "viz": ["viz", "-o", str(output)],
        "analyze": ["analyze", "--format", "json", "-o", str(output)],
        "export-stdout": ["export", "--format", "nt"],
    }[command]
    if command == "export-stdout":
        with open(output, "w", encoding="utf-8") as stdout:
            result = subprocess.run(
                [_newsgraph(), *args, "--store", f"embedded:{store}"], stdout=stdout, stderr=subprocess.PIPE, text=True
            )
    else:
        result = run(*args, store=store)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("newsgraph: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "No space left on device" in result.stderr
    if command != "export-stdout":
        assert output.read_text(encoding="utf-8") == "the file that was there\n"  # not a partial new one
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(["filler", output.name])


# -- terminals --------------------------------------------------------------------------------------

# A screen clear, a window-title change, a C1 CSI (red), a bidirectional override, and a newline that
# would forge a line of newsgraph's own.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eevil\nnewsgraph: error: forged"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_harmless(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), repr(text)
        assert "newsgraph: error: forged" not in text.splitlines()


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> tuple[Path, str]:
    """A store whose article title, source, sentence, trigger and actor names carry escapes."""
    where = tmp_path_factory.mktemp("hostile")
    extraction = Extraction.from_dict(world()[0].to_dict())
    extraction.article.title = f"Title {HOSTILE}"
    extraction.article.source = f"tests/{HOSTILE}.txt"
    extraction.article.url = None
    event = extraction.events[0]
    event.evidence = f"{event.evidence} {HOSTILE}"
    event.trigger = f"{event.trigger}{HOSTILE}"
    for entity in extraction.entities:
        entity.name = f"{entity.name} {HOSTILE}"
    path = where / "graph.lbug"
    result = run("load", str(write_extractions(where / "hostile.jsonl", [extraction])), store=path)
    assert result.returncode == 0, result.stderr
    return path, event.id


def test_tables_explain_and_summaries_never_send_escapes_to_the_terminal(hostile_store):
    store, event = hostile_store
    table = run("cypher", "MATCH (a:Article) RETURN a.title AS title, a.source AS source", store=store)
    assert table.returncode == 0, table.stderr
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202eevil newsgraph: error: forged" in " ".join(table.stdout.split())
    explained = run("explain", event, store=store)
    assert explained.returncode == 0, explained.stderr
    actors = run("query", "actors", store=store)
    as_json = run("cypher", "MATCH (a:Article) RETURN a.source AS s", "--format", "json", store=store)
    assert json.loads(as_json.stdout) == [{"s": f"tests/{HOSTILE}.txt"}]  # machine output keeps the data exact
    for result in (table, explained, actors, as_json):
        assert_harmless(result.stdout, result.stderr)


def test_file_names_and_messages_never_send_escapes_to_the_terminal(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / f"{HOSTILE}.txt").write_text("", encoding="utf-8")  # skipped: empty
    (inputs / "ok.txt").write_text(f"url: javascript:{HOSTILE}\n\nBody.\n", encoding="utf-8")
    dry = run("ingest", "--dry-run", str(inputs), store=tmp_path / "graph.lbug")
    missing = run("cypher", "RETURN 1 AS x", "--store", f"embedded:{tmp_path}/{HOSTILE}.lbug")
    assert missing.returncode == 1 and missing.stderr.startswith("newsgraph: error: store ")
    assert "skipped" in dry.stderr and "note" in dry.stderr, dry.stderr
    for result in (dry, missing):
        assert_harmless(result.stdout, result.stderr)


@pytest.mark.parametrize(
    "uri",
    [
        "http://neo4j:s3cr#t@localhost:7474",
        "Bolt://neo4j:s3cr#t@127.0.0.1:1",  # any case of a known scheme is that scheme: here unreachable
        "bolt://neo4j:s3cr#t@[::1:7687",
    ],
)
def test_a_store_uri_is_never_echoed_with_its_password(uri):
    result = run("cypher", "RETURN 1 AS x", "--store", uri)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("newsgraph: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "s3cr" not in result.stderr
