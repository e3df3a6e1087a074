-- What an import brought in from another system (a Stack Exchange export): each outside id and
-- the row it became, so that running the import again adds only what is new. For a question,
-- `accepted` holds the outside id of its accepted answer, which comes later in the export.
CREATE TABLE external_ids (
  source      TEXT NOT NULL,             -- the export's name, e.g. "se:ai"
  kind        TEXT NOT NULL CHECK (kind IN ('user', 'question', 'answer', 'comment')),
  external_id TEXT NOT NULL,
  local_id    INTEGER NOT NULL,
  accepted    TEXT,
  PRIMARY KEY (source, kind, external_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX external_ids_local ON external_ids(kind, local_id);

-- Votes an answer got before it was imported (the export's score, which may be negative);
-- answers.votes is these plus the rows of answer_votes.
ALTER TABLE answers ADD COLUMN imported_votes INTEGER NOT NULL DEFAULT 0;

-- Questions an export says are duplicates of, or related to, one another.
CREATE TABLE question_links (
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  linked_id   INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('related', 'duplicate')),
  PRIMARY KEY (question_id, linked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX question_links_linked ON question_links(linked_id);
