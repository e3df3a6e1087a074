-- Accounts, sessions, API tokens, settings, pages and their revisions.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'hr', 'admin')),
  password_hash TEXT,               -- NULL: cannot log in with a password (SSO or demo-less)
  created_at    INTEGER NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,      -- BLAKE2b of the cookie value; the value itself is never stored
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label      TEXT NOT NULL DEFAULT '',
  scope      TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write')),
  created_at INTEGER NOT NULL,
  last_used  INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_failures (
  key TEXT NOT NULL,                -- 'login:<name>' or 'addr:<ip>'
  at  INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO settings(name, value) VALUES ('public_read', '0'), ('site_name', 'ken'),
  ('csrf_key', lower(hex(randomblob(32))));  -- keys CSRF tokens of users signed in by the proxy

CREATE TABLE pages (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,        -- unique among live pages; a page in the trash keeps its path
  space       TEXT NOT NULL,
  title       TEXT NOT NULL,
  current_rev INTEGER,              -- revisions.id of the newest revision
  rev_count   INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  created_by  INTEGER REFERENCES users(id),
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER REFERENCES users(id),
  deleted_at  INTEGER,              -- set: the page is in the trash
  deleted_by  INTEGER REFERENCES users(id)
) STRICT;
CREATE UNIQUE INDEX pages_live_path ON pages(path) WHERE deleted_at IS NULL;
CREATE INDEX pages_space ON pages(space, path);
CREATE INDEX pages_updated ON pages(updated_at);

CREATE TABLE revisions (
  id         INTEGER PRIMARY KEY,
  page_id    INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  number     INTEGER NOT NULL,      -- 1, 2, 3 ... per page
  author_id  INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  summary    TEXT NOT NULL DEFAULT '',
  title      TEXT NOT NULL,
  tags       TEXT NOT NULL DEFAULT '',  -- space-separated, as saved
  markdown   TEXT NOT NULL,
  html       TEXT NOT NULL,         -- rendered and sanitised once, at save
  toc        TEXT NOT NULL DEFAULT '',  -- table of contents (HTML) for long pages, made at save
  size       INTEGER NOT NULL,
  UNIQUE (page_id, number)
) STRICT;

CREATE TABLE page_tags (
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  tag     TEXT NOT NULL,
  PRIMARY KEY (page_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX page_tags_tag ON page_tags(tag);

-- Wiki links as written in the current revision; to_path may name a page that does not exist yet.
CREATE TABLE links (
  from_page INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  to_path   TEXT NOT NULL,
  to_title  TEXT,                   -- the title written in [[Title]] when no page had it yet
  PRIMARY KEY (from_page, to_path)
) STRICT, WITHOUT ROWID;
CREATE INDEX links_to ON links(to_path);
CREATE INDEX links_to_title ON links(to_title COLLATE NOCASE) WHERE to_title IS NOT NULL;
