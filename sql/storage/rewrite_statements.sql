-- For each of the application's tables, the two statements that write its rows into a new
-- file attached as $target (core.db.Database._copy_database): the last rowid, and one slice
-- of rows, rowid from the first ? up to the second. Names come from the catalog, quoted here.
SELECT
    table_name,
    'SELECT max(rowid) FROM ' || quoted AS last_row,
    'INSERT INTO ' || $target || '.' || quoted || ' SELECT * FROM ' || quoted
        || ' WHERE rowid >= ? AND rowid < ?' AS copy_slice
FROM (
    SELECT table_name, '"' || replace(table_name, '"', '""') || '"' AS quoted
    FROM information_schema.tables
    WHERE table_schema = 'main' AND table_type = 'BASE TABLE'
        AND table_catalog = current_database()
)
ORDER BY table_name
