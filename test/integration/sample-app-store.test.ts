// The data layer's contract, the same tests against both drivers: SQLite (in memory) and PostgreSQL (a
// database of this file's own on the stack's cluster), plus what only PostgreSQL does (migrations run by
// migrate.js, the schema check at start, TLS settings, the paging index).
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { openEntryStore, StoreError, type EntryStore } from '../../sample-app/src/db.js';
import { createPool, migratePostgres } from '../../sample-app/src/db-postgres.js';
import { loadMigrations } from '../../sample-app/src/migrations.js';
import { createTestDatabase, type TestDatabase } from './sample-app-postgres.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const pool = createPool(database.url);
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
});

afterAll(async () => {
  await database.drop();
});

const drivers: [string, () => Promise<EntryStore>][] = [
  ['sqlite', () => openEntryStore({ databasePath: ':memory:' })],
  ['postgres', () => openEntryStore({ databasePath: 'unused', databaseUrl: database.url })],
];

describe.each(drivers)('the %s store', (kind, open) => {
  let store: EntryStore;

  beforeEach(async () => {
    store = await open();
    if (kind === 'postgres') {
      const pool = createPool(database.url);
      await pool.query('TRUNCATE entries RESTART IDENTITY');
      await pool.end();
    }
  });

  afterEach(async () => {
    await store.close();
  });

  it('says which driver it is', () => {
    expect(store.kind).toBe(kind);
  });

  it('adds an entry and returns it with an id and an ISO 8601 UTC time', async () => {
    const before = Date.now();
    const entry = await store.addEntry('hello', 'world');
    expect(entry).toMatchObject({ id: 1, title: 'hello', text: 'world' });
    expect(entry.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(entry.createdAt)).toBeGreaterThanOrEqual(before - 2000);
  });

  it('keeps text verbatim: quotes, SQL and Unicode are data, never code', async () => {
    const title = `'); DROP TABLE entries; --`;
    const text = 'naïve “quotes” \u{1F600} \\ $1 ?';
    await store.addEntry(title, text);
    expect(await store.listEntries(10)).toEqual([expect.objectContaining({ title, text })]);
  });

  it('lists newest first, at most `limit`, and older than the `before` cursor', async () => {
    for (let n = 1; n <= 7; n++) await store.addEntry(`post ${n}`, '');
    const titles = (entries: { title: string }[]): string[] => entries.map((entry) => entry.title);
    expect(titles(await store.listEntries(3))).toEqual(['post 7', 'post 6', 'post 5']);
    const page = await store.listEntries(3);
    expect(titles(await store.listEntries(3, page.at(-1)!.id))).toEqual(['post 4', 'post 3', 'post 2']);
    expect(titles(await store.listEntries(3, 2))).toEqual(['post 1']);
    expect(await store.listEntries(3, 1)).toEqual([]);
  });

  it('pings while open and rejects once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.isOpen).toBe(true);
    await store.close();
    expect(store.isOpen).toBe(false);
    await expect(store.ping()).rejects.toThrow();
  });
});

describe('PostgreSQL migrations', () => {
  let fresh: TestDatabase;

  beforeEach(async () => {
    fresh = await createTestDatabase('shipkit_test_fresh');
  });

  afterEach(async () => {
    await fresh.drop();
  });

  it('refuses to serve a database migrate.js has not prepared, naming the command', async () => {
    const opening = openEntryStore({ databasePath: 'unused', databaseUrl: fresh.url });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(/lacks migration\(s\) 0001_create_entries: run "node migrate.js"/);
  });

  it('applies each migration once, even when two runs race, and the store then opens', async () => {
    const pools = [createPool(fresh.url), createPool(fresh.url)];
    try {
      const runs = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      // One run applied it; the other waited on the lock and found nothing to do.
      expect(runs.flat()).toEqual(['0001_create_entries']);
      expect(await migratePostgres(pools[0]!)).toEqual([]);
      const versions = await pools[0]!.query('SELECT version, name FROM schema_migrations');
      expect(versions.rows).toEqual([{ version: 1, name: 'create_entries' }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
    const store = await openEntryStore({ databasePath: 'unused', databaseUrl: fresh.url });
    await store.addEntry('after migrate', '');
    expect((await store.listEntries(1))[0]?.title).toBe('after migrate');
    await store.close();
  });

  it('rolls back a failing migration and names it, leaving it pending', async () => {
    const pool = createPool(fresh.url);
    try {
      const broken = [
        { version: 1, name: 'broken', sql: 'CREATE TABLE half (id int); SELECT nonsense FROM nowhere;' },
      ];
      await expect(migratePostgres(pool, broken)).rejects.toThrow(/^migration 0001_broken failed: /);
      const half = await pool.query<{ name: string | null }>(`SELECT to_regclass('half') AS name`);
      expect(half.rows[0]?.name).toBeNull();
      expect(
        (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]?.n,
      ).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('pages through 1 million rows by the primary key index, never a sort of the table', async () => {
    const pool = createPool(fresh.url);
    try {
      await migratePostgres(pool);
      await pool.query(
        `INSERT INTO entries (title, text) SELECT 'post ' || n, '' FROM generate_series(1, 1000000) AS n`,
      );
      await pool.query('ANALYZE entries');
      const plan = await pool.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN SELECT id, title, text, created_at FROM entries WHERE id < $1 ORDER BY id DESC LIMIT 51',
        ['500000'],
      );
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan Backward using entries_pkey on entries/);
      expect(text).not.toMatch(/Sort|Seq Scan/);
    } finally {
      await pool.end();
    }
  }, 120_000);
});

describe('PostgreSQL connection settings', () => {
  it('verifies TLS against the CA file it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-app-ca-'));
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
      // What a client of the pool would connect with (pg merges the URL's parameters over the options).
      const settingsOf = (pool: pg.Pool): unknown =>
        (new pg.Client(pool.options) as unknown as { connectionParameters: { ssl: unknown } })
          .connectionParameters.ssl;
      const pool = createPool('postgres://u:p@db.example:5432/db?sslmode=require', {
        databaseCaFile: caFile,
      });
      expect(settingsOf(pool)).toEqual({
        ca: expect.stringContaining('not checked here') as unknown,
        rejectUnauthorized: true,
      });
      await pool.end();
      const plain = createPool('postgres://u:p@127.0.0.1:1/db');
      expect(settingsOf(plain)).toBe(false);
      await plain.end();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to open with one message when the server does not answer', async () => {
    const opening = openEntryStore({ databasePath: 'unused', databaseUrl: 'postgres://u:p@127.0.0.1:1/db' });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(/^cannot reach the database in DATABASE_URL: .*ECONNREFUSED/);
  });
});

describe('migration files', () => {
  it('number the same versions in both dialects', () => {
    const versions = (dialect: 'sqlite' | 'postgres'): string[] =>
      loadMigrations(dialect).map((migration) => `${migration.version} ${migration.name}`);
    expect(versions('postgres')).toEqual(versions('sqlite'));
    expect(versions('postgres').length).toBeGreaterThan(0);
  });
});
