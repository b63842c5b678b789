// The main job: ships sample-app through the built bundles of security-scan, build-push, deploy-ecs and
// wait-healthy to the local stack, the way a GitHub runner would run them, twice. The second run is a new
// commit with a visible change; a poller hits the front door throughout it and counts failed requests.
// Both tasks share the stack's PostgreSQL (DATABASE_URL, a secret the stand-in resolves; deploy-ecs runs
// `node migrate.js` first): the table shows both tasks list the same posts, and that a post made before
// the rollout is still listed after it.
// After each deploy the verify stage (scripts/verify-release.ts) waits for the new version, runs sample-app's
// system tests and the live scan through the front door, and rolls back to the previous revision on a failure.
// Run by scripts/demo.sh (npm run demo), which starts the local stack first.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';

import {
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { SystemTestClient } from '../sample-app/system-test/http-client.js';
import { entryTitles, listPages, logIn, postEntry } from '../sample-app/system-test/system-tests.js';
import { formatDuration } from '../shared/summary.js';
import { REPO_ROOT, type ActionRun } from '../tools/runner/run-action.js';
import { requireStack } from '../tools/runner/stack.js';
import { runActionStep } from './action-step.js';
import { verifyRelease } from './verify-release.js';

const CLUSTER = 'shipkit-demo';
const SERVICE = 'sample-app';
const REPOSITORY = 'shipkit-sample-app';
const CONTAINER = 'web';
const TARGET_GROUP =
  'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shipkit-demo/0123456789abcdef';

interface StepResult {
  run: number;
  step: string;
  ok: boolean;
  ms: number;
  detail: string;
}

const stack = requireStack();
const results: StepResult[] = [];
const baseEnv: Record<string, string> = {
  ...stack.env,
  DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'shipkit-demo-docker-')),
};
const ecs = new ECSClient({
  region: stack.env['AWS_REGION'],
  endpoint: stack.env['AWS_ENDPOINT_URL_ECS'],
  credentials: {
    accessKeyId: stack.env['AWS_ACCESS_KEY_ID'] ?? '',
    secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY'] ?? '',
  },
});

const elb = new ElasticLoadBalancingV2Client({
  region: stack.env['AWS_REGION'],
  endpoint: stack.env['AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2'],
  credentials: {
    accessKeyId: stack.env['AWS_ACCESS_KEY_ID'] ?? '',
    secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY'] ?? '',
  },
});

function say(text: string): void {
  console.log(`\n\u001b[1m== ${text}\u001b[0m`);
}

async function step(
  run: number,
  name: string,
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  describe: (result: ActionRun) => string,
  workspace?: string,
): Promise<ActionRun> {
  say(`run ${run}: ${name}`);
  const result = await runActionStep(action, {
    ...(workspace === undefined ? {} : { workspace }),
    inputs,
    env: { ...baseEnv, ...env },
    describe,
    echoPrefix: `  ${action} | `,
  });
  results.push({ run, step: name, ok: result.ok, ms: result.ms, detail: result.detail });
  if (!result.ok) {
    printTable();
    throw new Error(`run ${run}: ${name} failed: ${result.run.errors.join(' / ') || result.detail}`);
  }
  return result.run;
}

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return createHash('sha1').update('shipkit-demo').digest('hex');
  }
}

/** The service and cluster exist before a pipeline deploys to them (in AWS: Terraform or the console). */
async function ensureService(imageUri: string): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const existing = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  if (existing.services?.some((service) => service.status === 'ACTIVE')) return;
  say('bootstrap: creating the ECS service behind a front door (what Terraform would do)');
  const definition = JSON.parse(
    readFileSync(join(REPO_ROOT, 'sample-app', 'task-definition.json'), 'utf8'),
  ) as RegisterTaskDefinitionCommandInput;
  for (const container of definition.containerDefinitions ?? []) {
    if (container.name === CONTAINER) container.image = imageUri;
  }
  const registered = await ecs.send(new RegisterTaskDefinitionCommand(definition));
  await ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      // The task definition is awsvpc: ECS requires a network (the stand-in runs tasks on the host network).
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-demo'], assignPublicIp: 'DISABLED' } },
      loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: CONTAINER, containerPort: 8080 }],
      // The stack checks targets every 500 ms (a speed-up; ELB's default is 30 s): on a busy machine the app
      // can take longer than two failed checks to listen, so give it the grace a real service would have.
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    }),
  );
}

