import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { Entry, EntryStore } from './db.js';
import { loadMigrations, pendingMigrations } from './migrations.js';

interface EntryRow {
  id: number;
  title: string;
  text: string;
  created_at: string;
}

/** The largest id SQLite can hold: "no cursor" pages from the newest entry. */
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

/** Opens (creating when missing) the SQLite file and applies its migrations. Every query is parameterised. */
export function openSqliteStore(path: string): EntryStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // Another process (a backup, a second app on the same file) may hold the lock for a moment.
  db.exec('PRAGMA busy_timeout = 5000');
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  migrateSqlite(db);

  const insert = db.prepare(
    'INSERT INTO entries (title, text) VALUES (?, ?) RETURNING id, title, text, created_at',
  );
  const list = db.prepare(
    'SELECT id, title, text, created_at FROM entries WHERE id < ? ORDER BY id DESC LIMIT ?',
  );
  const ping = db.prepare('SELECT 1 AS ok FROM entries LIMIT 1');
  const toEntry = (row: EntryRow): Entry => ({
    id: row.id,
    title: row.title,
    text: row.text,
    createdAt: row.created_at,
  });

  // node:sqlite answers synchronously; promises give both drivers one interface (and errors as rejections).
  return {
    kind: 'sqlite',
    addEntry: (title, text) => settle(() => toEntry(insert.get(title, text) as unknown as EntryRow)),
    listEntries: (limit, before) =>
      settle(() => (list.all(before ?? NO_CURSOR, limit) as unknown as EntryRow[]).map(toEntry)),
    ping: () =>
      settle(() => {
        ping.get();
      }),
    close: () =>
      settle(() => {
        if (db.isOpen) db.close();
      }),
    get isOpen() {
      return db.isOpen;
    },
  };
}

function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function migrateSqlite(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`);
  const applied = (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
    (row) => row.version,
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const isApplied = db.prepare('SELECT 1 AS done FROM schema_migrations WHERE version = ?');
  for (const migration of pendingMigrations(loadMigrations('sqlite'), applied)) {
    // IMMEDIATE: the write lock up front; a second process that opened the same file meanwhile waits here,
    // then finds the migration done.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (isApplied.get(migration.version) === undefined) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
