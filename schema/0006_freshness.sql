-- Freshness: who owns a page, how often it must be checked, who last verified it, and how much
-- it is read.
CREATE TABLE page_owners (
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (page_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX page_owners_user ON page_owners(user_id);

-- Every page starts owned by its creator.
INSERT INTO page_owners(page_id, user_id) SELECT id, created_by FROM pages WHERE created_by IS NOT NULL;

CREATE TABLE space_review (
  space       TEXT PRIMARY KEY,
  review_days INTEGER NOT NULL CHECK (review_days BETWEEN 1 AND 3650)
) STRICT, WITHOUT ROWID;

ALTER TABLE pages ADD COLUMN review_days INTEGER;   -- NULL: the space's, else 180
ALTER TABLE pages ADD COLUMN verified_at INTEGER;
ALTER TABLE pages ADD COLUMN verified_by INTEGER REFERENCES users(id);

CREATE TABLE page_verifications (
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id),
  at      INTEGER NOT NULL
) STRICT;
CREATE INDEX page_verifications_page ON page_verifications(page_id, at);

-- Views are counted in memory and written in batches, one row per page and day.
CREATE TABLE page_views (
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  day     INTEGER NOT NULL,    -- days since 1970-01-01
  views   INTEGER NOT NULL,
  PRIMARY KEY (page_id, day)
) STRICT, WITHOUT ROWID;
