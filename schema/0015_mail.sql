-- E-mail notifications: the outgoing queue (written in the same transaction as what it tells
-- about, sent by ken serve's mail thread) and each person's opt-outs per kind of notice.
-- The SMTP settings live in the settings table (mail_*); see app/mail_store.h.

CREATE TABLE mail_queue (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,  -- the recipient
  kind       TEXT NOT NULL,        -- an inbox kind (routed, answer, ...), endorsement or page
  rcpt       TEXT NOT NULL,        -- the envelope recipient, a checked address
  subject    TEXT NOT NULL,        -- as the person reads it (for the admin's queue status)
  message    TEXT NOT NULL,        -- the whole RFC 5322 message, CRLF line ends
  state      TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  next_at_ms INTEGER NOT NULL,     -- when to try next (Unix time in milliseconds)
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  done_at    INTEGER               -- when it was sent or given up
) STRICT;
CREATE INDEX mail_queue_due ON mail_queue(next_at_ms) WHERE state = 'queued';
CREATE INDEX mail_queue_state ON mail_queue(state, done_at);
CREATE INDEX mail_queue_user ON mail_queue(user_id);

-- A row: the person does not want e-mail about that kind of notice (the default is on).
CREATE TABLE mail_optout (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL CHECK (kind IN ('routed', 'answer', 'comment', 'mention', 'accepted',
                                        'endorsement', 'page')),
  PRIMARY KEY (user_id, kind)
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO settings(name, value) VALUES
  ('mail_enabled', '0'), ('mail_smtp_url', ''), ('mail_from', ''), ('mail_username', ''),
  ('mail_password', ''), ('mail_starttls', '1'), ('public_url', ''),
  ('mail_page_cursor', '0');  -- the newest revision whose watchers were told
