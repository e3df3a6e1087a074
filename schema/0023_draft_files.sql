-- Files dropped or pasted into the editor of a page that does not exist yet: kept for the person
-- under the draft key their editor form carries, until the page's first save takes them as its
-- attachments (in the same transaction). Drafts older than a day are deleted by the next upload.
-- The bytes live in attachment_blobs like every attachment's.
CREATE TABLE draft_files (
  id           INTEGER PRIMARY KEY,
  draft        TEXT NOT NULL,       -- the editor's random key (43 characters, base64url)
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,       -- an attachment name
  blob_id      INTEGER NOT NULL REFERENCES attachment_blobs(id),
  content_type TEXT NOT NULL,       -- detected from the bytes
  created_at   INTEGER NOT NULL,
  UNIQUE (draft, user_id, name)
) STRICT;
CREATE INDEX draft_files_blob ON draft_files(blob_id);
CREATE INDEX draft_files_age ON draft_files(created_at);
