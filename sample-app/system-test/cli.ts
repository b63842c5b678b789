// npm run system-test -- <url> [--expect-version <ver>]
// The URL may come from BASE_URL instead, the version from EXPECT_VERSION; the admin's credentials come from
// SYSTEM_TEST_USERNAME (default admin) and SYSTEM_TEST_PASSWORD, never from the command line.
// Prints one line per check, a block for each failure, and exits 1 when any check did not pass.
import { parseArgs } from 'node:util';

import { formatReport, runSystemTests } from './system-tests.js';

function fail(message: string): never {
  console.log(`::error::${message}`);
  process.exit(1);
}

function readArguments(): { url: string; expectVersion: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({
      options: { 'expect-version': { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    fail(
      `system-test: ${(error as Error).message} (usage: npm run system-test -- <url> [--expect-version <ver>])`,
    );
  }
  const env = (name: string): string | undefined => process.env[name]?.trim() || undefined;
  if (parsed.positionals.length > 1) fail(`system-test: give one URL, got ${parsed.positionals.length}`);
  const url = parsed.positionals[0] ?? env('BASE_URL');
  if (url === undefined) fail('system-test: no URL: give it as the argument or in BASE_URL');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    fail(`system-test: the URL "${url}" is not a URL: give http(s)://host[:port]`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    fail(`system-test: the URL "${url}" is not http or https`);
  }
  return { url, expectVersion: parsed.values['expect-version'] ?? env('EXPECT_VERSION') };
}

const { url, expectVersion } = readArguments();
const password = process.env['SYSTEM_TEST_PASSWORD'];
if (password === undefined || password === '') {
  fail('system-test: SYSTEM_TEST_PASSWORD is not set: give the admin password in the environment');
}
const report = await runSystemTests(url, {
  username: process.env['SYSTEM_TEST_USERNAME']?.trim() || 'admin',
  password,
  ...(expectVersion === undefined ? {} : { expectVersion }),
});
for (const check of report.checks) if (check.report !== undefined) console.log(`${check.report}\n`);
console.log(formatReport(report));
if (!report.ok) {
  if (process.env['GITHUB_ACTIONS'] === 'true') {
    for (const check of report.checks.filter((entry) => entry.status === 'failed'))
      console.log(`::error::system test "${check.name}" failed: ${check.detail}`);
  }
  process.exitCode = 1;
}
