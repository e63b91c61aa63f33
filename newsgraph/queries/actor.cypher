// name: actor
// description: One actor: who it is (kind, aliases, roles, articles), then its events in date order with the sentence.
// param: actor actor   -- an actor name, alias or id (spelling need not be exact)
// param: speakers bool = false   -- also the events of people who hold a role in it (a union's leader for the union), named in the via column
// param: limit int = 100 in 1..   -- most events to return
// example: newsgraph query actor --param actor=Ofsted --param speakers=yes
// header: name, kind, aliases, roles, affiliations, articles
// One row per event; the header columns describe the actor and are the same on every row (an
// actor without events gives one row with no event). An actor is never both agent and patient of
// one event (the stores keep it as agent). The events are gathered from the actor and, with
// $speakers, from each role holder, then met once each: an event of both counts as the actor's own.
// The profile is read last, per event row: Ladybug cannot carry the list of affiliations through
// the grouping of the event rows. (`MATCH (e:Event) WHERE e.id = event`, not `{id: event}`: Ladybug
// loses a node matched by a property map of a variable at the next WITH; both are key lookups.)
MATCH (x:Actor {id: $actor})
OPTIONAL MATCH (s:Actor)-[:HOLDS_ROLE]->(x)
WHERE $speakers
WITH x, [x.id] + collect(DISTINCT s.id) AS sides
UNWIND sides AS side
MATCH (w:Actor {id: side})
OPTIONAL MATCH (w)<-[:AGENT|PATIENT]-(g:Event)
WITH x, collect(DISTINCT g.id) AS ids
UNWIND CASE WHEN size(ids) = 0 THEN [''] ELSE ids END AS event
OPTIONAL MATCH (e:Event)
WHERE e.id = event
WITH x, e
OPTIONAL MATCH (e)-[r:REPORTED_IN]->(a:Article)
WITH x, e, r, a
ORDER BY coalesce(e.date, a.date), a.date, a.id, r.start, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:AGENT]->(ag:Actor)
WITH x, e, r, a, collect(ag.name) AS agents
OPTIONAL MATCH (e)-[:PATIENT]->(pa:Actor)
WITH x, e, r, a, agents, collect(pa.name) AS patients
OPTIONAL MATCH (e)-[:AGENT|PATIENT]->(sp:Actor)-[:HOLDS_ROLE]->(x)
WHERE $speakers AND NOT EXISTS { MATCH (e)-[:AGENT|PATIENT]->(x) }
WITH x, e, r, a, agents, patients, collect(DISTINCT sp.name) AS via
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(m:Article)
WITH x, e, r, a, agents, patients, via, count(m) AS articles
OPTIONAL MATCH (x)-[h:HOLDS_ROLE]->(o:Actor)
WITH x, e, r, a, agents, patients, via, articles,
     collect(DISTINCT CASE WHEN o IS NULL THEN NULL ELSE h.title + ', ' + o.name END) AS affiliations
RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases, x.roles AS roles, affiliations, articles,
       coalesce(e.date, a.date) AS date,
       CASE WHEN e IS NULL THEN NULL
            WHEN EXISTS { MATCH (e)-[:AGENT]->(x) } THEN 'agent'
            WHEN EXISTS { MATCH (e)-[:PATIENT]->(x) } THEN 'patient'
            WHEN EXISTS { MATCH (e)-[:AGENT]->(:Actor)-[:HOLDS_ROLE]->(x) } THEN 'agent'
            ELSE 'patient' END AS role,
       via, e.category AS category, e.trigger AS trigger, agents, patients, r.evidence AS evidence,
       a.title AS article, e.id AS id
ORDER BY date, a.date, a.id, r.start, id
