"""Without a filter, events, timeline and co-mentions read the sort keys and co-mention counts the
store keeps; on a generated corpus they give exactly the rows, in the order, that the plain joins
over every event and every pair of actors gave before."""

from __future__ import annotations

import random

import pytest

from newsgraph import queries
from newsgraph.model import Article, Entity, Event, Extraction, Mention, actor_id, stable_id
from tests.fixtures.neo4j import BACKENDS, backend_store

# The catalogue's unfiltered parts as they were before the kept keys and counts: the oracle. Its
# order left events of one sentence in no set order; e.sort_key, last, puts them in the one the
# catalogue now gives (the order the article lists them in). An event is one row, with its lead
# report (the one it takes its id from), or with an article that article's.
PLAIN_TIMELINE = """MATCH (e:Event)
MATCH (e)-[r:REPORTED_IN]->(a:Article)
WHERE r.report = e.id
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.sort_key
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.date_text AS date_text,
       e.category AS category, e.trigger AS trigger, agents, patients, e.modality AS modality,
       r.evidence AS evidence, a.title AS article, e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, e.sort_key"""
PLAIN_EVENTS = """MATCH (e:Event)-[r:REPORTED_IN]->(a:Article)
WHERE (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
  AND (a.id = $article OR a.url = $article OR a.source = $article OR (r.report = e.id AND $article IS NULL))
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.sort_key
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, e.quote AS quote, r.evidence AS evidence, a.title AS article,
       e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, e.sort_key"""
PLAIN_PAIRS = """MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor)
WHERE x.id < y.id
WITH x, y, count(a) AS articles
ORDER BY articles DESC, x.name, y.name
LIMIT $limit
RETURN x.name AS actor, y.name AS other, y.kind AS other_kind, articles, x.id AS actor_id, y.id AS other_id
ORDER BY articles DESC, actor, other"""

CATEGORIES = ("demand", "statement", "criticise", "meet")


def corpus(n_articles: int = 80, seed: int = 5) -> list[Extraction]:
    """Articles with a long tail of actors, some undated (events and articles), several articles on
    one day, and events sharing a sentence (ties in the date order up to the evidence offset)."""
    rng = random.Random(seed)
    pool = [(f"Person {k}", "Person") if k % 3 else (f"Board {k}", "Organisation") for k in range(30)]
    weights = [1 / (k + 2) for k in range(len(pool))]
    out = []
    for i in range(n_articles):
        date = None if i % 9 == 0 else f"2024-{1 + i % 5:02d}-{1 + i % 3:02d}"
        cast = list(dict.fromkeys(rng.choices(pool, weights, k=rng.randint(2, 7))))
        sentences = [
            f"{' and '.join(n for n, _ in rng.sample(cast, min(2, len(cast))))} met in case {i}-{s}." for s in range(4)
        ]
        body = "\n".join(sentences)
        art = Article(body, source=f"gen/{i}.txt", url=f"https://gen.example/{i}", title=f"Story {i}", date=date)
        entities = []
        for name, kind in cast:
            start = body.find(name)
            mentions = [Mention(name, start, start + len(name), 0)] if start >= 0 else []
            entities.append(Entity(actor_id(name, kind), name, kind, mentions=mentions))
        events = []
        for k in range(rng.randint(0, 6)):
            s = rng.randrange(len(sentences))  # two events may share a sentence
            start = body.index(sentences[s])
            agent, patient = rng.sample(cast, 2) if len(cast) > 1 else (cast[0], None)
            when = rng.choice([f"2024-{rng.randint(1, 5):02d}-{rng.randint(1, 3):02d}", "2024-03", None, None])
            events.append(
                Event(
                    stable_id("ev", art.id, k),
                    rng.choice(CATEGORIES),
                    "met",
                    start,
                    start + 3,
                    [actor_id(*agent)],
                    [actor_id(*patient)] if patient else [],
                    sentences[s],
                    start,
                    start + len(sentences[s]),
                    s,
                    date=when,
                )
            )
        out.append(Extraction(art, entities, events))
    return out


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    with backend_store(request.param, tmp_path_factory.mktemp("unfiltered") / "gen.lbug") as s:
        for ex in corpus():
            s.write(ex)
        yield s


def _unordered_lists(rows: list[dict]) -> list[dict]:
    """Agents and patients as sorted lists: collect() gives them in no set order."""
    return [{k: sorted(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("limit", [1, 7, 40, 1000])
def test_timeline_of_everything_is_the_plain_date_order(store, limit):
    rows = queries.run(store, "timeline", {"limit": str(limit)})
    assert _unordered_lists(rows) == _unordered_lists(store.query(PLAIN_TIMELINE, {"limit": limit}))
    every = queries.run(store, "timeline", {"limit": "1000"})
    assert any(r["date"] is None for r in every)  # undated at the end
    # Each event once, some of them reported by several articles.
    assert len(every) == len({r["id"] for r in every}) and max(r["reports"] for r in every) > 1


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"limit": "3"},
        {"category": "demand"},
        {"since": "2024-03", "limit": "20"},
        {"until": "2024-02-02"},
        {"article": "gen/4.txt"},
        {"article": "https://gen.example/9", "category": "meet"},
    ],
)
def test_events_without_actors_are_the_plain_date_order(store, raw):
    bound = queries.bind(store, queries.get("events"), raw)
    plain = {k: bound[k] for k in ("category", "since", "until", "article", "limit")}
    rows = queries.run(store, "events", raw)
    assert _unordered_lists(rows) == _unordered_lists(store.query(PLAIN_EVENTS, plain))


@pytest.mark.parametrize("limit", [1, 2, 5, 25, 60, 10_000])
def test_every_pair_is_the_plain_pairing(store, limit):
    rows = queries.run(store, "co-mentions", {"limit": str(limit)})
    assert rows == store.query(PLAIN_PAIRS, {"limit": limit})
    assert rows
