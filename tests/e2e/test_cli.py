"""Every command end to end, run as a user runs it: the installed `newsgraph` script in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "data" / "articles"
N = len(list(ARTICLES.glob("*.txt")))


def _newsgraph() -> str:
    exe = shutil.which("newsgraph") or str(Path(sys.executable).with_name("newsgraph"))
    if not Path(exe).exists():
        pytest.skip("the newsgraph script is not installed (pip install -e .)")
    return exe


def run(*args: str, store: Path | None = None, stdin: str | None = None, env: dict | None = None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NEWSGRAPH_STORE", None)
    if store is not None:
        full_env["NEWSGRAPH_STORE"] = f"embedded:{store}"
    return subprocess.run([_newsgraph(), *args], capture_output=True, text=True, input=stdin, env=full_env, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "graph.lbug"
    result = run("ingest", str(ARTICLES), store=path)
    assert result.returncode == 0, result.stderr
    assert f"{N} added" in result.stderr
    return path


def test_extract_jsonl_has_the_scored_shape():
    result = run("extract", str(ARTICLES / "t01_succession.txt"), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    record = json.loads(line)
    assert record["article"]["source"].endswith("t01_succession.txt") and record["article"]["date"] == "2024-05-08"
    ids = {e["id"] for e in record["entities"]}
    for ev in record["events"]:
        assert set(ev["agents"]) | set(ev["patients"]) <= ids
        assert {"category", "trigger", "date", "evidence"} <= set(ev)


def test_extract_json_and_table_and_stdin():
    text = "title: Stdin piece\n\nThe Water Standards Agency appointed Lena Brook as chief executive.\n"
    as_json = run("extract", "-", "--format", "json", "--date", "2024-01-10", stdin=text)
    assert as_json.returncode == 0, as_json.stderr
    (record,) = json.loads(as_json.stdout)
    assert record["article"]["source"] == "<stdin>" and record["article"]["date"] == "2024-01-10"
    table = run("extract", "-", "--format", "table", stdin=text)
    assert table.returncode == 0 and "Lena Brook" in table.stdout


def test_ingest_twice_changes_nothing(store):
    before = run("cypher", "MATCH (e:Event) RETURN count(e) AS n", "--format", "json", store=store)
    again = run("ingest", str(ARTICLES), store=store)
    assert again.returncode == 0 and f"{N} unchanged" in again.stderr
    after = run("cypher", "MATCH (e:Event) RETURN count(e) AS n", "--format", "json", store=store)
    assert json.loads(before.stdout) == json.loads(after.stdout) and json.loads(after.stdout)[0]["n"] > 0


def test_query_list_and_named_queries(store):
    listing = run("query", "list", "--format", "json")
    names = {q["name"] for q in json.loads(listing.stdout)}
    assert {"actors", "events", "timeline"} <= names
    timeline = run("query", "timeline", "--param", "actor=Ms Brook", "--format", "json", store=store)
    assert timeline.returncode == 0, timeline.stderr
    rows = json.loads(timeline.stdout)
    assert rows and [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    as_csv = run("query", "actors", "--format", "csv", store=store)
    assert "Lena Brook" in {r["name"] for r in csv.DictReader(io.StringIO(as_csv.stdout))}


def test_query_errors_are_one_line_with_exit_2(store):
    unknown = run("query", "timelin", store=store)
    assert unknown.returncode == 2 and "timeline" in unknown.stderr and len(unknown.stderr.strip().splitlines()) == 1
    missing = run("query", "between", "--param", "a=WSA", store=store)
    assert missing.returncode == 2 and "b" in missing.stderr


def test_a_mistyped_parameter_value_is_one_line_exit_2_with_the_closest(store):
    for args, closest in (
        (("events", "-p", "category=demnd"), "did you mean demand?"),
        (("actors", "-p", "kind=Persn"), "did you mean Person?"),
        (("events", "-p", "limit=-5"), "want at least 1"),
    ):
        result = run("query", *args, store=store)
        assert result.returncode == 2 and result.stdout == "", (args, result.stderr)
        (line,) = result.stderr.splitlines()
        assert line.startswith("newsgraph: error: parameter ") and closest in line and "exception" not in line
    for option, value in (("--category", "demnd"), ("--since", "yesterday"), ("--article", "t01_sucession.txt")):
        result = run("export", option, value, store=store)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stdout == ""  # not an export of nothing


def test_cypher_errors_say_what_newsgraph_was_doing_and_keep_the_engines_words(store):
    result = run("cypher", "MATCH (a:Actr) RETURN a", store=store)
    assert result.returncode == 2
    assert result.stderr == (
        f"newsgraph: error: running your Cypher statement on embedded:{store}: "
        "Binder exception: Table Actr does not exist.\n"
    )


def test_usage_errors_are_one_line(tmp_path):
    for args, command in (
        (("cypher", "--file", str(tmp_path / "nope.cypher")), "cypher"),
        (("query", "timeline", "--format", "xml"), "query timeline"),  # the query's own help
    ):
        result = run(*args)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith("newsgraph: error: ") and f"(see newsgraph {command} --help)" in result.stderr


def test_cypher_refuses_writes(store):
    result = run("cypher", "CREATE (a:Actor {id: 'x', name: 'x'})", store=store)
    assert result.returncode == 2 and "read-only" in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_validate_and_sparql(store, tmp_path):
    ttl = tmp_path / "graph.ttl"
    result = run("export", "--format", "ttl", "-o", str(ttl), "--validate", store=store)
    assert result.returncode == 0, result.stderr
    assert "SHACL validation passed" in result.stderr
    query = "SELECT ?name WHERE { ?a a <https://schema.org/Person> ; <https://schema.org/name> ?name }"
    names = run("sparql", query, "--data", str(ttl), "--format", "json")
    assert names.returncode == 0, names.stderr
    assert "Lena Brook" in {r["name"] for r in json.loads(names.stdout)}


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml", "trig"])
def test_articles_without_a_header_export_valid(headerless_store, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), "--validate", store=headerless_store)
    assert result.returncode == 0, result.stderr
    assert "SHACL validation passed" in result.stderr


@pytest.fixture(scope="module")
def headerless_store(tmp_path_factory) -> Path:
    """Articles as the seeds come: no title or url; one opens on a headline, one has a form feed."""
    folder = tmp_path_factory.mktemp("headerless")
    (folder / "a.txt").write_text(
        "Harbour Trust names new chair\n\nThe Harbour Trust appointed Ann Lee as chair on Monday.\n"
    )
    (folder / "b.txt").write_text("The Eastmere Dockers Union criticised the Harbour Trust on Tuesday.\n")
    (folder / "c.txt").write_text(
        "The Water Standards Agency fined Lakeside Water.\f\nThe company said it would pay.\n"
    )
    path = tmp_path_factory.mktemp("store") / "headerless.lbug"
    result = run("ingest", str(folder), store=path)
    assert result.returncode == 0 and "3 added" in result.stderr, result.stderr
    titles = run("cypher", "MATCH (a:Article) RETURN a.title AS t ORDER BY a.source", "--format", "json", store=path)
    assert [r["t"] for r in json.loads(titles.stdout)] == ["Harbour Trust names new chair", None, None]
    return path


def test_viz_writes_offline_html(store, tmp_path):
    html = tmp_path / "net.html"
    result = run("viz", "-o", str(html), "--actor", "WSA", "--hops", "2", store=store)
    assert result.returncode == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "Lena Brook" in page and '<script src="http' not in page
    # the CLI says the counts the page's header says (the page recomputes them: tests/graph/test_viz_browser.py)
    summary = unescape(re.search(r'<p id="ng-summary">(.*?)</p>', page).group(1))
    assert re.match(r"\d+ actors, \d+ events: \d+ between actors on \d+ links, \d+ on one actor", summary)
    assert f"newsgraph: wrote {html}: {summary} (physics layout)" in result.stderr
    assert '"focus":' in page and '"focus":null' not in page


def test_explain_marks_the_sentence(store):
    rows = json.loads(
        run("query", "events", "--param", "category=appoint_succeed", "--format", "json", store=store).stdout
    )
    event_id, sentence, trigger = rows[0]["id"], rows[0]["evidence"], rows[0]["trigger"]
    result = run("explain", event_id, store=store)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sentence and lines[0] == sentence  # the sentence first, whole, however long
    assert lines[1].startswith("marked:   ") and f"[{trigger}]" in lines[1]  # without colour, in brackets
    fields = {line[:9].strip(): line[10:] for line in lines[2:] if line[:9].strip()}
    assert fields["event"].startswith("Appoint or succeed (appoint_succeed)")
    assert " · newsgraph tests · 20" in fields["article"] and "confidence" in fields["kept"]  # title · outlet · date
    assert fields["id"] == f"{event_id} (short: {event_id[:11]})"
    # On a terminal the trigger is marked (reverse video) where the sentence has it, and no bracket line.
    coloured = run("explain", event_id, store=store, env={"FORCE_COLOR": "1", "COLUMNS": "80"})
    assert f"\x1b[1;7m{trigger}\x1b[0m" in coloured.stdout.splitlines()[0]
    assert "marked:" not in coloured.stdout
    assert run("explain", event_id[:11], store=store).stdout == result.stdout  # the id as tables print it
    missing = run("explain", "ev_doesnotexist", store=store)
    assert missing.returncode == 2 and missing.stderr.startswith("newsgraph: error: no event has the id")


def test_tables_print_short_ids_whole_and_cut_the_evidence(store):
    rows = json.loads(run("query", "timeline", "--format", "json", store=store).stdout)
    assert rows and all(len(r["id"]) == 19 for r in rows) and max(len(r["evidence"]) for r in rows) > 90
    table = run("query", "timeline", store=store, env={"COLUMNS": "100"})
    assert table.returncode == 0, table.stderr
    for row in rows:  # each short id on one line, whole, even in 100 columns
        assert row["id"][:11] in table.stdout and row["id"] not in table.stdout
    assert "…" in table.stdout and max(len(line) for line in table.stdout.splitlines()) <= 100
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates)
    csv_rows = list(csv.DictReader(io.StringIO(run("query", "timeline", "--format", "csv", store=store).stdout)))
    assert [r["evidence"] for r in csv_rows] == [r["evidence"] for r in rows]  # whole


def test_actor_prints_who_it_is_once_then_its_events(store):
    result = run("query", "actor", "--param", "actor=WSA", store=store)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "name: Water Standards Agency" and lines[1] == "kind: Organisation"
    assert lines[2].startswith("aliases: ") and "WSA" in lines[2]
    assert sum("Water Standards Agency" in line for line in lines) >= 2  # the header, and as agent or patient
    head = next(line for line in lines if "┃ date" in line)
    assert "┃ role" in head and "via" not in head  # no speakers asked for: the empty column is left out
    speakers = run("query", "actor", "--param", "actor=WSA", "--param", "speakers=yes", store=store)
    assert "actor: with the events of their speakers (via)" in speakers.stdout
    rows = json.loads(run("query", "actor", "--param", "actor=WSA", "--format", "json", store=store).stdout)
    assert {r["name"] for r in rows} == {"Water Standards Agency"} and all(r["evidence"] for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_remove_by_source_then_counts_drop(tmp_path):
    path = tmp_path / "g.lbug"
    assert run("ingest", str(ARTICLES), store=path).returncode == 0
    before = json.loads(run("cypher", "MATCH (e:Event) RETURN count(e) AS n", "--format", "json", store=path).stdout)
    result = run("remove", str(ARTICLES / "t03_court.txt"), store=path)
    assert result.returncode == 0, result.stderr
    after = json.loads(run("cypher", "MATCH (e:Event) RETURN count(e) AS n", "--format", "json", store=path).stdout)
    gone = before[0]["n"] - after[0]["n"]
    assert gone > 0 and f"removed 1 article ({ARTICLES / 't03_court.txt'}), its {gone} events, and " in result.stderr
    assert "actors no other article mentions" in result.stderr
    left = json.loads(run("cypher", "MATCH (a:Article) RETURN count(a) AS n", "--format", "json", store=path).stdout)
    assert left[0]["n"] == N - 1
    assert run("remove", "no-such-article", store=path).returncode == 2


def test_a_store_that_is_not_there_is_said_and_nothing_is_created(tmp_path):
    missing = tmp_path / "no" / "dir" / "x.lbug"
    sparql = "SELECT ?s WHERE { ?s ?p ?o }"
    for args in (
        ("query", "actors"),
        ("cypher", "MATCH (a:Actor) RETURN a.name"),
        ("explain", "ev_x"),
        ("export", "-o", str(tmp_path / "x.ttl")),
        ("sparql", sparql),
        ("viz", "-o", str(tmp_path / "x.html")),
        ("analyze",),
        ("analyze", "--write"),
        ("remove", "x"),
        ("unmerge", "Heidi Connor", "Heidi Conner"),
        ("upgrade",),
        ("load", str(tmp_path / "nope.jsonl")),
        ("ingest", str(tmp_path / "nope.txt")),
    ):
        result = run(*args, store=missing)
        assert result.returncode in (1, 2) and len(result.stderr.splitlines()) == 1, (args, result.stderr)
        assert "no store there" in result.stderr or "no such file" in result.stderr, (args, result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_load_skips_lines_that_are_not_extractions(tmp_path):
    good = run("extract", str(ARTICLES / "t01_succession.txt")).stdout
    shard = tmp_path / "shard.jsonl"
    shard.write_text(good + "not json\n" + '{"article": 5}\n', encoding="utf-8")
    path = tmp_path / "g.lbug"
    result = run("load", str(shard), store=path)
    assert result.returncode == 0, result.stderr
    assert f"newsgraph: skipped {shard}:2: not an extraction record" in result.stderr
    assert f"newsgraph: skipped {shard}:3: not an extraction record" in result.stderr
    assert "1 added, 2 skipped" in result.stderr
    strict = run("load", "--strict", str(shard), store=tmp_path / "s.lbug")
    assert strict.returncode == 2 and f"{shard}:2" in strict.stderr
    # Another article under the same url, in the same run: skipped, not a replacement of the first.
    other = json.loads(run("extract", str(ARTICLES / "t03_court.txt")).stdout)
    first = json.loads(good)
    other["article"]["url"] = first["article"]["url"] = "https://example.org/news/1"
    clash = tmp_path / "clash.jsonl"
    clash.write_text(json.dumps(first) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    loaded = run("load", str(clash), store=tmp_path / "c.lbug")
    assert loaded.returncode == 0 and "1 added, 1 skipped" in loaded.stderr, loaded.stderr
    assert f"skipped {clash}:2: same url as {first['article']['source']}" in loaded.stderr


@pytest.mark.parametrize("command", ["load", "ingest"])
def test_more_than_one_writer_is_for_neo4j(tmp_path, command):
    """The embedded store takes one writer: said before anything is read or a store made."""
    path = tmp_path / "g.lbug"
    result = run(command, "--writers", "2", str(ARTICLES / "t01_succession.txt"), store=path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "newsgraph: error: --writers 2: the embedded store takes one writer (more are for Neo4j)"
    )
    assert not path.exists()


def test_upgrade_adds_what_an_older_store_lacks(tmp_path):
    from tests.fixtures.stores import strip_kept_up

    path = tmp_path / "old.lbug"
    assert run("ingest", str(ARTICLES), store=path).returncode == 0
    strip_kept_up(path)  # as made before the sort keys and co-mention counts
    old = run("query", "co-mentions", store=path)
    assert old.returncode == 2 and len(old.stderr.strip().splitlines()) == 1
    assert f"newsgraph upgrade --store embedded:{path}" in old.stderr
    result = run("upgrade", store=path)
    assert result.returncode == 0 and "is up to date" in result.stderr, result.stderr
    pairs = json.loads(run("query", "co-mentions", "--format", "json", store=path).stdout)
    assert pairs and all(p["articles"] >= 1 for p in pairs)


def test_bad_input_is_one_line_exit_2(tmp_path):
    missing = run("extract", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_a_header_value_never_stops_the_batch(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text(
        "title: Agency appoints chief\ndate: 2024-01-08 (estimated)\n\n"
        "The Water Standards Agency appointed Lena Brook.\n"
    )
    (articles / "b.txt").write_text("date: 2024-01-09\n\nThe Harbour Trust appointed Ann Lee as chair.\n")
    (articles / "c.txt").write_text(
        "url: n/a\ndate: 08/01/2024\nlanguage: English\n\nThe Eastmere Dockers Union criticised the Harbour Trust.\n"
    )
    path = tmp_path / "g.lbug"
    result = run("ingest", str(articles), store=path)
    assert result.returncode == 0, result.stderr
    assert "3 added" in result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("newsgraph: note: ")]
    assert notes == [
        f"newsgraph: note: {articles / 'a.txt'}: header date '2024-01-08 (estimated)': read as 2024-01-08",
        f"newsgraph: note: {articles / 'c.txt'}: header url 'n/a': a placeholder, not a value; left out",
        f"newsgraph: note: {articles / 'c.txt'}: header date '08/01/2024': day and month could be either way round"
        " (2024-01-08 or 2024-08-01); left out",
        f"newsgraph: note: {articles / 'c.txt'}: header language 'English': read as en",
    ]
    dates = run("cypher", "MATCH (a:Article) RETURN a.date AS d ORDER BY a.source", "--format", "json", store=path)
    assert [r["d"] for r in json.loads(dates.stdout)] == ["2024-01-08", "2024-01-09", None]
    extracted = run("extract", str(articles), "--date", "2024-02-01")
    assert extracted.returncode == 0, extracted.stderr
    assert [json.loads(line)["article"]["date"] for line in extracted.stdout.splitlines()] == [
        "2024-01-08",
        "2024-01-09",
        "2024-02-01",
    ]
    strict = run("ingest", "--strict", str(articles), store=tmp_path / "strict.lbug")
    assert strict.returncode == 2 and "a.txt: header date" in strict.stderr and "--strict" in strict.stderr


def test_two_inputs_claiming_one_url_do_not_replace_each_other_in_one_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("url: https://example.org/news/1\n\nThe Harbour Trust appointed Ann Lee.\n")
    (folder / "b.txt").write_text("url: https://example.org/news/1\n\nThe Water Standards Agency fined Lakeside.\n")
    result = run("ingest", str(folder), store=tmp_path / "g.lbug")
    assert result.returncode == 0, result.stderr
    assert (
        f"newsgraph: skipped {folder / 'b.txt'}: same url as {folder / 'a.txt'}, read before it"
        " (https://example.org/news/1); it would replace that article"
    ) in result.stderr
    assert "1 added, 1 skipped" in result.stderr and "replaced" not in result.stderr


def test_bad_inputs_and_options_are_said_before_the_pipeline_loads(tmp_path):
    # A pipeline that cannot load: an error about it would mean the inputs were checked too late.
    late = {"NEWSGRAPH_PIPELINE": str(tmp_path / "no-such-pipeline")}
    article = tmp_path / "a.txt"
    article.write_text("The Harbour Trust appointed Ann Lee as chair.\n")
    store = tmp_path / "g.lbug"
    for args in (
        ("extract", str(tmp_path / "nope.txt")),
        ("ingest", str(tmp_path / "nope.txt")),
        ("extract", str(article), "--date", "yesterday"),
        ("ingest", str(article), "--date", "2024-02-30"),
        ("extract", str(article), "--gazetteer", str(tmp_path / "missing.yaml")),
    ):
        result = run(*args, store=store, env=late)
        assert result.returncode == 2, (args, result.stderr)
        assert "no-such-pipeline" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert not store.exists()  # and an ingest that stops there creates no store


def test_demo_runs_offline(tmp_path):
    result = run("demo", "--dir", str(tmp_path / "demo"), env={"NEWSGRAPH_PROGRESS": "0"})
    assert result.returncode == 0, result.stderr
    assert "actors" in result.stdout and "HTML:" in result.stdout and "Turtle:" in result.stdout
    assert (tmp_path / "demo" / "demo.html").stat().st_size > 10_000
    assert (tmp_path / "demo" / "demo.ttl").read_text(encoding="utf-8").count("sem:Event") >= 1


def test_ingest_dry_run_writes_nothing_and_reports(tmp_path):
    path = tmp_path / "dry.lbug"
    result = run("ingest", "--dry-run", str(ARTICLES), store=path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("added\t") == N and not path.exists()
    assert run("ingest", str(ARTICLES / "t01_succession.txt"), store=path).returncode == 0
    again = run("ingest", "--dry-run", str(ARTICLES), store=path)
    assert again.stdout.count("unchanged\t") == 1 and again.stdout.count("added\t") == N - 1


def test_skipped_inputs_are_summarised_and_strict_fails(tmp_path):
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    path = tmp_path / "g.lbug"
    result = run("ingest", str(binary), str(empty), str(ARTICLES / "t03_court.txt"), store=path)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stderr and "2 skipped" in result.stderr and "binary file" in result.stderr
    strict = run("ingest", "--strict", str(binary), str(ARTICLES / "t03_court.txt"), store=path)
    assert strict.returncode == 2 and "blob.txt" in strict.stderr
    nothing = run("ingest", str(binary), store=path)
    assert nothing.returncode == 2


def test_extract_reads_jsonl_from_stdin():
    line = json.dumps(
        {
            "body": "The Water Standards Agency appointed Lena Brook.",
            "date": "2024-05-01",
            "url": "https://example.org/jsonl/1",
        }
    )
    result = run("extract", "-", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["article"]["url"] == "https://example.org/jsonl/1"
    assert any(e["name"] == "Lena Brook" for e in record["entities"])


def test_query_timeout_is_a_one_line_error(store):
    heavy = (
        "MATCH (a:Actor), (b:Actor), (c:Actor), (d:Event), (e:Event), (f:Actor) "
        "RETURN a.name + b.name + c.name + d.id + e.id + f.name AS x ORDER BY x LIMIT 1"
    )
    result = run("cypher", heavy, "--query-timeout", "0.05", store=store)
    assert result.returncode == 2 and "timed out after 0.05s" in result.stderr, result.stderr


def test_export_selects_by_actor_alias(store, tmp_path):
    everything = tmp_path / "all.nt"
    some = tmp_path / "some.nt"
    assert run("export", "--format", "nt", "-o", str(everything), store=store).returncode == 0
    result = run("export", "--format", "nt", "-o", str(some), "--actor", "WSA", store=store)
    assert result.returncode == 0, result.stderr
    text = some.read_text(encoding="utf-8")
    assert 0 < len(text) < everything.stat().st_size and "Lena Brook" in text and "Amira Cole" not in text


def test_sharded_extraction_then_load_equals_ingest(tmp_path):
    shards = []
    for i in range(2):
        result = run("extract", str(ARTICLES), "--shard", f"{i}/2")
        assert result.returncode == 0, result.stderr
        shards.append(tmp_path / f"s{i}.jsonl")
        shards[-1].write_text(result.stdout, encoding="utf-8")
    assert sum(len(p.read_text().splitlines()) for p in shards) == N
    loaded, ingested = tmp_path / "loaded.lbug", tmp_path / "ingested.lbug"
    assert run("load", *map(str, shards), store=loaded).returncode == 0
    assert run("ingest", str(ARTICLES), store=ingested).returncode == 0
    count = "MATCH (e:Event)-[:AGENT]->(a:Actor) RETURN count(*) AS n"
    assert (
        run("cypher", count, "--format", "json", store=loaded).stdout
        == run("cypher", count, "--format", "json", store=ingested).stdout
    )
    again = run("load", *map(str, shards), store=loaded)
    assert f"{N} unchanged" in again.stderr
    assert run("extract", str(ARTICLES), "--shard", "2/2").returncode == 2


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Gazette</title><link>http://127.0.0.1:9/</link>
<item><title>Agency appoints new chief</title><link>http://127.0.0.1:9/news/agency-chief</link>
<pubDate>Tue, 07 May 2024 09:00:00 GMT</pubDate>
<description>The Water Standards Agency has appointed Dr Lena Brook as its chief executive. Dr Brook will
take over from Martin Doyle in June, the agency said, after a long search for a leader able to
steer the regulator through a difficult period for the water industry and its many customers.</description>
</item></channel></rss>
"""


