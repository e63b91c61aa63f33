// name: merges
// description: Actors merged across articles by spelling or acronym, with the reason and the article.
// param: actor actor = null   -- only merges into this actor; null for all
// param: limit int = 100 in 1..   -- most rows to return
// example: newsgraph query merges --param actor="Heidi Connor"
MATCH (x:Actor)-[m:MENTIONED_IN]->(a:Article)
WHERE m.merged_from IS NOT NULL AND size(m.merged_from) > 0 AND (x.id = $actor OR $actor IS NULL)
RETURN x.name AS actor, m.merged_from AS merged, a.title AS article, a.id AS article_id
ORDER BY actor, article_id
LIMIT $limit
