// name: timeline
// description: Events in date order with the sentence that reports each, for one actor or for everything.
// param: actor actor = null   -- an actor name, id or alias; null for all
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query timeline --param actor="Ruth Perry" --param limit=20
// Two parts, only one of which gives rows (run() sends just that one, by the `// when:` lines):
// starting from the actor when one is given keeps the work to that actor's events. Undated events
// sit at their article's date; an actor's events of one sentence go by event id (so that part reads
// no kept sort key and works on a store an older newsgraph made). Without an actor, events are read
// in e.sort_key order, this date order kept on each event (store/rows.py, event_sort_key), so that
// only the first $limit meet their articles: each event has one REPORTED_IN, matched OPTIONAL
// because Ladybug then joins just those events, where a MATCH joins every event before the limit.
// `e.sort_key IS NOT NULL` (every event has one) lets Neo4j read them in its sort_key index's order.
// when: actor
MATCH (x:Actor {id: $actor})<-[:AGENT|PATIENT]-(e:Event)-[r:REPORTED_IN]->(a:Article)
WITH e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date_text AS date_text, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, r.evidence AS evidence, a.title AS article, e.id AS id
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
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN coalesce(e.date, a.date) AS date, e.date_text AS date_text, e.category AS category, e.trigger AS trigger,
       agents, patients, e.modality AS modality, r.evidence AS evidence, a.title AS article, e.id AS id
ORDER BY e.sort_key
