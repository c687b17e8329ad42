-- A DELETE marks the note deleted; the purge job removes it NOTES_PURGE_AFTER_DAYS later.
ALTER TABLE notes ADD COLUMN deleted_at timestamptz;
CREATE INDEX notes_deleted_at ON notes (deleted_at) WHERE deleted_at IS NOT NULL;
