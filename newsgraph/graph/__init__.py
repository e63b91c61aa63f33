"""Graph: cross-article resolution, stores (embedded LadybugDB, Neo4j), RDF, viz, analytics."""
