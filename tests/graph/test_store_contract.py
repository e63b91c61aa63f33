"""One behaviour suite for every backend: it always runs on the embedded store, and on Neo4j when
NEWSGRAPH_TEST_NEO4J_URI points at a throwaway server (skipped with the reason otherwise)."""

from __future__ import annotations

import os

import pytest

from newsgraph.errors import QueryError
from newsgraph.graph.resolve import ResolvingWriter
from newsgraph.model import Article, Entity, Event, Extraction, Mention, actor_id, stable_id
from newsgraph.queries import run
from newsgraph.store import Selection, article_status, select, snapshot_from_extractions
from tests.fixtures.neo4j import BACKENDS, backend_store
from tests.fixtures.world import ART2, rewritten_succession, world
from tests.graph.test_resolve import CONNOR, SCHOOL, conner_article, connor_article

HOLLIS, PRYCE = "person:dana-hollis", "person:owen-pryce"
INSPECTORATE, MINISTRY = "organisation:schools-inspectorate", "organisation:ministry-of-learning"
DALGLISH = "person:fiona-dalglish"


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with backend_store(request.param, tmp_path / "g.lbug") as s:
        yield s


def _counts(store) -> tuple[int, int, int]:
    c = store.counts()
    return c["articles"], c["actors"], c["events"]


def test_writes_are_idempotent(store):
    assert [store.write(ex).status for ex in world()] == ["added"] * 3
    first = _counts(store)
    assert [store.write(ex).status for ex in world()] == ["unchanged"] * 3
    assert _counts(store) == first == (3, 8, 9)


def test_new_content_at_the_same_source_replaces_its_facts(store):
    for ex in world():
        store.write(ex)
    replacement = rewritten_succession()
    assert article_status(store, replacement.article) == "replaced"
    assert store.write(replacement).status == "replaced"
    names = {row["name"] for row in store.query("MATCH (a:Actor) RETURN a.name AS name", {})}
    assert "Owen Pryce" not in names and "Ministry of Learning" not in names  # left without any article
    assert _counts(store)[0] == 3


@pytest.mark.parametrize("source", ["<stdin>", "<stdin>:1"])
def test_articles_from_standard_input_never_replace_each_other(store, source):
    # Piped in on two runs, two texts share the source "<stdin>" (or the JSONL line "<stdin>:1") but
    # are two articles: the second replaced the first, and the first was lost.
    first, second = (Extraction.from_dict(ex.to_dict()) for ex in world()[:2])  # copies: world() is shared
    first.article.source = second.article.source = source
    first.article.url = second.article.url = None
    assert store.write(first).status == "added"
    assert article_status(store, second.article) == "added"
    assert store.write(second).status == "added"
    assert _counts(store)[0] == 2


def test_remove_by_url_and_by_source(store):
    for ex in world():
        store.write(ex)
    assert store.remove("https://example.org/news/unions-pause")
    assert store.remove("tests/world/coroner.txt")
    assert not store.remove("no-such-article")
    assert _counts(store)[0] == 1
    names = {row["name"] for row in store.query("MATCH (a:Actor) RETURN a.name AS name", {})}
    assert "Union of Head Teachers" not in names and "Mira Stone" not in names


def test_reads_refuse_writes(store):
    with pytest.raises(QueryError):
        store.query("CREATE (a:Actor {id: 'x', name: 'x', kind: 'Other'})", {})


@pytest.mark.parametrize(
    "cypher",
    [
        "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *",  # crashed the embedded engine (segfault)
        "LOAD FROM '/etc/passwd' RETURN *",
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value",
        "COPY (MATCH (a:Article) RETURN a.body) TO '/tmp/newsgraph-copy.csv'",
    ],
)
def test_reads_that_reach_outside_the_graph_are_refused_before_the_engine(store, cypher):
    with pytest.raises(QueryError, match="^refused: "):
        store.query(cypher, {})
    assert not os.path.exists("/tmp/newsgraph-copy.csv")


def test_a_url_that_is_not_http_is_never_stored(store):
    # `load` takes extractions made anywhere; a javascript: url must not reach the graph or its exports.
    extraction = Extraction.from_dict(world()[0].to_dict())
    extraction.article.url = "javascript:alert(document.cookie)"
    assert store.write(extraction).status == "added"
    assert store.query("MATCH (a:Article) RETURN a.url AS url", {}) == [{"url": None}]


