// Nothing lost: the sample app's image on the stand-in, two tasks behind the front door sharing one
// PostgreSQL database (a database of this file's own, DATABASE_URL handed over as the task definition's
// Secrets Manager entry). 300 logged-in posts at once through the door, then a deploy replaces both tasks,
// and every post is still listed, page by page, the same from either task.
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';

import { createPool, migratePostgres } from '../../sample-app/src/db-postgres.js';
import { requireStack } from '../helpers/stack.js';
import { Browser } from '../unit/sample-app/app-client.js';
import { createTestDatabase, type TestDatabase } from './sample-app-postgres.js';
import { startSampleAppService, type SampleAppService } from './sample-app-service.js';

const POSTS = 300;
const BROWSERS = 10;

let database: TestDatabase;
let app: SampleAppService | undefined;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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
  app = await startSampleAppService(requireStack(), { databaseUrl: database.url, desiredCount: 2 });
}, 240_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
}, 60_000);

describe('sample app on PostgreSQL behind the front door', () => {
  it(`keeps ${POSTS} concurrent posts through a deploy that replaces both tasks`, async () => {
    const { cluster, service, family } = app!;
    const door = await app!.frontDoor();
    const browsers = Array.from({ length: BROWSERS }, () => new Browser(door));
    for (const browser of browsers) expect((await browser.logIn(app!.password)).status).toBe(303);
    const tokens = await Promise.all(browsers.map((browser) => browser.csrfToken('/')));

    // All at once: each browser sends its share with its own session and CSRF token.
    const statuses = await Promise.all(
      Array.from({ length: POSTS }, async (_, n) => {
        const response = await browsers[n % BROWSERS]!.post('/add', {
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
    const oldTasks = await app!.tasks();
    expect(oldTasks).toHaveLength(2);
    await app!.register('v2');
    await app!.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: family }));
    await until(
      'both tasks replaced',
      async () => {
        const now = await app!.tasks();
        const replaced = now.length === 2 && now.every((arn) => !oldTasks.includes(arn));
        return replaced && (await app!.healthyTargets()) === 2 ? now : undefined;
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
