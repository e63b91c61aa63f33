"""The catalogue on a story retold across articles (tests/fixtures/retold.py): each real event is
one row with the number of articles that report it, in date order, an undated event at its earliest
report's article date and marked so; provenance lists the reports. On every backend."""

from __future__ import annotations

import pytest

from newsgraph import queries
from tests.fixtures.neo4j import BACKENDS, backend_store
from tests.fixtures.retold import A1, A2, B1, C1, F1, QUOTE, gazette, retold, undated_pair


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    with backend_store(request.param, tmp_path_factory.mktemp("retold") / "g.lbug") as s:
        for ex in [*retold(), *undated_pair()]:
            s.write(ex)
        yield s


def run(store, name, **raw):
    return queries.run(store, name, raw)


def _shape(rows, *columns):
    return [tuple(r[c] for c in columns) for r in rows]


def test_the_timeline_shows_each_event_once_with_its_reports_in_date_order(store):
    rows = run(store, "timeline")
    assert _shape(rows, "date", "undated", "category", "reports", "article") == [
        ("2023-03-17", False, "die", 3, "Head of Harbour Academy dies"),
        ("2023-03-20", False, "criticise", 2, "Head of Harbour Academy dies"),  # the newsletter's undated report
        ("2023-03-20", False, "statement", 1, "Head of Harbour Academy dies"),
        ("2023-03-21", False, "legal_action", 1, "Tributes to Nell Crane"),
        ("2023-04-15", True, "criticise", 2, "Weekly roundup"),  # undated: at its earliest report
    ]
    assert rows[0]["evidence"] == A1 and rows[0]["date_text"] == "on 17 March"
    assert rows[-1]["evidence"] == F1
    assert run(store, "timeline", actor="Nell Crane") == rows[:1]


def test_events_show_each_event_once_or_the_report_of_the_article_asked_for(store):
    [death] = run(store, "events", category="die")
    assert (death["date"], death["reports"], death["evidence"]) == ("2023-03-17", 3, A1)
    [told] = run(store, "events", category="die", article="tests/retold/newsletter.txt")
    assert (told["id"], told["reports"], told["evidence"], told["article"]) == (death["id"], 3, C1, "Town mourns")
    criticisms = run(store, "events", agent="Marsh Union")
    assert _shape(criticisms, "date", "reports", "evidence") == [("2023-03-20", 2, A2)]
    every = run(store, "events", limit="100")
    assert len(every) == len({r["id"] for r in every}) == 5


def test_between_and_actor_count_each_event_once(store):
    [shared] = run(store, "between", a="Marsh Union", b="Harbour Schools Board")
    assert (shared["link"], shared["reports"], shared["evidence"]) == ("event", 2, A2)
    rows = run(store, "actor", actor="Harbour Schools Board")
    assert _shape(rows, "date", "role", "reports") == [("2023-03-20", "patient", 2), ("2023-04-15", "patient", 2)]


def test_provenance_lists_every_report_the_lead_first_by_date(store):
    [death] = run(store, "events", category="die")
    rows = run(store, "provenance", event=death["id"])
    assert _shape(rows, "title", "lead", "told_date", "told_as", "sentence") == [
        ("Head of Harbour Academy dies", True, "2023-03-17", "on 17 March", A1),
        (
            "Tributes to Nell Crane",
            False,
            "2023-03",
            "in March",
            B1,
        ),
        ("Town mourns", False, None, None, C1),
    ]
    assert {(r["id"], r["date"], r["reports"]) for r in rows} == {(death["id"], "2023-03-17", 3)}
    assert rows[0]["start"] == 0 and rows[0]["end"] == len(A1) and rows[0]["article"] == gazette().article.id


def test_quotes_give_a_statement_once(store):
    [quote] = run(store, "quotes")
    assert quote["quote"] == QUOTE


def test_the_busiest_actors_count_events_not_reports(store):
    # The board is the patient of two criticisms, each told by two articles: two events.
    rows = {r["name"]: r for r in run(store, "top-actors")}
    assert (rows["Harbour Schools Board"]["events"], rows["Harbour Schools Board"]["as_patient"]) == (2, 2)
    assert rows["Nell Crane"]["events"] == 1  # one death, three articles
