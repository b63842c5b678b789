// Private keys in every encoding they get committed in. PEM framing is RFC 7468 ("-----BEGIN <label>-----"
// + base64 body); labels: RSA PRIVATE KEY (PKCS#1), EC PRIVATE KEY (SEC 1), DSA PRIVATE KEY, PRIVATE KEY
// and ENCRYPTED PRIVATE KEY (PKCS#8), OPENSSH PRIVATE KEY (OpenSSH PROTOCOL.key), PGP PRIVATE KEY BLOCK
// (RFC 4880 armor). Also: the same PEM inside a JSON/YAML string with escaped \n, split over string
// concatenation, or base64-encoded whole ("LS0tLS1CRUdJTi" is base64 of "-----BEGIN"); PuTTY .ppk files
// (PuTTY docs, "PPK file format"); age secret keys "AGE-SECRET-KEY-1" + 58 bech32 (age spec).
import { BASE64, base64Of, rand } from '../fake.js';
import { decodeBase64 } from '../text.js';
import type { SecretRule } from '../types.js';

const LABELS = '(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?';
const BEGIN = ['-----BEGIN', ''].join(' ');

function pemOf(label: string, escapedNewlines = false): string {
  const newline = escapedNewlines ? '\\n' : '\n';
  const lines = [
    `${BEGIN}${label}-----`,
    `MIIEow${rand(BASE64, 58)}`,
    rand(BASE64, 64),
    rand(BASE64, 40),
    `-----END ${label}-----`,
  ];
  return lines.join(newline) + newline;
}

