// Nothing lost: the sample app's image on the stand-in, two tasks behind the front door sharing one
// PostgreSQL database (a database of this file's own, DATABASE_URL handed over as the task definition's
// Secrets Manager entry). 300 logged-in posts at once through the door, then a deploy replaces both tasks,
// and every post is still listed, page by page, the same from either task.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

import { hashPassword } from '../../sample-app/src/auth.js';
import { createPool, migratePostgres } from '../../sample-app/src/db-postgres.js';
import type { LocalAws } from '../../tools/local-aws/index.js';
import { buildTestImage, dockerCli, pushImage, type DockerCli } from '../helpers/docker.js';
import { FAST_ROLLOUTS, startTestLocalAws } from '../helpers/local-aws.js';
import { REPO_ROOT } from '../helpers/run-action.js';
import { requireStack } from '../helpers/stack.js';
import { Browser } from '../unit/sample-app/app-client.js';
import { createTestDatabase, type TestDatabase } from './sample-app-postgres.js';

const SAMPLE_APP = join(REPO_ROOT, 'sample-app');
const TASK_DEFINITION = JSON.parse(
  readFileSync(join(SAMPLE_APP, 'task-definition.json'), 'utf8'),
) as RegisterTaskDefinitionCommandInput;
const POSTS = 300;
const BROWSERS = 10;
const cluster = 'posts';
const service = 'web';
const credentials = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-test-secret' };
const password = `pw-${randomBytes(6).toString('hex')}`;

const stack = requireStack();
let database: TestDatabase;
let localAws: LocalAws;
let ecs: ECSClient;
let ecr: ECRClient;
let docker: DockerCli;
let image: string;

/** valueFrom -> value, as Secrets Manager and SSM would resolve the task definition's placeholders. */
async function secretsFor(databaseUrl: string): Promise<Record<string, string>> {
  const byName: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    ADMIN_PASSWORD_HASH: await hashPassword(password, { N: 1024, r: 8, p: 1 }),
    SESSION_SECRET: randomBytes(24).toString('base64url'),
  };
  const secrets: Record<string, string> = {};
  for (const secret of TASK_DEFINITION.containerDefinitions![0]!.secrets ?? []) {
    secrets[secret.valueFrom!] = byName[secret.name!]!;
  }
  expect(Object.keys(secrets)).toHaveLength(3);
  return secrets;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function frontDoor(): Promise<string> {
  const response = await fetch(`${localAws.url}/_local/services`);
  const { services } = (await response.json()) as {
    services: { serviceName: string; frontDoorUrl?: string; healthyTargets?: number }[];
  };
  const url = services.find((entry) => entry.serviceName === service)?.frontDoorUrl;
  if (!url) throw new Error('no front door');
  return url.replace(/\/$/, '');
}

async function healthyTargets(): Promise<number> {
  const response = await fetch(`${localAws.url}/_local/services`);
  const { services } = (await response.json()) as {
    services: { serviceName: string; healthyTargets?: number }[];
  };
  return services.find((entry) => entry.serviceName === service)?.healthyTargets ?? 0;
}

function register(version: string): Promise<unknown> {
  const [web] = TASK_DEFINITION.containerDefinitions!;
  return ecs.send(
    new RegisterTaskDefinitionCommand({
      ...TASK_DEFINITION,
      family: 'posts-web',
      containerDefinitions: [
        {
          ...web!,
          image,
          // Each revision tells which one answers (the image's baked-in version is the same).
          environment: [...(web!.environment ?? []), { name: 'APP_VERSION', value: version }],
        },
      ],
    }),
  );
}

async function tasks(): Promise<string[]> {
  return (await ecs.send(new ListTasksCommand({ cluster, serviceName: service }))).taskArns!.sort();
}

