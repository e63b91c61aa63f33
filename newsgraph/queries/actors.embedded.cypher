// name: actors
// description: Actors by how many articles mention them, with how many events they take part in.
// param: kind kind = null   -- Person, Organisation, Place, Document or Other (any case); null for all
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query actors --param kind=Person --param limit=20
MATCH (x:Actor)-[:MENTIONED_IN]->(a:Article)
WHERE toLower(x.kind) = toLower($kind) OR $kind IS NULL
WITH x, count(a) AS articles
ORDER BY articles DESC, x.name
LIMIT $limit
OPTIONAL MATCH (e:Event)-[:AGENT|PATIENT]->(x)
WITH x, articles, count(e) AS events
RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases, articles, events, x.id AS id
ORDER BY articles DESC, name
