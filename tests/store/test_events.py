"""One real event, one node with a report per article, on every backend (store/consolidate.py): the
contract suite's part for events retold across articles. It always runs on the embedded store, and
on Neo4j when NEWSGRAPH_TEST_NEO4J_URI points at a throwaway server."""

from __future__ import annotations

import contextlib
from itertools import permutations

import pytest

from newsgraph.model import Article, Extraction
from newsgraph.store import snapshot_from_extractions
from tests.fixtures.neo4j import BACKENDS, backend_store
from tests.fixtures.retold import (
    A1,
    A2,
    B1,
    BOARD,
    C1,
    C2,
    CRANE,
    UNION,
    VALE,
    _extraction,
    courier,
    family,
    gazette,
    newsletter,
    retold,
)
from tests.fixtures.stores import graph_rows, unconsolidate

REPORTS = """MATCH (e:Event)-[r:REPORTED_IN]->(a:Article) WHERE e.category = $category
RETURN e.id AS event, e.date AS date, e.date_text AS date_text, e.modality AS modality, e.confidence AS confidence,
       e.reports AS reports, a.id AS article, r.report AS report, r.evidence AS evidence, r.start AS start,
       r.`end` AS `end`, r.sentence AS sentence, r.trigger AS trigger, r.date AS told, r.date_text AS told_as,
       r.modality AS telling, r.confidence AS sureness, r.quote AS quote
ORDER BY article"""
DEATHS = "MATCH (e:Event {category: 'die'}) RETURN e.id AS id, e.date AS date, e.reports AS reports ORDER BY id"


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    with backend_store(backend, tmp_path / "g.lbug") as s:
        yield s


def _event_id(extraction: Extraction, sentence: str) -> str:
    return next(e.id for e in extraction.events if e.evidence == sentence)


def test_a_death_told_in_three_articles_is_one_event_with_a_report_of_each(store):
    g, c, n = retold()
    for ex in (g, c, n):
        assert store.write(ex).status == "added"
    rows = store.query(REPORTS, {"category": "die"})
    assert {r["event"] for r in rows} == {_event_id(g, A1)}  # the report that gives the day leads
    event = {k: rows[0][k] for k in ("date", "date_text", "modality", "confidence", "reports")}
    assert event == {"date": "2023-03-17", "date_text": "on 17 March", "modality": "asserted", "confidence": 0.9,
                     "reports": 3}  # fmt: skip
    reports = {r["article"]: {k: v for k, v in r.items() if k not in event and k not in ("event", "article")}
               for r in rows}  # fmt: skip
    assert reports == {
        g.article.id: {"report": _event_id(g, A1), "evidence": A1, "start": 0, "end": len(A1), "sentence": 0,
                       "trigger": "died", "told": "2023-03-17", "told_as": "on 17 March", "telling": "asserted",
                       "sureness": 0.8, "quote": None},  # its first telling; the second (A3) is the same report
        c.article.id: {"report": _event_id(c, B1), "evidence": B1, "start": 0, "end": len(B1), "sentence": 0,
                       "trigger": "died", "told": "2023-03", "told_as": "in March", "telling": "reported",
                       "sureness": 0.7, "quote": None},
        n.article.id: {"report": _event_id(n, C1), "evidence": C1, "start": 0, "end": len(C1), "sentence": 0,
                       "trigger": "death", "told": None, "told_as": None, "telling": "asserted", "sureness": 0.9,
                       "quote": None},
    }  # fmt: skip
    [criticism] = {r["event"]: r for r in store.query(REPORTS, {"category": "criticise"})}.values()
    assert (criticism["date"], criticism["reports"]) == ("2023-03-20", 2)  # the undated report joins it
    counts = store.counts()
    assert (counts["events"], counts["reported_in"], counts["patient"]) == (4, 7, 2)
    # The graph built in memory is the same, and so is the snapshot's view of it.
    snap = store.snapshot()
    assert snap == snapshot_from_extractions([n, g, c])
    [death] = [e for e in snap.events if e.category == "die"]
    assert [r.article for r in death.reports] == [g.article.id, c.article.id, n.article.id]  # undated last


@contextlib.contextmanager
def _fresh(backend: str, path):
    with backend_store(backend, path) as store:
        yield store


@contextlib.contextmanager
def _written(backend: str, path, articles: list[Extraction]):
    """A fresh store of the backend with the articles written in the order given."""
    with _fresh(backend, path) as store:
        for ex in articles:
            store.write(ex)
        yield store


