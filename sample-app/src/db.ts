import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface Entry {
  id: number;
  title: string;
  text: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}

export interface EntryStore {
  addEntry(title: string, text: string): Entry;
  /** Newest first. */
  listEntries(limit: number): Entry[];
  /** Runs a real query; throws when the database cannot answer. */
  ping(): void;
  close(): void;
  readonly isOpen: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);`;

interface EntryRow {
  id: number;
  title: string;
  text: string;
  created_at: string;
}

/** Opens (creating when missing) the SQLite database and its schema. Every query below is parameterised. */
export function openEntryStore(path: string): EntryStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // Another process (a second task on the same file, a backup) may hold the lock for a moment.
  db.exec('PRAGMA busy_timeout = 5000');
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec(SCHEMA);

  const insert = db.prepare(
    'INSERT INTO entries (title, text) VALUES (?, ?) RETURNING id, title, text, created_at',
  );
  const list = db.prepare('SELECT id, title, text, created_at FROM entries ORDER BY id DESC LIMIT ?');
  const toEntry = (row: EntryRow): Entry => ({
    id: row.id,
    title: row.title,
    text: row.text,
    createdAt: row.created_at,
  });

  return {
    addEntry: (title, text) => toEntry(insert.get(title, text) as unknown as EntryRow),
    listEntries: (limit) => (list.all(limit) as unknown as EntryRow[]).map(toEntry),
    ping: () => {
      db.prepare('SELECT count(*) AS n FROM entries').get();
    },
    close: () => {
      if (db.isOpen) db.close();
    },
    get isOpen() {
      return db.isOpen;
    },
  };
}
