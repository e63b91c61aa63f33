"""The schema declared once (newsgraph/store/schema.py): what each backend creates is what it
declares, and the linter's schema is generated from the same declaration."""

from __future__ import annotations

import pytest

from newsgraph.store import schema
from newsgraph.store.embedded import EmbeddedStore
from tests.fixtures.neo4j import empty_server_store, needs_server

LADYBUG_TYPES = {"STRING": "STRING", "INT64": "INT64", "DOUBLE": "DOUBLE", "STRING[]": "STRING[]"}


def test_the_embedded_store_has_the_declared_tables_and_columns(tmp_path):
    with EmbeddedStore(tmp_path / "g.lbug") as store:
        tables = {name for [name] in store._run("CALL SHOW_TABLES() RETURN name")}
        assert tables == {n.label for n in schema.NODES} | {r.type for r in schema.RELATIONSHIPS}
        for table in (*schema.NODES, *schema.RELATIONSHIPS):
            name = table.label if isinstance(table, schema.Node) else table.type
            columns = {n: t for n, t in store._run(f"CALL TABLE_INFO('{name}') RETURN name, type")}
            declared = {p.name: p.type for p in table.properties}
            assert columns == declared, name


def test_ddl_is_safe_to_repeat_and_names_every_added_column(tmp_path):
    ddl = schema.ladybug_ddl()
    assert "ALTER TABLE Article ADD IF NOT EXISTS pipeline STRING" in ddl
    assert "ALTER TABLE MENTIONED_IN ADD IF NOT EXISTS merged_from STRING[]" in ddl
    assert all("IF NOT EXISTS" in statement for statement in ddl)
    assert "`end` INT64" in next(s for s in ddl if "REPORTED_IN" in s)
    assert "ALTER TABLE Article ADD IF NOT EXISTS pending STRING[]" in ddl
    for _ in range(2):
        EmbeddedStore(tmp_path / "g.lbug").close()


def test_the_lint_schema_is_the_declared_graph():
    lint = schema.lint_schema(extra_keys=("holder",))
    assert lint["labels"] == ["Article", "Actor", "Event"]
    assert {"from": "Actor", "relType": "HOLDS_ROLE", "to": "Actor"} in lint["graphSchema"]
    assert {"co_mention_max", "merged_from", "pending", "pagerank", "holder"} <= set(lint["propertyKeys"])


@pytest.mark.neo4j
@needs_server
def test_neo4j_has_the_declared_constraints_and_indexes():
    with empty_server_store() as store:
        store.upgrade()  # creates the schema
        with store._session(write=False) as session:
            names = {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")}
            constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    declared = schema.neo4j_ddl()
    assert {n for n in declared if n.endswith("_id")} <= constraints
    assert set(declared) <= names  # a unique constraint comes with its index
