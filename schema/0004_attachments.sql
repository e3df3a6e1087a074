-- Files attached to pages. Each name on a page has versions 1, 2, 3 ... like a page's revisions.
-- The bytes are kept once per distinct content (by hash), however many versions share them.
CREATE TABLE attachment_blobs (
  id   INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,        -- BLAKE2b-256 of data
  size INTEGER NOT NULL,
  data BLOB NOT NULL                -- last, so listing sizes never reads the bytes
) STRICT;

CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  page_id      INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,       -- [A-Za-z0-9._-], 1-100 characters, no leading dot
  version      INTEGER NOT NULL,    -- 1, 2, 3 ... per page and name
  blob_id      INTEGER NOT NULL REFERENCES attachment_blobs(id),
  content_type TEXT NOT NULL,       -- detected from the bytes, never from the name
  uploader_id  INTEGER REFERENCES users(id),
  created_at   INTEGER NOT NULL,
  UNIQUE (page_id, name, version)
) STRICT;
CREATE INDEX attachments_blob ON attachments(blob_id);
