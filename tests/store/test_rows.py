"""The one mapping from an extraction to rows (newsgraph/store/rows.py), and the graph built in
memory from it, which is what every backend's snapshot gives after the same writes."""

from __future__ import annotations

from dataclasses import replace

from newsgraph.store.rows import ROW_KINDS, actor_lists, extraction_rows, snapshot_from_extractions
from tests.fixtures.world import ART1, ART2, ART3, world

HOLLIS, PRYCE, MINISTRY = "person:dana-hollis", "person:owen-pryce", "organisation:ministry-of-learning"
INSPECTORATE = "organisation:schools-inspectorate"


def test_rows_of_an_article():
    rows = extraction_rows(world()[0])
    assert [len(rows[kind]) for kind in ROW_KINDS] == [1, 4, 4, 1, 4, 4, 3]
    [article] = rows["articles"]
    assert article["id"] == ART1.id and article["body"] == ART1.body and article["url"] == ART1.url
    mention = {r["actor"]: r for r in rows["mentions"]}
    assert mention[PRYCE]["forms"] == ["Owen Pryce", "Pryce"]
    assert mention[PRYCE]["mentions"] == 2
    assert mention[MINISTRY]["forms"] == ["the ministry"]  # the alias and the mention, once
    assert mention[HOLLIS]["roles"] == ["chief inspector"]
    assert rows["roles"] == [
        {"holder": HOLLIS, "organisation": INSPECTORATE, "title": "chief inspector", "article": ART1.id}
    ]
    event = rows["events"][0]
    assert event["article"] == ART1.id and event["date"] == "2025-01" and event["modality"] == "planned"
    assert (event["start"], event["end"]) == (0, ART1.body.index("\n"))
    assert event["sort_key"] == f"2025-01 2024-11-05 {ART1.id} 0000000000 0000000000"


def test_rows_that_lock_actors_come_in_actor_order():
    """Concurrent writers take their locks in one order: every row touching a shared node (an actor)
    is sorted by that actor's id, whatever order the extraction lists entities and events in."""
    ex = world()[0]
    ex.entities.reverse()
    ex.events.reverse()
    rows = extraction_rows(ex)
    assert [r["id"] for r in rows["actors"]] == sorted(e.id for e in ex.entities)
    assert [r["actor"] for r in rows["mentions"]] == sorted(e.id for e in ex.entities)
    for kind in ("agents", "patients"):
        keys = [(r["actor"], r["event"]) for r in rows[kind]]
        assert keys and keys == sorted(keys)
    # The sort key keeps the extraction's order of events in a sentence, not the rows' order.
    assert [r["sort_key"][-10:] for r in rows["events"]] == ["0000000000", "0000000001", "0000000002", "0000000003"]


def test_the_article_row_names_the_pipeline():
    ex = world()[0]
    assert extraction_rows(ex)["articles"][0]["pipeline"] is None  # the extraction names none
    ex.pipeline = {"name": "en_core_web_md", "version": "3.8.0", "spacy": "3.8.7"}
    assert extraction_rows(ex)["articles"][0]["pipeline"] == "en_core_web_md 3.8.0"


def test_a_role_without_organisation_is_no_edge():
    rows = extraction_rows(world()[2])  # the coroner: a title, no organisation
    assert rows["roles"] == []
    assert {r["actor"]: r["roles"] for r in rows["mentions"]}["person:mira-stone"] == ["coroner"]


def test_duplicates_are_written_once():
    ex = world()[0]
    ex.entities.append(replace(ex.entities[2], name="Someone Else"))  # same id as Owen Pryce
    ex.events.append(ex.events[0])
    ex.events[1].agents.append(ex.events[1].agents[0])
    ex.events[1].patients.append("person:not-in-this-article")
    rows = extraction_rows(ex)
    assert [r["id"] for r in rows["actors"]].count(PRYCE) == 1
    assert {r["id"]: r["name"] for r in rows["actors"]}[PRYCE] == "Owen Pryce"  # the first wins
    assert len(rows["events"]) == 4
    assert len(rows["agents"]) == 4  # the repeated agent once
    assert {r["actor"] for r in rows["patients"]} <= {e.id for e in ex.entities}


def test_merges_go_on_the_mention():
    rows = extraction_rows(world()[0], {PRYCE: ["Owen Price: why", "Owen Price: why"]})
    assert {r["actor"]: r["merged_from"] for r in rows["mentions"]}[PRYCE] == ["Owen Price: why"]


def test_actor_lists_drop_the_name_in_any_case():
    aliases, roles = actor_lists("Owen Pryce", [["Owen Pryce", "Pryce"], ["OWEN PRYCE", "Mr Pryce"], None], [["a"], []])
    assert aliases == ["Mr Pryce", "Pryce"]
    assert roles == ["a"]


def test_the_graph_in_memory():
    snap = snapshot_from_extractions(world())
    assert [a.id for a in snap.articles] == sorted([ART1.id, ART2.id, ART3.id])
    actors = {a.id: a for a in snap.actors}
    assert actors[PRYCE].aliases == ["Pryce"] and actors[MINISTRY].aliases == ["the ministry"]
    assert actors[INSPECTORATE].articles == [ART1.id, ART2.id, ART3.id]  # by article date
    assert [(r.holder, r.organisation, r.title) for r in snap.roles] == [
        (HOLLIS, INSPECTORATE, "chief inspector"),
        ("person:mira-stone", None, "coroner"),
    ]
    assert len(snap.events) == 9 and snapshot_from_extractions([*world(), world()[0]]) == snap  # unchanged