def test_feed_items_already_stored_are_not_fetched_again(tmp_path):
    feed = tmp_path / "gazette.xml"
    feed.write_text(FEED, encoding="utf-8")
    path = tmp_path / "g.lbug"
    first = run("ingest", str(feed), "--timeout", "1", store=path)
    assert first.returncode == 0, first.stderr
    assert "1 added" in first.stderr
    again = run("ingest", str(feed), "--timeout", "1", store=path)
    assert again.returncode == 0, again.stderr
    assert "already ingested" in again.stderr and "added" not in again.stderr.split(";")[0]


def test_one_article_that_cannot_be_extracted_does_not_sink_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text("date: 2024-02-01\n\nThe Water Standards Agency fined Lakeside Water.\n")
    (tmp_path / "b.txt").write_text("date: 2024-02-01\n\n" + "The council met again. " * 50_000)
    (tmp_path / "c.txt").write_text("date: 2024-02-02\n\nThe Harbour Trust appointed Ann Lee as chair.\n")
    result = run("extract", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    sources = [Path(json.loads(line)["article"]["source"]).name for line in result.stdout.splitlines()]
    assert sources == ["a.txt", "c.txt"]
    assert f"newsgraph: skipped {tmp_path / 'b.txt'}: too long for the pipeline" in result.stderr
    assert "2 extracted, 1 skipped (1 too long for the pipeline)" in result.stderr
    strict = run("ingest", str(tmp_path), "--strict", store=tmp_path / "s.lbug")
    assert strict.returncode == 2 and "b.txt: too long for the pipeline" in strict.stderr


def test_analyze_ego_names_its_actors_and_prints_short_event_ids(store):
    result = run("analyze", "--ego", "WSA", "--limit", "3", store=store)
    assert result.returncode == 0, result.stderr
    ego = result.stdout.split("ego network", 1)[1]
    assert "Water Standards Agency" in ego and "organisation:" not in ego  # names, not ids
    shown = re.findall(r"ev_[0-9a-f]+", ego)
    assert shown and all(len(event) == 11 for event in shown)


def test_extract_on_a_local_dask_cluster_writes_what_one_process_prints(tmp_path):
    pytest.importorskip("distributed")
    corpus = tmp_path / "corpus"
    shutil.copytree(ARTICLES, corpus)
    (corpus / "zz_binary.txt").write_bytes(b"\x00\x01" * 40)
    (corpus / "wire.jsonl").write_text('{"body": "The Harbour Board met on Monday."}\nnot json\n', encoding="utf-8")
    single = run("extract", str(corpus))
    assert single.returncode == 0, single.stderr
    out = tmp_path / "parts"
    result = run("extract", str(corpus), "--workers", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) > 1 and "".join(p.read_text(encoding="utf-8") for p in parts) == single.stdout
    # the same skips, told the same way, and the same counts in the summary
    said = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert said[:2] == [line for line in single.stderr.splitlines() if "skipped" in line][:2]
    summary = f"newsgraph: {N + 1} extracted into {len(parts)} part file(s) in {out}, 2 skipped"
    assert said[-1].startswith(summary) and single.stderr.splitlines()[-1].startswith(
        f"newsgraph: {N + 1} extracted, 2 skipped"
    )
    again = run("extract", str(corpus), "--workers", "2", "-o", str(out))
    assert again.returncode != 0 and "already holds part files" in again.stderr
