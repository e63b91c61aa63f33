"""The Neo4j store: UNWIND row batches, credentials kept out of every message, driver errors mapped
to one-line newsgraph errors, timeouts per transaction function; and, when NEWSGRAPH_TEST_NEO4J_URI
names a server, the store's behaviour against a real Neo4j (the transaction flow of a write, what a
write cut off before its refresh leaves), compared with the embedded store on the same articles."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from neo4j import exceptions as neo

from newsgraph.errors import ConfigError, QueryError, StoreError
from newsgraph.model import Extraction
from newsgraph.store import Selection, Store, open_store, snapshot_from_extractions
from newsgraph.store.embedded import EmbeddedStore
from newsgraph.store.neo4j import (
    SCHEMA,
    STATEMENTS,
    WRITE_ORDER,
    Neo4jStore,
    batched,
    map_error,
    write_batches,
)
from newsgraph.store.rows import extraction_rows
from tests.fixtures.neo4j import SERVER, empty_server_store, graph_dump, needs_server, wipe
from tests.fixtures.world import ART1, ART2, WORLD_COUNTS, rewritten_succession, world

SECRET = "s3cret-xyz"
HOLLIS, PRYCE, MINISTRY = "person:dana-hollis", "person:owen-pryce", "organisation:ministry-of-learning"
INSPECTORATE = "organisation:schools-inspectorate"


def server_error(code: str, message: str) -> neo.Neo4jError:
    """A driver exception as the driver builds it from a server FAILURE message."""
    hydrate = getattr(neo.Neo4jError, "_hydrate_neo4j", None) or neo.Neo4jError.hydrate  # 6.x / 5.x drivers
    return hydrate(code=code, message=message)


# -- rows and batches ------------------------------------------------------------------------------


def test_batches_split_rows_and_keep_write_order():
    ex = world()[1]
    batches = write_batches(ex, batch_size=2)
    names = [name for name, _ in batches]
    assert names == sorted(names, key=WRITE_ORDER.index)  # nodes before the edges that MATCH them
    assert all(1 <= len(rows) <= 2 for _, rows in batches)
    every = extraction_rows(ex)
    for name in WRITE_ORDER:
        sent = [r for n, rows in batches if n == name for r in rows]
        pending = ("pending", "pending_events")
        assert [{k: v for k, v in r.items() if k not in pending} for r in sent] == every[name.removeprefix("write_")]
    assert "write_roles" not in names  # no rows, no statement
    assert [len(rows) for _, rows in write_batches(ex, batch_size=500)] == [1, 4, 4, 3, 5, 4]


def test_an_article_row_names_the_actors_its_write_leaves_pending():
    [(name, [article])] = write_batches(world()[2], pending=["person:gone", "person:mira-stone"])[:1]
    assert name == "write_articles"
    assert article["pending"] == sorted(
        ["person:gone", "person:mira-stone", "organisation:elm-primary-school", INSPECTORATE]
    )
    assert "a.pending = row.pending" in STATEMENTS["write_articles"].text


def test_batched_edges():
    assert list(batched([], 3)) == []
    assert list(batched([{"a": 1}] * 7, 3)) == [[{"a": 1}] * 3, [{"a": 1}] * 3, [{"a": 1}]]
    with pytest.raises(ConfigError):
        list(batched([{}], 0))


def test_every_statement_is_parameterised():
    """Values travel as parameters: no statement carries a string literal data could have filled,
    and every parameter a statement declares is one it reads."""
    for name, statement in {**SCHEMA, **STATEMENTS}.items():
        assert "'" not in statement.text and '"' not in statement.text, name
        for param in statement.params:
            assert f"${param}" in statement.text, (name, param)
    # Only statements over the whole store take none: counts, reading the whole graph, finding what
    # articles left pending, and finding and filling what a store made before KEPT_UP or before
    # events were consolidated lacks.
    whole_store = {
        "counts",
        "graph_articles",
        "graph_events",
        "graph_reports",
        "event_without_key",
        "unkeyed_events",
        "delete_unkeyed_events",
        "graph_roles",
        "graph_mention_roles",
        "graph_actors",
        "pending_articles",
        "events_without_sort_key",
        "event_without_sort_key",
        "actor_without_co_mention_max",
        "delete_co_mentions",
        "count_all_co_mentions",
        "set_every_co_mention_max",
    }
    assert {name for name, st in STATEMENTS.items() if not st.params} == whole_store


# -- a fake driver: statements of remove, upgrade and query; timeouts ------------------------------------


class FakeRecord(dict):
    def data(self) -> dict[str, Any]:
        return dict(self)


class FakeCounters:
    def __init__(self, updates: bool):
        self.contains_updates = updates
        self.contains_system_updates = False
        self.nodes_created = 1


class FakeSummary:
    def __init__(self, updates: bool):
        self.counters = FakeCounters(updates)


class FakeResult:
    def __init__(self, rows, updates=False):
        self._rows = [FakeRecord(r) for r in rows]
        self._updates = updates

    def __iter__(self):
        return iter(self._rows)

    def consume(self):
        return FakeSummary(self._updates)


class FakeDriver:
    """Records every statement run; `answers` maps a statement name to the rows it returns."""

    TEXTS = {st.text: name for name, st in {**SCHEMA, **STATEMENTS}.items()}

    def __init__(self, uri, auth=None, **config):
        self.uri, self.auth, self.config = uri, auth, config
        self.answers: dict[str, Any] = {}
        self.runs: list[tuple[str, dict[str, Any], str]] = []  # (statement name, params, transaction kind)
        self.sessions: list[dict[str, Any]] = []
        self.timeouts: list[float | None] = []  # each transaction function's (neo4j.unit_of_work)
        self.closed = False

    def verify_connectivity(self):
        pass

    def close(self):
        self.closed = True

    def session(self, **config):
        self.sessions.append(config)
        return FakeSession(self)

    def run(self, query, parameters, kind):
        text = getattr(query, "text", query)
        name = self.TEXTS.get(text, text)
        self.runs.append((name, dict(parameters or {}), kind))
        answer = self.answers.get(name, [])
        return answer(parameters) if callable(answer) else FakeResult(answer)

    def names(self, kind=None):
        return [name for name, _, k in self.runs if kind is None or k == kind]


class FakeTx:
    def __init__(self, driver, kind):
        self.driver, self.kind = driver, kind

    def run(self, query, parameters=None, **kw):
        if not isinstance(query, str):  # as the real driver: a neo4j.Query only goes to session.run
            raise TypeError("Query object is only supported for session.run")
        return self.driver.run(query, {**(parameters or {}), **kw}, self.kind)


class FakeSession:
    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute_write(self, work):
        self.driver.timeouts.append(getattr(work, "timeout", None))
        return work(FakeTx(self.driver, "write"))

    def execute_read(self, work):
        self.driver.timeouts.append(getattr(work, "timeout", None))
        return work(FakeTx(self.driver, "read"))

    def run(self, query, parameters=None, **kw):
        return self.driver.run(query, {**(parameters or {}), **kw}, "auto")


@pytest.fixture
def fake(monkeypatch):
    import neo4j

    made: list[FakeDriver] = []

    def driver(uri, **kw):
        made.append(FakeDriver(uri, **kw))
        return made[-1]

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", driver)
    for var in ("NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)

    def open_(uri="bolt://localhost:7687", **options) -> tuple[Neo4jStore, FakeDriver]:
        store = Neo4jStore(uri, **options)
        return store, made[-1]

    return open_


def _mentioned(params):
    return FakeResult(
        [
            {"id": a, "name": a.split(":")[1].title(), "forms": [["x"]], "roles": [[]], "mentioned": 1}
            for a in params["actors"]
        ]
    )


def test_open_store_picks_this_backend(fake):
    store, driver = fake()
    assert isinstance(store, Store)
    assert store.backend == "neo4j" and store.uri == "bolt://localhost:7687"
    assert driver.auth is None  # no password anywhere: no auth (a server with auth disabled)


# What the first write or removal looks for in a store made before KEPT_UP (finding none).
UPGRADE_CHECK = ["event_without_key", "events_without_sort_key", "actor_without_co_mention_max"]


def test_schema_is_created_once_per_store(fake):
    store, driver = fake()
    driver.answers["actor_mentions"] = _mentioned
    for ex in world():
        store.write(ex)
    assert driver.names("auto") == list(SCHEMA)
    assert driver.names("write").count("events_without_sort_key") == 1


def test_remove_by_any_key(fake):
    store, driver = fake()
    assert store.remove("https://example.org/gone") is False
    assert driver.names("write") == UPGRADE_CHECK + ["articles_by_key"]
    driver.answers["articles_by_key"] = [{"id": "art_1"}]
    driver.answers["actors_of_articles"] = [{"id": PRYCE}]
    driver.answers["actor_mentions"] = [{"id": PRYCE, "name": "Owen Pryce", "forms": [], "roles": [], "mentioned": 0}]
    assert store.remove("tests/world/succession.txt") is True
    sent = [params for name, params, _ in driver.runs if name == "articles_by_key"]
    assert sent[-1] == {"key": "tests/world/succession.txt"}
    assert driver.names("write")[-1] == "delete_actors"
    assert driver.names("auto") == list(SCHEMA)  # once: the counts it lowers must be there first


def test_a_store_made_before_the_kept_counts_is_filled_once(fake):
    store, driver = fake(batch_size=2)
    driver.answers["events_without_sort_key"] = [
        {"key": "evk_1", "events": 2},
        {"key": "evk_2", "events": 1},
        {"key": "evk_3", "events": 1},
    ]
    driver.answers["actor_without_co_mention_max"] = [{"id": PRYCE}]
    driver.answers["count_all_co_mentions"] = [{"pairs": 5}]
    assert store.upgrade() == {"events": 4, "pairs": 5}
    # Regrouping an event's reports gives its sort key (store/consolidate.py), a batch of keys at a time.
    assert [params["keys"] for name, params, _ in driver.runs if name == "events_of_keys"] == [
        ["evk_1", "evk_2"],
        ["evk_3"],
    ]
    assert driver.names("write") == [
        "event_without_key",
        "events_without_sort_key",
        "events_of_keys",
        "events_of_keys",
        "actor_without_co_mention_max",
        "delete_co_mentions",
        "count_all_co_mentions",
        "set_every_co_mention_max",
    ]
    assert store.upgrade() == {"events": 0, "pairs": 0}  # once per store
    assert driver.names("write").count("events_without_sort_key") == 1


def test_a_query_reading_the_kept_counts_checks_they_are_there(fake):
    store, driver = fake(read_only=True)
    driver.answers["event_without_sort_key"] = [{"id": "ev_old"}]
    timeline = "MATCH (e:Event) RETURN e.id AS id ORDER BY e.sort_key LIMIT 5"
    with pytest.raises(QueryError) as err:
        store.query(timeline)
    assert str(err.value) == (
        "Neo4j at bolt://localhost:7687 was made by an older newsgraph and lacks the event sort keys and"
        " co-mention counts this query reads; add them with: newsgraph upgrade --store bolt://localhost:7687"
    )
    store.query("MATCH (e:Event) RETURN e.id AS id")  # a query that reads none of them is not checked
    assert driver.names("read").count("event_without_sort_key") == 1
    driver.answers["event_without_sort_key"] = []
    store.query(timeline)
    store.query(timeline)
    assert driver.names("read").count("event_without_sort_key") == 2  # found complete: not asked again


def test_read_only_store_refuses_writes_before_any_session(fake):
    store, driver = fake(read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.write(world()[0])
    with pytest.raises(StoreError, match="read-only"):
        store.remove(ART1.source)
    assert driver.runs == [] and driver.sessions == []


def test_query_runs_in_a_read_transaction_with_the_timeout(fake):
    store, driver = fake(timeout=2.5)
    driver.answers["MATCH (x:Actor) RETURN x.name AS name"] = [{"name": "Dana Hollis"}]
    assert store.query("MATCH (x:Actor) RETURN x.name AS name") == [{"name": "Dana Hollis"}]
    assert driver.sessions[-1]["default_access_mode"] == "READ"
    assert driver.names("read") == ["MATCH (x:Actor) RETURN x.name AS name"]


def test_read_timeout_goes_with_the_transaction_function(fake):
    """The driver takes a timeout per transaction function (neo4j.unit_of_work); tx.run refuses a
    neo4j.Query, which is how the first run on a real server failed."""
    store, driver = fake(timeout=2.5)
    driver.answers["counts"] = [dict.fromkeys(WORLD_COUNTS, 0)]
    store.query("RETURN 1 AS one")
    store.counts()
    store.snapshot()
    assert driver.timeouts == [2.5, 2.5, 2.5]
    writer, driver = fake()
    driver.answers["actor_mentions"] = _mentioned
    writer.write(world()[0])
    assert set(driver.timeouts) == {None}  # writes are not cut short


def test_query_that_wrote_is_refused(fake):
    store, driver = fake()
    driver.answers["CREATE (n:Article) RETURN n"] = lambda p: FakeResult([{"n": {}}], updates=True)
    with pytest.raises(QueryError, match="refused: .*read-only"):
        store.query("CREATE (n:Article) RETURN n")


def test_server_refusal_of_a_write_is_a_query_error(fake):
    store, driver = fake()

    def refuse(params):
        raise server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed.")

    driver.answers["CREATE (n:Article) RETURN n"] = refuse
    with pytest.raises(QueryError, match="refused: .*read-only"):
        store.query("CREATE (n:Article) RETURN n")


def test_closed_store_says_so(fake):
    store, driver = fake()
    with store:
        pass
    assert driver.closed
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_unknown_option_is_a_config_error(fake):
    with pytest.raises(ConfigError, match="pasword"):
        fake(pasword=SECRET)
    with pytest.raises(ConfigError, match="timeout"):
        fake(timeout="soon")


# -- credentials -----------------------------------------------------------------------------------


def test_credentials_from_options_env_and_uri(fake, monkeypatch):
    _, driver = fake(username="reader", password=SECRET, database="news")
    assert driver.auth == ("reader", SECRET)
    monkeypatch.setenv("NEO4J_USERNAME", "envuser")
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NEO4J_DATABASE", "envdb")
    store, driver = fake()
    assert driver.auth == ("envuser", SECRET) and store.database == "envdb"
    store, driver = fake(f"neo4j+s://alice:{SECRET}@example.org:7687")
    assert driver.uri == "neo4j+s://example.org:7687"  # user info never reaches the driver
    assert driver.auth == ("alice", SECRET)  # the URI's user before the environment's


def test_credentials_never_in_repr_or_uri(fake):
    for store, _ in (
        fake(username="neo4j", password=SECRET, database="news"),
        fake(f"bolt://neo4j:{SECRET}@localhost:7687"),
    ):
        for text in (repr(store), str(store), store.uri, f"{store}"):
            assert SECRET not in text
    assert "news" in repr(fake(password=SECRET, database="news")[0])


def test_unreachable_server_is_a_quick_store_error():
    start = time.monotonic()
    with pytest.raises(StoreError) as caught:
        Neo4jStore(f"bolt://neo4j:{SECRET}@127.0.0.1:1", password=SECRET, connection_timeout=2)
    assert time.monotonic() - start < 10
    message = str(caught.value)
    assert "127.0.0.1:1" in message and "unreachable" in message
    assert SECRET not in message and "\n" not in message
    assert SECRET not in repr(caught.value.__cause__)


def test_unreachable_cluster_uri_too():
    with pytest.raises(StoreError, match="unreachable") as caught:
        open_store("neo4j://127.0.0.1:1", password=SECRET, connection_timeout=2, max_retry_time=1)
    assert SECRET not in str(caught.value)


# -- error mapping -----------------------------------------------------------------------------------


URI = "neo4j+s://db.example.org:7687"


@pytest.mark.parametrize(
    ("exc", "kind", "says"),
    [
        (server_error("Neo.ClientError.Security.Unauthorized", "The client is unauthorized."), StoreError,
         "credentials refused"),
        (server_error("Neo.ClientError.Security.AuthenticationRateLimit", "The client has provided incorrect "
                      "authentication details too many times in a row."), StoreError,
         "credentials refused too many times in a row"),
        (server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRUN'\n\"RETRUN 1\"\n ^"),
         QueryError, "Cypher syntax error: Invalid input 'RETRUN'"),
        (server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", "terminated"), QueryError,
         "query timed out after 2.5s"),
        (server_error("Neo.ClientError.Transaction.TransactionTimedOut", "terminated"), QueryError,
         "query timed out after 2.5s"),
        (server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed."), QueryError,
         "refused: the statement writes, but queries are read-only"),
        (server_error("Neo.ClientError.Statement.ParameterMissing", "Expected parameter(s): limit"), QueryError,
         "Expected parameter(s): limit"),
        (server_error("Neo.ClientError.Database.DatabaseNotFound", "Database does not exist. Database name: 'news'."),
         StoreError, "the database does not exist"),
        (server_error("Neo.ClientError.Security.Forbidden", "Schema operations are not allowed for user 'r'."),
         StoreError, "refused"),
        (server_error("Neo.TransientError.General.DatabaseUnavailable", "Database 'news' is unavailable."),
         StoreError, "unavailable"),
        (neo.ServiceUnavailable("Couldn't connect to db.example.org:7687"), StoreError,
         "Neo4j at neo4j+s://db.example.org:7687: unreachable"),
        (neo.SessionExpired("gone"), StoreError, "unreachable"),
        (neo.ConfigurationError("Unknown scheme"), StoreError, "Unknown scheme"),
        (OSError(111, "Connection refused"), StoreError, "Connection refused"),
    ],
)  # fmt: skip
def test_driver_errors_map_to_one_line_newsgraph_errors(exc, kind, says):
    error = map_error(exc, URI, timeout=2.5)
    assert type(error) is kind
    assert says in str(error)
    assert "\n" not in str(error)


def test_server_error_classes_are_what_the_mapping_expects():
    assert isinstance(server_error("Neo.ClientError.Security.Unauthorized", "x"), neo.AuthError)
    assert isinstance(server_error("Neo.ClientError.Statement.SyntaxError", "x"), neo.CypherSyntaxError)
    assert isinstance(server_error("Neo.TransientError.General.DatabaseUnavailable", "x"), neo.TransientError)


def test_secrets_are_masked_in_anything_quoted():
    exc = server_error("Neo.ClientError.Statement.SyntaxError", f"Invalid input '{SECRET}'")
    error = map_error(exc, URI, secrets=[SECRET])
    assert SECRET not in str(error) and "***" in str(error)
    assert SECRET not in str(map_error(neo.ConfigurationError(f"bad {SECRET}"), URI, secrets=[SECRET]))


def test_timeout_without_a_configured_timeout():
    error = map_error(server_error("Neo.ClientError.Transaction.TransactionTimedOut", "x"), URI)
    assert str(error).startswith("query timed out (")


def test_not_a_neo4j_uri():
    with pytest.raises(ConfigError, match="not a Neo4j URI") as caught:
        Neo4jStore(f"http://neo4j:{SECRET}@localhost:7474")
    assert SECRET not in str(caught.value)


# -- against a real server -------------------------------------------------------------------------


@pytest.fixture
def server():
    with empty_server_store() as store:
        yield store


@pytest.fixture
def filled_server(server):
    for ex in world():
        server.write(ex)
    return server


def _ids(store, cypher: str, **params) -> set[str]:
    return {row["id"] for row in store.query(cypher, params)}


@pytest.mark.neo4j
@needs_server
def test_server_world_twice_gives_the_same_graph(server):
    assert [server.write(ex).status for ex in world()] == ["added"] * 3
    assert server.counts() == WORLD_COUNTS
    assert [server.write(ex).status for ex in world()] == ["unchanged"] * 3
    assert server.counts() == WORLD_COUNTS


PENDING = "MATCH (a:Article) WHERE a.pending IS NOT NULL RETURN a.id AS id, a.pending AS actors ORDER BY id"


@pytest.mark.neo4j
@needs_server
def test_server_a_write_leaves_nothing_pending_and_the_same_content_writes_nothing(server):
    results = [server.write(ex) for ex in world()]
    assert [(r.status, r.events, r.actors) for r in results] == [("added", 4, 4), ("added", 3, 4), ("added", 2, 3)]
    assert server.query(PENDING) == []
    before = graph_dump(server)
    moved = Extraction.from_dict(world()[0].to_dict())  # a copy: world() shares its articles
    moved.article.source, moved.article.url = "tests/world/elsewhere.txt", None  # same content, other source
    assert (server.write(moved).status, server.write(world()[1]).status) == ("unchanged", "unchanged")
    assert graph_dump(server) == before


@pytest.mark.neo4j
@needs_server
def test_server_a_write_cut_off_before_its_refresh_is_finished_later(server, tmp_path):
    """An article's transaction commits before what spans articles is refreshed: a load stopped
    between the two leaves the articles pending, and the next write, load or upgrade refreshes them
    to the graph an uninterrupted write gives."""
    for ex in world():
        server.write(ex)
    whole = graph_dump(server)
    wipe(server)
    for ex in world():
        server._write_article(ex, {})  # the transaction alone, as a load killed after it leaves it
    pending = {r["id"]: r["actors"] for r in server.query(PENDING)}
    assert pending == {ex.article.id: sorted(e.id for e in ex.entities) for ex in world()}
    assert graph_dump(server) != whole  # no aliases, roles or co-mention counts yet
    assert server.write(world()[0]).status == "unchanged"  # the next write finishes the refresh
    assert graph_dump(server) == whole
    wipe(server)
    for ex in world():
        server._write_article(ex, {})
    with Neo4jStore(SERVER) as later:
        later.upgrade()  # as `newsgraph upgrade` does
    assert graph_dump(server) == whole
    replacement = rewritten_succession()
    server._write_article(replacement, {})  # replaces ART1: its actors are left pending too
    [row] = [r for r in server.query(PENDING) if r["id"] == replacement.article.id]
    assert {PRYCE, MINISTRY, HOLLIS, INSPECTORATE} <= set(row["actors"])
    server.upgrade()  # this store object had its schema checked already; the refresh still runs
    with EmbeddedStore(tmp_path / "g.lbug") as embedded:
        for ex in [*world(), replacement]:
            embedded.write(ex)
        assert server.snapshot() == embedded.snapshot()
        kept_up = "MATCH (x:Actor) RETURN x.id AS id, x.co_mention_max AS most, x.aliases AS aliases ORDER BY id"
        assert server.query(kept_up) == embedded.query(kept_up)


@pytest.mark.neo4j
@needs_server
def test_server_keeps_the_pipeline(server):
    first, second = world()[:2]
    first.pipeline = {"name": "en_core_web_md", "version": "3.8.0", "spacy": "3.8.7"}
    server.write(first)
    server.write(second)
    pipelines = {a.id: a.pipeline for a in server.snapshot().articles}
    assert pipelines == {ART1.id: "en_core_web_md 3.8.0", ART2.id: None}


@pytest.mark.neo4j
@needs_server
def test_server_aliases_and_roles(filled_server):
    rows = {
        r["id"]: r
        for r in filled_server.query("MATCH (x:Actor) RETURN x.id AS id, x.aliases AS aliases, x.roles AS roles")
    }
    assert rows[PRYCE]["aliases"] == ["Pryce"]
    assert rows[MINISTRY]["aliases"] == ["the ministry"]
    assert rows[HOLLIS]["roles"] == ["chief inspector"]


@pytest.mark.neo4j
@needs_server
def test_server_replace_drops_old_events_and_orphans(filled_server):
    old_events = {e.id for e in world()[0].events}
    assert filled_server.write(rewritten_succession()).status == "replaced"
    events = _ids(filled_server, "MATCH (e:Event) RETURN e.id AS id")
    assert not events & old_events and len(events) == 9 - 4 + 1
    actors = _ids(filled_server, "MATCH (x:Actor) RETURN x.id AS id")
    assert PRYCE not in actors and MINISTRY not in actors and HOLLIS in actors
    assert filled_server.counts()["holds_role"] == 0


@pytest.mark.neo4j
@needs_server
def test_server_remove_by_url_source_and_id(filled_server):
    assert filled_server.remove(ART2.url) is True
    assert filled_server.remove(ART2.url) is False
    assert filled_server.remove("tests/world/coroner.txt") is True
    assert filled_server.remove(ART1.id) is True
    assert filled_server.counts() == dict.fromkeys(WORLD_COUNTS, 0)


@pytest.mark.neo4j
@needs_server
def test_server_refuses_writes_in_queries(filled_server):
    with pytest.raises(QueryError, match="refused"):
        filled_server.query("CREATE (a:Article {id: $id}) RETURN a.id AS id", {"id": "x"})
    with pytest.raises(QueryError, match="refused"):
        filled_server.query("MATCH (x:Actor) SET x.name = 'changed' RETURN count(x) AS n")
    assert filled_server.counts() == WORLD_COUNTS
    with Neo4jStore(SERVER, read_only=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.write(rewritten_succession())
        assert reader.counts() == WORLD_COUNTS


@pytest.mark.neo4j
@needs_server
def test_server_query_errors(filled_server):
    with pytest.raises(QueryError, match="syntax"):
        filled_server.query("MATCH (x:Actor RETURN x")
    with pytest.raises(QueryError):
        filled_server.query("MATCH (x:Actor) RETURN x LIMIT $limit")
    slow = Neo4jStore(SERVER, timeout=0.5)
    with slow, pytest.raises(QueryError, match="timed out after 0.5s"):
        slow.query("UNWIND range(1, 2000000000) AS i WITH i WHERE i % 7 = 3 RETURN count(i) AS n")


@pytest.mark.neo4j
@needs_server
def test_server_wrong_password_is_refused():
    with pytest.raises(StoreError, match="credentials refused") as caught:
        Neo4jStore(SERVER, username="neo4j", password=SECRET + "-wrong")
    assert SECRET not in str(caught.value)


SELECTIONS = [
    None,
    Selection(articles=[ART2.url]),
    Selection(categories=["appoint_succeed", "respond"]),
    Selection(actors=[HOLLIS]),
    Selection(since="2024-12-05", until="2024-12"),
    Selection(articles=[ART1.id], since="2025-01"),
]


@pytest.mark.neo4j
@needs_server
def test_server_gives_what_the_embedded_store_gives(filled_server, tmp_path):
    """The same articles in both backends: same counts, snapshots and catalogue answers."""
    from newsgraph.queries import bind, catalogue
    from newsgraph.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "g.lbug") as embedded:
        for ex in world():
            embedded.write(ex)
        assert filled_server.counts() == embedded.counts()
        for selection in SELECTIONS:
            assert filled_server.snapshot(selection) == embedded.snapshot(selection), selection
        whole = snapshot_from_extractions(world())
        assert {a.id for a in filled_server.snapshot().actors} == {a.id for a in whole.actors}
        raw = {"actor": "Dana Hollis", "a": "Dana Hollis", "b": "Owen Pryce", "event": world()[0].events[0].id,
               "text": "inspect", "speaker": "Owen Pryce"}  # fmt: skip
        for name, query in catalogue().items():
            wanted = {p.name: raw[p.name] for p in query.params if p.required or p.name in ("actor",)}
            params = bind(embedded, query, wanted)
            rows = filled_server.query(query.text("neo4j"), params)
            assert _unordered(rows) == _unordered(embedded.query(query.text("embedded"), params)), name


def _unordered(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as comparable text, ignoring the order of rows and of collect()ed lists (unspecified)."""
    return sorted(
        json.dumps({k: sorted(v, key=str) if isinstance(v, list) else v for k, v in row.items()}, sort_keys=True)
        for row in rows
    )
