import { readFileSync } from 'node:fs';

import pg from 'pg';

import { StoreError, type Entry, type EntryStore, type StoreSettings } from './db.js';
import { loadMigrations, pendingMigrations, type Migration } from './migrations.js';

interface EntryRow {
  id: string;
  title: string;
  text: string;
  created_at: Date;
}

/** Any 64-bit id is below this: "no cursor" pages from the newest entry. */
const NO_CURSOR = '9223372036854775807';
/** One key for pg_advisory_lock: two migrate runs at once take turns. */
const MIGRATION_LOCK_KEY = 0x5_41b1_7;

/** A pool for `url`; TLS verified against `caFile` when given (RDS: its CA bundle). */
export function createPool(url: string, settings: Omit<StoreSettings, 'databasePath'> = {}): pg.Pool {
  return new pg.Pool({
    connectionString: settings.databaseCaFile === undefined ? url : withoutTlsParameters(url),
    max: settings.databasePoolSize ?? 10,
    // Waiting for a connection (a new one, or a free one from a busy pool) fails the request after this,
    // rather than queueing forever when the database does not answer.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    ...(settings.databaseCaFile === undefined
      ? {}
      : { ssl: { ca: readFileSync(settings.databaseCaFile, 'utf8'), rejectUnauthorized: true } }),
  });
}

/** Opens a pool and checks the schema has every migration this code knows. Every query is parameterised. */
export async function openPostgresStore(
  url: string,
  settings: Omit<StoreSettings, 'databasePath'>,
): Promise<EntryStore> {
  const pool = createPool(url, settings);
  // The health check's own connection: under a burst the main pool has a queue, and a ping waiting in it
  // would time out the container health check and get a busy but healthy task replaced.
  const pingPool = createPool(url, { ...settings, databasePoolSize: 1 });
  // An idle client that loses its server (a restart, a failover) emits here; without a listener it would crash.
  pool.on('error', () => undefined);
  pingPool.on('error', () => undefined);
  let open = true;
  let pinging: Promise<void> | undefined;
  try {
    const versions = await appliedVersions(pool).catch((error: unknown) => {
      throw new StoreError(`cannot reach the database in DATABASE_URL: ${(error as Error).message}`);
    });
    const missing = pendingMigrations(loadMigrations('postgres'), versions);
    if (missing.length > 0) {
      throw new StoreError(
        `the database lacks migration(s) ${missing.map(label).join(', ')}: run "node migrate.js" first (the deploy's migration command).`,
      );
    }
  } catch (error) {
    await Promise.all([pool.end(), pingPool.end()]);
    throw error;
  }
  const toEntry = (row: EntryRow): Entry => ({
    id: Number(row.id),
    title: row.title,
    text: row.text,
    createdAt: row.created_at.toISOString(),
  });
  return {
    kind: 'postgres',
    addEntry: async (title, text) => {
      const result = await pool.query<EntryRow>(
        'INSERT INTO entries (title, text) VALUES ($1, $2) RETURNING id, title, text, created_at',
        [title, text],
      );
      return toEntry(result.rows[0]!);
    },
    listEntries: async (limit, before) => {
      const result = await pool.query<EntryRow>({
        // Named: prepared once per connection, then only executed.
        name: 'list-entries',
        text: 'SELECT id, title, text, created_at FROM entries WHERE id < $1 ORDER BY id DESC LIMIT $2',
        values: [before === undefined ? NO_CURSOR : String(before), limit],
      });
      return result.rows.map(toEntry);
    },
    ping: () => {
      // Health checks that arrive together share one query: its answer is just as true for all of them.
      pinging ??= pingPool
        .query('SELECT 1 FROM entries LIMIT 1')
        .then(() => undefined)
        .finally(() => {
          pinging = undefined;
        });
      return pinging;
    },
    close: async () => {
      if (!open) return;
      open = false;
      await Promise.all([pool.end(), pingPool.end()]);
    },
    get isOpen() {
      return open;
    },
  };
}

/** pg lets the URL's ssl* parameters override the `ssl` option; with a CA file, the file decides. */
function withoutTlsParameters(url: string): string {
  const parsed = new URL(url);
  for (const name of ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey']) parsed.searchParams.delete(name);
  return parsed.toString();
}

async function appliedVersions(pool: pg.Pool): Promise<number[]> {
  const table = await pool.query<{ name: string | null }>(`SELECT to_regclass('schema_migrations') AS name`);
  if (table.rows[0]?.name === null) return [];
  const rows = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
  return rows.rows.map((row) => row.version);
}

const label = (migration: Migration): string =>
  `${String(migration.version).padStart(4, '0')}_${migration.name}`;

/**
 * Applies the pending migrations, each in its own transaction, under an advisory lock (a second run waits,
 * then finds nothing to do). Returns what it applied.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations = loadMigrations('postgres'),
): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`);
    const done = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows;
    for (const migration of pendingMigrations(
      migrations,
      done.map((row) => row.version),
    )) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${label(migration)} failed: ${(error as Error).message}`);
      }
      applied.push(label(migration));
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
