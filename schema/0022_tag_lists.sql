-- Tags may hold spaces ("dev environment"), so stored tag lists separate tags with commas (they
-- were space-separated, when a tag could hold neither). The one-row-per-tag tables (page_tags,
-- question_tags) and the search text (where commas and spaces both separate words) are unchanged.
UPDATE revisions SET tags = replace(tags, ' ', ',') WHERE instr(tags, ' ') > 0;
UPDATE questions SET tags = replace(tags, ' ', ',') WHERE instr(tags, ' ') > 0;
UPDATE question_revisions SET tags = replace(tags, ' ', ',') WHERE instr(tags, ' ') > 0;