def test_snapshot_selection_and_catalogue(store):
    for ex in world():
        store.write(ex)
    snap = store.snapshot(Selection(categories=["demand"]))
    assert {e.category for e in snap.events} == {"demand"}
    rows = run(store, "events", {"category": "appoint_succeed"})
    pairs = {(tuple(r["agents"]), tuple(r["patients"])) for r in rows}
    assert (("Dana Hollis",), ("Owen Pryce",)) in pairs
    assert run(store, "actor", {"actor": "UHT"})[0]["name"] == "Union of Head Teachers"


# -- what every write keeps up to date for the catalogue (store.KEPT_UP) ----------------------------

# Recounted from the mentions and reports themselves: what the kept counts and keys must agree with.
PAIRS = """MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor) WHERE x.id < y.id
RETURN x.id AS actor, y.id AS other, count(a) AS articles ORDER BY actor, other"""
KEPT_PAIRS = """MATCH (x:Actor)-[c:CO_MENTIONED]->(y:Actor)
RETURN x.id AS actor, y.id AS other, c.articles AS articles ORDER BY actor, other"""
ACTORS = "MATCH (x:Actor) RETURN x.id AS id, x.name AS name, x.kind AS kind, x.co_mention_max AS most"
EVENTS = """MATCH (e:Event)-[r:REPORTED_IN]->(a:Article)
RETURN e.sort_key AS key, coalesce(e.date, a.date) AS date, a.date AS article_date, a.id AS article, r.start AS start"""


def _nulls_last(value):
    return (value is None, value or "")


def _assert_kept_up(store) -> None:
    pairs = store.query(PAIRS, {})
    assert store.query(KEPT_PAIRS, {}) == pairs
    actors = {r["id"]: r for r in store.query(ACTORS, {})}
    most = dict.fromkeys(actors, 0)
    for p in pairs:
        for end in (p["actor"], p["other"]):
            most[end] = max(most[end], p["articles"])
    assert {a: r["most"] for a, r in actors.items()} == most

    # Ordered by the key, events are in the catalogue's date order (nulls last, as Cypher sorts), each
    # placed by its lead report (the one its key names; an event reported twice has two rows here).
    reports = store.query(EVENTS, {})
    leads = {r["key"]: r for r in reports if r["article"] in r["key"] and f"{r['start']:010d}" in r["key"]}
    assert set(leads) == {r["key"] for r in reports}
    events = [leads[key] for key in sorted(leads)]
    order = [tuple(_nulls_last(r[k]) for k in ("date", "article_date", "article")) + (r["start"],) for r in events]
    assert order == sorted(order)

    # The catalogue's pairs are the recounted ones, first by articles then by the two names.
    def row(p):
        x, y = actors[p["actor"]], actors[p["other"]]
        return {
            "actor": x["name"],
            "other": y["name"],
            "other_kind": y["kind"],
            "articles": p["articles"],
            "actor_id": x["id"],
            "other_id": y["id"],
        }

    expected = sorted((row(p) for p in pairs), key=lambda r: (-r["articles"], r["actor"], r["other"]))
    for limit in (1, 2, 3, 100):
        assert run(store, "co-mentions", {"limit": str(limit)}) == expected[:limit]


def test_co_mention_counts_and_sort_keys_follow_every_change(store):
    for ex in world():
        store.write(ex)
    _assert_kept_up(store)
    assert [store.write(ex).status for ex in world()] == ["unchanged"] * 3  # re-ingest counts nothing twice
    _assert_kept_up(store)
    assert store.write(rewritten_succession()).status == "replaced"
    _assert_kept_up(store)
    assert store.remove(ART2.url)
    _assert_kept_up(store)
    for ex in world():
        store.write(ex)
    _assert_kept_up(store)


def test_a_merged_actor_counts_the_articles_of_both_names(store):
    writer = ResolvingWriter(store)
    writer.write(connor_article())
    result, merges = writer.write(conner_article())
    assert result.status == "added" and [m.into_id for m in merges] == [CONNOR]
    _assert_kept_up(store)
    [pair] = run(store, "co-mentions", {})
    assert {pair["actor_id"], pair["other_id"]} == {CONNOR, SCHOOL} and pair["articles"] == 2
    assert writer.write(conner_article())[0].status == "unchanged"
    assert store.remove(result.article)
    _assert_kept_up(store)
    assert [r["articles"] for r in run(store, "co-mentions", {})] == [1]


