-- A DELETE marks the note deleted; the purge job removes it NOTES_PURGE_AFTER_DAYS later. A PUT
-- on a deleted note revives it, and says so in `revived`, so that it is answered 201.
ALTER TABLE notes ADD COLUMN deleted_at timestamptz, ADD COLUMN revived boolean NOT NULL DEFAULT false;
CREATE INDEX notes_deleted_at ON notes (deleted_at) WHERE deleted_at IS NOT NULL;
