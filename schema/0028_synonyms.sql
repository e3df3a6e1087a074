-- Synonyms for search that admins keep at /admin/synonyms (and /api/synonyms): each set is two
-- or more words or phrases that mean the same ("folder, directory"); a search for any of them
-- finds pages with the others (app/search/synonym_store.c). Skill aliases are synonyms too.
CREATE TABLE synonym_sets (
  id         INTEGER PRIMARY KEY,
  words      TEXT NOT NULL,   -- as entered, comma-separated, for showing
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE synonym_words (
  set_id INTEGER NOT NULL REFERENCES synonym_sets(id) ON DELETE CASCADE,
  word   TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (set_id, word)
) STRICT, WITHOUT ROWID;

CREATE INDEX synonym_words_by_word ON synonym_words(word);
