"""The gazetteer file: actors, classes and offices with their holders over time."""

import pytest

from newsgraph.errors import ConfigError
from newsgraph.ingest.gazetteer import load_gazetteer


def _office(gaz, name):
    return next(o for o in gaz.offices if o.name == name)


def test_an_office_is_held_by_whoever_held_it_on_the_date():
    pm = _office(load_gazetteer(), "Prime Minister")
    assert pm.holder_on("2021-04-29") == "Boris Johnson"
    assert pm.holder_on("2022-10-25") == "Rishi Sunak"  # the day a term begins belongs to it
    assert pm.holder_on("2022-10-24") == "Liz Truss"
    assert pm.holder_on("1990-01-01") is None


def test_former_and_next_holders():
    gaz = load_gazetteer()
    chancellor = _office(gaz, "Chancellor of the Exchequer")
    assert "Nadhim Zahawi" in chancellor.former_holders("2023-01-29")
    assert "Jeremy Hunt" not in chancellor.former_holders("2023-01-29")
    chief = _office(gaz, "His Majesty's Chief Inspector of Education, Children's Services and Skills")
    assert chief.next_holder("2023-12-20") == "Martyn Oliver"


def test_an_office_that_ended_names_its_last_holder():
    queen = _office(load_gazetteer(), "Monarch (Queen)")
    assert queen.holder_on("2023-01-29") == "Queen Elizabeth II"


def test_a_user_file_adds_and_replaces_offices(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "offices:\n"
        "  - office: Prime Minister\n"
        "    mentions: [prime minister]\n"
        "    holders: [{name: Ada Moss, from: 2030-01-01}]\n"
        "  - office: Mayor of Northgate\n"
        "    mentions: [mayor of northgate, the mayor]\n"
        "    holders: [{name: Tomas Reyes, from: 2021-05-08}]\n"
    )
    gaz = load_gazetteer(str(path))
    assert _office(gaz, "Prime Minister").holder_on("2031-01-01") == "Ada Moss"
    assert _office(gaz, "Prime Minister").holder_on("2023-01-01") is None  # replaced, not merged
    assert _office(gaz, "Mayor of Northgate").holder_on("2024-02-02") == "Tomas Reyes"


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("  - {office: Mayor}\n", "needs 'office' and 'mentions'"),
        ("  - {office: Mayor, mentions: [mayor], holders: [{name: X}]}\n", "needs 'name' and 'from'"),
        ("  - {office: Mayor, mentions: [mayor], holders: [{name: X, from: May 2021}]}\n", "YYYY-MM-DD"),
    ],
)
def test_a_bad_office_entry_is_a_config_error_naming_the_file(tmp_path, entry, problem):
    path = tmp_path / "bad.yaml"
    path.write_text("offices:\n" + entry)
    with pytest.raises(ConfigError, match=problem) as err:
        load_gazetteer(str(path))
    assert str(path) in str(err.value)


def test_name_patterns_feed_the_entity_ruler_and_a_bad_one_is_a_config_error(tmp_path):
    gaz = load_gazetteer()
    assert any(p["label"] == "ORG" and "id" not in p for p in gaz.ruler_patterns())
    path = tmp_path / "bad.yaml"
    path.write_text("name_patterns:\n  - {type: Company, pattern: [{LOWER: plc}]}\n")
    with pytest.raises(ConfigError, match="name pattern") as err:
        load_gazetteer(str(path))
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    "name, body",
    [
        ("Hale Water", True),  # a company by its sector word
        ("Kent County Council", True),
        ("University of Leeds", True),  # a class word and "of"
        ("Court of Appeal", True),
        ("Association of School and College Leaders", True),
        ("Union Street", False),  # a class word not at the end is no body
        ("College Road", False),
        ("Council", False),  # one word: a title or a generic noun, not a name
        ("Annual Safety Report", False),  # a class of documents
        ("Margaret Sutton", False),
    ],
)
def test_a_name_that_ends_in_a_word_of_a_class_of_bodies_is_one(name, body):
    assert load_gazetteer().body_by_name(name) is body