def _coroner_article(n: int, spelling: str, date: str) -> Extraction:
    """Article n: senior coroner `spelling` (the story's Fiona Dalgleish, spelt otherwise in one) wrote to
    the Schools Inspectorate."""
    body = f"Senior coroner {spelling} wrote to the Schools Inspectorate in letter {n}."
    art = Article(body, source=f"tests/coroner/{n}.txt", url=f"https://example.org/coroner/{n}", date=date)
    at = body.index(spelling)
    mention = Mention(spelling, at, at + len(spelling), 0)
    coroner = Entity(actor_id(spelling, "Person"), spelling, "Person", mentions=[mention], roles=["senior coroner"])
    at = body.index("Schools")
    insp = Entity(INSPECTORATE, "Schools Inspectorate", "Organisation",
                  mentions=[Mention("Schools Inspectorate", at, at + 20, 0)])  # fmt: skip
    t = body.index("wrote")
    event = Event(stable_id("ev", art.id, t), "write_to", "wrote", t, t + 5, [coroner.id], [INSPECTORATE], body, 0,
                  len(body), 0, date=date)  # fmt: skip
    return Extraction(art, [coroner, insp], [event])


def test_an_actor_is_named_as_most_of_its_articles_spell_it_and_again_when_one_goes(store):
    """The first article misspells the coroner; the next two merge into her node (resolution) and
    outvote it; removing them gives the first spelling back. Both backends and the graph built in
    memory from the same extractions agree at every step."""
    writer = ResolvingWriter(store)
    first, second, third = (
        _coroner_article(1, "Fiona Dalglish", "2025-09-18"),
        _coroner_article(2, "Fiona Dalgleish", "2025-11-04"),
        _coroner_article(3, "Fiona Dalgleish", "2025-12-03"),
    )

    def named() -> tuple[str, str, list[str]]:
        [row] = store.query("MATCH (x:Actor {id: $id}) RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases",
                            {"id": DALGLISH})  # fmt: skip
        return row["name"], row["kind"], row["aliases"]

    def in_memory(extractions) -> list:
        return [(a.name, a.kind, a.aliases) for a in snapshot_from_extractions(extractions).actors if a.id == DALGLISH]

    resolved = []
    for ex, name in ((first, "Fiona Dalglish"), (second, "Fiona Dalglish"), (third, "Fiona Dalgleish")):
        [resolution] = writer.resolved([ex])
        assert store.write(resolution.extraction, merges=resolution.records()).status == "added"
        resolved.append(resolution.extraction)
        assert named()[:2] == (name, "Person"), ex.article.source  # one each: the spelling of the id
        assert [named()] == in_memory(resolved)
    assert named()[2] == ["Fiona Dalglish"]
    assert store.remove(third.article.url) and store.remove(second.article.url)
    assert named() == ("Fiona Dalglish", "Person", [])
    assert [named()] == in_memory(resolved[:1])


def test_names_kept_apart_from_an_actor_are_never_merged_into_it_again(store):
    """What `newsgraph unmerge` records (Actor.not_same), both backends alike."""
    first, second = (
        _coroner_article(1, "Fiona Dalglish", "2025-09-18"),
        _coroner_article(2, "Fiona Dalgleish", "2025-11-04"),
    )
    writer = ResolvingWriter(store)
    writer.write(first)
    assert [m.into_id for m in writer.write(second)[1]] == [DALGLISH]
    assert store.keep_apart(DALGLISH, ["Fiona Dalgleish"]) and store.keep_apart(DALGLISH, ["Fiona Dalgleish", "F D"])
    assert not store.keep_apart("person:nobody", ["x"])
    [row] = store.query("MATCH (x:Actor {id: $id}) RETURN x.not_same AS names", {"id": DALGLISH})
    assert row["names"] == ["F D", "Fiona Dalgleish"]
    assert store.remove(second.article.url)
    result, merges = ResolvingWriter(store).write(second)
    assert (result.status, merges) == ("added", [])
    assert {a.id for a in store.snapshot().actors} >= {DALGLISH, "person:fiona-dalgleish"}


