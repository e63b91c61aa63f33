"""What a Cypher read may contain: the allow-list both backends check before the engine sees a statement."""

from __future__ import annotations

import pytest

from newsgraph import queries
from newsgraph.errors import QueryError
from newsgraph.graph import resolve
from newsgraph.queries import BACKENDS, catalogue
from newsgraph.store.read_only import check_read

# Each reads or writes files, fetches URLs, or changes the graph, its schema or the engine's settings.
REFUSED = [
    # LadybugDB: table functions that read files (READ_CSV_SERIAL crashed the process with a segfault)
    "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *",
    "CALL READ_CSV_PARALLEL('/etc/passwd') RETURN *",
    "CALL READ_PARQUET('/tmp/x.parquet') RETURN *",
    "CALL READ_NPY('/tmp/x.npy') RETURN *",
    "call read_csv_serial('/etc/passwd') return *",
    "CALL `READ_CSV_SERIAL`('/etc/passwd') RETURN *",
    "CALL /* hidden */ READ_CSV_SERIAL ('/etc/passwd') RETURN *",
    "MATCH (a:Article) CALL FILE_INFO('/etc/passwd') RETURN *",
    "LOAD FROM '/etc/passwd' RETURN *",
    "LOAD WITH HEADERS (a STRING) FROM '/etc/passwd' RETURN *",
    "MATCH (a:Article) LOAD FROM '/etc/passwd' RETURN *",
    "COPY (MATCH (a:Article) RETURN a.body) TO '/tmp/out.csv'",
    "EXPORT DATABASE '/tmp/dump'",
    "IMPORT DATABASE '/tmp/dump'",
    "ATTACH '/tmp/other.lbug' AS other (dbtype lbug)",
    "INSTALL httpfs",
    "LOAD EXTENSION json",
    "CALL threads = 1",
    "CALL PROJECT_GRAPH('g', ['Actor'], ['AGENT'])",
    "RETURN nextval('s') AS n",
    "MATCH (a:Article) RETURN a.id, READ_CSV_SERIAL('/etc/passwd') AS x",
    "CHECKPOINT",
    # Neo4j
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CALL apoc.load.json('http://example.org/x') YIELD value RETURN value",
    "RETURN apoc.text.join(['a'], ',') AS x",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "USE system SHOW USERS",
    "MATCH (n) FOREACH (x IN [1] | SET n.x = 1)",
    # writes
    "CREATE (:Actor {id: 'x'})",
    "MATCH (x:Actor) DETACH DELETE x",
    "MATCH (x:Actor) SET x.name = 'y'",
    "MERGE (x:Actor {id: 'x'}) RETURN x",
    "match (x:Actor) remove x.name",
    "DROP TABLE Actor",
    "COPY Actor FROM 'a.csv'",
    "BEGIN TRANSACTION",
    # more than one statement, or none
    "MATCH (x:Actor) RETURN x.id; MATCH (y:Actor) RETURN y.id",
    "",
    "// only a comment",
]


@pytest.mark.parametrize("cypher", REFUSED)
def test_what_is_not_a_plain_read_is_refused_in_one_line(cypher):
    with pytest.raises(QueryError, match="^refused: ") as err:
        check_read(cypher)
    assert "\n" not in str(err.value)


def test_a_refused_file_reader_is_named():
    with pytest.raises(QueryError, match="CALL READ_CSV_SERIAL is not a procedure a read may call"):
        check_read("CALL READ_CSV_SERIAL('/etc/passwd') RETURN *")
    with pytest.raises(QueryError, match="LOAD would change the graph or reach outside it"):
        check_read("LOAD FROM '/etc/passwd' RETURN *")
    with pytest.raises(QueryError, match="function apoc.text.join is not one a read may use"):
        check_read("RETURN apoc.text.join(['a'], ',') AS x")


ALLOWED = [
    "MATCH (x:Actor) WHERE x.name <> 'DELETE me' RETURN x.name AS created, x.id AS `set`",
    "MATCH (e:Event) WHERE e.trigger = 'LOAD FROM /etc/passwd' RETURN 'CREATE' AS word // COPY in a comment",
    "CALL SHOW_TABLES() RETURN *",
    "CALL TABLE_INFO('Article') RETURN name",
    "CALL db.labels() YIELD label RETURN label",
    "CALL { MATCH (a:Actor) RETURN a LIMIT 1 } RETURN a.name",
    "RETURN `lower`('A') AS x",
    "MATCH (a:Article) RETURN a.source AS source, a.url AS url ORDER BY source SKIP 1 LIMIT 5;",
    "OPTIONAL MATCH (a:Actor) WITH a WHERE NOT (a)-[:AGENT]-() RETURN count(a) AS n",
    "UNWIND [1, 2] AS i RETURN CASE WHEN (i > 1) THEN toString(i) ELSE 'one' END AS s",
    "MATCH p = (a:Actor)-[:AGENT|PATIENT* SHORTEST 1..4]-(b:Actor) RETURN nodes(p), length(p)",
    "MATCH p = shortestPath((a:Actor)-[*..4]-(b:Actor)) RETURN p",
    "MATCH (x:Actor) WHERE any(a IN x.aliases WHERE toLower(a) STARTS WITH 'ms') RETURN x.load, x.set",
    "MATCH (e:Event) RETURN e.date AS date, count(*) AS n UNION ALL RETURN NULL AS date, 0 AS n",
]


@pytest.mark.parametrize("cypher", ALLOWED)
def test_reads_pass(cypher):
    check_read(cypher)


def test_every_statement_newsgraph_itself_reads_with_passes():
    texts = [q.text(b) for q in catalogue().values() for b in BACKENDS]
    texts += [v for k, v in vars(queries).items() if k.isupper() and isinstance(v, str) and "MATCH" in v]
    texts += list(resolve.STATEMENTS.values())
    assert len(texts) > 30
    for text in texts:
        check_read(text)
