// name: search
// description: Actors whose name or alias contains the text or is spelt close to it (any case).
// param: text actors   -- a name or alias, or part of one
// param: limit int = 25 in 1..   -- most rows to return
// example: newsgraph query search --param text=spielman
UNWIND $text AS wanted
MATCH (x:Actor {id: wanted})
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(a:Article)
RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases, count(DISTINCT a) AS articles, x.id AS id
ORDER BY articles DESC, name
LIMIT $limit
