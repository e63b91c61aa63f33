"""The trained entity layer scores pairs that can be one actor, not all pairs: on a long article with
many actors the number of merge pairs and of description-actor pairs scored grows with its length,
not with its square (counted, not timed; bench/long_articles.py times it)."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from newsgraph.ingest import entity_model
from newsgraph.model import Article

pytestmark = pytest.mark.slow

SYLLABLES = [
    "bra",
    "cel",
    "dor",
    "fen",
    "gal",
    "hom",
    "kir",
    "lun",
    "mar",
    "nev",
    "pol",
    "ros",
    "sal",
    "tor",
    "val",
    "wen",
    "bex",
    "cam",
    "dus",
    "fip",
    "gor",
    "hul",
    "jax",
    "kel",
    "mop",
    "nur",
    "pim",
    "qua",
    "rav",
    "sol",
    "tib",
    "urv",
    "vos",
    "wim",
    "yar",
    "zel",
]
PLACES = ["Ardmore", "Bellhaven", "Corriston"]


def _words(n: int, seed: int = 18) -> list[str]:
    """n made-up name words, no two of them spelt alike (so that no pair is a candidate by spelling)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        word = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        if all(fuzz.ratio(word.lower(), w.lower()) < 60 for w in out):
            out.append(word)
    return out


def _article(sections: int) -> Article:
    """Each section: two new people and a company named after one of them, with surnames and
    descriptions."""
    words = iter(_words(5 * sections))
    parts = ["Boatbuilders on the coast", ""]
    for k in range(sections):
        first, second = f"{next(words)} {next(words)}", f"{next(words)} {next(words)}"
        company = f"{first.split()[1]} {next(words)}"  # shares a word with its founder: a pair to score
        place = PLACES[k % len(PLACES)]
        parts += [
            f"{first} founded {company} in {place} in {2000 + k}. The company sold {k + 3} boats last year,"
            f" according to {second}.",
            "",
            f"{second.split()[1]} said the firm would open a new yard in the spring. “We are proud of the"
            f" work,” {first.split()[1]} said. The founder declined to comment further.",
            "",
        ]
    return Article(body="\n".join(parts).strip(), source="scaling.txt", date="2024-06-14")


@pytest.fixture(scope="module")
def extractor():
    from newsgraph.ingest.pipeline import Extractor, Settings

    return Extractor(Settings())


def _count(extractor, article: Article, monkeypatch) -> dict[str, int]:
    counts = {"merge": 0, "description": 0, "all_pairs": 0}
    merge_features, description_features = entity_model.merge_features, entity_model.description_features
    merge_clusters = entity_model.merge_clusters

    def counted_merge(*args, **kwargs):
        counts["merge"] += 1
        return merge_features(*args, **kwargs)

    def counted_description(*args, **kwargs):
        counts["description"] += 1
        return description_features(*args, **kwargs)

    def all_pairs_too(ents, model):
        counts["all_pairs"] = len(entity_model.merge_pairs(ents))
        return merge_clusters(ents, model)

    with monkeypatch.context() as m:
        m.setattr(entity_model, "merge_features", counted_merge)
        m.setattr(entity_model, "description_features", counted_description)
        m.setattr(entity_model, "merge_clusters", all_pairs_too)
        extractor.from_doc(article, extractor.nlp(article.body))
    return counts


def test_pairs_scored_grow_with_the_article_not_with_its_square(extractor, monkeypatch):
    short = _count(extractor, _article(12), monkeypatch)
    long_ = _count(extractor, _article(48), monkeypatch)  # four times as long, four times the actors
    # all pairs of actors: about sixteen times as many (the layer used to score every one of them)
    assert long_["all_pairs"] >= 12 * short["all_pairs"], (short, long_)
    # the pairs scored: about four times as many
    assert short["merge"] > 0 and short["description"] > 0, short
    assert long_["merge"] <= 6 * short["merge"], (short, long_)
    assert long_["description"] <= 6 * short["description"], (short, long_)


