// name: provenance
// description: Where an event comes from: the sentence, its offsets in the article body, and the article.
// param: event event   -- an event id, whole or as the tables print it (ev_1a2b3c4d)
// example: newsgraph query provenance --param event=ev_1a2b3c4d
MATCH (e:Event {id: $event})-[r:REPORTED_IN]->(a:Article)
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN e.id AS id, e.category AS category, e.trigger AS trigger, agents, patients, e.date AS date,
       e.date_text AS date_text, e.modality AS modality, e.confidence AS confidence, r.evidence AS sentence,
       r.sentence AS sentence_index, r.start AS start, r.`end` AS `end`, a.id AS article, a.title AS title,
       a.url AS url, a.source AS source, a.outlet AS outlet, a.date AS published
