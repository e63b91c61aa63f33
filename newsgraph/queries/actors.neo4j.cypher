// name: actors
// description: Actors by how many articles mention them, with how many events they take part in.
// param: kind kind = null   -- Person, Organisation, Place, Document or Other (any case); null for all
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query actors --param kind=Person --param limit=20
// Counts are relationship degrees, which Neo4j keeps per node, instead of a match of every mention
// (MENTIONED_IN ends at articles, AGENT and PATIENT start at events, so no label is checked).
MATCH (x:Actor)
WHERE toLower(x.kind) = toLower($kind) OR $kind IS NULL
WITH x, COUNT { (x)-[:MENTIONED_IN]->() } AS articles
WHERE articles > 0
ORDER BY articles DESC, x.name
LIMIT $limit
WITH x, articles, COUNT { (x)<-[:AGENT|PATIENT]-() } AS events
RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases, articles, events, x.id AS id
ORDER BY articles DESC, name