NEWS = """Ferry operator fined over harbour spill

The Northern Ferry Authority (NFA) was fined £40,000 on Monday for a fuel spill in Ardmore harbour, the Marine \
Standards Agency said.

Heidi Connor, the authority's chief executive, said the NFA accepted the ruling. “We are sorry for the harm done to \
the harbour,” she said.

The agency said the spill in March had killed hundreds of seabirds. Its chair, Tomas Birchall, told reporters the \
watchdog would inspect every ferry in the fleet.

Heidi Conner said the operator would appeal. Birchall said the regulator had acted on evidence from residents of \
Ardmore, and that the Ardmore Harbour Trust had asked for the inquiry."""


def _best(model, ents, d, cands: list, rank: dict):
    """The candidate the description model scores highest, the first listed on a tie (as link_descriptions)."""
    link = model.descriptions.classes.index(entity_model.LINK)
    scored = [
        (model.descriptions.proba(entity_model.description_features(ents, d, c, model.centroids, rank))[link], -k, c)
        for k, c in cands
    ]
    return max(scored, key=lambda s: (s[0], s[1]))[2]


def test_on_a_news_story_the_shortlists_keep_what_scoring_everything_would_choose(extractor):
    from newsgraph.ingest.entities import ArticleEntities

    model = extractor.entity_model
    ents = ArticleEntities(extractor.nlp(NEWS), extractor.gazetteer, "2024-06-14", model=None)  # the rules' clusters
    # every pair the merge model calls one actor is a candidate
    same = model.merges.classes.index(entity_model.SAME)
    candidates = {(id(a), id(b)) for a, b in entity_model.merge_candidates(ents)}
    merged = [
        (a, b)
        for a, b in entity_model.merge_pairs(ents)
        if model.merges.proba(entity_model.merge_features(ents, a, b))[same] >= model.thresholds["merge"]
    ]
    assert merged, "the story has names to merge"
    assert all((id(a), id(b)) in candidates for a, b in merged), [(a.name, b.name) for a, b in merged]
    # every description goes to the actor it goes to when every actor is scored
    entity_model.merge_clusters(ents, model)
    entity_model.retype_clusters(ents, model)
    ents.clusters = [c for c in ents.clusters if c.mentions]
    found = entity_model.descriptions(ents)
    shortlist = entity_model.Shortlist(ents, found)
    assert found
    for n, d in enumerate(found):
        everyone = entity_model.description_candidates(ents, d)
        short = shortlist.candidates(n)
        assert bool(short) == bool(everyone), d.text
        if everyone:
            full = _best(
                model, ents, d, list(enumerate(everyone)), entity_model._recency_rank(ents, everyone, d.span.start_char)
            )
            assert _best(model, ents, d, short, shortlist.ranks(n, short)) is full, d.text


def test_the_features_read_from_one_pass_memo_are_those_read_afresh(extractor):
    """link_descriptions keeps what it reads of each description and cluster in one memo across the
    pass; every feature, in its order, is what a call without the memo reads."""
    from newsgraph.ingest.entities import ArticleEntities

    model = extractor.entity_model
    ents = ArticleEntities(extractor.nlp(NEWS), extractor.gazetteer, "2024-06-14", model=None)
    entity_model.merge_clusters(ents, model)
    entity_model.retype_clusters(ents, model)
    ents.clusters = [c for c in ents.clusters if c.mentions]
    found = entity_model.descriptions(ents)
    memo: dict = {}
    compared = 0
    for d in found:
        cands = entity_model.description_candidates(ents, d)
        rank = entity_model._recency_rank(ents, cands, d.span.start_char)
        fresh = entity_model.anaphora_features(ents, d, model.centroids)
        assert list(entity_model.anaphora_features(ents, d, model.centroids, memo).items()) == list(fresh.items())
        for c in cands:
            fresh = entity_model.description_features(ents, d, c, model.centroids, rank)
            kept = entity_model.description_features(ents, d, c, model.centroids, rank, memo)
            assert list(kept.items()) == list(fresh.items()), (d.text, c.name)
            compared += 1
    assert compared > 20
    kinds = {
        key
        for f in [
            entity_model.description_features(ents, d, c, model.centroids, {})
            for d in found
            for c in entity_model.description_candidates(ents, d)
        ]
        for key in f
    }
    assert {"apposition", "rules_chose", "possessor_is_it", "sentence_start"} <= kinds, kinds
