"""An event explained on the hand-built world: the sentence with its trigger and roles marked where
the article names them, the article and outlet, why it was kept; short ids and their mistakes."""

from __future__ import annotations

import dataclasses

import pytest

from newsgraph.errors import QueryError
from newsgraph.explain import Mark, explain_event, marks
from newsgraph.model import short_event_id
from newsgraph.store.embedded import EmbeddedStore
from tests.fixtures.world import ART2, T1, T3, world


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with EmbeddedStore(tmp_path_factory.mktemp("explain") / "world.lbug") as s:
        for ex in world():
            s.write(ex)
        yield s


def test_the_demand_is_marked_where_the_sentence_names_its_actors(store):
    demand = world()[1].events[0]
    ex = explain_event(store, short_event_id(demand.id))
    assert ex.id == demand.id and ex.sentence == T1 and ex.label == "Demand"
    shown = [(T1[m.start : m.end], m.kind) for m in ex.marks]
    # the name, the acronym the article defines, the other union; the Inspectorate is not in T1
    assert shown == [
        ("Union of Head Teachers", "agent"),
        ("UHT", "agent"),
        ("Lecturers Guild", "agent"),
        ("demanded", "trigger"),
    ]
    assert ex.article["title"] == ART2.title and ex.article["outlet"] == "Example Gazette"
    assert ex.article["url"] == ART2.url and ex.start is not None and ART2.body[ex.start : ex.end] == T1
    assert ex.date == "2024-12-02" and ex.date_text == "on Monday"
    reasons = ex.reasons()
    assert reasons[0] == "the trigger “demanded” names a Demand event"
    assert "an agent and a patient were found" in reasons and "told as demanded" in reasons
    assert reasons[-1] == "confidence 0.50"
    assert ex.features == []  # trigger_features fills them, reading the article again


def test_a_criticism_marks_its_patients_by_the_forms_the_article_uses(store):
    criticism = world()[1].events[2]
    ex = explain_event(store, criticism.id)
    assert ex.sentence == T3  # "the letter": neither union is named in it
    assert [(T3[m.start : m.end], m.kind) for m in ex.marks] == [("Dana Hollis", "agent"), ("criticised", "trigger")]


def test_marks_take_the_longest_form_first_whole_words_only_and_never_overlap():
    sentence = "Ms Perry's school, Perry Primary, said Perrys were told."
    found = marks(
        sentence,
        "said",
        [{"name": "Perry Primary", "aliases": [], "forms": ["Perry Primary"]}],
        [{"name": "Ruth Perry", "aliases": ["Perry", "Ms Perry"], "forms": None}],
    )
    assert found == [
        Mark(0, 8, "patient"),  # "Ms Perry", not "Perry" inside it
        Mark(19, 32, "agent"),  # "Perry Primary", not its "Perry"
        Mark(34, 38, "trigger"),
    ]  # and not "Perrys", which is another word


def test_a_wrong_or_short_id_is_an_error_naming_what_to_give(store):
    with pytest.raises(QueryError, match="no event has the id 'ev_ffffffff'"):
        explain_event(store, "ev_ffffffff")
    with pytest.raises(QueryError, match="give the id as printed"):
        explain_event(store, "ev_")


def test_a_start_that_fits_several_ids_names_them(tmp_path):
    extraction = world()[1]
    extraction.events[0].id, extraction.events[1].id = "ev_abcd1111aaaaaaaa", "ev_abcd2222bbbbbbbb"
    with EmbeddedStore(tmp_path / "twins.lbug") as twins:
        twins.write(extraction)
        with pytest.raises(QueryError, match=r"'ev_abcd' is the start of several ids \(ev_abcd1111aaaaaaaa, ev_abcd2"):
            explain_event(twins, "ev_abcd")
        assert explain_event(twins, "ev_abcd2").id == "ev_abcd2222bbbbbbbb"


def test_an_event_told_in_three_articles_is_explained_by_its_lead_with_the_others_listed(tmp_path):
    from tests.fixtures.retold import A1, B1, C1, retold

    g, c, n = retold()
    with EmbeddedStore(tmp_path / "retold.lbug") as s:
        for extraction in (n, c, g):
            s.write(extraction)
        ex = explain_event(s, g.events[0].id)
    assert (ex.sentence, ex.date, ex.date_text, ex.article["title"]) == (
        A1,
        "2023-03-17",
        "on 17 March",
        g.article.title,
    )
    assert ex.marks[0] == Mark(A1.index("Nell Crane"), A1.index("Nell Crane") + 10, "patient")
    assert [(o["title"], o["published"], o["sentence"]) for o in ex.also] == [
        (c.article.title, "2023-03-21", B1),
        (n.article.title, None, C1),  # undated articles last
    ]


def test_the_trained_model_says_which_features_kept_an_event_it_reads_again_in_the_stored_article(tmp_path):
    from click.testing import CliRunner

    from newsgraph.cli import cli
    from newsgraph.explain import trigger_features
    from newsgraph.ingest.pipeline import extract_many
    from newsgraph.ingest.sources import read_sources

    articles = read_sources(["tests/data/articles/t06_regulator_fine.txt"])
    (extraction,) = extract_many(articles)
    fined = next(ev for ev in extraction.events if ev.trigger == "fined")
    with EmbeddedStore(tmp_path / "fine.lbug") as s:
        s.write(extraction)
        ex = explain_event(s, fined.id)
        weights, note = trigger_features(s, ex)
        assert weights and note.startswith("the model in use, reading the article again")
        assert [w for _, w in weights] == sorted((w for _, w in weights), reverse=True) and weights[-1][1] > 0
        assert len({name for name, _ in weights}) == len(weights)
        assert not any(name.startswith("v") and name[1:].isdigit() for name, _ in weights)  # one "word vector"
        assert trigger_features(s, ex, model="rules") == ([], "none: no trained model is in use (the rules alone)")
    result = CliRunner().invoke(cli, ["explain", fined.id, "--store", f"embedded:{tmp_path / 'fine.lbug'}"])
    assert result.exit_code == 0, result.output
    shown = next(line for line in result.output.splitlines() if line.startswith("features"))
    assert weights[0][0] in shown and f"{weights[0][1]:+.2f}" in shown
    quick = CliRunner().invoke(
        cli, ["explain", fined.id, "--no-features", "--store", f"embedded:{tmp_path / 'fine.lbug'}"]
    )
    assert quick.exit_code == 0 and "features" not in quick.output


def test_an_event_the_model_no_longer_finds_in_its_article_says_so(store):
    from newsgraph.explain import trigger_features

    ex = explain_event(store, world()[1].events[2].id)  # the criticism, which the model finds too
    assert trigger_features(store, ex)[0]
    weights, note = trigger_features(store, dataclasses.replace(ex, category="die"))
    assert weights == [] and note == "none: the model in use no longer finds this event in its article"
