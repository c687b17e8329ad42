-- The notes, by id (byte order, as the list pages them).
CREATE TABLE notes (
  id text COLLATE "C" PRIMARY KEY,
  text text NOT NULL,
  revision uuid NOT NULL,
  updated_at timestamptz NOT NULL
);
