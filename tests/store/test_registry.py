"""Backends found by URI scheme (newsgraph.store), each implementing the whole Store protocol, with
no import cycle: the protocol and the registry import no backend."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.errors import StoreError
from newsgraph.store import BACKENDS, NEO4J_SCHEMES, Store, open_store, register
from newsgraph.store.embedded import EmbeddedStore
from newsgraph.store.neo4j import SCHEMES, Neo4jStore
from newsgraph.store.protocol import Store as ProtocolStore

PACKAGE = Path(__file__).resolve().parents[2] / "newsgraph" / "store"


def test_every_scheme_names_its_backend(tmp_path):
    assert BACKENDS["embedded:"] == "newsgraph.store.embedded:EmbeddedStore"
    assert SCHEMES == NEO4J_SCHEMES
    assert {BACKENDS[s] for s in SCHEMES} == {"newsgraph.store.neo4j:Neo4jStore"}
    with open_store(f"embedded:{tmp_path / 'g.lbug'}", timeout=2) as store:
        assert isinstance(store, EmbeddedStore) and isinstance(store, Store)
        assert store.backend == "embedded" and store._query_timeout == 2
    with pytest.raises(StoreError, match="unknown scheme"):
        open_store("sqlite:///x.db")


def test_a_backend_registers_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr("newsgraph.store.BACKENDS", dict(BACKENDS))
    register("mine:", "newsgraph.store.embedded:EmbeddedStore")
    from newsgraph import store as package

    assert package.BACKENDS["mine:"] == "newsgraph.store.embedded:EmbeddedStore"


PROTOCOL = {n for n in vars(ProtocolStore) if not n.startswith("_")} | set(ProtocolStore.__annotations__)


@pytest.mark.parametrize("backend", [EmbeddedStore, Neo4jStore])
def test_each_backend_implements_the_whole_protocol(backend):
    """Every method a caller uses is in the protocol, and every backend has it (no probing with getattr)."""
    assert {"write", "write_many", "write_stats", "remove", "query", "snapshot", "counts", "upgrade",
            "set_actor_metrics", "close", "uri", "backend", "read_only"} <= PROTOCOL  # fmt: skip
    instance_attributes = {"uri", "read_only"}  # set by the constructor
    missing = {m for m in (PROTOCOL | {"__enter__", "__exit__"}) - instance_attributes if not hasattr(backend, m)}
    assert not missing, f"{backend.__name__} lacks {sorted(missing)}"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsgraph.store"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("newsgraph.store")}
    return found


def test_no_import_cycle_and_no_backend_in_the_protocol():
    modules = {f"newsgraph.store.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    graph = {name: {m for m in _imports(path) if m in modules} for name, path in modules.items()}
    backends = {"newsgraph.store.embedded", "newsgraph.store.neo4j"}
    for name in ("protocol", "records", "rows", "selection", "schema"):
        assert not graph[f"newsgraph.store.{name}"] & backends, name
    assert not _imports(PACKAGE / "__init__.py") & backends  # backends come by name only
    # No module reaches itself again.
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            assert module != start, f"import cycle through {start}"
            if module not in seen:
                seen.add(module)
                todo += graph[module]


def test_the_package_imports_no_backend_and_no_driver():
    code = "import sys, newsgraph.store; print(sorted(m for m in sys.modules if m in ('ladybug', 'neo4j')" \
        " or m.startswith('newsgraph.store.')))"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert eval(out) == [  # noqa: S307 (our own output)
        "newsgraph.store.consolidate",
        "newsgraph.store.naming",
        "newsgraph.store.protocol",
        "newsgraph.store.records",
        "newsgraph.store.rows",
        "newsgraph.store.selection",
        "newsgraph.store.uri",
    ]
