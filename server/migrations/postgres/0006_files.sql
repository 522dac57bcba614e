-- The code of an exercise with several editable files: each file's text
-- by name, as a JSON object (then `code` is empty). NULL for the code of
-- one file, which `code` holds.

ALTER TABLE submissions ADD COLUMN files TEXT;
ALTER TABLE drafts ADD COLUMN files TEXT;
