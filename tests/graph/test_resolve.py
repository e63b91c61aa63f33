"""Cross-article resolution: which spelling variants merge, on what evidence, and how merges are
recorded in the store and reversed through the gazetteer. Extractions are built by hand."""

from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner

from newsgraph.graph.resolve import (
    ActorIndex,
    KnownActor,
    Merge,
    known_actors,
    recorded_merges,
    resolve,
)
from newsgraph.ingest.gazetteer import load_gazetteer
from newsgraph.model import Article, Entity, Event, Extraction, Mention, actor_id, stable_id
from newsgraph.queries import run
from newsgraph.store.embedded import EmbeddedStore
from newsgraph.store.rows import extraction_rows

CONNOR = "person:heidi-connor"
CONNER = "person:heidi-conner"
SCHOOL = "organisation:elm-primary-school"
CST_LONG = "organisation:confederation-of-school-trusts"


def entity(body: str, name: str, type_: str = "Person", forms=(), roles=(), affiliation=None) -> Entity:
    mentions = []
    for form in [name, *forms]:
        start = body.find(form)
        if start >= 0:
            mentions.append(Mention(form, start, start + len(form), 0))
    return Entity(
        actor_id(name, type_),
        name,
        type_,
        aliases=list(forms),
        mentions=mentions,
        roles=list(roles),
        affiliation=affiliation,
    )


def article(body: str, source: str) -> Article:
    return Article(body=body, source=source, title=source, date="2024-12-01")


def extraction(art: Article, entities: list[Entity], agent: Entity | None = None, patient: Entity | None = None):
    events = []
    if agent is not None:
        events.append(
            Event(
                id=stable_id("ev", art.id, "statement"),
                category="statement",
                trigger="said",
                trigger_start=0,
                trigger_end=4,
                agents=[agent.id],
                patients=[patient.id] if patient else [],
                evidence=art.body,
                evidence_start=0,
                evidence_end=len(art.body),
                sentence=0,
            )
        )
    return Extraction(art, entities, events)


def person(actor_id_: str, name: str, **kw) -> KnownActor:
    return KnownActor(actor_id_, name, "Person", **kw)


def org(actor_id_: str, name: str, **kw) -> KnownActor:
    return KnownActor(actor_id_, name, "Organisation", **kw)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


# -- people ----------------------------------------------------------------------------------------

BODY_CONNER = "Senior coroner Heidi Conner said Elm Primary School had been warned."


def conner_article(roles=("senior coroner",), with_school=True) -> Extraction:
    body = BODY_CONNER
    conner = entity(body, "Heidi Conner", roles=roles)
    school = entity(body, "Elm Primary School", "Organisation")
    return extraction(article(body, "conner.txt"), [conner, school] if with_school else [conner], conner, school)


def test_a_spelling_variant_with_a_shared_role_merges(gazetteer):
    known = [person(CONNOR, "Heidi Connor", roles=("coroner",))]
    ex = conner_article(with_school=False)
    res = resolve(ex, known, gazetteer)
    [merge] = res.merges
    assert (merge.incoming_name, merge.into_id, merge.into_name, merge.incoming_id) == (
        "Heidi Conner",
        CONNOR,
        "Heidi Connor",
        CONNER,
    )
    assert merge.reason == "same first name, surname spelt 1 letter apart (Conner/Connor), both coroners"
    [ent] = res.extraction.entities
    # The article's own name stays: the store names the actor by what most of its articles say.
    assert (ent.id, ent.name, ent.type) == (CONNOR, "Heidi Conner", "Person")
    assert ent.mentions == ex.entities[0].mentions
    assert res.extraction.events[0].agents == [CONNOR]
    assert res.records() == {CONNOR: ["Heidi Conner: " + merge.reason]}


def test_a_spelling_variant_without_evidence_stays_apart(gazetteer):
    known = [person(CONNOR, "Heidi Connor", roles=("chief executive",))]
    ex = conner_article(roles=(), with_school=False)
    res = resolve(ex, known, gazetteer)
    assert res.merges == []
    assert res.extraction.entities[0].id == CONNER
    assert res.extraction.to_dict() == ex.to_dict()


