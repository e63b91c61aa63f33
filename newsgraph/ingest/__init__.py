"""Ingest: sources -> Article, then the NLP stages -> Extraction."""
