import type { Finding } from '../../../actions/security-scan/src/findings.js';
import {
  isWorkflow,
  scanWorkflows,
  type WorkflowScanOptions,
} from '../../../actions/security-scan/src/scanners/workflows.js';

const SHA = 'e468171a9de216ec08956ac3ada2f0791b6bd435';

function findings(yaml: string, options: WorkflowScanOptions = {}): Finding[] {
  return scanWorkflows([{ path: '.github/workflows/w.yml', text: yaml }], options);
}

/** `rule:line` for every finding but gha-dangerous-trigger (tested on its own: every pull_request_target has it). */
function rules(yaml: string, options: WorkflowScanOptions = {}): string[] {
  return findings(yaml, options)
    .filter((finding) => finding.ruleId !== 'gha-dangerous-trigger')
    .map((finding) => `${finding.ruleId}:${finding.line}`);
}

const PR_TARGET = 'on: pull_request_target\npermissions:\n  contents: read\n';
const PUSH = 'on: push\npermissions:\n  contents: read\n';

describe('workflow scanner', () => {
  it('only reads .github/workflows/*.yml|yaml', () => {
    expect(['.github/workflows/a.yml', 'x/.github/workflows/b.yaml'].every(isWorkflow)).toBe(true);
    expect(
      ['.github/dependabot.yml', 'workflows/a.yml', '.github/workflows/sub/a.yml'].some(isWorkflow),
    ).toBe(false);
  });

  it('reports unparseable YAML once, with its line', () => {
    expect(rules('on: push\njobs:\n  a: [unclosed\n')).toEqual([
      expect.stringMatching(/^gha-invalid-workflow:\d+$/),
    ]);
  });

  describe('gha-untrusted-checkout (poisoned pipeline execution)', () => {
    it('flags pull_request_target checking out the PR head', () => {
      const yaml = `${PR_TARGET}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n`;
      expect(rules(yaml)).toEqual(['gha-untrusted-checkout:8']);
      expect(findings(yaml).find((finding) => finding.ruleId === 'gha-untrusted-checkout')!.severity).toBe(
        'critical',
      );
    });
    it('flags workflow_run checking out head_sha and gh pr checkout in issue_comment', () => {
      const run = `on: workflow_run\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n          persist-credentials: false\n`;
      expect(rules(run)).toEqual(['gha-untrusted-checkout:7']);
      const comment = `on: issue_comment\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh pr checkout \${{ github.event.issue.number }}\n`;
      expect(rules(comment)).toEqual(['gha-untrusted-checkout:7']);
    });
    it('accepts the same checkout under pull_request, and base checkouts under pull_request_target', () => {
      const onPr = `on: pull_request\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n          persist-credentials: false\n`;
      expect(rules(onPr)).toEqual([]);
      const base = `${PR_TARGET}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n`;
      expect(rules(base)).toEqual([]);
    });
  });

  describe('gha-script-injection', () => {
    it('flags attacker-controlled contexts inside run, at the line of the expression', () => {
      const yaml = `on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo start\n          echo "\${{ github.event.issue.title }}"\n`;
      expect(rules(yaml)).toEqual(['gha-script-injection:9']);
    });
    it('reports a repeated expression on each line it appears', () => {
      const yaml = `on: issues\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "\${{ github.event.issue.title }}"\n          echo ok\n          echo "\${{ github.event.issue.title }}"\n`;
      expect(rules(yaml)).toEqual(['gha-script-injection:8', 'gha-script-injection:10']);
    });
    it('flags them inside actions/github-script scripts', () => {
      const yaml = `on: issue_comment\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: console.log("\${{ github.event.comment.body }}")\n`;
      expect(rules(yaml)).toEqual(['gha-script-injection:9']);
    });
    it('accepts trusted contexts and untrusted values passed through env', () => {
      const yaml = `${PUSH}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: \${{ github.event.pull_request.title }}\n        run: echo "$TITLE \${{ github.sha }} \${{ github.event.pull_request.number }}"\n`;
      expect(rules(yaml)).toEqual([]);
    });
  });

  describe('gha-env-injection', () => {
    it('flags untrusted expressions written to GITHUB_ENV or GITHUB_PATH', () => {
      const yaml = `on: pull_request\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "B=\${{ github.head_ref }}" >> $GITHUB_ENV\n`;
      expect(rules(yaml)).toEqual(['gha-env-injection:7']);
    });
    it('flags computed content written to GITHUB_ENV under workflow_run (artifact poisoning)', () => {
      const yaml = `on: workflow_run\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          unzip pr.zip\n          echo "PR=$(cat pr.txt)" >> "$GITHUB_ENV"\n`;
      expect(rules(yaml)).toEqual(['gha-env-injection:9']);
    });
    it('accepts constant writes', () => {
      const yaml = `on: workflow_run\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "MODE=release" >> "$GITHUB_ENV"\n`;
      expect(rules(yaml)).toEqual([]);
    });
  });

  describe('gha-unpinned-action', () => {
    it('flags third-party actions and reusable workflows on tags or branches', () => {
      const yaml = `${PUSH}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@v3\n      - uses: some/action/sub@main\n  r:\n    uses: org/repo/.github/workflows/x.yml@v1\n`;
      expect(rules(yaml)).toEqual([
        'gha-unpinned-action:8',
        'gha-unpinned-action:9',
        'gha-unpinned-action:11',
      ]);
    });
    it('accepts SHA pins, GitHub-owned actions, local actions and docker images', () => {
      const yaml = `${PUSH}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@${SHA} # v3\n      - uses: actions/checkout@v4\n        with: { persist-credentials: false }\n      - uses: github/codeql-action/upload-sarif@v3\n      - uses: ./.github/actions/local\n      - uses: docker://alpine:3.20\n`;
      expect(rules(yaml)).toEqual([]);
    });
  });

  describe('permissions', () => {
    it('flags write-all at workflow or job level (high)', () => {
      expect(rules('on: push\npermissions: write-all\njobs: {}\n')).toEqual(['gha-write-all:2']);
      const job =
        'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    permissions: write-all\n    steps: []\n';
      expect(rules(job)).toEqual(['gha-write-all:6']);
    });
    it('flags jobs with no permissions anywhere, once per workflow', () => {
      const yaml =
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n  b:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps: []\n  c:\n    runs-on: ubuntu-latest\n    steps: []\n';
      const found = findings(yaml);
      expect(found.map((finding) => `${finding.ruleId}:${finding.line}`)).toEqual([
        'gha-default-permissions:3',
      ]);
      expect(found[0]!.message).toContain('a, c');
    });
    it('flags contents: write in a job that does not push (low), accepts it where it does', () => {
      const idle =
        'on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - run: npm test\n';
      expect(
        findings(idle).map((finding) => `${finding.ruleId}:${finding.line}:${finding.severity}`),
      ).toEqual(['gha-contents-write:7:low']);
      const pushing = idle.replace('npm test', 'git tag v1 && git push --tags');
      expect(rules(pushing)).toEqual([]);
      const reusable =
        'on: push\npermissions: {}\njobs:\n  t:\n    permissions:\n      contents: write\n    uses: ./.github/workflows/release.yml\n';
      expect(rules(reusable)).toEqual([]);
    });
  });

  it('gha-secrets-inherit: flags secrets: inherit, accepts named secrets', () => {
    const inherit = `${PUSH}jobs:\n  d:\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n`;
    expect(rules(inherit)).toEqual(['gha-secrets-inherit:7']);
    expect(rules(inherit.replace('secrets: inherit', 'secrets:\n      token: ${{ secrets.TOKEN }}'))).toEqual(
      [],
    );
  });

  describe('gha-persist-credentials', () => {
    it('flags checkout keeping credentials in privileged workflows or jobs uploading the workspace', () => {
      expect(
        rules(
          `${PR_TARGET}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n`,
        ),
      ).toEqual(['gha-persist-credentials:8']);
      const upload = `${PUSH}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n`;
      expect(rules(upload)).toEqual(['gha-persist-credentials:8']);
    });
    it('accepts persist-credentials: false; a plain checkout in an ordinary job is low', () => {
      expect(
        rules(
          `${PR_TARGET}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n`,
        ),
      ).toEqual([]);
      const plain = findings(
        `${PUSH}jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n`,
      );
      expect(plain.map((finding) => `${finding.ruleId}:${finding.line}:${finding.severity}`)).toEqual([
        'gha-persist-credentials:8:low',
      ]);
    });
  });

  describe('gha-self-hosted-pr', () => {
    const yaml =
      'on: [pull_request]\npermissions: {}\njobs:\n  t:\n    runs-on: [self-hosted, linux]\n    steps: []\n';
    it('flags self-hosted runners on pull requests unless the repository is known to be private', () => {
      expect(rules(yaml)).toEqual(['gha-self-hosted-pr:5']);
      expect(rules(yaml, { repositoryPublic: true })).toEqual(['gha-self-hosted-pr:5']);
      expect(rules(yaml, { repositoryPublic: false })).toEqual([]);
    });
    it('accepts self-hosted runners on push', () => {
      expect(rules(yaml.replace('[pull_request]', '[push]'))).toEqual([]);
    });
  });

  describe('gha-cache-in-release', () => {
    const steps = '    steps:\n      - uses: actions/setup-node@v4\n        with:\n          cache: npm\n';
    it('flags caches in tag-push, release-event or release-named workflows', () => {
      expect(
        rules(
          `on:\n  push:\n    tags: ['v*']\npermissions: {}\njobs:\n  p:\n    runs-on: ubuntu-latest\n${steps}`,
        ),
      ).toEqual(['gha-cache-in-release:9']);
      expect(
        rules(
          `on:\n  release:\n    types: [published]\npermissions: {}\njobs:\n  p:\n    runs-on: ubuntu-latest\n${steps}`,
        ),
      ).toEqual(['gha-cache-in-release:9']);
      const named = scanWorkflows([
        {
          path: '.github/workflows/publish.yml',
          text: `on: workflow_dispatch\npermissions: {}\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/cache@v4\n`,
        },
      ]);
      expect(named.map((finding) => finding.ruleId)).toEqual(['gha-cache-in-release']);
    });
    it('accepts caches in ordinary CI', () => {
      expect(rules(`${PUSH}jobs:\n  p:\n    runs-on: ubuntu-latest\n${steps}`)).toEqual([]);
    });
  });

  describe('gha-long-lived-aws-keys', () => {
    it('flags access keys on configure-aws-credentials and AWS_* secrets in env', () => {
      const action = `${PUSH}jobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@${SHA}\n        with:\n          aws-access-key-id: \${{ secrets.KEY }}\n`;
      expect(rules(action)).toEqual(['gha-long-lived-aws-keys:10']);
      const env = `${PUSH}env:\n  AWS_ACCESS_KEY_ID: \${{ secrets.KEY }}\n  AWS_SECRET_ACCESS_KEY: \${{ secrets.SECRET }}\njobs: {}\n`;
      expect(rules(env)).toEqual(['gha-long-lived-aws-keys:5']);
      const local = `${PUSH}env:\n  AWS_ACCESS_KEY_ID: test\n  AWS_SECRET_ACCESS_KEY: test\njobs: {}\n`;
      expect(rules(local)).toEqual([]);
    });
    it('accepts OIDC role assumption', () => {
      const yaml = `on: push\npermissions:\n  id-token: write\n  contents: read\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@${SHA}\n        with:\n          role-to-assume: arn:aws:iam::1:role/x\n`;
      expect(rules(yaml)).toEqual([]);
    });
  });
});