export const PRIVATE_KEY_RULES: SecretRule[] = [
  {
    id: 'private-key-pem',
    ruleId: 'secret-private-key',
    description: 'Private key (PEM)',
    keywords: ['-----BEGIN'],
    exactCase: true,
    pattern: new RegExp(
      `-----BEGIN (?<label>${LABELS})-----\\r?\\n(?:[ \\t]*(?:Proc-Type|DEK-Info|Comment|Version):[^\\n]*\\r?\\n)*(?:\\r?\\n)?[ \\t]*[A-Za-z0-9+/=]{20,}`,
      'g',
    ),
    window: { before: 0, after: 600, multiline: true },
    examples: () => ({
      positive: [
        pemOf('RSA PRIVATE KEY'),
        `key: |\n  ${pemOf('OPENSSH PRIVATE KEY').replace(/\n/g, '\n  ')}`,
        pemOf('EC PRIVATE KEY'),
        pemOf('PRIVATE KEY'),
        pemOf('PGP PRIVATE KEY BLOCK'),
      ],
      negative: [
        `The file starts with ${BEGIN}RSA PRIVATE KEY----- and then the key.`,
        pemOf('PUBLIC KEY'),
        `${BEGIN}PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----`,
      ],
    }),
  },
  {
    id: 'private-key-escaped',
    ruleId: 'secret-private-key',
    description: 'Private key (PEM with escaped newlines, in JSON/YAML/code strings)',
    keywords: ['-----BEGIN'],
    exactCase: true,
    pattern: new RegExp(
      `-----BEGIN (?<label>${LABELS})-----(?:\\\\r)?\\\\n(?:(?:Proc-Type|DEK-Info):[^\\\\]*\\\\n)*(?:\\\\n)?[A-Za-z0-9+/=]{20,}`,
      'g',
    ),
    window: { before: 0, after: 600 },
    examples: () => ({
      positive: [
        `{"private_key": "${pemOf('PRIVATE KEY', true)}"}`,
        `SSH_KEY="${pemOf('OPENSSH PRIVATE KEY', true)}"`,
      ],
      negative: [
        `{"public_key": "${pemOf('PUBLIC KEY', true)}"}`,
        `{"key": "${BEGIN}RSA PRIVATE KEY-----\\n<paste here>\\n"}`,
      ],
    }),
  },
  {
    id: 'private-key-concatenated',
    ruleId: 'secret-private-key',
    description: 'Private key (PEM split over string concatenation)',
    keywords: ['-----BEGIN'],
    exactCase: true,
    pattern: new RegExp(
      `-----BEGIN (?<label>${LABELS})-----(?:\\\\r)?(?:\\\\n)?["'\`]\\s*(?:[+.,]|\\|\\||&)?\\s*\\\\?\\s*(?:\\r?\\n)?\\s*[+.]?\\s*["'\`][A-Za-z0-9+/=]{20,}`,
      'g',
    ),
    window: { before: 0, after: 600, multiline: true },
    examples: () => ({
      positive: [
        `const key = "${BEGIN}RSA PRIVATE KEY-----\\n" +\n  "MIIEpAIBAAKCAQEA${rand(BASE64, 48)}\\n" +\n  "${rand(BASE64, 64)}\\n";`,
        `KEY = ("${BEGIN}PRIVATE KEY-----\\n"\n       "MIIEvQIBADANBgkq${rand(BASE64, 48)}\\n")`,
        `$key = '${BEGIN}EC PRIVATE KEY-----' . "\\n" .\n  '${rand(BASE64, 64)}';`.replace(
          `' . "\\n" .`,
          `' .`,
        ),
      ],
      negative: [
        `const header = "${BEGIN}RSA PRIVATE KEY-----\\n" + body + "-----END RSA PRIVATE KEY-----";`,
        `label = "${BEGIN}PUBLIC KEY-----" +\n  "${rand(BASE64, 64)}"`,
      ],
    }),
  },
  {
    id: 'private-key-base64',
    ruleId: 'secret-private-key',
    description: 'Private key (base64-encoded PEM)',
    keywords: ['LS0tLS1CRUdJTi'],
    exactCase: true,
    pattern: /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{60,}/g,
    window: { before: 0, after: 8192 },
    check: (secret) =>
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/.test(
        decodeBase64(secret.slice(0, 120).replace(/=+$/, '').slice(0, 112)),
      )
        ? 'ok'
        : 'reject',
    examples: () => ({
      positive: [
        `TLS_KEY=${base64Of(pemOf('RSA PRIVATE KEY'))}`,
        `  tls.key: ${base64Of(pemOf('PRIVATE KEY'))}`,
      ],
      negative: [`  tls.crt: ${base64Of(pemOf('CERTIFICATE'))}`, `pub: ${base64Of(pemOf('PUBLIC KEY'))}`],
    }),
  },
  {
    id: 'private-key-putty',
    ruleId: 'secret-private-key',
    description: 'PuTTY private key (.ppk)',
    keywords: ['PuTTY-User-Key-File-'],
    exactCase: true,
    pattern:
      /PuTTY-User-Key-File-[23]: [\w-]+\r?\n[\s\S]{0,2000}?Private-Lines: \d+\r?\n(?<secret>[A-Za-z0-9+/=]{20,})/g,
    window: { before: 0, after: 4000, multiline: true },
    examples: () => ({
      positive: [
        `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\n${rand(BASE64, 64)}\n${rand(BASE64, 20)}\nPrivate-Lines: 1\n${rand(BASE64, 44)}\nPrivate-MAC: ${rand('0123456789abcdef', 64)}\n`,
        `PuTTY-User-Key-File-2: ssh-rsa\r\nEncryption: none\r\nComment: deploy\r\nPublic-Lines: 1\r\n${rand(BASE64, 64)}\r\nPrivate-Lines: 1\r\n${rand(BASE64, 64)}\r\n`,
      ],
      negative: [
        'PuTTY-User-Key-File-3: ssh-ed25519 is the first line of a .ppk file',
        'PuTTY-User-Key-File-2: ssh-rsa\nPublic-Lines: 1\nAAAA\n',
      ],
    }),
  },
  {
    id: 'age-secret-key',
    ruleId: 'secret-private-key',
    description: 'age encryption secret key',
    keywords: ['AGE-SECRET-KEY-1'],
    exactCase: true,
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/g,
    examples: () => ({
      positive: [
        `AGE-SECRET-KEY-1${rand('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`,
        `SOPS_AGE_KEY=AGE-SECRET-KEY-1${rand('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`,
      ],
      negative: ['AGE-SECRET-KEY-1...', `AGE-SECRET-KEY-1${rand('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 20)}`],
    }),
  },
];
