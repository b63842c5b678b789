import { summaryMarkdown } from '../../../actions/security-scan/src/report.js';
import { toSarif } from '../../../actions/security-scan/src/sarif.js';
import {
  isScannableSource,
  scanCode,
  scanCodeFiles,
} from '../../../actions/security-scan/src/scanners/code.js';

/** ncc's runtime, spelled in two pieces so that this test file does not look like a bundle itself. */
const NCC_RUNTIME = 'function __nccwpck' + '_require__(moduleId) {}';

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
        file('dist/index.js', NCC_RUNTIME),
        file('dist/37.index.js', 'export const modules = {\n/***/ 37:\n/***/ ((module) => {})};'),
      ].some(isScannableSource),
    ).toBe(false);
  });

  it('lists files that do not parse instead of skipping them silently', () => {
    const result = scanCodeFiles([
      { path: 'src/broken.js', text: 'const q = req.query.x;\nthis is not { javascript' },
      { path: 'src/fine.js', text: 'const q = req.query.x;' },
    ]);
    expect(result.unparsable.map((file) => file.file)).toEqual(['src/broken.js']);
    expect(result.unparsable[0]!.reason).toMatch(/\(\d+:\d+\)/);
  });

  it('lists the JS/TS files it does not read (minified, bundles, too large) with the reason', () => {
    const sink = 'eval(req.query.x);\n';
    const result = scanCodeFiles([
      { path: 'web/app.min.js', text: sink },
      { path: 'dist/index.js', text: `${NCC_RUNTIME}\n${sink}` },
      { path: 'dist/bundle.js', text: `/******/ (() => {})();\n${sink}` },
      { path: 'src/huge.js', text: sink + ' '.repeat(600 * 1024) },
      // 40 KiB on 2 lines: minified; the same code on 1,000 lines is read.
      { path: 'web/vendor.js', text: `${'a=1;'.repeat(10 * 1024)}\n${sink.trim()}` },
      { path: 'web/long.js', text: `${'a=1;\n'.repeat(8 * 1024)}${sink}` },
      { path: 'web/quiet.js', text: 'a=1;'.repeat(10 * 1024) },
      { path: 'src/app.js', text: sink },
      { path: 'node_modules/x/index.js', text: sink },
      { path: 'types/x.d.ts', text: sink },
      { path: 'README.md', text: sink },
    ]);
    expect(result.skipped.map(({ file, reason }) => `${file}: ${reason}`)).toEqual([
      'web/app.min.js: minified (.min.js)',
      'dist/index.js: a bundle (webpack/ncc output); its sources are scanned where they live',
      'dist/bundle.js: a bundle (webpack/ncc output); its sources are scanned where they live',
      'src/huge.js: larger than 512 KiB (600 KiB)',
      // Listed only when it holds words a rule looks for (web/quiet.js has none: nothing is lost).
      'web/vendor.js: minified (lines of 20490 characters on average): generated code, not parsed',
    ]);
    expect(result.findings.map((finding) => finding.file)).toEqual(['web/long.js', 'src/app.js']);
  });

  it('reads NestJS decorators, TypeScript in .js files and JSX in .js files', () => {
    const nest = [
      "import { exec } from 'child_process';",
      '@Controller()',
      'export class ToolsController {',
      "  @Get('ping')",
      "  ping(@Query('host') host: string) {",
      '    exec(`ping -c 1 ${host}`);',
      '  }',
      '}',
    ].join('\n');
    expect(rules(nest, 'src/tools.controller.ts')).toEqual(['code-command-injection:6']);
    expect(rules(nest, 'src/tools.controller.js')).toEqual(['code-command-injection:6']);
    const typedJs =
      "import { exec } from 'child_process';\nexport function run(req: Request): void {\n  exec('ls ' + req.query.dir);\n}";
    expect(rules(typedJs, 'lib/run.js')).toEqual(['code-command-injection:3']);
    const jsx = 'export const A = () => <div onClick={() => eval(location.hash)} />;';
    expect(rules(jsx, 'src/a.js')).toEqual(['code-eval:1']);
    expect(scanCodeFiles([{ path: 'src/tools.controller.js', text: nest }]).unparsable).toEqual([]);
  });

  it('resolves names by scope: a variable named query is SQL only where it holds SQL', () => {
    const text = [
      'function search(db, term) {',
      "  const query = 'SELECT * FROM items WHERE name = ' + term;",
      '  return db.query(query);',
      '}',
      'function other(db, client) {',
      "  const query = 'status';",
      '  db.run(query);',
      '  return client.get(query);',
      '}',
      'function third(db) {',
      '  return db.query(query);', // the global, not search()'s
      '}',
    ].join('\n');
    expect(rules(text)).toEqual(['code-sql-injection:3']);
  });

  it('follows taint through destructuring, returns, arguments, string methods and callbacks', () => {
    const text = [
      "import { exec } from 'child_process';",
      'function normalise(value) { return value.trim().toLowerCase(); }',
      'function run(command) { exec(command); }',
      "app.get('/', (req, res) => {",
      '  const { dir } = req.query;',
      '  const target = normalise(dir);',
      '  run(`ls ${target}`);',
      "  [req.body.a].forEach((item) => exec('echo ' + item));",
      '});',
    ].join('\n');
    const findings = scanCode([{ path: 'src/a.js', text }]);
    expect(findings.map((finding) => `${finding.ruleId}:${finding.line}`)).toEqual([
      'code-command-injection:3',
      'code-command-injection:8',
    ]);
    const [viaFunctions] = findings;
    expect(viaFunctions!.message).toContain('req.query');
    // source, into dir, into normalise's parameter, returned, into target, into run's parameter, the sink
    expect(viaFunctions!.flow!.map((step) => step.line)).toEqual([5, 5, 2, 6, 6, 3, 3]);
    expect(viaFunctions!.flow![0]!.message).toBe('source: req.query');
    expect(viaFunctions!.flow!.at(-1)!.message).toMatch(/^sink: /);
  });

  it.each([
    ['Express', "app.get('/', (req, res) => { exec('ls ' + req.query.d); });"],
    ['Express req.get()', "app.get('/', (req, res) => { exec('ls ' + req.get('x-dir')); });"],
    ['Koa ctx.request.body', "router.post('/', async (ctx) => { exec('ls ' + ctx.request.body.d); });"],
    ['Fastify', "fastify.post('/', async (request, reply) => { exec('ls ' + request.body.d); });"],
    ['Hapi payload', "server.route({ handler: (request, h) => { exec('ls ' + request.payload.d); } });"],
    ['Next.js API route', 'export default function handler(req, res) { exec(`ls ${req.query.d}`); }'],
    [
      'Next.js route handler',
      'export async function POST(request) { const body = await request.json(); exec(`ls ${body.d}`); }',
    ],
    [
      'Next.js searchParams',
      "export async function GET(request) { exec('ls ' + request.nextUrl.searchParams.get('d')); }",
    ],
    ['NestJS @Body()', 'class C { run(@Body() dto) { exec(`ls ${dto.d}`); } }'],
    ['Lambda', "export const handler = async (event) => { exec('ls ' + JSON.parse(event.body).d); };"],
    ['process.argv', "exec('ls ' + process.argv[2]);"],
  ])('recognises %s input', (_framework, handler) => {
    const text = `import { exec } from 'child_process';\n${handler}`;
    // Named as user input with a path, not merely as a concatenation of unknown origin.
    const findings = scanCode([{ path: 'src/handler.ts', text }]);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['code-command-injection']);
    expect(findings[0]!.message).toMatch(/receives .+ \(user input, line 2\)/);
    expect(findings[0]!.flow!.length).toBeGreaterThan(1);
  });

  it('lists unparsable files in the job summary', () => {
    const summary = summaryMarkdown({
      findings: [],
      suppressed: 0,
      filesScanned: 3,
      scanners: ['code'],
      failOn: 'high',
      failed: false,
      durationMs: 10,
      notes: [],
      pathPrefix: 'web/',
      unparsable: [{ file: 'src/b.js', reason: 'Unexpected token (1:5)' }],
    });
    expect(summary).toContain('### Files the code scanner could not parse (1)');
    expect(summary).toContain('- `web/src/b.js`: Unexpected token (1:5)');
    expect(
      summaryMarkdown({
        findings: [],
        suppressed: 0,
        filesScanned: 3,
        scanners: ['code'],
        failOn: 'high',
        failed: false,
        durationMs: 10,
        notes: [],
        pathPrefix: '',
      }),
    ).not.toContain('could not parse');
  });

  it('puts taint paths in SARIF codeFlows and unparsable files in tool notifications', () => {
    const findings = scanCode([
      { path: 'src/a.js', text: "app.get('/', (req, res) => { res.send('<p>' + req.query.q); });" },
    ]);
    const sarif = toSarif(findings, {
      toolVersion: '0',
      pathPrefix: 'web/',
      unparsable: [{ file: 'src/b.js', reason: 'Unexpected token (1:5)' }],
    });
    const run = sarif.runs[0]!;
    const flow = run.results![0]!.codeFlows![0]!.threadFlows[0]!.locations;
    expect(flow.map((step) => step.kinds)).toEqual([['source'], ['sink']]);
    expect(flow[0]!.location!.physicalLocation!.artifactLocation!.uri).toBe('web/src/a.js');
    expect(run.tool.driver.rules![0]!.properties!.tags).toEqual([
      'security',
      'code',
      'external/cwe/cwe-79',
      'owasp-a03',
    ]);
    const notification = run.invocations![0]!.toolExecutionNotifications![0]!;
    expect(notification.level).toBe('warning');
    expect(notification.message.text).toContain('web/src/b.js could not be parsed');
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
