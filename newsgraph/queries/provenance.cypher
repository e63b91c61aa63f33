// name: provenance
// description: Where an event comes from: every article that reports it, earliest first, with the sentence, its offsets in the article body, and what that report says.
// param: event event   -- an event id, whole or as the tables print it (ev_1a2b3c4d)
// example: newsgraph query provenance --param event=ev_1a2b3c4d
// header: id, category, trigger, agents, patients, date, date_text, modality, confidence, reports
// One row per report (an event has one per article that reports it, store/consolidate.py): the
// event's columns, the same on every row, then the report's own trigger, date, date text and quote
// (told, told_date, told_as, told_quote) and its sentence; `lead` marks the report the event takes
// its id and date from. Reports by article date (undated articles last), then article id.
MATCH (e:Event {id: $event})-[r:REPORTED_IN]->(a:Article)
OPTIONAL MATCH (e)-[:AGENT]->(g:Actor)
WITH e, r, a, collect(g.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(p:Actor)
WITH e, r, a, agents, collect(p.name) AS patients
RETURN e.id AS id, e.category AS category, e.trigger AS trigger, agents, patients, e.date AS date,
       e.date_text AS date_text, e.modality AS modality, e.confidence AS confidence, e.reports AS reports,
       r.report = e.id AS lead, r.trigger AS told, r.date AS told_date, r.date_text AS told_as,
       r.modality AS told_modality, r.confidence AS told_confidence, r.quote AS told_quote, r.evidence AS sentence,
       r.sentence AS sentence_index, r.start AS start, r.`end` AS `end`, a.id AS article, a.title AS title,
       a.url AS url, a.source AS source, a.outlet AS outlet, a.date AS published
ORDER BY coalesce(published, '~'), article
