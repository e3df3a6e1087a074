-- Departments and teams show how many people they have now (left_at IS NULL). With the
-- leaving date in the index, that count reads the index alone instead of every member's row,
-- which `ken import people` of a 10,000-person company asks for on every row.
DROP INDEX profiles_department;
DROP INDEX profiles_team;
CREATE INDEX profiles_department ON profiles(department_id, left_at);
CREATE INDEX profiles_team ON profiles(team_id, left_at);
