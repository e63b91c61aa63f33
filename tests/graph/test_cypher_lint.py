"""Every Cypher statement newsgraph sends to Neo4j passes Neo4j 5's own parser, without a server.

tools/cypher-lint/lint.mjs runs @neo4j-cypher/language-support (the parser and semantic analysis of
Neo4j's tooling) over the Neo4j store's statements and the catalogue's Neo4j texts, once for the
whole batch. Besides syntax it reports undeclared parameters, functions Neo4j lacks, more than one
statement per query, and (given the graph schema below) unknown labels, relationship types and
properties, and relationships drawn in a direction the schema does not have.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsgraph.store import neo4j as neo4j_store
from newsgraph.store import schema
from newsgraph.store.rows import ROW_KEYS

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tools" / "cypher-lint"

# The graph both backends store (newsgraph/store/schema.py), and the keys of the rows the store
# UNWINDs: the linter cannot tell a row map from a node, so it checks their keys against the
# property keys too.
GRAPH = schema.lint_schema(extra_keys=ROW_KEYS)

# Statements that must NOT pass: they prove the linter can fail.
PROBES = {
    "probe:syntax": ("MATCH (a:Actor RETURN a", [], "Invalid input"),
    "probe:undeclared-param": ("MATCH (a:Actor) WHERE a.id = $missing RETURN a.name AS name", [], "$missing"),
    "probe:ladybug-function": ("MATCH (a:Actor) RETURN list_extract(a.aliases, 1) AS first", [], "list_extract"),
    "probe:two-statements": ("MATCH (a:Actor) RETURN a.id AS id; MATCH (e:Event) RETURN e.id AS id", [], "statements"),
    "probe:wrong-direction": ("MATCH (x:Actor)-[:AGENT]->(e:Event) RETURN e.id AS id", [], "AGENT"),
    "probe:misspelt-property": ("MATCH (e:Event) RETURN e.categroy AS category", [], "categroy"),
}


def _store_statements() -> dict[str, tuple[str, list[str]]]:
    every = {**{f"schema:{k}": v for k, v in neo4j_store.SCHEMA.items()}, **neo4j_store.STATEMENTS}
    return {f"store:{name}": (st.text, list(st.params)) for name, st in every.items()}


def _catalogue():
    from newsgraph.queries import catalogue

    return catalogue()


def _catalogue_statements() -> dict[str, tuple[str, list[str]]]:
    items = {}
    for name, query in _catalogue().items():
        try:
            text = query.text("neo4j")
        except Exception as exc:  # a query without a text for Neo4j fails its test below
            text = f"// {exc}"
        items[f"catalogue:{name}"] = (text, [p.name for p in query.params])
    return items


def _resolver_statements() -> dict[str, tuple[str, list[str]]]:
    """The statements the catalogue sends itself to turn names, urls and short ids into ids, and those
    `explain` sends (parameters as written)."""
    from newsgraph import queries

    names = (
        "ACTOR_KEY",
        "ACTOR_EXACT",
        "ACTOR_NAMES",
        "ACTOR_CONTAINS",
        "ARTICLE_EXACT",
        "ARTICLE_KEYS",
        "EVENT_EXACT",
        "EVENT_PREFIX",
    )
    texts = {name: getattr(queries, name, None) for name in names}
    from newsgraph import explain  # the surface forms an explanation marks

    texts |= {f"explain:{role}": explain.FORMS.replace("{role}", role) for role in ("AGENT", "PATIENT")}
    return {
        f"resolver:{name}": (text, sorted(set(re.findall(r"\$(\w+)", text))))
        for name, text in texts.items()
        if isinstance(text, str)
    }


def _cross_article_statements() -> dict[str, tuple[str, list[str]]]:
    """The portable read statements cross-article resolution sends through query()."""
    from newsgraph.graph import resolve

    return {
        f"resolve:{name}": (text, sorted(set(re.findall(r"\$(\w+)", text))))
        for name, text in resolve.STATEMENTS.items()
    }


def _bench_statements() -> dict[str, tuple[str, list[str]]]:
    """What bench/neo4j_load.py sends besides the store: the bare loader it measures the store against."""
    from bench import neo4j_load

    every = {**neo4j_load.BARE, "wipe": neo4j_load.WIPE}
    return {f"bench:{name}": (text, sorted(set(re.findall(r"\$(\w+)", text)))) for name, text in every.items()}


def _statement_ids() -> list[str]:
    ids = list(_store_statements()) + list(_cross_article_statements()) + list(_bench_statements())
    try:
        ids += list(_catalogue_statements()) + list(_resolver_statements())
    except ImportError:
        ids.append("catalogue:<newsgraph.queries does not import>")
    return ids


def _run_linter(items: dict[str, tuple[str, list[str]]], schema: Path) -> dict[str, dict]:
    node = shutil.which("node")
    lines = "\n".join(json.dumps({"id": k, "query": q, "params": p}) for k, (q, p) in items.items())
    done = subprocess.run(
        [node, str(LINTER / "lint.mjs"), "--schema", str(schema)],
        input=lines,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), f"lint.mjs failed ({done.returncode}): {done.stderr.strip()}"
    return {r["id"]: r for r in json.loads(done.stdout)["results"]}


@pytest.fixture(scope="module")
def lint_results(request, tmp_path_factory) -> dict[str, dict]:
    """Lint every statement and probe in one run of the linter; results by statement id.

    Each statement takes the analyser a few hundred milliseconds, so results are kept in pytest's
    cache, keyed by the statement, its parameters, the schema, lint.mjs and the package lock.
    """
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the Cypher linter runs on Node.js (.ci/run installs it)")
    if not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("tools/cypher-lint/node_modules is missing: run `npm ci` in tools/cypher-lint")
    items = {
        **_store_statements(),
        **_cross_article_statements(),
        **_bench_statements(),
        **{k: (q, p) for k, (q, p, _) in PROBES.items()},
    }
    try:
        items.update(_catalogue_statements())
        items.update(_resolver_statements())
    except ImportError:
        pass
    schema = tmp_path_factory.mktemp("cypher-lint") / "graph.json"
    schema.write_text(json.dumps(GRAPH), encoding="utf-8")
    tool = hashlib.sha256()
    for part in (LINTER / "lint.mjs", LINTER / "package-lock.json"):
        tool.update(part.read_bytes())
    tool.update(json.dumps(GRAPH, sort_keys=True).encode())

    def key(item: tuple[str, list[str]]) -> str:
        return hashlib.sha256(tool.digest() + json.dumps(item).encode()).hexdigest()

    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    known: dict[str, dict] = cache.get("newsgraph/cypher-lint", {}) if cache else {}
    results = {k: {**known[key(item)], "id": k} for k, item in items.items() if key(item) in known}
    missing = {k: item for k, item in items.items() if k not in results}
    if missing:
        results.update(_run_linter(missing, schema))
    if cache:
        cache.set("newsgraph/cypher-lint", {key(item): results[k] for k, item in items.items()})
    return results


def _explain(result: dict, text: str) -> str:
    lines = [f"{d['severity']} at {d['line']}:{d['column']}: {d['message']}" for d in result["diagnostics"]]
    return "\n".join(lines) + "\n--- statement ---\n" + text


@pytest.mark.parametrize("statement_id", _statement_ids())
def test_statement_passes_neo4j_parser(lint_results, statement_id):
    assert not statement_id.endswith("does not import>"), "newsgraph.queries cannot be imported"
    every = {
        **_store_statements(),
        **_cross_article_statements(),
        **_bench_statements(),
        **_catalogue_statements(),
        **_resolver_statements(),
    }
    text = every[statement_id][0]
    result = lint_results[statement_id]
    assert result["diagnostics"] == [], _explain(result, text)
    assert result["statements"] == 1


@pytest.mark.parametrize("statement_id", _statement_ids())
def test_declared_params_are_used(lint_results, statement_id):
    """A parameter the statement never reads would be silently ignored: a header or code slip."""
    assert not statement_id.endswith("does not import>"), "newsgraph.queries cannot be imported"
    assert lint_results[statement_id]["unused_params"] == []


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_linter_catches_mistakes(lint_results, probe):
    query, _, expected = PROBES[probe]
    messages = " | ".join(d["message"] for d in lint_results[probe]["diagnostics"])
    assert expected in messages, f"{probe}: expected a diagnostic naming {expected!r}, got: {messages or 'none'}"


def test_every_backend_variant_keeps_the_header():
    """NAME.neo4j.cypher and NAME.embedded.cypher declare the same parameters as each other."""
    from newsgraph.queries import parse

    folder = ROOT / "newsgraph" / "queries"
    for variant in sorted(folder.glob("*.*.cypher")):
        base = variant.name.split(".")[0]
        siblings = [f for f in folder.glob(f"{base}*.cypher") if f != variant]
        headers = {
            f.name: [(p.name, p.type, p.default, p.required) for p in parse(f.read_text(), f.name).params]
            for f in [variant, *siblings]
        }
        assert len({json.dumps(h, default=str) for h in headers.values()}) == 1, headers


def test_every_catalogue_query_runs_on_neo4j():
    for query in _catalogue().values():
        query.text("neo4j")  # raises QueryError when only another backend has a variant
