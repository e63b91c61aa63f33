"""newsgraph.dask: partitions of references, extraction on real Dask clusters (in-process threads,
and two worker processes, one of them killed mid-run), the Python API, the __main__ guard."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import dask.config  # noqa: E402
from distributed import Client, LocalCluster, get_task_stream  # noqa: E402

from newsgraph import dask as on_dask  # noqa: E402
from newsgraph.errors import InputError  # noqa: E402
from newsgraph.ingest.pipeline import ExtractionFailure, Settings, extract_many  # noqa: E402
from newsgraph.ingest.sources import Skipped, read_jsonl_lines, read_sources  # noqa: E402
from newsgraph.model import Extraction  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
RECORD = {
    "title": "Union writes to the board",
    "date": "2024-03-04",
    "body": "The Rail Staff Union wrote to the Harbour Board on Monday. Ada Ashcombe signed the letter.",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("dask"))


def _corpus(tmp_path: Path) -> Path:
    """Our eight articles, a JSONL file of five lines (one of them bad, one blank), a binary file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for article in sorted(ARTICLES.glob("*.txt")):
        (corpus / article.name).write_bytes(article.read_bytes())
    lines = [json.dumps({**RECORD, "body": RECORD["body"] + f" Item {i}."}) for i in range(3)]
    (corpus / "wire.jsonl").write_text(lines[0] + "\nnot json\n" + lines[1] + "\n\n" + lines[2], encoding="utf-8")
    (corpus / "zz_binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    return corpus


@functools.cache
def _single_process_of(paths: tuple[str, ...]) -> tuple:
    return tuple(_read_and_extract(list(paths)))


def _single_process(paths: list[str]) -> list:
    """What one process reads and extracts: the same kinds of outcomes the workers give, in order
    (once per input, for all the tests that compare with it)."""
    return list(_single_process_of(tuple(paths)))


def _read_and_extract(paths: list[str]) -> list:
    outcomes: list = []
    articles = []
    for item in read_sources(paths, on_note=outcomes.append):
        outcomes.append(item)
        if not isinstance(item, Skipped):
            articles.append(item)
    extracted = {id(ex.article): ex for ex in extract_many(articles, Settings())}
    return [extracted.get(id(o), o) for o in outcomes]


def _described(outcomes: list) -> list:
    """Outcomes compared by what matters: an extraction whole, a skip by source and reason."""
    out = []
    for o in outcomes:
        if isinstance(o, Extraction):
            out.append(("extraction", o.to_dict()))
        elif isinstance(o, (Skipped, ExtractionFailure)):
            out.append((type(o).__name__, o.source, o.reason))
        else:
            out.append((type(o).__name__, repr(o)))
    return out


# ---- partitions and JSONL line ranges (no cluster) ------------------------------------------------


def test_partitions_are_references_in_reading_order_with_jsonl_cut_into_line_ranges(tmp_path):
    corpus = _corpus(tmp_path)
    parts = on_dask.partitions([str(corpus)], size=4)
    refs = [str(ref) for part in parts for ref in part]
    names = [Path(r).name for r in refs]
    articles = [p.name for p in sorted(ARTICLES.glob("*.txt"))]
    assert names == [*articles, "wire.jsonl:1-4", "wire.jsonl:5-5", "zz_binary.txt"]
    assert [len(part) for part in parts] == [4, 4, 1, 2]  # a JSONL run of 4 lines fills a partition alone
    first, second = [ref for part in parts for ref in part if ref.lines is not None]
    assert (first.offset, first.first, first.lines) == (0, 1, 4)
    data = (corpus / "wire.jsonl").read_bytes()
    assert second.offset == len(data) - len(data.split(b"\n")[-1]) and second.first == 5
    assert all(isinstance(ref, on_dask.Ref) for part in parts for ref in part)  # references, never text


def test_jsonl_line_ranges_read_what_the_whole_file_gives(tmp_path):
    wire = _corpus(tmp_path) / "wire.jsonl"
    whole = [(i.source, getattr(i, "reason", None)) for i in read_sources([str(wire)])]
    runs = [ref for part in on_dask.partitions([str(wire)], size=2) for ref in part]
    assert [ref.lines for ref in runs] == [2, 2, 1]
    pieces = [
        (i.source, getattr(i, "reason", None))
        for ref in runs
        for i in read_jsonl_lines(ref.path, ref.offset, ref.first, ref.lines)
    ]
    assert pieces == whole and len(whole) == 4  # 3 articles and the bad line 2, the blank line 4 left out
    assert whole[1] == (f"{wire}:2", "invalid JSON: Expecting value at column 1")


def test_standard_input_and_missing_paths_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="standard input"):
        on_dask.partitions(["-"])
    with pytest.raises(InputError, match="nope.txt: no such file"):
        on_dask.partitions([str(tmp_path / "nope.txt")])


