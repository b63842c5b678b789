// Prints an ADMIN_PASSWORD_HASH for the password read from stdin (never from argv, which `ps` shows).
//   printf '%s' 'correct horse' | node hash-password.js
import { text } from 'node:stream/consumers';

import { DEFAULT_SCRYPT_COST, hashPassword } from './auth.js';

// Only the line break a shell or `echo` adds is dropped; other whitespace is part of the password.
const password = (await text(process.stdin)).replace(/\r?\n$/, '');
if (password === '') {
  process.stderr.write(
    'error: no password on stdin: pipe one in, e.g. printf %s "$PASSWORD" | node hash-password.js\n',
  );
  process.exit(1);
}
process.stdout.write(`${await hashPassword(password, DEFAULT_SCRYPT_COST)}\n`);
