-- The posts. IF NOT EXISTS: files made before migrations existed already have this table.
-- The INTEGER PRIMARY KEY is the rowid: paging by `id < ?` walks it backwards, newest first.
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
