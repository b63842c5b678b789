// The data layer: one EntryStore interface, two drivers. SQLite (node:sqlite) is the embedded default for one
// process; PostgreSQL (DATABASE_URL) is what tasks share, so every task shows the same posts.

export interface Entry {
  id: number;
  title: string;
  text: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}

export interface EntryStore {
  /** Which driver answers (for the start line and the tests). */
  readonly kind: 'sqlite' | 'postgres';
  addEntry(title: string, text: string): Promise<Entry>;
  /** Newest first, at most `limit`, only entries older than `before` (an entry id) when given. */
  listEntries(limit: number, before?: number): Promise<Entry[]>;
  /** Runs a real query; rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly isOpen: boolean;
}

export interface StoreSettings {
  /** SQLite file or `:memory:`, used when no databaseUrl is given. */
  databasePath: string;
  /** postgres://user:password@host:port/database[?sslmode=...]; selects the PostgreSQL driver. */
  databaseUrl?: string | undefined;
  /** PEM bundle that signs the server's certificate (RDS: its global bundle); turns on verified TLS. */
  databaseCaFile?: string | undefined;
  /** Most connections one process opens (PostgreSQL). */
  databasePoolSize?: number | undefined;
}

/**
 * Opens the store the settings name. SQLite applies its migrations itself (one embedded file, one process);
 * PostgreSQL only checks that `node migrate.js` has applied them, since tasks must not race to change a
 * schema they share (the deploy runs the migration once, before the services roll).
 */
export async function openEntryStore(settings: StoreSettings): Promise<EntryStore> {
  if (settings.databaseUrl !== undefined) {
    // Loaded only when used: an image or a test without PostgreSQL needs no `pg` package.
    const { openPostgresStore } = await import('./db-postgres.js');
    return openPostgresStore(settings.databaseUrl, settings);
  }
  const { openSqliteStore } = await import('./db-sqlite.js');
  return openSqliteStore(settings.databasePath);
}

/** A database the app cannot use (unreachable, or lacking migrations); the message says what to do. */
export class StoreError extends Error {
  override name = 'StoreError';
}
