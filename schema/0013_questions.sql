-- Questions and answers: questions with their revisions and tags, answers with theirs, votes,
-- comments; who ken asked about each question and why; each person's availability and muted
-- topics; the inbox; and the full-text index over questions and their answers.

CREATE TABLE questions (
  id                 INTEGER PRIMARY KEY,
  asker_id           INTEGER NOT NULL REFERENCES users(id),
  title              TEXT NOT NULL,
  tags               TEXT NOT NULL DEFAULT '',   -- space-separated, normalised like page tags
  markdown           TEXT NOT NULL,
  html               TEXT NOT NULL,              -- rendered and sanitised once, at save
  rev_count          INTEGER NOT NULL DEFAULT 1,
  state              TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'accepted')),
  accepted_answer_id INTEGER,                    -- answers.id when accepted
  accepted_at        INTEGER,
  page_path          TEXT,                       -- the page the accepted answer became
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  route_round        INTEGER NOT NULL DEFAULT 0, -- how many times ken asked people about it
  routed_at          INTEGER NOT NULL DEFAULT 0  -- when it last did (0: not yet)
) STRICT;
CREATE INDEX questions_state ON questions(state, created_at);
CREATE INDEX questions_asker ON questions(asker_id);
CREATE INDEX questions_due ON questions(routed_at) WHERE state = 'open';
CREATE INDEX questions_accepted ON questions(accepted_at) WHERE accepted_at IS NOT NULL;

CREATE TABLE question_tags (
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  tag         TEXT NOT NULL,
  PRIMARY KEY (question_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX question_tags_tag ON question_tags(tag);

-- Every version of a question's title, tags and text (number 1 is the question as asked).
CREATE TABLE question_revisions (
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  number      INTEGER NOT NULL,
  author_id   INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  title       TEXT NOT NULL,
  tags        TEXT NOT NULL,
  markdown    TEXT NOT NULL,
  UNIQUE (question_id, number)
) STRICT;

CREATE TABLE answers (
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  author_id   INTEGER NOT NULL REFERENCES users(id),
  markdown    TEXT NOT NULL,
  html        TEXT NOT NULL,
  votes       INTEGER NOT NULL DEFAULT 0,   -- count of answer_votes rows, kept on every vote
  rev_count   INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX answers_question ON answers(question_id, created_at);
CREATE INDEX answers_author ON answers(author_id);

CREATE TABLE answer_revisions (
  id         INTEGER PRIMARY KEY,
  answer_id  INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
  number     INTEGER NOT NULL,
  author_id  INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  markdown   TEXT NOT NULL,
  UNIQUE (answer_id, number)
) STRICT;

-- One vote per person and answer; withdrawing deletes the row.
CREATE TABLE answer_votes (
  answer_id  INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (answer_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX answer_votes_user ON answer_votes(user_id);

-- Short plain-text comments on a question (answer_id NULL) or on one of its answers.
CREATE TABLE question_comments (
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  answer_id   INTEGER REFERENCES answers(id) ON DELETE CASCADE,
  author_id   INTEGER NOT NULL REFERENCES users(id),
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX question_comments_question ON question_comments(question_id, created_at);

-- Whom ken asked about a question, in which round, and why (the experts page's evidence).
CREATE TABLE question_routes (
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  score       REAL NOT NULL,
  why         TEXT NOT NULL,
  asked_at    INTEGER NOT NULL,
  PRIMARY KEY (question_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX question_routes_user ON question_routes(user_id, asked_at);

-- People set themselves away (ken asks them nothing until then) and mute topics.
CREATE TABLE person_availability (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  away_until INTEGER NOT NULL
) STRICT;

CREATE TABLE muted_topics (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  topic   TEXT NOT NULL,                -- a tag as normalised for pages and questions
  PRIMARY KEY (user_id, topic)
) STRICT, WITHOUT ROWID;

-- The inbox: things that happened for a person. Endorsements and changes to watched pages are
-- read from their own tables; inbox_seen says when the person last looked at those.
CREATE TABLE inbox (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('routed', 'answer', 'comment', 'mention', 'accepted')),
  question_id INTEGER REFERENCES questions(id) ON DELETE CASCADE,
  answer_id   INTEGER REFERENCES answers(id) ON DELETE CASCADE,
  actor_id    INTEGER REFERENCES users(id),
  text        TEXT NOT NULL DEFAULT '',  -- plain text: why they were asked, or an excerpt
  created_at  INTEGER NOT NULL,
  read_at     INTEGER
) STRICT;
CREATE INDEX inbox_user ON inbox(user_id, created_at);
CREATE INDEX inbox_unread ON inbox(user_id, question_id) WHERE read_at IS NULL;

CREATE TABLE inbox_seen (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  seen_at INTEGER NOT NULL
) STRICT;

-- Full-text search over questions and their answers (external content, written directly by
-- app/question_store.c in the same transaction as the question or answer).
CREATE TABLE question_text (
  question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,   -- the question as plain text
  answers     TEXT NOT NULL,   -- every answer as plain text
  tags        TEXT NOT NULL
) STRICT;

CREATE VIRTUAL TABLE question_search USING fts5(
  title, body, answers, tags,
  content = 'question_text', content_rowid = 'question_id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
