// name: co-mentions
// description: Pairs of actors mentioned in the same articles, most shared articles first.
// param: actor actor = null   -- only this actor's partners; null for every pair
// param: limit int = 25   -- most rows to return
// Two parts, only one of which gives rows (run() sends just that one, by the `// when:` lines):
// from the actor when one is given, else every pair once.
// when: actor
MATCH (x:Actor {id: $actor})-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor)
WHERE y.id <> x.id
WITH x, y, count(a) AS articles
ORDER BY articles DESC, y.name
LIMIT $limit
RETURN x.name AS actor, y.name AS other, y.kind AS other_kind, articles, x.id AS actor_id, y.id AS other_id
ORDER BY articles DESC, other
UNION ALL
// when: !actor
MATCH (x:Actor)
WHERE $actor IS NULL
MATCH (x)-[:MENTIONED_IN]->(a:Article)<-[:MENTIONED_IN]-(y:Actor)
WHERE x.id < y.id
WITH x, y, count(a) AS articles
ORDER BY articles DESC, x.name, y.name
LIMIT $limit
RETURN x.name AS actor, y.name AS other, y.kind AS other_kind, articles, x.id AS actor_id, y.id AS other_id
ORDER BY articles DESC, actor, other
