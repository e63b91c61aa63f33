// name: between
// description: How two actors are connected: the events they both take part in, else the shortest chain of events linking them.
// param: a actor   -- one actor (name, alias or id)
// param: b actor   -- the other actor
// param: hops int = 3 in 1..4   -- longest chain to look for, counted in events
// Shared events come in date order (undated last). Of several chains as short, each backend
// returns one, not always the same one.
MATCH (x:Actor {id: $a})
MATCH (y:Actor {id: $b})
MATCH (x)<-[:AGENT|PATIENT]-(e:Event)-[:AGENT|PATIENT]->(y)
MATCH (e)-[r:REPORTED_IN]->(art:Article)
WHERE x.id <> y.id
RETURN 'event' AS link, 1 AS hops, [x.name, e.category + ': ' + e.trigger, y.name] AS path, e.date AS date,
       r.evidence AS evidence, art.title AS article, e.id AS id
ORDER BY coalesce(date, '~'), id
UNION ALL
MATCH (x:Actor {id: $a})
MATCH (y:Actor {id: $b})
WHERE x.id <> y.id
MATCH p = shortestPath((x)-[:AGENT|PATIENT*1..8]-(y))
// Filter after the search: a WHERE on the MATCH itself would steer shortestPath past the
// two-step paths (a shared event) that the first half already reports.
WITH p
WHERE length(p) > 2 AND length(p) <= 2 * $hops
RETURN 'chain' AS link, length(p) / 2 AS hops,
       [n IN nodes(p) | coalesce(n.name, n.category + ': ' + n.trigger)] AS path,
       null AS date, null AS evidence, null AS article, null AS id
