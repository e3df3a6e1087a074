-- Who wrote what: for each page and person, how much of the text they added (in characters of
-- added lines, over all their revisions) and when. Kept current on every save; `ken reindex`
-- rebuilds it from the revisions.
CREATE TABLE page_contributions (
  page_id   INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  chars     INTEGER NOT NULL,      -- characters of the lines this person added
  revisions INTEGER NOT NULL,
  first_at  INTEGER NOT NULL,
  last_at   INTEGER NOT NULL,
  PRIMARY KEY (page_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX page_contributions_user ON page_contributions(user_id);
