-- SCIM provisioning (/scim/v2): what an identity provider (Okta, Entra ID) knows a person by.
-- A row exists for each account a provider created, changed or deleted; an account without one
-- is listed with its login as userName. Deleting through SCIM marks the person as having left
-- and hides them from SCIM (deleted_at); the account, its profile and its pages stay.
CREATE TABLE scim_users (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  user_name   TEXT UNIQUE COLLATE NOCASE,   -- as the provider sent it (often an address); NULL: the login
  external_id TEXT UNIQUE,                  -- the provider's own id for the person
  given_name  TEXT NOT NULL DEFAULT '',
  family_name TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,             -- the last change made through SCIM
  deleted_at  INTEGER                       -- set: DELETE /scim/v2/Users/ID
) STRICT;
