// name: events
// description: Events passing every filter given, in date order, each once with who did what to whom, its lead report's sentence and article, and how many articles report it.
// param: category category = null   -- an event category from the taxonomy (demand, resign, ...); null for all
// param: agent actor = null   -- only events this actor does
// param: patient actor = null   -- only events done to this actor
// param: since date = null   -- only events on or after this date (a month matches any day in it)
// param: until date = null   -- only events on or before this date (a month matches any day in it)
// param: article article = null   -- only events reported in this article (id, url or source)
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query events --param category=demand --param since=2023-01 --param until=2023-06
// Five parts, only one of which gives rows (run() sends just that one, by the `// when:` lines):
// from the agent and patient, the agent, the patient, the article, or every event. An event is one
// row however many articles report it (`reports`; `newsgraph query provenance` lists them): its
// lead report's (r.report = e.id, the report it takes its date from), or with $article that
// article's. An undated event sits at that report's article date (its earliest report's), marked
// `undated`; in the first four parts events of one sentence go by event id (so they read no kept
// sort key). (The first use of a parameter that may be null must give it a type, so the part with
// both actors comes first: Ladybug types a null only seen in `$x IS NULL` as a boolean.) Every
// event is read in e.sort_key order, this date order kept on each event
// (store/consolidate.py, event_sort_key), so that only the first $limit meet their articles: the
// lead REPORTED_IN, matched OPTIONAL because Ladybug then joins just those events, where a MATCH
// joins every event before the limit; and kept by a WHERE after it, since that WHERE on the OPTIONAL
// MATCH has Ladybug hash-join every REPORTED_IN edge of the store (5x slower at 10,000 articles).
// `e.sort_key IS NOT NULL` (every event has one) lets Neo4j
// read the events in its sort_key index's order and stop at $limit, where it would read every event.
// when: agent patient
MATCH (g0:Actor {id: $agent})<-[:AGENT]-(e:Event)-[:PATIENT]->(p0:Actor {id: $patient})
MATCH (e)-[r:REPORTED_IN]->(a:Article)
WHERE true
  AND (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
  AND (a.id = $article OR a.url = $article OR a.source = $article OR (r.report = e.id AND $article IS NULL))
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, e.quote AS quote, r.evidence AS evidence, a.title AS article,
       e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, id
UNION ALL
// when: agent !patient
MATCH (g0:Actor {id: $agent})<-[:AGENT]-(e:Event)-[r:REPORTED_IN]->(a:Article)
WHERE $patient IS NULL
  AND (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
  AND (a.id = $article OR a.url = $article OR a.source = $article OR (r.report = e.id AND $article IS NULL))
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, e.quote AS quote, r.evidence AS evidence, a.title AS article,
       e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, id
UNION ALL
// when: !agent patient
MATCH (p0:Actor {id: $patient})<-[:PATIENT]-(e:Event)-[r:REPORTED_IN]->(a:Article)
WHERE $agent IS NULL
  AND (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
  AND (a.id = $article OR a.url = $article OR a.source = $article OR (r.report = e.id AND $article IS NULL))
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, e.quote AS quote, r.evidence AS evidence, a.title AS article,
       e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, id
UNION ALL
// when: !agent !patient article
MATCH (a:Article)
WHERE (a.id = $article OR a.url = $article OR a.source = $article) AND $agent IS NULL AND $patient IS NULL
MATCH (e:Event)-[r:REPORTED_IN]->(a)
WITH e, r, a
WHERE (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, e.quote AS quote, r.evidence AS evidence, a.title AS article,
       e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, id
UNION ALL
// when: !agent !patient !article
MATCH (e:Event)
WHERE e.sort_key IS NOT NULL AND $agent IS NULL AND $patient IS NULL AND $article IS NULL
  AND (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
WITH e
ORDER BY e.sort_key
LIMIT $limit
OPTIONAL MATCH (e)-[r:REPORTED_IN]->(a:Article)
WITH e, r, a
WHERE r.report = e.id
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, e.quote AS quote, r.evidence AS evidence, a.title AS article,
       e.reports AS reports, e.id AS id
ORDER BY e.sort_key
