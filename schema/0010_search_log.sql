-- Search: what people look for and which results they open (app/search_log.c), the index's
-- vocabulary for spelling suggestions, and indexes that keep facets and suggestions cheap.
CREATE TABLE search_log (
  id      INTEGER PRIMARY KEY,
  query   TEXT NOT NULL,            -- as typed, runs of spaces made one, ASCII lowercased
  results INTEGER NOT NULL,         -- pages found (for the corrected query when ken corrected it)
  at      INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL  -- only while log_searchers is 1
) STRICT;
CREATE INDEX search_log_at ON search_log(at);
CREATE INDEX search_log_query ON search_log(query, at);

-- A result opened from the results of `query` (through /search/click).
CREATE TABLE search_clicks (
  id      INTEGER PRIMARY KEY,
  query   TEXT NOT NULL,
  path    TEXT NOT NULL,
  at      INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL  -- only while log_searchers is 1
) STRICT;
CREATE INDEX search_clicks_query ON search_clicks(query, at);

-- Whether the log keeps who searched: off unless an admin turns it on (on /search/report).
INSERT OR IGNORE INTO settings(name, value) VALUES ('log_searchers', '0');

-- Every term of the page index with the number of pages that have it ("Did you mean ...?"),
-- and where each occurs (to show a term as pages write it: "kubernet" as "Kubernetes").
CREATE VIRTUAL TABLE page_search_vocab USING fts5vocab(page_search, 'row');
CREATE VIRTUAL TABLE page_search_vocab_instance USING fts5vocab(page_search, 'instance');

-- The author facet reads who wrote each matching page from this index alone.
CREATE INDEX revisions_page_author ON revisions(page_id, author_id);
-- Search-as-you-type looks up titles by their beginning.
CREATE INDEX pages_title_nocase ON pages(title COLLATE NOCASE) WHERE deleted_at IS NULL;