/** Every title on the list, following "older posts" from the first page. */
async function allTitles(browser: Browser): Promise<{ titles: string[]; pages: number }> {
  const titles: string[] = [];
  let next: string | undefined = '/';
  let pages = 0;
  while (next !== undefined) {
    const response = await browser.get(next);
    expect(response.status).toBe(200);
    const html = await response.text();
    titles.push(...[...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((match) => match[1]!));
    next = /<a href="(\/\?before=\d+)" rel="next">older posts<\/a>/.exec(html)?.[1];
    pages++;
  }
  return { titles, pages };
}

beforeAll(async () => {
  database = await createTestDatabase('shipkit_itest_posts');
  // What the deploy's migration command (node migrate.js) does before the services roll.
  const pool = createPool(database.url);
  try {
    expect(await migratePostgres(pool)).toEqual(['0001_create_entries']);
  } finally {
    await pool.end();
  }
  localAws = await startTestLocalAws(stack, {
    ...FAST_ROLLOUTS,
    healthCheckIntervalMs: 1000,
    secrets: await secretsFor(database.url),
  });
  const config = { endpoint: localAws.url, region: 'us-east-1', credentials };
  ecs = new ECSClient(config);
  ecr = new ECRClient(config);
  docker = dockerCli(stack, { name: 'sample-app-posts' });
  const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
  const [user, token] = Buffer.from(auth.authorizationToken!, 'base64').toString().split(':') as [
    string,
    string,
  ];
  await docker.login(auth.proxyEndpoint!, user, token);
  const repository = (
    await ecr.send(new CreateRepositoryCommand({ repositoryName: `posts/web-${Date.now().toString(36)}` }))
  ).repository!.repositoryUri!;
  image = `${repository}:1`;
  await buildTestImage(docker, stack, { context: SAMPLE_APP, tag: image, appVersion: 'built' });
  await pushImage(docker, image);

  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await register('v1');
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: 'posts-web',
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } },
      healthCheckGracePeriodSeconds: 30,
      loadBalancers: [
        {
          targetGroupArn:
            'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/posts/0123456789abcdef',
          containerName: 'web',
          containerPort: 8080,
        },
      ],
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
    }),
  );
  await until('both tasks healthy behind the front door', async () =>
    (await healthyTargets()) === 2 ? true : undefined,
  );
}, 240_000);

afterAll(async () => {
  await localAws?.close();
  ecs?.destroy();
  ecr?.destroy();
  docker?.dispose();
  await database?.drop();
}, 60_000);

describe('sample app on PostgreSQL behind the front door', () => {
  it(`keeps ${POSTS} concurrent posts through a deploy that replaces both tasks`, async () => {
    const door = await frontDoor();
    const browsers = Array.from({ length: BROWSERS }, () => new Browser(door));
    for (const browser of browsers) expect((await browser.logIn(password)).status).toBe(303);
    const tokens = await Promise.all(browsers.map((browser) => browser.csrfToken('/')));

    // All at once: each browser sends its share with its own session and CSRF token.
    const statuses = await Promise.all(
      Array.from({ length: POSTS }, async (_, n) => {
        const browser = browsers[n % BROWSERS]!;
        const response = await browser.post('/add', {
          csrf_token: tokens[n % BROWSERS]!,
          title: `post ${n + 1}`,
          text: `posted at once, ${n + 1} of ${POSTS}`,
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const counts: Record<number, number> = {};
    for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
    expect(counts).toEqual({ 303: POSTS });

    const expected = Array.from({ length: POSTS }, (_, n) => `post ${n + 1}`).sort();
    const before = await allTitles(browsers[0]!);
    expect([...before.titles].sort()).toEqual(expected);

    // A deploy: a new revision replaces both tasks (the old ones stop once the new ones are healthy).
    const oldTasks = await tasks();
    expect(oldTasks).toHaveLength(2);
    await register('v2');
    await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: 'posts-web' }));
    await until(
      'both tasks replaced',
      async () => {
        const now = await tasks();
        const replaced = now.length === 2 && now.every((arn) => !oldTasks.includes(arn));
        return replaced && (await healthyTargets()) === 2 ? now : undefined;
      },
      150_000,
    );
    // Each request goes to the next task: both answer v2, with the same list.
    const reader = browsers[1]!;
    for (let n = 0; n < 4; n++) {
      const health = (await (await reader.get('/api/health-check')).json()) as { ver: string };
      expect(health.ver).toBe('v2');
    }
    const after = await allTitles(reader);
    expect(after.titles).toHaveLength(POSTS);
    expect([...after.titles].sort()).toEqual(expected);
    // Newest first, across page boundaries; several pages (50 a page).
    expect(after.pages).toBeGreaterThanOrEqual(Math.ceil(POSTS / 50));
    const again = await allTitles(reader);
    expect(again.titles).toEqual(after.titles);
  }, 240_000);
});