def _in_every_order(backend: str, tmp_path, articles: list[Extraction], read):
    """The graph rows of a fresh store per order of the articles, and what `read(store)` gives of
    the store of the first order."""
    graphs, first = [], None
    for i, order in enumerate(permutations(articles)):
        with _written(backend, tmp_path / f"{i}.lbug", list(order)) as store:
            graphs.append(graph_rows(store))
            if i == 0:
                first = read(store)
    return graphs, first


def test_every_order_of_the_articles_gives_one_graph(backend, tmp_path):
    """Exhaustively: the family's other date splits the death in four (the day, the other day, the
    month of both, the undated), whichever article comes when; the ids are the same in every order."""
    articles = [gazette(), courier(), newsletter(), family()]
    graphs, (deaths, snap) = _in_every_order(
        backend, tmp_path, articles, lambda store: (store.query(DEATHS), store.snapshot())
    )
    assert len(graphs) == 24
    assert [i for i, g in enumerate(graphs) if g != graphs[0]] == []
    g, c, n, f = articles
    assert deaths == sorted(
        [
            {"id": _event_id(g, A1), "date": "2023-03-17", "reports": 1},
            {"id": _event_id(f, f.article.body), "date": "2023-03-20", "reports": 1},
            {"id": _event_id(c, B1), "date": "2023-03", "reports": 1},  # which day? it cannot tell
            {"id": _event_id(n, C1), "date": None, "reports": 1},
        ],
        key=lambda r: r["id"],
    )
    assert snap == snapshot_from_extractions(reversed(articles))


def test_removing_an_article_takes_its_reports_and_the_rest_regroup(store):
    g, c, n = retold()
    for ex in (g, c, n):
        store.write(ex)
    three = graph_rows(store)
    store.write(family())
    assert len(store.query(DEATHS)) == 4
    assert store.remove(family().article.url)
    assert graph_rows(store) == three  # as if it had never come

    assert store.remove(g.article.id)
    assert store.query(DEATHS) == [{"id": _event_id(c, B1), "date": "2023-03", "reports": 2}]
    [criticism] = store.query(REPORTS, {"category": "criticise"})
    assert (criticism["event"], criticism["date"], criticism["reports"]) == (_event_id(n, C2), None, 1)
    assert store.write(g).status == "added"
    assert graph_rows(store) == three

    for ex in (g, c):
        assert store.remove(ex.article.id)
    assert store.query(DEATHS) == [{"id": _event_id(n, C1), "date": None, "reports": 1}]
    assert store.remove(n.article.source)
    assert store.counts()["events"] == store.counts()["reported_in"] == 0


def test_writing_the_articles_again_changes_nothing(store):
    for ex in retold():
        store.write(ex)
    before = graph_rows(store)
    assert [store.write(ex).status for ex in retold()] == ["unchanged"] * 3
    assert graph_rows(store) == before


def test_an_article_replaced_without_the_event_leaves_its_other_reports(store):
    g, c, n = retold()
    for ex in (g, c, n):
        store.write(ex)
    rewritten = _extraction(
        Article(A2, source=g.article.source, url=g.article.url, title=g.article.title, date="2023-03-22"),
        [
            (
                A2,
                "criticise",
                "criticised",
                [g.events[1].agents[0]],
                [g.events[1].patients[0]],
                "2023-03-20",
                "on Monday",
            )
        ],
    )
    assert store.write(rewritten).status == "replaced"
    assert store.query(DEATHS) == [{"id": _event_id(c, B1), "date": "2023-03", "reports": 2}]
    assert store.snapshot() == snapshot_from_extractions([c, n, rewritten])
    assert {e.category for e in store.snapshot().events if CRANE in e.patients} == {"die"}


def test_a_store_made_before_events_were_one_per_real_event_is_regrouped_when_upgraded(backend, tmp_path):
    """A store whose events are one per report, without keys (as newsgraph made them before),
    holds the graph of a new store once upgraded: the death one event with a report per article."""
    from newsgraph.store import open_store

    articles = [*retold(), family()]
    with _written(backend, tmp_path / "new.lbug", articles) as store:
        expected = graph_rows(store)
        unconsolidate(store, articles)
        assert store.counts()["events"] == sum(len(ex.events) for ex in articles) == 9
        assert graph_rows(store) != expected
        if backend == "embedded":
            store.close()
        with open_store(store.uri) as again:  # opened for writing (embedded) or written to (Neo4j)
            assert again.upgrade()["events"] == (0 if backend == "embedded" else 9)
            assert graph_rows(again) == expected
            assert again.upgrade()["events"] == 0