async function frontDoorUrl(): Promise<string> {
  const response = await fetch(`${stack.localAwsUrl}/_local/services`);
  const body = (await response.json()) as {
    services: { serviceName?: string; name?: string; frontDoorUrl?: string }[];
  };
  const service = body.services.find(
    (entry) => (entry.serviceName ?? entry.name) === SERVICE && entry.frontDoorUrl,
  );
  if (!service?.frontDoorUrl) throw new Error(`the stand-in lists no front door for ${SERVICE}`);
  return service.frontDoorUrl.replace(/\/$/, '');
}

/** Hits the front door every 50 ms until stopped; counts what failed and which versions answered. */
function startPoller(url: string): {
  stop: () => Promise<{ requests: number; failed: number; versions: string[] }>;
} {
  let running = true;
  let requests = 0;
  let failed = 0;
  const versions: string[] = [];
  const loop = (async (): Promise<void> => {
    while (running) {
      requests++;
      try {
        const response = await fetch(`${url}/api/health-check`, { signal: AbortSignal.timeout(2000) });
        const body = (await response.json()) as { ver?: string };
        if (!response.ok) failed++;
        if (body.ver && versions.at(-1) !== body.ver) versions.push(body.ver);
      } catch {
        failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { requests, failed, versions };
    },
  };
}

async function pipeline(
  run: number,
  commitSha: string,
  context: string,
): Promise<{ version: string; url: string }> {
  const version = commitSha.slice(0, 7);
  const git = { GITHUB_SHA: commitSha, GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' };
  // A context outside this repository is another commit's checkout: the workspace of the steps that read it.
  const workspace = context.startsWith(`${REPO_ROOT}/`) ? undefined : context;
  await step(
    run,
    'security-scan',
    'security-scan',
    { path: context, 'fail-on': 'critical', scanners: 'secrets,dockerfile,code' },
    git,
    (r) =>
      `${r.outputs['total'] ?? '?'} findings (critical ${r.outputs['critical'] ?? '?'}, high ${r.outputs['high'] ?? '?'})`,
    workspace,
  );
  const built = await step(
    run,
    'build-push',
    'build-push',
    {
      registry: 'ecr',
      repository: REPOSITORY,
      'create-repository': 'true',
      context,
      file: join(context, 'Dockerfile'),
      'build-args': `BASE_IMAGE=${stack.baseImage}\nAPP_VERSION=${version}`,
      network: 'host',
    },
    git,
    (r) => r.outputs['image-uri'] ?? '',
    workspace,
  );
  const imageUri = built.outputs['image-uri'];
  if (!imageUri) throw new Error('build-push gave no image-uri output');
  await ensureService(imageUri);
  // The balancer checks the app's health endpoint (as Terraform would set it), not "/", ELB's default.
  await elb.send(
    new ModifyTargetGroupCommand({ TargetGroupArn: TARGET_GROUP, HealthCheckPath: '/api/health-check' }),
  );
  const deployed = await step(
    run,
    'deploy-ecs',
    'deploy-ecs',
    {
      cluster: CLUSTER,
      services: SERVICE,
      'task-definition': join(REPO_ROOT, 'sample-app', 'task-definition.json'),
      container: CONTAINER,
      image: imageUri,
      timeout: '5m',
      // The stack's explicit speed-ups check targets every 500 ms and containers every 5 s, so 20 s of bake
      // covers more check rounds than the 2m default does against ELB's and ECS's own 30 s intervals.
      'bake-time': '20s',
      // The schema first, once, from the new revision (a one-off task), then the services roll.
      'migration-command': '["node", "migrate.js"]',
    },
    git,
    (r) =>
      `${r.outputs['task-definition-arn']?.split('/').pop() ?? ''} in ${formatDuration(Number(r.outputs['time-to-stable'] ?? 0) * 1000)}`,
  );
  const url = await frontDoorUrl();
  say(`run ${run}: verify (wait-healthy, system tests, live scan; rollback on a failure)`);
  const verified = await verifyRelease({
    url,
    expectVersion: version,
    credentials: { username: 'admin', password: demoAdminPassword() },
    env: { ...baseEnv, ...git },
    rollback: {
      cluster: CLUSTER,
      services: SERVICE,
      previousTaskDefinitionArn: deployed.outputs['previous-task-definition-arn'],
      timeout: '5m',
      bakeTime: '20s',
    },
    // sample-app is expected to come out clean: any live finding fails the release.
    liveScanFailOn: 'low',
    echoPrefix: '  ',
    onStage: (stage) =>
      results.push({ run, step: stage.name, ok: stage.ok, ms: stage.ms, detail: stage.detail }),
  });
  if (!verified.ok) {
    printTable();
    console.log(`\n${verified.summary}`);
    throw new Error(`run ${run}: verify failed: ${verified.summary.split('\n')[0]!.replace(/^### /, '')}`);
  }
  return { version, url };
}

function demoAdminPassword(): string {
  return readFileSync(join(REPO_ROOT, '.stack', 'demo-admin-password'), 'utf8').trim();
}

/** Logs in as the demo admin through the front door (any task: sessions are signed, not stored) and posts. */
async function post(url: string, title: string): Promise<void> {
  const client = new SystemTestClient(`${url}/`, 10_000);
  await logIn(client, 'admin', demoAdminPassword());
  await postEntry(client, title, 'posted by npm run demo');
}

/** Every title on the list, following "older posts" links. */
async function allTitles(url: string): Promise<string[]> {
  const titles: string[] = [];
  for await (const page of listPages(new SystemTestClient(`${url}/`, 10_000), 1_000))
    titles.push(...entryTitles(page.responseBody));
  return titles;
}

/**
 * The front door sends each request to the next task: four first pages in a row come from both tasks.
 * Records whether they all list the same posts, and whether `title` is among them.
 */
async function checkPosts(run: number, step: string, url: string, title: string): Promise<void> {
  const started = Date.now();
  const pages: string[] = [];
  for (let n = 0; n < 4; n++) {
    const html = await (await fetch(`${url}/`)).text();
    pages.push(entryTitles(html).join('\n'));
  }
  const same = pages.every((page) => page === pages[0]);
  const listed = (await allTitles(url)).includes(title);
  results.push({
    run,
    step,
    ok: same && listed,
    ms: Date.now() - started,
    detail:
      `${same ? 'same posts' : 'DIFFERENT posts'} from both tasks (4 requests); "${title}" ${listed ? 'listed' : 'NOT listed'}` +
      // Tasks fall back to their own SQLite file when DATABASE_URL does not reach them.
      (same && listed
        ? ''
        : '; if the tasks are on SQLite, the stand-in predates DATABASE_URL in its secrets: npm run stack:down, then npm run demo'),
  });
}

function printTable(): void {
  const rows = results.map((r) => [
    String(r.run),
    r.step,
    r.ok ? 'ok' : 'FAILED',
    formatDuration(r.ms),
    r.detail,
  ]);
  const header = ['run', 'step', 'result', 'time', 'detail'];
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index]!.length)),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
  console.log(`\n${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const firstSha = gitSha();
  const first = await pipeline(1, firstSha, join(REPO_ROOT, 'sample-app'));
  // A post made before the rollout, through the front door: run 2 must still list it.
  const beforeRollout = `before the rollout of ${new Date().toISOString().slice(0, 19)}Z`;
  await post(first.url, beforeRollout);
  await checkPosts(1, 'posts (PostgreSQL)', first.url, beforeRollout);

  // The second run is the next commit: a one-line visible change to the app, built from a copy.
  // Its own workspace, as a runner's checkout of the next commit would be (security-scan scans only there).
  const changed = mkdtempSync(join(tmpdir(), 'shipkit-demo-app-'));
  cpSync(join(REPO_ROOT, 'sample-app'), changed, {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  });
  const stylesheet = join(changed, 'src', 'static', 'style.css');
  if (existsSync(stylesheet)) appendFileSync(stylesheet, '\nbody { border-top: 4px solid #2b7a0b; }\n');
  const secondSha = createHash('sha1').update(`${firstSha} demo change`).digest('hex');
  const poller = startPoller(first.url);
  const secondStarted = Date.now();
  let second: { version: string; url: string };
  try {
    second = await pipeline(2, secondSha, changed);
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const seen = await poller.stop();
    results.push({
      run: 2,
      step: 'poller (whole run 2)',
      ok: seen.failed === 0,
      ms: Date.now() - secondStarted,
      detail: `${seen.requests} requests, ${seen.failed} failed; ${seen.versions.length - 1} version changes seen, last ${seen.versions.at(-1) ?? '?'}`,
    });
    rmSync(changed, { recursive: true, force: true });
  }

  await checkPosts(2, 'post before rollout', second.url, beforeRollout);
  printTable();
  const serving = (await (await fetch(`${second.url}/api/health-check`)).json()) as { ver?: string };
  console.log(`\nfront door: ${second.url}/`);
  console.log(
    `version serving: ${serving.ver ?? '?'} (run 1 shipped ${first.version}, run 2 shipped ${second.version})`,
  );
  console.log(`log in as admin with the password in ${join(REPO_ROOT, '.stack', 'demo-admin-password')}`);
  console.log('the stack keeps running; stop it with: npm run stack:down');
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

try {
  await main();
} catch (error: unknown) {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(baseEnv['DOCKER_CONFIG']!, { recursive: true, force: true });
  ecs.destroy();
  elb.destroy();
}
