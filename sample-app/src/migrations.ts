// Numbered schema migrations, one SQL file per database dialect: migrations/NNNN_name.<dialect>.sql.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.(sqlite|postgres)\.sql$/;

/** Where the migrations are: beside the built modules (dist/, the image), else the app's source tree. */
export function migrationsDir(): string {
  const beside = fileURLToPath(new URL('./migrations/', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../migrations/', import.meta.url));
}

/** The dialect's migrations in version order; a repeated version or a stray file name is an error. */
export function loadMigrations(dialect: Dialect, dir = migrationsDir()): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file ${file} is not named NNNN_name.(sqlite|postgres).sql`);
    if (match[3] !== dialect) continue;
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) {
      throw new Error(`two ${dialect} migrations have number ${match[1]}`);
    }
    migrations.push({ version, name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') });
  }
  return migrations;
}

/** The migrations not yet in `applied`, in order. */
export function pendingMigrations(all: Migration[], applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  return all.filter((migration) => !done.has(migration.version));
}
