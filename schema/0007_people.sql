-- People: profiles with per-field visibility, the organisation (departments, teams, managers),
-- skills with aliases and endorsements, and communities.

CREATE TABLE departments (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,          -- [a-z0-9-], used in URLs
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE teams (
  id            INTEGER PRIMARY KEY,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  slug          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  UNIQUE (department_id, name)
) STRICT;

-- One profile per account. Name and login live in users; everything else here.
CREATE TABLE profiles (
  user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  title         TEXT NOT NULL DEFAULT '',
  department_id INTEGER REFERENCES departments(id),
  team_id       INTEGER REFERENCES teams(id),
  manager_id    INTEGER REFERENCES users(id),
  location      TEXT NOT NULL DEFAULT '',
  timezone      TEXT NOT NULL DEFAULT '',
  start_date    TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD or ''
  email         TEXT NOT NULL DEFAULT '',
  chat          TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',
  languages     TEXT NOT NULL DEFAULT '',    -- comma-separated
  bio           TEXT NOT NULL DEFAULT '',    -- Markdown
  bio_html      TEXT NOT NULL DEFAULT '',    -- rendered and sanitised at save
  ask_me_about  TEXT NOT NULL DEFAULT '',    -- comma-separated topics
  projects      TEXT NOT NULL DEFAULT '',
  open_to_roles TEXT NOT NULL DEFAULT '',    -- HR-only by default
  want_skills   TEXT NOT NULL DEFAULT '',    -- skills I would like to use more; HR-only by default
  mentoring     TEXT NOT NULL DEFAULT '',    -- '', 'offering', 'seeking', 'both'; HR-only by default
  photo         BLOB,
  photo_type    TEXT NOT NULL DEFAULT '',
  left_at       INTEGER,                     -- set: the person has left the company
  updated_at    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX profiles_manager ON profiles(manager_id);
CREATE INDEX profiles_department ON profiles(department_id);
CREATE INDEX profiles_team ON profiles(team_id);

-- Who may see a field: 'everyone', 'hr' (HR, admins and the person) or 'private' (the person).
-- A field without a row here has its default (see app/people_perm.c).
CREATE TABLE profile_visibility (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  field   TEXT NOT NULL,
  level   TEXT NOT NULL CHECK (level IN ('everyone', 'hr', 'private')),
  PRIMARY KEY (user_id, field)
) STRICT, WITHOUT ROWID;

-- Every change to a profile, as the JSON of the fields that changed (old and new values).
CREATE TABLE profile_revisions (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  editor_id  INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  changes    TEXT NOT NULL                   -- {"field": [old, new], ...}
) STRICT;
CREATE INDEX profile_revisions_user ON profile_revisions(user_id, created_at);

CREATE TABLE skills (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,          -- [a-z0-9-]: kubernetes, c-plus-plus
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  category    TEXT NOT NULL DEFAULT '',
  reviewed    INTEGER NOT NULL DEFAULT 1,    -- 0: typed by someone, not curated yet
  created_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE skill_aliases (
  alias    TEXT PRIMARY KEY COLLATE NOCASE,  -- k8s, postgres, js
  skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX skill_aliases_skill ON skill_aliases(skill_id);

-- A person's declared skills: level 1 learning, 2 practised, 3 expert.
CREATE TABLE person_skills (
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  level    INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  years    INTEGER CHECK (years BETWEEN 0 AND 60),
  added_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, skill_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX person_skills_skill ON person_skills(skill_id, level);

CREATE TABLE endorsements (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- endorsed
  skill_id    INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
  endorser_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, skill_id, endorser_id),
  CHECK (user_id <> endorser_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX endorsements_endorser ON endorsements(endorser_id);

CREATE TABLE communities (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,          -- also the path of its space of pages
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  open        INTEGER NOT NULL DEFAULT 1,    -- 1: anyone joins; 0: owners approve
  created_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE community_members (
  community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role         TEXT NOT NULL CHECK (role IN ('owner', 'member', 'pending')),
  joined_at    INTEGER NOT NULL,
  PRIMARY KEY (community_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX community_members_user ON community_members(user_id);

-- Every account has a profile, including those made before this migration.
INSERT INTO profiles(user_id) SELECT id FROM users;
CREATE TRIGGER users_profile AFTER INSERT ON users BEGIN
  INSERT INTO profiles(user_id) VALUES (new.id);
END;
