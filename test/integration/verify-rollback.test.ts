// The verify stage (scripts/verify-release.ts) on a private stand-in: sample-app behind its front door on a
// PostgreSQL database of this file's own, deployed with deploy-ecs's bundle. A good release verifies (health,
// system tests, live scan) and stays. A release that answers its health check but cannot post (an image made
// from the good one with one line of the post route replaced) fails the system tests' "post" check, and the
// verify stage puts the service back on the previous task definition, which serves again and posts.
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

import { createPool, migratePostgres } from '../../sample-app/src/db-postgres.js';
import { runSystemTests } from '../../sample-app/system-test/system-tests.js';
import { verifyRelease, type VerifyResult } from '../../scripts/verify-release.js';
import { dockerCli, pushImage, type DockerCli } from '../helpers/docker.js';
import { runAction, type ActionRun } from '../helpers/run-action.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';
import { createTestDatabase, type TestDatabase } from './sample-app-postgres.js';
import { startSampleAppService, type SampleAppService } from './sample-app-service.js';

// The post route's one line that stores the entry, as sample-app/build.mjs leaves it in app.js (types are
// stripped in place, code is untouched): the broken release throws there instead, so a post answers 500.
const STORE_LINE = 'await store.addEntry(values.title, values.text);';
const BROKEN_LINE = "throw new Error('this release cannot post');";

let stack: LocalStack;
let database: TestDatabase;
let app: SampleAppService | undefined;
let docker: DockerCli | undefined;
let goodImage: string;
let brokenImage: string;
let brokenTag: string | undefined;
let goodTag: string | undefined;

async function serviceTaskDefinition(ecs: ECSClient): Promise<string> {
  const described = await ecs.send(
    new DescribeServicesCommand({ cluster: app!.cluster, services: [app!.service] }),
  );
  return described.services![0]!.taskDefinition!;
}

/** The stand-in answers ECS, ELBv2 and CloudWatch Logs: nothing may reach the shared stack or AWS. */
function bundleEnv(): Record<string, string> {
  const url = app!.localAws.url;
  return {
    ...stack.env,
    AWS_ENDPOINT_URL_ECS: url,
    AWS_ENDPOINT_URL_ECR: url,
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
  };
}

/** What the pipeline's deploy job does: the service's task definition with a new image and version. */
function deploy(image: string, version: string): Promise<ActionRun> {
  return runAction('deploy-ecs', {
    inputs: {
      'from-service': app!.service,
      cluster: app!.cluster,
      services: app!.service,
      container: 'web',
      image,
      'environment-variables': `APP_VERSION=${version}`,
      timeout: '3m',
      // Rollout and target checks are sped up on this stand-in (FAST_ROLLOUTS); the bake is not what this tests.
      'bake-time': '0',
    },
    env: bundleEnv(),
    timeoutMs: 200_000,
  });
}

function verify(
  url: string,
  version: string,
  previousTaskDefinitionArn: string | undefined,
): Promise<VerifyResult> {
  return verifyRelease({
    url,
    expectVersion: version,
    credentials: { username: 'admin', password: app!.password },
    env: bundleEnv(),
    rollback: {
      cluster: app!.cluster,
      services: app!.service,
      previousTaskDefinitionArn,
      timeout: '3m',
      bakeTime: '0',
    },
    waitTimeout: '1m',
    liveScanFailOn: 'low',
  });
}

/** Health answers through the front door (one task: each goes to it). */
async function versionsServed(url: string, requests: number): Promise<string[]> {
  const versions: string[] = [];
  for (let n = 0; n < requests; n++) {
    const response = await fetch(`${url}/api/health-check`);
    versions.push(((await response.json()) as { ver: string }).ver);
  }
  return versions;
}

beforeAll(async () => {
  stack = requireStack();
  database = await createTestDatabase('shipkit_itest_verify');
  const pool = createPool(database.url);
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
  // One task: the verify stage's behaviour does not depend on how many answer, and one rolls fastest.
  app = await startSampleAppService(stack, { databaseUrl: database.url, desiredCount: 1 });

  const running = await app.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: await serviceTaskDefinition(app.ecs) }),
  );
  const tagged = running.taskDefinition!.containerDefinitions![0]!.image!;
  goodTag = tagged;
  const repository = tagged.slice(0, tagged.lastIndexOf(':'));
  docker = dockerCli(stack, { name: 'verify-rollback', timeoutMs: 120_000 });
  const ecr = new ECRClient({
    endpoint: app.localAws.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-test-secret' },
  });
  try {
    const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
    const [user, token] = Buffer.from(auth.authorizationToken!, 'base64').toString().split(':') as [
      string,
      string,
    ];
    await docker.login(auth.proxyEndpoint!, user, token);
  } finally {
    ecr.destroy();
  }
  // deploy-ecs wants images pinned by digest: the good one's is in the local image store since its push.
  const digests = JSON.parse(
    await docker.run(['image', 'inspect', '--format', '{{json .RepoDigests}}', tagged]),
  ) as string[];
  goodImage = digests.find((digest) => digest.startsWith(`${repository}@`))!;
  expect(goodImage).toMatch(/@sha256:[0-9a-f]{64}$/);

  // The broken release: the good image with one line of the post route replaced (the build fails if the
  // line is not there, so the test cannot pass with an image that is not broken).
  brokenTag = `${repository}:broken`;
  await docker.run(['build', '--network', 'host', '--tag', brokenTag, '-'], {
    input: [
      `FROM ${tagged}`,
      'USER root',
      `RUN sed -i "s/${STORE_LINE.replace(/\./g, '\\.')}/${BROKEN_LINE}/" /app/app.js && grep -qF "${BROKEN_LINE}" /app/app.js`,
      'USER node',
      '',
    ].join('\n'),
  });
  brokenImage = `${repository}@${await pushImage(docker, brokenTag)}`;
}, 300_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
  // Both tags go (the good one was built for this file by startSampleAppService); the broken one first.
  for (const tag of [brokenTag, goodTag]) {
    if (tag !== undefined) await docker?.run(['rmi', '--force', tag]).catch(() => undefined);
  }
  docker?.dispose();
}, 60_000);

