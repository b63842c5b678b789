import { scanSecrets } from '../../../actions/security-scan/src/scanners/secrets.js';
import { ALNUM, DIGITS, rand, withChecksum } from '../../../actions/security-scan/src/secrets/fake.js';

// Built at run time from pieces so this file itself holds no secret-shaped literal.
const GITHUB_TOKEN = `${['gh', 'p_'].join('')}${withChecksum(36)}`;
const AWS_KEY_ID = ['AKIA', 'Q3EGRTZ7VWXHKPLM'].join('');
const SLACK_TOKEN = ['xoxb', rand(DIGITS, 12), rand(DIGITS, 13), rand(ALNUM, 24)].join('-');
const PEM = ['-----BEGIN RSA PRIVATE', 'KEY-----'].join(' ');

describe('secrets scanner', () => {
  it('finds provider tokens with family rule ids and the token kind as an alias, masking them', async () => {
    const findings = await scanSecrets([
      {
        path: 'config.js',
        text: `const a = 1;\nconst token = "${GITHUB_TOKEN}";\nslack = "${SLACK_TOKEN}"\n`,
      },
    ]);
    expect(
      findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.column}:${finding.severity}`),
    ).toEqual(['secret-github:2:16:critical', 'secret-slack:3:10:critical']);
    expect(findings.map((finding) => finding.aliases)).toEqual([
      ['secret-github-pat-classic'],
      ['secret-slack-bot-token'],
    ]);
    for (const finding of findings) {
      expect(finding.message).toMatch(/committed: \w{4}\*\*\*$/);
      expect(finding.message).not.toContain(GITHUB_TOKEN.slice(4, 12));
    }
  });

  it('finds AWS access key ids and PEM private keys, plain and JSON-escaped', async () => {
    const text = `aws_access_key_id = ${AWS_KEY_ID}\n\n"key": "${PEM}\\nMIIEowIBAAKCAQEA7yvHnYeLh0aK1b2c3d4e5f6g7h8"\n${PEM}\nMIIEowIBAAKCAQEA7yvHnYeLh0aK1b2c3d4e5f6g7h8\n`;
    const findings = await scanSecrets([{ path: '.aws/credentials', text }]);
    expect(findings.map((finding) => `${finding.ruleId}:${finding.line}`)).toEqual([
      'secret-aws-access-key-id:1',
      'secret-private-key:3',
      'secret-private-key:4',
    ]);
    expect(findings[0]!.message).toBe('AWS access key id committed: AKIA***');
  });

  it('reports a token whose checksum fails as low, saying why', async () => {
    const body = withChecksum(36);
    const altered = `${body.slice(0, 30)}${body[30] === '0' ? '1' : '0'}${body.slice(31)}`;
    const findings = await scanSecrets([
      { path: 'src/a.js', text: `t = "${['gh', 'p_'].join('')}${altered}"` },
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(['low']);
    expect(findings[0]!.message).toMatch(/checksum does not verify/);
  });

  it('accepts AWS documentation examples, prose mentions of PEM headers and lockfile hashes', async () => {
    const text = `key = AKIAIOSFODNN7EXAMPLE\nThe file starts with ${PEM} and then the key.\n`;
    const lock = `{ "integrity": "sha512-${'A'.repeat(86)}==", "token": "${rand(ALNUM, 40)}" }`;
    const findings = await scanSecrets([
      { path: 'docs/aws.md', text },
      { path: 'package-lock.json', text: lock },
    ]);
    expect(findings).toEqual([]);
  });

  it('still finds a specific token in a lockfile (a credential in a resolved URL), not generic pairs', async () => {
    const npmToken = `${['np', 'm_'].join('')}${withChecksum(36)}`;
    const lock = `{ "resolved": "https://r.acme-corp.io/a.tgz?token=${npmToken}", "password": "${rand(ALNUM, 20)}1" }`;
    const findings = await scanSecrets([{ path: 'package-lock.json', text: lock }]);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['secret-npm']);
  });

  it('runs only specific rules over minified code', async () => {
    const minified = `var a={password:"${rand(ALNUM, 14)}9",k:"${GITHUB_TOKEN}"};${'x=1;'.repeat(2000)}`;
    const findings = await scanSecrets([{ path: 'dist/app.js', text: minified }]);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['secret-github']);
  });

  it('skips text decoded from binary content', async () => {
    const binary = `${'\uFFFD'.repeat(400)}${GITHUB_TOKEN}${'\uFFFD\u0001'.repeat(400)}`;
    expect(await scanSecrets([{ path: 'assets/logo.png', text: binary }])).toEqual([]);
  });
});

describe('secrets scanner precision', () => {
  const url = (host: string): string => `const url = "https://deploy:${'S3cr3tPassw0rd'}@${host}/hook";\n`;

  it('skips credential URLs for hosts that cannot exist (loopback, .test, example.com)', async () => {
    const files = ['127.0.0.1', 'localhost', 'app.test', 'api.example.com', 'svc.example'].map(
      (host, index) => ({
        path: `src/c${index}.js`,
        text: url(host),
      }),
    );
    expect(await scanSecrets(files)).toEqual([]);
  });

  it('reports credential URLs for real hosts', async () => {
    const findings = await scanSecrets([{ path: 'src/c.js', text: url('hooks.acme-corp.io') }]);
    expect(findings.map((finding) => `${finding.ruleId}:${finding.severity}`)).toEqual([
      'secret-basicauth:critical',
    ]);
    expect(findings[0]!.message).not.toContain('S3cr3t');
  });

  it('lowers secrets in test files to medium, saying so', async () => {
    const findings = await scanSecrets([
      { path: 'test/unit/a.test.ts', text: `const t = "${GITHUB_TOKEN}";\n` },
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(['medium']);
    expect(findings[0]!.message).toMatch(/in a test file/);
  });
});

describe('secret-env-file', () => {
  const env = [
    '# local settings',
    'NODE_ENV=production',
    `DB_PASSWORD="${'Tr0ub4dor&3x'}"`,
    'API_KEY=changeme',
    'SESSION_SECRET=',
    `export STRIPE_API_KEY=${'sk9f8e7d6c5b4a'}`,
  ].join('\n');

  it('flags secret-named keys with real-looking values in committed .env files, masked', async () => {
    const findings = await scanSecrets([{ path: 'services/api/.env.production', text: env }]);
    expect(findings.map((finding) => `${finding.ruleId}:${finding.line}`)).toEqual([
      'secret-env-file:3',
      'secret-env-file:6',
    ]);
    expect(findings[0]!.message).toBe('DB_PASSWORD is set in a committed env file: Tr0u***');
  });

  it('accepts templates (.env.example) and placeholder values', async () => {
    expect(await scanSecrets([{ path: '.env.example', text: env }])).toEqual([]);
    expect(
      await scanSecrets([{ path: '.env', text: 'API_KEY=<your key>\nTOKEN=${TOKEN}\nSECRET=changeme\n' }]),
    ).toEqual([]);
  });
});