def test_a_url_already_stored_is_skipped_before_it_reaches_a_worker():
    parts = on_dask.partitions(["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"], seen=lambda url: url.endswith("/a"))
    (part,) = parts
    assert part[0] == Skipped("http://127.0.0.1:9/a", "already ingested") and part[1] == on_dask.Ref(
        "http://127.0.0.1:9/b"
    )


# ---- the __main__ guard ---------------------------------------------------------------------------


def _script(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_a_script_without_a_main_guard_gets_told_how_to_fix_it(tmp_path):
    result = _script(
        tmp_path,
        """
        import newsgraph.dask
        with newsgraph.dask.connect(workers=2) as client:
            print("started")
        """,
    )
    assert result.returncode != 0 and "started" not in result.stdout
    assert 'if __name__ == "__main__":' in result.stderr and "job.py, line 3" in result.stderr, result.stderr
    assert "Nanny failed to start" not in result.stderr


def test_a_guarded_script_passes_the_check(tmp_path):
    result = _script(
        tmp_path,
        """
        import newsgraph.dask

        if __name__ == "__main__":
            newsgraph.dask.check_main_guard()
            print("checked")
        """,
    )
    assert result.returncode == 0 and result.stdout == "checked\n", result.stderr


# ---- a real in-process cluster: worker threads in this process ------------------------------------


@pytest.fixture(scope="module")
def threads_client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
    with cluster, Client(cluster) as client:
        yield client


@pytest.mark.slow  # loads the spaCy pipeline
def test_workers_give_what_one_process_gives_in_order(corpus, threads_client):
    expected = _single_process([str(corpus)])
    parts = on_dask.partitions([str(corpus)], size=3)
    got = [o for outcomes in on_dask.run_partitions(threads_client, parts, Settings()) for o in outcomes]
    assert _described(got) == _described(expected)
    kinds = [d[0] for d in _described(got)]
    assert kinds.count("extraction") == 11 and kinds.count("Skipped") == 2  # 8 files + 3 lines; bad line, binary


@pytest.mark.slow
def test_part_files_hold_each_extraction_once_in_order(tmp_path, threads_client):
    expected = [o.to_dict() for o in _single_process([str(ARTICLES)]) if isinstance(o, Extraction)]
    parts = on_dask.partitions([str(ARTICLES)], size=3)
    out = tmp_path / "out"
    got = [o for outcomes in on_dask.run_partitions(threads_client, parts, Settings(), out=str(out)) for o in outcomes]
    assert all(isinstance(o, on_dask.Written) for o in got) and len(got) == len(expected) == 8
    files = sorted(out.glob("part-*.jsonl"))
    assert [f.name for f in files] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()] == expected


@pytest.mark.slow
def test_the_python_api_is_a_bag_of_extractions(corpus, threads_client):
    bag = on_dask.extract([str(corpus)], Settings(), partition_size=4)
    assert bag.npartitions == 4
    got = bag.compute()
    expected = [o for o in _single_process([str(corpus)]) if isinstance(o, Extraction)]
    assert [ex.to_dict() for ex in got] == [ex.to_dict() for ex in expected] and len(got) == 11
    assert bag.map(lambda ex: len(ex.events)).sum().compute() == sum(len(ex.events) for ex in expected) > 0


