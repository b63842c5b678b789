import type { Rule } from '../../rules.js';

/** bandit's most important checks, on Python sources (bandit's ids in the titles). */
export const PYTHON_RULES: readonly Rule[] = [
  {
    id: 'code-py-shell-injection',
    severity: 'high',
    category: 'code',
    title: 'Python: shell command built at run time (`shell=True`, `os.system`) (B602, B605)',
    fix: 'Pass an argument list without a shell: `subprocess.run(["ls", path], check=True)`.',
  },
  {
    id: 'code-py-eval',
    severity: 'high',
    category: 'code',
    title: 'Python: `eval` / `exec` of a non-constant string (B307, B102)',
    fix: 'Use `ast.literal_eval` for literals, `json.loads` for data, or a dispatch table instead of evaluating code.',
  },
  {
    id: 'code-py-deserialization',
    severity: 'high',
    category: 'code',
    title: 'Python: `pickle` / `marshal` loads data that can run code (B301, B302)',
    fix: 'Exchange data as JSON (or sign and verify it with hmac before unpickling trusted data only).',
  },
  {
    id: 'code-py-yaml-load',
    severity: 'high',
    category: 'code',
    title: 'Python: `yaml.load` without a safe loader (B506)',
    fix: 'Use `yaml.safe_load(text)` or `yaml.load(text, Loader=yaml.SafeLoader)`.',
  },
  {
    id: 'code-py-sql-injection',
    severity: 'high',
    category: 'code',
    title: 'Python: SQL built with `%`, `.format` or an f-string passed to `execute` (B608)',
    fix: 'Use the driver\'s placeholders: `cursor.execute("SELECT * FROM t WHERE id = %s", (user_id,))`.',
  },
  {
    id: 'code-py-tls-disabled',
    severity: 'high',
    category: 'code',
    title: 'Python: `requests` / `httpx` with `verify=False` (B501)',
    fix: 'Remove `verify=False`; trust a private CA with `verify="/path/to/ca.pem"`.',
  },
  {
    id: 'code-py-flask-debug',
    severity: 'high',
    category: 'code',
    title:
      'Python: Flask app run with `debug=True` (the debugger runs code for anyone who reaches it) (B201)',
    fix: 'Run with `debug=False` (the default) and serve through gunicorn or uwsgi in production.',
  },
  {
    id: 'code-py-weak-password-hash',
    severity: 'medium',
    category: 'code',
    title: 'Python: password hashed with a fast or broken hash (md5, sha1, sha2) (B303, B324)',
    fix: "Hash passwords with a slow salted KDF: `hashlib.scrypt`, `argon2-cffi`, `bcrypt` or werkzeug's `generate_password_hash`.",
  },
  {
    id: 'code-py-mktemp',
    severity: 'medium',
    category: 'code',
    title: 'Python: `tempfile.mktemp` (the name can be taken before the file is created) (B306)',
    fix: 'Use `tempfile.mkstemp()` or `tempfile.NamedTemporaryFile()`, which create the file atomically.',
  },
  {
    id: 'code-py-hardcoded-password',
    severity: 'medium',
    category: 'code',
    title: 'Python: hard-coded password (B105, B106, B107)',
    fix: 'Read the secret from the environment or a secret store at run time (`os.environ["DB_PASSWORD"]`).',
  },
  {
    id: 'code-py-bind-all',
    severity: 'low',
    category: 'code',
    title: 'Python: server bound to `0.0.0.0` (all interfaces) (B104)',
    fix: 'Bind to the interface you serve on, or make it configuration; in a container, 0.0.0.0 is usually intended.',
  },
];
