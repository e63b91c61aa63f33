// name: actor
// description: One actor's profile: aliases, roles, the articles that mention it, its events as agent and as patient.
// param: actor actor   -- an actor name, alias or id (spelling need not be exact)
// Aggregates are grouped by the actor node (WITH x, ...), never by the lists built so far: Ladybug
// is slow to group on list-valued keys.
MATCH (x:Actor {id: $actor})
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(a:Article)
WITH x, count(a) AS article_count, collect(a.title) AS articles
OPTIONAL MATCH (x)-[h:HOLDS_ROLE]->(o:Actor)
WITH x, article_count, articles,
     collect(DISTINCT CASE WHEN o IS NULL THEN NULL ELSE h.title + ', ' + o.name END) AS affiliations
OPTIONAL MATCH (g:Event)-[:AGENT]->(x)
WITH x, article_count, articles, affiliations, count(g) AS agent_count,
     collect(CASE WHEN g IS NULL THEN NULL ELSE coalesce(g.date, 'undated') + ' ' + g.category + ': ' + g.trigger END)
       AS as_agent
OPTIONAL MATCH (p:Event)-[:PATIENT]->(x)
WITH x, article_count, articles, affiliations, agent_count, as_agent, count(p) AS patient_count,
     collect(CASE WHEN p IS NULL THEN NULL ELSE coalesce(p.date, 'undated') + ' ' + p.category + ': ' + p.trigger END)
       AS as_patient
RETURN x.name AS name, x.kind AS kind, x.aliases AS aliases, x.roles AS roles, affiliations, article_count,
       articles, agent_count, as_agent, patient_count, as_patient, x.id AS id
