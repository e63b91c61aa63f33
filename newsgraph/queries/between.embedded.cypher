// name: between
// description: How two actors are connected: the events they both take part in, in date order, else the shortest chain of events linking them.
// param: a actor   -- one actor (name, alias or id)
// param: b actor   -- the other actor
// param: hops int = 3 in 1..4   -- longest chain to look for, counted in events
// param: speakers bool = false   -- also the events of people who hold a role in either actor (a union's leader for the union), named in the via column
// example: newsgraph query between --param a=ASCL --param b=Ofsted
// The events: each side is the actor and, with $speakers, its role holders (HOLDS_ROLE*0..1), so
// one pattern anchored at both ends finds them (Ladybug joins separate MATCH clauses a hundred
// times slower); each event once, its path from its agent's side to its patient's, the role holders
// taking part named in via (label(side): whether the first side is the agent's). Then the shortest
// chain, whose rows come after the events. Shared events come in date order (an undated one at
// its earliest report's article date, undated articles last), ties by event id, alike in both
// backends; each once, with its lead report (r.report = e.id, kept by a WHERE after the OPTIONAL
// MATCH, which on it would have Ladybug hash-join every REPORTED_IN edge) and how many articles
// report it. Of several
// chains as short, each backend returns one, not always the same one.
MATCH (x:Actor {id: $a})<-[:HOLDS_ROLE*0..1]-(p:Actor)<-[side:AGENT|PATIENT]-(e:Event)-[:AGENT|PATIENT]->(q:Actor)-[:HOLDS_ROLE*0..1]->(y:Actor {id: $b})
WHERE x.id <> y.id AND p.id <> q.id AND ($speakers OR (p.id = x.id AND q.id = y.id))
WITH x, y, e, count(CASE WHEN label(side) = 'AGENT' THEN 1 END) AS from_a,
     collect(DISTINCT CASE WHEN p.id <> x.id THEN p.name + ' for ' + x.name END) AS for_x,
     collect(DISTINCT CASE WHEN q.id <> y.id THEN q.name + ' for ' + y.name END) AS for_y
OPTIONAL MATCH (e)-[r:REPORTED_IN]->(art:Article)
WITH x, y, e, from_a, for_x, for_y, r, art
WHERE r.report = e.id
RETURN coalesce(e.date, art.date) AS date, 'event' AS link, 1 AS hops,
       CASE WHEN from_a > 0
            THEN [x.name, e.category + ': ' + e.trigger, y.name]
            ELSE [y.name, e.category + ': ' + e.trigger, x.name] END AS path,
       for_x + for_y AS via, r.evidence AS evidence, art.title AS article, e.reports AS reports, e.id AS id
ORDER BY coalesce(date, '~'), coalesce(art.date, '~'), art.id, r.start, id
UNION ALL
MATCH (x:Actor {id: $a})
MATCH (y:Actor {id: $b})
MATCH p = (x)-[:AGENT|PATIENT* SHORTEST 1..8]-(y)
WHERE length(p) > 2 AND length(p) <= 2 * $hops AND x.id <> y.id
RETURN CAST(NULL AS STRING) AS date, 'chain' AS link, length(p) / 2 AS hops,
       list_transform(nodes(p), n -> coalesce(n.name, n.category + ': ' + n.trigger)) AS path,
       CAST([] AS STRING[]) AS via, CAST(NULL AS STRING) AS evidence, CAST(NULL AS STRING) AS article,
       CAST(NULL AS INT64) AS reports, CAST(NULL AS STRING) AS id
