-- Did-you-mean also knows the words of the people index that every signed-in reader searches
-- (people_search: names, titles, teams, skills, and what people show everyone), so a misspelt
-- name of someone who never wrote a page gets a suggestion. Never people_search_hr: its HR-only
-- words must not reach anyone else through suggestions.
CREATE VIRTUAL TABLE people_search_vocab USING fts5vocab(people_search, 'row');
CREATE VIRTUAL TABLE people_search_vocab_instance USING fts5vocab(people_search, 'instance');
