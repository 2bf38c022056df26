"""Sources, link discovery, fetching, parsing, chunking and the ingest run."""