def test_an_actor_both_articles_mention_is_evidence(gazetteer):
    known = [person(CONNOR, "Heidi Connor", co_mentioned=(SCHOOL,)), org(SCHOOL, "Elm Primary School")]
    res = resolve(conner_article(roles=()), known, gazetteer)
    [merge] = res.merges
    assert merge.reason.endswith("both mentioned with Elm Primary School")
    assert res.extraction.events[0].agents == [CONNOR]
    assert res.extraction.events[0].patients == [SCHOOL]


def test_a_place_both_articles_mention_is_no_evidence(gazetteer):
    body = "Heidi Conner spoke in London."
    conner, london = entity(body, "Heidi Conner"), entity(body, "London", "Place")
    known = [
        person(CONNOR, "Heidi Connor", co_mentioned=("place:london",)),
        KnownActor("place:london", "London", "Place"),
    ]
    assert resolve(extraction(article(body, "x.txt"), [conner, london]), known, gazetteer).merges == []


def test_a_shared_affiliation_is_evidence(gazetteer):
    body = "Heidi Conner of the Schools Inspectorate spoke."
    insp = entity(body, "Schools Inspectorate", "Organisation")
    conner = entity(body, "Heidi Conner", affiliation=insp.id)
    known = [person(CONNOR, "Heidi Connor", affiliations=(insp.id,)), org(insp.id, "Schools Inspectorate")]
    [merge] = resolve(extraction(article(body, "x.txt"), [conner, insp]), known, gazetteer).merges
    assert "both at Schools Inspectorate" in merge.reason


@pytest.mark.parametrize(
    ("incoming", "stored", "roles"),
    [
        ("Grayson Perry", "Ruth Perry", ("artist",)),  # same surname, different first names
        ("Ruth Berry", "Ruth Perry", ("head teacher",)),  # surnames start differently
        ("Sam Li", "Sam Lu", ("head teacher",)),  # surnames too short to tell a misspelling
        ("Heidi Ann Connor", "Heidi Beth Connor", ("coroner",)),  # different middle names
    ],
)
def test_different_people_never_merge_even_with_evidence(gazetteer, incoming, stored, roles):
    body = f"{incoming} spoke at Elm Primary School."
    inc, school = entity(body, incoming, roles=roles), entity(body, "Elm Primary School", "Organisation")
    known = [person(actor_id(stored, "Person"), stored, roles=roles, co_mentioned=(SCHOOL,))]
    assert resolve(extraction(article(body, "x.txt"), [inc, school]), known, gazetteer).merges == []


def test_titles_and_middle_names_are_the_same_name_given_evidence(gazetteer):
    known = [person("person:sir-martyn-oliver", "Sir Martyn Oliver", roles=("chief inspector",))]
    body = "Martyn Oliver, the chief inspector, and Amanda Jane Spielman spoke."
    oliver = entity(body, "Martyn Oliver", roles=["chief inspector"])
    [merge] = resolve(extraction(article(body, "x.txt"), [oliver]), known, gazetteer).merges
    assert merge.reason == "same name once titles are dropped (Martyn Oliver/Sir Martyn Oliver), both chief inspectors"
    known = [person("person:amanda-spielman", "Amanda Spielman", roles=("chief inspector",))]
    spielman = entity(body, "Amanda Jane Spielman", roles=["chief inspector"])
    [merge] = resolve(extraction(article(body, "x.txt"), [spielman]), known, gazetteer).merges
    assert merge.into_id == "person:amanda-spielman"


def test_a_surname_alone_merges_only_into_the_one_person_of_that_surname_the_story_ties_it_to(gazetteer):
    body = "Coroner Perry said the school was warned."
    perry = entity(body, "Perry", roles=["coroner"])
    ex = extraction(article(body, "x.txt"), [perry])
    ruth = person("person:ruth-perry", "Ruth Perry", roles=("coroner",))
    [merge] = resolve(ex, [ruth], gazetteer).merges
    assert (merge.into_id, merge.reason) == (
        "person:ruth-perry",
        "surname alone, and the one Ruth Perry the story ties it to, both coroners",
    )
    # An artist of that surname is not "Coroner Perry"; a second coroner Perry leaves it apart.
    grayson = person("person:grayson-perry", "Grayson Perry", roles=("artist",))
    assert [m.into_id for m in resolve(ex, [ruth, grayson], gazetteer).merges] == ["person:ruth-perry"]
    jo = person("person:jo-perry", "Jo Perry", roles=("assistant coroner",))
    assert resolve(ex, [ruth, grayson, jo], gazetteer).merges == []


