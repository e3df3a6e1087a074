-- Full-text search over people, by what a searcher may see of them. Two indexes, one row per
-- person (rowid = users.id) in each, written by app/people_search.c in the same transaction as
-- every change to what they hold:
--   people_search     what every signed-in reader may see: name, the organisation fields, skills
--                     (with their aliases), communities, and location, "ask me about" and the bio
--                     when the person shows them to everyone;
--   people_search_hr  what HR and admins may see: the same, plus those three when HR-only.
-- Text a person keeps private is in neither. Two indexes rather than one with HR-only columns:
-- a column filter would keep HR-only words from matching, but they would still be in the shared
-- vocabulary (did-you-mean) and in bm25's document lengths, so they could leak through
-- suggestions and ranking. Both are ordinary FTS5 tables that keep their own text (people are
-- few): snippets come from the index itself, which by construction holds only what its readers
-- may see. Same tokenizer as page_search, so prefixes and stemming behave alike.
--
-- Columns, as bm25 weighs them (app/people_search.c): name, title, department, team,
-- skills_top (declared expert or endorsed by two colleagues or more), skills (the others),
-- communities, ask (ask me about), location, bio (the rendered bio as plain text).
CREATE VIRTUAL TABLE people_search USING fts5(
  name, title, department, team, skills_top, skills, communities, ask, location, bio,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE people_search_hr USING fts5(
  name, title, department, team, skills_top, skills, communities, ask, location, bio,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
-- A database made before this migration has people but empty indexes: ken fills them when it
-- opens such a database (people_search_fill), and `ken reindex` rebuilds them.
