// name: quotes
// description: Quoted statements with who said them and where, newest first.
// param: speaker actor = null   -- only this speaker's quotes; null for everyone's
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query quotes --param speaker="Amanda Spielman"
// Two parts, only one of which gives rows (run() sends just that one, by the `// when:` lines):
// from the speaker when one is given, else from every event. Quotes of one sentence go by event id.
// A statement reported by several articles is one row, with the quote and article of its lead
// report (r.report = e.id).
// when: speaker
MATCH (s:Actor {id: $speaker})<-[:AGENT]-(e:Event)-[r:REPORTED_IN]->(a:Article)
WHERE e.quote IS NOT NULL AND r.report = e.id
WITH e, r, a
ORDER BY coalesce(e.date, a.date) DESC, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS speakers
RETURN coalesce(e.date, a.date) AS date, speakers, e.quote AS quote, e.category AS category,
       a.title AS article, a.url AS url, r.evidence AS evidence, e.id AS id
ORDER BY date DESC, a.id, r.start, e.id
UNION ALL
// when: !speaker
MATCH (e:Event)
WHERE $speaker IS NULL AND e.quote IS NOT NULL
MATCH (e)-[r:REPORTED_IN]->(a:Article)
WHERE r.report = e.id
WITH e, r, a
ORDER BY coalesce(e.date, a.date) DESC, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS speakers
RETURN coalesce(e.date, a.date) AS date, speakers, e.quote AS quote, e.category AS category,
       a.title AS article, a.url AS url, r.evidence AS evidence, e.id AS id
ORDER BY date DESC, a.id, r.start, e.id
