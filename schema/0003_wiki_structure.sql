-- Moved pages leave their old paths behind as redirects, so links and bookmarks keep working.
CREATE TABLE redirects (
  path    TEXT PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX redirects_page ON redirects(page_id);