MIRA = "person:mira-castell"
TOBIAS = "person:tobias-castell"
LARKFIELD = "organisation:larkfield-primary"
OFFICE = "organisation:standards-office"


def story_article(body: str, date: str, *entities: Entity) -> Extraction:
    return Extraction(Article(body=body, source=f"{date}.txt", title=body[:20], date=date), list(entities), [])


def larkfield_index(*extra: KnownActor) -> list[KnownActor]:
    """A made-up story as the store holds it: a head teacher, her brother (one surname, two first
    names), her school and the inspectorate."""
    return [
        person(MIRA, "Mira Castell", roles=("head teacher",), co_mentioned=(LARKFIELD,)),
        person(TOBIAS, "Tobias Castell", co_mentioned=(LARKFIELD, MIRA)),
        org(LARKFIELD, "Larkfield Primary"),
        org(OFFICE, "Standards Office"),
        *extra,
    ]


def test_a_first_name_alone_joins_the_one_person_the_story_ties_it_to(gazetteer):
    body = "Parents at Larkfield Primary remembered Mira."
    ex = story_article(body, "2025-03-09", entity(body, "Mira"), entity(body, "Larkfield Primary", "Organisation"))
    [merge] = resolve(ex, larkfield_index(), gazetteer).merges
    assert (merge.incoming_name, merge.into_id) == ("Mira", MIRA)
    assert merge.reason == (
        "first name alone, and the one Mira Castell the story ties it to, both mentioned with Larkfield Primary"
    )
    # Even when an earlier article left "Mira" a node of its own.
    assert resolve(ex, [*larkfield_index(), person("person:mira", "Mira")], gazetteer).merges == [merge]
    # Nothing ties another story's Mira to this article; a second Mira of this story leaves it apart.
    other = person("person:mira-holt", "Mira Holt", co_mentioned=("organisation:elsewhere",))
    assert resolve(ex, larkfield_index(other), gazetteer).merges == [merge]
    twin = person("person:mira-lane", "Mira Lane", co_mentioned=(LARKFIELD,))
    assert resolve(ex, larkfield_index(twin), gazetteer).merges == []


def test_a_surname_two_people_share_needs_what_singles_one_out(gazetteer):
    body = "Castell said Larkfield Primary had failed her."
    castell = entity(body, "Castell")
    ex = story_article(body, "2025-03-09", castell, entity(body, "Larkfield Primary", "Organisation"))
    assert resolve(ex, larkfield_index(), gazetteer).merges == []  # Mira or Tobias: never one at a guess
    castell.roles = ["head teacher"]
    [merge] = resolve(ex, larkfield_index(), gazetteer).merges
    assert merge.into_id == MIRA and "both head teachers" in merge.reason


def test_a_shared_role_singles_out_one_of_two_people_the_story_ties_a_surname_to(gazetteer):
    body = "Castell said Larkfield Primary and the Standards Office had failed her."
    castell = entity(body, "Castell", roles=["head teacher"])
    school, office = entity(body, "Larkfield Primary", "Organisation"), entity(body, "Standards Office", "Organisation")
    ex = story_article(body, "2025-03-09", castell, school, office)
    # Both are strongly tied to it: Tobias by the two bodies both articles name, Mira by her role too.
    tobias = person(TOBIAS, "Tobias Castell", co_mentioned=(LARKFIELD, OFFICE))
    mira = person(MIRA, "Mira Castell", roles=("head teacher",), co_mentioned=(LARKFIELD,))
    known = [mira, tobias, org(LARKFIELD, "Larkfield Primary"), org(OFFICE, "Standards Office")]
    [merge] = [m for m in resolve(ex, known, gazetteer).merges if m.incoming_name == "Castell"]
    assert merge.into_id == MIRA and "both head teachers" in merge.reason
    # Tied alike (the two bodies each) and no role: neither.
    castell.roles = []
    known[0] = person(MIRA, "Mira Castell", roles=("head teacher",), co_mentioned=(LARKFIELD, OFFICE))
    assert [m for m in resolve(ex, known, gazetteer).merges if m.incoming_name == "Castell"] == []


