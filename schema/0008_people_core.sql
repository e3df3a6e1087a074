-- People core: when the photo last changed, so its address (/people/LOGIN/photo?v=N) changes with
-- the photo alone and says nothing about edits to fields a reader may not see.
ALTER TABLE profiles ADD COLUMN photo_at INTEGER NOT NULL DEFAULT 0;
UPDATE profiles SET photo_at = updated_at WHERE photo IS NOT NULL;
