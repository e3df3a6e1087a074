-- Recognition: @mentions in wiki pages reach the inbox, and indexes for the contribution figures
-- (profiles, /thanks, /admin/engagement).

-- A mention in a page is an inbox row of kind 'mention' that names the page and the revision
-- that first mentioned the person (question_id is then NULL).
ALTER TABLE inbox ADD COLUMN page_id INTEGER REFERENCES pages(id) ON DELETE CASCADE;
ALTER TABLE inbox ADD COLUMN page_rev INTEGER;
CREATE INDEX inbox_page_unread ON inbox(user_id, page_id) WHERE read_at IS NULL AND page_id IS NOT NULL;

-- Figures for a period: answers, questions, new pages and verifications by time, views by day.
CREATE INDEX answers_created ON answers(created_at);
CREATE INDEX questions_created ON questions(created_at);
CREATE INDEX pages_created ON pages(created_at);
CREATE INDEX page_verifications_at ON page_verifications(at);
CREATE INDEX page_verifications_user ON page_verifications(user_id, at);
CREATE INDEX page_views_day ON page_views(day);
