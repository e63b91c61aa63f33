// name: actor
// description: One actor: who it is (kind, aliases, roles, articles), then its events in date order with the sentence.
// param: actor actor   -- an actor name, alias or id (spelling need not be exact)
// param: speakers bool = false   -- also the events of people who hold a role in it (a union's leader for the union), named in the via column
// param: limit int = 100 in 1..   -- most events to return
// example: newsgraph query actor --param actor=Ofsted --param speakers=yes
// header: name, kind, aliases, roles, affiliations, articles
// One row per event; the header columns describe the actor and are the same on every row (an
// actor without events gives one row with no event). The events are the actor's and, with
// $speakers, those of its role holders (HOLDS_ROLE*0..1), each once, the role holders taking part
// named in via. An actor is never both agent and patient of one event (the stores keep it as
// agent); an event of a role holder takes the holder's role. An event is one row however many
// articles report it (`reports`), with its lead report (r.report = e.id), an undated one at that
// report's article date (its earliest report's). The events are read in e.sort_key order, the date
// order kept on each event (store/consolidate.py, event_sort_key), so that only the first $limit
// meet their articles; the lead report is kept by a WHERE after the OPTIONAL MATCH, which on it
// would have Ladybug hash-join every REPORTED_IN edge of the store (5x slower at 10,000 articles).
MATCH (x:Actor {id: $actor})
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(m:Article)
WITH x, count(m) AS articles
OPTIONAL MATCH (x)-[h:HOLDS_ROLE]->(o:Actor)
WITH x, articles, collect(DISTINCT CASE WHEN o IS NULL THEN NULL ELSE h.title + ', ' + o.name END) AS affiliations
OPTIONAL MATCH (x)<-[:HOLDS_ROLE*0..1]-(w:Actor)<-[:AGENT|PATIENT]-(e:Event)
WHERE $speakers OR w.id = x.id
WITH x, articles, affiliations, e, collect(DISTINCT CASE WHEN w.id <> x.id THEN w.name END) AS via,
     collect(DISTINCT CASE WHEN w.id <> x.id THEN w.id END) AS via_ids
WITH x, articles, affiliations, e, via, via_ids
ORDER BY e.sort_key, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[r:REPORTED_IN]->(a:Article)
WITH x, articles, affiliations, e, via, via_ids, r, a
WHERE e IS NULL OR r.report = e.id
OPTIONAL MATCH (e)-[:AGENT]->(ag:Actor)
WITH x, articles, affiliations, e, via, r, a, collect(ag.name) AS agents, count(CASE WHEN ag.id = x.id THEN 1 END) AS own,
     count(CASE WHEN ag.id IN via_ids THEN 1 END) AS held
OPTIONAL MATCH (e)-[:PATIENT]->(pa:Actor)
WITH x, articles, affiliations, e, via, r, a, agents, own, held, collect(pa.name) AS patients
RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases, x.roles AS roles, affiliations, articles,
       coalesce(e.date, a.date) AS date,
       CASE WHEN e IS NULL THEN NULL WHEN own > 0 OR (size(via) > 0 AND held > 0) THEN 'agent'
            ELSE 'patient' END AS role,
       via, e.category AS category, e.trigger AS trigger, agents, patients, r.evidence AS evidence,
       a.title AS article, e.reports AS reports, e.id AS id
ORDER BY e.sort_key, id
