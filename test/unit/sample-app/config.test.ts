import { ConfigError, describeDatabase, loadConfig } from '../../../sample-app/src/config.js';

const HASH = 'scrypt$1024$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==';

describe('loadConfig', () => {
  it('has the documented defaults, and warns about what is missing', () => {
    const { config, warnings } = loadConfig({});
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      databasePath: './flaskr.db',
      appVersion: 'dev',
      adminUsername: 'admin',
      adminPasswordHash: undefined,
      tls: undefined,
      trustProxy: 0,
      databaseUrl: undefined,
      databaseCaFile: undefined,
      databasePoolSize: 10,
      loginRateLimit: { maxFailures: 5, windowMs: 60_000 },
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).config.sessionSecret).not.toBe(config.sessionSecret);
    expect(warnings).toEqual([
      expect.stringMatching(/^ADMIN_PASSWORD_HASH/),
      expect.stringMatching(/^SESSION_SECRET/),
    ]);
  });

  it('reads every variable', () => {
    const { config, warnings } = loadConfig({
      HOST: '127.0.0.1',
      PORT: '9000',
      DATABASE_PATH: '/data/x.db',
      APP_VERSION: 'abc123',
      ADMIN_USERNAME: 'boss',
      ADMIN_PASSWORD_HASH: HASH,
      SESSION_SECRET: 'x'.repeat(32),
      TLS_CERT_PATH: '/tls/cert.pem',
      TLS_KEY_PATH: '/tls/key.pem',
      TRUST_PROXY: '2',
      LOGIN_MAX_FAILURES: '10',
      DATABASE_URL: 'postgres://app:pw@db.internal:5432/flaskr',
      DATABASE_CA_FILE: '/certs/rds.pem',
      DATABASE_POOL_SIZE: '4',
    });
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
      databasePath: '/data/x.db',
      appVersion: 'abc123',
      adminUsername: 'boss',
      adminPasswordHash: HASH,
      tls: { certPath: '/tls/cert.pem', keyPath: '/tls/key.pem' },
      trustProxy: 2,
      loginRateLimit: { maxFailures: 10, windowMs: 60_000 },
      databaseUrl: 'postgres://app:pw@db.internal:5432/flaskr',
      databaseCaFile: '/certs/rds.pem',
      databasePoolSize: 4,
    });
  });

  it.each([
    [{ PORT: 'http' }, /^PORT is "http": use a whole number from 0 to 65535\.$/],
    [{ PORT: '70000' }, /^PORT/],
    [{ ADMIN_PASSWORD_HASH: 'plaintext' }, /^ADMIN_PASSWORD_HASH is not a valid hash .*hash-password/],
    [{ SESSION_SECRET: 'short' }, /^SESSION_SECRET is shorter than 16 characters/],
    [{ TLS_CERT_PATH: '/tls/cert.pem' }, /^TLS_CERT_PATH and TLS_KEY_PATH go together/],
    [{ TRUST_PROXY: 'maybe' }, /^TRUST_PROXY/],
    // "true" trusted the left-most address, which the client writes: a count of proxies is required.
    [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY is "true": give the number of proxies/],
    [{ TRUST_PROXY: '11' }, /^TRUST_PROXY/],
    [{ DATABASE_URL: 'mysql://u:secretpw@h/db' }, /^DATABASE_URL is not a postgres:\/\/ URL/],
    [{ DATABASE_POOL_SIZE: '0' }, /^DATABASE_POOL_SIZE/],
  ])('refuses %p with one sentence naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats the database password, in errors or in the start line', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://u:secretpw@h/db' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^DATABASE_URL/);
    expect(message).not.toContain('secretpw');
    const { config } = loadConfig({ DATABASE_URL: 'postgres://u:secretpw@db:5432/flaskr' });
    expect(describeDatabase(config)).toBe('postgres db:5432/flaskr');
    expect(describeDatabase(loadConfig({}).config)).toBe('./flaskr.db');
  });
});