R1 = "Idris Vale resigned from the Harbour Schools Board on Wednesday."
R2 = "Idris Vale has resigned from the Harbour Schools Board."
K1 = "The Marsh Union criticised the Harbour Schools Board on Monday."
K2 = "The Marsh Union criticised the Harbour Schools Board again on Wednesday."
K3 = "The Marsh Union has criticised the Harbour Schools Board."


def _told(name: str, date: str, told: list[tuple]) -> Extraction:
    body = " ".join(sentence for sentence, *_ in told)
    return _extraction(Article(body, source=f"tests/retold/{name}.txt", title=name, date=date), told)


def _news_days() -> list[Extraction]:
    """A resignation a wire dates "on Wednesday" (13 March) and a daily of the 14th tells as its news
    (dated by the article alone); a later monthly tells it so too. Two criticisms that time phrases
    date two days apart, and a third told as the news of the 14th, which either could be."""
    return [
        _told("wire", "2024-03-14", [(R1, "resign", "resigned", [VALE], [BOARD], "2024-03-13", "on Wednesday"),
                                     (K1, "criticise", "criticised", [UNION], [BOARD], "2024-03-11", "on Monday")]),
        _told("daily", "2024-03-14", [(R2, "resign", "resigned", [VALE], [BOARD], "2024-03-14", None),
                                      (K3, "criticise", "criticised", [UNION], [BOARD], "2024-03-14", None)]),
        _told("monthly", "2024-03-30", [(R2, "resign", "resigned", [VALE], [BOARD], "2024-03-30", None)]),
        _told("bulletin", "2024-03-14", [(K2, "criticise", "criticised", [UNION], [BOARD], "2024-03-13",
                                          "on Wednesday")]),
    ]  # fmt: skip


def test_an_event_told_as_an_articles_news_joins_the_day_a_time_phrase_gives_it_days_before(backend, tmp_path):
    """The daily's resignation is the wire's of the day before: one event, dated by the wire. The
    monthly's, sixteen days on, could be another: its own event. The criticisms of Monday and
    Wednesday stay two, and the daily's, which could be either, a third. In every order."""
    articles = _news_days()
    wire, daily, monthly, bulletin = articles
    graphs, (resignations, criticisms, snap) = _in_every_order(
        backend,
        tmp_path,
        articles,
        lambda store: (
            store.query(REPORTS, {"category": "resign"}),
            store.query(REPORTS, {"category": "criticise"}),
            store.snapshot(),
        ),
    )
    assert len(graphs) == 24 and [i for i, g in enumerate(graphs) if g != graphs[0]] == []
    by_event: dict[str, set] = {}
    for r in resignations:
        by_event.setdefault(r["event"], set()).add((r["article"], r["told"], r["told_as"]))
    assert by_event == {
        _event_id(wire, R1): {(daily.article.id, "2024-03-14", None), (wire.article.id, "2024-03-13", "on Wednesday")},
        _event_id(monthly, R2): {(monthly.article.id, "2024-03-30", None)},
    }
    assert {r["event"]: (r["date"], r["date_text"], r["reports"]) for r in resignations} == {
        _event_id(wire, R1): ("2024-03-13", "on Wednesday", 2),
        _event_id(monthly, R2): ("2024-03-30", None, 1),
    }
    assert sorted((r["date"], r["reports"]) for r in criticisms) == [
        ("2024-03-11", 1),
        ("2024-03-13", 1),
        ("2024-03-14", 1),
    ]
    assert snap == snapshot_from_extractions(articles)
    # the wire removed, the daily's resignation is its own again
    with _written(backend, tmp_path / "removed.lbug", articles) as store:
        assert store.remove(wire.article.id)
        assert sorted((r["date"], r["reports"]) for r in store.query(REPORTS, {"category": "resign"})) == [
            ("2024-03-14", 1),
            ("2024-03-30", 1),
        ]
        with _written(backend, tmp_path / "others.lbug", [daily, monthly, bulletin]) as others:
            assert graph_rows(store) == graph_rows(others)
