-- How much of DuckDB's working memory the tables' indexes (ART) hold: grown by every insert
-- until a checkpoint writes them out, and not given back before (core/db.py).
SELECT coalesce(sum(memory_usage_bytes), 0) AS bytes
FROM duckdb_memory()
WHERE tag = 'ART_INDEX'
