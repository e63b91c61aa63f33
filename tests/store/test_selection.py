"""The one rule for which events a selection keeps (newsgraph/store/selection.py): dates at the
shorter precision, undated events left out under a date bound; and the same rule as the
catalogue's Cypher states it, run on each backend's engine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsgraph.store.records import EventRecord, ReportRecord
from newsgraph.store.rows import snapshot_from_extractions
from newsgraph.store.selection import Selection, date_within, keeps_event, select
from tests.fixtures.neo4j import BACKENDS, backend_store
from tests.fixtures.world import ART1, ART2, world

DATES = ["2024", "2024-11", "2024-12", "2025-01", "2024-11-30", "2024-12-01", "2024-12-05", "2024-12-31"]


def test_dates_compare_at_the_shorter_precision():
    assert date_within("2024-12", since="2024-12-05")  # a month overlaps each of its days
    assert date_within("2024-12-31", until="2024-12")
    assert date_within("2024-12-31", until="2024")
    assert not date_within("2025-01", until="2024-12-31")
    assert not date_within("2024-11-30", since="2024-12")
    assert date_within("2024-12-05", since="2024-12-05", until="2024-12-05")  # inclusive
    assert date_within(None) and date_within("2024-12")  # no bound, no filter


def test_an_undated_event_is_left_out_under_any_date_bound():
    assert not date_within(None, since="2024-12-01")
    assert not date_within(None, until="2030")
    assert not date_within("", since="2024")


def _event(**kw) -> EventRecord:
    report = ReportRecord("art", "e", 0, 1, 0, "t", "2024-12-02", None, "asserted", 1.0, None, "ev")
    base = EventRecord("ev", "demand", "t", "2024-12-02", None, "asserted", 1.0, None, ["a"], ["b"], [report])
    return replace(base, **kw)


def test_an_event_passes_every_filter_given():
    ev = _event()
    assert keeps_event(ev, Selection())
    assert keeps_event(ev, Selection(categories=["demand", "resign"], actors=["b"], since="2024-12"))
    assert not keeps_event(ev, Selection(categories=["resign"]))
    assert not keeps_event(ev, Selection(actors=["c"]))
    assert not keeps_event(ev, Selection(actors=[]))  # an empty list selects nothing, unlike None
    assert not keeps_event(ev, Selection(until="2024-12-01"))


def test_select_narrows_articles_and_actors_to_the_events_kept():
    whole = snapshot_from_extractions(world())
    demand = select(whole, Selection(categories=["demand"]))
    assert [a.id for a in demand.articles] == [ART2.id]
    assert {a.id for a in demand.actors} == {
        "organisation:union-of-head-teachers",
        "organisation:lecturers-guild",
        "organisation:schools-inspectorate",
    }
    assert all(a.articles == [ART2.id] for a in demand.actors)  # only the articles selected
    # Articles named, and a filter: those articles stay even when none of their events pass.
    first = select(whole, Selection(articles=[ART1.url], categories=["demand"]))
    assert [a.id for a in first.articles] == [ART1.id] and first.events == []
    assert select(whole, None) == whole


# The catalogue's date predicates (events.cypher, top-actors.cypher), the same rule in Cypher.
CATALOGUE_RULE = """
UNWIND $dates AS d
WITH d
WHERE (d >= $since OR $since STARTS WITH d OR $since IS NULL)
  AND (d <= $until OR d STARTS WITH $until OR $until IS NULL)
RETURN d AS date
"""


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    with backend_store(request.param, tmp_path / "g.lbug") as store:
        yield store


def test_the_catalogue_states_the_same_rule_on_every_engine(engine):
    """Each backend's engine, running the catalogue's predicate over every pair of dates and an
    undated event, keeps what date_within keeps."""
    dates = [*DATES, None]
    for since in [None, *DATES]:
        for until in [None, *DATES]:
            rows = engine.query(CATALOGUE_RULE, {"dates": dates, "since": since, "until": until})
            expected = [d for d in dates if date_within(d, since, until)]
            assert [r["date"] for r in rows] == expected, (since, until)
            assert (None in expected) == (since is None and until is None)