describe('verify stage after a deploy', () => {
  let goodRelease: string;

  it('verifies a good release (health, 7 system tests, live scan clean) and leaves it serving', async () => {
    const deployed = await deploy(goodImage, 'v2');
    expect(deployed.errors).toEqual([]);
    expect(deployed.exitCode).toBe(0);
    goodRelease = deployed.outputs['task-definition-arn']!;
    const url = await app!.frontDoor();

    const result = await verify(url, 'v2', deployed.outputs['previous-task-definition-arn']);

    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.rolledBack).toBe(false);
    expect(result.stages.map((stage) => [stage.name, stage.ok])).toEqual([
      ['wait-healthy', true],
      ['system tests', true],
      ['live scan', true],
    ]);
    expect(result.stages[0]!.detail).toMatch(/^ver v2 after \d+ requests$/);
    expect(result.stages[1]!.detail).toBe('7/7 passed');
    expect(result.stages[2]!.detail).toBe('0 findings (critical 0, high 0, medium 0, low 0)');
    expect(result.summary).toMatch(/^### Verified http:\/\/127\.0\.0\.1:\d+: v2 serves/);
    expect(await serviceTaskDefinition(app!.ecs)).toBe(goodRelease);
  }, 300_000);

  it('fails a release that is healthy but cannot post, names "post", rolls back, and the previous release serves and posts', async () => {
    expect(goodRelease).toBeDefined();
    const deployed = await deploy(brokenImage, 'v3-broken');
    // deploy-ecs cannot tell: the release starts, passes its health checks and its targets turn healthy.
    expect(deployed.exitCode).toBe(0);
    expect(deployed.outputs['previous-task-definition-arn']).toBe(goodRelease);
    const broken = deployed.outputs['task-definition-arn']!;
    const url = await app!.frontDoor();
    expect(await versionsServed(url, 2)).toEqual(['v3-broken', 'v3-broken']);

    const result = await verify(url, 'v3-broken', goodRelease);

    expect(result.ok).toBe(false);
    expect(result.failure).toEqual({
      stage: 'system tests',
      check: 'post',
      reason: 'posting an entry: expected 303, got 500',
    });
    expect(result.stages.map((stage) => [stage.name, stage.ok])).toEqual([
      ['wait-healthy', true],
      ['system tests', false],
      ['rollback', true],
    ]);
    expect(result.stages[1]!.detail).toBe(
      '5/7 passed, "post" failed: posting an entry: expected 303, got 500',
    );
    expect(result.rolledBack).toBe(true);
    const goodRevision = goodRelease.split('/').pop()!;
    expect(result.summary).toContain(
      `FAILED: system test "post" failed: posting an entry: expected 303, got 500. Rolled back to ${goodRevision}.`,
    );
    // The failing request and the app's answer are in the summary.
    expect(result.summary).toMatch(/FAILED post: .*\n {2}request: {2}POST http:\/\/127\.0\.0\.1:\d+\/add\n/);
    expect(result.summary).toContain('  response: 500 Internal Server Error');
    expect(result.stages[2]!.detail).toMatch(
      new RegExp(`^web back on ${goodRevision.replace(/[.:]/g, '\\$&')} in `),
    );

    // The service runs the previous task definition again, and only it answers through the front door.
    const now = await serviceTaskDefinition(app!.ecs);
    expect(now).toBe(goodRelease);
    expect(now).not.toBe(broken);
    expect(await versionsServed(url, 3)).toEqual(['v2', 'v2', 'v2']);
    // And it posts: the whole system test passes against it.
    const again = await runSystemTests(url, {
      username: 'admin',
      password: app!.password,
      expectVersion: 'v2',
    });
    expect(again.checks.filter((check) => check.status !== 'passed')).toEqual([]);
  }, 300_000);
});