def test_a_surname_the_extraction_took_for_an_organisation_joins_the_person(gazetteer):
    body = "Akinola said Larkfield Primary deserved better."
    akinola = entity(body, "Akinola", "Organisation")
    ex = story_article(body, "2025-03-09", akinola, entity(body, "Larkfield Primary", "Organisation"))
    peter = person("person:peter-akinola", "Peter Akinola", co_mentioned=(LARKFIELD,))
    [merge] = resolve(ex, larkfield_index(peter), gazetteer).merges
    assert merge.into_id == "person:peter-akinola"
    assert merge.reason.startswith("surname alone (taken for an organisation), and the one Peter Akinola")
    [ent, _] = resolve(ex, larkfield_index(peter), gazetteer).extraction.entities
    assert (ent.id, ent.name, ent.type) == ("person:peter-akinola", "Akinola", "Organisation")
    # Beside an organisation of that word ("Akinola Foods"), the word is no surname.
    foods = org("organisation:akinola-foods", "Akinola Foods", co_mentioned=(LARKFIELD,))
    assert resolve(ex, larkfield_index(peter, foods), gazetteer).merges == []


def test_a_person_and_an_organisation_that_share_a_surname_never_merge(gazetteer):
    body = "The Castell Foundation and Larkfield Primary said so."
    foundation = entity(body, "Castell Foundation", "Organisation")
    ex = story_article(body, "2025-03-09", foundation, entity(body, "Larkfield Primary", "Organisation"))
    assert resolve(ex, larkfield_index(), gazetteer).merges == []
    body = "Mira Castell Foundation staff and Larkfield Primary said so."
    named = entity(body, "Mira Castell Foundation", "Organisation")
    ex = story_article(body, "2025-03-09", named, entity(body, "Larkfield Primary", "Organisation"))
    assert resolve(ex, larkfield_index(), gazetteer).merges == []


def test_the_same_full_name_typed_otherwise_joins_given_strong_evidence(gazetteer):
    body = "Mira Castell of Larkfield Primary met the Standards Office."
    as_org = entity(body, "Mira Castell", "Organisation")
    school, office = entity(body, "Larkfield Primary", "Organisation"), entity(body, "Standards Office", "Organisation")
    mira = person(MIRA, "Mira Castell", co_mentioned=(LARKFIELD, OFFICE))
    [merge] = resolve(story_article(body, "2025-03-09", as_org, school, office), [mira], gazetteer).merges
    assert merge.into_id == MIRA
    assert merge.reason == (
        "the same name, given a person elsewhere, both mentioned with Larkfield Primary and Standards Office"
    )
    # One actor in common is not enough to join a person and an organisation of one name.
    mira = person(MIRA, "Mira Castell", co_mentioned=(LARKFIELD,))
    assert resolve(story_article(body, "2025-03-09", as_org, school, office), [mira], gazetteer).merges == []


def coroner(actor_id_: str, name: str, *held: tuple[str, str]) -> KnownActor:
    return person(actor_id_, name, roles=tuple(sorted({t for t, _ in held})), held=held, co_mentioned=(OFFICE,))


PEMBERTON = coroner("person:rhys-pemberton", "Rhys Pemberton", ("assistant coroner", "2025-03-20"))
DALGLEISH = coroner("person:fiona-dalgleish", "Fiona Dalgleish", ("senior coroner", "2025-09-18"),
                    ("senior coroner", "2025-11-04"))  # fmt: skip


def title_article(title: str, date: str, type_: str = "Organisation") -> Extraction:
    body = f"{title} wrote to the Standards Office."
    return story_article(body, date, entity(body, title, type_), entity(body, "Standards Office", "Organisation"))


@pytest.mark.parametrize(
    ("title", "date", "into"),
    [
        ("Coroner", "2025-10-02", DALGLEISH.id),  # after the second took over
        ("the coroner", "2025-12-01", DALGLEISH.id),
        ("Coroner", "2025-03-20", PEMBERTON.id),  # the day the story names the first
        ("Coroner", "2025-01-10", PEMBERTON.id),  # before it, when the story names no other
        ("Coroner", "2025-06-01", None),  # between the two: either may have held it
        ("Coroner", "2025-03-25", None),
        ("The Senior Coroner", "2025-10-02", DALGLEISH.id),
        ("Assistant Coroner", "2025-10-02", PEMBERTON.id),  # the only assistant coroner the story names
        ("the former coroner", "2025-10-02", None),  # not the coroner then
        ("Coroner", None, None),  # undated: the story has two
    ],
)
def test_a_title_joins_the_one_holder_the_story_names_on_the_articles_date(gazetteer, title, date, into):
    res = resolve(title_article(title, date), [PEMBERTON, DALGLEISH, org(OFFICE, "Standards Office")], gazetteer)
    assert [m.into_id for m in res.merges] == ([into] if into else [])


