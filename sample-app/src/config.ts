import { randomBytes } from 'node:crypto';

import { parsePasswordHash } from './auth.js';
import type { StoreSettings } from './db.js';

/** Everything the app reads from its environment, validated once at start. */
export interface AppConfig {
  host: string;
  port: number;
  /** SQLite file, or `:memory:`, when there is no DATABASE_URL. One file per process: tasks do not share it. */
  databasePath: string;
  /** PostgreSQL, shared by every task; set, it replaces the SQLite file. */
  databaseUrl: string | undefined;
  /** CA bundle for verified TLS to PostgreSQL (RDS). */
  databaseCaFile: string | undefined;
  databasePoolSize: number;
  /** Reported by the health check; baked in at build time (Docker ARG APP_VERSION), overridable by env. */
  appVersion: string;
  adminUsername: string;
  /** `scrypt$N$r$p$salt$hash` from `hash-password`; undefined disables login. */
  adminPasswordHash: string | undefined;
  /** Signs session cookies and CSRF tokens; must be the same on every task of a service. */
  sessionSecret: string;
  sessionMaxAgeSeconds: number;
  tls: { certPath: string; keyPath: string } | undefined;
  /**
   * Proxies in front of the app that append to X-Forwarded-For (0: none, the socket's address is the client).
   * With n, the client is the n-th address from the right, as Express' `trust proxy` hop count.
   */
  trustProxy: number;
  loginRateLimit: { maxFailures: number; windowMs: number };
  /** How long a shutdown waits for in-flight requests before cutting connections. */
  shutdownTimeoutMs: number;
}

/** A setting that cannot work; the message names the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadedConfig {
  config: AppConfig;
  /** Things that work but that an operator should know about (logged at start). */
  warnings: string[];
}

const DEFAULT_PORT = 8080;
const DAY_SECONDS = 24 * 60 * 60;

export function loadConfig(env: Record<string, string | undefined>): LoadedConfig {
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const adminPasswordHash = read('ADMIN_PASSWORD_HASH');
  if (adminPasswordHash === undefined) {
    warnings.push('ADMIN_PASSWORD_HASH is not set: nobody can log in (make one with hash-password).');
  } else {
    try {
      parsePasswordHash(adminPasswordHash);
    } catch (error) {
      throw new ConfigError(
        `ADMIN_PASSWORD_HASH is not a valid hash (${(error as Error).message}): make one with "node hash-password.js".`,
      );
    }
  }

  let sessionSecret = read('SESSION_SECRET');
  if (sessionSecret === undefined) {
    sessionSecret = randomBytes(32).toString('base64url');
    warnings.push(
      'SESSION_SECRET is not set: using a random one, so sessions end on restart and do not work across tasks.',
    );
  } else if (sessionSecret.length < 16) {
    throw new ConfigError('SESSION_SECRET is shorter than 16 characters: use at least 32 random characters.');
  }

  const certPath = read('TLS_CERT_PATH');
  const keyPath = read('TLS_KEY_PATH');
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError(
      'TLS_CERT_PATH and TLS_KEY_PATH go together: set both for HTTPS, or neither for HTTP.',
    );
  }

  return {
    config: {
      host: read('HOST') ?? '0.0.0.0',
      port: readInteger(read('PORT'), 'PORT', DEFAULT_PORT, 0, 65535),
      ...loadDatabaseSettings(env),
      appVersion: read('APP_VERSION') ?? 'dev',
      adminUsername: read('ADMIN_USERNAME') ?? 'admin',
      adminPasswordHash,
      sessionSecret,
      sessionMaxAgeSeconds: readInteger(
        read('SESSION_MAX_AGE'),
        'SESSION_MAX_AGE',
        DAY_SECONDS,
        60,
        30 * DAY_SECONDS,
      ),
      tls: certPath !== undefined && keyPath !== undefined ? { certPath, keyPath } : undefined,
      trustProxy: readTrustProxy(read('TRUST_PROXY')),
      loginRateLimit: {
        maxFailures: readInteger(read('LOGIN_MAX_FAILURES'), 'LOGIN_MAX_FAILURES', 5, 1, 1000),
        windowMs: 60_000,
      },
      shutdownTimeoutMs: readInteger(read('SHUTDOWN_TIMEOUT_MS'), 'SHUTDOWN_TIMEOUT_MS', 5000, 0, 120_000),
    },
    warnings,
  };
}

export interface DatabaseSettings extends StoreSettings {
  databaseUrl: string | undefined;
  databaseCaFile: string | undefined;
  databasePoolSize: number;
}

/** The database settings alone: what `migrate.js` needs. */
export function loadDatabaseSettings(env: Record<string, string | undefined>): DatabaseSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^/]/.test(databaseUrl)) {
    // Never echo the value: it carries the password.
    throw new ConfigError(
      'DATABASE_URL is not a postgres:// URL: use postgres://user:password@host:5432/database, or unset it for SQLite.',
    );
  }
  return {
    databasePath: read('DATABASE_PATH') ?? './flaskr.db',
    databaseUrl,
    databaseCaFile: read('DATABASE_CA_FILE'),
    databasePoolSize: readInteger(read('DATABASE_POOL_SIZE'), 'DATABASE_POOL_SIZE', 10, 1, 100),
  };
}

/** Where the app's data lives, for its start line (never the password). */
export function describeDatabase(settings: {
  databasePath: string;
  databaseUrl: string | undefined;
}): string {
  if (settings.databaseUrl === undefined) return settings.databasePath;
  try {
    const url = new URL(settings.databaseUrl);
    return `postgres ${url.host}${url.pathname}`;
  } catch {
    return 'postgres';
  }
}

function readTrustProxy(raw: string | undefined): number {
  if (raw === undefined || /^(0|false|no|off)$/i.test(raw)) return 0;
  if (/^(true|yes|on)$/i.test(raw)) {
    // "true" used to mean the left-most address, which the client writes itself (a spoofable rate limit).
    throw new ConfigError(
      `TRUST_PROXY is "${raw}": give the number of proxies in front of the app (1 behind one load balancer).`,
    );
  }
  return readInteger(raw, 'TRUST_PROXY', 0, 0, 10);
}

function readInteger(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} is "${raw}": use a whole number from ${min} to ${max}.`);
  }
  return value;
}
