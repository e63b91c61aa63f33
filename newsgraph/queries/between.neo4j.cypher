// name: between
// description: How two actors are connected: the events they both take part in, in date order, else the shortest chain of events linking them.
// param: a actor   -- one actor (name, alias or id)
// param: b actor   -- the other actor
// param: hops int = 3 in 1..4   -- longest chain to look for, counted in events
// param: speakers bool = false   -- also the events of people who hold a role in either actor (a union's leader for the union), named in the via column
// example: newsgraph query between --param a=ASCL --param b=Ofsted
// The chain's rows come after the events.
// The events: each side is the actor and, with $speakers, its role holders; an event joining the
// two sides is met once, and counts as the actors' own when both take part in it themselves.
// (Ladybug concatenates NULL as an empty string: the CASE keeps a missing speaker out of via.)
// The path of an event runs from its agent's side to its patient's.
MATCH (x:Actor {id: $a})
MATCH (y:Actor {id: $b})
WHERE x.id <> y.id
OPTIONAL MATCH (sx:Actor)-[:HOLDS_ROLE]->(x)
WHERE $speakers
WITH x, y, [x.id] + collect(DISTINCT sx.id) AS side_a
OPTIONAL MATCH (sy:Actor)-[:HOLDS_ROLE]->(y)
WHERE $speakers
WITH x, y, side_a, [y.id] + collect(DISTINCT sy.id) AS side_b
UNWIND side_a AS one
MATCH (p:Actor)<-[:AGENT|PATIENT]-(e:Event)-[:AGENT|PATIENT]->(q:Actor)
WHERE p.id = one AND q.id IN side_b AND p.id <> q.id
WITH DISTINCT x, y, e
MATCH (e)-[r:REPORTED_IN]->(art:Article)
OPTIONAL MATCH (e)-[:AGENT|PATIENT]->(sp:Actor)-[:HOLDS_ROLE]->(o:Actor)
WHERE $speakers AND o.id IN [x.id, y.id] AND NOT EXISTS { MATCH (e)-[:AGENT|PATIENT]->(o) }
WITH x, y, e, r, art, collect(DISTINCT CASE WHEN sp IS NULL THEN NULL ELSE sp.name + ' for ' + o.name END) AS via
RETURN coalesce(e.date, art.date) AS date, 'event' AS link, 1 AS hops,
       CASE WHEN EXISTS { MATCH (e)-[:AGENT]->(x) } OR EXISTS { MATCH (e)-[:AGENT]->(:Actor)-[:HOLDS_ROLE]->(x) }
            THEN [x.name, e.category + ': ' + e.trigger, y.name]
            ELSE [y.name, e.category + ': ' + e.trigger, x.name] END AS path,
       via, r.evidence AS evidence, art.title AS article, e.id AS id
ORDER BY date, art.date, art.id, r.start, id
UNION ALL
MATCH (x:Actor {id: $a})
MATCH (y:Actor {id: $b})
WHERE x.id <> y.id
MATCH p = shortestPath((x)-[:AGENT|PATIENT*1..8]-(y))
// Filter after the search: a WHERE on the MATCH itself would steer shortestPath past the
// two-step paths (a shared event) that the first half already reports.
WITH p
WHERE length(p) > 2 AND length(p) <= 2 * $hops
RETURN null AS date, 'chain' AS link, length(p) / 2 AS hops,
       [n IN nodes(p) | coalesce(n.name, n.category + ': ' + n.trigger)] AS path,
       [] AS via, null AS evidence, null AS article, null AS id