# ---- two worker processes, as --workers 2 starts them ---------------------------------------------


@pytest.fixture(scope="module")
def process_client():
    with on_dask.connect(workers=2, settings=Settings()) as client:
        yield client


@pytest.mark.slow
def test_two_worker_processes_give_the_same_ids_and_events(process_client):
    expected = [o for o in _single_process([str(ARTICLES)]) if isinstance(o, Extraction)]
    parts = on_dask.partitions([str(ARTICLES)], size=1)
    got = [o for outcomes in on_dask.run_partitions(process_client, parts, Settings()) for o in outcomes]
    assert [ex.article.id for ex in got] == [ex.article.id for ex in expected] and len(got) == 8
    assert [[ev.to_dict() for ev in ex.events] for ex in got] == [[ev.to_dict() for ev in ex.events] for ex in expected]
    # each worker loaded the pipeline once, through the plugin, and used it: nothing came from the client
    loaded = process_client.run(lambda: len(on_dask._Loaded.extractors))
    assert sorted(loaded.values()) == [1, 1]
    assert len({pid for pid in process_client.run(os.getpid).values()} | {os.getpid()}) == 3


@pytest.mark.slow
def test_local_workers_keep_glibcs_malloc_trim_and_one_blas_thread(process_client):
    # Dask's nanny would set MALLOC_TRIM_THRESHOLD_ (spaCy ran ~10% slower per article under it)
    assert dask.config.get("distributed.nanny.pre-spawn-environ")[on_dask.GLIBC_TRIM]
    environ = process_client.run(lambda: (os.environ.get(on_dask.GLIBC_TRIM), os.environ.get("OMP_NUM_THREADS")))
    assert sorted(environ.values()) == [(None, "1"), (None, "1")]


def test_the_readmes_dask_config_for_own_workers_unsets_only_the_malloc_trim(tmp_path, monkeypatch):
    from distributed.nanny import _get_env_variables

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("newsgraph.yaml`:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "newsgraph.yaml").write_text(block, encoding="utf-8")
    monkeypatch.delenv(on_dask.GLIBC_TRIM, raising=False)  # the shell's value would win over any config
    key = "distributed.nanny.pre-spawn-environ"
    defaults = _get_env_variables(key)
    assert defaults[on_dask.GLIBC_TRIM] and defaults["OMP_NUM_THREADS"] == "1"
    merged = dask.config.merge(dask.config.config, dask.config.collect(paths=[str(tmp_path)], env={}))
    with dask.config.set({key: dask.config.get(key, config=merged)}):
        environ = _get_env_variables(key)
    assert on_dask.GLIBC_TRIM not in environ and environ["OMP_NUM_THREADS"] == "1"


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path, process_client):
    expected = [o.to_dict() for o in _single_process([str(ARTICLES)]) if isinstance(o, Extraction)]
    parts = on_dask.partitions([str(ARTICLES)], size=1)
    out = tmp_path / "out"
    results = on_dask.run_partitions(process_client, parts, Settings(), out=str(out))
    got = list(next(results))
    pids = process_client.run(os.getpid)
    busy = []
    for _ in range(200):  # the worker extracting something now
        busy = [addr for addr, keys in process_client.processing().items() if keys and addr in pids]
        if busy:
            break
        time.sleep(0.05)
    assert busy, "no worker was busy: the kill would not be mid-run"
    os.kill(pids[busy[0]], signal.SIGKILL)
    for outcomes in results:
        got.extend(outcomes)
    assert [o.source for o in got] == [ex["article"]["source"] for ex in expected]
    lines = [json.loads(line) for f in sorted(out.glob("part-*.jsonl")) for line in f.read_text().splitlines()]
    assert lines == expected and len(lines) == 8
    process_client.wait_for_workers(2, timeout=60)  # the nanny started a new worker in its place