def test_a_title_two_holders_may_share_then_is_never_resolved_silently(gazetteer, caplog):
    known = [PEMBERTON, DALGLEISH, org(OFFICE, "Standards Office")]
    assert resolve(title_article("Coroner", "2025-06-01"), known, gazetteer).merges == []
    assert "left 'Coroner' apart: Fiona Dalgleish and Rhys Pemberton may both have been coroner on 2025-06-01" in (
        caplog.text
    )
    # A successor named only as "the new coroner" makes what comes after unclear too.
    incoming = coroner("person:ana-voss", "Ana Voss", ("new coroner", "2025-11-20"))
    assert resolve(title_article("Coroner", "2025-11-25"), [*known, incoming], gazetteer).merges == []
    [merge] = resolve(title_article("Coroner", "2025-10-02"), [*known, incoming], gazetteer).merges
    assert merge.reason == (
        "coroner on 2025-10-02, the one the story names then (senior coroner on 2025-09-18),"
        " both mentioned with Standards Office"
    )


def test_a_title_of_another_story_is_no_holder(gazetteer):
    elsewhere = person("person:ida-kent", "Ida Kent", roles=("coroner",), held=(("coroner", "2025-09-30"),),
                       co_mentioned=("organisation:elsewhere",))  # fmt: skip
    known = [DALGLEISH, elsewhere, org(OFFICE, "Standards Office")]
    [merge] = resolve(title_article("Coroner", "2025-10-02"), known, gazetteer).merges
    assert merge.into_id == DALGLEISH.id


def test_two_equally_good_candidates_merge_into_neither(gazetteer):
    body = "H Connor, the coroner, said the school was warned."
    h = entity(body, "H Connor", roles=["coroner"])
    known = [
        person(CONNOR, "Heidi Connor", roles=("coroner",)),
        person("person:harry-connor", "Harry Connor", roles=("coroner",)),
    ]
    ex = extraction(article(body, "x.txt"), [h])
    assert resolve(ex, known, gazetteer).merges == []
    [merge] = resolve(ex, known[:1], gazetteer).merges
    assert merge.reason == "initial of the first name (H Connor/Heidi Connor), both coroners"


def test_an_article_naming_both_keeps_them_apart(gazetteer):
    body = "Heidi Connor and Heidi Conner, both coroners, spoke."
    connor, conner = entity(body, "Heidi Connor", roles=["coroner"]), entity(body, "Heidi Conner", roles=["coroner"])
    known = [person(CONNOR, "Heidi Connor", roles=("coroner",))]
    res = resolve(extraction(article(body, "x.txt"), [connor, conner]), known, gazetteer)
    assert res.merges == []
    assert [e.id for e in res.extraction.entities] == [CONNOR, CONNER]


def test_a_name_the_actor_already_goes_by_needs_no_more_evidence(gazetteer):
    known = [person(CONNOR, "Heidi Connor", aliases=("Heidi Conner", "Connor"))]
    [merge] = resolve(conner_article(roles=(), with_school=False), known, gazetteer).merges
    assert merge.reason == "already known as Heidi Conner"


# -- organisations ---------------------------------------------------------------------------------


def cst_article(with_trust_leader: bool = False) -> Extraction:
    body = "The CST said its chief executive Leora Cruddas would respond."
    cst = entity(body, "CST", "Organisation")
    entities = [cst]
    if with_trust_leader:
        entities.append(entity(body, "Leora Cruddas", roles=["chief executive"], affiliation=cst.id))
    return extraction(article(body, "cst.txt"), entities, cst, entities[-1] if with_trust_leader else None)


