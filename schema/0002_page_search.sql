-- Full-text search over pages: page_text holds the words (external content for FTS5), kept by
-- triggers in step with the index, and written by page_store in the same transaction as the page.
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

CREATE TRIGGER page_text_ai AFTER INSERT ON page_text BEGIN
  INSERT INTO page_search(rowid, title, headings, body, tags, space, authors)
  VALUES (new.page_id, new.title, new.headings, new.body, new.tags, new.space, new.authors);
END;
CREATE TRIGGER page_text_ad AFTER DELETE ON page_text BEGIN
  INSERT INTO page_search(page_search, rowid, title, headings, body, tags, space, authors)
  VALUES ('delete', old.page_id, old.title, old.headings, old.body, old.tags, old.space, old.authors);
END;
CREATE TRIGGER page_text_au AFTER UPDATE ON page_text BEGIN
  INSERT INTO page_search(page_search, rowid, title, headings, body, tags, space, authors)
  VALUES ('delete', old.page_id, old.title, old.headings, old.body, old.tags, old.space, old.authors);
  INSERT INTO page_search(rowid, title, headings, body, tags, space, authors)
  VALUES (new.page_id, new.title, new.headings, new.body, new.tags, new.space, new.authors);
END;