# -- disagreements the two backends once had, settled here ----------------------------------------


def _self_criticism() -> Extraction:
    """One article whose event has Dana Hollis as agent and patient ("Hollis criticised herself and the
    Inspectorate")."""
    body = "Dana Hollis criticised herself and the Schools Inspectorate over the delay."
    art = Article(body, source="tests/world/self.txt", url="https://example.org/news/self", date="2024-12-20")
    hollis = Entity(HOLLIS, "Dana Hollis", "Person", mentions=[Mention("Dana Hollis", 0, 11, 0)])
    start = body.index("Schools")
    mention = Mention("Schools Inspectorate", start, start + 20, 0)
    insp = Entity(INSPECTORATE, "Schools Inspectorate", "Organisation", mentions=[mention])
    t = body.index("criticised")
    parts = ([HOLLIS], [HOLLIS, INSPECTORATE])
    event = Event(stable_id("ev", art.id, t), "criticise", "criticised", t, t + 10, *parts, body, 0, len(body), 0,
                  date="2024-12-20")  # fmt: skip
    return Extraction(art, [hollis, insp], [event])


def test_an_actor_both_agent_and_patient_of_one_event_is_its_agent(store):
    """Counting AGENT and PATIENT edges counts an actor's part in events once, in both backends
    and in the graph built in memory (export without a store)."""
    ex = _self_criticism()
    store.write(ex)
    [event] = store.snapshot().events
    assert (event.agents, event.patients) == ([HOLLIS], [INSPECTORATE])
    assert (store.counts()["agent"], store.counts()["patient"]) == (1, 1)
    [in_memory] = snapshot_from_extractions([ex]).events
    assert (in_memory.agents, in_memory.patients) == ([HOLLIS], [INSPECTORATE])
    [row] = run(store, "events", {"category": "criticise"})
    assert (row["agents"], row["patients"]) == (["Dana Hollis"], ["Schools Inspectorate"])


def _adviser(named_ministry: bool) -> Extraction:
    """An article that makes Owen Pryce an adviser of the Ministry of Learning, naming the ministry or
    only pointing at the id it has in another article (ART1)."""
    body = f"Owen Pryce joins {'the Ministry of Learning ' if named_ministry else ''}as an adviser."
    art = Article(body, source="tests/world/adviser.txt", date="2025-02-01")
    pryce = Entity(PRYCE, "Owen Pryce", "Person", mentions=[Mention("Owen Pryce", 0, 10, 0)], roles=["adviser"],
                   affiliation=MINISTRY)  # fmt: skip
    entities = [pryce]
    if named_ministry:
        start = body.index("Ministry")
        mention = Mention("Ministry of Learning", start, start + 20, 0)
        entities.append(Entity(MINISTRY, "Ministry of Learning", "Organisation", mentions=[mention]))
    t = body.index("joins")
    # Without the ministry named, its patient is an actor the article does not define: no edge either.
    event = Event(stable_id("ev", art.id, t), "appoint_succeed", "joins", t, t + 5, [PRYCE], [MINISTRY], body, 0,
                  len(body), 0)  # fmt: skip
    return Extraction(art, entities, [event])


ROLES = "MATCH (h:Actor)-[r:HOLDS_ROLE]->(o:Actor) RETURN h.id AS holder, o.id AS organisation, r.title AS title"


@pytest.mark.parametrize("first", ["world", "adviser"])
def test_a_role_ties_to_an_organisation_only_when_its_article_names_it(store, first):
    """Whatever the store already holds and whichever comes first: the graph does not depend on the
    order articles are written in."""
    adviser = _adviser(named_ministry=False)
    order = [*world(), adviser] if first == "world" else [adviser, *world()]
    for ex in order:
        store.write(ex)
    assert store.query(ROLES, {}) == [{"holder": HOLLIS, "organisation": INSPECTORATE, "title": "chief inspector"}]
    roles = {(r.holder, r.organisation, r.title) for r in store.snapshot().roles}
    assert (PRYCE, None, "adviser") in roles and (PRYCE, MINISTRY, "adviser") not in roles
    [event] = [e for e in store.snapshot().events if e.article == adviser.article.id]
    assert (event.agents, event.patients) == ([PRYCE], [])
    in_memory = snapshot_from_extractions(order)
    assert {(r.organisation, r.title) for r in in_memory.roles if r.holder == PRYCE} == {(None, "adviser")}
    [event] = [e for e in in_memory.events if e.article == adviser.article.id]
    assert (event.agents, event.patients) == ([PRYCE], [])


