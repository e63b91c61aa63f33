// name: timeline
// description: Events in date order, each once with the sentence of its lead report and how many articles report it, for one actor or for everything.
// param: actor actor = null   -- an actor name, id or alias; null for all
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query timeline --param actor="Ruth Perry" --param limit=20
// Two parts, only one of which gives rows (run() sends just that one, by the `// when:` lines):
// starting from the actor when one is given keeps the work to that actor's events. An event is one
// row however many articles report it (`reports`; `newsgraph query provenance` lists them), with
// its lead report (r.report = e.id: the report it takes its date from). An undated event sits at
// the article date of that report, its earliest, marked `undated`; an actor's events of one
// sentence go by event id (so that part reads no kept sort key). Without an actor, events are read
// in e.sort_key order, this date order kept on each event (store/consolidate.py, event_sort_key),
// so that only the first $limit meet their articles: the lead REPORTED_IN, matched OPTIONAL because
// Ladybug then joins just those events, where a MATCH joins every event before the limit, and kept
// by a WHERE after it: on the OPTIONAL MATCH Ladybug would hash-join every REPORTED_IN edge.
// `e.sort_key IS NOT NULL` (every event has one) lets Neo4j read them in its sort_key index's order.
// when: actor
MATCH (x:Actor {id: $actor})<-[:AGENT|PATIENT]-(e:Event)-[r:REPORTED_IN]->(a:Article)
WHERE r.report = e.id
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.date_text AS date_text,
       e.category AS category, e.trigger AS trigger, agents, patients, e.modality AS modality,
       r.evidence AS evidence, a.title AS article, e.reports AS reports, e.id AS id
ORDER BY date, a.date, a.id, r.start, id
UNION ALL
// when: !actor
MATCH (e:Event)
WHERE e.sort_key IS NOT NULL AND $actor IS NULL
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
RETURN coalesce(e.date, a.date) AS date, e.date IS NULL AS undated, e.date_text AS date_text,
       e.category AS category, e.trigger AS trigger, agents, patients, e.modality AS modality,
       r.evidence AS evidence, a.title AS article, e.reports AS reports, e.id AS id
ORDER BY e.sort_key
