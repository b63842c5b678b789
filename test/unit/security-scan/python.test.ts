import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { scanPython } from '../../../actions/security-scan/src/scanners/python/index.js';

async function rules(source: string): Promise<string[]> {
  const findings = await scanPython([{ path: 'app.py', text: source }]);
  return findings.map((finding) => `${finding.line} ${finding.ruleId}`);
}

/** Each rule: sources that must raise it (once, on line 2 after the imports line) and sources that must not. */
const CASES: Record<string, { imports: string; positive: string[]; negative: string[] }> = {
  'code-py-shell-injection': {
    imports: 'import subprocess, os\nimport subprocess as sp',
    positive: [
      'subprocess.run(f"ls {path}", shell=True)',
      'sp.Popen("ls " + path, shell=True)',
      'subprocess.check_output(cmd, shell=True)',
      'os.system("rm -rf %s" % target)',
    ],
    negative: [
      'subprocess.run("ls -l", shell=True)',
      'subprocess.run(["ls", path])',
      'subprocess.run(f"ls {path}")',
      'subprocess.run(["ls", path], shell=True)',
      'os.system("uptime")',
    ],
  },
  'code-py-eval': {
    imports: 'import json',
    positive: ['eval(request.args["expr"])', 'exec(code)', 'eval(f"1 + {x}")'],
    negative: ['eval("1 + 2")', 'json.loads(text)', 'model.eval()'],
  },
  'code-py-deserialization': {
    imports: 'import pickle, marshal\nfrom pickle import loads as unpickle',
    positive: ['pickle.loads(blob)', 'marshal.load(handle)', 'unpickle(request.data)'],
    negative: ['pickle.dumps(obj)', 'json.loads(blob)'],
  },
  'code-py-yaml-load': {
    imports: 'import yaml',
    positive: ['yaml.load(text)', 'yaml.load(text, Loader=yaml.Loader)', 'yaml.unsafe_load(text)'],
    negative: [
      'yaml.safe_load(text)',
      'yaml.load(text, Loader=yaml.SafeLoader)',
      'yaml.load(text, yaml.CSafeLoader)',
    ],
  },
  'code-py-sql-injection': {
    imports: 'import sqlite3',
    positive: [
      'cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
      'cursor.execute("SELECT * FROM users WHERE id = %s" % user_id)',
      'db.execute("DELETE FROM t WHERE id = {}".format(item))',
      'conn.executemany("INSERT INTO t VALUES (" + values + ")", rows)',
    ],
    negative: [
      'cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))',
      'cursor.execute("SELECT 1")',
      'cursor.execute(query, params)',
    ],
  },
  'code-py-tls-disabled': {
    imports: 'import requests, httpx',
    positive: [
      'requests.get(url, verify=False)',
      'httpx.Client(verify=False)',
      'session.post(url, verify=False)',
    ],
    negative: [
      'requests.get(url)',
      'requests.get(url, verify=True)',
      'requests.get(url, verify="/etc/ca.pem")',
    ],
  },
  'code-py-flask-debug': {
    imports: 'from flask import Flask',
    positive: ['app.run(debug=True)'],
    negative: ['app.run(debug=False)', 'app.run()', 'app.run(debug=os.environ.get("DEBUG") == "1")'],
  },
  'code-py-weak-password-hash': {
    imports: 'import hashlib',
    positive: [
      'digest = hashlib.md5(password.encode()).hexdigest()',
      'hashlib.sha256(user.password).hexdigest()',
      'password_hash = hashlib.new("sha1", data)',
    ],
    negative: [
      'hashlib.md5(file_bytes).hexdigest()',
      'hashlib.scrypt(password, salt=salt, n=16384, r=8, p=1)',
    ],
  },
  'code-py-mktemp': {
    imports: 'import tempfile',
    positive: ['path = tempfile.mktemp()'],
    negative: ['handle, path = tempfile.mkstemp()', 'tempfile.NamedTemporaryFile()'],
  },
  'code-py-hardcoded-password': {
    imports: 'import os',
    positive: [
      'password = "hunter2"',
      'self.db_password = "s3cr3t"',
      'connect(host="db", password="hunter2")',
      // A fake value for the test.
      // shipkit-ignore: secret-generic-password
      'def login(user, pwd="admin123"): pass',
    ],
    negative: [
      'password = os.environ["DB_PASSWORD"]',
      'password = ""',
      'password = "<password>"',
      'bypass = "yes"',
      'connect(password=secret_value)',
    ],
  },
  'code-py-bind-all': {
    imports: 'import socket',
    positive: ['app.run(host="0.0.0.0")', 'sock.bind(("0.0.0.0", 8080))'],
    negative: ['app.run(host="127.0.0.1")', 'log("listening on 0.0.0.0")', 'DEFAULT = "0.0.0.0"'],
  },
};

describe('Python scanner (tree-sitter)', () => {
  for (const [rule, { imports, positive, negative }] of Object.entries(CASES)) {
    const importLines = imports.split('\n').length;
    it(`${rule}: flags ${positive.length} positive example(s)`, async () => {
      for (const line of positive) {
        expect([line, await rules(`${imports}\n${line}\n`)]).toEqual([line, [`${importLines + 1} ${rule}`]]);
      }
    });
    it(`${rule}: leaves ${negative.length} negative example(s) alone`, async () => {
      for (const line of negative) {
        const found = (await rules(`${imports}\n${line}\n`)).filter((entry) => entry.endsWith(` ${rule}`));
        expect([line, found]).toEqual([line, []]);
      }
    });
  }

  it('sees through a variable assigned the built SQL in the same function', async () => {
    const source =
      'def find(db, name):\n    query = f"SELECT * FROM t WHERE n = \'{name}\'"\n    return db.execute(query)\n';
    expect(await rules(source)).toEqual(['3 code-py-sql-injection']);
  });

  it('scans only .py files, outside virtualenvs, and survives syntax errors', async () => {
    const findings = await scanPython([
      { path: 'tool.js', text: 'eval(x)\n' },
      { path: '.venv/lib/site.py', text: 'eval(x)\n' },
      { path: 'broken.py', text: 'def f(:\n    eval(x)\n' },
    ]);
    expect(findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual([
      'broken.py:2 code-py-eval',
    ]);
  });

  it('finds the expected issues in the workspace app', async () => {
    const root = join(
      resolve(import.meta.dirname, '..', '..', '..'),
      'test/fixtures/security-scan/ecosystems',
    );
    const text = readFileSync(join(root, 'app.py'), 'utf8');
    const findings = await scanPython([{ path: 'app.py', text }]);
    expect(findings.map((finding) => `${finding.line} ${finding.ruleId} ${finding.severity}`)).toEqual(
      readFileSync(join(root, 'app.expected'), 'utf8').trim().split('\n'),
    );
  });
});
