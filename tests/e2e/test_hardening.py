"""Hostile input and faults, run as a user runs newsgraph (the installed script in a subprocess):
engine calls a read must not reach, full disks, credentials and terminal escapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import run
from tests.fixtures.world import world

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