def test_an_acronym_merges_into_the_long_form_its_articles_use(gazetteer):
    known = [org(CST_LONG, "Confederation of School Trusts", aliases=("CST",))]
    res = resolve(cst_article(with_trust_leader=True), known, gazetteer)
    [merge] = res.merges
    assert merge.into_id == CST_LONG
    # (The packaged gazetteer also knows CST as a union: "both unions" may follow.)
    assert merge.reason.startswith(
        "CST is the initials of Confederation of School Trusts, which its articles also call CST"
    )
    cst, leader = res.extraction.entities
    assert (cst.id, cst.name) == (CST_LONG, "CST")
    assert leader.affiliation == CST_LONG
    assert res.extraction.events[0].agents == [CST_LONG]


def test_a_long_form_merges_into_a_stored_acronym(gazetteer):
    body = "The Confederation of School Trusts (CST) responded."
    long_form = entity(body, "Confederation of School Trusts", "Organisation", forms=["CST"])
    long_form.source = "ner"
    known = [org("organisation:cst", "CST")]
    [merge] = resolve(extraction(article(body, "x.txt"), [long_form]), known, gazetteer).merges
    assert merge.into_id == "organisation:cst"


def test_initials_alone_need_evidence(gazetteer):
    known = [org("organisation:community-security-trust", "Community Security Trust")]
    assert resolve(cst_article(), known, gazetteer).merges == []
    known = [org("organisation:community-security-trust", "Community Security Trust", co_mentioned=("person:x",))]
    body = "The CST and X spoke."
    ex = extraction(article(body, "x.txt"), [entity(body, "CST", "Organisation"), entity(body, "X")])
    [merge] = resolve(ex, known, gazetteer).merges
    assert merge.reason == "CST is the initials of Community Security Trust, both mentioned with X"


def test_gazetteer_actors_keep_their_own_id(gazetteer):
    body = "The Confederation of School Trusts responded."
    long_form = entity(body, "Confederation of School Trusts", "Organisation", forms=["CST"])
    long_form.source = "gazetteer"
    known = [org("organisation:cst", "CST")]
    assert resolve(extraction(article(body, "x.txt"), [long_form]), known, gazetteer).merges == []


def test_nearly_identical_organisations_of_one_class_merge(gazetteer):
    body = "The Department of Education said."
    dept = entity(body, "Department of Education", "Organisation")
    known = [org("organisation:department-for-education", "Department for Education")]
    [merge] = resolve(extraction(article(body, "x.txt"), [dept]), known, gazetteer).merges
    assert merge.reason == ("nearly the same name (Department of Education/Department for Education), both departments")
    body = "Year 10 Group said."
    other = entity(body, "Year 10 Group", "Organisation")
    known = [org("organisation:year-11-group", "Year 11 Group")]
    assert resolve(extraction(article(body, "x.txt"), [other]), known, gazetteer).merges == []


def test_a_name_with_a_word_of_its_class_added_merges_given_evidence(gazetteer):
    body = "Caversham Primary School, where Ruth Perry was head, responded."
    school = entity(body, "Caversham Primary School", "Organisation")
    perry = entity(body, "Ruth Perry")
    ex = extraction(article(body, "x.txt"), [school, perry])
    known = [org("organisation:caversham-primary", "Caversham Primary", co_mentioned=("person:ruth-perry",))]
    [merge] = resolve(ex, known, gazetteer).merges
    assert merge.reason.startswith("the same name but for 'School' (Caversham Primary School/Caversham Primary)")
    assert merge.reason.endswith("both mentioned with Ruth Perry")
    # One word is no name of its own: "Caversham" may be anything in Caversham.
    known = [org("organisation:caversham", "Caversham", co_mentioned=("person:ruth-perry",))]
    assert resolve(ex, known, gazetteer).merges == []


# -- reversing through the gazetteer ---------------------------------------------------------------


def test_not_same_in_a_user_gazetteer_prevents_the_merge(tmp_path):
    path = tmp_path / "gazetteer.yaml"
    path.write_text("actors:\n  - {name: Heidi Connor, type: Person, not_same: [Heidi Conner]}\n", encoding="utf-8")
    known = [person(CONNOR, "Heidi Connor", roles=("coroner",), aliases=("Heidi Conner",))]
    assert resolve(conner_article(), known, load_gazetteer(str(path))).merges == []
    # Either way round.
    path.write_text("actors:\n  - {name: Heidi Conner, type: Person, not_same: [Heidi Connor]}\n", encoding="utf-8")
    load_gazetteer.cache_clear()
    assert resolve(conner_article(), known, load_gazetteer(str(path))).merges == []
    load_gazetteer.cache_clear()