def test_a_class_of_documents_is_marked_in_a_user_file(tmp_path):
    path = tmp_path / "gaz.yaml"
    path.write_text("classes:\n  ruling: {nouns: [ruling], name_words: [Judgment], type: Document}\n", encoding="utf-8")
    gaz = load_gazetteer(str(path))
    assert gaz.class_types["ruling"] == "Document" and not gaz.body_by_name("Smith Judgment")
    assert gaz.body_by_name("Thames Water")  # the default classes stay


def test_actor_names_are_matched_as_phrases_on_the_pipelines_own_tokens(tmp_path):
    from newsgraph.ingest.nlp import load_pipeline

    path = tmp_path / "gaz.yaml"
    path.write_text(
        "actors:\n  - {name: Brent & Lyle Holdings, type: Organisation, aliases: [B&L, Brent-Lyle]}\n",
        encoding="utf-8",
    )
    patterns = load_gazetteer(str(path)).ruler_patterns()
    assert {"label": "ORG", "pattern": "B&L", "id": "organisation:brent-lyle-holdings"} in patterns
    nlp, _ = load_pipeline(None, str(path))
    doc = nlp("Brent & Lyle Holdings said on Monday that B&L would appeal. Brent-Lyle's shares fell.")
    found = [(e.text, e.ent_id_) for e in doc.ents if e.ent_id_]
    assert found == [
        ("Brent & Lyle Holdings", "organisation:brent-lyle-holdings"),
        ("B&L", "organisation:brent-lyle-holdings"),
        ("Brent-Lyle", "organisation:brent-lyle-holdings"),
    ]


def test_an_actors_context_words_are_read_from_a_user_file(tmp_path):
    path = tmp_path / "gaz.yaml"
    path.write_text(
        "actors:\n  - {name: Irish Government, type: Organisation, mentions: [the government],\n"
        "     context: [Dáil, Taoiseach]}\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer(str(path))
    assert gaz.by_mention["the government"].context == ("Dáil", "Taoiseach")
    uk = next(a for a in load_gazetteer(None).actors if a.name == "UK Government")
    assert uk.context[:2] == ("UK", "United Kingdom")


def test_a_countrys_adjectives_name_its_government(tmp_path):
    gaz = load_gazetteer(None)
    assert gaz.government_words["Kenyan"].name == "Kenya" and gaz.government_words["New Zealand"].name == "New Zealand"
    assert gaz.governments["Government of Kenya"].name == "Kenya"
    path = tmp_path / "gaz.yaml"
    path.write_text(
        "countries:\n  - {name: Freedonia, capital: Fredville, adjectives: [Freedonian]}\n", encoding="utf-8"
    )
    assert load_gazetteer(str(path)).government_words["Freedonian"].government == "Government of Freedonia"


def test_a_form_with_an_apostrophe_matches_either_apostrophe(tmp_path):
    """News text writes "Harbour Pilots’ Guild" as often as "Harbour Pilots' Guild": the gazetteer
    form with one stands for both, in the entity ruler and in look-ups, and offices alike."""
    from newsgraph.ingest.nlp import load_pipeline

    path = tmp_path / "gaz.yaml"
    path.write_text(
        'actors:\n  - {name: "Harbour Pilots\' Guild", type: Organisation, aliases: [HPG]}\n'
        'offices:\n  - office: Guild Master\n    mentions: ["pilots\' guild master"]\n'
        "    holders: [{name: Ines Varga, from: 2020-01-01}]\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer(str(path))
    curly = "Harbour Pilots\u2019 Guild"
    assert gaz.lookup(curly) is gaz.lookup("Harbour Pilots' Guild") is gaz.lookup("HPG")
    assert gaz.lookup(curly).name == "Harbour Pilots' Guild"
    nlp, _ = load_pipeline(None, str(path))
    doc = nlp(f"The {curly} voted on Monday. The Harbour Pilots' Guild later wrote to the port.")
    found = [(e.text, e.ent_id_) for e in doc.ents if e.ent_id_]
    assert found == [
        (curly, "organisation:harbour-pilots-guild"),
        ("Harbour Pilots' Guild", "organisation:harbour-pilots-guild"),
    ]
    assert {p["pattern"] for p in gaz.ruler_patterns() if p.get("id") == "organisation:harbour-pilots-guild"} == {
        "Harbour Pilots' Guild",
        curly,
        "HPG",
    }
