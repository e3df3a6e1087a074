-- Groups of people (issue #18), made by admins at /admin/groups or pushed by an identity
-- provider through SCIM (/scim/v2/Groups). Restricted spaces will name groups as readers and
-- editors; until then a group is a named list of people. Every change is in the audit log.
CREATE TABLE user_groups (
  id          INTEGER PRIMARY KEY,           -- the SCIM id
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE, -- SCIM's displayName
  external_id TEXT UNIQUE,                   -- the provider's own id for it (SCIM externalId)
  source      TEXT NOT NULL CHECK (source IN ('admin', 'scim')), -- who made it
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE user_group_members (
  group_id INTEGER NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_group_members_user ON user_group_members(user_id, group_id);
