"""The data model: deterministic ids and a lossless JSON round trip."""

import json

from newsgraph.model import Article, Entity, Event, Extraction, Mention, actor_id, content_hash, stable_id
from tests.fixtures.world import world


def test_json_round_trip_is_lossless(extractions):
    for ex in extractions:
        text = json.dumps(ex.to_dict(), ensure_ascii=False)
        back = Extraction.from_dict(json.loads(text))
        assert back == ex
        assert json.dumps(back.to_dict(), ensure_ascii=False) == text


def test_ids_are_deterministic():
    assert [e.to_dict() for e in world()] == [e.to_dict() for e in world()]
    assert stable_id("ev", "a", 1) == stable_id("ev", "a", 1) != stable_id("ev", "a", 2)
    assert actor_id("Ruth Perry", "Person") == "person:ruth-perry"


def test_an_actors_id_does_not_depend_on_how_its_apostrophe_is_written():
    """One actor is one node across articles, whichever apostrophe each outlet types."""
    straight = actor_id("Information Commissioner's Office", "Organisation")
    assert straight == "organisation:information-commissioner-s-office"
    for typed in ("\u2019", "\u2018", "\u02bc"):
        assert actor_id(f"Information Commissioner{typed}s Office", "Organisation") == straight
    assert actor_id("Adelaide Writers\u2019 Week", "Organisation") == actor_id("Adelaide Writers' Week", "Organisation")


def test_article_id_ignores_line_endings_and_trailing_space():
    a = Article(body="One line.\r\nTwo line.  \n", source="a.txt")
    b = Article(body="One line.\nTwo line.", source="b.txt")
    assert a.id == b.id and a.content_hash == content_hash("One line.\nTwo line.")
    assert Article(body="Other text.", source="a.txt").id != a.id


def test_nested_models_rebuild_as_models():
    ent = Entity("person:x", "X", "Person", mentions=[Mention("X", 0, 1, 0)])
    ev = Event("ev_1", "statement", "said", 2, 6, ["person:x"], [], "X said.", 0, 7, 0)
    ex = Extraction.from_dict(Extraction(Article("X said.", "s.txt"), [ent], [ev]).to_dict())
    assert isinstance(ex.entities[0].mentions[0], Mention) and isinstance(ex.events[0], Event)


def test_standard_input_is_no_source_to_replace_by():
    from newsgraph.model import replacing_source

    assert replacing_source("articles/a.txt") == "articles/a.txt"
    assert replacing_source("https://example.org/a") == "https://example.org/a"
    assert [replacing_source(s) for s in ("<stdin>", "<stdin>:12", None)] == [None, None, None]
    assert replacing_source("<stdin>.txt") == "<stdin>.txt"  # a file that happens to be named so
