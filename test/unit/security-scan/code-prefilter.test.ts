// The code scanner's one-pass prefilter (keyword automaton + checks at each hit) must let through exactly
// the files the plain definition (one regex or includes() per word family, over the whole text) lets
// through: a file it wrongly drops is never parsed, and its findings are lost without a word.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { mayHaveFindings } from '../../../actions/security-scan/src/scanners/code/prefilter.js';

/** The plain definition the automaton replaced. */
const REQUEST_WORDS =
  /(?:req|request|ctx|context|httpRequest)\.(?:query|params|body|payload|headers|cookies|signedCookies|url|originalUrl|path|querystring|search|href|nextUrl|searchParams|files?|rawBody|get|header|param|json|text|formData|request|req|raw)\b/;
const OTHER_SOURCE_WORDS =
  /location\.(?:hash|search|href|pathname)|[(+]\s*(?:window\.|document\.)?location\s*[)+;,]|document\.(?:URL|documentURI|baseURI|referrer|cookie)|window\.name|process\.argv|Deno\.args|@(?:Query|Body|Param|Headers|Cookies|Req|Request|UploadedFiles?)\(|searchParams|(?:event|evt)\.(?:body|queryStringParameters|pathParameters|multiValue|headers|rawPath|rawQueryString|cookies)|addEventListener\(\s*['"`]message|onmessage|=\s*(?:req|request|ctx)\s*[;,\n]/;
const STRONG_SINK_WORDS =
  /\beval\s*[(),]|\bFunction\s*\(|child_process|shelljs|execa|Deno\.(run|Command)|['"](node:)?vm2?['"]|\$where|set(Timeout|Interval)\(\s*['"`]/;
const SQL_WORDS =
  /['"`]\s*(select|insert\s+into|update|delete\s+from|replace\s+into|merge\s+into|with\s+\w+\s+as)\s|\bwhere\s+\w+\s*(=|like|in)\s*['"(]?['"`]\s*\+/i;
const SETTINGS_WORDS = [
  'rejectUnauthorized',
  'NODE_TLS',
  'strictSSL',
  'checkServerIdentity',
  'secureProtocol',
  'postMessage(',
  'noent',
  'dtdload',
  'resolveExternalEntities',
  'expandEntities',
  'node-serialize',
  'unserialize',
  'serialize-to-js',
  'funcster',
  'cryo',
  'unsafeLoad',
  'FULL_SCHEMA',
  'js-yaml',
  'jsonwebtoken',
  'jws',
  'ccess-Control-Allow-Origin',
  'ccess-control-allow-origin',
];
const SETTINGS_VALUES: readonly [string, RegExp][] = [
  ['minVersion', /minVersion\s*:\s*['"`](?:SSL|TLSv1['"`.])/],
  ['srf', /(?:csrf|xsrf|CSRF|XSRF)\w*['"]?\s*:\s*false/],
  ['credentials', /credentials\s*:\s*true/],
  ['autoescape', /autoescape\s*:\s*false/],
  ['noEscape', /noEscape\s*:\s*true/],
  ['lgorithm', /algorithms?['"]?\s*:[^\n]{0,80}['"`][Nn]one['"`]/],
];
const TOKEN_WORDS = /token|secret|passw|nonce|salt|session|key|otp|csrf|credential|code|verification|invite/i;
const CREDENTIAL_WORDS = /auth|passw|token|api_?key|secret|cookie|credential/i;

function plainDefinition(text: string): boolean {
  return (
    REQUEST_WORDS.test(text) ||
    OTHER_SOURCE_WORDS.test(text) ||
    STRONG_SINK_WORDS.test(text) ||
    SQL_WORDS.test(text) ||
    SETTINGS_WORDS.some((word) => text.includes(word)) ||
    SETTINGS_VALUES.some(([word, pattern]) => text.includes(word) && pattern.test(text)) ||
    (text.includes('Math.random') && TOKEN_WORDS.test(text)) ||
    ((/['"`](http|ws):\/\/(?!localhost|127\.|\[::1\])/.test(text) || /\bhttp\.(request|get)\(/.test(text)) &&
      (CREDENTIAL_WORDS.test(text) || /:\/\/[^/\s'"@]+:[^/\s'"@]+@/.test(text)))
  );
}

/** One text per alternative of the definition, each with a look-alike that must not pass. */
const PASSING: readonly string[] = [
  'x = req.query.id',
  'x = httpRequest.params',
  'x = ctx.request',
  'x = context.body',
  'x = myreq.body',
  'const r =\n  req;',
  'const r = request,',
  'a === ctx\n',
  'x(location.hash)',
  'f( window.location )',
  "'' + document.location;",
  'document.referrer',
  'window.name',
  'process.argv',
  'Deno.args',
  'h(@Query() q) {}',
  'h(@UploadedFiles() f) {}',
  'u.searchParams',
  'evt.rawQueryString',
  'event.multiValueHeaders',
  "addEventListener( 'message', f)",
  'w.onmessage = f',
  'eval (x)',
  'new Function (a)',
  "require('child_process')",
  "import 'shelljs'",
  'execa(x)',
  'Deno.Command',
  'require("node:vm2")',
  '{ $where: f }',
  'setInterval( `x`)',
  "q = 'SELECT a from b'",
  'q = "  Insert  Into t"',
  'q = `with x as (`',
  "q = 'delete\tfrom t'",
  "sql = ' where id = \"' + id",
  "sql = 'WHERE id IN (' + '",
  'rejectUnauthorized',
  "h.set('Access-Control-Allow-Origin', o)",
  "h['access-control-allow-origin'] = o",
  'jws.verify(a)',
  "{ minVersion: 'TLSv1' }",
  '{ xsrfProtection: false }',
  '{ credentials: true }',
  "{ algorithms: ['HS256', 'none'] }",
  'const token = Math.random()',
  "fetch('http://api.example.com', { headers: { Authorization: a } })",
  "const u = 'ws://user:pw@host/'",
  'http.get(u); // cookie',
];
const FAILING: readonly string[] = [
  'x = Request.query',
  'x = req.queryx',
  'const r = require("x");',
  'const r = requests;',
  'locations.hash',
  'document.title',
  'windows.name',
  '@Queries() q',
  'eventually.body',
  'retrieval(x)',
  'function (a) {}',
  "require('vm-browserify')",
  'setTimeout(f, 1)',
  "q = 'selected items'",
  "x.replace('a', b)",
  'with (x) {}',
  'where x = y',
  'access_control_allow_origin',
  '{ minVersion: TLS }',
  '{ CSRF: true }',
  '{ credentials: false }',
  'const n = Math.random()',
  "fetch('http://localhost:3000', { headers: { Authorization: a } })",
  "fetch('http://api.example.com')",
  'https.get(u); // cookie',
];

/** Real sources: this repository's and some packages' (a few hundred files of every style). */
function realSources(): string[] {
  const texts: string[] = [];
  const visit = (directory: string, limit: number): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (texts.length >= limit) return;
      const path = join(directory, entry.name);
      if (entry.isDirectory() && entry.name !== 'dist') visit(path, limit);
      else if (entry.isFile() && /\.[cm]?[jt]sx?$/.test(entry.name)) texts.push(readFileSync(path, 'utf8'));
    }
  };
  const root = join(import.meta.dirname, '..', '..', '..');
  visit(join(root, 'actions'), 400);
  // Packages of the lockfile; one that a dependency update drops is left out rather than failing the test.
  for (const pkg of ['undici', 'pg', 'handlebars', 'yaml', 'semver', 'ajv'])
    if (existsSync(join(root, 'node_modules', pkg)))
      visit(join(root, 'node_modules', pkg), texts.length + 150);
  return texts;
}

describe('code scanner prefilter', () => {
  it.each(PASSING)('lets %j through, as the plain definition does', (text) => {
    expect(plainDefinition(text)).toBe(true);
    expect(mayHaveFindings(text)).toBe(true);
  });

  it.each(FAILING)('drops %j, as the plain definition does', (text) => {
    expect(plainDefinition(text)).toBe(false);
    expect(mayHaveFindings(text)).toBe(false);
  });

  it('agrees with the plain definition on real sources, both ways', () => {
    const texts = realSources();
    expect(texts.length).toBeGreaterThan(300);
    const disagreements = texts.filter((text) => mayHaveFindings(text) !== plainDefinition(text));
    expect(disagreements.map((text) => text.slice(0, 80))).toEqual([]);
    // Both outcomes occur, so the comparison says something.
    expect(texts.some((text) => plainDefinition(text))).toBe(true);
    expect(texts.some((text) => !plainDefinition(text))).toBe(true);
  });
});
