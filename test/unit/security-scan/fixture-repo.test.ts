import { join, resolve } from 'node:path';

import { collectFiles } from '../../../actions/security-scan/src/files.js';
import { scan } from '../../../actions/security-scan/src/scan.js';

const FIXTURE = join(
  resolve(import.meta.dirname, '..', '..', '..'),
  'test',
  'fixtures',
  'security-scan',
  'repo',
);

describe('the fixture repository, scanned in process', () => {
  it('produces exactly the known findings (no dependencies: those need a registry)', async () => {
    const { files } = collectFiles(FIXTURE);
    const result = await scan(files, {
      scanners: ['secrets', 'dockerfile', 'workflows', 'code'],
      ignore: [],
      dependencies: {},
      workflows: {},
    });
    const seen = result.findings.map(
      (finding) => `${finding.file}:${finding.line} ${finding.ruleId} ${finding.severity}`,
    );
    expect(seen.sort()).toEqual(
      [
        '.github/workflows/pr-target.yml:4 gha-dangerous-trigger medium',
        '.github/workflows/pr-target.yml:6 gha-write-all high',
        '.github/workflows/pr-target.yml:9 gha-self-hosted-pr high',
        '.github/workflows/pr-target.yml:11 gha-persist-credentials medium',
        '.github/workflows/pr-target.yml:11 gha-untrusted-checkout critical',
        '.github/workflows/pr-target.yml:17 gha-script-injection high',
        '.github/workflows/pr-target.yml:19 gha-env-injection high',
        '.github/workflows/pr-target.yml:20 gha-unpinned-action medium',
        '.github/workflows/pr-target.yml:21 gha-unpinned-action medium',
        '.github/workflows/pr-target.yml:23 gha-long-lived-aws-keys medium',
        '.github/workflows/pr-target.yml:27 gha-unpinned-action medium',
        '.github/workflows/pr-target.yml:28 gha-secrets-inherit medium',
        '.github/workflows/release.yml:7 gha-default-permissions medium',
        '.github/workflows/release.yml:10 gha-contents-write low',
        '.github/workflows/release.yml:15 gha-cache-in-release medium',
        'Dockerfile:2 docker-unpinned-base medium',
        'Dockerfile:3 docker-secret-in-env medium',
        'Dockerfile:4 docker-secret-in-env high',
        'Dockerfile:5 docker-apt-cleanup low',
        'Dockerfile:5 docker-apt-recommends low',
        'Dockerfile:6 docker-curl-pipe-shell high',
        'Dockerfile:7 docker-add-remote medium',
        'Dockerfile:8 docker-sudo medium',
        'Dockerfile:10 docker-no-healthcheck low',
        'Dockerfile:10 docker-root-user high',
        'src/app.js:7 code-eval high',
        'src/app.js:8 code-command-injection high',
        'src/app.js:9 code-sql-injection high',
        'src/app.js:10 code-tls-disabled high',
        'src/app.js:11 code-insecure-random medium',
        'src/app.js:12 code-csrf-disabled medium',
        'src/app.js:13 code-jwt-none high',
      ].sort(),
    );
    // The negative files (hardened Dockerfile, ci.yml, safe.ts) contribute nothing; safe.ts's one
    // deliberate SQL template is suppressed inline.
    expect(result.suppressed.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual([
      'src/safe.ts:24 code-sql-injection',
    ]);
  });
});
