import { isScannableSource, scanCode } from '../../../actions/security-scan/src/scanners/code.js';

function rules(text: string, path = 'src/a.ts'): string[] {
  return scanCode([{ path, text }]).map((finding) => `${finding.ruleId}:${finding.line}`);
}

describe('code scanner', () => {
  it('reads JS/TS sources but not declarations, minified files, node_modules or bundles', () => {
    const file = (path: string, text = 'x') => ({ path, text });
    expect(
      [file('a.ts'), file('b.mjs'), file('c.tsx'), file('d.cjs'), file('e.jsx')].every(isScannableSource),
    ).toBe(true);
    expect(
      [
        file('a.d.ts'),
        file('a.min.js'),
        file('node_modules/x/a.js'),
        file('a.py'),
        file('dist/index.js', 'var __nccwpck_require__ = 1;'),
      ].some(isScannableSource),
    ).toBe(false);
  });

  it('skips files that do not parse', () => {
    expect(rules('this is not { javascript')).toEqual([]);
  });

  describe('code-eval', () => {
    it('flags eval and new Function on run-time strings', () => {
      expect(
        rules('eval(userInput);\nconst f = new Function("a", body);\nFunction(`return ${x}`)();'),
      ).toEqual(['code-eval:1', 'code-eval:2', 'code-eval:3']);
    });
    it('accepts constant strings and methods named eval', () => {
      expect(
        rules('eval("1 + 1");\nnew Function("a", "return a");\nredis.eval(script);\nthis.eval(x);'),
      ).toEqual([]);
    });
  });

  describe('code-command-injection', () => {
    it('flags exec/execSync from child_process with templates or concatenation', () => {
      const esm =
        "import { exec as run, execSync } from 'node:child_process';\nrun(`ls ${dir}`);\nexecSync('rm -rf ' + path);";
      expect(rules(esm)).toEqual(['code-command-injection:2', 'code-command-injection:3']);
      const cjs =
        "const cp = require('child_process');\ncp.exec(`git log ${ref}`);\nrequire('child_process').execSync('x ' + y);";
      expect(rules(cjs, 'a.js')).toEqual(['code-command-injection:2', 'code-command-injection:3']);
    });
    it('follows promisify(exec)', () => {
      const text =
        "import { promisify } from 'node:util';\nimport * as cp from 'node:child_process';\nimport { exec } from 'node:child_process';\nconst run = promisify(exec);\nconst sh = promisify(cp.exec);\nawait run(`tar xf ${file}`);\nawait sh('ls ' + dir);";
      expect(rules(text)).toEqual(['code-command-injection:6', 'code-command-injection:7']);
    });
    it('accepts constant commands, execFile with arrays, and exec methods of other objects', () => {
      const text =
        "import * as cp from 'child_process';\ncp.exec('ls -la');\ncp.execFile('git', ['log', ref]);\nregex.exec(`${a}`);\nconst { exec } = require('./db');\nexec(`x ${y}`);";
      expect(rules(text)).toEqual([]);
    });
  });

  describe('code-sql-injection', () => {
    it('flags SQL built by template or concatenation passed to query-like methods', () => {
      const text = [
        'db.query(`SELECT * FROM users WHERE id = ${id}`);',
        "pool.query('DELETE FROM sessions WHERE user = ' + user);",
        "const sql = 'UPDATE accounts SET balance = ' + amount + ' WHERE id = ' + id;",
        'await conn.execute(sql);',
        'db.prepare(`INSERT INTO t (a) VALUES (${a})`).run();',
        'prisma.$queryRawUnsafe(`SELECT * FROM x WHERE y = ${y}`);',
      ].join('\n');
      expect(rules(text)).toEqual([
        'code-sql-injection:1',
        'code-sql-injection:2',
        'code-sql-injection:4',
        'code-sql-injection:5',
        'code-sql-injection:6',
      ]);
    });
    it('accepts placeholders, tagged templates, constant SQL, and non-SQL templates', () => {
      const text = [
        "db.query('SELECT * FROM users WHERE id = $1', [id]);",
        'sql`SELECT * FROM users WHERE id = ${id}`;',
        'db.query(`SELECT * FROM users`);',
        'cache.get(`user:${id}`);',
        'db.exec(`PRAGMA journal_mode = WAL`);',
        'logger.run(`Selected ${n} rows from the list`);',
      ].join('\n');
      expect(rules(text)).toEqual([]);
    });
  });

  describe('code-tls-disabled', () => {
    it('flags rejectUnauthorized: false and NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
      const text =
        "new https.Agent({ rejectUnauthorized: false });\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\nagent.options.rejectUnauthorized = false;\nconst o = { 'rejectUnauthorized': false, host: 'api.example.com' };";
      expect(rules(text)).toEqual([
        'code-tls-disabled:1',
        'code-tls-disabled:2',
        'code-tls-disabled:3',
        'code-tls-disabled:4',
      ]);
    });
    it('accepts verification on, and loopback probes of our own process', () => {
      const text =
        "new https.Agent({ rejectUnauthorized: true });\nrequest({ host: '127.0.0.1', port, rejectUnauthorized: false });\nrequest({ hostname: 'localhost', rejectUnauthorized: false });";
      expect(rules(text)).toEqual([]);
    });
  });

  describe('code-insecure-random', () => {
    it('flags Math.random flowing into token-like names', () => {
      const text = [
        'const resetToken = Math.random().toString(36);',
        'this.sessionToken = Math.random();',
        'const user = { apiKey: Math.random().toString(16).slice(2) };',
        'function generateToken() { return Math.floor(Math.random() * 1e9).toString(); }',
        'const makeNonce = () => Math.random().toString(36);',
      ].join('\n');
      expect(rules(text)).toEqual([
        'code-insecure-random:1',
        'code-insecure-random:2',
        'code-insecure-random:3',
        'code-insecure-random:4',
        'code-insecure-random:5',
      ]);
    });
    it('accepts Math.random for jitter, sampling and ids of no value', () => {
      const text = [
        'const jitter = Math.random() * 100;',
        'function pickColour() { return colours[Math.floor(Math.random() * colours.length)]; }',
        'function tokenize(s) { const delay = Math.random(); return s.split(" "); }',
        'if (Math.random() < 0.1) sample();',
      ].join('\n');
      expect(rules(text)).toEqual([]);
    });
  });

  it('code-csrf-disabled: flags csrf: false, accepts csrf: true', () => {
    expect(rules('app.use(lusca({ csrf: false }));\nconst opts = { csrfProtection: false };')).toEqual([
      'code-csrf-disabled:1',
      'code-csrf-disabled:2',
    ]);
    expect(rules('app.use(lusca({ csrf: true }));\nconst csrf = false;')).toEqual([]);
  });

  it('code-jwt-none: flags the none algorithm, accepts real algorithms', () => {
    expect(
      rules("jwt.verify(t, k, { algorithms: ['none'] });\njwt.sign(p, '', { algorithm: 'none' });"),
    ).toEqual(['code-jwt-none:1', 'code-jwt-none:2']);
    expect(
      rules("jwt.verify(t, k, { algorithms: ['HS256'] });\nconst mode = { algorithm: 'sha256' };"),
    ).toEqual([]);
  });

  it('parses TSX and JSX', () => {
    expect(rules('export const A = () => <div onClick={() => eval(code)} />;', 'a.tsx')).toEqual([
      'code-eval:1',
    ]);
    expect(rules('const el = <a>{eval(x)}</a>;', 'a.jsx')).toEqual(['code-eval:1']);
  });
});
