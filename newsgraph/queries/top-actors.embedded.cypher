// name: top-actors
// description: The actors taking part in the most events, as agent or patient, optionally in one category or period.
// param: category category = null   -- count only events of this category; null for all
// param: kind kind = null   -- only actors of this kind (Person, Organisation, ...); null for all
// param: since date = null   -- count only events on or after this date (a month matches any day in it)
// param: until date = null   -- count only events on or before this date (a month matches any day in it)
// param: limit int = 10 in 1..   -- most rows to return
// example: newsgraph query top-actors --param category=criticise --param kind=Organisation
// An actor is never both agent and patient of one event (the stores keep it as agent), so counting
// AGENT and PATIENT edges counts events. Two parts, only one of which gives rows (run() sends just
// that one, by the `// when:` lines): counting every event needs no event property and is much
// quicker on LadybugDB. The filtered part comes first so that each parameter's first use types it.
// when: category|since|until
MATCH (x:Actor)
WHERE toLower(x.kind) = toLower($kind) OR $kind IS NULL
MATCH (x)<-[:AGENT|PATIENT]-(e:Event)
WHERE (e.category = $category OR $category IS NULL)
  AND (e.date >= $since OR $since STARTS WITH e.date OR $since IS NULL)
  AND (e.date <= $until OR e.date STARTS WITH $until OR $until IS NULL)
  AND coalesce($category, $since, $until) IS NOT NULL
WITH x, count(e) AS events
ORDER BY events DESC, x.name
LIMIT $limit
OPTIONAL MATCH (x)<-[:AGENT]-(g:Event)
WHERE (g.category = $category OR $category IS NULL)
  AND (g.date >= left($since, size(g.date)) OR $since IS NULL)
  AND (left(g.date, size($until)) <= $until OR $until IS NULL)
WITH x, events, count(g) AS as_agent
RETURN x.name AS name, x.kind AS kind, events, as_agent, events - as_agent AS as_patient, x.id AS id
ORDER BY events DESC, name
UNION ALL
// when: !category !since !until
MATCH (e:Event)-[:AGENT|PATIENT]->(x:Actor)
WHERE coalesce($category, $since, $until) IS NULL
  AND (toLower(x.kind) = toLower($kind) OR $kind IS NULL)
WITH x, count(e) AS events
ORDER BY events DESC, x.name
LIMIT $limit
OPTIONAL MATCH (x)<-[:AGENT]-(g:Event)
WITH x, events, count(g) AS as_agent
RETURN x.name AS name, x.kind AS kind, events, as_agent, events - as_agent AS as_patient, x.id AS id
ORDER BY events DESC, name
