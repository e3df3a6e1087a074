-- Full-text search over pages: page_text holds the words (external content for FTS5). Both are
-- written by app/search_index.c in the same transaction as the page they describe.
CREATE TABLE page_text (
  page_id  INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
  title    TEXT NOT NULL,
  headings TEXT NOT NULL,
  body     TEXT NOT NULL,   -- the rendered page as plain text, without markup
  tags     TEXT NOT NULL,
  space    TEXT NOT NULL,
  authors  TEXT NOT NULL    -- names of everyone who wrote a revision
) STRICT;

CREATE VIRTUAL TABLE page_search USING fts5(
  title, headings, body, tags, space, authors,
  content = 'page_text', content_rowid = 'page_id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
