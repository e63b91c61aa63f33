"""What the trained layer sees of a candidate trigger: its word's vector, only from the static
vectors the category centroids were made of."""

import pytest

from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.events import EventExtractor, load_lexicon
from newsgraph.ingest.events.candidates import VECTOR_SCALE, Featurizer, candidates
from newsgraph.ingest.events.classifier import centroids
from newsgraph.ingest.gazetteer import load_gazetteer
from newsgraph.ingest.nlp import load_pipeline

pytestmark = pytest.mark.slow

BODY = "The regulator fined Marlow Harbour Board £40,000 for dredging without a licence."


def _features(with_centroids: bool, body: str = BODY, word: str = "fined") -> dict[str, float]:
    """The candidate's features by name, the dense vector's components too (as training reads them)."""
    nlp, _info = load_pipeline()
    doc = nlp(body)
    ex = EventExtractor(doc, ArticleEntities(doc, load_gazetteer(), "2024-03-05"), load_lexicon())
    featurizer = Featurizer(ex, centroids(ex) if with_centroids else {})
    (found,) = [c for c in candidates(ex, ex.events(), frozenset()) if c.token.text == word]
    return featurizer.features(found).expanded()


def test_the_trigger_word_vector_is_a_feature_scaled_to_weigh_beside_the_others():
    feats = _features(with_centroids=True)
    vector = [v for k, v in feats.items() if k.startswith("v") and k[1:].isdigit()]
    assert len(vector) == 300  # the md pipeline's static vectors
    norm = sum(x * x for x in vector) ** 0.5
    assert abs(norm - VECTOR_SCALE) < 0.01
    assert any(k.startswith("near=") for k in feats) and any(k.startswith("sim=") for k in feats)


def test_without_static_vectors_no_vector_feature_is_made():
    """A pipeline without static vectors (sm, trf) has no centroids: no near=, sim= or vN features,
    though Token.vector would give the parser's context tensor."""
    feats = _features(with_centroids=False)
    assert not [
        k for k in feats if k.startswith(("near=", "sim=", "said_sim=")) or (k.startswith("v") and k[1:].isdigit())
    ]
    assert feats["pos=VERB"] == 1.0


def test_centroids_kept_for_another_vocabulary_and_lexicon_under_the_same_ids_are_not_reused():
    """The cache is keyed by the ids of a vocabulary and a lexicon; an entry left by another pair
    whose ids were recycled is recomputed, not returned."""
    from newsgraph.ingest.events import classifier

    nlp, _info = load_pipeline()
    doc = nlp(BODY)
    ex = EventExtractor(doc, ArticleEntities(doc, load_gazetteer(), "2024-03-05"), load_lexicon())
    stale = {"demand": None}
    # Entries whose ids are this pair's, left by another lexicon, or by this one with another vocabulary.
    for lexicon in (object(), ex.lex):
        classifier._CENTROIDS[id(ex.lex)] = (lexicon, {id(doc.vocab): (object(), {"centroids": stale})})
        try:
            found = centroids(ex)
            assert found is not stale and "criticise" in found and found["criticise"].shape == (300,)
            assert centroids(ex) is found  # and computed once for this pair
        finally:
            classifier._CENTROIDS.pop(id(ex.lex), None)


def _said_sims(body: str, word: str = "said") -> dict[str, float]:
    feats = _features(with_centroids=True, body=body, word=word)
    return {k.split("=", 1)[1]: v for k, v in feats.items() if k.startswith("said_sim=")}


def test_what_is_said_is_described_by_its_meaning_near_each_category():
    """A saying whose words are criticism stands nearer the criticise category than one about a
    date, with no cue word in either: the model can learn which sayings are criticism."""
    harsh = _said_sims("Dr Ellen Marsh said the council's handling of the flooding was shameful and negligent.")
    plain = _said_sims("Dr Ellen Marsh said the council would meet on Tuesday afternoon.")
    assert set(harsh) == set(plain) and {"criticise", "demand", "statement"} <= set(harsh)
    assert harsh["criticise"] > plain["criticise"] + 0.1
    assert max(plain, key=plain.get) == "meet"  # "would meet on Tuesday"


def test_a_verb_that_takes_no_clause_or_object_has_no_said_meaning():
    assert _said_sims("Dr Ellen Marsh resigned on Tuesday.", word="resigned") == {}
