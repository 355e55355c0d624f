-- Indexes for a large practice (issue 6: 2,000 couples, 850k check-ins, 19 million answers).
-- DuckDB reads through an ART index only for a filter on a single indexed column (EXPLAIN
-- ANALYZE shows a sequential scan for every query on a multi-column one), and finds one
-- couple's rows faster by scanning than through such an index. So none is added here; the
-- one taken away was never read but updated on every saved answer: answers_by_couple held an
-- entry per answer (the largest structure in the file) and made loading answers in bulk
-- several times slower. Record and erasure read a couple's answers by scanning, as before.
-- A PostgreSQL backend would want its own index on answers (couple_id).
DROP INDEX IF EXISTS answers_by_couple;
