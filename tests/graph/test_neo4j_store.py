"""The Neo4j store: UNWIND row batches, the transaction flow of a write, credentials kept out of
every message, driver errors mapped to one-line newsgraph errors; and, when
NEWSGRAPH_TEST_NEO4J_URI names a server, the store's behaviour against a real Neo4j, compared with
the embedded store on the same articles."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import pytest
from neo4j import exceptions as neo

from newsgraph.errors import ConfigError, QueryError, StoreError
from newsgraph.graph.neo4j_store import (
    SCHEMA,
    STATEMENTS,
    WRITE_ORDER,
    Neo4jStore,
    actor_lists,
    batched,
    extraction_rows,
    map_error,
    write_batches,
)
from newsgraph.graph.store import Selection, Store, open_store, snapshot_from_extractions
from tests.fixtures.neo4j import SERVER, empty_server_store, needs_server
from tests.fixtures.world import ART1, ART2, WORLD_COUNTS, rewritten_succession, world

SECRET = "s3cret-xyz"
HOLLIS, PRYCE, MINISTRY = "person:dana-hollis", "person:owen-pryce", "organisation:ministry-of-learning"
INSPECTORATE = "organisation:schools-inspectorate"


def server_error(code: str, message: str) -> neo.Neo4jError:
    """A driver exception as the driver builds it from a server FAILURE message."""
    hydrate = getattr(neo.Neo4jError, "_hydrate_neo4j", None) or neo.Neo4jError.hydrate  # 6.x / 5.x drivers
    return hydrate(code=code, message=message)


# -- rows and batches ------------------------------------------------------------------------------


def test_rows_of_an_article():
    rows = extraction_rows(world()[0])
    assert [len(rows[name]) for name in WRITE_ORDER] == [1, 4, 4, 1, 4, 4, 3]
    [article] = rows["merge_articles"]
    assert article["id"] == ART1.id and article["body"] == ART1.body and article["url"] == ART1.url
    mention = {r["actor"]: r for r in rows["merge_mentions"]}
    assert mention[PRYCE]["forms"] == ["Owen Pryce", "Pryce"]
    assert mention[PRYCE]["mentions"] == 2
    assert mention[MINISTRY]["forms"] == ["the ministry"]  # the alias and the mention, once
    assert mention[HOLLIS]["roles"] == ["chief inspector"]
    assert rows["merge_roles"] == [
        {"holder": HOLLIS, "organisation": INSPECTORATE, "title": "chief inspector", "article": ART1.id}
    ]
    event = rows["merge_events"][0]
    assert event["article"] == ART1.id and event["date"] == "2025-01" and event["modality"] == "planned"
    assert (event["start"], event["end"]) == (0, ART1.body.index("\n"))


def test_the_article_row_names_the_pipeline():
    ex = world()[0]
    assert extraction_rows(ex)["merge_articles"][0]["pipeline"] is None  # the extraction names none
    ex.pipeline = {"name": "en_core_web_md", "version": "3.8.0", "spacy": "3.8.7"}
    assert extraction_rows(ex)["merge_articles"][0]["pipeline"] == "en_core_web_md 3.8.0"
    assert "a.pipeline = row.pipeline" in STATEMENTS["merge_articles"].text
    assert "a.pipeline AS pipeline" in STATEMENTS["snapshot_articles"].text


def test_a_role_without_organisation_is_no_edge():
    ex = world()[2]  # the coroner: a title, no organisation
    rows = extraction_rows(ex)
    assert rows["merge_roles"] == []
    assert {r["actor"]: r["roles"] for r in rows["merge_mentions"]}["person:mira-stone"] == ["coroner"]


def test_duplicates_are_written_once():
    ex = world()[0]
    ex.entities.append(replace(ex.entities[2], name="Someone Else"))  # same id as Owen Pryce
    ex.events.append(ex.events[0])
    ex.events[1].agents.append(ex.events[1].agents[0])
    ex.events[1].patients.append("person:not-in-this-article")
    rows = extraction_rows(ex)
    assert [r["id"] for r in rows["merge_actors"]].count(PRYCE) == 1
    assert {r["id"]: r["name"] for r in rows["merge_actors"]}[PRYCE] == "Owen Pryce"  # the first wins
    assert len(rows["merge_events"]) == 4
    assert len(rows["merge_agents"]) == 4  # the repeated agent once
    assert {r["actor"] for r in rows["merge_patients"]} <= {e.id for e in ex.entities}


def test_batches_split_rows_and_keep_write_order():
    ex = world()[1]
    batches = write_batches(ex, batch_size=2)
    names = [name for name, _ in batches]
    assert names == sorted(names, key=WRITE_ORDER.index)  # nodes before the edges that MATCH them
    assert all(1 <= len(rows) <= 2 for _, rows in batches)
    every = extraction_rows(ex)
    for name in WRITE_ORDER:
        assert [r for n, rows in batches if n == name for r in rows] == every[name]
    assert "merge_roles" not in names  # no rows, no statement
    assert [len(rows) for _, rows in write_batches(ex, batch_size=500)] == [1, 4, 4, 3, 5, 4]


def test_batched_edges():
    assert list(batched([], 3)) == []
    assert list(batched([{"a": 1}] * 7, 3)) == [[{"a": 1}] * 3, [{"a": 1}] * 3, [{"a": 1}]]
    with pytest.raises(ConfigError):
        list(batched([{}], 0))


def test_actor_lists_drop_the_name_in_any_case():
    aliases, roles = actor_lists("Owen Pryce", [["Owen Pryce", "Pryce"], ["OWEN PRYCE", "Mr Pryce"], None], [["a"], []])
    assert aliases == ["Mr Pryce", "Pryce"]
    assert roles == ["a"]


def test_date_filters_compare_at_the_shorter_precision():
    """snapshot_events' STARTS WITH predicates keep what the embedded store's prefix comparison keeps."""
    dates = ["2024", "2024-11", "2024-12", "2025-01", "2024-11-30", "2024-12-01", "2024-12-05", "2024-12-31"]
    for date in dates:
        for bound in dates:
            since_cypher = date >= bound or bound.startswith(date)
            until_cypher = date <= bound or date.startswith(bound)
            assert since_cypher == (date >= bound[: len(date)]), (date, bound)
            assert until_cypher == (date[: len(bound)] <= bound), (date, bound)
    text = STATEMENTS["snapshot_events"].text
    assert "e.date >= $since OR $since STARTS WITH e.date" in text
    assert "e.date <= $until OR e.date STARTS WITH $until" in text
    assert "left(" not in text  # left(x, null) is an error in Neo4j


def test_every_statement_is_parameterised():
    """Values travel as parameters: no statement carries a string literal data could have filled,
    and every parameter a statement declares is one it reads."""
    for name, statement in {**SCHEMA, **STATEMENTS}.items():
        assert "'" not in statement.text and '"' not in statement.text, name
        for param in statement.params:
            assert f"${param}" in statement.text, (name, param)
    # Only statements over the whole store take none: counts, and finding and filling what a store
    # made before KEPT_UP lacks.
    whole_store = {
        "counts",
        "events_without_sort_key",
        "event_without_sort_key",
        "actor_without_co_mention_max",
        "delete_co_mentions",
        "count_all_co_mentions",
        "set_every_co_mention_max",
    }
    assert {name for name, st in STATEMENTS.items() if not st.params} == whole_store


# -- a fake driver: the transaction flow of write, remove, query ------------------------------------


class FakeRecord(dict):
    def data(self) -> dict[str, Any]:
        return dict(self)


class FakeCounters:
    def __init__(self, updates: bool):
        self.contains_updates = updates
        self.contains_system_updates = False


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
UPGRADE_CHECK = ["events_without_sort_key", "actor_without_co_mention_max"]


def test_first_write_adds_in_one_transaction(fake):
    store, driver = fake(password=SECRET)
    driver.answers["actor_mentions"] = _mentioned
    ex = world()[0]
    result = store.write(ex)
    assert (result.article, result.status, result.events, result.actors) == (ex.article.id, "added", 4, 4)
    assert driver.names("auto") == list(SCHEMA)  # constraints and indexes first, outside the write
    writes = driver.names("write")
    assert writes[:4] == UPGRADE_CHECK + ["same_article", "articles_replaced_by"]
    assert writes[4:-4] == [name for name, _ in write_batches(ex)]
    assert writes[-4:] == ["count_co_mentions", "actor_mentions", "set_actor_lists", "set_co_mention_max"]
    assert [s["default_access_mode"] for s in driver.sessions] == ["WRITE", "WRITE", "WRITE"]
    sent = {name: params for name, params, _ in driver.runs}
    assert sent["same_article"] == {"id": ex.article.id, "content_hash": ex.article.content_hash}
    assert sent["articles_replaced_by"] == {"source": ex.article.source, "url": ex.article.url}
    assert sorted(sent["actor_mentions"]["actors"]) == sorted(e.id for e in ex.entities)


def test_schema_is_created_once_per_store(fake):
    store, driver = fake()
    driver.answers["actor_mentions"] = _mentioned
    for ex in world():
        store.write(ex)
    assert driver.names("auto") == list(SCHEMA)
    assert driver.names("write").count("events_without_sort_key") == 1


def test_same_content_is_unchanged_and_writes_nothing(fake):
    store, driver = fake()
    driver.answers["same_article"] = [{"id": "art_stored"}]
    result = store.write(world()[0])
    assert (result.article, result.status) == ("art_stored", "unchanged")
    assert driver.names("write") == UPGRADE_CHECK + ["same_article"]


def test_new_content_at_the_same_source_replaces(fake):
    store, driver = fake(batch_size=2)
    driver.answers["articles_replaced_by"] = [{"id": "art_old"}]
    driver.answers["actors_of_articles"] = [{"id": PRYCE}, {"id": "person:gone"}]
    driver.answers["actor_mentions"] = lambda p: FakeResult(
        [
            {"id": a, "name": a, "forms": [], "roles": [], "mentioned": 0 if a == "person:gone" else 1}
            for a in p["actors"]
        ]
    )
    result = store.write(world()[0])
    assert result.status == "replaced"
    writes = driver.names("write")[len(UPGRADE_CHECK) :]
    deletes = [
        "actors_of_articles",
        "uncount_co_mentions",
        "delete_events_of_articles",
        "delete_roles_of_articles",
        "delete_articles",
    ]
    assert writes[2:7] == deletes
    assert writes.index("delete_articles") < writes.index("merge_articles")
    refresh = writes[writes.index("actor_mentions") :]
    per_batch = ["set_actor_lists", "set_co_mention_max"]
    assert refresh == ["actor_mentions", "delete_actors"] + per_batch * ((len(refresh) - 2) // 2)
    sent = {name: params for name, params, _ in driver.runs}
    assert sent["delete_articles"] == {"articles": ["art_old"]}
    assert sent["delete_actors"] == {"actors": ["person:gone"]}
    assert "person:gone" in sent["actor_mentions"]["actors"]  # the old article's actors are refreshed too
    assert max(len(p["rows"]) for n, p, _ in driver.runs if n.startswith("merge_")) == 2


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
        {"id": "ev_b", "date": None, "article_date": "2024-12-02", "article": "art_1", "start": 0},
        {"id": "ev_a", "date": "2024-12", "article_date": "2024-12-02", "article": "art_1", "start": 0},
        {"id": "ev_c", "date": "2024-11-05", "article_date": None, "article": "art_2", "start": 7},
    ]
    driver.answers["actor_without_co_mention_max"] = [{"id": PRYCE}]
    driver.answers["count_all_co_mentions"] = [{"pairs": 5}]
    assert store.upgrade() == {"events": 3, "pairs": 5}
    keys = [row for name, params, _ in driver.runs if name == "set_sort_keys" for row in params["rows"]]
    assert keys == [  # an article's events keep the order they come in (start, then id)
        {"id": "ev_b", "sort_key": "2024-12-02 2024-12-02 art_1 0000000000 0000000000"},
        {"id": "ev_a", "sort_key": "2024-12 2024-12-02 art_1 0000000000 0000000001"},
        {"id": "ev_c", "sort_key": "2024-11-05 ~ art_2 0000000007 0000000000"},
    ]
    assert driver.names("write") == [
        "events_without_sort_key",
        "set_sort_keys",
        "set_sort_keys",
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


def test_counts_and_snapshot_records(fake):
    store, driver = fake()
    driver.answers["counts"] = [dict.fromkeys(WORLD_COUNTS, 1)]
    assert store.counts() == dict.fromkeys(WORLD_COUNTS, 1)
    article = {k: getattr(ART1, k) for k in ("id", "source", "url", "title", "date", "outlet", "content_hash")}
    driver.answers["snapshot_articles"] = [{**article, "pipeline": "en_core_web_md 3.8.0"}]
    event = {
        "id": "ev_1",
        "category": "resign",
        "trigger": "steps down",
        "date": "2024-11-05",
        "date_text": None,
        "modality": "asserted",
        "confidence": 0.5,
        "quote": None,
        "article": ART1.id,
        "evidence": "Pryce steps down.",
        "start": 0,
        "end": 17,
        "agents": [PRYCE],
        "patients": [INSPECTORATE, HOLLIS],
    }
    driver.answers["snapshot_events"] = [event]
    driver.answers["snapshot_roles"] = [
        {"holder": HOLLIS, "organisation": INSPECTORATE, "title": "chief inspector", "article": ART1.id}
    ]
    driver.answers["snapshot_mention_roles"] = [
        {"holder": HOLLIS, "article": ART1.id, "titles": ["chief inspector", "acting head"]}
    ]
    driver.answers["snapshot_actors"] = [
        {"id": PRYCE, "name": "Owen Pryce", "kind": "Person", "aliases": None, "articles": [ART1.id]}
    ]
    snap = store.snapshot(Selection(categories=["resign"]))
    assert [(a.id, a.pipeline) for a in snap.articles] == [(ART1.id, "en_core_web_md 3.8.0")]
    assert snap.events[0].patients == sorted([INSPECTORATE, HOLLIS])
    assert [(r.organisation, r.title) for r in snap.roles] == [(None, "acting head"), (INSPECTORATE, "chief inspector")]
    assert snap.actors[0].aliases == []
    sent = {name: params for name, params, _ in driver.runs}
    assert sent["snapshot_events"]["categories"] == ["resign"]
    assert set(sent["snapshot_actors"]["actors"]) == {PRYCE, INSPECTORATE, HOLLIS}  # in events and roles
    assert all(kind == "read" for _, _, kind in driver.runs)


def test_whole_snapshot_asks_for_every_actor(fake):
    store, driver = fake()
    driver.answers["snapshot_articles"] = [{"id": "a", "source": "s", "url": None, "title": None, "date": None,
                                           "outlet": None, "content_hash": "h", "pipeline": None}]  # fmt: skip
    store.snapshot()
    sent = {name: params for name, params, _ in driver.runs}
    assert sent["snapshot_articles"] == {"articles": None}
    assert sent["snapshot_actors"] == {"actors": None, "articles": ["a"]}
    assert sent["snapshot_events"]["categories"] is None


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
    from newsgraph.graph.embedded import EmbeddedStore
    from newsgraph.queries import bind, catalogue

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
