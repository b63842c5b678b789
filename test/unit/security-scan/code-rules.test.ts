// Each code rule with positive examples (every sink form the rule names) and negative ones (the safe
// forms and look-alikes). A positive must produce the rule; a negative must produce no finding of it.
import { scanCode } from '../../../actions/security-scan/src/scanners/code.js';

function ruleIds(text: string, path = 'src/app.ts'): string[] {
  return scanCode([{ path, text }]).map((finding) => finding.ruleId);
}

const EXPRESS = "import express from 'express';\nconst app = express();\n";

interface RuleExamples {
  positive: Record<string, string>;
  negative: Record<string, string>;
}

const EXAMPLES: Record<string, RuleExamples> = {
  'code-command-injection': {
    positive: {
      'exec of a query value':
        "const { exec } = require('child_process');\napp.get('/', (req, res) => { exec('ls ' + req.query.dir); });",
      'execSync through a variable':
        "import { execSync } from 'node:child_process';\nfunction h(req) { const name = req.body.name; const cmd = `convert ${name}`; execSync(cmd); }",
      'spawn with shell: true':
        "import { spawn } from 'child_process';\nfunction h(req) { spawn('git', ['log', req.query.ref], { shell: true }); }",
      'spawnSync with a tainted program':
        "const cp = require('node:child_process');\nfunction h(req) { cp.spawnSync(req.params.tool, []); }",
      'spawn through sh -c':
        "import * as cp from 'child_process';\nfunction h(req) { cp.spawn('sh', ['-c', req.query.cmd]); }",
      'execFile with a tainted program':
        "import { execFile } from 'child_process';\nfunction h(req) { execFile(req.body.bin, ['--version']); }",
      'promisified exec':
        "import { promisify } from 'util';\nimport { exec } from 'child_process';\nconst run = promisify(exec);\nasync function h(req) { await run(`tar xf ${req.query.file}`); }",
      shelljs: "const shell = require('shelljs');\nfunction h(req) { shell.exec('rm ' + req.query.path); }",
      'execa with a shell':
        "import { execa } from 'execa';\nasync function h(req) { await execa('echo', [req.query.msg], { shell: true }); }",
      execaCommand:
        "import { execaCommand } from 'execa';\nasync function h(req) { await execaCommand(req.body.line); }",
      'Deno.run': "function h(req) { Deno.run({ cmd: ['bash', '-c', req.query.c] }); }",
      'process.argv into exec':
        "const { execSync } = require('child_process');\nexecSync('git checkout ' + process.argv[2]);",
      'Koa ctx.query':
        "const { exec } = require('child_process');\nrouter.get('/', async (ctx) => { exec(`ping ${ctx.query.host}`); });",
      'Lambda event':
        "const { exec } = require('child_process');\nexports.handler = async (event) => { exec('ls ' + event.queryStringParameters.dir); };",
      'dynamic string without a known source':
        "import { exec } from 'child_process';\nexport function run(dir: string) { exec(`ls ${dir}`); }",
    },
    negative: {
      'execFile with an argument array':
        "import { execFile } from 'child_process';\nfunction h(req) { execFile('git', ['log', req.query.ref]); }",
      'spawn without a shell':
        "import { spawn } from 'child_process';\nfunction h(req) { spawn('ls', [req.query.dir]); }",
      'constant command': "import { exec } from 'child_process';\nexec('ls -la');",
      'exec of another module':
        "const { exec } = require('./db');\nfunction h(req) { exec(`x ${req.query.y}`); }",
      'regex exec': 'function h(req) { /a(b)/.exec(req.query.s); }',
      'numeric conversion':
        "import { exec } from 'child_process';\nfunction h(req) { exec('kill ' + parseInt(req.query.pid, 10)); }",
      'shell: true with constants only':
        "import { spawn } from 'child_process';\nspawn('npm', ['test'], { shell: true });",
    },
  },
  'code-eval': {
    positive: {
      'eval of input': 'function h(req) { eval(req.body.code); }',
      'window.eval': 'const code = location.hash.slice(1);\nwindow.eval(code);',
      'new Function': 'function h(req) { return new Function("a", req.query.body); }',
      'string setTimeout': 'function h(req) { setTimeout("run(" + req.query.x + ")", 10); }',
      'vm.runInNewContext':
        "import vm from 'node:vm';\nfunction h(req) { vm.runInNewContext(req.body.script, {}); }",
      'vm.Script': "const vm = require('vm');\nfunction h(req) { new vm.Script(req.body.src); }",
      vm2: "const { VM } = require('vm2');\nfunction h(req) { new VM().run(req.body.code); }",
      'vm2 instance':
        "import { NodeVM } from 'vm2';\nconst sandbox = new NodeVM();\nfunction h(req) { sandbox.run(req.query.code); }",
      'require of input': 'function h(req) { return require(req.query.plugin); }',
      'eval of a run-time string': 'export function f(userInput: string) { return eval(userInput); }',
    },
    negative: {
      'constant eval': 'eval("1 + 1");',
      'function timers': 'function h(req) { setTimeout(() => console.log(req.query.x), 10); }',
      'methods named eval': 'function h(req) { redis.eval(script, 0, req.query.k); }',
      'vm with constant code': "import vm from 'node:vm';\nvm.runInNewContext('1 + 1', {});",
      'constant require': "const fs = require('fs');",
    },
  },
  'code-template-injection': {
    positive: {
      'pug.compile': "import pug from 'pug';\nfunction h(req) { return pug.compile(req.body.template)(); }",
      'ejs.render':
        "const ejs = require('ejs');\nfunction h(req, res) { res.json(ejs.render(req.query.tpl, {})); }",
      'Handlebars.compile':
        "import Handlebars from 'handlebars';\nfunction h(req) { Handlebars.compile(req.body.t); }",
      'lodash template': "import _ from 'lodash';\nfunction h(req) { _.template(req.query.t)(); }",
    },
    negative: {
      'template text from code, data from input':
        "import pug from 'pug';\nconst page = pug.compile('p Hello #{name}');\nfunction h(req) { return page({ name: req.query.name }); }",
      'render with an escaping template':
        "const ejs = require('ejs');\nfunction h(req) { ejs.render('<p><%= name %></p>', { name: req.query.name }); }",
    },
  },
  'code-sql-injection': {
    positive: {
      'template with input':
        'function h(req) { db.query(`SELECT * FROM users WHERE id = ${req.params.id}`); }',
      'concatenation via variable':
        "function h(req) { const sql = 'DELETE FROM t WHERE id = ' + req.body.id; return pool.query(sql); }",
      '{ sql } object':
        "function h(req) { connection.query({ sql: 'SELECT * FROM a WHERE b = ' + req.query.b }); }",
      '{ text } object (pg)':
        "function h(req) { client.query({ text: `SELECT * FROM a WHERE b = '${req.query.b}'` }); }",
      'knex whereRaw': "function h(req) { knex('users').whereRaw('name = ' + req.query.name); }",
      'prisma $queryRawUnsafe':
        'async function h(req) { await prisma.$queryRawUnsafe(`SELECT * FROM x WHERE y = ${req.query.y}`); }',
      'sequelize.query with input only': 'function h(req) { sequelize.query(req.body.q); }',
      'via a same-file function':
        "function byName(name) { return 'SELECT * FROM users WHERE name = \\'' + name + '\\''; }\nfunction h(req) { db.query(byName(req.query.n)); }",
      'dynamic SQL without a known source': 'db.query(`SELECT * FROM users WHERE id = ${id}`);',
    },
    negative: {
      placeholders: "function h(req) { db.query('SELECT * FROM users WHERE id = $1', [req.params.id]); }",
      '{ sql, values } with placeholders':
        "function h(req) { connection.query({ sql: 'SELECT * FROM a WHERE b = ?', values: [req.query.b] }); }",
      'tagged template': 'function h(req) { return sql`SELECT * FROM users WHERE id = ${req.params.id}`; }',
      'escaped value':
        "function h(req) { db.query('SELECT * FROM t WHERE a = ' + mysql.escape(req.query.a)); }",
      'numeric value': "function h(req) { db.query('SELECT * FROM t WHERE a = ' + Number(req.query.a)); }",
      'cache.get with input': 'function h(req) { return cache.get(`user:${req.params.id}`); }',
      'logger with SQL words':
        'function h(req) { logger.run(`Selected ${req.query.n} rows from the list`); }',
    },
  },
  'code-nosql-injection': {
    positive: {
      'body object as filter':
        'async function login(req) { return User.findOne({ user: req.body.user, pass: req.body.pass }); }',
      'whole query as filter': 'function h(req) { return db.collection("u").find(req.query); }',
      '$where with input':
        "function h(req) { return User.find({ $where: 'this.name == \"' + req.query.name + '\"' }); }",
      'mongoose $where()': 'function h(req) { return User.$where(`this.age > ${req.query.age}`); }',
      'deleteMany with a parsed body':
        'function h(req) { const filter = JSON.parse(req.body.f); return col.deleteMany(filter); }',
    },
    negative: {
      'values cast to strings': 'function h(req) { return User.findOne({ user: String(req.body.user) }); }',
      'route params (always strings)': 'function h(req) { return User.findOne({ _id: req.params.id }); }',
      'typeof check':
        "function h(req) { const name = req.body.name; if (typeof name !== 'string') return; return User.findOne({ name }); }",
      'constant $where': "User.find({ $where: 'this.a > 1' });",
      'array find with a callback':
        'function h(req) { return items.find((item) => item.id === req.query.id); }',
    },
  },
  'code-xss': {
    positive: {
      'res.send of a query value':
        EXPRESS + "app.get('/', (req, res) => { res.send('<h1>Hello ' + req.query.name + '</h1>'); });",
      'res.write': 'http.createServer((req, res) => { res.write(req.url); res.end(); });',
      'chained res.status().send':
        "app.get('/', (req, res) => { res.status(404).send(`Not found: ${req.path}`); });",
      innerHTML:
        "const name = new URLSearchParams(location.search).get('name');\ndocument.getElementById('x').innerHTML = name;",
      outerHTML: "el.outerHTML = '<b>' + location.hash + '</b>';",
      insertAdjacentHTML: "document.body.insertAdjacentHTML('beforeend', decodeURIComponent(location.hash));",
      'document.write': 'document.write(document.URL);',
      'jQuery .html()': "$('#out').html(location.hash.substring(1));",
      dangerouslySetInnerHTML:
        'export default function Page({ searchParams }) { return <div dangerouslySetInnerHTML={{ __html: searchParams.q }} />; }',
      'postMessage data into innerHTML':
        "window.addEventListener('message', (event) => { if (event.origin !== 'https://a.example') return; out.innerHTML = event.data; });",
      'unescaped EJS output':
        "const ejs = require('ejs');\nfunction h(req) { return ejs.render('<p><%- name %></p>', { name: req.query.name }); }",
      'Handlebars SafeString':
        "import Handlebars from 'handlebars';\nfunction h(req) { return new Handlebars.SafeString(req.query.bio); }",
      'escaping turned off': "nunjucks.configure('views', { autoescape: false });",
      'Koa HTML body': "router.get('/', (ctx) => { ctx.body = '<p>' + ctx.query.q + '</p>'; });",
      'Angular bypass':
        'function show(req) { return this.sanitizer.bypassSecurityTrustHtml(req.query.html); }',
    },
    negative: {
      'res.json': "app.get('/', (req, res) => { res.json({ name: req.query.name }); });",
      'escaped value':
        "app.get('/', (req, res) => { res.send('<h1>' + escapeHtml(req.query.name) + '</h1>'); });",
      textContent: 'document.getElementById("x").textContent = location.hash;',
      'echo of the parsed body (JSON)': "app.post('/', (req, res) => { res.send(req.body); });",
      DOMPurify: 'el.innerHTML = DOMPurify.sanitize(location.hash);',
      'constant HTML': "el.innerHTML = '<b>hi</b>';",
      'numeric value': "app.get('/', (req, res) => { res.send('Page ' + parseInt(req.query.page)); });",
      'res not a parameter': 'const res = { send() {} };\nfunction h(req) { res.send(req.query.x); }',
    },
  },
  'code-ssrf': {
    positive: {
      fetch:
        "app.get('/proxy', async (req, res) => { const r = await fetch(req.query.url); res.json(await r.json()); });",
      axios: "import axios from 'axios';\nasync function h(req) { await axios.get(req.body.webhook); }",
      'axios options object':
        "import axios from 'axios';\nasync function h(req) { await axios({ method: 'get', url: req.query.u }); }",
      got: "import got from 'got';\nasync function h(req) { await got(`${req.query.host}/status`); }",
      'http.request':
        "import http from 'node:http';\nfunction h(req) { http.request(req.query.target).end(); }",
      'https.get with a host from input':
        "const https = require('https');\nfunction h(req) { https.get({ host: req.query.h, path: '/' }); }",
      'puppeteer goto':
        "import puppeteer from 'puppeteer';\nasync function h(req) { const browser = await puppeteer.launch(); const page = await browser.newPage(); await page.goto(req.query.url); }",
      'playwright goto': 'async function shot(req, page) { await page.goto(req.body.url); }',
      'node-fetch with a header value':
        "import fetch from 'node-fetch';\nasync function h(req) { await fetch(req.headers['x-callback']); }",
    },
    negative: {
      'fixed host, input in the path':
        'async function h(req) { await fetch(`https://api.example.com/users/${encodeURIComponent(req.params.id)}`); }',
      'fixed host, concatenated path':
        "async function h(req) { await fetch('https://api.example.com/items/' + req.params.id); }",
      'allow-listed URL':
        "const ALLOWED = ['https://a.example'];\nasync function h(req) { const url = req.query.url; if (!ALLOWED.includes(url)) return; await fetch(url); }",
      'constant URL': "await fetch('https://example.com');",
      'relative path': "async function h(req) { await fetch('/api/' + req.query.p); }",
    },
  },
  'code-path-traversal': {
    positive: {
      'fs.readFile':
        "import fs from 'fs';\nfunction h(req, res) { fs.readFile('/data/' + req.query.file, (e, d) => res.end(d)); }",
      'fs/promises through path.join':
        "import { readFile } from 'node:fs/promises';\nimport path from 'node:path';\nasync function h(req) { return readFile(path.join(__dirname, 'files', req.params.name)); }",
      createReadStream:
        "const fs = require('fs');\nfunction h(req, res) { fs.createReadStream(req.query.p).pipe(res); }",
      'writeFile with a body name':
        "import { writeFileSync } from 'fs';\nfunction h(req) { writeFileSync(`uploads/${req.body.name}`, req.body.data); }",
      'res.sendFile': "app.get('/f', (req, res) => { res.sendFile(req.query.path); });",
      'res.download': "app.get('/d', (req, res) => { res.download('files/' + req.params.file); });",
      'fs-extra remove':
        "import fse from 'fs-extra';\nasync function h(req) { await fse.remove(req.body.dir); }",
    },
    negative: {
      'path.basename':
        "import fs from 'fs';\nimport path from 'path';\nfunction h(req) { fs.readFileSync(path.join('/data', path.basename(req.query.file))); }",
      'root check':
        "import fs from 'fs';\nimport path from 'path';\nconst ROOT = '/srv/files';\nfunction h(req) { const full = path.resolve(ROOT, req.query.file); if (!full.startsWith(ROOT + path.sep)) return; fs.readFileSync(full); }",
      'sendFile with root':
        "app.get('/f', (req, res) => { res.sendFile(req.params.name, { root: 'public' }); });",
      'CLI argument (the user owns the disk)':
        "import fs from 'fs';\nfs.writeFileSync(process.argv[2], 'x');",
      'constant path': "import fs from 'fs';\nfs.readFileSync('./config.json');",
    },
  },
  'code-open-redirect': {
    positive: {
      'res.redirect': "app.get('/login', (req, res) => { res.redirect(req.query.next); });",
      'res.redirect with a status': "app.get('/go', (req, res) => { res.redirect(302, req.query.to); });",
      'Koa ctx.redirect': "router.get('/r', (ctx) => { ctx.redirect(ctx.query.url); });",
      'location.href =':
        "const params = new URLSearchParams(location.search);\nlocation.href = params.get('return');",
      'window.location =': 'window.location = decodeURIComponent(location.hash.slice(1));',
      'location.assign': 'location.assign(document.referrer);',
      'Location header':
        'http.createServer((req, res) => { res.writeHead(302, { Location: req.headers.referer }); res.end(); });',
    },
    negative: {
      'same-site path': "app.get('/u', (req, res) => { res.redirect('/users/' + req.params.id); });",
      'allow-list':
        "const OK = new Set(['/home', '/account']);\napp.get('/r', (req, res) => { const next = req.query.next; if (!OK.has(next)) return res.redirect('/'); res.redirect(next); });",
      'fixed host':
        "app.get('/r', (req, res) => { res.redirect(`https://example.com/${encodeURIComponent(req.query.p)}`); });",
      'constant target': "app.get('/r', (req, res) => { res.redirect('/login'); });",
    },
  },
  'code-xxe': {
    positive: {
      'libxmljs noent':
        "const libxmljs = require('libxmljs');\nfunction h(req) { return libxmljs.parseXml(req.body, { noent: true }); }",
      'libxmljs2 parseXmlString':
        "import libxmljs from 'libxmljs2';\nconst doc = libxmljs.parseXmlString(xml, { noent: true, dtdload: true });",
      'options in a variable':
        "const libxmljs = require('libxmljs');\nconst opts = { noent: true };\nlibxmljs.parseXml(data, opts);",
    },
    negative: {
      'noent off': "const libxmljs = require('libxmljs');\nlibxmljs.parseXml(data, { noent: false });",
      defaults: "const libxmljs = require('libxmljs');\nlibxmljs.parseXml(data);",
      'xml2js defaults': "const xml2js = require('xml2js');\nxml2js.parseString(data, (e, r) => r);",
    },
  },
  'code-prototype-pollution': {
    positive: {
      'lodash merge of the body': "import _ from 'lodash';\nfunction h(req) { _.merge({}, req.body); }",
      'lodash.merge package':
        "import merge from 'lodash.merge';\nfunction h(req) { merge(config, req.body.settings); }",
      'lodash set with an input path':
        "import { set } from 'lodash';\nfunction h(req) { set(obj, req.query.path, req.query.value); }",
      'jQuery deep extend': 'function h(req) { $.extend(true, {}, JSON.parse(req.body.data)); }',
      'nested keys from input': 'function h(req) { const { a, b, v } = req.body; store[a][b] = v; }',
      deepmerge:
        "import deepmerge from 'deepmerge';\nfunction h(req) { return deepmerge(defaults, req.body); }",
    },
    negative: {
      'Object.assign (shallow)': 'function h(req) { Object.assign({}, req.body); }',
      'merge of constants': "import _ from 'lodash';\n_.merge({}, { a: 1 });",
      'one level key': 'function h(req) { counts[req.query.k] = 1; }',
      'nested keys from code': "function h(req) { table['a']['b'] = req.body.v; }",
    },
  },
  'code-insecure-deserialization': {
    positive: {
      'node-serialize':
        "const serialize = require('node-serialize');\nfunction h(req) { serialize.unserialize(req.cookies.profile); }",
      'node-serialize of a run-time value':
        "import serialize from 'node-serialize';\nexport function load(text: string) { return serialize.unserialize(text); }",
      'js-yaml unsafeLoad':
        "import yaml from 'js-yaml';\nexport function read(text: string) { return yaml.unsafeLoad(text); }",
      'js-yaml full schema':
        "const yaml = require('js-yaml');\nyaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA });",
      'js-yaml load of the body':
        "const yaml = require('js-yaml');\nfunction h(req) { return yaml.load(req.body.config); }",
    },
    negative: {
      'JSON.parse': 'function h(req) { return JSON.parse(req.body.data); }',
      'js-yaml load of a file':
        "import yaml from 'js-yaml';\nimport fs from 'fs';\nyaml.load(fs.readFileSync('c.yml', 'utf8'));",
      'yaml package': "import YAML from 'yaml';\nfunction h(req) { return YAML.parse(req.body.c); }",
    },
  },
  'code-cors-misconfiguration': {
    positive: {
      '* with credentials': "import cors from 'cors';\napp.use(cors({ origin: '*', credentials: true }));",
      'origin: true with credentials': 'app.use(cors({ origin: true, credentials: true }));',
      'reflecting callback':
        'app.use(cors({ credentials: true, origin: (origin, callback) => callback(null, true) }));',
      'reflected Origin header':
        "app.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', req.headers.origin); next(); });",
      'header pair':
        "app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', '*'); res.header('Access-Control-Allow-Credentials', 'true'); next(); });",
    },
    negative: {
      'listed origin': "app.use(cors({ origin: 'https://app.example.com', credentials: true }));",
      '* without credentials': "app.use(cors({ origin: '*' }));",
      'checked origin':
        "const OK = ['https://a.example'];\napp.use((req, res, next) => { const origin = req.headers.origin; if (OK.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin); next(); });",
      'public * header':
        "app.use((req, res, next) => { res.set('Access-Control-Allow-Origin', '*'); next(); });",
    },
  },
  'code-postmessage-wildcard': {
    positive: {
      'parent window': "window.parent.postMessage({ token }, '*');",
      iframe: "frame.contentWindow.postMessage(secret, '*');",
      'target in a constant': "const TARGET = '*';\nopener.postMessage(data, TARGET);",
    },
    negative: {
      'exact origin': "window.parent.postMessage({ token }, 'https://app.example.com');",
      'worker transfer list': 'worker.postMessage(buffer, [buffer]);',
    },
  },
  'code-message-origin': {
    positive: {
      'addEventListener without a check':
        "window.addEventListener('message', (event) => { apply(event.data); });",
      'onmessage without a check': 'window.onmessage = function (e) { render(e.data.html); };',
      'named handler': "function onMessage(e) { state = e.data; }\naddEventListener('message', onMessage);",
    },
    negative: {
      'origin checked':
        "window.addEventListener('message', (event) => { if (event.origin !== 'https://a.example') return; apply(event.data); });",
      'worker file': "self.addEventListener('message', (e) => { self.postMessage(work(e.data)); });",
      'other events': "window.addEventListener('resize', () => layout());",
    },
  },
  'code-tls-disabled': {
    positive: {
      'https.Agent': 'new https.Agent({ rejectUnauthorized: false });',
      'env variable': "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      'through a variable':
        'const verify = false;\nconst agent = new https.Agent({ rejectUnauthorized: verify });',
      'request strictSSL': 'request({ url, strictSSL: false });',
      'checkServerIdentity that accepts anything':
        'tls.connect({ host, port, checkServerIdentity: () => undefined });',
      assignment: 'options.rejectUnauthorized = false;',
    },
    negative: {
      'verification on': 'new https.Agent({ rejectUnauthorized: true });',
      'loopback probe': "request({ host: '127.0.0.1', rejectUnauthorized: false });",
      'variable that is true': 'const verify = true;\nnew https.Agent({ rejectUnauthorized: verify });',
    },
  },
  'code-weak-tls': {
    positive: {
      'minVersion TLSv1': "tls.createServer({ minVersion: 'TLSv1', key, cert });",
      'secureProtocol SSLv3': "https.request({ host: 'a.example', secureProtocol: 'SSLv3_method' });",
    },
    negative: {
      'minVersion TLSv1.2': "tls.createServer({ minVersion: 'TLSv1.2', key, cert });",
      'semver minVersion': "const minVersion = semver.minVersion('>=1.0.0');",
    },
  },
  'code-cleartext-transport': {
    positive: {
      'credentials in the URL': "await fetch('http://admin:hunter2@api.example.com/report');",
      'Authorization header':
        "await axios.get('http://api.example.com/v1/me', { headers: { Authorization: `Bearer ${token}` } });",
      'password in the body':
        "await fetch('http://login.example.com/session', { method: 'POST', body: JSON.stringify({ password }) });",
      'http.request with auth': "http.request({ host: 'db.example.com', auth: 'user:pass', path: '/' });",
    },
    negative: {
      https:
        "await fetch('https://api.example.com/v1/me', { headers: { Authorization: `Bearer ${token}` } });",
      loopback: "await fetch('http://127.0.0.1:8080/login', { headers: { Authorization: 'x' } });",
      'no credentials': "await fetch('http://example.com/status');",
    },
  },
  'code-jwt-none': {
    positive: {
      'none in algorithms': "jwt.verify(t, k, { algorithms: ['HS256', 'none'] });",
      'algorithm none': "jwt.sign(p, '', { algorithm: 'none' });",
      'verify without a key':
        "import jwt from 'jsonwebtoken';\nfunction h(req) { return jwt.verify(req.headers.authorization, null); }",
    },
    negative: {
      'pinned algorithm': "jwt.verify(t, k, { algorithms: ['HS256'] });",
      'verify with a key':
        "import jwt from 'jsonwebtoken';\nfunction h(req) { return jwt.verify(req.headers.authorization, process.env.KEY, { algorithms: ['HS256'] }); }",
      'CSS none': "const style = { display: 'none' };",
    },
  },
  'code-csrf-disabled': {
    positive: {
      lusca: 'app.use(lusca({ csrf: false }));',
      'csrfProtection key': 'const opts = { csrfProtection: false };',
    },
    negative: {
      'csrf on': 'app.use(lusca({ csrf: true }));',
      'a variable named csrf': 'const csrf = false;',
    },
  },
  'code-insecure-random': {
    positive: {
      'reset token': 'const resetToken = Math.random().toString(36);',
      'returned by generateToken':
        'function generateToken() { return Math.floor(Math.random() * 1e9).toString(); }',
    },
    negative: {
      jitter: 'const jitter = Math.random() * 100;',
      sampling: 'if (Math.random() < 0.1) sample();',
    },
  },
};

describe.each(Object.entries(EXAMPLES))('%s', (ruleId, { positive, negative }) => {
  it.each(Object.entries(positive))('flags: %s', (_name, code) => {
    expect(ruleIds(code, 'src/app.tsx')).toContain(ruleId);
  });
  it.each(Object.entries(negative))('accepts: %s', (_name, code) => {
    expect(ruleIds(code, 'src/app.tsx')).not.toContain(ruleId);
  });
});