# ---- ingest and load through the jobs, on the same in-process cluster ------------------------------


def _graph(uri: str) -> tuple:
    """A store's articles, actors (with names and aliases) and events (with roles and dates), sorted."""
    from dataclasses import asdict

    from newsgraph.graph.store import open_store

    with open_store(uri, read_only=True) as store:
        snap = store.snapshot()
    return tuple(sorted(json.dumps(asdict(r), sort_keys=True, default=str) for r in snap.actors + snap.events))


@pytest.mark.slow
def test_ingest_and_load_on_dask_leave_the_store_a_single_process_leaves(tmp_path, corpus, threads_client):
    from newsgraph import jobs

    expected = [o for o in _single_process([str(corpus)]) if isinstance(o, Extraction)]
    lines = tmp_path / "single.jsonl"
    lines.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in expected), encoding="utf-8")
    single = f"embedded:{tmp_path / 'single.lbug'}"
    jobs.load([str(lines)], store=single)  # what a single-process ingest writes, without extracting again

    on_dask = jobs.Engine(scheduler=threads_client.scheduler.address)
    ingested = f"embedded:{tmp_path / 'ingested.lbug'}"
    run = jobs.ingest([str(corpus)], store=ingested, engine_=on_dask)
    assert (
        run.statuses == {"added": 11}
        and run.skipped == "2 skipped (1 invalid JSON: Expecting value at column 1; 1 binary file)"
    )
    assert _graph(ingested) == _graph(single) and len(_graph(single)) > 11

    again = jobs.ingest([str(corpus)], store=ingested, engine_=on_dask)
    assert again.statuses == {"unchanged": 11} and again.counts == run.counts

    loaded = f"embedded:{tmp_path / 'loaded.lbug'}"
    done = jobs.load([str(lines)], store=loaded, engine_=on_dask)
    assert done.statuses == {"added": 11} and _graph(loaded) == _graph(single)


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Gazette</title><link>http://127.0.0.1:9/</link>
<item><title>Agency appoints new chief</title><link>http://127.0.0.1:9/news/agency-chief</link>
<pubDate>Tue, 07 May 2024 09:00:00 GMT</pubDate>
<description>The Water Standards Agency has appointed Dr Lena Brook as its chief executive. Dr Brook will
take over from Martin Doyle in June, the agency said, after a long search for a leader able to
steer the regulator through a difficult period for the water industry and its many customers.</description>
</item></channel></rss>
"""


@pytest.mark.slow
def test_feed_items_already_stored_are_skipped_by_the_workers_as_by_one_process(tmp_path, threads_client):
    from newsgraph import jobs

    feed = tmp_path / "gazette.xml"
    feed.write_text(FEED, encoding="utf-8")  # its item's page is unreachable: the feed's own text is read
    store = f"embedded:{tmp_path / 'g.lbug'}"
    first = jobs.ingest([str(feed)], store=store, timeout=1)
    assert first.statuses == {"added": 1}
    on_dask = jobs.Engine(scheduler=threads_client.scheduler.address)
    again_here = jobs.ingest([str(feed)], store=store, timeout=1)
    again_there = jobs.ingest([str(feed)], store=store, timeout=1, engine_=on_dask)
    assert again_there.summary() == again_here.summary()
    assert again_there.skipped == "1 skipped (1 already ingested)" and not again_there.statuses


@pytest.mark.slow
def test_a_relative_path_is_read_from_anywhere_and_named_as_given(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wire.jsonl").write_text(json.dumps(RECORD) + "\nnot json\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    parts = on_dask.partitions(["in"], size=4)
    (ref,) = parts[0]
    assert ref.path == "in/wire.jsonl" and ref.at == str(tmp_path / "in" / "wire.jsonl")
    monkeypatch.chdir(ROOT)  # a worker started elsewhere
    outcomes = on_dask.extract_partition(parts[0], Settings())
    assert [o.source if isinstance(o, Skipped) else o.article.source for o in outcomes] == [
        "in/wire.jsonl:1",
        "in/wire.jsonl:2",
    ]


@pytest.mark.slow
@pytest.mark.neo4j
def test_ingest_on_dask_with_several_writers_gives_neo4j_the_graph_of_one_process(corpus, threads_client):
    """Workers extract, this process resolves in input order and writes with two writers: the
    server ends with exactly the graph a one-process, one-writer ingest leaves (every node,
    relationship and property)."""
    from newsgraph import jobs
    from tests.fixtures.neo4j import SERVER, empty_server_store, graph_dump, wipe

    with empty_server_store() as store:
        serial = jobs.ingest([str(corpus)], store=SERVER)
        one = graph_dump(store)
        wipe(store)
        with get_task_stream(threads_client) as tasks:
            parallel = jobs.ingest(
                [str(corpus)], store=SERVER, engine_=jobs.Engine(scheduler=threads_client.scheduler.address), writers=2
            )
        assert parallel.statuses == serial.statuses == {"added": 11} and parallel.skipped == serial.skipped
        assert graph_dump(store) == one and len(one[0]) > 11
        # the workers wrote the articles, in tasks of up to 8 (8, then 3); this process resolved and refreshed
        assert on_dask.WRITE_BATCH == 8
        assert len([t for t in tasks.data if str(t["key"]).startswith("newsgraph-write-")]) == 2


@pytest.mark.slow
@pytest.mark.neo4j
def test_a_worker_killed_while_writing_to_neo4j_loses_and_duplicates_nothing(tmp_path, corpus, process_client):
    """A load on two worker processes whose first write waits for a lock this test holds on the
    server; the worker running it is killed, the task runs again on the new worker once the lock is
    gone: the server ends with the graph of a one-process load, every article once."""
    import neo4j

    from newsgraph import jobs
    from tests.fixtures.neo4j import SERVER, empty_server_store, graph_dump, wipe

    expected = [o for o in _single_process([str(corpus)]) if isinstance(o, Extraction)]
    lines = tmp_path / "x.jsonl"
    lines.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in expected), encoding="utf-8")
    first_actor = expected[0].entities[0].id
    with empty_server_store() as store:
        serial = jobs.load([str(lines)], store=SERVER)
        one = graph_dump(store)
        wipe(store)
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ["NEO4J_PASSWORD"])
        with neo4j.GraphDatabase.driver(SERVER, auth=auth) as driver, driver.session() as session:
            holding = session.begin_transaction()  # the first article's writer waits on this actor's key
            holding.run("CREATE (:Actor {id: $id})", id=first_actor).consume()
            engine = jobs.Engine(scheduler=process_client.scheduler.address)
            done: dict = {}
            loading = threading.Thread(
                target=lambda: done.update(run=jobs.load([str(lines)], store=SERVER, engine_=engine))
            )
            loading.start()
            pids = process_client.run(os.getpid)
            writing = []
            for _ in range(600):
                writing = [
                    addr
                    for addr, keys in process_client.processing().items()
                    if addr in pids and any(str(k).startswith("newsgraph-write-") for k in keys)
                ]
                if writing:
                    break
                time.sleep(0.05)
            assert writing, "no worker was writing: the kill would not be mid-write"
            time.sleep(0.5)  # its transaction is open on the server, waiting for the lock
            os.kill(pids[writing[0]], signal.SIGKILL)
            time.sleep(0.5)
            holding.rollback()
            loading.join(timeout=180)
        assert not loading.is_alive()
        run = done["run"]
        assert sum(run.statuses.values()) == 11 and set(run.statuses) <= {"added", "unchanged"}
        assert serial.statuses == {"added": 11}
        assert graph_dump(store) == one and len(one[0]) > 11
        process_client.wait_for_workers(2, timeout=60)
