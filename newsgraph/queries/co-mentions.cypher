// name: co-mentions
// description: Pairs of actors mentioned in the same articles, most shared articles first.
// param: actor actor = null   -- only this actor's partners; null for every pair
// param: limit int = 25 in 1..   -- most rows to return
// example: newsgraph query co-mentions --param actor="Ruth Perry"
// Two parts, only one of which gives rows (run() sends just that one, by the `// when:` lines):
// from the actor when one is given, else every pair once. Every pair reads the counts the stores
// keep (a CO_MENTIONED edge per pair, from the smaller id, with the articles they share, and each
// actor's co_mention_max, the most it shares with anyone) rather than pairing every actor with
// every other. It reads only actors and pairs at or above a threshold: the highest count that at
// least twice $limit actors reach as their co_mention_max. Each such actor shares that many
// articles with someone, and a pair is the best of at most two actors, so $limit pairs reach the
// threshold and no pair below it can be among the first $limit.
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
MATCH (n:Actor)
WITH n.co_mention_max AS most, count(*) AS actors
WITH collect({most: most, actors: actors}) AS tally
UNWIND tally AS t
UNWIND tally AS u
WITH t, u
WHERE u.most >= t.most
WITH t.most AS most, sum(u.actors) AS at_least
WHERE at_least / 2 >= $limit
WITH coalesce(max(most), 0) AS threshold
MATCH (x:Actor)
WHERE x.co_mention_max >= threshold AND $actor IS NULL
OPTIONAL MATCH (x)-[c:CO_MENTIONED]->(y:Actor)
WHERE c.articles >= threshold
WITH x, y, c
WHERE c IS NOT NULL
WITH x, y, c.articles AS articles
ORDER BY articles DESC, x.name, y.name
LIMIT $limit
RETURN x.name AS actor, y.name AS other, y.kind AS other_kind, articles, x.id AS actor_id, y.id AS other_id
ORDER BY articles DESC, actor, other
