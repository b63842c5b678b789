import {
  csrfToken,
  deriveSessionKeys,
  hashPassword,
  newSession,
  parsePasswordHash,
  readSession,
  signSession,
  verifyCsrfToken,
  verifyPassword,
} from '../../../sample-app/src/auth.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('round-trips in the self-describing scrypt format with a fresh salt each time', async () => {
    const first = await hashPassword('s3cret pass', FAST);
    const second = await hashPassword('s3cret pass', FAST);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('s3cret pass', first)).toBe(true);
    expect(await verifyPassword('s3cret pass ', first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });

  it('uses N=2^15 by default', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const hash = await hashPassword('caf\u00e9', FAST);
    expect(await verifyPassword('cafe\u0301', hash)).toBe(true);
  });

  it.each([
    ['bcrypt$10$abc', /expected scrypt/],
    ['scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /power of two/],
    ['scrypt$2097152$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /power of two/],
    ['scrypt$1024$0$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /r=0/],
    ['scrypt$1024$8$99$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /p=99/],
    ['scrypt$1048576$32$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /256 MiB/],
    ['scrypt$1024$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', /salt/],
    ['scrypt$1024$8$1$c2FsdHNhbHQ=$aGFzaA==', /hash/],
  ])('refuses %s', (encoded, message) => {
    expect(() => parsePasswordHash(encoded)).toThrow(message);
  });
});

describe('signed sessions', () => {
  const keys = deriveSessionKeys('a-secret-of-enough-length');
  const now = Date.UTC(2026, 0, 1);

  it('reads back what it signed, until it expires', () => {
    const session = newSession(60, now, 'admin');
    const cookie = signSession(session, keys);
    expect(readSession(cookie, keys, now)).toEqual(session);
    expect(readSession(cookie, keys, now + 59_000)).toEqual(session);
    expect(readSession(cookie, keys, now + 60_000)).toBeUndefined();
  });

  it('refuses tampered, foreign, and malformed cookies', () => {
    const cookie = signSession(newSession(60, now), keys);
    const [payload, mac] = cookie.split('.') as [string, string];
    const promoted = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), user: 'admin' }),
    ).toString('base64url');
    expect(readSession(`${promoted}.${mac}`, keys, now)).toBeUndefined();
    expect(readSession(cookie, deriveSessionKeys('another-secret-entirely'), now)).toBeUndefined();
    for (const junk of ['', '.', 'abc', `${payload}.`, `.${mac}`, 'x'.repeat(5000), undefined]) {
      expect(readSession(junk, keys, now)).toBeUndefined();
    }
    // Correctly signed but not a session: still refused.
    const notASession = signSession({ sid: 1 } as never, keys);
    expect(readSession(notASession, keys, now)).toBeUndefined();
  });

  it('derives CSRF tokens from the session id, with a key that cannot sign sessions', () => {
    const session = newSession(60, now);
    const token = csrfToken(session, keys);
    expect(verifyCsrfToken(token, session, keys)).toBe(true);
    expect(verifyCsrfToken(token, { ...session, sid: 'other' }, keys)).toBe(false);
    expect(verifyCsrfToken(token, undefined, keys)).toBe(false);
    expect(verifyCsrfToken(undefined, session, keys)).toBe(false);
    expect(keys.csrf.equals(keys.session)).toBe(false);
    // The same secret on another task yields the same token.
    expect(csrfToken(session, deriveSessionKeys('a-secret-of-enough-length'))).toBe(token);
  });
});