# -- determinism and the input ---------------------------------------------------------------------


def test_resolution_is_deterministic_and_leaves_its_input_alone(gazetteer):
    known = [person(CONNOR, "Heidi Connor", roles=("coroner",)), org(SCHOOL, "Elm Primary School")]
    ex = conner_article()
    before = copy.deepcopy(ex.to_dict())
    first = resolve(ex, known, gazetteer)
    second = resolve(ex, list(reversed(known)), gazetteer)
    assert ex.to_dict() == before
    assert first.extraction.to_dict() == second.extraction.to_dict()
    assert first.merges == second.merges


def test_the_index_blocks_candidates_by_name():
    index = ActorIndex(
        [
            person(CONNOR, "Heidi Connor"),
            person("person:ruth-perry", "Ruth Perry"),
            org(CST_LONG, "Confederation of School Trusts"),
        ]
    )
    conner = entity(BODY_CONNER, "Heidi Conner")
    assert [a.id for a in index.candidates(conner)] == [CONNOR]
    assert [a.id for a in index.candidates(entity("CST", "CST", "Organisation"))] == [CST_LONG]
    assert index.candidates(entity("Mo Farah", "Mo Farah")) == []


# -- in a store --------------------------------------------------------------------------------------


def connor_article() -> Extraction:
    body = "Coroner Heidi Connor issued a report on Elm Primary School."
    connor = entity(body, "Heidi Connor", roles=["coroner"])
    school = entity(body, "Elm Primary School", "Organisation")
    return extraction(article(body, "connor.txt"), [connor, school], connor, school)


def test_a_store_holds_one_actor_and_the_merge_record(tmp_path, gazetteer):
    with EmbeddedStore(tmp_path / "graph.lbug") as store:
        store.write(connor_article())
        before = store.counts()
        res = resolve(conner_article(), known_actors(store), gazetteer)
        assert [m.into_id for m in res.merges] == [CONNOR]
        assert store.write(res.extraction, merges=res.records()).status == "added"
        counts = store.counts()
        assert counts["actors"] == before["actors"] == 2
        assert counts["mentioned_in"] == 4 and counts["articles"] == 2
        [row] = store.query("MATCH (x:Actor {id: $id}) RETURN x.name AS name, x.aliases AS aliases", {"id": CONNOR})
        assert row["name"] == "Heidi Connor" and "Heidi Conner" in row["aliases"]
        [record] = recorded_merges(store)
        assert (record["id"], record["article"]) == (CONNOR, res.extraction.article.id)
        assert record["merged_from"] == [res.merges[0].record]
        [listed] = run(store, "merges", {"actor": "Heidi Conner"})  # the catalogue finds it by the new alias
        assert listed["actor"] == "Heidi Connor" and listed["merged"] == [res.merges[0].record]

        # Re-ingesting: resolved again (now through the alias), written again, nothing duplicated.
        again = resolve(conner_article(), known_actors(store), gazetteer)
        assert [m.into_id for m in again.merges] == [CONNOR]
        assert store.write(again.extraction, merges=again.records()).status == "unchanged"
        assert store.counts() == counts
        assert len(recorded_merges(store)) == 1

        # Removing the article removes its merge record and the alias it brought.
        assert store.remove(res.extraction.article.id)
        assert recorded_merges(store) == []
        [row] = store.query("MATCH (x:Actor {id: $id}) RETURN x.aliases AS aliases", {"id": CONNOR})
        assert "Heidi Conner" not in row["aliases"]


def test_known_actors_come_from_the_store(tmp_path, extractions):
    with EmbeddedStore(tmp_path / "graph.lbug") as store:
        for ex in extractions:
            store.write(ex)
        known = {a.id: a for a in known_actors(store)}
    assert len(known) == 8
    hollis = known["person:dana-hollis"]
    assert (hollis.name, hollis.kind, hollis.roles) == ("Dana Hollis", "Person", ("chief inspector",))
    assert hollis.affiliations == ("organisation:schools-inspectorate",)
    assert hollis.articles == tuple(sorted(ex.article.id for ex in extractions[:2]))
    assert known["person:owen-pryce"].aliases == ("Pryce",)
    index = ActorIndex(known.values())
    assert "person:owen-pryce" in index.co_mentioned("person:dana-hollis")


