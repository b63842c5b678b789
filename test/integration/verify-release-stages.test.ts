// The verify stage's other ways to fail, against sample-app as a local process (no ECS needed to fail): the
// wrong version never comes (wait-healthy fails, nothing else runs), and a live finding fails the live scan.
// What happens when there is no previous revision, or the rollback itself fails, is in the summary.
import { verifyRelease } from '../../scripts/verify-release.js';
import type { LocalAws } from '../../tools/local-aws/index.js';
import { startTestLocalAws } from '../helpers/local-aws.js';
import {
  startFaultProxy,
  startSampleAppProcess,
  type SampleAppProcess,
} from '../helpers/sample-app-process.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';
import { ADMIN_PASSWORD, ADMIN_PASSWORD_HASH, SESSION_SECRET } from '../unit/sample-app/app-client.js';

let stack: LocalStack;
let app: SampleAppProcess | undefined;
let localAws: LocalAws | undefined;

beforeAll(async () => {
  stack = requireStack();
  app = await startSampleAppProcess({ APP_VERSION: 'v7', ADMIN_PASSWORD_HASH, SESSION_SECRET });
  localAws = await startTestLocalAws(stack);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await localAws?.close();
});

const credentials = { username: 'admin', password: ADMIN_PASSWORD };

describe('verify stage failures', () => {
  it('the expected version never answers: wait-healthy fails, nothing else runs, and without a previous revision nothing rolls back', async () => {
    const result = await verifyRelease({
      url: app!.url,
      expectVersion: 'v8',
      credentials,
      env: stack.env,
      rollback: { cluster: 'prod', services: 'web', previousTaskDefinitionArn: '' },
      waitTimeout: '3s',
    });

    expect(result.ok).toBe(false);
    expect(result.failure?.stage).toBe('wait-healthy');
    expect(result.failure?.reason).toMatch(/ver is "v7", expected "v8"/);
    expect(result.systemTests).toBeUndefined();
    expect(result.stages.map((stage) => [stage.name, stage.ok])).toEqual([
      ['wait-healthy', false],
      ['rollback', false],
    ]);
    expect(result.stages[0]!.detail).toContain(`${app!.url}/api/health-check not healthy within`);
    expect(result.stages[1]!.detail).toBe('no previous task definition to go back to');
    expect(result.rolledBack).toBe(false);
    expect(result.summary.split('\n')[0]).toMatch(
      new RegExp(
        `^### Verify of ${app!.url.replace(/\./g, '\\.')} \\(v8\\) FAILED: wait-healthy failed: .*ver is "v7", expected "v8".*\\. NOT rolled back: see the rollback row\\.$`,
      ),
    );
  }, 60_000);

  it('a live finding fails the live scan with the finding in the summary; a rollback that fails says so', async () => {
    // The app behind a proxy that announces its framework: a version banner, the live scanner's lowest finding.
    const proxy = await startFaultProxy(app!.url, {
      response: (_, answer) => {
        answer.headers['x-powered-by'] = 'Express';
      },
    });
    try {
      const result = await verifyRelease({
        url: proxy.url,
        expectVersion: 'v7',
        credentials,
        env: {
          ...stack.env,
          AWS_ENDPOINT_URL_ECS: localAws!.url,
          AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: localAws!.url,
        },
        // The stand-in has no such cluster: the rollback cannot happen, and must not pass as one.
        rollback: {
          cluster: 'gone',
          services: 'web',
          previousTaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
          timeout: '30s',
        },
        liveScanFailOn: 'low',
      });

      expect(result.stages.map((stage) => [stage.name, stage.ok])).toEqual([
        ['wait-healthy', true],
        ['system tests', true],
        ['live scan', false],
        ['rollback', false],
      ]);
      expect(result.failure?.stage).toBe('live scan');
      expect(result.failure?.reason).toMatch(
        /^1 finding\(s\): 0 critical, 0 high, 0 medium, 1 low .*fail-on: low\.$/,
      );
      expect(result.stages[2]!.detail).toMatch(/^1 findings \(critical 0, high 0, medium 0, low 1\): /);
      // deploy-ecs's own error: the revision to go back to does not exist on this stand-in.
      expect(result.stages[3]!.detail).toMatch(/task-definition\/web:3: Unable to describe task definition/);
      expect(result.rolledBack).toBe(false);
      expect(result.summary).toContain('FAILED: live scan failed: 1 finding(s)');
      expect(result.summary).toMatch(
        /\n```text\nlive-version-banner \(low\): http:\/\/127\.0\.0\.1:\d+\/ sends X-Powered-By: Express\. \(A05[^)]*\) Fix: .+\n```\n/,
      );
      expect(result.summary).toContain('NOT rolled back to web:3: see the rollback row.');
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
