"""The attribute ruler matched by look-up (newsgraph.ingest.attribute_index) against spaCy's own Matcher."""

from __future__ import annotations

import pytest
from spacy.attrs import HEAD, LEMMA, MORPH, POS, TAG

from newsgraph.ingest.attribute_index import AttributeIndex, index_attribute_ruler
from newsgraph.ingest.nlp import _load_one, load_pipeline

# Our own sentences, with the shapes the English ruler's patterns test: contractions and dialect
# ("ain't", "y'all", "nothin'"), subordinators tagged IN, determiners, auxiliaries, space tokens.
TEXTS = [
    "The council said that it ain't going to pay, whilst the union says y'all know nothin' about it.",
    "Ms Okafor, who had been appointed in May, told reporters she'd resign unless the board\n\nrelented.",
    "Whether or not   the inquiry reports, those figures were published; each was checked twice.\t",
    "If they'd known, would the regulator have acted? It can't, and it won't - not since 2019.",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def loaded():
    return load_pipeline()


@pytest.fixture(scope="module")
def nlp(loaded):
    return loaded[0]


@pytest.fixture
def bare(loaded):
    """The same package loaded again without newsgraph's components (a fresh one per test: some add patterns)."""
    return _load_one(loaded[1].name)


def test_newsgraph_pipeline_matches_by_lookup(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler").match, AttributeIndex)


def test_same_matches_as_spacy_matcher(bare):
    ruler = bare.get_pipe("attribute_ruler")
    index = AttributeIndex(ruler)
    docs = list(bare.pipe(TEXTS))
    matches = [ruler.match(doc) for doc in docs]
    assert sum(len(m) for m in matches) > 100  # the patterns do fire on these sentences
    for doc, expected in zip(docs, matches, strict=True):
        assert index(doc) == expected


def test_same_annotations_as_spacy_matcher(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    cols = [TAG, POS, MORPH, LEMMA, HEAD]
    ours = [doc.to_array(cols) for doc in nlp.pipe(TEXTS)]
    index = ruler.match
    ruler.match = index._spacy_match
    try:
        theirs = [doc.to_array(cols) for doc in nlp.pipe(TEXTS)]
    finally:
        ruler.match = index
    for a, b in zip(ours, theirs, strict=True):
        assert (a == b).all()
    # the two-token and regular-expression patterns: lemmas no lemmatizer rule gives
    assert [t.lemma_ for t in nlp("y'all ain't seen nothin'")] == ["you", "all", "be", "not", "see", "nothing"]


def test_pattern_it_cannot_read_keeps_spacy_matcher(bare):
    ruler = bare.get_pipe("attribute_ruler")
    assert index_attribute_ruler(ruler) is True  # the package's own patterns are all read
    ruler = bare.get_pipe("attribute_ruler").__class__(bare.vocab)
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"TAG": "RB"})  # an operator: not indexed
    assert index_attribute_ruler(ruler) is False
    assert not isinstance(ruler.match, AttributeIndex)


def test_patterns_added_after_indexing_are_matched(bare):
    ruler = bare.get_pipe("attribute_ruler")
    index = AttributeIndex(ruler)
    ruler.add([[{"LOWER": "okafor"}]], {"LEMMA": "OKAFOR"})
    doc = bare("Ms Okafor said so.")
    assert doc[1].lemma_ == "OKAFOR"
    assert (len(ruler.attrs) - 1, 1, 2) in [(a, s, e) for a, _, s, e in index(doc)]


@pytest.mark.filterwarnings("ignore:\\[W108\\]")  # the replaced patterns set no parts of speech for the lemmatizer
def test_patterns_replaced_after_indexing_are_matched(bare):
    # as many patterns as before, but others: the index must not answer for them
    ruler = bare.get_pipe("attribute_ruler")
    index = AttributeIndex(ruler)
    n = len(ruler.attrs)
    ruler.initialize(lambda: [], patterns=[{"patterns": [[{"LOWER": "okafor"}]], "attrs": {"LEMMA": "OKAFOR"}}] * n)
    doc = bare("Ms Okafor said so.")
    assert doc[1].lemma_ == "OKAFOR"
    assert index(doc) == ruler.match(doc)
    assert {(s, e) for _, _, s, e in index(doc)} == {(1, 2)}
