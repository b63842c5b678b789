// Entry point: `node migrate.js` applies the pending schema migrations, then exits. The deploy runs it once
// as a one-off task (deploy-ecs's migration-command) before the services roll, never at every task start.
import { ConfigError, describeDatabase, loadDatabaseSettings } from './config.js';
import { openSqliteStore } from './db-sqlite.js';

try {
  const settings = loadDatabaseSettings(process.env);
  let applied: string[];
  if (settings.databaseUrl === undefined) {
    // SQLite applies its migrations when opened; this makes that happen without serving.
    const store = openSqliteStore(settings.databasePath);
    await store.close();
    applied = ['(SQLite: applied on open)'];
  } else {
    // Loaded only for PostgreSQL: a SQLite-only install needs no `pg` package.
    const { createPool, migratePostgres } = await import('./db-postgres.js');
    const pool = createPool(settings.databaseUrl, settings);
    try {
      applied = await migratePostgres(pool);
    } finally {
      await pool.end();
    }
  }
  process.stdout.write(
    `migrated ${describeDatabase(settings)}: ${applied.length === 0 ? 'nothing to apply' : applied.join(', ')}\n`,
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${error instanceof ConfigError ? message : `migration failed: ${message}`}\n`);
  process.exit(1);
}