def test_the_index_takes_in_what_was_just_written(gazetteer):
    index = ActorIndex()
    index.add(connor_article())
    assert CONNOR in index and SCHOOL in index
    assert index.co_mentioned(CONNOR) == {SCHOOL}
    [merge] = resolve(conner_article(roles=()), index, gazetteer).merges
    assert merge.reason.endswith("both mentioned with Elm Primary School")


def test_rows_carry_the_merge_record(gazetteer):
    res = resolve(conner_article(), [person(CONNOR, "Heidi Connor", roles=("coroner",))], gazetteer)
    rows = {r["actor"]: r for r in extraction_rows(res.extraction, res.records())["mentions"]}
    assert rows[CONNOR]["merged_from"] == [res.merges[0].record]
    assert rows[SCHOOL]["merged_from"] is None


def test_merge_record_format():
    assert Merge("Heidi Conner", CONNOR, "why", "Heidi Connor").record == "Heidi Conner: why"


# -- the ingest command ------------------------------------------------------------------------------


def test_ingest_merges_across_articles_and_says_so(tmp_path, monkeypatch):
    from newsgraph import cli, jobs

    made = {ex.article.body: ex for ex in (connor_article(), conner_article())}

    def extract_all(articles, settings, inputs, workers=1):
        for art in articles:
            ex = made[art.body]
            yield Extraction(art, ex.entities, ex.events)

    monkeypatch.setattr(jobs, "_extracted", extract_all)
    for i, ex in enumerate(made.values()):
        (tmp_path / f"{i}.txt").write_text(ex.article.body + "\n", encoding="utf-8")
    store = f"embedded:{tmp_path / 'graph.lbug'}"
    runner = CliRunner()
    done = runner.invoke(cli.cli, ["ingest", "--store", store, str(tmp_path / "0.txt"), str(tmp_path / "1.txt")])
    assert done.exit_code == 0, done.output
    assert "newsgraph: merged 'Heidi Conner' into Heidi Connor (same first name" in done.stderr
    with EmbeddedStore(tmp_path / "graph.lbug", read_only=True) as st:
        assert st.counts()["actors"] == 2
        assert [r["id"] for r in recorded_merges(st)] == [CONNOR]
    done = runner.invoke(cli.cli, ["ingest", "--store", store, str(tmp_path / "0.txt"), str(tmp_path / "1.txt")])
    assert done.exit_code == 0 and "merged" not in done.stderr
    assert "2 unchanged" in done.stderr


def committee_article(name: str, with_school: bool = True) -> Extraction:
    body = f"The {name} questioned the head of Elm Primary School about the inspection."
    committee = entity(body, name, "Organisation")
    school = entity(body, "Elm Primary School", "Organisation")
    entities = [committee, school] if with_school else [committee]
    return extraction(article(body, "committee.txt"), entities, committee, school if with_school else None)


@pytest.mark.parametrize(
    ("incoming", "stored", "extra"),
    [
        ("Education Select Committee", "Education Committee", "Select"),
        ("Education Committee", "Commons Education Committee", "Commons"),
    ],
)
def test_an_organisation_named_with_a_word_more_joins_given_evidence(gazetteer, incoming, stored, extra):
    known = [org("organisation:stored", stored, co_mentioned=(SCHOOL,)), org(SCHOOL, "Elm Primary School")]
    [merge] = resolve(committee_article(incoming), known, gazetteer).merges
    assert merge.into_id == "organisation:stored"
    assert merge.reason.startswith(f"the same name but for '{extra}' (")
    assert merge.reason.endswith("both mentioned with Elm Primary School")
    # without evidence, or with another head word, or a word too many, they stay apart
    assert resolve(committee_article(incoming, with_school=False), known, gazetteer).merges == []
    other = [org("organisation:stored", "Education Select Board", co_mentioned=(SCHOOL,)), known[1]]
    assert resolve(committee_article("Education Committee"), other, gazetteer).merges == []
    far = [org("organisation:stored", "Joint Further Education Select Committee", co_mentioned=(SCHOOL,)), known[1]]
    assert resolve(committee_article("Education Committee"), far, gazetteer).merges == []
