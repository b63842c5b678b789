// A PostgreSQL database of a test's own on the stack's cluster (DATABASE_URL in .stack/env, or the
// environment's, as the pipeline's postgres service gives it): created fresh, dropped after.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

import pg from 'pg';

import { readStackEnv, STACK_ENV_FILE } from '../helpers/stack.js';

/** The server to create test databases on; fails with what to run when there is none. */
export function adminDatabaseUrl(): string {
  const url =
    process.env['DATABASE_URL'] ?? (existsSync(STACK_ENV_FILE) ? readStackEnv()['DATABASE_URL'] : undefined);
  if (!url) {
    throw new Error(
      'No PostgreSQL: start the local stack ("bash scripts/stack-up.sh" runs one) or set DATABASE_URL.',
    );
  }
  return url;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/** CREATE DATABASE with a random name on the admin server; `drop` removes it (closing what still uses it). */
export async function createTestDatabase(prefix = 'shipkit_test'): Promise<TestDatabase> {
  const admin = adminDatabaseUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // The name is ours (hex), not input: safe to put in DDL, which takes no parameters.
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
