-- The audit log (issue #18): who did what, when and from where, for the actions a company has to
-- account for: sign-ins and failed sign-ins, role and account changes (SCIM included), groups,
-- HR searches and views of HR-only fields, and deletes, restores and moves of pages.
--
-- Entries are only ever added (accounts/audit.c), each with a hash chain: an entry's hash is the
-- BLAKE2b-256 of the entry before's hash and this entry's fields, so `ken audit verify` finds an
-- entry that was edited, removed from the middle or moved. Ids run without gaps. The triggers
-- below refuse UPDATE and any DELETE except retention pruning from the oldest end; someone with
-- the database file can drop them, which verify notices too.
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,  -- one more than the entry before
  at       INTEGER NOT NULL,     -- unix seconds
  actor_id INTEGER,              -- the account that acted; NULL: nobody signed in, or the command line
  actor    TEXT NOT NULL,        -- its login then ('' when nobody)
  addr     TEXT NOT NULL,        -- the client's address ('' from the command line)
  action   TEXT NOT NULL,        -- 'signin', 'page.delete', ... (audit.h lists them)
  target   TEXT NOT NULL,        -- what it was done to: a login, a page path, a group
  detail   TEXT NOT NULL,        -- more: the role from and to, the search, the fields seen
  hash     BLOB NOT NULL         -- BLAKE2b-256(previous hash, this entry's fields)
) STRICT;
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_at ON audit_log(at);

-- The one row of the log's state: how long entries are kept, and where the chain starts after
-- pruning (the hash of the last entry removed) and ends (the last entry written).
CREATE TABLE audit_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  retention_days INTEGER NOT NULL DEFAULT 0 CHECK (retention_days >= 0), -- 0: keep for ever
  pruned_through INTEGER NOT NULL DEFAULT 0, -- the last entry pruned (0: none)
  anchor         BLOB NOT NULL DEFAULT (zeroblob(32)), -- its hash: the first kept entry chains from it
  pruned_count   INTEGER NOT NULL DEFAULT 0,
  head           INTEGER NOT NULL DEFAULT 0  -- the last entry written (0: none yet)
) STRICT;
INSERT INTO audit_state(id) VALUES (1);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_prune_only BEFORE DELETE ON audit_log
WHEN old.id > (SELECT pruned_through FROM audit_state WHERE id = 1)
BEGIN
  SELECT RAISE(ABORT, 'audit entries leave only by retention pruning, oldest first');
END;
CREATE TRIGGER audit_state_forward BEFORE UPDATE ON audit_state
WHEN new.pruned_through < old.pruned_through OR new.head < old.head
  OR new.pruned_count < old.pruned_count
BEGIN
  SELECT RAISE(ABORT, 'the audit log only moves forward');
END;
CREATE TRIGGER audit_state_keep BEFORE DELETE ON audit_state
BEGIN
  SELECT RAISE(ABORT, 'the audit log state stays');
END;
