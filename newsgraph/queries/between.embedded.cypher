// name: between
// description: How two actors are connected: the events they both take part in, else the shortest chain of events linking them.
// param: a actor   -- one actor (name, alias or id)
// param: b actor   -- the other actor
// param: hops int = 3 in 1..4   -- longest chain to look for, counted in events
// Shared events come in date order (undated last). Of several chains as short, each backend
// returns one, not always the same one.
// One pattern anchored at both ends: Ladybug joins three separate MATCH clauses a hundred times slower.
MATCH (x:Actor {id: $a})<-[:AGENT|PATIENT]-(e:Event)-[:AGENT|PATIENT]->(y:Actor {id: $b})
MATCH (e)-[r:REPORTED_IN]->(art:Article)
WHERE x.id <> y.id
RETURN 'event' AS link, 1 AS hops, [x.name, e.category + ': ' + e.trigger, y.name] AS path, e.date AS date,
       r.evidence AS evidence, art.title AS article, e.id AS id
ORDER BY coalesce(date, '~'), id
UNION ALL
MATCH (x:Actor {id: $a})
MATCH (y:Actor {id: $b})
MATCH p = (x)-[:AGENT|PATIENT* SHORTEST 1..8]-(y)
WHERE length(p) > 2 AND length(p) <= 2 * $hops AND x.id <> y.id
RETURN 'chain' AS link, length(p) / 2 AS hops,
       list_transform(nodes(p), n -> coalesce(n.name, n.category + ': ' + n.trigger)) AS path,
       CAST(NULL AS STRING) AS date, CAST(NULL AS STRING) AS evidence, CAST(NULL AS STRING) AS article,
       CAST(NULL AS STRING) AS id
