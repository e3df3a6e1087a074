-- Following changes: per-user feed tokens (read access to feeds only), watched pages and spaces,
-- and when each person last looked at the home page ("changes since your last visit").
CREATE TABLE feed_tokens (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,  -- one token per person
  token_hash BLOB NOT NULL UNIQUE,  -- BLAKE2b of the token; the token itself is never stored
  created_at INTEGER NOT NULL,
  last_used  INTEGER
) STRICT;

CREATE TABLE watches (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  page_id    INTEGER REFERENCES pages(id) ON DELETE CASCADE,  -- a page (follows it when it moves)
  space      TEXT,                                            -- or a whole space
  created_at INTEGER NOT NULL,
  CHECK ((page_id IS NULL) <> (space IS NULL))
) STRICT;
CREATE UNIQUE INDEX watches_user_page ON watches(user_id, page_id) WHERE page_id IS NOT NULL;
CREATE UNIQUE INDEX watches_user_space ON watches(user_id, space) WHERE space IS NOT NULL;
CREATE INDEX watches_page ON watches(page_id) WHERE page_id IS NOT NULL;

CREATE TABLE home_visits (
  user_id  INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  last_at  INTEGER NOT NULL,        -- the latest view of the home page
  since_at INTEGER NOT NULL         -- when the visit before the current one ended
) STRICT;

-- Recent changes read revisions newest first.
CREATE INDEX revisions_created ON revisions(created_at);