def test_a_role_in_an_organisation_the_article_names_is_an_edge(store):
    adviser = _adviser(named_ministry=True)
    store.write(adviser)
    assert store.query(ROLES, {}) == [{"holder": PRYCE, "organisation": MINISTRY, "title": "adviser"}]
    assert [(r.organisation, r.title) for r in store.snapshot().roles] == [(MINISTRY, "adviser")]
    assert [(r.organisation, r.title) for r in snapshot_from_extractions([adviser]).roles] == [(MINISTRY, "adviser")]
    [event] = store.snapshot().events
    assert (event.agents, event.patients) == ([PRYCE], [MINISTRY])


SELECTIONS = [
    None,
    Selection(articles=[ART2.url]),
    Selection(categories=["appoint_succeed", "respond"]),
    Selection(actors=[HOLLIS]),
    Selection(since="2024-12-05", until="2024-12"),
    Selection(articles=[world()[0].article.id], since="2025-01"),
    Selection(actors=[PRYCE], categories=["resign"], until="2024-11-05"),
]


def test_the_graph_is_the_one_the_rows_give(store):
    """Every backend's snapshot, whole or selected, is the graph built in memory from the same rows
    (store/rows.py), selected by the same rule (store/selection.py): records, order and all."""
    for ex in world():
        store.write(ex)
    whole = snapshot_from_extractions(world())
    assert store.snapshot() == whole
    for selection in SELECTIONS:
        assert store.snapshot(selection) == select(whole, selection), selection


def _undated_background() -> Extraction:
    """An article of 2024-12-20 whose second event the extraction left undated: it happened in
    another year the text names ("sacked in 2012"), not on the article's date."""
    body = "Dana Hollis criticised the Schools Inspectorate.\nOwen Pryce was sacked in 2012."
    art = Article(body, source="tests/world/background.txt", date="2024-12-20")
    hollis = Entity(HOLLIS, "Dana Hollis", "Person", mentions=[Mention("Dana Hollis", 0, 11, 0)])
    start = body.index("Schools")
    insp = Entity(INSPECTORATE, "Schools Inspectorate", "Organisation",
                  mentions=[Mention("Schools Inspectorate", start, start + 20, 0)])  # fmt: skip
    start = body.index("Owen")
    pryce = Entity(PRYCE, "Owen Pryce", "Person", mentions=[Mention("Owen Pryce", start, start + 10, 1)])
    t1, t2 = body.index("criticised"), body.index("sacked")
    first = body.split("\n")[0]
    news = Event(stable_id("ev", art.id, t1), "criticise", "criticised", t1, t1 + 10, [HOLLIS], [INSPECTORATE],
                 first, 0, len(first), 0, date="2024-12-20")  # fmt: skip
    background = Event(stable_id("ev", art.id, t2), "resign", "sacked", t2, t2 + 6, [], [PRYCE],
                       body.split("\n")[1], start, len(body), 1, date=None, date_text="2012")  # fmt: skip
    return Extraction(art, [hollis, insp, pryce], [news, background])


def test_an_undated_event_is_left_out_under_a_date_filter_everywhere(store):
    """The store's snapshot, the graph built in memory, the HTML network and the catalogue agree: an
    event the extraction left undated is in no date range, not even its article's."""
    from newsgraph.graph import viz

    ex = _undated_background()
    store.write(ex)
    december = Selection(since="2024-12-01", until="2024-12-31")
    expected = ["criticised"]
    assert [e.trigger for e in store.snapshot(december).events] == expected
    assert [e.trigger for e in select(snapshot_from_extractions([ex]), december).events] == expected
    drawn = viz.select(store.snapshot(), since="2024-12-01", until="2024-12-31")
    assert [e.trigger for e in drawn.events] == expected
    assert [r["trigger"] for r in run(store, "events", {"since": "2024-12-01", "until": "2024-12-31"})] == expected
    # Without a date bound it is there in all of them.
    assert len(store.snapshot().events) == len(viz.select(store.snapshot()).events) == len(run(store, "events")) == 2
