"""What the description ranker reads of the roles the text gives a person ('Kestrel Research chief
Mara Lindqvist', 'the lawyer Tomas Reyes'): a description that names the role's body or a word of
it, or whose head is a near word of the role's, looks like that person. Our own sentences."""

from __future__ import annotations

import pytest

from newsgraph.ingest import entity_model
from tests.fixtures.entities import typed_entities

NEWS = (
    "Kestrel Research chief Mara Lindqvist told MPs on Monday that grants would be cut."
    " On Tuesday the lawyer Tomas Reyes met Ines Duarte, the mayor of Lisbon."
    " The head of Kestrel Research said the cuts were needed."
    " The attorney said the talks had gone well."
    " The mayor welcomed the visit."
)


@pytest.fixture(scope="module")
def article_entities():
    from newsgraph.ingest.pipeline import Extractor, Settings

    extractor = Extractor(Settings())
    return typed_entities(extractor, NEWS, "2024-05-03"), extractor.entity_model


def _cluster(ents, name):
    found = [c for c in ents.clusters if c.name == name]
    assert found, [(c.name, c.type, c.roles) for c in ents.clusters]
    return found[0]


def _features(ents, model, text, name):
    found = {d.text: d for d in entity_model.descriptions(ents)}
    assert text in found, sorted(found)
    return entity_model.description_features(ents, found[text], _cluster(ents, name), model.centroids, {})


def test_the_text_gives_the_roles_the_features_read(article_entities):
    ents, _ = article_entities
    assert "kestrel research chief" in _cluster(ents, "Mara Lindqvist").roles
    assert "lawyer" in _cluster(ents, "Tomas Reyes").roles
    assert "mayor" in _cluster(ents, "Ines Duarte").roles


def test_a_description_naming_the_body_of_a_persons_role_matches_that_person(article_entities):
    ents, model = article_entities
    head = _features(ents, model, "The head of Kestrel Research", "Mara Lindqvist")
    assert head.get("role_names_inside") == 1.0
    assert head.get("role_modifier") == 1.0
    other = _features(ents, model, "The head of Kestrel Research", "Tomas Reyes")
    assert "role_names_inside" not in other and "role_modifier" not in other
    body = _features(ents, model, "The head of Kestrel Research", "Kestrel Research")
    assert not {"role_head_cos", "role_names_inside", "role_modifier"} & set(body)  # a body has no roles


def test_a_description_whose_head_is_near_a_role_word_looks_like_its_holder(article_entities):
    ents, model = article_entities
    attorney_lawyer = _features(ents, model, "The attorney", "Tomas Reyes")["role_head_cos"]
    attorney_mayor = _features(ents, model, "The attorney", "Ines Duarte")["role_head_cos"]
    assert attorney_lawyer > attorney_mayor + 0.1


def test_the_anaphora_model_hears_that_a_descriptions_head_is_some_persons_role(article_entities):
    ents, model = article_entities
    found = {d.text: d for d in entity_model.descriptions(ents)}
    mayor = entity_model.anaphora_features(ents, found["The mayor"], model.centroids, {})
    attorney = entity_model.anaphora_features(ents, found["The attorney"], model.centroids, {})
    assert mayor.get("head_is_a_role") == 1.0  # 'Ines Duarte, the mayor of Lisbon'
    assert "head_is_a_role" not in attorney  # no one is called attorney: only a near word of a role
