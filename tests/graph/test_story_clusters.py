"""Actors across the articles of one story, through the real pipeline: our own clusters
(tests/data/clusters, with gold: bench/story_actors.py scores them) and the two seeds, which report
one story. Each article is extracted once; each test loads the extractions into a store of its own,
in file order, resolving each against those before it as `newsgraph ingest` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph import jobs
from newsgraph.graph.resolve import recorded_merges
from newsgraph.store import open_store

pytestmark = pytest.mark.slow

CLUSTERS = Path(__file__).resolve().parents[1] / "data" / "clusters"
FORMS = (
    "MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article) RETURN x.id AS id, x.name AS name, x.kind AS kind, m.forms AS forms"
)


def _extracted(articles: list[Path], out: Path) -> Path:
    import json

    found = jobs.extract(jobs.Inputs([str(p) for p in articles]), jobs.settings())
    out.write_text("".join(json.dumps(ex.to_dict()) + "\n" for ex in found), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def larkfield(tmp_path_factory) -> Path:
    articles = sorted((CLUSTERS / "larkfield" / "articles").glob("*.txt"))
    return _extracted(articles, tmp_path_factory.mktemp("larkfield") / "larkfield.jsonl")


def _load(jsonl: Path, store_path: Path):
    jobs.load([str(jsonl)], store=f"embedded:{store_path}")
    return open_store(f"embedded:{store_path}")


def _nodes_of(store, form: str) -> set[tuple[str, str, str]]:
    """(id, name, kind) of the nodes some article names with this form."""
    return {(r["id"], r["name"], r["kind"]) for r in store.query(FORMS) if form in (r["forms"] or ())}


def test_each_person_of_the_story_is_one_node(larkfield, tmp_path):
    with _load(larkfield, tmp_path / "g.lbug") as store:
        mira = ("person:mira-castell", "Mira Castell", "Person")
        tobias = ("person:tobias-castell", "Tobias Castell", "Person")
        coroner = ("person:fiona-dalglish", "Fiona Dalgleish", "Person")
        # First names and surnames alone, one taken for an organisation, join the full name.
        assert _nodes_of(store, "Mira") == _nodes_of(store, "Mira Castell") == {mira}
        assert _nodes_of(store, "Tobias") == _nodes_of(store, "Tobias Castell") == {tobias}
        assert _nodes_of(store, "Akinola") == {("person:peter-akinola", "Peter Akinola", "Person")}
        assert _nodes_of(store, "Wray") == {("person:julian-wray", "Julian Wray", "Person")}
        assert _nodes_of(store, "Oyelaran") == {("person:nadia-oyelaran", "Nadia Oyelaran", "Person")}
        # The variant spelling of the first article is outvoted; "the Coroner" on 2025-10-02 is the
        # coroner the story names then, not the assistant coroner who opened the inquest.
        assert _nodes_of(store, "Fiona Dalglish") == _nodes_of(store, "Fiona Dalgleish") == {coroner}
        assert _nodes_of(store, "Coroner") == {coroner}
        assert _nodes_of(store, "Rhys Pemberton") == {("person:rhys-pemberton", "Rhys Pemberton", "Person")}
        # An organisation named after the family is no person of it.
        assert _nodes_of(store, "Castell Foundation") == {
            ("organisation:castell-foundation", "Castell Foundation", "Organisation")
        }
        merges = {m: r["name"] for r in recorded_merges(store) for m in r["merged_from"]}
        assert any(m.startswith("Coroner: coroner on 2025-10-02, the one the story names then") for m in merges)


def test_a_removed_article_takes_its_spelling_and_its_merges_with_it(larkfield, tmp_path):
    with _load(larkfield, tmp_path / "g.lbug") as store:
        for article in ("l10_letter", "l11_reply"):
            assert store.remove(f"https://example.org/{_url(article)}")
        [(_, name, _)] = _nodes_of(store, "Fiona Dalglish")
        assert name == "Fiona Dalglish"  # the one full spelling left, against one "Fiona Dalgleish" (l07)
        assert not any("Fiona Dalgleish" in m for r in recorded_merges(store) for m in r["merged_from"])


def _url(article: str) -> str:
    for line in (CLUSTERS / "larkfield" / "articles" / f"{article}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("url: https://example.org/"):
            return line.removeprefix("url: https://example.org/")
    raise AssertionError(article)


def test_the_seeds_hold_one_node_per_person_they_both_name(shared_dir, tmp_path):
    seeds = sorted((shared_dir / "corpus" / "seeds").glob("*.txt"))
    if len(seeds) != 2:
        pytest.skip("../shared/corpus/seeds does not hold the two seed articles")
    with _load(_extracted(seeds, tmp_path / "seeds.jsonl"), tmp_path / "g.lbug") as store:
        for name in ("Ruth Perry", "Geoff Barton", "Paul Whiteman", "Amanda Spielman"):
            assert len({i for i, _, _ in _nodes_of(store, name)}) == 1, name
        # One seed spells the coroner "Conner": one node, named as the other spells her.
        assert (
            _nodes_of(store, "Heidi Conner")
            == _nodes_of(store, "Heidi Connor")
            == {("person:heidi-connor", "Heidi Connor", "Person")}
        )


@pytest.fixture(scope="module")
def aske(tmp_path_factory) -> Path:
    articles = sorted((CLUSTERS / "aske" / "articles").glob("*.txt"))
    return _extracted(articles, tmp_path_factory.mktemp("aske") / "aske.jsonl")


def test_a_surname_shared_by_two_people_joins_the_one_its_role_names(aske, tmp_path):
    """aske: "Ms Brennan, the environment minister" (r06) is the minister Siobhan Brennan, not the
    campaigner Declan Brennan: the role in apposition is the story's evidence (it outweighs the two
    bodies both his articles and hers name); the campaigner's first name alone stays his."""
    with _load(aske, tmp_path / "g.lbug") as store:
        siobhan = ("person:siobhan-brennan", "Siobhan Brennan", "Person")
        assert _nodes_of(store, "Ms Brennan") == _nodes_of(store, "Siobhan Brennan") == {siobhan}
        assert _nodes_of(store, "the environment minister") == {siobhan}
        assert _nodes_of(store, "Declan Brennan") == {("person:declan-brennan", "Declan Brennan", "Person")}
        merges = {m: r["name"] for r in recorded_merges(store) for m in r["merged_from"]}
        assert [r for m, r in merges.items() if m.startswith("Ms Brennan")] == ["Siobhan Brennan"]


def test_a_company_whose_name_says_so_is_one_organisation_however_the_ner_typed_it(aske, tmp_path):
    """aske: the NER takes "Hale Water" for a place in r01 and for a person in r02 ("Hale Water will
    appeal"); its last word names a class of companies, so every article gives the one organisation."""
    with _load(aske, tmp_path / "g.lbug") as store:
        assert _nodes_of(store, "Hale Water") == {("organisation:hale-water", "Hale Water", "Organisation")}
        own = "MATCH (:Actor {id: 'organisation:hale-water'})-[m:MENTIONED_IN]->(:Article) RETURN m.kind AS kind"
        assert [r["kind"] for r in store.query(own)] == ["Organisation"] * 6  # each article's own type
